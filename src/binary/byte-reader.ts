import { ParseError } from './errors.ts';

/**
 * Checked little-endian reads over a byte array. Every read outside the array throws a
 * ParseError with the caller's code (e.g. `PE_TRUNCATED`) instead of a RangeError or a silent
 * `undefined`, so a hostile offset can never turn into a crash or a wrong value.
 */
export class ByteView {
  readonly bytes: Uint8Array;
  readonly length: number;
  private readonly view: DataView;
  private readonly truncatedCode: string;

  constructor(bytes: Uint8Array, truncatedCode = 'TRUNCATED') {
    this.bytes = bytes;
    this.length = bytes.length;
    // Fold byteOffset in: Node Buffers often live inside a larger pooled ArrayBuffer.
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.truncatedCode = truncatedCode;
  }

  /** Throws unless [offset, offset+length) is inside the bytes. */
  check(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.length) {
      throw new ParseError(this.truncatedCode, `${what} at offset ${offset} (+${length} bytes) is past the end of the data (${this.length} bytes)`, { offset });
    }
  }

  has(offset: number, length: number): boolean {
    return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= this.length;
  }

  u8(offset: number, what = 'byte'): number {
    this.check(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u16(offset: number, what = 'word'): number {
    this.check(offset, 2, what);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number, what = 'dword'): number {
    this.check(offset, 4, what);
    return this.view.getUint32(offset, true);
  }

  i32(offset: number, what = 'dword'): number {
    this.check(offset, 4, what);
    return this.view.getInt32(offset, true);
  }

  /** 64-bit value as a bigint (PE32+ ImageBase and friends). */
  u64(offset: number, what = 'qword'): bigint {
    this.check(offset, 8, what);
    return this.view.getBigUint64(offset, true);
  }

  u16be(offset: number, what = 'word'): number {
    this.check(offset, 2, what);
    return this.view.getUint16(offset, false);
  }

  u32be(offset: number, what = 'dword'): number {
    this.check(offset, 4, what);
    return this.view.getUint32(offset, false);
  }

  /** A sub-array sharing memory; bounds-checked. */
  slice(offset: number, length: number, what = 'range'): Uint8Array {
    this.check(offset, length, what);
    return this.bytes.subarray(offset, offset + length);
  }

  /** NUL-terminated ASCII/Latin-1 string of at most maxLength bytes (no terminator needed at the cap). */
  cstring(offset: number, maxLength: number, what = 'string'): string {
    this.check(offset, 0, what);
    const end = Math.min(this.length, offset + maxLength);
    let i = offset;
    while (i < end && this.bytes[i] !== 0) i++;
    return latin1(this.bytes.subarray(offset, i));
  }

  /** NUL-terminated UTF-16LE string of at most maxChars characters; returns the string and the byte length consumed (terminator included when present). */
  utf16z(offset: number, maxChars: number, what = 'UTF-16 string'): { value: string; byteLength: number } {
    this.check(offset, 0, what);
    let i = offset;
    const end = Math.min(this.length - 1, offset + maxChars * 2);
    while (i < end && (this.bytes[i] !== 0 || this.bytes[i + 1] !== 0)) i += 2;
    const value = utf16le(this.bytes.subarray(offset, i));
    const terminated = i < this.length - 1 && i < offset + maxChars * 2;
    return { value, byteLength: i - offset + (terminated ? 2 : 0) };
  }

  /** UTF-16LE string of exactly `chars` characters. */
  utf16(offset: number, chars: number, what = 'UTF-16 string'): string {
    return utf16le(this.slice(offset, chars * 2, what));
  }
}

const utf16Decoder = new TextDecoder('utf-16le');
const latin1Decoder = new TextDecoder('latin1');

export function utf16le(bytes: Uint8Array): string {
  return utf16Decoder.decode(bytes.length % 2 === 0 ? bytes : bytes.subarray(0, bytes.length - 1));
}

export function latin1(bytes: Uint8Array): string {
  return latin1Decoder.decode(bytes);
}

export function toHex(bytes: Uint8Array, upper = false): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return upper ? s.toUpperCase() : s;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
