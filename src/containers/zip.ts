/**
 * ZIP through yauzl (random access over the central directory, ZIP64, size validation), in memory.
 *
 * - `decodeStrings: false`: yauzl would reject the whole archive on the first unsafe name; we decode names
 *   ourselves (formats/zip) and report unsafe ones (memberPathProblem, with yauzl.validateFileName as a second
 *   opinion) as findings, keeping them for display only.
 * - `validateEntrySizes: true`: a member that inflates past its declared size errors out; in addition every read
 *   has a running byte counter (maxMemberBytes and the shared budget) and stops the inflate stream at the cap.
 * - The CRC-32 of every expanded member is checked.
 * Only stored and deflate are expanded; other methods and encrypted members are reported.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { ByteView, LimitExceededError, ParseError } from '../binary/index.ts';
import { toDisplayPath, sanitizeMemberName } from '../formats/container/member-name.ts';
import { decodeZipName, isSupportedZipMethod, zipMethodName } from '../formats/zip/index.ts';
import type { ListingContext } from './common.ts';
import { capExceeded, checkBomb, checkMemberPath, finding, overlappingRanges, readCap, roomForMember } from './common.ts';

export type ZipErrorCode = 'ZIP_TRUNCATED' | 'ZIP_BAD_ARCHIVE' | 'ZIP_BAD_MEMBER' | 'ZIP_BAD_CRC' | 'ZIP_ENCRYPTED' | 'ZIP_UNSUPPORTED_METHOD';

const INFO_ZIP_UNICODE_PATH = 0x7075;

function zipError(e: unknown): ParseError {
  if (e instanceof ParseError) return e as ParseError;
  const message = e instanceof Error ? e.message : String(e);
  // yauzl's messages for an archive whose end is missing or whose offsets point past the end.
  const truncated = /end of central directory record signature not found|unexpected EOF|past the end|not enough bytes|truncated/i.test(message);
  return new ParseError<ZipErrorCode>(truncated ? 'ZIP_TRUNCATED' : 'ZIP_BAD_ARCHIVE', `ZIP: ${message}`, { cause: e });
}

export async function openZip(bytes: Uint8Array, ctx: ListingContext): Promise<void> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (e) {
    throw zipError(e);
  }
  const ranges: Array<readonly [number, number] | undefined> = [];
  const firstMember = ctx.members.length;
  await new Promise<void>((resolve, reject) => {
    let stopped = false;
    zip.on('error', (e: unknown) => {
      stopped = true;
      reject(zipError(e));
    });
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      if (stopped) return;
      try {
        if (!addEntry(zip, entry, ctx, bytes, ranges)) {
          stopped = true;
          resolve();
          return;
        }
      } catch (e) {
        stopped = true;
        reject(zipError(e));
        return;
      }
      zip.readEntry();
    });
    zip.readEntry();
  });
  refuseOverlaps(ctx, firstMember, ranges);
}

/**
 * APPNOTE has every entry own its local header and data; central entries pointing into one block (5,000 entries
 * over one 1 MB member) would make a 1 MB file cost gigabytes of expanding and hashing. Such members are bombs.
 */
function refuseOverlaps(ctx: ListingContext, firstMember: number, ranges: ReadonlyArray<readonly [number, number] | undefined>): void {
  const alreadyBombs = new Set(ctx.findings.flatMap((f) => (f.id === 'ABS-CONTAINER-BOMB' && f.member !== undefined ? [f.member] : [])));
  for (const [index, other] of overlappingRanges(ranges)) {
    const member = ctx.members[firstMember + index];
    const owner = ctx.members[firstMember + other];
    if (member === undefined || owner === undefined || alreadyBombs.has(member.path)) continue;
    const [start, end] = ranges[index] ?? [0, 0];
    finding(ctx, 'ABS-CONTAINER-BOMB', 'error', `zip bomb suspected: member data (bytes ${start}-${end}) overlaps the data of ${owner.path}; it is not expanded`, member.path);
    member.read = () => Promise.reject(new ParseError<ZipErrorCode>('ZIP_BAD_MEMBER', `${member.path}: its data overlaps another member's (zip bomb)`));
  }
}

/** [local header, end of data) of an entry, from its local header (APPNOTE 4.3.7); undefined when unreadable. */
function entryRange(bytes: Uint8Array, entry: Entry): readonly [number, number] | undefined {
  const header = entry.relativeOffsetOfLocalHeader;
  if (header + LOCAL_FILE_HEADER_BYTES > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(header, true) !== LOCAL_FILE_HEADER_SIGNATURE) return undefined;
  const dataStart = header + LOCAL_FILE_HEADER_BYTES + view.getUint16(header + 26, true) + view.getUint16(header + 28, true);
  return [header, dataStart + entry.compressedSize];
}

/** Returns false when the listing is full. */
function addEntry(zip: ZipFile, entry: Entry, ctx: ListingContext, bytes: Uint8Array, ranges: Array<readonly [number, number] | undefined>): boolean {
  const rawName = entry.fileNameRaw;
  const unicodePath = entry.extraFields.find((f) => f.id === INFO_ZIP_UNICODE_PATH)?.data;
  const stored = decodeZipName(rawName, entry.generalPurposeBitFlag, unicodePath);
  const path = toDisplayPath(stored);
  const isDirectory = stored.endsWith('/') || stored.endsWith('\\');
  const traversal = checkMemberPath(ctx, stored, path);
  if (!traversal) {
    // yauzl's own rule set (backslashes aside, which Windows zippers write legitimately) as a second opinion.
    const yauzlSays = yauzl.validateFileName(stored.replace(/\\/g, '/'));
    if (yauzlSays !== null) finding(ctx, 'ABS-CONTAINER-PATH-TRAVERSAL', 'error', `member name "${sanitizeMemberName(stored)}": ${yauzlSays}; it is shown, never used as a path`, path);
  }
  if (isDirectory) return true;
  if (!roomForMember(ctx, zip.entryCount, path)) return false;

  const method = entry.compressionMethod;
  const encrypted = entry.isEncrypted();
  let refusal: (() => Promise<never>) | undefined;
  if (encrypted) {
    finding(ctx, 'ABS-CONTAINER-ENCRYPTED', 'warning', `member is encrypted (${zipMethodName(method)}); it cannot be audited`, path);
    refusal = () => Promise.reject(new ParseError<ZipErrorCode>('ZIP_ENCRYPTED', `${path}: encrypted member`));
  } else if (!isSupportedZipMethod(method)) {
    finding(ctx, 'ABS-CONTAINER-UNSUPPORTED-METHOD', 'warning', `member uses compression method ${method} (${zipMethodName(method)}), which is not expanded`, path);
    refusal = () => Promise.reject(new ParseError<ZipErrorCode>('ZIP_UNSUPPORTED_METHOD', `${path}: compression method ${zipMethodName(method)} is not supported`));
  } else {
    const bomb = checkBomb(ctx, path, entry.uncompressedSize, method === 0 ? undefined : entry.compressedSize);
    if (bomb !== undefined) refusal = () => Promise.reject(new LimitExceededError('member size (maxMemberBytes / maxCompressionRatio)', entry.uncompressedSize, ctx.limits.maxMemberBytes));
  }
  ranges.push(entryRange(bytes, entry));
  ctx.members.push({
    name: sanitizeMemberName(stored),
    path,
    size: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    method: zipMethodName(method),
    ...(encrypted ? { encrypted: true } : {}),
    read: refusal ?? (() => readEntry(zip, entry, path, ctx, bytes)),
  });
  return true;
}

/**
 * Members up to this size are expanded synchronously straight from the archive bytes: a release ZIP holds
 * thousands of small binaries, and a stream per member costs a thread-pool round trip per chunk.
 */
const SYNC_EXPAND_MAX_BYTES = 16 * 1024 * 1024;
const LOCAL_FILE_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_FILE_HEADER_BYTES = 30;

/**
 * APPNOTE 4.3.7: the local file header (30 bytes + name + extra) precedes the member's data. Sizes come
 * from the central directory (yauzl's entry, ZIP64-aware), the data offset from the local header.
 */
function expandSmallEntry(bytes: Uint8Array, entry: Entry, path: string, cap: number): Uint8Array {
  const view = new ByteView(bytes, 'ZIP_BAD_MEMBER');
  const header = entry.relativeOffsetOfLocalHeader;
  if (view.u32(header, 'local file header') !== LOCAL_FILE_HEADER_SIGNATURE) throw new ParseError<ZipErrorCode>('ZIP_BAD_MEMBER', `${path}: no local file header at offset ${header}`);
  const dataStart = header + LOCAL_FILE_HEADER_BYTES + view.u16(header + 26, 'file name length') + view.u16(header + 28, 'extra field length');
  const raw = view.slice(dataStart, entry.compressedSize, 'member data');
  let data: Uint8Array;
  if (entry.compressionMethod === 0) {
    data = raw;
  } else {
    try {
      // maxOutputLength stops a member that lies about its size while inflating, not after.
      data = inflateRawSync(raw, { maxOutputLength: Math.min(cap, entry.uncompressedSize) + 1 });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new LimitExceededError('member size (declared uncompressed size)', entry.uncompressedSize + 1, entry.uncompressedSize);
      throw new ParseError<ZipErrorCode>('ZIP_BAD_MEMBER', `${path}: ${(e as Error).message}`, { cause: e });
    }
  }
  if (data.length !== entry.uncompressedSize) throw new ParseError<ZipErrorCode>('ZIP_BAD_MEMBER', `${path}: expanded to ${data.length} bytes, the archive says ${entry.uncompressedSize}`);
  if (crc32(data) >>> 0 !== entry.crc32 >>> 0) throw new ParseError<ZipErrorCode>('ZIP_BAD_CRC', `${path}: CRC-32 mismatch (data is corrupt)`);
  return data;
}

function readEntry(zip: ZipFile, entry: Entry, path: string, ctx: ListingContext, bytes: Uint8Array): Promise<Uint8Array> {
  const cap = readCap(ctx);
  if (entry.uncompressedSize > cap) {
    return Promise.reject(capExceeded(ctx, entry.uncompressedSize));
  }
  if (entry.uncompressedSize <= SYNC_EXPAND_MAX_BYTES && (entry.compressionMethod === 0 || entry.compressionMethod === 8)) {
    try {
      const data = expandSmallEntry(bytes, entry, path, cap);
      ctx.budget.take(data.length);
      return Promise.resolve(data);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err !== null) {
        reject(new ParseError<ZipErrorCode>('ZIP_BAD_MEMBER', `${path}: ${err.message}`, { cause: err }));
        return;
      }
      const chunks: Buffer[] = [];
      let produced = 0;
      let settled = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        stream.destroy();
        reject(e);
      };
      stream.on('data', (chunk: Buffer) => {
        produced += chunk.length;
        // The running counter: a member that lies about its size is stopped here, not after inflating it all.
        if (produced > cap) {
          fail(capExceeded(ctx, produced));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (e: Error) => fail(new ParseError<ZipErrorCode>('ZIP_BAD_MEMBER', `${path}: ${e.message}`, { cause: e })));
      stream.on('end', () => {
        if (settled) return;
        const data = Buffer.concat(chunks, produced);
        if (crc32(data) >>> 0 !== entry.crc32 >>> 0) {
          fail(new ParseError<ZipErrorCode>('ZIP_BAD_CRC', `${path}: CRC-32 mismatch (data is corrupt)`));
          return;
        }
        try {
          ctx.budget.take(data.length);
        } catch (e) {
          fail(e as Error);
          return;
        }
        settled = true;
        resolve(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
    });
  });
}
