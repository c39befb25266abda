/**
 * MSI stream-name packing. Windows Installer stores table and stream names in compound-file entries whose names
 * are limited to 31 characters, so it packs pairs of characters from [0-9A-Za-z._] into one code unit:
 *   pair:   U+3800 + mime(a) + (mime(b) << 6)   (U+3800..U+47FF)
 *   single: U+4800 + mime(a)                    (U+4800..U+483F)
 *   table:  a leading U+4840 marks a table stream ("!_StringPool" in tools' notation)
 * with mime() = 0-9 → 0..9, A-Z → 10..35, a-z → 36..61, '.' → 62, '_' → 63.
 * References: Wine dlls/msi/table.c (encode_streamname / decode_streamname), msitools libmsi.
 */

export const MSI_TABLE_NAME_MARKER = 0x4840;

function mimeToChar(x: number): string {
  if (x < 10) return String.fromCharCode(0x30 + x);
  if (x < 36) return String.fromCharCode(0x41 + x - 10);
  if (x < 62) return String.fromCharCode(0x61 + x - 36);
  return x === 62 ? '.' : '_';
}

function charToMime(c: number): number | undefined {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 36;
  if (c === 0x2e) return 62;
  if (c === 0x5f) return 63;
  return undefined;
}

/** Decode a compound-file entry name. `table` is true for table streams (leading U+4840). */
export function decodeMsiStreamName(encoded: string): { name: string; table: boolean } {
  let out = '';
  let table = false;
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded.charCodeAt(i);
    if (i === 0 && ch === MSI_TABLE_NAME_MARKER) {
      table = true;
    } else if (ch >= 0x3800 && ch < 0x4800) {
      const v = ch - 0x3800;
      out += mimeToChar(v & 0x3f) + mimeToChar((v >> 6) & 0x3f);
    } else if (ch >= 0x4800 && ch < MSI_TABLE_NAME_MARKER) {
      out += mimeToChar(ch - 0x4800);
    } else {
      out += encoded[i];
    }
  }
  return { name: out, table };
}

/** The inverse (used by tests and fixtures): pack a name the way Windows Installer does. */
export function encodeMsiStreamName(name: string, table: boolean): string {
  let out = table ? String.fromCharCode(MSI_TABLE_NAME_MARKER) : '';
  for (let i = 0; i < name.length; i++) {
    const a = charToMime(name.charCodeAt(i));
    if (a === undefined) {
      out += name[i];
      continue;
    }
    const b = i + 1 < name.length ? charToMime(name.charCodeAt(i + 1)) : undefined;
    if (b !== undefined) {
      out += String.fromCharCode(0x3800 + a + (b << 6));
      i++;
    } else {
      out += String.fromCharCode(0x4800 + a);
    }
  }
  return out;
}
