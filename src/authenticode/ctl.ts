/**
 * Microsoft certificate trust lists (CTL): `authroot.stl`, the list of the Microsoft Trusted Root Program.
 *
 * A CTL is a PKCS #7 SignedData (RFC 2315, content `[0] EXPLICIT ANY` as in Authenticode) whose
 * eContentType is szOID_CTL (1.3.6.1.4.1.311.10.1) and whose content is ([MS-CAESO] 4.4.5.2; wincrypt.h):
 *
 *   CertificateTrustList ::= SEQUENCE {
 *     version          CTLVersion DEFAULT v1,
 *     subjectUsage     SEQUENCE OF OBJECT IDENTIFIER,   -- 1.3.6.1.4.1.311.10.3.9 (root list signer)
 *     listIdentifier   OCTET STRING OPTIONAL,
 *     sequenceNumber   INTEGER OPTIONAL,
 *     ctlThisUpdate    UTCTime / GeneralizedTime,
 *     ctlNextUpdate    UTCTime / GeneralizedTime OPTIONAL,
 *     subjectAlgorithm AlgorithmIdentifier,             -- sha1: entries are named by SHA-1 thumbprint
 *     trustedSubjects  SEQUENCE OF TrustedSubject OPTIONAL,
 *     ctlExtensions    [0] EXPLICIT Extensions OPTIONAL }
 *   TrustedSubject ::= SEQUENCE { subjectIdentifier OCTET STRING, subjectAttributes SET OF Attribute OPTIONAL }
 *
 * Each attribute is a certificate property 1.3.6.1.4.1.311.10.11.<CERT_*_PROP_ID> whose single value is an
 * OCTET STRING holding the property as CertSetCertificateContextProperty stores it: EKU lists as DER
 * `SEQUENCE OF OBJECT IDENTIFIER`, dates as little-endian FILETIMEs (100 ns since 1601-01-01 UTC), the
 * friendly name as NUL-terminated UTF-16LE.
 *
 * Verification: the SignerInfo as in RFC 5652 section 5.4 (messageDigest over the content octets, signature
 * over the signed attributes), the signer certificate allowed for CTL signing (EKU 1.3.6.1.4.1.311.10.3.1 or
 * the list's subjectUsage, when it has an EKU list), its chain built from the CTL's own certificates up to one of the pinned roots
 * the caller passes, each certificate valid at ctlThisUpdate (the list is data with a date: it is judged
 * when it was issued; whether it is too old is the caller's policy).
 */
import { toHex } from '../binary/index.ts';
import { parseAlgorithmIdentifier, thumbprints } from './certificate.ts';
import { parseSignedDataContentInfo, parseSignerInfo } from './cms.ts';
import {
  decodeOID,
  decodeTime,
  derChildren,
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
import { authenticodeError, guardParse, recode } from './errors.ts';
import { DIGEST_ALGORITHM_BY_OID } from './oids.ts';
import { buildChain, checkSignerInfo, hasUsage, loadAnchors, validityProblem } from './verify.ts';
import type { AnchorConstraints, CertificateInfo, CMSSignerInfo } from './authenticode.types.ts';

export const OID_CTL = '1.3.6.1.4.1.311.10.1';
/** szOID_ROOT_LIST_SIGNER: the subjectUsage of authroot.stl. */
export const OID_ROOT_LIST_SIGNER = '1.3.6.1.4.1.311.10.3.9';
/** szOID_KP_CTL_USAGE_SIGNING: the EKU a CTL signer needs. */
export const OID_KP_CTL_USAGE_SIGNING = '1.3.6.1.4.1.311.10.3.1';

/** Certificate property OIDs: 1.3.6.1.4.1.311.10.11 + CERT_*_PROP_ID (wincrypt.h). */
const PROP = {
  enhancedKeyUsage: '1.3.6.1.4.1.311.10.11.9',
  friendlyName: '1.3.6.1.4.1.311.10.11.11',
  keyIdentifier: '1.3.6.1.4.1.311.10.11.20',
  disallowedFiletime: '1.3.6.1.4.1.311.10.11.104',
  disallowedEnhancedKeyUsage: '1.3.6.1.4.1.311.10.11.122',
  notBeforeFiletime: '1.3.6.1.4.1.311.10.11.126',
  notBeforeEnhancedKeyUsage: '1.3.6.1.4.1.311.10.11.127',
} as const;

/** Entries per CTL: authroot.stl holds about 500; the bound keeps a hostile list from costing unbounded memory. */
export const MAX_CTL_ENTRIES = 10_000;

export interface CertificateTrustListEntry extends AnchorConstraints {
  /** Upper-case hex subject key identifier (CERT_KEY_IDENTIFIER_PROP_ID), when listed. */
  keyIdentifier: string | undefined;
}

export interface CertificateTrustList {
  subjectUsage: string[];
  /** Upper-case hex of the INTEGER, "" when absent. */
  sequenceNumber: string;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  /** The hash naming the entries ('sha1' for authroot.stl). */
  subjectAlgorithm: string;
  entries: CertificateTrustListEntry[];
  /** The SignedData parts needed to verify the list. */
  certificates: CertificateInfo[];
  signer: CMSSignerInfo;
  /** Contents octets of the CTL (what the messageDigest attribute covers). */
  content: Uint8Array;
}

const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000;

/** A little-endian FILETIME (100 ns ticks since 1601-01-01 UTC) → Date. */
function filetime(bytes: Uint8Array, what: string): Date {
  if (bytes.length !== 8) throw authenticodeError('AUTHENTICODE_BAD_DER', `${what}: a FILETIME is 8 bytes, found ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const ticks = view.getBigUint64(0, true);
  return new Date(Number(ticks / 10_000n) - FILETIME_EPOCH_OFFSET_MS);
}

function oidList(bytes: Uint8Array, what: string): string[] {
  const root = readNode(bytes, 0);
  return expectSequence(root, what).map((n) => decodeOID(n, what));
}

function utf16z(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const c = (bytes[i] as number) | ((bytes[i + 1] as number) << 8);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

function parseEntry(node: DERNode): CertificateTrustListEntry {
  const [identifier, attributes] = expectSequence(node, 'TrustedSubject');
  const entry: CertificateTrustListEntry = {
    thumbprintSha1: toHex(octetStringContents(identifier, 'TrustedSubject.subjectIdentifier'), true),
    name: '',
    keyIdentifier: undefined,
    trustedUsages: undefined,
    disallowedUsages: undefined,
    notBefore: undefined,
    notBeforeUsages: undefined,
    disallowedFrom: undefined,
  };
  if (attributes === undefined) return entry;
  for (const attribute of derChildren(attributes)) {
    const [type, values] = expectSequence(attribute, 'TrustedSubject attribute');
    const oid = decodeOID(type as DERNode, 'attribute type');
    const first = values === undefined ? undefined : derChildren(values)[0];
    if (first === undefined) continue;
    const value = octetStringContents(first, `property ${oid}`);
    // authroot.stl carries some properties with an empty value: the property is not set.
    if (value.length === 0) continue;
    switch (oid) {
      case PROP.enhancedKeyUsage:
        entry.trustedUsages = oidList(value, 'CTL EKU property');
        break;
      case PROP.disallowedEnhancedKeyUsage:
        entry.disallowedUsages = oidList(value, 'CTL disallowed EKU property');
        break;
      case PROP.notBeforeEnhancedKeyUsage:
        entry.notBeforeUsages = oidList(value, 'CTL NotBefore EKU property');
        break;
      case PROP.notBeforeFiletime:
        entry.notBefore = filetime(value, 'CTL NotBefore property');
        break;
      case PROP.disallowedFiletime:
        entry.disallowedFrom = filetime(value, 'CTL disallowed property');
        break;
      case PROP.friendlyName:
        entry.name = utf16z(value);
        break;
      case PROP.keyIdentifier:
        entry.keyIdentifier = toHex(value, true);
        break;
      default:
        break;
    }
  }
  return entry;
}

/** Parses a DER CTL (authroot.stl). Throws ParseError (AUTHENTICODE_BAD_DER and friends) on malformed input. */
export function parseCertificateTrustList(bytes: Uint8Array): CertificateTrustList {
  return guardParse('AUTHENTICODE_BAD_DER', 'certificate trust list', () => {
    const root = readNode(bytes, 0);
    if (root.end !== bytes.length) throw authenticodeError('AUTHENTICODE_BAD_DER', `${bytes.length - root.end} trailing byte(s) after the certificate trust list`, root.end);
    const signedData = parseSignedDataContentInfo(root, 'AUTHENTICODE_NOT_SIGNED_DATA');
    if (signedData.eContentType !== OID_CTL) throw authenticodeError('AUTHENTICODE_BAD_DER', `eContentType is ${signedData.eContentType}, not a certificate trust list (${OID_CTL})`);
    if (signedData.eContent === undefined) throw authenticodeError('AUTHENTICODE_BAD_DER', 'the certificate trust list has no content');
    if (signedData.signerInfos.length !== 1) throw authenticodeError('AUTHENTICODE_BAD_DER', `a certificate trust list needs exactly one SignerInfo (has ${signedData.signerInfos.length})`);
    const signer = parseSignerInfo(signedData.signerInfos[0] as DERNode, signedData.certificates);
    const content = signedData.eContent;
    return recode('AUTHENTICODE_BAD_DER', 'CertificateTrustList', () => {
      const fields = expectSequence(content, 'CertificateTrustList');
      let i = 0;
      if (fields[i] !== undefined && isUniversal(fields[i] as DERNode, UNIVERSAL.integer)) i++; // version (v1)
      const subjectUsage = expectSequence(fields[i++], 'subjectUsage').map((n) => decodeOID(n, 'subjectUsage'));
      if (fields[i] !== undefined && isUniversal(fields[i] as DERNode, UNIVERSAL.octetString)) i++; // listIdentifier
      let sequenceNumber = '';
      if (fields[i] !== undefined && isUniversal(fields[i] as DERNode, UNIVERSAL.integer)) sequenceNumber = toHex(integerBytes(fields[i++] as DERNode, 'sequenceNumber'), true);
      const thisUpdate = decodeTime(fields[i++], 'ctlThisUpdate');
      let nextUpdate: Date | undefined;
      const maybeNext = fields[i];
      if (maybeNext !== undefined && (isUniversal(maybeNext, UNIVERSAL.utcTime) || isUniversal(maybeNext, UNIVERSAL.generalizedTime))) {
        nextUpdate = decodeTime(maybeNext, 'ctlNextUpdate');
        i++;
      }
      const algorithm = parseAlgorithmIdentifier(fields[i++], 'subjectAlgorithm');
      const entries: CertificateTrustListEntry[] = [];
      const subjects = fields[i];
      if (subjects !== undefined && isUniversal(subjects, UNIVERSAL.sequence)) {
        i++;
        for (const node of derChildren(subjects, MAX_CTL_ENTRIES + 1)) {
          if (entries.length >= MAX_CTL_ENTRIES) throw authenticodeError('LIMIT_EXCEEDED', `the certificate trust list has more than ${MAX_CTL_ENTRIES} entries`);
          entries.push(parseEntry(node));
        }
      }
      const extensions = fields[i];
      if (extensions !== undefined && isContext(extensions, 0)) {
        explicitInner(extensions, 'ctlExtensions');
        i++;
      }
      if (fields[i] !== undefined) throw authenticodeError('AUTHENTICODE_BAD_DER', 'CertificateTrustList has trailing elements', (fields[i] as DERNode).start);
      return {
        subjectUsage,
        sequenceNumber,
        thisUpdate,
        nextUpdate,
        subjectAlgorithm: DIGEST_ALGORITHM_BY_OID.get(algorithm.oid) ?? algorithm.oid,
        entries,
        certificates: signedData.certificates,
        signer,
        content: derContents(content),
      };
    });
  });
}

export interface CTLVerification {
  ok: boolean;
  /** Why not, when not ok. */
  reason: string;
  /** Subjects from the CTL signer to the pinned root. */
  chain: string[];
}

/**
 * Verifies the CTL's signature up to one of `pinnedRoots` (DER; the caller pins them by hash). Never throws
 * for a bad list: returns { ok: false, reason }.
 */
export function verifyCertificateTrustList(ctl: CertificateTrustList, pinnedRoots: readonly Uint8Array[]): CTLVerification {
  const signerCert = ctl.signer.certificateIndex === undefined ? undefined : ctl.certificates[ctl.signer.certificateIndex];
  if (signerCert === undefined) return { ok: false, reason: 'the certificate trust list signer certificate is not embedded', chain: [] };
  const problem = checkSignerInfo(ctl.signer, signerCert, ctl.content, OID_CTL, 'certificate trust list signer');
  if (problem !== undefined) return { ok: false, reason: problem.reason, chain: [] };
  // The signer must be allowed to sign lists for this usage: Microsoft's root-list signer carries exactly the
  // list's subjectUsage (szOID_ROOT_LIST_SIGNER); szOID_KP_CTL_USAGE_SIGNING is the generic CTL signing EKU.
  const accepted = [OID_KP_CTL_USAGE_SIGNING, ...ctl.subjectUsage];
  if (!hasUsage(signerCert, accepted)) return { ok: false, reason: `"${signerCert.subject}" is not allowed to sign this certificate trust list (its EKUs lack ${accepted.join(' / ')})`, chain: [] };
  const anchors = loadAnchors(pinnedRoots);
  const chain = buildChain(signerCert, ctl.certificates, anchors);
  const subjects = chain.path.map((c) => c.subject);
  if (!chain.trusted) {
    const pins = anchors.certificates.map((c) => `"${c.subject}" (${thumbprints(c).sha256})`).join(', ');
    return { ok: false, reason: `the certificate trust list is not signed under a pinned root (${pins || 'none available'}): ${chain.problem}`, chain: subjects };
  }
  const expired = validityProblem(chain.path, ctl.thisUpdate);
  if (expired !== undefined) return { ok: false, reason: `the certificate trust list signer chain is not valid when the list was issued: ${expired}`, chain: subjects };
  return { ok: true, reason: '', chain: subjects };
}
