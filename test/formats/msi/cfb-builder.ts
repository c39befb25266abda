/**
 * Minimal MS-CFB (compound file) writer for tests and fixtures: version 3 (512-byte sectors), mini stream for
 * streams under 4096 bytes, balanced sibling trees (all black), header DIFAT only (files up to ~7 MiB).
 * [MS-CFB] sections 2.2 (header), 2.3–2.5 (FAT, mini FAT, DIFAT), 2.6 (directory entries).
 *
 * `corrupt` hooks let tests damage the output (cycles, bad sizes) after layout.
 */

export interface CFBNodeSpec {
  name: string;
  /** Present → stream; absent → storage. */
  content?: Uint8Array;
  children?: CFBNodeSpec[];
  clsid?: Uint8Array;
  stateBits?: number;
  /** Raw FILETIMEs (100 ns since 1601) as bigint. */
  creationTime?: bigint;
  modifiedTime?: bigint;
}

const SECTOR = 512;
const MINI = 64;
const CUTOFF = 4096;
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
const NOSTREAM = 0xffffffff;

interface Flat {
  spec: CFBNodeSpec;
  type: 1 | 2 | 5;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/** [MS-CFB] 2.6.4: shorter names sort first, then by upper-cased UTF-16 code units. */
export function compareCFBNames(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

export function guidBytes(guid: string): Uint8Array {
  // {00000000-0000-0000-0000-000000000000}: first three groups little-endian, the rest as written.
  const hex = guid.replace(/[{}-]/g, '');
  const b = Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
  const out = new Uint8Array(16);
  out.set([b[3] ?? 0, b[2] ?? 0, b[1] ?? 0, b[0] ?? 0, b[5] ?? 0, b[4] ?? 0, b[7] ?? 0, b[6] ?? 0], 0);
  out.set(b.subarray(8, 16), 8);
  return out;
}

export const MSI_CLSID = '{000C1084-0000-0000-C000-000000000046}';
export const MSP_CLSID = '{000C1086-0000-0000-C000-000000000046}';
export const MST_CLSID = '{000C1082-0000-0000-C000-000000000046}';

export function buildCFB(root: { clsid?: Uint8Array; children: CFBNodeSpec[]; modifiedTime?: bigint }, corrupt?: (file: Uint8Array, layout: { directoryStart: number; fatStart: number; entries: number }) => void): Uint8Array {
  const flat: Flat[] = [];
  const add = (spec: CFBNodeSpec, type: 1 | 2 | 5): number => {
    flat.push({ spec, type, left: NOSTREAM, right: NOSTREAM, child: NOSTREAM, start: 0, size: 0 });
    return flat.length - 1;
  };
  const rootIndex = add({ name: 'Root Entry', children: root.children, clsid: root.clsid, modifiedTime: root.modifiedTime }, 5);
  const placeChildren = (parent: number): void => {
    const kids = [...(flat[parent]?.spec.children ?? [])].sort((a, b) => compareCFBNames(a.name, b.name));
    const ids = kids.map((k) => add(k, k.content === undefined ? 1 : 2));
    const balance = (lo: number, hi: number): number => {
      if (lo > hi) return NOSTREAM;
      const mid = (lo + hi) >> 1;
      const id = ids[mid] as number;
      const node = flat[id] as Flat;
      node.left = balance(lo, mid - 1);
      node.right = balance(mid + 1, hi);
      return id;
    };
    (flat[parent] as Flat).child = balance(0, ids.length - 1);
    for (const id of ids) if ((flat[id] as Flat).type === 1) placeChildren(id);
  };
  placeChildren(rootIndex);

  // --- data layout ---
  const big: Array<{ id: number; data: Uint8Array }> = [];
  const mini: Array<{ id: number; data: Uint8Array }> = [];
  for (let i = 0; i < flat.length; i++) {
    const f = flat[i] as Flat;
    if (f.type !== 2) continue;
    const data = f.spec.content ?? new Uint8Array(0);
    f.size = data.length;
    if (data.length >= CUTOFF) big.push({ id: i, data });
    else mini.push({ id: i, data });
  }
  const sectorsFor = (n: number, size: number): number => Math.ceil(n / size);
  const fatChains: Array<[number, number]> = []; // [start, count] of consecutive chains
  let next = 0;
  for (const b of big) {
    const n = sectorsFor(b.data.length, SECTOR);
    (flat[b.id] as Flat).start = n === 0 ? ENDOFCHAIN : next;
    fatChains.push([next, n]);
    next += n;
  }
  // mini stream
  let miniPos = 0;
  const miniChains: Array<[number, number]> = [];
  for (const m of mini) {
    const n = sectorsFor(m.data.length, MINI);
    (flat[m.id] as Flat).start = n === 0 ? ENDOFCHAIN : miniPos;
    if (n > 0) miniChains.push([miniPos, n]);
    miniPos += n;
  }
  const miniStreamBytes = miniPos * MINI;
  const miniStreamSectors = sectorsFor(miniStreamBytes, SECTOR);
  const miniStreamStart = next;
  if (miniStreamSectors > 0) fatChains.push([next, miniStreamSectors]);
  next += miniStreamSectors;
  const miniFatSectors = sectorsFor(miniPos * 4, SECTOR);
  const miniFatStart = next;
  if (miniFatSectors > 0) fatChains.push([next, miniFatSectors]);
  next += miniFatSectors;
  const dirSectors = sectorsFor(flat.length * 128, SECTOR);
  const dirStart = next;
  fatChains.push([next, dirSectors]);
  next += dirSectors;
  let fatSectors = 1;
  while (sectorsFor(next + fatSectors, SECTOR / 4) > fatSectors) fatSectors++;
  if (fatSectors > 109) throw new Error('buildCFB: file too large for a header-only DIFAT');
  const fatStart = next;
  const totalSectors = next + fatSectors;

  const root0 = flat[rootIndex] as Flat;
  root0.start = miniStreamSectors > 0 ? miniStreamStart : ENDOFCHAIN;
  root0.size = miniStreamBytes;

  const file = new Uint8Array(SECTOR * (1 + totalSectors));
  const dv = new DataView(file.buffer);
  const sectorOffset = (s: number): number => SECTOR * (1 + s);
  // header
  file.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  dv.setUint16(0x18, 0x3e, true);
  dv.setUint16(0x1a, 3, true);
  dv.setUint16(0x1c, 0xfffe, true);
  dv.setUint16(0x1e, 9, true);
  dv.setUint16(0x20, 6, true);
  dv.setUint32(0x2c, fatSectors, true);
  dv.setUint32(0x30, dirStart, true);
  dv.setUint32(0x38, CUTOFF, true);
  dv.setUint32(0x3c, miniFatSectors > 0 ? miniFatStart : ENDOFCHAIN, true);
  dv.setUint32(0x40, miniFatSectors, true);
  dv.setUint32(0x44, ENDOFCHAIN, true);
  dv.setUint32(0x48, 0, true);
  for (let i = 0; i < 109; i++) dv.setUint32(0x4c + i * 4, i < fatSectors ? fatStart + i : FREESECT, true);
  // FAT
  const fat = new Uint32Array(fatSectors * (SECTOR / 4)).fill(FREESECT);
  for (const [start, count] of fatChains) for (let i = 0; i < count; i++) fat[start + i] = i === count - 1 ? ENDOFCHAIN : start + i + 1;
  for (let i = 0; i < fatSectors; i++) fat[fatStart + i] = FATSECT;
  for (let i = 0; i < fat.length; i++) dv.setUint32(sectorOffset(fatStart) + i * 4, fat[i] as number, true);
  // mini FAT
  const miniFat = new Uint32Array(miniFatSectors * (SECTOR / 4)).fill(FREESECT);
  for (const [start, count] of miniChains) for (let i = 0; i < count; i++) miniFat[start + i] = i === count - 1 ? ENDOFCHAIN : start + i + 1;
  for (let i = 0; i < miniFat.length; i++) dv.setUint32(sectorOffset(miniFatStart) + i * 4, miniFat[i] as number, true);
  // data
  for (const b of big) file.set(b.data, sectorOffset((flat[b.id] as Flat).start));
  for (const m of mini) if (m.data.length > 0) file.set(m.data, sectorOffset(miniStreamStart) + (flat[m.id] as Flat).start * MINI);
  // directory
  const dirBase = sectorOffset(dirStart);
  for (let i = 0; i < dirSectors * 4; i++) {
    const at = dirBase + i * 128;
    const f = flat[i];
    if (f === undefined) {
      dv.setUint32(at + 0x44, NOSTREAM, true);
      dv.setUint32(at + 0x48, NOSTREAM, true);
      dv.setUint32(at + 0x4c, NOSTREAM, true);
      continue;
    }
    const name = f.spec.name;
    if (name.length > 31) throw new Error(`buildCFB: name too long: ${name}`);
    for (let c = 0; c < name.length; c++) dv.setUint16(at + c * 2, name.charCodeAt(c), true);
    dv.setUint16(at + 0x40, (name.length + 1) * 2, true);
    file[at + 0x42] = f.type;
    file[at + 0x43] = 1; // black
    dv.setUint32(at + 0x44, f.left, true);
    dv.setUint32(at + 0x48, f.right, true);
    dv.setUint32(at + 0x4c, f.child, true);
    if (f.spec.clsid !== undefined) file.set(f.spec.clsid, at + 0x50);
    dv.setUint32(at + 0x60, f.spec.stateBits ?? 0, true);
    if (f.type !== 5) dv.setBigUint64(at + 0x64, f.spec.creationTime ?? 0n, true);
    dv.setBigUint64(at + 0x6c, f.spec.modifiedTime ?? 0n, true);
    dv.setUint32(at + 0x74, f.type === 1 ? 0 : f.start, true);
    dv.setUint32(at + 0x78, f.type === 1 ? 0 : f.size, true);
  }
  corrupt?.(file, { directoryStart: dirStart, fatStart, entries: flat.length });
  return file;
}
