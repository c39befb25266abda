/**
 * Object identifiers used by Authenticode and the CMS/PKIX structures around it.
 * Sources: [AUTHENTICODE] "Windows Authenticode Portable Executable Signature Format";
 * RFC 5652 (CMS) section 11; RFC 3161 (TSP) section 2.4.2; RFC 5280 section 4.2; RFC 8017 appendix A;
 * RFC 5758 section 3.2; RFC 4055; NIST CSOR (hash algorithms).
 */
import type { DigestAlgorithm } from './authenticode.types.ts';

export const OID = {
  // RFC 5652
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  /** PKCS #9 countersignature: the legacy Authenticode timestamp (RFC 5652 section 11.4). */
  counterSignature: '1.2.840.113549.1.9.6',
  // RFC 3161
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  // [AUTHENTICODE]
  spcIndirectDataContent: '1.3.6.1.4.1.311.2.1.4',
  spcStatementType: '1.3.6.1.4.1.311.2.1.11',
  spcSpOpusInfo: '1.3.6.1.4.1.311.2.1.12',
  spcPeImageData: '1.3.6.1.4.1.311.2.1.15',
  spcNestedSignature: '1.3.6.1.4.1.311.2.4.1',
  /** szOID_RFC3161_counterSign: an RFC 3161 TimeStampToken as an unsigned attribute. */
  msRFC3161Timestamp: '1.3.6.1.4.1.311.3.3.1',
  spcPageHashV1: '1.3.6.1.4.1.311.2.3.1',
  spcPageHashV2: '1.3.6.1.4.1.311.2.3.2',
  // RFC 5280 extensions
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  anyExtendedKeyUsage: '2.5.29.37.0',
  ekuCodeSigning: '1.3.6.1.5.5.7.3.3',
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
  /** szOID_KP_TIME_STAMP_SIGNING, accepted for legacy Authenticode countersigners. */
  ekuMicrosoftTimeStampSigning: '1.3.6.1.4.1.311.10.3.2',
} as const;

export const DIGEST_ALGORITHM_BY_OID: ReadonlyMap<string, DigestAlgorithm> = new Map([
  ['1.2.840.113549.2.5', 'md5'],
  ['1.3.14.3.2.26', 'sha1'],
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
]);

/** How a signatureAlgorithm OID maps onto node:crypto. */
export interface SignatureScheme {
  /** 'rsa' = PKCS #1 v1.5, 'rsa-pss', 'ecdsa', 'dsa', 'ed25519'. */
  family: 'rsa' | 'rsa-pss' | 'ecdsa' | 'dsa' | 'ed25519';
  /** Hash bound to the OID; undefined = take it from the SignerInfo's digestAlgorithm (rsaEncryption, ecPublicKey). */
  hash: string | undefined;
}

export const SIGNATURE_SCHEME_BY_OID: ReadonlyMap<string, SignatureScheme> = new Map<string, SignatureScheme>([
  // RFC 8017 / RFC 4055
  ['1.2.840.113549.1.1.1', { family: 'rsa', hash: undefined }],
  ['1.2.840.113549.1.1.4', { family: 'rsa', hash: 'md5' }],
  ['1.2.840.113549.1.1.5', { family: 'rsa', hash: 'sha1' }],
  ['1.2.840.113549.1.1.14', { family: 'rsa', hash: 'sha224' }],
  ['1.2.840.113549.1.1.11', { family: 'rsa', hash: 'sha256' }],
  ['1.2.840.113549.1.1.12', { family: 'rsa', hash: 'sha384' }],
  ['1.2.840.113549.1.1.13', { family: 'rsa', hash: 'sha512' }],
  ['1.3.14.3.2.29', { family: 'rsa', hash: 'sha1' }],
  ['1.2.840.113549.1.1.10', { family: 'rsa-pss', hash: undefined }],
  // RFC 5758 / RFC 3279
  ['1.2.840.10045.2.1', { family: 'ecdsa', hash: undefined }],
  ['1.2.840.10045.4.1', { family: 'ecdsa', hash: 'sha1' }],
  ['1.2.840.10045.4.3.1', { family: 'ecdsa', hash: 'sha224' }],
  ['1.2.840.10045.4.3.2', { family: 'ecdsa', hash: 'sha256' }],
  ['1.2.840.10045.4.3.3', { family: 'ecdsa', hash: 'sha384' }],
  ['1.2.840.10045.4.3.4', { family: 'ecdsa', hash: 'sha512' }],
  ['1.2.840.10040.4.1', { family: 'dsa', hash: undefined }],
  ['1.2.840.10040.4.3', { family: 'dsa', hash: 'sha1' }],
  ['2.16.840.1.101.3.4.3.2', { family: 'dsa', hash: 'sha256' }],
  // RFC 8419
  ['1.3.101.112', { family: 'ed25519', hash: undefined }],
]);

/** Hash OIDs that may appear inside RSASSA-PSS parameters (RFC 4055 section 2.1). */
export const HASH_NAME_BY_OID: ReadonlyMap<string, string> = new Map([
  ['1.3.14.3.2.26', 'sha1'],
  ['2.16.840.1.101.3.4.2.4', 'sha224'],
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
  ['1.2.840.113549.2.5', 'md5'],
]);
