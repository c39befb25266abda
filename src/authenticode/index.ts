/**
 * Authenticode: parse the PKCS #7 signature of a PE file, compute its image digest, and verify it.
 * Pure: bytes, trust anchors and "now" come in as arguments; only node:crypto is used.
 *
 * References: [AUTHENTICODE] "Windows Authenticode Portable Executable Signature Format";
 * RFC 5652 (CMS); RFC 3161 (time-stamp protocol); RFC 5280 (X.509 certificates and path validation).
 */
export { parseAuthenticodeSignature, MAX_NESTING_DEPTH, MAX_SIGNATURES } from './parse.ts';
export { MAX_ATTRIBUTES, MAX_ATTRIBUTE_VALUES, MAX_CERTIFICATES } from './cms.ts';
export { authenticodeDigestRanges, bytesAfterCertificateTable, computeAuthenticodeDigest, createAuthenticodeHasher } from './digest.ts';
export type { AuthenticodeHasher, ByteRange } from './digest.ts';
export { verifyAuthenticode, requiredDigestAlgorithms, summarizeCertificate, isoTime, MAX_CHAIN_LENGTH } from './verify.ts';
export { parseCertificate, thumbprints } from './certificate.ts';
export { parseCertificateTrustList, verifyCertificateTrustList, MAX_CTL_ENTRIES, OID_CTL } from './ctl.ts';
export type { CertificateTrustList, CertificateTrustListEntry, CTLVerification } from './ctl.ts';
export type { AuthenticodeErrorCode } from './errors.ts';
export type {
  AnchorConstraints,
  AttributeParseIssue,
  AuthenticodeCountersignature,
  AuthenticodeSignature,
  AuthenticodeTimestamp,
  CertificateInfo,
  CertificateSummary,
  CMSAttribute,
  CMSSignerInfo,
  DigestAlgorithm,
  KnownRoot,
  PageHashes,
  RFC3161Timestamp,
  SignatureVerdict,
  SignerIdentifier,
  TimestampVerdict,
  VerdictReasonCode,
  VerdictStatus,
  VerificationPolicy,
  VerifyAuthenticodeInput,
} from './authenticode.types.ts';
