/**
 * Test-only byte builder for synthetic PE images. Field offsets are computed here from the PE/COFF
 * specification's field lists (name, size) — independently of the constants in src/formats/pe — so the
 * table-driven tests cross-check the parser's offsets against the spec rather than against themselves.
 */

/** [PECOFF] "MS-DOS Stub" (IMAGE_DOS_HEADER, winnt.h). */
export const DOS_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ['e_magic', 2], ['e_cblp', 2], ['e_cp', 2], ['e_crlc', 2], ['e_cparhdr', 2], ['e_minalloc', 2], ['e_maxalloc', 2],
  ['e_ss', 2], ['e_sp', 2], ['e_csum', 2], ['e_ip', 2], ['e_cs', 2], ['e_lfarlc', 2], ['e_ovno', 2], ['e_res', 8],
  ['e_oemid', 2], ['e_oeminfo', 2], ['e_res2', 20], ['e_lfanew', 4],
];
/** [PECOFF] "COFF File Header (Object and Image)". */
export const COFF_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ['Machine', 2], ['NumberOfSections', 2], ['TimeDateStamp', 4], ['PointerToSymbolTable', 4], ['NumberOfSymbols', 4],
  ['SizeOfOptionalHeader', 2], ['Characteristics', 2],
];
/** [PECOFF] "Optional Header Standard Fields" + "Optional Header Windows-Specific Fields". */
export function optionalFields(bits: 32 | 64): ReadonlyArray<readonly [string, number]> {
  const w = bits === 64 ? 8 : 4;
  return [
    ['Magic', 2], ['MajorLinkerVersion', 1], ['MinorLinkerVersion', 1], ['SizeOfCode', 4], ['SizeOfInitializedData', 4],
    ['SizeOfUninitializedData', 4], ['AddressOfEntryPoint', 4], ['BaseOfCode', 4], ...(bits === 32 ? [['BaseOfData', 4] as const] : []),
    ['ImageBase', w], ['SectionAlignment', 4], ['FileAlignment', 4], ['MajorOperatingSystemVersion', 2],
    ['MinorOperatingSystemVersion', 2], ['MajorImageVersion', 2], ['MinorImageVersion', 2], ['MajorSubsystemVersion', 2],
    ['MinorSubsystemVersion', 2], ['Win32VersionValue', 4], ['SizeOfImage', 4], ['SizeOfHeaders', 4], ['CheckSum', 4],
    ['Subsystem', 2], ['DllCharacteristics', 2], ['SizeOfStackReserve', w], ['SizeOfStackCommit', w],
    ['SizeOfHeapReserve', w], ['SizeOfHeapCommit', w], ['LoaderFlags', 4], ['NumberOfRvaAndSizes', 4],
  ];
}
/** [PECOFF] "Section Table (Section Headers)". */
export const SECTION_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ['Name', 8], ['VirtualSize', 4], ['VirtualAddress', 4], ['SizeOfRawData', 4], ['PointerToRawData', 4],
  ['PointerToRelocations', 4], ['PointerToLinenumbers', 4], ['NumberOfRelocations', 2], ['NumberOfLinenumbers', 2],
  ['Characteristics', 4],
];

/** Offsets (and total size) computed by summing the field sizes in order. */
export function layout(fields: ReadonlyArray<readonly [string, number]>): { offsets: Record<string, number>; size: number } {
  const offsets: Record<string, number> = {};
  let at = 0;
  for (const [name, size] of fields) {
    offsets[name] = at;
    at += size;
  }
  return { offsets, size: at };
}

export function off(fields: { offsets: Record<string, number> }, name: string): number {
  const v = fields.offsets[name];
  if (v === undefined) throw new Error(`no field ${name}`);
  return v;
}

export interface SectionSpec {
  name: string;
  /** Raw data; or a function of the section's RVA (to build tables that point into themselves). */
  data?: Uint8Array | ((rva: number) => Uint8Array);
  virtualSize?: number;
  characteristics?: number;
}

export interface BuildOptions {
  bits?: 32 | 64;
  eLfanew?: number;
  machine?: number;
  characteristics?: number;
  subsystem?: number;
  numberOfRvaAndSizes?: number;
  sections?: SectionSpec[];
  /** [index, virtualAddress, size]; a function receives the section RVAs by name. */
  directories?: Array<[number, number, number]> | ((rvas: Record<string, number>) => Array<[number, number, number]>);
  /** Bytes appended after the last section (overlay). */
  overlay?: Uint8Array;
  /** Long names: stored as "/N" with a COFF string table (PointerToSymbolTable, NumberOfSymbols = 0) after the overlay. */
  longNames?: boolean;
}

export interface BuiltPE {
  bytes: Uint8Array;
  peHeaderOffset: number;
  coffOffset: number;
  optionalHeaderOffset: number;
  sectionTableOffset: number;
  dataDirectoriesOffset: number;
  sectionRvas: Record<string, number>;
  sectionOffsets: Record<string, number>;
}

export const FILE_ALIGNMENT = 0x200;
export const SECTION_ALIGNMENT = 0x1000;
const align = (n: number, a: number): number => Math.ceil(n / a) * a;

export function buildPE(options: BuildOptions = {}): BuiltPE {
  const bits = options.bits ?? 64;
  const dos = layout(DOS_FIELDS);
  const coff = layout(COFF_FIELDS);
  const opt = layout(optionalFields(bits));
  const sec = layout(SECTION_FIELDS);
  const eLfanew = options.eLfanew ?? 0x80;
  const specs = options.sections ?? [{ name: '.text', data: new Uint8Array([0xc3]), characteristics: 0x60000020 }];
  const dirCount = options.numberOfRvaAndSizes ?? 16;
  const sizeOfOptionalHeader = opt.size + 8 * dirCount;
  const coffOffset = eLfanew + 4;
  const optionalHeaderOffset = coffOffset + coff.size;
  const sectionTableOffset = optionalHeaderOffset + sizeOfOptionalHeader;
  const sizeOfHeaders = align(sectionTableOffset + sec.size * specs.length, FILE_ALIGNMENT);

  // Lay out the sections: RVAs from 0x1000, raw data after the headers.
  const sectionRvas: Record<string, number> = {};
  const sectionOffsets: Record<string, number> = {};
  const datas: Uint8Array[] = [];
  let rva = SECTION_ALIGNMENT;
  let fileAt = sizeOfHeaders;
  const headers: Array<{ name: string; va: number; vsize: number; raw: number; rawSize: number; ch: number }> = [];
  for (const s of specs) {
    const data = typeof s.data === 'function' ? s.data(rva) : (s.data ?? new Uint8Array(0));
    const rawSize = align(data.length, FILE_ALIGNMENT);
    sectionRvas[s.name] = rva;
    sectionOffsets[s.name] = rawSize === 0 ? 0 : fileAt;
    headers.push({ name: s.name, va: rva, vsize: s.virtualSize ?? Math.max(data.length, 1), raw: rawSize === 0 ? 0 : fileAt, rawSize, ch: s.characteristics ?? 0x40000040 });
    datas.push(data);
    fileAt += rawSize;
    rva += align(Math.max(s.virtualSize ?? data.length, 1), SECTION_ALIGNMENT);
  }
  const sizeOfImage = rva;
  const overlay = options.overlay ?? new Uint8Array(0);
  const imageEnd = fileAt;
  // COFF string table: 4-byte size then NUL-terminated names.
  const longNameBytes: number[] = [];
  const longNameOffsets: Record<string, number> = {};
  if (options.longNames === true) {
    for (const h of headers) {
      if (h.name.length > 8) {
        longNameOffsets[h.name] = 4 + longNameBytes.length;
        for (const ch of new TextEncoder().encode(h.name)) longNameBytes.push(ch);
        longNameBytes.push(0);
      }
    }
  }
  const stringTableOffset = imageEnd + overlay.length;
  const stringTableSize = options.longNames === true ? 4 + longNameBytes.length : 0;
  const total = stringTableOffset + stringTableSize;
  const bytes = new Uint8Array(total);
  const dv = new DataView(bytes.buffer);

  // DOS header + stub-less body.
  dv.setUint16(off(dos, 'e_magic'), 0x5a4d, true);
  dv.setUint32(off(dos, 'e_lfanew'), eLfanew, true);
  // "PE\0\0"
  bytes.set([0x50, 0x45, 0, 0], eLfanew);
  // COFF header.
  const c = (name: string): number => coffOffset + off(coff, name);
  dv.setUint16(c('Machine'), options.machine ?? (bits === 64 ? 0x8664 : 0x14c), true);
  dv.setUint16(c('NumberOfSections'), headers.length, true);
  dv.setUint32(c('TimeDateStamp'), 0x5f000000, true);
  if (options.longNames === true) dv.setUint32(c('PointerToSymbolTable'), stringTableOffset, true);
  dv.setUint16(c('SizeOfOptionalHeader'), sizeOfOptionalHeader, true);
  dv.setUint16(c('Characteristics'), options.characteristics ?? 0x0022, true);
  // Optional header.
  const o = (name: string): number => optionalHeaderOffset + off(opt, name);
  dv.setUint16(o('Magic'), bits === 64 ? 0x20b : 0x10b, true);
  dv.setUint8(o('MajorLinkerVersion'), 14);
  dv.setUint8(o('MinorLinkerVersion'), 29);
  dv.setUint32(o('AddressOfEntryPoint'), SECTION_ALIGNMENT, true);
  if (bits === 64) dv.setBigUint64(o('ImageBase'), 0x140000000n, true);
  else dv.setUint32(o('ImageBase'), 0x400000, true);
  dv.setUint32(o('SectionAlignment'), SECTION_ALIGNMENT, true);
  dv.setUint32(o('FileAlignment'), FILE_ALIGNMENT, true);
  dv.setUint32(o('SizeOfImage'), sizeOfImage, true);
  dv.setUint32(o('SizeOfHeaders'), sizeOfHeaders, true);
  dv.setUint16(o('Subsystem'), options.subsystem ?? 3, true);
  dv.setUint16(o('DllCharacteristics'), 0x8160, true);
  dv.setUint32(o('NumberOfRvaAndSizes'), dirCount, true);
  const dataDirectoriesOffset = optionalHeaderOffset + opt.size;
  const dirs = typeof options.directories === 'function' ? options.directories(sectionRvas) : (options.directories ?? []);
  for (const [index, va, size] of dirs) {
    if (index >= dirCount) continue;
    dv.setUint32(dataDirectoriesOffset + index * 8, va, true);
    dv.setUint32(dataDirectoriesOffset + index * 8 + 4, size, true);
  }
  // Section table + data.
  headers.forEach((h, i) => {
    const at = sectionTableOffset + i * sec.size;
    const nameOffset = longNameOffsets[h.name];
    const storedName = nameOffset === undefined ? h.name : `/${nameOffset}`;
    bytes.set(new TextEncoder().encode(storedName).subarray(0, 8), at + off(sec, 'Name'));
    dv.setUint32(at + off(sec, 'VirtualSize'), h.vsize, true);
    dv.setUint32(at + off(sec, 'VirtualAddress'), h.va, true);
    dv.setUint32(at + off(sec, 'SizeOfRawData'), h.rawSize, true);
    dv.setUint32(at + off(sec, 'PointerToRawData'), h.raw, true);
    dv.setUint32(at + off(sec, 'Characteristics'), h.ch, true);
    const data = datas[i];
    if (data !== undefined && h.rawSize > 0) bytes.set(data, h.raw);
  });
  bytes.set(overlay, imageEnd);
  if (options.longNames === true) {
    dv.setUint32(stringTableOffset, stringTableSize, true);
    bytes.set(longNameBytes, stringTableOffset + 4);
  }
  return { bytes, peHeaderOffset: eLfanew, coffOffset, optionalHeaderOffset, sectionTableOffset, dataDirectoriesOffset, sectionRvas, sectionOffsets };
}

/** Copy with little-endian writes applied: [offset, value, width]. */
export function patch(bytes: Uint8Array, ...writes: Array<[number, number, 1 | 2 | 4]>): Uint8Array {
  const copy = bytes.slice();
  const dv = new DataView(copy.buffer);
  for (const [at, value, width] of writes) {
    if (width === 1) dv.setUint8(at, value);
    else if (width === 2) dv.setUint16(at, value, true);
    else dv.setUint32(at, value >>> 0, true);
  }
  return copy;
}

/** A WIN_CERTIFICATE entry: dwLength, wRevision, wCertificateType, bCertificate, zero padding to 8. */
export function winCertificate(content: Uint8Array, revision = 0x0200, type = 0x0002, pad = true): Uint8Array {
  const length = 8 + content.length;
  const out = new Uint8Array(pad ? Math.ceil(length / 8) * 8 : length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, length, true);
  dv.setUint16(4, revision, true);
  dv.setUint16(6, type, true);
  out.set(content, 8);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Parse "4d 5a 00 ..." (whitespace ignored) into bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

// ---- Section-content builders (all little-endian, offsets relative to the section start) -------------------

class Writer {
  bytes: number[] = [];
  get length(): number {
    return this.bytes.length;
  }
  u16(v: number): this {
    this.bytes.push(v & 0xff, (v >>> 8) & 0xff);
    return this;
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16((v >>> 16) & 0xffff);
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i] ?? 0);
    return this;
  }
  ascii(s: string): this {
    return this.raw(new TextEncoder().encode(`${s}\0`));
  }
  utf16z(s: string): this {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    return this.u16(0);
  }
  align(n: number): this {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
    return this;
  }
  set32(at: number, v: number): void {
    this.bytes[at] = v & 0xff;
    this.bytes[at + 1] = (v >>> 8) & 0xff;
    this.bytes[at + 2] = (v >>> 16) & 0xff;
    this.bytes[at + 3] = (v >>> 24) & 0xff;
  }
  set16(at: number, v: number): void {
    this.bytes[at] = v & 0xff;
    this.bytes[at + 1] = (v >>> 8) & 0xff;
  }
  done(): Uint8Array {
    return new Uint8Array(this.bytes);
  }
}

/** An .idata section: descriptors, ILTs, IATs, hint/name entries and DLL names. Names are imports by name, numbers by ordinal. */
export function importSection(dlls: Array<{ dll: string; functions: Array<string | number> }>, bits: 32 | 64): (rva: number) => Uint8Array {
  return (rva) => {
    const w = new Writer();
    const thunk = bits === 64 ? 8 : 4;
    const descriptorsSize = (dlls.length + 1) * 20;
    w.raw(new Uint8Array(descriptorsSize));
    dlls.forEach((d, i) => {
      const ilt = w.length;
      w.raw(new Uint8Array((d.functions.length + 1) * thunk));
      const iat = w.length;
      w.raw(new Uint8Array((d.functions.length + 1) * thunk));
      d.functions.forEach((f, j) => {
        let lo: number;
        let hi = 0;
        if (typeof f === 'number') {
          lo = f;
          if (bits === 64) hi = 0x80000000;
          else lo = (lo | 0x80000000) >>> 0;
        } else {
          w.align(2);
          lo = rva + w.length;
          w.u16(j).ascii(f);
        }
        for (const base of [ilt, iat]) {
          w.set32(base + j * thunk, lo);
          if (bits === 64) w.set32(base + j * thunk + 4, hi);
        }
      });
      const name = w.length;
      w.ascii(d.dll);
      w.set32(i * 20, rva + ilt);
      w.set32(i * 20 + 12, rva + name);
      w.set32(i * 20 + 16, rva + iat);
    });
    return w.done();
  };
}

export interface ResourceSpec {
  type: number | string;
  name: number | string;
  language: number;
  data: Uint8Array;
}

/** A .rsrc section with the standard type → name → language tree (IDs or names at each level). */
export function resourceSection(resources: ResourceSpec[]): (rva: number) => Uint8Array {
  return (rva) => {
    const w = new Writer();
    const strings: Array<{ at: number; text: string }> = [];
    const dataEntries: Array<{ at: number; data: Uint8Array }> = [];
    const groupBy = <T, K>(items: T[], key: (t: T) => K): Array<[K, T[]]> => {
      const m = new Map<K, T[]>();
      for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
      return [...m.entries()];
    };
    // Writes a directory with entries; returns patch points for each entry's OffsetToData.
    const directory = (labels: Array<number | string>): number[] => {
      const named = labels.filter((l) => typeof l === 'string').length;
      w.u32(0).u32(0).u16(0).u16(0).u16(named).u16(labels.length - named);
      const slots: number[] = [];
      for (const l of labels) {
        const at = w.length;
        if (typeof l === 'string') strings.push({ at, text: l });
        w.u32(typeof l === 'number' ? l : 0).u32(0);
        slots.push(at + 4);
      }
      return slots;
    };
    const types = groupBy(resources, (r) => r.type);
    const typeSlots = directory(types.map(([t]) => t));
    types.forEach(([, items], ti) => {
      w.set32(typeSlots[ti] ?? 0, (w.length | 0x80000000) >>> 0);
      const names = groupBy(items, (r) => r.name);
      const nameSlots = directory(names.map(([n]) => n));
      names.forEach(([, langs], ni) => {
        w.set32(nameSlots[ni] ?? 0, (w.length | 0x80000000) >>> 0);
        const langSlots = directory(langs.map((l) => l.language));
        langs.forEach((l, li) => dataEntries.push({ at: langSlots[li] ?? 0, data: l.data }));
      });
    });
    for (const s of strings) {
      w.align(2);
      w.set32(s.at, (w.length | 0x80000000) >>> 0);
      w.u16(s.text.length);
      for (let i = 0; i < s.text.length; i++) w.u16(s.text.charCodeAt(i));
    }
    const entryOffsets: number[] = [];
    for (const d of dataEntries) {
      w.align(4);
      w.set32(d.at, w.length);
      entryOffsets.push(w.length);
      w.u32(0).u32(d.data.length).u32(0).u32(0);
    }
    dataEntries.forEach((d, i) => {
      w.align(4);
      w.set32(entryOffsets[i] ?? 0, rva + w.length);
      w.raw(d.data);
    });
    return w.done();
  };
}

/** A VS_VERSIONINFO blob (assumes it will sit at a 4-aligned RVA). */
export function versionInfoBlob(options: { fileVersion?: [number, number, number, number]; fixed?: boolean; tables: Record<string, Record<string, string>> }): Uint8Array {
  const block = (key: string, value: Uint8Array | string | undefined, children: Uint8Array[], type = value === undefined || typeof value === 'string' ? 1 : 0): Uint8Array => {
    const w = new Writer();
    w.u16(0).u16(0).u16(type).utf16z(key).align(4);
    let valueLength = 0;
    if (typeof value === 'string') {
      w.utf16z(value);
      valueLength = value.length + 1;
    } else if (value !== undefined) {
      w.raw(value);
      valueLength = value.length;
    }
    for (const c of children) w.align(4).raw(c);
    w.set16(0, w.length);
    w.set16(2, valueLength);
    return w.done();
  };
  const [a, b, c, d] = options.fileVersion ?? [1, 2, 3, 4];
  const fixed = new Writer()
    .u32(options.fixed === false ? 0 : 0xfeef04bd).u32(0x10000)
    .u32(((a << 16) | b) >>> 0).u32(((c << 16) | d) >>> 0).u32(((a << 16) | b) >>> 0).u32(0)
    .u32(0x3f).u32(0).u32(0x40004).u32(1).u32(0).u32(0).u32(0)
    .done();
  const tables = Object.entries(options.tables).map(([lang, strings]) => block(lang, undefined, Object.entries(strings).map(([k, v]) => block(k, v, []))));
  return block('VS_VERSION_INFO', fixed, [block('StringFileInfo', undefined, tables)], 0);
}
