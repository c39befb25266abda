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
}

export function finding(ctx: ListingContext, id: string, severity: ContainerFinding['severity'], message: string, member?: string): void {
  ctx.findings.push(member === undefined ? { id, severity, message } : { id, severity, message, member });
}

/** False (and an ABS-CONTAINER-TOO-MANY-MEMBERS finding, once) when the listing is full. */
export function roomForMember(ctx: ListingContext, total: number | undefined): boolean {
  if (ctx.members.length < ctx.limits.maxMembers) return true;
  if (!ctx.findings.some((f) => f.id === 'ABS-CONTAINER-TOO-MANY-MEMBERS')) {
    finding(ctx, 'ABS-CONTAINER-TOO-MANY-MEMBERS', 'warning', `the container holds ${total === undefined ? 'more than' : total} members; only the first ${ctx.limits.maxMembers} (maxMembers) are listed`);
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
  if (size > maxMemberBytes) reason = `declares ${size} bytes, above maxMemberBytes (${maxMemberBytes})`;
  else if (compressedSize !== undefined && size >= COMPRESSION_RATIO_MIN_BYTES && size > compressedSize * maxCompressionRatio) {
    reason = `expands ${compressedSize} stored bytes to ${size} (ratio ${compressedSize === 0 ? '∞' : Math.round(size / compressedSize)}:1, above maxCompressionRatio ${maxCompressionRatio})`;
  }
  if (reason !== undefined) finding(ctx, 'ABS-CONTAINER-BOMB', 'error', `zip bomb suspected: member ${reason}; it is not expanded`, displayPath);
  return reason;
}

/** Ceiling for one read(): the member limit and what is left of the shared budget. */
export function readCap(ctx: ListingContext): number {
  return Math.min(ctx.limits.maxMemberBytes, ctx.budget.remaining);
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
