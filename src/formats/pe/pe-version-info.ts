/**
 * VS_VERSIONINFO (RT_VERSION resource). References: Win32 docs "VS_VERSIONINFO structure", "StringFileInfo",
 * "StringTable", "String", "VarFileInfo", "VS_FIXEDFILEINFO structure".
 *
 * Every node is the same block shape:
 *   WORD wLength (whole block incl. children), WORD wValueLength, WORD wType (1 = text, 0 = binary),
 *   WCHAR szKey[] (NUL-terminated), padding to 32 bits, Value, padding to 32 bits, children up to wLength.
 * The tree is VS_VERSION_INFO → { StringFileInfo → StringTable("040904b0") → String(key, value) ; VarFileInfo }.
 * Padding is relative to 32-bit memory addresses, i.e. to the resource's RVA.
 *
 * Compilers disagree about wValueLength for text (characters vs bytes), so string values are read as
 * NUL-terminated UTF-16 bounded by the block end, as Windows' VerQueryValue effectively does.
 */
import { ByteView, ParseError } from '../../binary/index.ts';
import { anomaly } from './pe-headers.ts';
import type { PEAnomaly, PEVersionInfo } from './pe.types.ts';

export const VS_FFI_SIGNATURE = 0xfeef04bd;
const FIXED_FILE_INFO_SIZE_BYTES = 52;
const BLOCK_HEADER_SIZE_BYTES = 6;
/** Caps on a hostile tree: languages and strings per language. */
export const MAX_VERSION_STRING_TABLES = 64;
export const MAX_VERSION_STRINGS_PER_TABLE = 1024;
const MAX_KEY_CHARS = 256;

interface Block {
  key: string;
  start: number;
  end: number;
  valueStart: number;
  valueLength: number;
  type: number;
  childrenStart: number;
}

/** Parse VS_VERSIONINFO from the resource's data. Returns undefined (and an anomaly) when it is unusable. */
export function parseVersionInfo(data: Uint8Array, rva: number, anomalies: PEAnomaly[]): PEVersionInfo | undefined {
  const view = new ByteView(data, 'PE_VERSION_INFO_TRUNCATED');
  const align = (pos: number): number => pos + ((4 - ((rva + pos) % 4)) % 4);

  const readBlock = (start: number, parentEnd: number): Block => {
    const length = view.u16(start, 'wLength');
    const valueLength = view.u16(start + 2, 'wValueLength');
    const type = view.u16(start + 4, 'wType');
    if (length < BLOCK_HEADER_SIZE_BYTES) throw new ParseError('PE_BAD_VERSION_INFO', `version block at +${start} has wLength ${length}`, { offset: start });
    let end = start + length;
    if (end > parentEnd) {
      anomalies.push(anomaly('PE_VERSION_INFO_TRUNCATED', `version block at +${start} (wLength ${length}) runs past its parent or the resource`));
      end = parentEnd;
    }
    const key = view.utf16z(start + BLOCK_HEADER_SIZE_BYTES, Math.min(MAX_KEY_CHARS, Math.floor((end - start - BLOCK_HEADER_SIZE_BYTES) / 2)), 'szKey');
    const valueStart = Math.min(align(start + BLOCK_HEADER_SIZE_BYTES + key.byteLength), end);
    const valueBytes = Math.min(type === 1 ? valueLength * 2 : valueLength, end - valueStart);
    return { key: key.value, start, end, valueStart, valueLength: valueBytes, type, childrenStart: Math.min(align(valueStart + valueBytes), end) };
  };

  /** Children of a block, bounded by count; a zero-length child would loop forever, so readBlock rejects it. */
  const children = (parent: Block, max: number): Block[] => {
    const out: Block[] = [];
    for (let at = parent.childrenStart; at + BLOCK_HEADER_SIZE_BYTES <= parent.end && out.length < max; ) {
      const child = readBlock(at, parent.end);
      out.push(child);
      at = align(child.end);
    }
    return out;
  };

  let info: PEVersionInfo | undefined;
  try {
    const root = readBlock(0, data.length);
    if (root.key !== 'VS_VERSION_INFO') {
      anomalies.push(anomaly('PE_BAD_VERSION_INFO', `version resource key is "${root.key}", not "VS_VERSION_INFO"`));
      return undefined;
    }
    info = { fileVersion: '', productVersion: '', fileFlags: 0, fileOS: 0, fileType: 0, strings: {}, fixedFileInfoPresent: false };
    if (root.valueLength >= FIXED_FILE_INFO_SIZE_BYTES && view.u32(root.valueStart) === VS_FFI_SIGNATURE) {
      const v = root.valueStart;
      const version = (ms: number, ls: number): string => `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
      info.fileVersion = version(view.u32(v + 8), view.u32(v + 12));
      info.productVersion = version(view.u32(v + 16), view.u32(v + 20));
      info.fileFlags = view.u32(v + 28); // dwFileFlags as stored (dwFileFlagsMask at +24 says which bits are valid)
      info.fileOS = view.u32(v + 32);
      info.fileType = view.u32(v + 36);
      info.fixedFileInfoPresent = true;
    } else if (root.valueLength > 0) {
      anomalies.push(anomaly('PE_BAD_VERSION_INFO', 'VS_FIXEDFILEINFO is missing its 0xFEEF04BD signature or is too short'));
    }
    for (const child of children(root, MAX_VERSION_STRING_TABLES)) {
      if (child.key !== 'StringFileInfo') continue;
      for (const table of children(child, MAX_VERSION_STRING_TABLES)) {
        const strings: Record<string, string> = {};
        setOwn(info.strings, table.key, strings);
        for (const entry of children(table, MAX_VERSION_STRINGS_PER_TABLE)) {
          const maxChars = Math.floor((entry.end - entry.valueStart) / 2);
          setOwn(strings, entry.key, maxChars > 0 ? view.utf16z(entry.valueStart, maxChars, 'string value').value : '');
        }
      }
    }
    return info;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    anomalies.push(anomaly(error.code === 'PE_BAD_VERSION_INFO' ? 'PE_BAD_VERSION_INFO' : 'PE_VERSION_INFO_TRUNCATED', `version info: ${error.message}`));
    return info; // whatever was read before the damage
  }
}

/**
 * Keys come from the file: define them as own properties so a key such as "__proto__" is stored as data
 * instead of replacing the object's prototype.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
