import { LimitExceededError } from '../binary/index.ts';

/**
 * A running total of bytes produced by read() calls. One budget per listing by default; pass one budget to
 * several openContainer calls (a recursive audit) to cap the bytes expanded from a whole nested tree.
 */
export class ExtractionBudget {
  readonly limitBytes: number;
  private usedBytes = 0;

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes;
  }

  get used(): number {
    return this.usedBytes;
  }

  get remaining(): number {
    return Math.max(0, this.limitBytes - this.usedBytes);
  }

  /** Count `bytes` more; throws LimitExceededError (and counts nothing) when that would pass the limit. */
  take(bytes: number): void {
    if (this.usedBytes + bytes > this.limitBytes) throw new LimitExceededError('total extracted bytes (maxTotalExtractedBytes)', this.usedBytes + bytes, this.limitBytes);
    this.usedBytes += bytes;
  }
}
