/**
 * Reading the small inputs a user names (--trust, --config, import files): regular files only, size-capped, and
 * asynchronous so Ctrl-C works. A FIFO would block forever and /dev/zero or /dev/urandom never end; both are
 * refused before a byte is read (stat does not open, O_NONBLOCK keeps a FIFO swapped in after it from blocking).
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { AbsolveError } from '../core/errors.ts';

/** The codes readRegularFile and openRegularFile throw (as AbsolveError). */
export type InputErrorCode = 'PATH_NOT_FOUND' | 'PATH_NOT_REGULAR' | 'INPUT_TOO_LARGE' | 'IO_ERROR';

/** An AbsolveError whose code is one of InputErrorCode (the constructor keeps callers to those). */
class InputFileError extends AbsolveError {
  constructor(code: InputErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** What a file-system entry is, for messages ("a FIFO (named pipe)", "a character device", …). */
export function describeKind(info: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** Opens a regular file for reading; `what` names it in messages ("trust anchor", "configuration", …). */
export async function openRegularFile(path: string, what: string, maxBytes: number): Promise<{ handle: FileHandle; size: number }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError('PATH_NOT_FOUND', `cannot read ${what} '${path}': no such file`, { cause: error });
    throw new InputFileError('IO_ERROR', `cannot read ${what} '${path}': ${(error as Error).message}`, { cause: error });
  }
  if (!info.isFile()) throw new InputFileError('PATH_NOT_REGULAR', `${what} '${path}' is ${describeKind(info)}: only regular files are read`);
  if (info.size > maxBytes) throw new InputFileError('INPUT_TOO_LARGE', `${what} '${path}' is ${info.size} bytes, more than such a file can be (${maxBytes})`);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new InputFileError('IO_ERROR', `cannot read ${what} '${path}': ${(error as Error).message}`, { cause: error });
  }
  const opened = await handle.stat();
  if (!opened.isFile()) {
    await handle.close();
    throw new InputFileError('PATH_NOT_REGULAR', `${what} '${path}' is ${describeKind(opened)}: only regular files are read`);
  }
  return { handle, size: opened.size };
}

/** The whole content of a regular file of at most `maxBytes` (a file growing past it while read is refused too). */
export async function readRegularFile(path: string, what: string, maxBytes: number): Promise<Buffer> {
  const { handle, size } = await openRegularFile(path, what, maxBytes);
  try {
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) throw new InputFileError('INPUT_TOO_LARGE', `${what} '${path}' is more than ${maxBytes} bytes, more than such a file can be`);
    return buffer.subarray(0, filled);
  } catch (error) {
    if (error instanceof AbsolveError) throw error;
    throw new InputFileError('IO_ERROR', `cannot read ${what} '${path}': ${(error as Error).message}`, { cause: error });
  } finally {
    await handle.close();
  }
}

/** A regular file as a UTF-8 text stream (import files): refused like readRegularFile, no size cap here. */
export async function openRegularTextStream(path: string, what: string): Promise<NodeJS.ReadableStream> {
  const { handle } = await openRegularFile(path, what, Number.MAX_SAFE_INTEGER);
  return handle.createReadStream({ encoding: 'utf8', autoClose: true });
}
