/**
 * ZIP member names and methods ([APPNOTE] PKWARE "APPNOTE.TXT - .ZIP File Format Specification" 6.3.x:
 * 4.4.4 general purpose bit flag, 4.4.5 compression method, 4.6.9 Info-ZIP Unicode Path Extra Field 0x7075,
 * appendix D: names are IBM Code Page 437 unless bit 11 (language encoding flag, EFS) says UTF-8).
 */

/** General purpose bit 11: the name and comment are UTF-8. */
export const ZIP_FLAG_UTF8 = 0x0800;
/** General purpose bit 0: the member is encrypted. */
export const ZIP_FLAG_ENCRYPTED = 0x0001;
/** Bit 6: strong encryption. */
export const ZIP_FLAG_STRONG_ENCRYPTION = 0x0040;

// Code Page 437, bytes 0x80..0xFF (0x00..0x7F are ASCII).
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

export function decodeCP437(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return out;
}

const utf8 = new TextDecoder('utf-8');

/** Decode a raw member name: UTF-8 when bit 11 is set, else CP437; an Info-ZIP Unicode Path field (0x7075) wins when present and well-formed. */
export function decodeZipName(raw: Uint8Array, generalPurposeBitFlag: number, unicodePathField?: Uint8Array): string {
  // 0x7075: version (1) + CRC-32 of the raw name (4) + UTF-8 name. We accept it without the CRC check: names are display-only.
  if (unicodePathField !== undefined && unicodePathField.length > 5 && unicodePathField[0] === 1) return utf8.decode(unicodePathField.subarray(5));
  return generalPurposeBitFlag & ZIP_FLAG_UTF8 ? utf8.decode(raw) : decodeCP437(raw);
}

const METHODS: ReadonlyMap<number, string> = new Map([
  [0, 'stored'],
  [1, 'shrink'],
  [2, 'reduce-1'],
  [3, 'reduce-2'],
  [4, 'reduce-3'],
  [5, 'reduce-4'],
  [6, 'implode'],
  [8, 'deflate'],
  [9, 'deflate64'],
  [10, 'pkware-implode'],
  [12, 'bzip2'],
  [14, 'lzma'],
  [16, 'ibm-cmpsc'],
  [18, 'ibm-terse'],
  [19, 'ibm-lz77'],
  [93, 'zstd'],
  [95, 'xz'],
  [96, 'jpeg'],
  [97, 'wavpack'],
  [98, 'ppmd'],
  [99, 'aes'],
]);

export function zipMethodName(method: number): string {
  return METHODS.get(method) ?? `method-${method}`;
}

/** Methods this build expands: stored and deflate (node:zlib). */
export function isSupportedZipMethod(method: number): boolean {
  return method === 0 || method === 8;
}
