/** Samples for the cloud-engine tests: small distinct ones in memory, and large ones generated on the fly (bounded memory). */
import { createHash } from 'node:crypto';
import { memorySample, type ScanSample } from '../../src/core/scans/index.ts';

/** A small sample with distinct bytes per label. */
export function smallSample(label: string): ScanSample {
  return memorySample(new TextEncoder().encode(`MZ absolve cloud test sample ${label}\n`), `release/${label}.exe`);
}

/** `size` bytes of a repeating pattern, streamed in 1 MiB chunks, never held whole in memory; `onChunk` sees the bytes produced so far. */
export function generatedSample(size: number, label: string, onChunk?: (producedBytes: number) => void): ScanSample {
  const chunk = new Uint8Array(1024 * 1024);
  const seed = new TextEncoder().encode(label);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (seed[i % seed.length] ?? 0) ^ (i & 0xff);
  async function* stream(): AsyncIterable<Uint8Array> {
    for (let offset = 0; offset < size; offset += chunk.length) {
      const end = Math.min(size, offset + chunk.length);
      onChunk?.(end);
      yield await Promise.resolve(chunk.subarray(0, end - offset));
    }
  }
  const hash = createHash('sha256');
  for (let offset = 0; offset < size; offset += chunk.length) hash.update(chunk.subarray(0, Math.min(chunk.length, size - offset)));
  return { sha256: hash.digest('hex'), size, displayName: `release/${label}.bin`, stream };
}
