/**
 * RFC 5652 (CMS) SignedData and SignerInfo, as used by Authenticode (which is PKCS #7 v1.5, RFC 2315:
 * the content is `[0] EXPLICIT ANY` rather than an OCTET STRING) and by RFC 3161 time-stamp tokens.
 *
 *   ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY contentType }
 *   SignedData ::= SEQUENCE { version CMSVersion, digestAlgorithms SET OF DigestAlgorithmIdentifier,
 *       encapContentInfo EncapsulatedContentInfo, certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *       crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos SET OF SignerInfo }
 *   EncapsulatedContentInfo ::= SEQUENCE { eContentType ContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
 *   SignerInfo ::= SEQUENCE { version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
 *       signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL, signatureAlgorithm SignatureAlgorithmIdentifier,
 *       signature SignatureValue, unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 *   SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber,
 *       subjectKeyIdentifier [0] SubjectKeyIdentifier }
 */
import { bytesEqual, LimitExceededError } from '../binary/index.ts';
import { parseAlgorithmIdentifier, parseCertificateNode, formatSerialNumber } from './certificate.ts';
import {
  decodeOID,
  decodeSmallInteger,
  decodeTime,
  derBytes,
  derChildren,
  derContents,
  expectSequence,
  expectSet,
  explicitInner,
  integerBytes,
  isContext,
  isUniversal,
  octetStringContents,
  readNode,
  UNIVERSAL,
  type DERNode,
} from './der.ts';
import { authenticodeError, recode, type AuthenticodeErrorCode } from './errors.ts';
import { formatNameRFC2253 } from './name.ts';
import { DIGEST_ALGORITHM_BY_OID, OID } from './oids.ts';
import type { CertificateInfo, CMSAttribute, CMSSignerInfo, SignerIdentifier } from './authenticode.types.ts';

/** Certificates per SignedData. Real Authenticode signatures carry 2–10 (leaf, intermediates, TSA chain). */
export const MAX_CERTIFICATES = 64;
/** Attributes per signedAttrs / unsignedAttrs set. */
export const MAX_ATTRIBUTES = 64;
/** Values per attribute (nested signatures and timestamps are the only multi-valued ones in practice). */
export const MAX_ATTRIBUTE_VALUES = 16;

export interface ParsedSignedData {
  contentInfo: DERNode;
  eContentType: string;
  /** The element inside eContent's [0] EXPLICIT tag (a SEQUENCE for Authenticode, an OCTET STRING for CMS). */
  eContent: DERNode | undefined;
  certificates: CertificateInfo[];
  otherCertificateChoices: number;
  signerInfos: DERNode[];
}

/** ContentInfo(SignedData) → its parts. `notSignedData` is the code used when contentType is something else. */
export function parseSignedDataContentInfo(contentInfo: DERNode, notSignedData: AuthenticodeErrorCode): ParsedSignedData {
  const [contentType, content, extra] = expectSequence(contentInfo, 'ContentInfo');
  if (contentType === undefined || extra !== undefined) throw authenticodeError('AUTHENTICODE_BAD_DER', 'ContentInfo must be { contentType, content }', contentInfo.start);
  const type = decodeOID(contentType, 'ContentInfo.contentType');
  if (type !== OID.signedData) throw authenticodeError(notSignedData, `ContentInfo.contentType is ${type}, not signedData (${OID.signedData})`, contentType.start);
  if (content === undefined || !isContext(content, 0)) throw authenticodeError('AUTHENTICODE_BAD_DER', 'ContentInfo.content [0] is missing', contentInfo.start);
  const fields = expectSequence(explicitInner(content, 'ContentInfo.content'), 'SignedData');
  let i = 0;
  decodeSmallInteger(fields[i++] as DERNode, 'SignedData.version');
  expectSet(fields[i++], 'SignedData.digestAlgorithms');
  const encap = expectSequence(fields[i++], 'SignedData.encapContentInfo');
  const eContentType = decodeOID(encap[0] as DERNode, 'eContentType');
  let eContent: DERNode | undefined;
  if (encap[1] !== undefined) {
    if (!isContext(encap[1], 0) || encap[2] !== undefined) throw authenticodeError('AUTHENTICODE_BAD_DER', 'encapContentInfo.eContent must be [0] EXPLICIT', encap[1].start);
    eContent = explicitInner(encap[1], 'eContent');
  }
  const certificates: CertificateInfo[] = [];
  let otherCertificateChoices = 0;
  if (fields[i] !== undefined && isContext(fields[i] as DERNode, 0)) {
    const set = fields[i++] as DERNode;
    const choices = derChildren(set, MAX_CERTIFICATES + 1);
    if (choices.length > MAX_CERTIFICATES) throw new LimitExceededError('certificates per SignedData', choices.length, MAX_CERTIFICATES, set.start);
    for (const choice of choices) {
      // CertificateChoices: a bare Certificate SEQUENCE, or [0]..[3] alternatives we do not use.
      if (isUniversal(choice, UNIVERSAL.sequence)) certificates.push(parseCertificateNode(choice));
      else otherCertificateChoices++;
    }
  }
  if (fields[i] !== undefined && isContext(fields[i] as DERNode, 1)) i++; // crls: not used (no revocation checking)
  const signerInfos = expectSet(fields[i++], 'SignedData.signerInfos');
  if (fields[i] !== undefined) throw authenticodeError('AUTHENTICODE_BAD_DER', 'SignedData has trailing elements', (fields[i] as DERNode).start);
  return { contentInfo, eContentType, eContent, certificates, otherCertificateChoices, signerInfos };
}

function parseAttributes(node: DERNode, what: string): CMSAttribute[] {
  const list = derChildren(node, MAX_ATTRIBUTES + 1);
  if (list.length > MAX_ATTRIBUTES) throw new LimitExceededError(`${what} attributes`, list.length, MAX_ATTRIBUTES, node.start);
  return list.map((attr) => {
    const [type, values, extra] = expectSequence(attr, 'Attribute');
    if (type === undefined || extra !== undefined) throw authenticodeError('AUTHENTICODE_BAD_SIGNER_INFO', 'Attribute must be { attrType, attrValues }', attr.start);
    const valueNodes = expectSet(values, 'attrValues');
    if (valueNodes.length > MAX_ATTRIBUTE_VALUES) throw new LimitExceededError('values per attribute', valueNodes.length, MAX_ATTRIBUTE_VALUES, attr.start);
    return { oid: decodeOID(type, 'attrType'), values: valueNodes.map(derBytes) };
  });
}

/** The single value of a single-valued attribute (RFC 5652 section 11: contentType, messageDigest, signingTime). */
function singleValue(attributes: CMSAttribute[], oid: string): DERNode | undefined {
  const matches = attributes.filter((a) => a.oid === oid);
  if (matches.length === 0) return undefined;
  const [first] = matches;
  if (matches.length > 1 || first === undefined || first.values.length !== 1) {
    throw authenticodeError('AUTHENTICODE_BAD_SIGNER_INFO', `signed attribute ${oid} must occur once with one value`);
  }
  const bytes = first.values[0] as Uint8Array;
  return readNode(bytes, 0);
}

/**
 * Parses a SignerInfo and looks its certificate up in `certificates` (by issuer+serial or by subject key
 * identifier; RFC 5652 section 5.3).
 */
export function parseSignerInfo(node: DERNode, certificates: readonly CertificateInfo[]): CMSSignerInfo {
  return recode('AUTHENTICODE_BAD_SIGNER_INFO', 'SignerInfo', () => {
    const fields = expectSequence(node, 'SignerInfo');
    let i = 0;
    const version = decodeSmallInteger(fields[i++] as DERNode, 'SignerInfo.version');
    const sidNode = fields[i++];
    let sid: SignerIdentifier;
    if (sidNode !== undefined && isContext(sidNode, 0) && !sidNode.constructed) {
      sid = { kind: 'subjectKeyIdentifier', subjectKeyIdentifier: derContents(sidNode) };
    } else {
      const [issuer, serial, extra] = expectSequence(sidNode, 'IssuerAndSerialNumber');
      if (issuer === undefined || serial === undefined || extra !== undefined) throw authenticodeError('AUTHENTICODE_BAD_SIGNER_INFO', 'IssuerAndSerialNumber must be { issuer, serialNumber }', sidNode?.start);
      const serialNumberBytes = integerBytes(serial, 'serialNumber');
      sid = { kind: 'issuerAndSerialNumber', issuer: formatNameRFC2253(issuer), issuerDER: derBytes(issuer), serialNumber: formatSerialNumber(serialNumberBytes), serialNumberBytes };
    }
    const digestAlgorithm = parseAlgorithmIdentifier(fields[i++], 'SignerInfo.digestAlgorithm');
    let signedAttributesDER: Uint8Array | undefined;
    let signedAttributes: CMSAttribute[] = [];
    if (fields[i] !== undefined && isContext(fields[i] as DERNode, 0)) {
      const n = fields[i++] as DERNode;
      signedAttributesDER = derBytes(n);
      signedAttributes = parseAttributes(n, 'signed');
    }
    const signatureAlgorithm = parseAlgorithmIdentifier(fields[i++], 'SignerInfo.signatureAlgorithm');
    const signature = octetStringContents(fields[i++], 'SignerInfo.signature');
    let unsignedAttributes: CMSAttribute[] = [];
    if (fields[i] !== undefined && isContext(fields[i] as DERNode, 1)) unsignedAttributes = parseAttributes(fields[i++] as DERNode, 'unsigned');
    if (fields[i] !== undefined) throw authenticodeError('AUTHENTICODE_BAD_SIGNER_INFO', 'SignerInfo has trailing elements', (fields[i] as DERNode).start);

    const contentTypeNode = singleValue(signedAttributes, OID.contentType);
    const messageDigestNode = singleValue(signedAttributes, OID.messageDigest);
    const signingTimeNode = singleValue(signedAttributes, OID.signingTime);
    return {
      version,
      sid,
      certificateIndex: findSignerCertificate(sid, certificates),
      digestAlgorithm: DIGEST_ALGORITHM_BY_OID.get(digestAlgorithm.oid),
      digestAlgorithmOid: digestAlgorithm.oid,
      signatureAlgorithmOid: signatureAlgorithm.oid,
      signatureAlgorithmParameters: signatureAlgorithm.parameters,
      signature,
      signedAttributesDER,
      signedAttributes,
      unsignedAttributes,
      contentType: contentTypeNode === undefined ? undefined : decodeOID(contentTypeNode, 'contentType attribute'),
      messageDigest: messageDigestNode === undefined ? undefined : octetStringContents(messageDigestNode, 'messageDigest attribute'),
      signingTime: signingTimeNode === undefined ? undefined : decodeTime(signingTimeNode, 'signingTime attribute'),
    };
  });
}

export function findSignerCertificate(sid: SignerIdentifier, certificates: readonly CertificateInfo[]): number | undefined {
  const index = certificates.findIndex((c) =>
    sid.kind === 'issuerAndSerialNumber'
      ? bytesEqual(c.serialNumberBytes, sid.serialNumberBytes) && bytesEqual(c.issuerDER, sid.issuerDER)
      : c.subjectKeyIdentifier !== undefined && bytesEqual(c.subjectKeyIdentifier, sid.subjectKeyIdentifier),
  );
  return index === -1 ? undefined : index;
}

/** The values of every unsigned attribute with this OID, flattened in order. */
export function attributeValues(attributes: readonly CMSAttribute[], oid: string): Uint8Array[] {
  return attributes.filter((a) => a.oid === oid).flatMap((a) => a.values);
}
