/**
 * A small, zero-copy DER reader for the structures Authenticode uses (ITU-T X.690, "Distinguished
 * Encoding Rules"; RFC 5652 and RFC 5280 define the ASN.1 that sits on top of it).
 *
 * Why our own reader and not asn1js/pkijs in production:
 * - every node keeps its exact byte range, so the bytes that were signed (the signed attributes, the
 *   SpcIndirectDataContent contents, a TBSCertificate) and every certificate's DER are subarrays of the
 *   input, never re-encodings;
 * - it never recurses on its own: callers walk a fixed schema, so a "depth bomb" (thousands of nested
 *   SEQUENCEs) costs one node per level read and then fails the schema, instead of exhausting the stack;
 * - each failure is a ParseError with a code, never a TypeError from a library's internals.
 * pkijs is still used by the tests as an independent cross-check (style.md practice 11).
 *
 * Accepted encodings: definite lengths only (BER's indefinite form is rejected: Authenticode is DER,
 * [AUTHENTICODE] "the PKCS #7 SignedData structure ... DER-encoded"), length fields of at most 4 bytes,
 * tag numbers up to 2^21. Non-minimal length encodings are tolerated (Windows tolerates them too).
 */
import { LimitExceededError } from '../binary/index.ts';
import { authenticodeError, type AuthenticodeErrorCode } from './errors.ts';

export const TAG_CLASS_UNIVERSAL = 0;
export const TAG_CLASS_APPLICATION = 1;
export const TAG_CLASS_CONTEXT = 2;
export const TAG_CLASS_PRIVATE = 3;

/** Universal tag numbers (X.680 section 8.6). */
export const UNIVERSAL = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  objectIdentifier: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  numericString: 18,
  printableString: 19,
  t61String: 20,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  visibleString: 26,
  universalString: 28,
  bmpString: 30,
} as const;

/** One TLV. Offsets are into `bytes` (the buffer the whole structure was read from). */
export interface DERNode {
  readonly bytes: Uint8Array;
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first contents octet. */
  readonly contentStart: number;
  /** Offset one past the last contents octet. */
  readonly end: number;
}

/** A node's full encoding (identifier, length and contents). */
export function derBytes(node: DERNode): Uint8Array {
  return node.bytes.subarray(node.start, node.end);
}

/** A node's contents octets (what X.690 calls the "contents"; no identifier, no length). */
export function derContents(node: DERNode): Uint8Array {
  return node.bytes.subarray(node.contentStart, node.end);
}

function fail(message: string, offset: number | undefined, code: AuthenticodeErrorCode = 'AUTHENTICODE_BAD_DER'): never {
  throw authenticodeError(code, message, offset);
}

/** Reads the TLV at `offset`; it must end at or before `limit`. */
export function readNode(bytes: Uint8Array, offset: number, limit: number = bytes.length): DERNode {
  if (offset >= limit) fail(`expected a DER element at offset ${offset}, found the end of the data`, offset);
  let p = offset;
  const first = bytes[p++] as number;
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    // High tag number form: base-128 digits, at most 3 (2^21) here.
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (p >= limit) fail('DER tag runs past the end of the data', offset);
      if (i >= 3) fail('DER tag number is too large', offset);
      const b = bytes[p++] as number;
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= limit) fail('DER length runs past the end of the data', offset);
  const lengthByte = bytes[p++] as number;
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else if (lengthByte === 0x80) {
    fail('indefinite-length (BER) encoding is not allowed in DER', offset);
  } else {
    const n = lengthByte & 0x7f;
    if (n > 4) fail(`DER length field of ${n} bytes is too long`, offset);
    if (p + n > limit) fail('DER length runs past the end of the data', offset);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[p++] as number);
  }
  if (length > limit - p) fail(`DER element at offset ${offset} declares ${length} content bytes but only ${limit - p} remain`, offset);
  return { bytes, tagClass, constructed, tagNumber, start: offset, contentStart: p, end: p + length };
}

/** The children of a constructed node, in order. Their encodings must exactly fill the parent. */
export function derChildren(node: DERNode, maxChildren = 100_000): DERNode[] {
  if (!node.constructed) fail(`expected a constructed DER element at offset ${node.start}`, node.start);
  const out: DERNode[] = [];
  let p = node.contentStart;
  while (p < node.end) {
    if (out.length >= maxChildren) throw new LimitExceededError('elements in one DER SEQUENCE/SET', out.length + 1, maxChildren, p);
    const child = readNode(node.bytes, p, node.end);
    out.push(child);
    p = child.end;
  }
  return out;
}

export function isUniversal(node: DERNode, tagNumber: number): boolean {
  return node.tagClass === TAG_CLASS_UNIVERSAL && node.tagNumber === tagNumber;
}

export function isContext(node: DERNode, tagNumber: number): boolean {
  return node.tagClass === TAG_CLASS_CONTEXT && node.tagNumber === tagNumber;
}

/** Asserts a universal tag (and constructed-ness for SEQUENCE/SET). */
export function expectUniversal(node: DERNode | undefined, tagNumber: number, what: string, code?: AuthenticodeErrorCode): DERNode {
  if (node === undefined) fail(`${what} is missing`, undefined, code);
  if (!isUniversal(node, tagNumber)) {
    fail(`${what}: expected universal tag ${tagNumber}, found class ${node.tagClass} tag ${node.tagNumber} at offset ${node.start}`, node.start, code);
  }
  const mustBeConstructed = tagNumber === UNIVERSAL.sequence || tagNumber === UNIVERSAL.set;
  if (node.constructed !== mustBeConstructed) fail(`${what}: wrong primitive/constructed form at offset ${node.start}`, node.start, code);
  return node;
}

export function expectSequence(node: DERNode | undefined, what: string, code?: AuthenticodeErrorCode): DERNode[] {
  return derChildren(expectUniversal(node, UNIVERSAL.sequence, what, code));
}

export function expectSet(node: DERNode | undefined, what: string, code?: AuthenticodeErrorCode): DERNode[] {
  return derChildren(expectUniversal(node, UNIVERSAL.set, what, code));
}

/** The single element inside an EXPLICIT context tag [n]. */
export function explicitInner(node: DERNode, what: string): DERNode {
  const kids = derChildren(node);
  if (kids.length !== 1) fail(`${what}: an EXPLICIT tag must wrap exactly one element (found ${kids.length})`, node.start);
  return kids[0] as DERNode;
}

/** Largest arc accepted in an OBJECT IDENTIFIER: it must stay an exact JS number. */
const MAX_OID_ARC_BYTES = 7;

/** OBJECT IDENTIFIER contents → dotted string (X.690 section 8.19). */
export function decodeOID(node: DERNode, what = 'OBJECT IDENTIFIER'): string {
  expectUniversal(node, UNIVERSAL.objectIdentifier, what);
  const { bytes, contentStart, end } = node;
  if (contentStart === end) fail(`${what} is empty`, node.start);
  const arcs: number[] = [];
  let value = 0;
  let used = 0;
  for (let p = contentStart; p < end; p++) {
    const b = bytes[p] as number;
    if (used === 0 && b === 0x80) fail(`${what} has a non-minimal arc encoding`, node.start);
    value = value * 128 + (b & 0x7f);
    used++;
    if (used > MAX_OID_ARC_BYTES) fail(`${what} has an arc that is too large`, node.start);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const firstArc = value < 40 ? 0 : value < 80 ? 1 : 2;
        arcs.push(firstArc, value - firstArc * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
      used = 0;
    }
  }
  if (used !== 0) fail(`${what} ends in the middle of an arc`, node.start);
  return arcs.join('.');
}

/** INTEGER contents, as stored (two's complement, big-endian). */
export function integerBytes(node: DERNode, what = 'INTEGER'): Uint8Array {
  expectUniversal(node, UNIVERSAL.integer, what);
  if (node.contentStart === node.end) fail(`${what} is empty`, node.start);
  return derContents(node);
}

/** A small non-negative INTEGER (versions, counters). */
export function decodeSmallInteger(node: DERNode, what = 'INTEGER'): number {
  const b = integerBytes(node, what);
  if (b.length > 6 || ((b[0] as number) & 0x80) !== 0) fail(`${what} is negative or too large`, node.start);
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

export function decodeBoolean(node: DERNode, what = 'BOOLEAN'): boolean {
  expectUniversal(node, UNIVERSAL.boolean, what);
  if (node.end - node.contentStart !== 1) fail(`${what} must be one byte`, node.start);
  return node.bytes[node.contentStart] !== 0;
}

export function octetStringContents(node: DERNode | undefined, what = 'OCTET STRING'): Uint8Array {
  return derContents(expectUniversal(node, UNIVERSAL.octetString, what));
}

/** BIT STRING → its bytes (the unused-bits count must be 0..7; it is returned alongside). */
export function bitStringContents(node: DERNode | undefined, what = 'BIT STRING'): { unusedBits: number; bytes: Uint8Array } {
  const n = expectUniversal(node, UNIVERSAL.bitString, what);
  if (n.contentStart === n.end) fail(`${what} is empty`, n.start);
  const unusedBits = n.bytes[n.contentStart] as number;
  if (unusedBits > 7 || (unusedBits !== 0 && n.end - n.contentStart === 1)) fail(`${what} has an invalid unused-bits count`, n.start);
  return { unusedBits, bytes: n.bytes.subarray(n.contentStart + 1, n.end) };
}

const asciiDecoder = new TextDecoder('latin1');
const utf8Decoder = new TextDecoder('utf-8');

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * UTCTime (RFC 5280 section 4.1.2.5.1: YYMMDDHHMM[SS]Z, YY >= 50 means 19YY) or GeneralizedTime
 * (YYYYMMDDHHMMSS[.fff]Z). Offsets (+hhmm) are tolerated for BER-era signingTime values.
 */
export function decodeTime(node: DERNode | undefined, what = 'time'): Date {
  if (node === undefined) fail(`${what} is missing`, undefined);
  const isUTC = isUniversal(node, UNIVERSAL.utcTime);
  if (!isUTC && !isUniversal(node, UNIVERSAL.generalizedTime)) fail(`${what}: expected UTCTime or GeneralizedTime at offset ${node.start}`, node.start);
  if (node.constructed) fail(`${what} must be primitive`, node.start);
  const s = asciiDecoder.decode(derContents(node));
  let p: number;
  let year: number;
  if (isUTC) {
    const yy = digits(s, 0, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    p = 2;
  } else {
    year = digits(s, 0, 4);
    p = 4;
  }
  const month = digits(s, p, 2);
  const day = digits(s, p + 2, 2);
  const hour = digits(s, p + 4, 2);
  const minute = digits(s, p + 6, 2);
  p += 8;
  let second = 0;
  if (p < s.length && s[p] !== 'Z' && s[p] !== '+' && s[p] !== '-') {
    second = digits(s, p, 2);
    p += 2;
  }
  let millis = 0;
  if (!isUTC && (s[p] === '.' || s[p] === ',')) {
    p++;
    const fracStart = p;
    while (p < s.length && s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) p++;
    if (p === fracStart) fail(`${what}: empty fraction of a second`, node.start);
    millis = Math.floor(Number(`0.${s.slice(fracStart, p)}`) * 1000);
  }
  let offsetMinutes = 0;
  if (s[p] === 'Z') {
    p++;
  } else if (s[p] === '+' || s[p] === '-') {
    const sign = s[p] === '+' ? 1 : -1;
    const oh = digits(s, p + 1, 2);
    const om = digits(s, p + 3, 2);
    offsetMinutes = sign * (oh * 60 + om);
    p += 5;
  } else {
    fail(`${what}: "${s}" has no time zone`, node.start);
  }
  if (p !== s.length || [year, month, day, hour, minute, second].some((v) => Number.isNaN(v))) fail(`${what}: "${s}" is not a valid time`, node.start);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) fail(`${what}: "${s}" is out of range`, node.start);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return new Date(ms);
}

/** IA5String/PrintableString/VisibleString as Latin-1, UTF8String as UTF-8, BMPString as UTF-16BE. */
export function decodeString(node: DERNode, what = 'string'): string {
  if (node.constructed) fail(`${what} must be primitive`, node.start);
  const contents = derContents(node);
  if (node.tagClass === TAG_CLASS_UNIVERSAL) {
    switch (node.tagNumber) {
      case UNIVERSAL.utf8String:
        return utf8Decoder.decode(contents);
      case UNIVERSAL.bmpString:
        return decodeBMP(contents);
      case UNIVERSAL.ia5String:
      case UNIVERSAL.printableString:
      case UNIVERSAL.visibleString:
      case UNIVERSAL.numericString:
      case UNIVERSAL.t61String:
        return asciiDecoder.decode(contents);
      default:
        break;
    }
  }
  return fail(`${what}: unsupported string type (class ${node.tagClass} tag ${node.tagNumber})`, node.start);
}

export function decodeBMP(contents: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < contents.length; i += 2) s += String.fromCharCode(((contents[i] as number) << 8) | (contents[i + 1] as number));
  return s;
}
