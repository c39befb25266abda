/** Public shapes of the MSI database reader (tables on top of MS-CFB streams). */

export type MsiErrorCode = 'MSI_NOT_DATABASE' | 'MSI_BAD_STRING_POOL' | 'MSI_BAD_TABLE';

export type MsiValue = string | number | null;

export interface MsiColumn {
  name: string;
  /** 1-based column number from _Columns. */
  number: number;
  /** The _Columns Type word (MSITYPE_* bits + size). */
  type: number;
  kind: 'string' | 'int16' | 'int32' | 'binary';
  nullable: boolean;
  key: boolean;
}

export interface MsiTable {
  name: string;
  columns: MsiColumn[];
  /** One object per row, keyed by column name. Binary (stream) columns are null: their data is the stream `<Table>.<keys>`. */
  rows: Array<Record<string, MsiValue>>;
}

export interface MsiDatabase {
  /** The string pool's codepage (65001 = UTF-8, 0 = neutral). */
  codepage: number;
  /** True when the pool header sets the long-string-reference flag: string refs in tables take 3 bytes, not 2. */
  longStringRefs: boolean;
  /** String id → string (id 0 is the null string). */
  strings: ReadonlyArray<string | undefined>;
  tableNames: string[];
  /** A table by name, or undefined when the database has no such table. Throws MSI_BAD_TABLE on a damaged table. */
  readTable(name: string): MsiTable | undefined;
}

export interface MsiLimits {
  /** Rows read per table (count). */
  maxTableRows: number;
  /** Strings in the string pool (count). */
  maxStrings: number;
}

/** A File-table row resolved to its install path and its cabinet. */
export interface MsiFileRecord {
  /** File.File: the primary key, which is also the member name inside the cabinet. */
  key: string;
  component: string;
  /** The long file name (File.FileName after '|'), as stored. */
  fileName: string;
  /** The short (8.3) name when FileName has one. */
  shortName?: string;
  directory: string;
  /** Install path below the root: Directory chain (DefaultDir target names, '.' and the root skipped) + fileName, '/'-separated. */
  path: string;
  /** File.FileSize as declared. */
  size: number;
  sequence: number;
  attributes: number;
  /** The Media row holding the file (smallest LastSequence ≥ Sequence), if any. */
  media?: MsiMediaRecord;
}

export interface MsiMediaRecord {
  diskId: number;
  lastSequence: number;
  /** Media.Cabinet as stored ('' or null when the files are uncompressed next to the package). */
  cabinet: string | null;
  /** '#name' → the embedded stream `name`. */
  embeddedStream?: string;
  /** A cabinet file next to the package (Cabinet without '#'). */
  externalCabinet?: string;
}

export interface MsiInstallLayout {
  files: MsiFileRecord[];
  media: MsiMediaRecord[];
  /** Oddities met while resolving (directory loops, missing components): reported, never thrown. */
  problems: string[];
}
