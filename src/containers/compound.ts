/**
 * Compound files: MSI and MSP packages (and any other MS-CFB file, listed stream by stream).
 *
 * MSI: the database tables map every cabinet member (named by its File-table key) to its install path through
 * File → Component → Directory; Media rows say which cabinet holds which files: "#name" is an embedded stream,
 * a bare name is a cabinet file next to the package (reported: `external cabinet: <name>`). Streams that are not
 * tables, cabinets or the `\u0005…` property/signature streams (Binary.*, Icon.*: custom-action DLLs live there)
 * are members too. MSP: the cabinet streams' members are listed under the stream's name; the transforms
 * (sub-storages) are noted.
 */
import { ParseError } from '../binary/index.ts';
import { looksLikeCabinet, parseCabinet } from '../formats/cab/index.ts';
import { readCFB, formatCLSID } from '../formats/cfb/index.ts';
import type { CFBEntry, CFBFile } from '../formats/cfb/index.ts';
import { MSP_CLSID } from '../formats/container/detect.ts';
import type { ContainerKind } from '../formats/container/container.types.ts';
import { sanitizeMemberName, toDisplayPath } from '../formats/container/member-name.ts';
import { decodeMsiStreamName, openMsiDatabase, resolveMsiInstallLayout } from '../formats/msi/index.ts';
import type { MsiFileRecord, MsiInstallLayout } from '../formats/msi/index.ts';
import { addCabMembers } from './cab.ts';
import type { ListingContext } from './common.ts';
import { capExceeded, checkMemberPath, deliver, finding, readCap, roomForMember } from './common.ts';

export interface CompoundResult {
  kind: ContainerKind;
  /** Cabinet files the package expects next to it (Media.Cabinet without '#'). */
  externalCabinets: string[];
}

export function openCompound(bytes: Uint8Array, ctx: ListingContext): CompoundResult {
  const file = readCFB(bytes);
  const decoded = new Map<CFBEntry, { name: string; table: boolean }>();
  for (const child of file.root.children) decoded.set(child, decodeMsiStreamName(child.name));
  const tables = new Map<string, CFBEntry>();
  for (const [entry, d] of decoded) if (d.table && entry.type === 'stream') tables.set(d.name, entry);

  if (!tables.has('_StringPool')) {
    listRawStreams(file, ctx);
    return { kind: 'cfb', externalCabinets: [] };
  }
  const isPatch = formatCLSID(file.root.clsid) === MSP_CLSID || tables.has('MsiPatchSequence') || tables.has('MsiPatchMetadata');
  const db = openMsiDatabase((name) => {
    const entry = name.startsWith('!') ? tables.get(name.slice(1)) : undefined;
    return entry === undefined ? undefined : file.readStream(entry);
  });
  const layout = resolveMsiInstallLayout(db);
  for (const problem of layout.problems) finding(ctx, 'ABS-CONTAINER-BAD-MEMBER', 'warning', `MSI tables: ${problem}`);

  const externalCabinets = [...new Set(layout.media.map((m) => m.externalCabinet).filter((c): c is string => c !== undefined))];
  for (const cabinet of externalCabinets) finding(ctx, 'ABS-CONTAINER-EXTERNAL-CABINET', 'note', `external cabinet: ${sanitizeMemberName(cabinet)}`);
  const uncompressed = layout.files.filter((f) => f.media === undefined || f.media.cabinet === null || f.media.cabinet === '');
  if (uncompressed.length > 0) {
    finding(ctx, 'ABS-CONTAINER-EXTERNAL-FILE', 'note', `${uncompressed.length} file(s) are not in any cabinet (uncompressed source layout next to the package), e.g. ${sanitizeMemberName(uncompressed[0]?.path ?? '')}`);
  }

  const cabinetStreams = new Set(layout.media.map((m) => m.embeddedStream).filter((s): s is string => s !== undefined));
  const seenStreams = new Set<string>();
  for (const [entry, d] of decoded) {
    if (entry.type === 'storage') {
      finding(ctx, 'ABS-CONTAINER-PATCH-TRANSFORM', 'note', `${isPatch ? 'transform' : 'sub-storage'}: ${sanitizeMemberName(d.name)} (not listed)`);
      continue;
    }
    // Tables, and the \u0005SummaryInformation / \u0005DigitalSignature / \u0005MsiDigitalSignatureEx property streams.
    if (d.table || d.name.charCodeAt(0) < 0x20) continue;
    seenStreams.add(d.name);
    // Only cabinets are read while listing (Binary.* streams can be large: they are read on demand).
    if (cabinetStreams.has(d.name) || looksLikeCabinet(file.peekStream(entry, 8))) {
      listCabinetStream(ctx, d.name, file.readStream(entry), layout, cabinetStreams.has(d.name));
      continue;
    }
    const path = toDisplayPath(d.name);
    if (!roomForMember(ctx, undefined, path)) break;
    ctx.members.push({ name: sanitizeMemberName(d.name), path, size: entry.size, method: 'stored', read: () => Promise.resolve().then(() => readStreamMember(ctx, file, entry)) });
  }
  for (const stream of cabinetStreams) {
    if (!seenStreams.has(stream)) finding(ctx, 'ABS-CONTAINER-BAD-MEMBER', 'warning', `Media names the embedded cabinet "#${sanitizeMemberName(stream)}" but the package has no such stream`);
  }
  return { kind: isPatch ? 'msp' : 'msi', externalCabinets };
}

function listCabinetStream(ctx: ListingContext, streamName: string, data: Uint8Array, layout: MsiInstallLayout, referenced: boolean): void {
  let cab;
  try {
    cab = parseCabinet(data);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    // The cabinet holds the files the package installs: unread, they are unaudited code.
    finding(ctx, 'ABS-CONTAINER-BAD-MEMBER', 'error', `embedded cabinet "${sanitizeMemberName(streamName)}" cannot be read (${e.code}: ${e.message}); the files in it were not audited`, toDisplayPath(streamName));
    return;
  }
  const records = new Map<string, MsiFileRecord>();
  for (const record of layout.files) if (record.media?.embeddedStream === streamName) records.set(record.key, record);
  const prefix = toDisplayPath(streamName);
  const listed = addCabMembers(ctx, data, cab, (file) => {
    const record = records.get(file.name);
    if (record !== undefined) {
      checkMemberPath(ctx, record.path, toDisplayPath(record.path));
      return toDisplayPath(record.path);
    }
    const path = `${prefix}/${toDisplayPath(file.name)}`;
    if (referenced) finding(ctx, 'ABS-CONTAINER-UNREFERENCED-MEMBER', 'note', `cabinet member "${sanitizeMemberName(file.name)}" matches no File row; listed under the cabinet's name`, path);
    return path;
  });
  if (listed.length < cab.files.length) return;
  const present = new Set(cab.files.map((f) => f.name));
  for (const record of records.values()) {
    if (!present.has(record.key)) finding(ctx, 'ABS-CONTAINER-BAD-MEMBER', 'warning', `File row "${sanitizeMemberName(record.key)}" should be in cabinet "${sanitizeMemberName(streamName)}" but is not`, toDisplayPath(record.path));
  }
}

/** A compound file that is not an MSI database: every stream is a member, under its storage path. */
function listRawStreams(file: CFBFile, ctx: ListingContext): void {
  for (const entry of file.entries) {
    if (entry.type !== 'stream') continue;
    const path = toDisplayPath(entry.path);
    if (!roomForMember(ctx, undefined, path)) return;
    ctx.members.push({ name: sanitizeMemberName(entry.name), path, size: entry.size, method: 'stored', read: () => Promise.resolve().then(() => readStreamMember(ctx, file, entry)) });
  }
}

/** A stream's bytes, within maxMemberBytes and what is left of the budget (the error names which limit). */
function readStreamMember(ctx: ListingContext, file: CFBFile, entry: CFBFile['entries'][number]): Uint8Array {
  const cap = readCap(ctx);
  if (entry.size > cap) throw capExceeded(ctx, entry.size);
  return deliver(ctx, file.readStream(entry, cap));
}
