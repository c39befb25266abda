/**
 * `--output` files never destroy data: a target that resolves (through symbolic links, or as a hard link) to an
 * input, the store database or its blob folder is refused before any work (OUTPUT_IS_INPUT, exit 2, the target
 * untouched), and a report is written to a temporary file beside the target and renamed into place, so a failed
 * or killed run leaves the old file as it was.
 */
import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute, resolve } from 'node:path';
import { AbsolveError } from '../core/errors.ts';

/** What an output must not replace: files (compared by identity) and folders (nothing may be written inside). */
export interface ProtectedPaths {
  files: readonly string[];
  folders: readonly string[];
  /** For the message: "an input", "the store", … */
  describe: string;
}

/** The path the target really names: its parent folder's real path plus the name, or the file's real path. */
async function resolveTarget(target: string): Promise<string> {
  const real = await realpath(target).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = await realpath(dirname(resolve(target))).catch(() => dirname(resolve(target)));
  return join(parent, basename(target));
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export async function refuseProtectedOutput(target: string, protectedPaths: readonly ProtectedPaths[]): Promise<void> {
  const resolved = await resolveTarget(target);
  const targetInfo = await stat(target).catch(() => undefined);
  for (const group of protectedPaths) {
    for (const folder of group.folders) {
      const realFolder = await realpath(folder).catch(() => resolve(folder));
      if (inside(realFolder, resolved)) throw refusal(target, group.describe, folder);
    }
    // A target that does not exist yet cannot be any existing file.
    if (targetInfo === undefined) continue;
    for (const file of group.files) {
      const info = await stat(file).catch(() => undefined);
      if (info === undefined) continue;
      if (info.dev === targetInfo.dev && info.ino === targetInfo.ino) throw refusal(target, group.describe, file);
    }
  }
}

function refusal(target: string, describe: string, what: string): AbsolveError {
  return new AbsolveError('OUTPUT_IS_INPUT', `--output '${target}' is ${describe} ('${what}'); it was not written: choose another file`);
}

/**
 * Writes through `run` into `target.<random>.part` beside the target (same folder: same file system, so the
 * rename is atomic), flushes it, and renames it over the target only once complete.
 */
export async function writeOutputFile<T>(target: string, run: (write: (text: string) => Promise<void>) => Promise<T>): Promise<T> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  let handle;
  try {
    handle = await open(temp, 'wx');
  } catch (error) {
    throw new AbsolveError('OUTPUT_UNWRITABLE', `cannot write '${target}': ${(error as Error).message}`, { cause: error });
  }
  let buffer = '';
  const flush = async (): Promise<void> => {
    await handle.write(buffer);
    buffer = '';
  };
  try {
    const result = await run(async (text) => {
      buffer += text;
      if (buffer.length >= 1 << 20) await flush();
    });
    await flush();
    await handle.sync();
    await handle.close();
    await rename(temp, target).catch((error: unknown) => {
      throw new AbsolveError('OUTPUT_UNWRITABLE', `cannot write '${target}': ${(error as Error).message}`, { cause: error });
    });
    return result;
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}
