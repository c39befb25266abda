/**
 * X.501 Name → string, exactly as `openssl x509 -noout -subject -nameopt RFC2253` prints it
 * (RFC 2253 "Lightweight Directory Access Protocol (v3): UTF-8 String Representation of Distinguished
 * Names"; RFC 5280 section 4.1.2.4 for the Name structure).
 *
 * OpenSSL's XN_FLAG_RFC2253 = ASN1_STRFLGS_RFC2253 | SEP_COMMA_PLUS | DN_REV | FN_SN | DUMP_UNKNOWN_FIELDS:
 * - DN_REV: the list of attribute values is printed last-to-first (most specific first). OpenSSL reverses
 *   the flat list of entries, so the values inside a multi-valued RDN come out reversed too; RDNs are
 *   separated by "," and the values of one RDN by "+".
 * - FN_SN: OpenSSL's short name for known attribute types ("CN", "emailAddress", "jurisdictionC");
 *   unknown types print as the dotted OID and their value as "#" + hex of its DER (DUMP_UNKNOWN_FIELDS).
 * - Values of a string type are escaped byte by byte (after conversion to UTF-8, UTF8_CONVERT):
 *   `, + " \ < > ;` get a backslash, as do a leading "#" or space and a trailing space (a one-character
 *   value only counts as "last"); control bytes and every byte >= 0x80 become "\XX" (ESC_CTRL, ESC_MSB).
 *   Values of a non-string type are dumped as "#" + DER hex (DUMP_UNKNOWN | DUMP_DER).
 * (OpenSSL crypto/x509/x509_obj.c do_name_ex, crypto/asn1/a_strex.c do_buf/do_esc_char, charmap.pl.)
 */
import { derBytes, derContents, expectSequence, expectSet, decodeOID, type DERNode, TAG_CLASS_UNIVERSAL, UNIVERSAL } from './der.ts';

/** OpenSSL short names (OBJ_nid2sn) of the attribute types that occur in certificate names. */
const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.9', 'street'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.12', 'title'],
  ['2.5.4.13', 'description'],
  ['2.5.4.14', 'searchGuide'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.16', 'postalAddress'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.18', 'postOfficeBox'],
  ['2.5.4.19', 'physicalDeliveryOfficeName'],
  ['2.5.4.20', 'telephoneNumber'],
  ['2.5.4.21', 'telexNumber'],
  ['2.5.4.22', 'teletexTerminalIdentifier'],
  ['2.5.4.23', 'facsimileTelephoneNumber'],
  ['2.5.4.24', 'x121Address'],
  ['2.5.4.25', 'internationaliSDNNumber'],
  ['2.5.4.26', 'registeredAddress'],
  ['2.5.4.27', 'destinationIndicator'],
  ['2.5.4.28', 'preferredDeliveryMethod'],
  ['2.5.4.29', 'presentationAddress'],
  ['2.5.4.30', 'supportedApplicationContext'],
  ['2.5.4.31', 'member'],
  ['2.5.4.32', 'owner'],
  ['2.5.4.33', 'roleOccupant'],
  ['2.5.4.34', 'seeAlso'],
  ['2.5.4.35', 'userPassword'],
  ['2.5.4.36', 'userCertificate'],
  ['2.5.4.37', 'cACertificate'],
  ['2.5.4.38', 'authorityRevocationList'],
  ['2.5.4.39', 'certificateRevocationList'],
  ['2.5.4.40', 'crossCertificatePair'],
  ['2.5.4.41', 'name'],
  ['2.5.4.42', 'GN'],
  ['2.5.4.43', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.45', 'x500UniqueIdentifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.47', 'enhancedSearchGuide'],
  ['2.5.4.48', 'protocolInformation'],
  ['2.5.4.49', 'distinguishedName'],
  ['2.5.4.50', 'uniqueMember'],
  ['2.5.4.51', 'houseIdentifier'],
  ['2.5.4.52', 'supportedAlgorithms'],
  ['2.5.4.53', 'deltaRevocationList'],
  ['2.5.4.54', 'dmdName'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.72', 'role'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['2.5.4.100', 'dnsName'],
  ['1.2.840.113549.1.9.1', 'emailAddress'],
  ['1.2.840.113549.1.9.2', 'unstructuredName'],
  ['1.2.840.113549.1.9.8', 'unstructuredAddress'],
  ['1.2.840.113549.1.9.20', 'friendlyName'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.3', 'mail'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['0.9.2342.19200300.100.1.44', 'uid'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC'],
  ['1.2.643.3.131.1.1', 'INN'],
  ['1.2.643.100.1', 'OGRN'],
  ['1.2.643.100.3', 'SNILS'],
  ['1.2.643.100.5', 'OGRNIP'],
]);

/** Bytes per character of the string types OpenSSL prints (a_strex.c tag2nbyte); 0 = UTF-8 as is. */
const CHAR_WIDTH: ReadonlyMap<number, number> = new Map([
  [UNIVERSAL.utf8String, 0],
  [UNIVERSAL.numericString, 1],
  [UNIVERSAL.printableString, 1],
  [UNIVERSAL.t61String, 1],
  [UNIVERSAL.ia5String, 1],
  [UNIVERSAL.utcTime, 1],
  [UNIVERSAL.generalizedTime, 1],
  [UNIVERSAL.visibleString, 1],
  [UNIVERSAL.universalString, 4],
  [UNIVERSAL.bmpString, 2],
]);

const HEX = '0123456789ABCDEF';

function hexUpper(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (HEX[b >> 4] as string) + (HEX[b & 15] as string);
  return s;
}

function dumpDER(node: DERNode): string {
  return `#${hexUpper(derBytes(node))}`;
}

function utf8Bytes(codePoint: number): number[] {
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x200000) return [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  // OpenSSL's UTF8_putc also writes 5- and 6-byte forms.
  if (codePoint < 0x4000000) {
    return [0xf8 | (codePoint >>> 24), 0x80 | ((codePoint >> 18) & 0x3f), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  }
  return [
    0xfc | ((codePoint >>> 30) & 0x01),
    0x80 | ((codePoint >>> 24) & 0x3f),
    0x80 | ((codePoint >> 18) & 0x3f),
    0x80 | ((codePoint >> 12) & 0x3f),
    0x80 | ((codePoint >> 6) & 0x3f),
    0x80 | (codePoint & 0x3f),
  ];
}

const BACKSLASH_ESCAPED = new Set([0x2c, 0x2b, 0x22, 0x5c, 0x3c, 0x3e, 0x3b]); // , + " \ < > ;

function escapeByte(b: number, first: boolean, last: boolean): string {
  if (b > 0x7e || b < 0x20) return `\\${HEX[b >> 4] as string}${HEX[b & 15] as string}`;
  if (BACKSLASH_ESCAPED.has(b) || (b === 0x20 && (first || last)) || (b === 0x23 && first)) return `\\${String.fromCharCode(b)}`;
  return String.fromCharCode(b);
}

/** One attribute value printed as OpenSSL's do_buf would; undefined when it must be dumped instead. */
function formatStringValue(node: DERNode): string | undefined {
  if (node.tagClass !== TAG_CLASS_UNIVERSAL || node.constructed) return undefined;
  const width = CHAR_WIDTH.get(node.tagNumber);
  if (width === undefined) return undefined;
  const bytes = derContents(node);
  const step = width === 0 ? 1 : width;
  if (bytes.length % step !== 0) return undefined;
  let out = '';
  for (let p = 0; p < bytes.length; p += step) {
    // OpenSSL decides "first" before reading a character and "last" after it: a single-character value is only "last".
    const last = p + step === bytes.length;
    const first = p === 0 && !last;
    let c = 0;
    for (let i = 0; i < step; i++) c = c * 256 + (bytes[p + i] as number);
    if (width === 0) {
      out += escapeByte(c, first, last); // UTF8String: printed byte by byte, no conversion
    } else {
      for (const b of utf8Bytes(c)) out += escapeByte(b, first, last);
    }
  }
  return out;
}

interface NameEntry {
  oid: string;
  value: DERNode;
  rdnIndex: number;
}

/** Walks Name ::= SEQUENCE OF RelativeDistinguishedName; RDN ::= SET OF AttributeTypeAndValue. */
function nameEntries(name: DERNode): NameEntry[] {
  const entries: NameEntry[] = [];
  expectSequence(name, 'Name').forEach((rdn, rdnIndex) => {
    for (const atv of expectSet(rdn, 'RelativeDistinguishedName')) {
      const [type, value, extra] = expectSequence(atv, 'AttributeTypeAndValue');
      if (type === undefined || value === undefined || extra !== undefined) {
        expectSequence(undefined, 'AttributeTypeAndValue with exactly a type and a value');
      }
      entries.push({ oid: decodeOID(type as DERNode, 'attribute type'), value: value as DERNode, rdnIndex });
    }
  });
  return entries;
}

/** RFC 2253 string of a DER Name node, matching `openssl ... -nameopt RFC2253`. */
export function formatNameRFC2253(name: DERNode): string {
  const entries = nameEntries(name).reverse();
  let out = '';
  let previousRdn = -1;
  for (const entry of entries) {
    if (previousRdn !== -1) out += entry.rdnIndex === previousRdn ? '+' : ',';
    previousRdn = entry.rdnIndex;
    const shortName = SHORT_NAMES.get(entry.oid);
    const text = shortName === undefined ? undefined : formatStringValue(entry.value);
    out += `${shortName ?? entry.oid}=${text ?? dumpDER(entry.value)}`;
  }
  return out;
}
