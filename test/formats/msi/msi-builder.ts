/**
 * Builds small MSI databases for tests: string pool (optionally with long string references and ≥ 64 KiB
 * strings), _Tables, _Columns and column-major tables, packed stream names, in a compound file. The layout rules
 * are written out here independently of the reader (see Wine dlls/msi/string.c, table.c).
 */
import { encodeMsiStreamName } from '../../../src/formats/msi/index.ts';
import { buildCFB, guidBytes, MSI_CLSID } from './cfb-builder.ts';
import type { CFBNodeSpec } from './cfb-builder.ts';

export interface TableSpec {
  /** [name, type word]: e.g. ['File', 0x2d48] (s72 key), ['FileSize', 0x0104] (i4). */
  columns: Array<[string, number]>;
  rows: Array<Array<string | number | null>>;
}

export const T = {
  // _Columns Type words as Windows Installer writes them: 0x0100 valid, 0x0400 (set on non-binary columns),
  // 0x0800 string, 0x1000 nullable, 0x2000 key; the low byte is the size.
  key72: 0x2d48,
  str72: 0x0d48,
  nstr72: 0x1d48,
  str255: 0x0dff,
  i2: 0x0502,
  ni2: 0x1502,
  i4: 0x0104,
  key_i2: 0x2502,
  binary: 0x0900,
} as const;

const enc = new TextEncoder();

export function buildMsiDatabase(tables: Record<string, TableSpec>, options: { longRefs?: boolean; codepage?: number; extraStreams?: CFBNodeSpec[]; clsid?: string } = {}): Uint8Array {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const id = (s: string): number => {
    let n = ids.get(s);
    if (n === undefined) {
      strings.push(s);
      n = strings.length;
      ids.set(s, n);
    }
    return n;
  };
  const refBytes = options.longRefs === true ? 3 : 2;
  const isString = (type: number): boolean => (type & 0x0800) !== 0;
  const width = (type: number): number => ((type & ~0x1000) === 0x0900 ? 2 : isString(type) ? refBytes : (type & 0xff) <= 2 ? 2 : 4);
  const cell = (type: number, value: string | number | null): number => {
    if (value === null) return 0;
    if (isString(type)) return id(String(value));
    return width(type) === 2 ? Number(value) + 0x8000 : (Number(value) + 0x80000000) >>> 0;
  };
  const columnMajor = (spec: TableSpec): Uint8Array => {
    const rowWidth = spec.columns.reduce((n, [, t]) => n + width(t), 0);
    const out = new Uint8Array(rowWidth * spec.rows.length);
    const dv = new DataView(out.buffer);
    let at = 0;
    spec.columns.forEach(([, type], c) => {
      const w = width(type);
      for (const row of spec.rows) {
        const v = cell(type, row[c] ?? null);
        if (w === 2) dv.setUint16(at, v, true);
        else if (w === 3) {
          dv.setUint16(at, v & 0xffff, true);
          out[at + 2] = v >>> 16;
        } else dv.setUint32(at, v, true);
        at += w;
      }
    });
    return out;
  };
  const streams: CFBNodeSpec[] = [];
  const tableStream = (name: string, data: Uint8Array): void => {
    streams.push({ name: encodeMsiStreamName(name, true), content: data });
  };
  const columnsRows: Array<Array<string | number | null>> = [];
  for (const [name, spec] of Object.entries(tables)) spec.columns.forEach(([col, type], i) => columnsRows.push([name, i + 1, col, type]));
  // Tables first (their strings enter the pool), then _Columns and _Tables, then the pool itself.
  for (const [name, spec] of Object.entries(tables)) tableStream(name, columnMajor(spec));
  tableStream('_Columns', columnMajor({ columns: [['Table', T.key72], ['Number', T.key_i2], ['Name', T.str72], ['Type', T.i2]], rows: columnsRows }));
  tableStream('_Tables', columnMajor({ columns: [['Name', T.key72]], rows: Object.keys(tables).map((n) => [n]) }));
  const data = strings.map((s) => enc.encode(s));
  const poolWords: number[] = [(options.codepage ?? 65001) & 0xffff, ((options.codepage ?? 65001) >>> 16) | (options.longRefs === true ? 0x8000 : 0)];
  for (const d of data) {
    if (d.length >= 0x10000) poolWords.push(0, 1, d.length & 0xffff, d.length >>> 16);
    else poolWords.push(d.length, 1);
  }
  const pool = new Uint8Array(poolWords.length * 2);
  poolWords.forEach((w, i) => new DataView(pool.buffer).setUint16(i * 2, w, true));
  const stringData = new Uint8Array(data.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const d of data) {
    stringData.set(d, at);
    at += d.length;
  }
  tableStream('_StringPool', pool);
  tableStream('_StringData', stringData);
  return buildCFB({ clsid: guidBytes(options.clsid ?? MSI_CLSID), children: [...streams, ...(options.extraStreams ?? [])] });
}
