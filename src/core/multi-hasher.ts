import { createHash, type Hash } from 'node:crypto';
import type { HashAlgorithm } from './audit.types.ts';

/** Feeds every requested file digest from the same chunks, so each file is read once. */
export class MultiHasher {
  private readonly hashes: Array<[HashAlgorithm, Hash]>;

  constructor(algorithms: readonly HashAlgorithm[]) {
    const unique = [...new Set<HashAlgorithm>(['sha256', ...algorithms])];
    this.hashes = unique.map((a) => [a, createHash(a)]);
  }

  update(chunk: Uint8Array): void {
    for (const [, h] of this.hashes) h.update(chunk);
  }

  digest(): Partial<Record<HashAlgorithm, string>> {
    const out: Partial<Record<HashAlgorithm, string>> = {};
    for (const [a, h] of this.hashes) out[a] = h.digest('hex');
    return out;
  }
}

export const SUPPORTED_HASHES: readonly HashAlgorithm[] = ['sha256', 'sha1', 'md5', 'sha512'];

export function parseHashList(list: string): HashAlgorithm[] | undefined {
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (names.some((n) => !(SUPPORTED_HASHES as readonly string[]).includes(n))) return undefined;
  return names as HashAlgorithm[];
}
