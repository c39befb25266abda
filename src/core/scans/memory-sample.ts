import { createHash } from 'node:crypto';
import type { ScanSample } from './scan.types.ts';

/** Chunk size when a sample in memory is streamed to an engine (a clamd INSTREAM chunk, an upload part). */
export const SAMPLE_STREAM_CHUNK_BYTES = 1024 * 1024;

/** A sample whose bytes are in memory (a container member). */
export function memorySample(bytes: Uint8Array, displayName: string, sha256?: string): ScanSample {
  return {
    sha256: sha256 ?? createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    displayName,
    // eslint-disable-next-line @typescript-eslint/require-await -- the port streams asynchronously; bytes in memory need no wait
    async *stream() {
      for (let offset = 0; offset < bytes.length; offset += SAMPLE_STREAM_CHUNK_BYTES) {
        yield bytes.subarray(offset, Math.min(bytes.length, offset + SAMPLE_STREAM_CHUNK_BYTES));
      }
    },
  };
}
