/**
 * Public shapes of the Authenticode layer. Plain data only (Uint8Array, Date, strings): a parsed
 * signature can cross a worker boundary (structured clone) and still be verified, because verification
 * needs nothing but these fields.
 *
 * Spec names: [AUTHENTICODE] "Windows Authenticode Portable Executable Signature Format";
 * RFC 5652 (CMS) SignedData/SignerInfo; RFC 3161 TSTInfo; RFC 5280 Certificate.
 */

export type DigestAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** An embedded (or trust-anchor) certificate, parsed once. */
export interface CertificateInfo {
  /** The certificate's DER, exactly as embedded. */
  der: Uint8Array;
  /** TBSCertificate DER (what the issuer signed). */
  tbs: Uint8Array;
  /** 1, 2 or 3. */
  version: number;
  /** Upper-case hex as `openssl x509 -serial` prints it. */
  serialNumber: string;
  /** INTEGER contents as stored (for issuerAndSerialNumber matching). */
  serialNumberBytes: Uint8Array;
  /** RFC 2253, as `openssl x509 -noout -subject -nameopt RFC2253` prints it (without "subject="). */
  subject: string;
  subjectDER: Uint8Array;
  issuer: string;
  issuerDER: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  subjectPublicKeyInfo: Uint8Array;
  publicKeyAlgorithm: string;
  signatureAlgorithm: string;
  /** DER of the signatureAlgorithm parameters (RSASSA-PSS); undefined for absent or NULL. */
  signatureAlgorithmParameters: Uint8Array | undefined;
  signature: Uint8Array;
  /** ExtendedKeyUsage OIDs; undefined when the extension is absent (RFC 5280 4.2.1.12). */
  extendedKeyUsage: string[] | undefined;
  /** basicConstraints cA; undefined when the extension is absent. */
  isCA: boolean | undefined;
  /** KeyUsage bits (0x8000 = digitalSignature … 0x0400 = keyCertSign); undefined when absent. */
  keyUsage: number | undefined;
  subjectKeyIdentifier: Uint8Array | undefined;
  authorityKeyIdentifier: Uint8Array | undefined;
  criticalExtensions: string[];
}

/** One attribute of a SignerInfo (RFC 5652 section 5.3: Attribute ::= SEQUENCE { attrType, attrValues SET }). */
export interface CMSAttribute {
  oid: string;
  /** DER of each value in attrValues. */
  values: Uint8Array[];
}

/** SignerIdentifier (RFC 5652 section 5.3). */
export type SignerIdentifier =
  | { kind: 'issuerAndSerialNumber'; issuer: string; issuerDER: Uint8Array; serialNumber: string; serialNumberBytes: Uint8Array }
  | { kind: 'subjectKeyIdentifier'; subjectKeyIdentifier: Uint8Array };

/** A parsed RFC 5652 SignerInfo: the primary signer, an RFC 3161 TSA signer, or a legacy countersigner. */
export interface CMSSignerInfo {
  version: number;
  sid: SignerIdentifier;
  /** Index of the signer's certificate in the certificate list it was looked up in; undefined = not found. */
  certificateIndex: number | undefined;
  digestAlgorithm: DigestAlgorithm | undefined;
  digestAlgorithmOid: string;
  signatureAlgorithmOid: string;
  signatureAlgorithmParameters: Uint8Array | undefined;
  /** SignerInfo.signature (the "encryptedDigest" in PKCS #7 terms). */
  signature: Uint8Array;
  /** signedAttrs as encoded ([0] IMPLICIT SET OF Attribute); the signature covers it re-tagged as SET. */
  signedAttributesDER: Uint8Array | undefined;
  signedAttributes: CMSAttribute[];
  unsignedAttributes: CMSAttribute[];
  /** contentType signed attribute (1.2.840.113549.1.9.3). */
  contentType: string | undefined;
  /** messageDigest signed attribute (1.2.840.113549.1.9.4). */
  messageDigest: Uint8Array | undefined;
  /** signingTime signed attribute (1.2.840.113549.1.9.5): the signer's own, unverified clock. */
  signingTime: Date | undefined;
}

/** An RFC 3161 TimeStampToken carried in unsigned attribute 1.3.6.1.4.1.311.3.3.1. */
export interface RFC3161Timestamp {
  kind: 'rfc3161';
  /** TSTInfo.genTime. */
  time: Date;
  policy: string;
  serialNumber: string;
  messageImprint: { algorithm: DigestAlgorithm | undefined; algorithmOid: string; hashedMessage: Uint8Array };
  /** The TSTInfo DER (the eContent the TSA's messageDigest covers). */
  tstInfo: Uint8Array;
  /** Certificates embedded in the token. */
  certificates: CertificateInfo[];
  /** certificateIndex refers to `certificates`; when the TSA certificate is only among the outer ones it is undefined. */
  signer: CMSSignerInfo;
}

/** A legacy Authenticode timestamp: a PKCS #9 countersignature (1.2.840.113549.1.9.6), RFC 5652 section 11.4. */
export interface AuthenticodeCountersignature {
  kind: 'authenticode';
  /** The countersigner's signingTime attribute; undefined when it has none. */
  time: Date | undefined;
  /** certificateIndex refers to the outer signature's `certificates`. */
  signer: CMSSignerInfo;
}

export type AuthenticodeTimestamp = RFC3161Timestamp | AuthenticodeCountersignature;

/** A nested signature or a timestamp that could not be parsed (the rest of the signature still is). */
export interface AttributeParseIssue {
  /** The unsigned attribute's OID. */
  attribute: string;
  /** Position among the values of that kind. */
  index: number;
  code: string;
  message: string;
}

/** Page hashes ([AUTHENTICODE] SpcSerializedObject with 1.3.6.1.4.1.311.2.3.1/2): reported, not verified. */
export interface PageHashes {
  algorithm: 'sha1' | 'sha256';
  /** The raw page-hash table bytes. */
  table: Uint8Array;
}

export interface AuthenticodeSignature {
  /** The ContentInfo DER (padding excluded). */
  der: Uint8Array;
  /** Bytes after the DER inside bCertificate (WIN_CERTIFICATE is 8-byte aligned). */
  paddingBytes: number;
  /** True when any padding byte is not zero (AuthenticodeLint rule 10008). */
  nonZeroPadding: boolean;
  /**
   * Bytes after the DER beyond the 0–7 bytes that align the WIN_CERTIFICATE to 8 bytes: data smuggled
   * into the unhashed signature blob (CVE-2013-3900; Windows refuses it with EnableCertPaddingCheck).
   */
  excessPaddingBytes: number;
  /** True when any of those excess bytes is not zero. */
  excessPaddingNonZero: boolean;
  /** SpcAttributeTypeAndOptionalValue.type: 1.3.6.1.4.1.311.2.1.15 (SpcPeImageData) for PE files. */
  dataType: string;
  /** Present when the SpcPeImageData carries page hashes. */
  pageHashes: PageHashes | undefined;
  /** DigestInfo.digestAlgorithm of the SpcIndirectDataContent: the image hash algorithm. */
  digestAlgorithm: DigestAlgorithm;
  digestAlgorithmOid: string;
  /** DigestInfo.digest: the image hash the signer committed to. */
  expectedDigest: Uint8Array;
  /** Contents octets of the SpcIndirectDataContent (what the messageDigest attribute covers). */
  indirectDataContent: Uint8Array;
  /** SpcSpOpusInfo (1.3.6.1.4.1.311.2.1.12) programName. */
  programName: string | undefined;
  /** SpcSpOpusInfo moreInfo URL. */
  moreInfoUrl: string | undefined;
  /** Every certificate of SignedData.certificates, in order (other CertificateChoices are skipped). */
  certificates: CertificateInfo[];
  /** Number of CertificateChoices that are not X.509 certificates (attribute certificates etc.). */
  otherCertificateChoices: number;
  signer: CMSSignerInfo;
  /** OIDs of signed attributes, in order. */
  signedAttributeOids: string[];
  /** OIDs of unsigned attributes, in order (for lint rules: unknown ones). */
  unsignedAttributeOids: string[];
  /** Nested signatures (unsigned attribute 1.3.6.1.4.1.311.2.4.1), parsed recursively. */
  nested: AuthenticodeSignature[];
  nestedErrors: AttributeParseIssue[];
  timestamps: AuthenticodeTimestamp[];
  timestampErrors: AttributeParseIssue[];
}

/** A certificate as shown in a verdict. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
  notBefore: string;
  notAfter: string;
}

export type VerdictStatus = 'valid' | 'invalid' | 'untrusted' | 'malformed';

/**
 * Stable reason codes:
 * - OK: every check passed.
 * - DIGEST_MISMATCH (invalid): the file's Authenticode digest differs from the signed one.
 * - BAD_SIGNER_SIGNATURE (invalid): messageDigest/contentType attribute or the signature over them is wrong.
 * - TIMESTAMP_INVALID (invalid): a timestamp is present but none verifies.
 * - NO_CODE_SIGNING_EKU (invalid): the signer (or an intermediate) has an EKU list without codeSigning.
 * - CHAIN_UNTRUSTED (untrusted): no path from the signer to a trust anchor.
 * - CERT_EXPIRED (invalid): a chain certificate is expired or not yet valid at the judged time.
 * - ROOT_NOT_IN_STORE (untrusted): the chain ends at a root that the root program (VerificationPolicy.knownRoots)
 *   names but that is not among the trust anchors.
 * - ROOT_USAGE_NOT_TRUSTED (untrusted): the anchor is not trusted for code signing / time stamping (CTL EKUs).
 * - ROOT_NOT_BEFORE (untrusted): the signing certificate was issued on or after the anchor's NotBefore cut-off.
 * - ROOT_DISALLOWED (untrusted): the anchor is disabled from a date on or before the judged time.
 * - CERT_PADDING (invalid): bytes beyond the 8-byte alignment follow the PKCS #7 blob and the caller asked for
 *   Windows' EnableCertPaddingCheck behaviour.
 * - SIGNER_CERT_NOT_FOUND, MISSING_SIGNED_ATTRIBUTES, UNSUPPORTED_ALGORITHM, DIGEST_NOT_COMPUTED,
 *   MALFORMED (malformed): the signature cannot be checked.
 */
export type VerdictReasonCode =
  | 'OK'
  | 'DIGEST_MISMATCH'
  | 'BAD_SIGNER_SIGNATURE'
  | 'TIMESTAMP_INVALID'
  | 'NO_CODE_SIGNING_EKU'
  | 'CHAIN_UNTRUSTED'
  | 'CERT_EXPIRED'
  | 'ROOT_NOT_IN_STORE'
  | 'ROOT_USAGE_NOT_TRUSTED'
  | 'ROOT_NOT_BEFORE'
  | 'ROOT_DISALLOWED'
  | 'CERT_PADDING'
  | 'SIGNER_CERT_NOT_FOUND'
  | 'MISSING_SIGNED_ATTRIBUTES'
  | 'UNSUPPORTED_ALGORITHM'
  | 'DIGEST_NOT_COMPUTED'
  | 'MALFORMED';

export interface TimestampVerdict {
  kind: 'rfc3161' | 'authenticode';
  /** ISO 8601 (UTC). Empty when the timestamp carries no time. */
  time: string;
  valid: boolean;
  /** Why the timestamp is not valid ("" when valid). */
  reason: string;
  /** The TSA / countersigner certificate, when found. */
  signer: CertificateSummary | null;
  /** Subjects from the TSA certificate to its trust anchor. */
  chain: string[];
}

export interface SignatureVerdict {
  status: VerdictStatus;
  /** One human-readable line. */
  reason: string;
  reasonCode: VerdictReasonCode;
  digestAlgorithm: DigestAlgorithm | null;
  signer: CertificateSummary | null;
  /** The timestamp that decided the verification time (the first valid one, else the first one). */
  timestamp: TimestampVerdict | null;
  nested: SignatureVerdict[];
  programName?: string;
  moreInfoUrl?: string;
  /** Subjects from the signer to the trust anchor (leaf first); as far as it was built when untrusted. */
  chain: string[];
}

export interface VerifyAuthenticodeInput {
  signature: AuthenticodeSignature;
  /** Image digests computed by the caller, for every algorithm of the primary and nested signatures. */
  computedDigests: ReadonlyMap<DigestAlgorithm, Uint8Array>;
  /** DER certificates accepted as roots for code signing and time stamping. This layer never loads a store. */
  trustAnchors: readonly Uint8Array[];
  /** "Now": certificate validity is judged at this instant when no valid timestamp applies. */
  at: Date;
  /** Root-program constraints on the anchors, known-but-absent roots, strict padding. */
  policy?: VerificationPolicy;
}

/**
 * What a root program's certificate trust list says about one trust anchor (Microsoft's authroot.stl:
 * CERT_*_PROP_ID properties of the entry; https://learn.microsoft.com/en-us/security/trusted-root/deprecation).
 * Plain data (Dates and strings) so it crosses a worker boundary.
 */
export interface AnchorConstraints {
  /** Upper-case hex SHA-1 thumbprint of the anchor certificate. */
  thumbprintSha1: string;
  /** The entry's friendly name (for messages). */
  name: string;
  /** EKUs the root is trusted for (CERT_ENHKEY_USAGE_PROP_ID); undefined = every purpose. */
  trustedUsages: readonly string[] | undefined;
  /** EKUs removed from the root (CERT_DISALLOWED_ENHKEY_USAGE_PROP_ID). */
  disallowedUsages: readonly string[] | undefined;
  /** Certificates issued on or after this instant are not trusted (CERT_NOT_BEFORE_FILETIME_PROP_ID)… */
  notBefore: Date | undefined;
  /** …for these EKUs only (CERT_NOT_BEFORE_ENHKEY_USAGE_PROP_ID); undefined = for every EKU. */
  notBeforeUsages: readonly string[] | undefined;
  /** The root is disabled from this instant (CERT_DISALLOWED_FILETIME_PROP_ID); timestamped earlier signatures stay valid. */
  disallowedFrom: Date | undefined;
}

/** A root named by a root program, identified without its certificate (for ROOT_NOT_IN_STORE). */
export interface KnownRoot {
  /** Upper-case hex SHA-1 thumbprint. */
  thumbprintSha1: string;
  name: string;
  /** Upper-case hex subject key identifier (what a child's authorityKeyIdentifier names). */
  keyIdentifier: string | undefined;
}

export interface VerificationPolicy {
  /** Constraints per anchor (matched by SHA-1 thumbprint); anchors without an entry are unrestricted. */
  anchorConstraints?: readonly AnchorConstraints[];
  /** Roots of a root program that are not among the anchors. */
  knownRoots?: readonly KnownRoot[];
  /** What the user can do about a missing known root (appended to the ROOT_NOT_IN_STORE reason). */
  missingRootAdvice?: string;
  /** Windows' EnableCertPaddingCheck: excess bytes in the WIN_CERTIFICATE make the signature invalid. */
  certPaddingCheck?: boolean;
}
