/**
 * The parts of an X.509 certificate (RFC 5280 section 4.1) that signature verification and reports need.
 *
 *   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm AlgorithmIdentifier,
 *                              signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, serialNumber INTEGER,
 *       signature AlgorithmIdentifier, issuer Name, validity Validity, subject Name,
 *       subjectPublicKeyInfo SubjectPublicKeyInfo, issuerUniqueID [1] IMPLICIT OPTIONAL,
 *       subjectUniqueID [2] IMPLICIT OPTIONAL, extensions [3] EXPLICIT Extensions OPTIONAL }
 */
import { createHash } from 'node:crypto';
import {
  bitStringContents,
  decodeBoolean,
  decodeOID,
  decodeSmallInteger,
  decodeTime,
  derBytes,
  derContents,
  expectSequence,
  explicitInner,
  integerBytes,
  isContext,
  isUniversal,
  octetStringContents,
  readNode,
  UNIVERSAL,
  type DERNode,
} from './der.ts';
import { toHex } from '../binary/index.ts';
import { authenticodeError, recode } from './errors.ts';
import { formatNameRFC2253 } from './name.ts';
import { OID } from './oids.ts';
import type { CertificateInfo } from './authenticode.types.ts';

/** Extensions read per certificate; more is a hostile certificate. */
const MAX_EXTENSIONS = 64;

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL } (RFC 5280 4.1.1.2). */
export function parseAlgorithmIdentifier(node: DERNode | undefined, what: string): { oid: string; parameters: Uint8Array | undefined } {
  const [oid, params, extra] = expectSequence(node, what);
  if (oid === undefined || extra !== undefined) throw authenticodeError('AUTHENTICODE_BAD_DER', `${what} must be { algorithm, parameters OPTIONAL }`, node?.start);
  return { oid: decodeOID(oid, `${what}.algorithm`), parameters: params === undefined || isUniversal(params, UNIVERSAL.null) ? undefined : derBytes(params) };
}

/**
 * Upper-case hex of an INTEGER as `openssl x509 -serial` prints it: the magnitude's bytes (a leading 00 sign
 * byte is dropped), "-" before a negative value, "00" for zero.
 */
export function formatSerialNumber(integer: Uint8Array): string {
  let bytes = integer;
  let sign = '';
  if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) {
    // Negative: two's complement → magnitude.
    const magnitude = new Uint8Array(bytes.length);
    let carry = 1;
    for (let i = bytes.length - 1; i >= 0; i--) {
      const v = ((~(bytes[i] as number)) & 0xff) + carry;
      magnitude[i] = v & 0xff;
      carry = v >> 8;
    }
    bytes = magnitude;
    sign = '-';
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  let hex = '';
  for (let i = start; i < bytes.length; i++) hex += (bytes[i] as number).toString(16).padStart(2, '0');
  return sign + (hex === '' ? '00' : hex.toUpperCase());
}


interface ParsedExtensions {
  extendedKeyUsage: string[] | undefined;
  isCA: boolean | undefined;
  subjectKeyIdentifier: Uint8Array | undefined;
  authorityKeyIdentifier: Uint8Array | undefined;
  keyUsage: number | undefined;
  critical: string[];
}

function parseExtensions(node: DERNode): ParsedExtensions {
  const out: ParsedExtensions = { extendedKeyUsage: undefined, isCA: undefined, subjectKeyIdentifier: undefined, authorityKeyIdentifier: undefined, keyUsage: undefined, critical: [] };
  const list = expectSequence(explicitInner(node, 'extensions'), 'Extensions');
  if (list.length > MAX_EXTENSIONS) throw authenticodeError('LIMIT_EXCEEDED', `certificate has ${list.length} extensions (limit ${MAX_EXTENSIONS})`, node.start);
  for (const ext of list) {
    const parts = expectSequence(ext, 'Extension');
    const oid = decodeOID(parts[0] as DERNode, 'extnID');
    let i = 1;
    let critical = false;
    if (parts[i] !== undefined && isUniversal(parts[i] as DERNode, UNIVERSAL.boolean)) critical = decodeBoolean(parts[i++] as DERNode, 'critical');
    const value = octetStringContents(parts[i], 'extnValue');
    if (parts[i + 1] !== undefined) throw authenticodeError('AUTHENTICODE_BAD_DER', 'Extension has trailing elements', ext.start);
    if (critical) out.critical.push(oid);
    const inner = (): DERNode => {
      const n = readNode(value, 0);
      if (n.end !== value.length) throw authenticodeError('AUTHENTICODE_BAD_DER', `extension ${oid} has trailing bytes`, ext.start);
      return n;
    };
    switch (oid) {
      case OID.extKeyUsage:
        // ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (RFC 5280 4.2.1.12)
        out.extendedKeyUsage = expectSequence(inner(), 'ExtKeyUsageSyntax').map((n) => decodeOID(n, 'KeyPurposeId'));
        break;
      case OID.basicConstraints: {
        // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL } (4.2.1.9)
        const bc = expectSequence(inner(), 'BasicConstraints');
        out.isCA = bc[0] !== undefined && isUniversal(bc[0], UNIVERSAL.boolean) ? decodeBoolean(bc[0], 'cA') : false;
        break;
      }
      case OID.subjectKeyIdentifier:
        out.subjectKeyIdentifier = octetStringContents(inner(), 'SubjectKeyIdentifier');
        break;
      case OID.authorityKeyIdentifier: {
        // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, ... } (4.2.1.1)
        const first = expectSequence(inner(), 'AuthorityKeyIdentifier')[0];
        if (first !== undefined && isContext(first, 0) && !first.constructed) out.authorityKeyIdentifier = derContents(first);
        break;
      }
      case OID.keyUsage: {
        // KeyUsage ::= BIT STRING { digitalSignature (0), ..., keyCertSign (5), ... } (4.2.1.3)
        const bits = bitStringContents(inner(), 'KeyUsage');
        out.keyUsage = ((bits.bytes[0] ?? 0) << 8) | (bits.bytes[1] ?? 0);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** KeyUsage bit masks in the 16-bit value stored in CertificateInfo.keyUsage (bit 0 = 0x8000). */
export const KEY_USAGE_DIGITAL_SIGNATURE = 0x8000;
export const KEY_USAGE_KEY_CERT_SIGN = 0x0400;

/** Parses one DER certificate (the whole of `der`). Throws ParseError('AUTHENTICODE_BAD_CERTIFICATE'). */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  return recode('AUTHENTICODE_BAD_CERTIFICATE', 'certificate', () => {
    const root = readNode(der, 0);
    if (root.end !== der.length) throw authenticodeError('AUTHENTICODE_BAD_CERTIFICATE', 'certificate has trailing bytes', root.end);
    return parseCertificateNode(root);
  });
}

/** Parses a certificate node in place (its `der` is a subarray of the enclosing buffer). */
export function parseCertificateNode(node: DERNode): CertificateInfo {
  return recode('AUTHENTICODE_BAD_CERTIFICATE', 'certificate', () => parseCertificateFields(node));
}

function parseCertificateFields(node: DERNode): CertificateInfo {
  const [tbs, sigAlg, sigValue, extra] = expectSequence(node, 'Certificate');
  if (tbs === undefined || extra !== undefined) throw authenticodeError('AUTHENTICODE_BAD_CERTIFICATE', 'Certificate must be { tbsCertificate, signatureAlgorithm, signatureValue }', node.start);
  const signatureAlgorithm = parseAlgorithmIdentifier(sigAlg, 'Certificate.signatureAlgorithm');
  const signatureBits = bitStringContents(sigValue, 'Certificate.signatureValue');
  // Signatures are whole octets; accepting other counts would let the certificate DER (and its thumbprint) change
  // while the signature still verifies.
  if (signatureBits.unusedBits !== 0) throw authenticodeError('AUTHENTICODE_BAD_CERTIFICATE', 'Certificate.signatureValue has unused bits', sigValue?.start);
  const signature = signatureBits.bytes;
  const fields = expectSequence(tbs, 'TBSCertificate');
  let i = 0;
  let version = 1;
  if (fields[0] !== undefined && isContext(fields[0], 0)) version = decodeSmallInteger(explicitInner(fields[i++] as DERNode, 'version'), 'version') + 1;
  const serialNumber = integerBytes(fields[i++] as DERNode, 'serialNumber');
  i++; // TBSCertificate.signature: must equal signatureAlgorithm; verification uses the outer one.
  const issuerNode = fields[i++];
  const validity = expectSequence(fields[i++], 'Validity');
  const subjectNode = fields[i++];
  const spki = expectSequence(fields[i], 'SubjectPublicKeyInfo');
  const spkiNode = fields[i++] as DERNode;
  const publicKeyAlgorithm = parseAlgorithmIdentifier(spki[0], 'SubjectPublicKeyInfo.algorithm');
  let extensions: ParsedExtensions | undefined;
  for (; i < fields.length; i++) {
    const f = fields[i] as DERNode;
    if (isContext(f, 3)) extensions = parseExtensions(f);
    else if (!isContext(f, 1) && !isContext(f, 2)) throw authenticodeError('AUTHENTICODE_BAD_CERTIFICATE', `unexpected element in TBSCertificate at offset ${f.start}`, f.start);
  }
  const der = derBytes(node);
  const subject = formatNameRFC2253(subjectNode as DERNode);
  return {
    der,
    tbs: derBytes(tbs),
    version,
    serialNumber: formatSerialNumber(serialNumber),
    serialNumberBytes: serialNumber,
    issuer: formatNameRFC2253(issuerNode as DERNode),
    issuerDER: derBytes(issuerNode as DERNode),
    subject,
    subjectDER: derBytes(subjectNode as DERNode),
    notBefore: decodeTime(validity[0], 'notBefore'),
    notAfter: decodeTime(validity[1], 'notAfter'),
    subjectPublicKeyInfo: derBytes(spkiNode),
    publicKeyAlgorithm: publicKeyAlgorithm.oid,
    signatureAlgorithm: signatureAlgorithm.oid,
    signatureAlgorithmParameters: signatureAlgorithm.parameters,
    signature,
    extendedKeyUsage: extensions?.extendedKeyUsage,
    isCA: extensions?.isCA,
    keyUsage: extensions?.keyUsage,
    subjectKeyIdentifier: extensions?.subjectKeyIdentifier,
    authorityKeyIdentifier: extensions?.authorityKeyIdentifier,
    criticalExtensions: extensions?.critical ?? [],
  };
}

/** Upper-case hex SHA-1 / SHA-256 of the certificate's DER (what Windows and openssl call the thumbprint). */
export function thumbprints(cert: CertificateInfo): { sha1: string; sha256: string } {
  return {
    sha1: toHex(createHash('sha1').update(cert.der).digest(), true),
    sha256: toHex(createHash('sha256').update(cert.der).digest(), true),
  };
}
