import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../core/ports.ts';

/** A ByteSource over an open file handle (positional reads, no shared cursor). */
export class FileByteSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      return new FileByteSource(handle, stat.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(buffer: Uint8Array, position: number): Promise<number> {
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, position);
    return bytesRead;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
