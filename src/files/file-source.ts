import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../core/ports.ts';

/**
 * A ByteSource over a file descriptor with positional reads. The calls are synchronous on
 * purpose: audits run in worker threads (or a CLI with nothing else to do), where blocking
 * costs nothing, while an async read pays a thread-pool round trip per call, which dominated the
 * time of releases made of many small files.
 */
export class FileByteSource implements ByteSource {
  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /**
   * Opens a regular file. O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever (the
   * walk skips FIFOs, but one may replace a file in between); anything that is not a regular file is refused.
   */
  static open(path: string): Promise<FileByteSource> {
    try {
      const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      try {
        const info = fstatSync(fd);
        if (!info.isFile()) throw new Error('not a regular file (a FIFO, device or socket is never read)');
        return Promise.resolve(new FileByteSource(fd, info.size));
      } catch (error) {
        closeSync(fd);
        throw error;
      }
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  read(buffer: Uint8Array, position: number): Promise<number> {
    try {
      return Promise.resolve(readSync(this.fd, buffer, 0, buffer.length, position));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  close(): Promise<void> {
    closeSync(this.fd);
    return Promise.resolve();
  }
}
