/**
 * NSIS installers (NSIS 2 and 3; zlib, bzip2 or LZMA; solid or not) through 7-Zip (WASM), entirely in memory.
 * 7-Zip names members relative to $INSTDIR ($PLUGINSDIR etc. keep their variable names). Solid archives do not
 * declare member sizes, so the output caps of runSevenZip are what stops an expansion bomb.
 */
import { ParseError } from '../binary/index.ts';
import { couldHoldCode } from '../core/audit-tree.ts';
import { sanitizeMemberName, toDisplayPath } from '../formats/container/member-name.ts';
import type { ListingContext } from './common.ts';
import { checkBomb, checkMemberPath, deliver, finding, roomForMember } from './common.ts';
import { runSevenZip } from './sevenzip.ts';

export async function openNsis(bytes: Uint8Array, ctx: ListingContext): Promise<void> {
  let result;
  try {
    result = await runSevenZip(bytes, 'Nsis', {
      maxFileBytes: ctx.limits.maxMemberBytes,
      maxTotalBytes: Math.min(ctx.limits.maxTotalExtractedBytes, ctx.budget.remaining),
      maxFiles: ctx.limits.maxMembers,
    });
  } catch (e) {
    if (e instanceof ParseError) throw new ParseError(String(e.code).replace('SEVENZIP_', 'NSIS_'), e.message, { cause: e });
    throw e;
  }
  const byPath = new Map(result.entries.map((e) => [e.path, e]));
  for (const entry of result.entries) {
    const path = toDisplayPath(entry.path);
    checkMemberPath(ctx, entry.path, path);
    if (entry.encrypted) finding(ctx, 'ABS-CONTAINER-ENCRYPTED', 'warning', 'member is encrypted; it cannot be audited', path);
    if (entry.size !== undefined) checkBomb(ctx, path, entry.size, entry.packedSize);
  }
  if (result.capped !== undefined) {
    const member = toDisplayPath(result.capped.path.replace(/^\/out\//, ''));
    // A member whose declared size already failed checkBomb has its finding; the cap is the same story.
    if (!ctx.findings.some((f) => f.id === 'ABS-CONTAINER-BOMB' && f.member === member)) {
      finding(ctx, 'ABS-CONTAINER-BOMB', 'error', `zip bomb suspected: expansion stopped at ${result.capped.limit} while writing this member; later members are not listed`, member);
    }
  }
  if (result.tooManyFiles) {
    finding(ctx, 'ABS-CONTAINER-TOO-MANY-MEMBERS', 'error', `not audited: the installer holds more than ${ctx.limits.maxMembers} files; only the first ${ctx.limits.maxMembers} (maxMembers) are listed`);
  }
  for (const file of result.files) {
    const path = toDisplayPath(file.path);
    if (!file.complete) {
      // Never listed, so never read: an executable among them is unaudited code (an error for the gate).
      if (result.capped?.path !== `/out/${file.path}`) {
        const severity = couldHoldCode(path) ? 'error' : 'warning';
        finding(ctx, 'ABS-CONTAINER-BAD-MEMBER', severity, `7-Zip could not expand this member completely (${result.errors.join(' ').trim() || `exit code ${result.exitCode}`}); it was not audited`, path);
      }
      continue;
    }
    if (!roomForMember(ctx, result.files.length, path)) break;
    const entry = byPath.get(file.path);
    const data = file.data;
    ctx.members.push({
      name: sanitizeMemberName(file.path),
      path,
      size: data.length,
      ...(entry?.packedSize === undefined ? {} : { compressedSize: entry.packedSize }),
      ...(entry?.method === undefined ? {} : { method: entry.method.toLowerCase() }),
      read: () => Promise.resolve().then(() => deliver(ctx, data)),
    });
  }
}
