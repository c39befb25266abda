import { LimitExceededError, ParseError } from '../binary/index.ts';
import { COMPRESSION_RATIO_MIN_BYTES } from '../formats/container/container.types.ts';
import type { ContainerFinding, ContainerLimits, ContainerMember } from '../formats/container/container.types.ts';
import { describePathProblem, memberPathProblem, sanitizeMemberName } from '../formats/container/member-name.ts';
import type { ExtractionBudget } from './budget.ts';

/** Shared state of one openContainer call. */
export interface ListingContext {
  limits: ContainerLimits;
  budget: ExtractionBudget;
  findings: ContainerFinding[];
  members: ContainerMember[];
  /** Size of the container being listed (the ratio of all its members together is checked against it). */
  containerBytes: number;
  /** Sum of the declared sizes of the members listed so far. */
  declaredBytes: number;
}

export function finding(ctx: ListingContext, id: string, severity: ContainerFinding['severity'], message: string, member?: string): void {
  ctx.findings.push(member === undefined ? { id, severity, message } : { id, severity, message, member });
}

/**
 * False (and an ABS-CONTAINER-TOO-MANY-MEMBERS error, once, naming `displayPath`, the first member left out) when
 * the listing is full: maxMembers for this container, or maxTotalMembers for the whole tree. An error, because the
 * members left out are unknown content that was not audited.
 */
export function roomForMember(ctx: ListingContext, total: number | undefined, displayPath: string): boolean {
  const full = ctx.members.length >= ctx.limits.maxMembers;
  if (!full && ctx.budget.takeMember()) return true;
  if (!ctx.findings.some((f) => f.id === 'ABS-CONTAINER-TOO-MANY-MEMBERS')) {
    const holds = total === undefined ? 'more members' : `${total} members`;
    const limit = full ? `only the first ${ctx.limits.maxMembers} (maxMembers) are listed` : `the whole file reached ${ctx.budget.limitMembers} members (maxTotalMembers)`;
    finding(ctx, 'ABS-CONTAINER-TOO-MANY-MEMBERS', 'error', `not audited: the container holds ${holds}; ${limit}; this member and the rest were not audited`, displayPath);
  }
  return false;
}

/** Report a member name a naive extractor would write outside its folder. Returns true when reported. */
export function checkMemberPath(ctx: ListingContext, rawName: string, displayPath: string): boolean {
  const problem = memberPathProblem(rawName);
  if (problem === undefined) return false;
  finding(ctx, 'ABS-CONTAINER-PATH-TRAVERSAL', 'error', `member name "${sanitizeMemberName(rawName)}" is ${describePathProblem(problem)}; it is shown, never used as a path`, displayPath);
  return true;
}

/**
 * Why a member must not be expanded (bomb), from what the container declares: a size over maxMemberBytes, or a
 * ratio over maxCompressionRatio for a member of at least COMPRESSION_RATIO_MIN_BYTES. Reports the finding.
 */
export function checkBomb(ctx: ListingContext, displayPath: string, size: number, compressedSize: number | undefined): string | undefined {
  const { maxMemberBytes, maxCompressionRatio } = ctx.limits;
  let reason: string | undefined;
  // Many members just under the per-member threshold add up: their total is held to the same ratio.
  const containerAllowance = Math.max(COMPRESSION_RATIO_MIN_BYTES, ctx.containerBytes * maxCompressionRatio);
  if (size > maxMemberBytes) reason = `declares ${size} bytes, above maxMemberBytes (${maxMemberBytes})`;
  else if (compressedSize !== undefined && size >= COMPRESSION_RATIO_MIN_BYTES && size > compressedSize * maxCompressionRatio) {
    reason = `expands ${compressedSize} stored bytes to ${size} (ratio ${compressedSize === 0 ? '∞' : Math.round(size / compressedSize)}:1, above maxCompressionRatio ${maxCompressionRatio})`;
  } else if (ctx.declaredBytes + size > containerAllowance) {
    reason = `brings the members of this ${ctx.containerBytes}-byte container to ${ctx.declaredBytes + size} bytes (more than maxCompressionRatio ${maxCompressionRatio} times the container)`;
  }
  if (reason === undefined) ctx.declaredBytes += size;
  if (reason !== undefined) finding(ctx, 'ABS-CONTAINER-BOMB', 'error', `zip bomb suspected: member ${reason}; it is not expanded`, displayPath);
  return reason;
}

/** Ceiling for one read(): the member limit and what is left of the shared budget. */
export function readCap(ctx: ListingContext): number {
  return Math.min(ctx.limits.maxMemberBytes, ctx.budget.remaining);
}

/** The error for a member of `size` bytes over readCap: which limit it is, worded for a person. */
export function capExceeded(ctx: ListingContext, size: number): LimitExceededError {
  if (size > ctx.limits.maxMemberBytes) return new LimitExceededError('member size (maxMemberBytes)', size, ctx.limits.maxMemberBytes);
  return ctx.budget.exceeded(size);
}

/**
 * Members whose data ranges overlap an earlier member's (ZIP central entries pointing at one block, CAB files over
 * one stretch of a folder): a few KB of data hashed thousands of times. `ranges[i]` is [start, end) of member i
 * (undefined: unknown, not checked; empty ranges never overlap). Returns, per overlapping member, the index of a
 * member it overlaps. O(n log n).
 */
export function overlappingRanges(ranges: ReadonlyArray<readonly [number, number] | undefined>): Map<number, number> {
  const order = ranges.flatMap((r, i) => (r === undefined || r[1] <= r[0] ? [] : [i])).sort((a, b) => (ranges[a]?.[0] ?? 0) - (ranges[b]?.[0] ?? 0) || a - b);
  const out = new Map<number, number>();
  let reach = -1;
  let owner = -1;
  for (const i of order) {
    const [start, end] = ranges[i] ?? [0, 0];
    if (start < reach) out.set(i, owner);
    if (end > reach) {
      reach = end;
      owner = i;
    }
  }
  return out;
}

export function refuse(code: string, message: string): Promise<never> {
  return Promise.reject(new ParseError(code, message));
}

export function refuseLimit(limit: string, value: number, maximum: number): Promise<never> {
  return Promise.reject(new LimitExceededError(limit, value, maximum));
}

/** Copy out and charge the budget: read() results never alias internal buffers. */
export function deliver(ctx: ListingContext, data: Uint8Array): Uint8Array {
  if (data.length > ctx.limits.maxMemberBytes) throw new LimitExceededError('member size (maxMemberBytes)', data.length, ctx.limits.maxMemberBytes);
  ctx.budget.take(data.length);
  return data.slice();
}
