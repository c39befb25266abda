/**
 * Parsing an Authenticode signature: the bCertificate of a WIN_CERTIFICATE (type
 * WIN_CERT_TYPE_PKCS_SIGNED_DATA) is a PKCS #7 ContentInfo whose SignedData encapsulates an
 * SpcIndirectDataContent.
 *
 * References:
 * - [AUTHENTICODE] "Windows Authenticode Portable Executable Signature Format" (Microsoft, 2008, v1.0):
 *   sections "Authenticode Signature Format", "SpcIndirectDataContent", "SpcSpOpusInfo", "Timestamp".
 * - RFC 5652 (CMS) sections 5 and 11.4 (countersignature); RFC 2315 (PKCS #7 v1.5).
 * - RFC 3161 section 2.4.2 (TimeStampToken, TSTInfo).
 *
 *   SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }
 *   SpcAttributeTypeAndOptionalValue ::= SEQUENCE { type ObjectID, value [0] EXPLICIT ANY OPTIONAL }
 *   DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTETSTRING }
 *   SpcPeImageData ::= SEQUENCE { flags SpcPeImageFlags DEFAULT { includeResources }, file SpcLink }
 *   SpcLink ::= CHOICE { url [0] IMPLICIT IA5STRING, moniker [1] IMPLICIT SpcSerializedObject, file [2] EXPLICIT SpcString }
 *   SpcSerializedObject ::= SEQUENCE { classId SpcUuid, serializedData OCTETSTRING }
 *   SpcSpOpusInfo ::= SEQUENCE { programName [0] EXPLICIT SpcString OPTIONAL, moreInfo [1] EXPLICIT SpcLink OPTIONAL }
 *   SpcString ::= CHOICE { unicode [0] IMPLICIT BMPSTRING, ascii [1] IMPLICIT IA5STRING }
 *
 * Unsigned attributes of the (single) SignerInfo carry:
 * - 1.3.6.1.4.1.311.2.4.1 nested signatures: each value a complete ContentInfo, parsed recursively;
 * - 1.3.6.1.4.1.311.3.3.1 RFC 3161 TimeStampTokens;
 * - 1.2.840.113549.1.9.6 legacy Authenticode timestamps (a SignerInfo countersigning our signature value).
 */
import { bytesEqual, LimitExceededError, ParseError } from '../binary/index.ts';
import { formatSerialNumber, parseAlgorithmIdentifier } from './certificate.ts';
import { attributeValues, parseSignedDataContentInfo, parseSignerInfo } from './cms.ts';
import {
  decodeBMP,
  decodeOID,
  decodeTime,
  derContents,
  derChildren,
  explicitInner,
  expectSequence,
  integerBytes,
  isContext,
  octetStringContents,
  readNode,
  UNIVERSAL,
  expectUniversal,
  type DERNode,
} from './der.ts';
import { authenticodeError, guardParse, recode } from './errors.ts';
import { DIGEST_ALGORITHM_BY_OID, OID } from './oids.ts';
import type {
  AttributeParseIssue,
  AuthenticodeCountersignature,
  AuthenticodeSignature,
  AuthenticodeTimestamp,
  CertificateInfo,
  PageHashes,
  RFC3161Timestamp,
} from './authenticode.types.ts';

/**
 * Nesting depth of nested signatures (the primary is depth 0). signtool appends every extra signature
 * to the primary's attribute, so real files use depth 1; anything deeper than this is hostile.
 */
export const MAX_NESTING_DEPTH = 4;
/** Signatures (primary + all nested) per parse. */
export const MAX_SIGNATURES = 32;

/** SpcSerializedObject.classId of the page-hash moniker ([AUTHENTICODE] "SpcPeImageData"). */
const PAGE_HASH_CLASS_ID = new Uint8Array([0xa6, 0xb5, 0x86, 0xd5, 0xb4, 0xa1, 0x24, 0x66, 0xae, 0x05, 0xa2, 0x17, 0xda, 0x8e, 0x60, 0xd6]);

interface ParseBudget {
  /** Signatures parsed so far (primary and nested, across all branches). */
  signatures: number;
}

/**
 * Parses the bytes of a WIN_CERTIFICATE's bCertificate (a DER ContentInfo, possibly followed by
 * alignment padding). Throws ParseError (see AuthenticodeErrorCode) on malformed input; nothing else
 * escapes. A malformed nested signature or timestamp does not fail the whole parse: it is reported in
 * `nestedErrors` / `timestampErrors`.
 */
export function parseAuthenticodeSignature(der: Uint8Array): AuthenticodeSignature {
  return guardParse('AUTHENTICODE_BAD_DER', 'Authenticode signature', () => parseAt(der, { signatures: 0 }, 0));
}

function parseAt(bytes: Uint8Array, budget: ParseBudget, depth: number): AuthenticodeSignature {
  if (depth > MAX_NESTING_DEPTH) throw new LimitExceededError('nested signature depth', depth, MAX_NESTING_DEPTH);
  budget.signatures++;
  if (budget.signatures > MAX_SIGNATURES) throw new LimitExceededError('signatures (primary and nested)', budget.signatures, MAX_SIGNATURES);
  if (bytes.length === 0) throw authenticodeError('AUTHENTICODE_BAD_DER', 'the signature is empty');

  const root = readNode(bytes, 0);
  const padding = bytes.subarray(root.end);
  // Only the outermost signature sits in an 8-byte aligned WIN_CERTIFICATE; a nested one is an exact attribute value.
  if (depth > 0 && padding.length > 0) throw authenticodeError('AUTHENTICODE_BAD_DER', 'trailing bytes after a nested signature', root.end);
  const der = bytes.subarray(0, root.end);

  const signedData = parseSignedDataContentInfo(root, 'AUTHENTICODE_NOT_SIGNED_DATA');
  if (signedData.eContentType !== OID.spcIndirectDataContent) {
    throw authenticodeError('AUTHENTICODE_NOT_SPC_INDIRECT_DATA', `eContentType is ${signedData.eContentType}, not SpcIndirectDataContent (${OID.spcIndirectDataContent})`);
  }
  const indirect = parseIndirectData(signedData.eContent);

  if (signedData.signerInfos.length === 0) throw authenticodeError('AUTHENTICODE_NO_SIGNER', 'SignedData has no SignerInfo');
  if (signedData.signerInfos.length > 1) {
    throw authenticodeError('AUTHENTICODE_MULTIPLE_SIGNERS', `SignedData has ${signedData.signerInfos.length} SignerInfos; Authenticode allows exactly one`);
  }
  const signer = parseSignerInfo(signedData.signerInfos[0] as DERNode, signedData.certificates);
  const opus = parseOpusInfo(attributeValues(signer.signedAttributes, OID.spcSpOpusInfo)[0]);

  const nested: AuthenticodeSignature[] = [];
  const nestedErrors: AttributeParseIssue[] = [];
  attributeValues(signer.unsignedAttributes, OID.spcNestedSignature).forEach((value, index) => {
    try {
      nested.push(parseAt(value, budget, depth + 1));
    } catch (error) {
      // Limits protect the whole parse: a hostile nesting bomb fails it instead of being skipped.
      if (error instanceof LimitExceededError) throw error;
      nestedErrors.push(issue(OID.spcNestedSignature, index, error));
    }
  });

  const timestamps: AuthenticodeTimestamp[] = [];
  const timestampErrors: AttributeParseIssue[] = [];
  attributeValues(signer.unsignedAttributes, OID.msRFC3161Timestamp).forEach((value, index) => {
    try {
      timestamps.push(parseRFC3161Token(value));
    } catch (error) {
      if (error instanceof LimitExceededError) throw error;
      timestampErrors.push(issue(OID.msRFC3161Timestamp, index, error));
    }
  });
  attributeValues(signer.unsignedAttributes, OID.counterSignature).forEach((value, index) => {
    try {
      timestamps.push(parseCountersignature(value, signedData.certificates));
    } catch (error) {
      if (error instanceof LimitExceededError) throw error;
      timestampErrors.push(issue(OID.counterSignature, index, error));
    }
  });

  // bCertificate starts 8 bytes into an 8-byte aligned WIN_CERTIFICATE, so 0–7 bytes after the DER align it.
  const alignment = (8 - (der.length % 8)) % 8;
  const excess = padding.subarray(Math.min(alignment, padding.length));
  return {
    der,
    paddingBytes: padding.length,
    nonZeroPadding: padding.some((b) => b !== 0),
    excessPaddingBytes: excess.length,
    excessPaddingNonZero: excess.some((b) => b !== 0),
    dataType: indirect.dataType,
    pageHashes: indirect.pageHashes,
    digestAlgorithm: indirect.digestAlgorithm,
    digestAlgorithmOid: indirect.digestAlgorithmOid,
    expectedDigest: indirect.digest,
    indirectDataContent: indirect.contents,
    programName: opus.programName,
    moreInfoUrl: opus.moreInfoUrl,
    certificates: signedData.certificates,
    otherCertificateChoices: signedData.otherCertificateChoices,
    signer,
    signedAttributeOids: signer.signedAttributes.map((a) => a.oid),
    unsignedAttributeOids: signer.unsignedAttributes.map((a) => a.oid),
    nested,
    nestedErrors,
    timestamps,
    timestampErrors,
  };
}

function issue(attribute: string, index: number, error: unknown): AttributeParseIssue {
  if (error instanceof ParseError) return { attribute, index, code: String(error.code), message: error.message };
  return { attribute, index, code: 'AUTHENTICODE_BAD_DER', message: error instanceof Error ? error.message : String(error) };
}

interface IndirectData {
  dataType: string;
  pageHashes: PageHashes | undefined;
  digestAlgorithm: AuthenticodeSignature['digestAlgorithm'];
  digestAlgorithmOid: string;
  digest: Uint8Array;
  contents: Uint8Array;
}

function parseIndirectData(eContent: DERNode | undefined): IndirectData {
  if (eContent === undefined) throw authenticodeError('AUTHENTICODE_BAD_INDIRECT_DATA', 'SignedData has no encapsulated SpcIndirectDataContent');
  return recode('AUTHENTICODE_BAD_INDIRECT_DATA', 'SpcIndirectDataContent', () => {
    const [data, digestInfo, extra] = expectSequence(eContent, 'SpcIndirectDataContent');
    if (data === undefined || digestInfo === undefined || extra !== undefined) {
      throw authenticodeError('AUTHENTICODE_BAD_INDIRECT_DATA', 'SpcIndirectDataContent must be { data, messageDigest }', eContent.start);
    }
    const [type, value] = expectSequence(data, 'SpcAttributeTypeAndOptionalValue');
    const dataType = decodeOID(type as DERNode, 'SpcAttributeTypeAndOptionalValue.type');
    const [algorithm, digestNode, extraDigest] = expectSequence(digestInfo, 'DigestInfo');
    if (extraDigest !== undefined) throw authenticodeError('AUTHENTICODE_BAD_INDIRECT_DATA', 'DigestInfo has trailing elements', digestInfo.start);
    const { oid } = parseAlgorithmIdentifier(algorithm, 'DigestInfo.digestAlgorithm');
    const digestAlgorithm = DIGEST_ALGORITHM_BY_OID.get(oid);
    if (digestAlgorithm === undefined) throw authenticodeError('AUTHENTICODE_UNSUPPORTED_DIGEST', `image digest algorithm ${oid} is not md5, sha1, sha256, sha384 or sha512`);
    const digest = octetStringContents(digestNode, 'DigestInfo.digest');
    return {
      dataType,
      pageHashes: dataType === OID.spcPeImageData && value !== undefined ? findPageHashes(value) : undefined,
      digestAlgorithm,
      digestAlgorithmOid: oid,
      digest,
      // [AUTHENTICODE]: the messageDigest covers the DER of SpcIndirectDataContent without its tag and length.
      contents: derContents(eContent),
    };
  });
}

/** Page hashes live in SpcPeImageData.file = SpcLink.moniker; reported only. Lenient: any oddity → undefined. */
function findPageHashes(value: DERNode): PageHashes | undefined {
  try {
    const file = expectSequence(value, 'SpcPeImageData').find((n) => isContext(n, 0));
    if (file === undefined) return undefined;
    const link = explicitInner(file, 'SpcPeImageData.file');
    if (!isContext(link, 1)) return undefined;
    const [classId, serialized] = derChildren(link);
    if (classId === undefined || serialized === undefined || !bytesEqual(octetStringContents(classId), PAGE_HASH_CLASS_ID)) return undefined;
    const data = octetStringContents(serialized);
    const set = readNode(data, 0);
    for (const attr of derChildren(set)) {
      const [type, values] = expectSequence(attr, 'SpcAttributeTypeAndOptionalValue');
      const oid = decodeOID(type as DERNode);
      if (oid !== OID.spcPageHashV1 && oid !== OID.spcPageHashV2) continue;
      const table = values === undefined ? new Uint8Array(0) : octetStringContents(derChildren(values)[0]);
      return { algorithm: oid === OID.spcPageHashV1 ? 'sha1' : 'sha256', table };
    }
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
  }
  return undefined;
}

/** SpcString / SpcLink text: [0] BMPString or [1] IA5String (SpcString), [0] IA5String URL (SpcLink). */
function spcText(node: DERNode, isLink: boolean): string | undefined {
  if (node.constructed) {
    // SpcLink.file [2] EXPLICIT SpcString
    if (isLink && isContext(node, 2)) return spcText(explicitInner(node, 'SpcLink.file'), false);
    return undefined;
  }
  const contents = derContents(node);
  if (isLink) return isContext(node, 0) ? latin1(contents) : undefined;
  if (isContext(node, 0)) return decodeBMP(contents);
  if (isContext(node, 1)) return latin1(contents);
  return undefined;
}

const latin1Decoder = new TextDecoder('latin1');
function latin1(bytes: Uint8Array): string {
  return latin1Decoder.decode(bytes);
}

/** SpcSpOpusInfo: informational, so a malformed one is ignored rather than failing the signature. */
function parseOpusInfo(value: Uint8Array | undefined): { programName: string | undefined; moreInfoUrl: string | undefined } {
  const out: { programName: string | undefined; moreInfoUrl: string | undefined } = { programName: undefined, moreInfoUrl: undefined };
  if (value === undefined) return out;
  try {
    for (const field of expectSequence(readNode(value, 0), 'SpcSpOpusInfo')) {
      if (isContext(field, 0)) out.programName = spcText(explicitInner(field, 'programName'), false);
      else if (isContext(field, 1)) out.moreInfoUrl = spcText(explicitInner(field, 'moreInfo'), true);
    }
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
  }
  return out;
}

/**
 * RFC 3161 section 2.4.2: TimeStampToken ::= ContentInfo (SignedData, eContentType id-ct-TSTInfo);
 *   TSTInfo ::= SEQUENCE { version INTEGER, policy TSAPolicyId, messageImprint MessageImprint,
 *       serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL, ordering BOOLEAN DEFAULT FALSE,
 *       nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL, extensions [1] IMPLICIT Extensions OPTIONAL }
 *   MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
 * The TSA certificate is looked up among the token's certificates, then among the outer signature's.
 */
function parseRFC3161Token(value: Uint8Array): RFC3161Timestamp {
  return recode('AUTHENTICODE_BAD_TIMESTAMP', 'RFC 3161 timestamp', () => {
    const root = readNode(value, 0);
    const sd = parseSignedDataContentInfo(root, 'AUTHENTICODE_BAD_TIMESTAMP');
    if (sd.eContentType !== OID.tstInfo) throw authenticodeError('AUTHENTICODE_BAD_TIMESTAMP', `timestamp eContentType is ${sd.eContentType}, not id-ct-TSTInfo`);
    if (sd.signerInfos.length !== 1) throw authenticodeError('AUTHENTICODE_BAD_TIMESTAMP', `a TimeStampToken must have exactly one SignerInfo (has ${sd.signerInfos.length})`);
    const tstInfo = octetStringContents(sd.eContent, 'TimeStampToken eContent');
    const tstRoot = readNode(tstInfo, 0);
    if (tstRoot.end !== tstInfo.length) throw authenticodeError('AUTHENTICODE_BAD_TIMESTAMP', 'TSTInfo has trailing bytes');
    const fields = expectSequence(tstRoot, 'TSTInfo');
    const policy = decodeOID(fields[1] as DERNode, 'TSTInfo.policy');
    const [hashAlgorithm, hashedMessage] = expectSequence(fields[2], 'MessageImprint');
    const imprintAlgorithm = parseAlgorithmIdentifier(hashAlgorithm, 'MessageImprint.hashAlgorithm');
    const serialNumber = formatSerialNumber(integerBytes(fields[3] as DERNode, 'TSTInfo.serialNumber'));
    const genTime = expectUniversal(fields[4], UNIVERSAL.generalizedTime, 'TSTInfo.genTime');
    const signer = parseSignerInfo(sd.signerInfos[0] as DERNode, sd.certificates);
    return {
      kind: 'rfc3161',
      time: decodeTime(genTime, 'TSTInfo.genTime'),
      policy,
      serialNumber,
      messageImprint: {
        algorithm: DIGEST_ALGORITHM_BY_OID.get(imprintAlgorithm.oid),
        algorithmOid: imprintAlgorithm.oid,
        hashedMessage: octetStringContents(hashedMessage, 'MessageImprint.hashedMessage'),
      },
      tstInfo,
      certificates: sd.certificates,
      signer,
    };
  });
}

/**
 * A legacy Authenticode timestamp: unsigned attribute 1.2.840.113549.1.9.6 whose value is a SignerInfo
 * (RFC 5652 section 11.4) signing our SignerInfo's signature value; its signingTime is the timestamp.
 * The countersigner's certificate is among the outer SignedData certificates.
 */
function parseCountersignature(value: Uint8Array, outerCertificates: readonly CertificateInfo[]): AuthenticodeCountersignature {
  return recode('AUTHENTICODE_BAD_TIMESTAMP', 'Authenticode countersignature', () => {
    const node = readNode(value, 0);
    const signer = parseSignerInfo(node, outerCertificates);
    return { kind: 'authenticode', time: signer.signingTime, signer };
  });
}
