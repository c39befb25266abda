/**
 * Minimal MS-CAB writer for tests: one or more folders, compression none or MSZIP (each 32 KiB block is "CK" +
 * raw deflate with the previous output as dictionary), optional reserve areas and set names. Field layout per
 * [MS-CAB]; independent of the reader (offsets are computed here, not imported).
 */
import { deflateRawSync } from 'node:zlib';

export interface CabBuilderFile {
  name: string;
  data: Uint8Array;
  folder?: number;
  attributes?: number;
  /** Override iFolder (e.g. 0xFFFD for a continued file). */
  iFolder?: number;
}
export interface CabBuilderOptions {
  compression?: 'none' | 'mszip';
  folders?: number;
  headerReserve?: Uint8Array;
  folderReserveSize?: number;
  dataReserveSize?: number;
  previous?: [string, string];
  next?: [string, string];
  blockSize?: number;
}

const enc = new TextEncoder();

export function buildCab(files: CabBuilderFile[], options: CabBuilderOptions = {}): Uint8Array {
  const compression = options.compression ?? 'none';
  const folderCount = options.folders ?? 1;
  const blockSize = options.blockSize ?? 32768;
  const reserve = options.headerReserve !== undefined || (options.folderReserveSize ?? 0) > 0 || (options.dataReserveSize ?? 0) > 0;
  const names: Uint8Array[] = [];
  if (options.previous !== undefined) names.push(enc.encode(`${options.previous[0]}\0`), enc.encode(`${options.previous[1]}\0`));
  if (options.next !== undefined) names.push(enc.encode(`${options.next[0]}\0`), enc.encode(`${options.next[1]}\0`));
  const headerReserve = options.headerReserve ?? new Uint8Array(0);
  const fr = options.folderReserveSize ?? 0;
  const dr = options.dataReserveSize ?? 0;

  // Folder data, compressed block by block.
  const folderBlocks: Array<Array<{ payload: Uint8Array; uncompressed: number }>> = [];
  const offsetsInFolder: number[] = [];
  for (let f = 0; f < folderCount; f++) {
    const members = files.filter((x) => (x.folder ?? 0) === f);
    let total = 0;
    for (const m of members) {
      offsetsInFolder[files.indexOf(m)] = total;
      total += m.data.length;
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const m of members) {
      all.set(m.data, at);
      at += m.data.length;
    }
    const blocks: Array<{ payload: Uint8Array; uncompressed: number }> = [];
    for (let i = 0; i < all.length; i += blockSize) {
      const chunk = all.subarray(i, i + blockSize);
      if (compression === 'none') blocks.push({ payload: chunk, uncompressed: chunk.length });
      else {
        const dict = all.subarray(Math.max(0, i - 32768), i);
        const deflated = deflateRawSync(chunk, dict.length > 0 ? { dictionary: dict } : {});
        const payload = new Uint8Array(2 + deflated.length);
        payload.set([0x43, 0x4b]);
        payload.set(deflated, 2);
        blocks.push({ payload, uncompressed: chunk.length });
      }
    }
    folderBlocks.push(blocks);
  }

  const headerSize = 36 + (reserve ? 4 + headerReserve.length : 0) + names.reduce((n, x) => n + x.length, 0);
  const foldersOffset = headerSize;
  const filesOffset = foldersOffset + folderCount * (8 + fr);
  const fileEntries = files.map((f) => enc.encode(`${f.name}\0`));
  let dataOffset = filesOffset + fileEntries.reduce((n, x) => n + 16 + x.length, 0);
  const folderDataOffsets: number[] = [];
  for (const blocks of folderBlocks) {
    folderDataOffsets.push(dataOffset);
    dataOffset += blocks.reduce((n, b) => n + 8 + dr + b.payload.length, 0);
  }
  const out = new Uint8Array(dataOffset);
  const dv = new DataView(out.buffer);
  out.set(enc.encode('MSCF'), 0);
  dv.setUint32(8, out.length, true);
  dv.setUint32(16, filesOffset, true);
  out[24] = 3;
  out[25] = 1;
  dv.setUint16(26, folderCount, true);
  dv.setUint16(28, files.length, true);
  dv.setUint16(30, (options.previous ? 1 : 0) | (options.next ? 2 : 0) | (reserve ? 4 : 0), true);
  dv.setUint16(32, 0x4242, true);
  let at = 36;
  if (reserve) {
    dv.setUint16(36, headerReserve.length, true);
    out[38] = fr;
    out[39] = dr;
    out.set(headerReserve, 40);
    at = 40 + headerReserve.length;
  }
  for (const n of names) {
    out.set(n, at);
    at += n.length;
  }
  folderBlocks.forEach((blocks, f) => {
    const o = foldersOffset + f * (8 + fr);
    dv.setUint32(o, folderDataOffsets[f] ?? 0, true);
    dv.setUint16(o + 4, blocks.length, true);
    dv.setUint16(o + 6, compression === 'none' ? 0 : 1, true);
  });
  at = filesOffset;
  files.forEach((f, i) => {
    dv.setUint32(at, f.data.length, true);
    dv.setUint32(at + 4, offsetsInFolder[i] ?? 0, true);
    dv.setUint16(at + 8, f.iFolder ?? f.folder ?? 0, true);
    dv.setUint16(at + 10, 0x5821, true);
    dv.setUint16(at + 14, f.attributes ?? 0x20, true);
    const name = fileEntries[i] ?? new Uint8Array(1);
    out.set(name, at + 16);
    at += 16 + name.length;
  });
  folderBlocks.forEach((blocks, f) => {
    let o = folderDataOffsets[f] ?? 0;
    for (const b of blocks) {
      dv.setUint16(o + 4, b.payload.length, true);
      dv.setUint16(o + 6, b.uncompressed, true);
      out.set(b.payload, o + 8 + dr);
      o += 8 + dr + b.payload.length;
    }
  });
  return out;
}
