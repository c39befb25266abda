/**
 * Cabinets: the pure reader (formats/cab) lists everything and expands "none"/MSZIP folders; LZX and Quantum
 * folders are repacked into a one-folder cabinet with neutral member names and expanded by 7-Zip (WASM).
 * Used for stand-alone .cab files and for the cabinets embedded in MSI/MSP streams.
 */
import { LimitExceededError, ParseError } from '../binary/index.ts';
import { buildSingleFolderCabinet, CabFolderReader, parseCabinet } from '../formats/cab/index.ts';
import type { CabCabinet, CabFile, CabFolder } from '../formats/cab/index.ts';
import { sanitizeMemberName, toDisplayPath } from '../formats/container/member-name.ts';
import type { ListingContext } from './common.ts';
import { capExceeded, checkBomb, checkMemberPath, deliver, finding, overlappingRanges, readCap, roomForMember } from './common.ts';
import { runSevenZip } from './sevenzip.ts';

export function openCab(bytes: Uint8Array, ctx: ListingContext): void {
  const cab = parseCabinet(bytes);
  if (cab.header.previousCabinet !== undefined || cab.header.nextCabinet !== undefined) {
    const parts = [cab.header.previousCabinet?.cabinet, cab.header.nextCabinet?.cabinet].filter((n): n is string => n !== undefined).map(sanitizeMemberName);
    finding(ctx, 'ABS-CONTAINER-SPANNED', 'note', `this cabinet is part of a multi-cabinet set (with ${parts.join(', ')}); files continued across cabinets are not listed with data`);
  }
  addCabMembers(ctx, bytes, cab, (file) => toDisplayPath(file.name));
}

/**
 * Add a member per CFFILE. `pathFor` gives the display path (MSI: the install path). Returns the files that were
 * listed (a full listing stops early).
 */
export function addCabMembers(ctx: ListingContext, bytes: Uint8Array, cab: CabCabinet, pathFor: (file: CabFile) => string): CabFile[] {
  const readers = new Map<CabFolder, CabFolderReader>();
  const external = new Map<CabFolder, Promise<Map<number, Uint8Array>>>();
  const listed: CabFile[] = [];
  const firstMember = ctx.members.length;
  for (const file of cab.files) {
    const path = pathFor(file);
    if (!roomForMember(ctx, cab.files.length, path)) break;
    listed.push(file);
    checkMemberPath(ctx, file.name, path);
    const folder = file.folder;
    let refusal: (() => Promise<never>) | undefined;
    if (file.problem !== undefined) {
      const spanned = file.problem.code === 'CAB_SPANNED';
      finding(ctx, spanned ? 'ABS-CONTAINER-SPANNED' : 'ABS-CONTAINER-BAD-MEMBER', spanned ? 'note' : 'warning', file.problem.message, path);
      const { code, message } = file.problem;
      refusal = () => Promise.reject(new ParseError(code, `${path}: ${message}`));
    } else if (folder !== undefined && folder.compression === 'unknown') {
      finding(ctx, 'ABS-CONTAINER-UNSUPPORTED-METHOD', 'warning', `cabinet folder ${folder.index} uses ${folder.method}, which is not expanded`, path);
      refusal = () => Promise.reject(new ParseError('CAB_UNSUPPORTED_COMPRESSION', `${path}: ${folder.method}`));
    } else if (folder !== undefined) {
      // Compression is per folder: a member's share of the folder's stored bytes stands for its compressed size.
      const share = folder.uncompressedSize === 0 ? 0 : Math.ceil((file.size * folder.compressedSize) / folder.uncompressedSize);
      if (checkBomb(ctx, path, file.size, folder.compression === 'none' ? undefined : share) !== undefined) {
        refusal = () => Promise.reject(new LimitExceededError('member size (maxMemberBytes / maxCompressionRatio)', file.size, ctx.limits.maxMemberBytes));
      }
    }
    ctx.members.push({
      name: sanitizeMemberName(file.name),
      path,
      size: file.size,
      ...(folder === undefined ? {} : { method: folder.method }),
      read:
        refusal ??
        (async () => {
          if (folder === undefined) throw new ParseError('CAB_BAD_FILE', `${path}: no folder`);
          const cap = readCap(ctx);
          if (file.size > cap) throw capExceeded(ctx, file.size);
          if (folder.compression === 'none' || folder.compression === 'mszip') {
            let reader = readers.get(folder);
            if (reader === undefined) {
              reader = new CabFolderReader(bytes, folder);
              readers.set(folder, reader);
            }
            return deliver(ctx, reader.read(file.folderOffset, file.size, cap));
          }
          let pending = external.get(folder);
          if (pending === undefined) {
            pending = expandWithSevenZip(bytes, cab, folder, ctx);
            external.set(folder, pending);
          }
          const data = (await pending).get(file.index);
          if (data === undefined) throw new ParseError('CAB_BAD_DATA', `${path}: 7-Zip did not produce this member (${folder.method})`);
          return deliver(ctx, data);
        }),
    });
  }
  refuseOverlaps(ctx, firstMember, listed);
  return listed;
}

/**
 * [MS-CAB] lays a folder's files end to end; CFFILE entries over one stretch of a folder (5,000 files over one
 * folder) would make a small cabinet cost gigabytes of expanding and hashing. Such members are bombs.
 */
function refuseOverlaps(ctx: ListingContext, firstMember: number, listed: readonly CabFile[]): void {
  const byFolder = new Map<CabFolder, number[]>();
  listed.forEach((file, i) => {
    if (file.folder === undefined || file.problem !== undefined) return;
    const indexes = byFolder.get(file.folder);
    if (indexes === undefined) byFolder.set(file.folder, [i]);
    else indexes.push(i);
  });
  const alreadyBombs = new Set(ctx.findings.flatMap((f) => (f.id === 'ABS-CONTAINER-BOMB' && f.member !== undefined ? [f.member] : [])));
  for (const indexes of byFolder.values()) {
    const ranges = indexes.map((i) => {
      const file = listed[i];
      return file === undefined ? undefined : ([file.folderOffset, file.folderOffset + file.size] as const);
    });
    for (const [k, other] of overlappingRanges(ranges)) {
      const member = ctx.members[firstMember + (indexes[k] ?? -1)];
      const owner = ctx.members[firstMember + (indexes[other] ?? -1)];
      if (member === undefined || owner === undefined || alreadyBombs.has(member.path)) continue;
      finding(ctx, 'ABS-CONTAINER-BOMB', 'error', `zip bomb suspected: member data overlaps the data of ${owner.path} in the same cabinet folder; it is not expanded`, member.path);
      member.read = () => Promise.reject(new ParseError('CAB_BAD_FILE', `${member.path}: its data overlaps another member's (zip bomb)`));
    }
  }
}

/** LZX/Quantum: one 7-Zip run per folder, on a repacked cabinet whose members are named f<index>. */
async function expandWithSevenZip(bytes: Uint8Array, cab: CabCabinet, folder: CabFolder, ctx: ListingContext): Promise<Map<number, Uint8Array>> {
  // 7-Zip may write at most what the folder declares (and what the budget still allows).
  const maxTotalBytes = Math.min(folder.uncompressedSize, ctx.budget.remaining);
  const { cabinet, files } = buildSingleFolderCabinet(bytes, cab, folder);
  const result = await runSevenZip(cabinet, 'Cab', { maxFileBytes: ctx.limits.maxMemberBytes, maxTotalBytes, maxFiles: files.length });
  const out = new Map<number, Uint8Array>();
  for (const extracted of result.files) {
    const match = /^f(\d+)$/.exec(extracted.path);
    const file = match === null ? undefined : cab.files[Number(match[1])];
    if (file === undefined || !extracted.complete || extracted.data.length !== file.size) continue;
    out.set(file.index, extracted.data);
  }
  return out;
}
