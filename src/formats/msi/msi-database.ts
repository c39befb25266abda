/**
 * MSI database tables on top of the compound file's streams: the string pool, `_Tables`, `_Columns` and any
 * table by name.
 *
 * Format (no public Microsoft spec; the de-facto references are Wine dlls/msi/string.c and table.c, mirrored by
 * msitools' libmsi):
 * - `_StringPool`: u16 pairs. Pair 0 is the header: codepage = w0 | ((w1 & 0x7fff) << 16); w1 & 0x8000 means
 *   "long string references" (3-byte string ids in tables instead of 2). Pair n ≥ 1 is (length, refcount) of
 *   string id n; a pair (0, refs≠0) announces a string ≥ 64 KiB whose length is in the NEXT pair
 *   (low word, high word) and which uses one id; a pair (0, 0) is an unused id.
 * - `_StringData`: the strings' bytes, back to back, in the pool's codepage.
 * - Tables are stored column by column: for each column, every row's cell, then the next column. Cell widths:
 *   strings = 2 (or 3) bytes (a string id), 2-byte integers stored as value + 0x8000, 4-byte integers as
 *   value + 0x80000000, binary (stream) columns 2 bytes; 0 means NULL. The row count is size / row width and
 *   must divide exactly.
 * - `_Columns` (Table s, Number i2, Name s, Type i2) describes every other table; `_Tables` lists table names.
 */
import { ByteView, LimitExceededError, ParseError } from '../../binary/index.ts';
import { decodeWindows1252 } from '../container/windows-1252.ts';
import type { MsiColumn, MsiDatabase, MsiErrorCode, MsiLimits, MsiTable, MsiValue } from './msi.types.ts';

/** Wine msipriv.h MSITYPE_* bits of the _Columns Type word. */
export const MSITYPE_VALID = 0x0100;
export const MSITYPE_LOCALIZABLE = 0x0200;
export const MSITYPE_STRING = 0x0800;
export const MSITYPE_NULLABLE = 0x1000;
export const MSITYPE_KEY = 0x2000;
export const MSITYPE_TEMPORARY = 0x4000;

export const DEFAULT_MSI_LIMITS: Readonly<MsiLimits> = Object.freeze({
  maxTableRows: 1_000_000,
  maxStrings: 4_000_000,
});

function fail(code: MsiErrorCode, message: string): never {
  throw new ParseError<MsiErrorCode>(code, message);
}

/** TextDecoder labels for the codepages MSI string pools use. */
const CODEPAGE_LABELS: ReadonlyMap<number, string> = new Map([
  [65001, 'utf-8'],
  [932, 'shift_jis'],
  [936, 'gbk'],
  [949, 'euc-kr'],
  [950, 'big5'],
  [866, 'ibm866'],
  [874, 'windows-874'],
  ...[1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258].map((cp): [number, string] => [cp, `windows-${cp}`]),
]);

function decoderFor(codepage: number): (bytes: Uint8Array) => string {
  const label = CODEPAGE_LABELS.get(codepage);
  // 0 (neutral), 1252 and unknown codepages: Windows-1252, the Installer's usual ANSI page.
  if (label === undefined || label === 'windows-1252') return decodeWindows1252;
  const decoder = new TextDecoder(label);
  return (bytes) => decoder.decode(bytes);
}

/**
 * Open the database. `getStream` returns a stream's bytes by its decoded name, tables with a leading '!'
 * ('!_StringPool', '!File'), or undefined. Throws MSI_NOT_DATABASE when the string pool or `_Tables` is missing,
 * MSI_BAD_STRING_POOL when the pool is inconsistent.
 */
export function openMsiDatabase(getStream: (name: string) => Uint8Array | undefined, limits: MsiLimits = DEFAULT_MSI_LIMITS): MsiDatabase {
  const poolBytes = getStream('!_StringPool');
  const dataBytes = getStream('!_StringData');
  if (poolBytes === undefined || dataBytes === undefined) fail('MSI_NOT_DATABASE', 'no _StringPool/_StringData streams: not an MSI database');
  const pool = new ByteView(poolBytes, 'MSI_BAD_STRING_POOL');
  if (pool.length % 4 !== 0) fail('MSI_BAD_STRING_POOL', `_StringPool is ${pool.length} bytes, not a multiple of 4`);
  const count = pool.length / 4;
  const w1 = count > 0 ? pool.u16(2) : 0;
  const codepage = count > 0 ? (pool.u16(0) | ((w1 & 0x7fff) << 16)) >>> 0 : 0;
  const longStringRefs = (w1 & 0x8000) !== 0;
  if (count > limits.maxStrings) throw new LimitExceededError('MSI string pool entries (count)', count, limits.maxStrings);
  const decode = decoderFor(codepage);
  const strings: Array<string | undefined> = [undefined];
  let offset = 0;
  for (let i = 1; i < count; ) {
    const length = pool.u16(i * 4);
    const refs = pool.u16(i * 4 + 2);
    if (length === 0 && refs === 0) {
      strings.push(undefined);
      i++;
      continue;
    }
    let size = length;
    if (length === 0) {
      // A long string: the next pair holds its length (low word, high word) and does not take an id.
      if (i + 1 >= count) fail('MSI_BAD_STRING_POOL', `string ${strings.length} announces a long length but the pool ends`);
      size = pool.u16((i + 1) * 4) + pool.u16((i + 1) * 4 + 2) * 0x10000;
      i += 2;
    } else {
      i += 1;
    }
    if (offset + size > dataBytes.length) fail('MSI_BAD_STRING_POOL', `string ${strings.length} (${size} bytes at ${offset}) runs past _StringData (${dataBytes.length} bytes)`);
    strings.push(decode(dataBytes.subarray(offset, offset + size)));
    offset += size;
  }
  const refBytes = longStringRefs ? 3 : 2;
  const stringAt = (id: number, where: string): string | null => {
    if (id === 0) return null;
    const s = strings[id];
    if (s === undefined) fail('MSI_BAD_TABLE', `${where}: string id ${id} is not in the string pool (${strings.length} ids)`);
    return s;
  };

  const cellWidth = (column: Pick<MsiColumn, 'kind'>): number => (column.kind === 'string' ? refBytes : column.kind === 'int32' ? 4 : 2);

  /** Read a column-major table with a known column list. */
  const readRaw = (name: string, columns: MsiColumn[]): MsiTable | undefined => {
    const bytes = getStream(`!${name}`);
    if (bytes === undefined) return undefined;
    const rowWidth = columns.reduce((n, c) => n + cellWidth(c), 0);
    if (rowWidth === 0) fail('MSI_BAD_TABLE', `table ${name} has no stored columns`);
    if (bytes.length % rowWidth !== 0) fail('MSI_BAD_TABLE', `table ${name}: ${bytes.length} bytes is not a whole number of ${rowWidth}-byte rows`);
    const rowCount = bytes.length / rowWidth;
    if (rowCount > limits.maxTableRows) throw new LimitExceededError(`MSI table ${name} rows (count)`, rowCount, limits.maxTableRows);
    const view = new ByteView(bytes, 'MSI_BAD_TABLE');
    const rows: Array<Record<string, MsiValue>> = Array.from({ length: rowCount }, () => ({}));
    let columnStart = 0;
    for (const column of columns) {
      const width = cellWidth(column);
      for (let r = 0; r < rowCount; r++) {
        const at = columnStart + r * width;
        const raw = width === 2 ? view.u16(at) : width === 3 ? view.u16(at) | (view.u8(at + 2) << 16) : view.u32(at);
        const row = rows[r] as Record<string, MsiValue>;
        if (column.kind === 'string') row[column.name] = stringAt(raw, `table ${name} column ${column.name}`);
        else if (column.kind === 'binary' || raw === 0) row[column.name] = null;
        else row[column.name] = column.kind === 'int16' ? raw - 0x8000 : (raw ^ 0x80000000) | 0;
      }
      columnStart += width * rowCount;
    }
    return { name, columns, rows };
  };

  const str = (name: string, number: number, key = false): MsiColumn => ({ name, number, type: MSITYPE_VALID | MSITYPE_STRING | (key ? MSITYPE_KEY : 0), kind: 'string', nullable: false, key });
  const i16 = (name: string, number: number, key = false): MsiColumn => ({ name, number, type: MSITYPE_VALID | 2 | (key ? MSITYPE_KEY : 0), kind: 'int16', nullable: false, key });
  // The two system tables describe themselves implicitly (Wine table.c: _Tables_cols, _Columns_cols).
  const tablesTable = readRaw('_Tables', [str('Name', 1, true)]);
  const columnsTable = readRaw('_Columns', [str('Table', 1, true), i16('Number', 2, true), str('Name', 3), i16('Type', 4)]);
  if (tablesTable === undefined) fail('MSI_NOT_DATABASE', 'no _Tables stream: not an MSI database');
  const tableNames = tablesTable.rows.map((r) => r.Name).filter((n): n is string => typeof n === 'string');

  const schemas = new Map<string, MsiColumn[]>();
  for (const row of columnsTable?.rows ?? []) {
    const table = row.Table;
    const number = row.Number;
    const name = row.Name;
    const type = row.Type;
    if (typeof table !== 'string' || typeof number !== 'number' || typeof name !== 'string' || typeof type !== 'number') {
      fail('MSI_BAD_TABLE', `_Columns has an incomplete row for table ${String(table)}`);
    }
    const bits = type & 0xffff;
    // Temporary columns live in memory only; they occupy no bytes in the stream.
    if (bits & MSITYPE_TEMPORARY) continue;
    const isString = (bits & MSITYPE_STRING) !== 0;
    const isBinary = (bits & ~MSITYPE_NULLABLE) === (MSITYPE_STRING | MSITYPE_VALID);
    const columns = schemas.get(table) ?? [];
    columns.push({
      name,
      number,
      type: bits,
      kind: isBinary ? 'binary' : isString ? 'string' : (bits & 0xff) <= 2 ? 'int16' : 'int32',
      nullable: (bits & MSITYPE_NULLABLE) !== 0,
      key: (bits & MSITYPE_KEY) !== 0,
    });
    schemas.set(table, columns);
  }
  for (const columns of schemas.values()) {
    columns.sort((a, b) => a.number - b.number);
    columns.forEach((c, i) => {
      if (c.number !== i + 1) fail('MSI_BAD_TABLE', `column numbers of a table are not 1..${columns.length} (found ${c.number} at position ${i + 1})`);
    });
  }

  const cache = new Map<string, MsiTable | undefined>();
  return {
    codepage,
    longStringRefs,
    strings,
    tableNames,
    readTable(name: string): MsiTable | undefined {
      if (cache.has(name)) return cache.get(name);
      const columns = schemas.get(name);
      const table = columns === undefined ? undefined : readRaw(name, columns);
      cache.set(name, table);
      return table;
    },
  };
}
