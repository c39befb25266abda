import { LimitExceededError } from '../binary/index.ts';

/**
 * A running total of bytes produced by read() calls and of members listed. One budget per listing by default; pass
 * one budget to several openContainer calls (a recursive audit) to cap the bytes expanded from, and the members
 * listed in, a whole nested tree: a ZIP fanning out 10 members over 6 levels is a million artifacts from 12 KB.
 */
export class ExtractionBudget {
  readonly limitBytes: number;
  readonly limitMembers: number;
  /** How the byte limit is named in messages (which option raises it). */
  readonly limitName: string;
  private usedBytes = 0;
  private listedMembers = 0;

  constructor(limitBytes: number, options: { limitMembers?: number; limitName?: string } = {}) {
    this.limitBytes = limitBytes;
    this.limitMembers = options.limitMembers ?? Number.POSITIVE_INFINITY;
    this.limitName = options.limitName ?? 'total extracted bytes (maxTotalExtractedBytes)';
  }

  get used(): number {
    return this.usedBytes;
  }

  get remaining(): number {
    return Math.max(0, this.limitBytes - this.usedBytes);
  }

  get members(): number {
    return this.listedMembers;
  }

  /** Count `bytes` more; throws LimitExceededError (and counts nothing) when that would pass the limit. */
  take(bytes: number): void {
    if (this.usedBytes + bytes > this.limitBytes) throw this.exceeded(bytes);
    this.usedBytes += bytes;
  }

  /** The error for a member of `bytes` that does not fit in what is left. */
  exceeded(bytes: number): LimitExceededError {
    return new LimitExceededError(`${this.limitName}: ${this.usedBytes} bytes expanded already, plus this member's ${bytes}`, this.usedBytes + bytes, this.limitBytes);
  }

  /** Count one more listed member; false (nothing counted) when the tree already holds limitMembers. */
  takeMember(): boolean {
    if (this.listedMembers >= this.limitMembers) return false;
    this.listedMembers++;
    return true;
  }
}
