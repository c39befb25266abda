import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { ByteSource } from '../core/ports.ts';
import type { ScanSample } from '../core/scans/index.ts';

/**
 * A sample backed by a file on disk (a release file, a stored blob). The hash is computed by one
 * streaming read unless the caller already knows it (the audit or the blob store name).
 */
export async function fileSample(path: string, displayName: string, known?: { sha256: string; size: number }): Promise<ScanSample> {
  let sha256 = known?.sha256;
  let size = known?.size;
  if (sha256 === undefined || size === undefined) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
    sha256 = hash.digest('hex');
    size = (await stat(path)).size;
  }
  return {
    sha256,
    size,
    displayName,
    filePath: path,
    async *stream() {
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) yield chunk;
    },
  };
}

/**
 * Random access to a file by path, opening it for each read: a scan root reads its head (and a
 * container's whole bytes) once or twice, so no descriptor is held while the engines work.
 */
export async function pathByteSource(path: string): Promise<ByteSource> {
  const { size } = await stat(path);
  return {
    size,
    async read(buffer: Uint8Array, position: number): Promise<number> {
      const handle = await open(path, 'r');
      try {
        let total = 0;
        while (total < buffer.length) {
          const { bytesRead } = await handle.read(buffer, total, buffer.length - total, position + total);
          if (bytesRead === 0) break;
          total += bytesRead;
        }
        return total;
      } finally {
        await handle.close();
      }
    },
  };
}
