/**
 * Builders of hostile archives for the hardening tests (issue 13), written from the format specifications
 * (PKWARE APPNOTE 6.3.10 §4.3 for ZIP, [MS-CAB] §2 for cabinets), independent of Absolve's readers.
 * Small results are committed by scripts/fixtures/build-hostile-fixtures.ts; large ones (a 10,001-member ZIP,
 * the overlap bombs) are built by the tests into a temporary folder.
 */
import { crc32, deflateRawSync } from 'node:zlib';

const enc = new TextEncoder();

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array;
  /** 'deflate' (default) or 'stored'. */
  method?: 'deflate' | 'stored';
}

/** A plain ZIP (no ZIP64): local header + data per entry, then the central directory and its end record. */
export function buildZip(entries: readonly ZipEntrySpec[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const stored = e.method === 'stored';
    const payload = stored ? e.data : new Uint8Array(deflateRawSync(e.data, { level: 9 }));
    const crc = crc32(e.data) >>> 0;
    const local = localHeader(name, stored ? 0 : 8, crc, payload.length, e.data.length);
    locals.push(local, payload);
    centrals.push(centralHeader(name, stored ? 0 : 8, crc, payload.length, e.data.length, offset));
    offset += local.length + payload.length;
  }
  return concat([...locals, ...centrals, endRecord(centrals.length, sum(centrals), offset)]);
}

/**
 * One stored member of `block` bytes, and `entries` central directory entries that all point at its local header
 * (the "overlapping entries" bomb: a 1 MB block listed 5,000 times costs 5 GB of hashing when each is expanded).
 */
export function buildOverlappingZip(block: Uint8Array, entries: number): Uint8Array {
  const crc = crc32(block) >>> 0;
  const local = localHeader(enc.encode('f00000.bin'), 0, crc, block.length, block.length);
  const centrals: Uint8Array[] = [];
  for (let i = 0; i < entries; i++) centrals.push(centralHeader(enc.encode(`f${String(i).padStart(5, '0')}.bin`), 0, crc, block.length, block.length, 0));
  return concat([local, block, ...centrals, endRecord(entries, sum(centrals), local.length + block.length)]);
}

/** `levels` of ZIPs, each holding `fanOut` copies of the level below; the innermost holds `fanOut` small files. */
export function buildFanOutZip(fanOut: number, levels: number): Uint8Array {
  let inner = buildZip(Array.from({ length: fanOut }, (_, i) => ({ name: `leaf-${i}.txt`, data: enc.encode(`leaf ${i}\n`) })));
  for (let level = 1; level < levels; level++) {
    const child = inner;
    inner = buildZip(Array.from({ length: fanOut }, (_, i) => ({ name: `level${levels - level}-${i}.zip`, data: child })));
  }
  return inner;
}

/** `depth` ZIPs nested one in the other, the innermost holding `name` = `payload`. */
export function buildNestedZip(depth: number, name: string, payload: Uint8Array): Uint8Array {
  let bytes = buildZip([{ name, data: payload }]);
  for (let level = depth - 1; level >= 1; level--) bytes = buildZip([{ name: `level-${level}.zip`, data: bytes }]);
  return bytes;
}

function localHeader(name: Uint8Array, method: number, crc: number, compressed: number, size: number): Uint8Array {
  const h = new Uint8Array(30 + name.length);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(6, 0x0800, true); // UTF-8 names
  v.setUint16(8, method, true);
  v.setUint32(14, crc, true);
  v.setUint32(18, compressed, true);
  v.setUint32(22, size, true);
  v.setUint16(26, name.length, true);
  h.set(name, 30);
  return h;
}

function centralHeader(name: Uint8Array, method: number, crc: number, compressed: number, size: number, localOffset: number): Uint8Array {
  const h = new Uint8Array(46 + name.length);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(6, 20, true);
  v.setUint16(8, 0x0800, true);
  v.setUint16(10, method, true);
  v.setUint32(16, crc, true);
  v.setUint32(20, compressed, true);
  v.setUint32(24, size, true);
  v.setUint16(28, name.length, true);
  v.setUint32(42, localOffset, true);
  h.set(name, 46);
  return h;
}

function endRecord(count: number, centralSize: number, centralOffset: number): Uint8Array {
  const h = new Uint8Array(22);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, count, true);
  v.setUint16(10, count, true);
  v.setUint32(12, centralSize, true);
  v.setUint32(16, centralOffset, true);
  return h;
}

// ------------------------------------------------------------------ MS-CAB

export interface CabFileSpec {
  name: string;
  /** Uncompressed size of the file. */
  size: number;
  /** Offset of the file's data in the folder's uncompressed stream. */
  folderOffset: number;
}

/**
 * A cabinet with one folder whose uncompressed stream is `folderData` (stored, or MSZIP: each 32 KiB block is
 * "CK" + raw deflate with the previous block as dictionary, [MS-MCI] §2) and CFFILE entries placed wherever
 * `files` says, overlapping or not ([MS-CAB] §2.1–2.4).
 */
export function buildCabinet(folderData: Uint8Array, files: readonly CabFileSpec[], compression: 'none' | 'mszip'): Uint8Array {
  const BLOCK = 32768;
  const blocks: Uint8Array[] = [];
  const sizes: number[] = [];
  for (let at = 0; at < folderData.length; at += BLOCK) {
    const chunk = folderData.subarray(at, at + BLOCK);
    sizes.push(chunk.length);
    if (compression === 'none') blocks.push(chunk);
    else {
      const dict = folderData.subarray(Math.max(0, at - BLOCK), at);
      const deflated = deflateRawSync(chunk, dict.length > 0 ? { dictionary: dict, level: 9 } : { level: 9 });
      blocks.push(concat([enc.encode('CK'), new Uint8Array(deflated)]));
    }
  }
  if (blocks.length > 0xffff) throw new Error('a folder holds at most 65,535 data blocks');
  const names = files.map((f) => enc.encode(`${f.name}\0`));
  const headerBytes = 36;
  const folderOffset = headerBytes;
  const filesOffset = folderOffset + 8;
  const dataOffset = filesOffset + names.reduce((n, x) => n + 16 + x.length, 0);
  const dataBytes = blocks.reduce((n, b) => n + 8 + b.length, 0);
  const out = new Uint8Array(dataOffset + dataBytes);
  const v = new DataView(out.buffer);
  out.set(enc.encode('MSCF'), 0);
  v.setUint32(8, out.length, true);
  v.setUint32(16, filesOffset, true);
  out[24] = 3;
  out[25] = 1;
  v.setUint16(26, 1, true);
  v.setUint16(28, files.length, true);
  v.setUint32(folderOffset, dataOffset, true);
  v.setUint16(folderOffset + 4, blocks.length, true);
  v.setUint16(folderOffset + 6, compression === 'none' ? 0 : 1, true);
  let at = filesOffset;
  files.forEach((f, i) => {
    v.setUint32(at, f.size, true);
    v.setUint32(at + 4, f.folderOffset, true);
    v.setUint16(at + 8, 0, true);
    v.setUint16(at + 10, 0x5821, true);
    v.setUint16(at + 14, 0x20, true);
    const name = names[i] ?? new Uint8Array(1);
    out.set(name, at + 16);
    at += 16 + name.length;
  });
  blocks.forEach((b, i) => {
    v.setUint32(at, 0, true); // no checksum (0 = not computed, [MS-CAB] §2.5)
    v.setUint16(at + 4, b.length, true);
    v.setUint16(at + 6, sizes[i] ?? 0, true);
    out.set(b, at + 8);
    at += 8 + b.length;
  });
  return out;
}

function sum(parts: readonly Uint8Array[]): number {
  return parts.reduce((n, p) => n + p.length, 0);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(sum(parts));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32): incompressible, reproducible. */
export function noise(length: number, seed = 0x13579bdf): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
