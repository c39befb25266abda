/**
 * Lint rules: stable-ID checks of signature quality (ABS-SIG-*) and antivirus false-positive risk
 * (ABS-FP-*), modelled on AuthenticodeLint's one-rule-one-ID design and its Pass / Fail / Skip results
 * (vcsjones/AuthenticodeLint `Rules/RuleResult.cs`; /work/shared/research/style.md section 5).
 *
 * A rule never reads a file: it judges `LintFacts`, plain data collected once per artifact by
 * `collectLintFacts` (in the audit, possibly in a worker thread) and evaluated later against the
 * configuration (in the main thread).
 */
import type { SignatureStatus } from '../audit.types.ts';

export type RuleSeverity = 'error' | 'warning' | 'note';
/** A configured level: a severity, or `off` to not run the rule at all. */
export type RuleLevel = RuleSeverity | 'off';
export type RuleCategory = 'signature' | 'fp-risk';

/** JSON-able extra data a failing rule attaches (sections, certificates…). */
export type RuleDetails = Record<string, unknown>;

export type RuleOutcome =
  | { result: 'pass' }
  | { result: 'fail'; message: string; details?: RuleDetails }
  | { result: 'skip'; reason: string };

/** Knobs some rules take; the CLI and absolve.config.json `settings` set them. */
export interface RuleParameters {
  /** The audit's instant (`--at`): certificate expiry and "future" link timestamps are judged against it, never the clock. */
  at: Date;
  /** ABS-SIG-017: fail when the signing certificate expires within this many days of `at`. */
  expiryDays: number;
  /** ABS-SIG-019: accepted signer thumbprints (SHA-1 or SHA-256 hex, any case); empty = rule skipped. */
  pinnedSigners: readonly string[];
  /** ABS-FP-006: Shannon entropy (bits per byte) above which a section counts as packed or encrypted. */
  entropyThreshold: number;
  /** ABS-FP-008: overlays at least this large (bytes) that are no recognised payload fail. */
  largeOverlayBytes: number;
}

export interface LintRule {
  /** Stable identifier, never reused or renumbered (e.g. ABS-SIG-001). */
  readonly id: string;
  readonly title: string;
  readonly category: RuleCategory;
  readonly defaultSeverity: RuleSeverity;
  /** False for rules that only some publishers want (AuthenticodeLint's "compat" set). */
  readonly enabledByDefault: boolean;
  /** Why the rule exists: what goes wrong for a publisher when it fails. */
  readonly rationale: string;
  /** Where the rationale is documented (URL or repository path), or null when it is our reading. */
  readonly source: string | null;
  /** What to do (legitimate hygiene only). */
  readonly fix: string;
  /** The AuthenticodeLint rule this one matches, when there is one. */
  readonly authenticodeLint?: number;
  /** Audit finding IDs that state the same fact: when this rule fails, they are dropped (one finding per fact). */
  readonly supersedes?: readonly string[];
  evaluate(facts: LintFacts, parameters: RuleParameters): RuleOutcome;
}

/** One rule's result for one artifact, as the report carries it. */
export interface LintResult {
  ruleId: string;
  result: 'pass' | 'fail' | 'skip';
  /** The effective severity (configuration applied). */
  severity: RuleSeverity;
  /** Why it failed or was skipped; empty for a pass. */
  message: string;
  details?: RuleDetails;
}

// ---------------------------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------------------------

export interface SectionFacts {
  name: string;
  /**
   * The data directory that fills at least half of this non-executable section: 'resource' (icons, compressed
   * images), 'exception' (.pdata unwind tables) or 'base relocation'; null for sections that can hold code or data.
   */
  table: string | null;
  virtualAddress: number;
  virtualSize: number;
  rawSize: number;
  readable: boolean;
  writable: boolean;
  executable: boolean;
  /** Shannon entropy of the raw data in bits per byte (0–8); null when the section has no raw data in memory. */
  entropy: number | null;
}

/** Something recognised by its bytes: a packer, an installer, a payload format. */
export interface Evidence {
  /** Display name (e.g. "UPX", "NSIS installer"). */
  name: string;
  /** What was seen (e.g. "section names UPX0, UPX1"). */
  evidence: string;
}

export type BundleKind = 'nsis' | 'inno' | 'pyinstaller' | 'nuitka' | 'electron-builder';

export interface BundleFacts extends Evidence {
  kind: BundleKind;
}

export interface OverlayFacts {
  offset: number;
  size: number;
  /** Leading bytes that are the COFF symbol and string table of an unstripped image (not a payload). */
  coffSymbolTableBytes: number;
  /** A recognised payload format (e.g. "NSIS data", "ZIP archive", ".NET single-file bundle"), or null. */
  payload: string | null;
  /** False when the overlay start was not in memory (a large overlay is only streamed), so its content is unknown. */
  inspected: boolean;
}

export interface PEFacts {
  machine: string;
  bits: 32 | 64;
  isDll: boolean;
  subsystem: string;
  /** COFF TimeDateStamp, seconds since 1970 (0 = none). */
  linkTimestamp: number;
  checksum: { stored: number; computed: number };
  sections: SectionFacts[];
  entryPoint: {
    rva: number;
    /** Name of the section holding the entry point, or null (in the headers, or outside every section). */
    section: string | null;
    /** Lower-case hex of up to 64 bytes at the entry point, or null when not file-backed. */
    stubHex: string | null;
  };
  /** TLS directory (data directory 9): `callbacks` counts AddressOfCallBacks entries; null when they cannot be read. */
  tls: { present: boolean; callbacks: number | null };
  /** null when there is no VS_VERSIONINFO resource. Strings are from the preferred (US English, else first) table. */
  versionInfo: { companyName: string; productName: string; fileVersion: string; comments: string } | null;
  hasManifest: boolean;
  overlay: OverlayFacts | null;
  packers: Evidence[];
  bundles: BundleFacts[];
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
  notBefore: string;
  notAfter: string;
  /** The certificate's signatureAlgorithm OID. */
  signatureAlgorithmOid: string;
  /** Hash of the certificate's own signature (md5, sha1, sha256…), or null when unknown. */
  signatureHash: string | null;
  keyAlgorithm: 'rsa' | 'rsa-pss' | 'ec' | 'dsa' | 'ed25519' | 'ed448' | 'unknown';
  /** RSA/DSA modulus bits or EC curve size; null when unknown. */
  keyBits: number | null;
  /** EC named curve (e.g. prime256v1), when EC. */
  curve?: string;
  selfSigned: boolean;
  /** ExtendedKeyUsage OIDs; null when the extension is absent. */
  extendedKeyUsage: string[] | null;
}

export interface TimestampFacts {
  kind: 'rfc3161' | 'authenticode';
  /** Digest the TSA used over our signature (RFC 3161 messageImprint / countersigner digest), or null when unknown. */
  digestAlgorithm: string | null;
  time: string | null;
  signer: CertificateFacts | null;
  /** TSA certificate first, then its issuers found among the embedded certificates. */
  chain: CertificateFacts[];
  /** Unsigned attributes of the countersigner that are none of the known ones. */
  unknownUnsignedAttributes: string[];
  /** Certificates embedded in an RFC 3161 token that are on no chain. */
  unknownCertificates: CertificateFacts[];
}

/** One Authenticode signature: the primary one, or a nested one (1.3.6.1.4.1.311.2.4.1). */
export interface SignerFacts {
  /** "primary", "nested #1", … */
  label: string;
  /** The image (file) digest algorithm: SpcIndirectDataContent DigestInfo. */
  fileDigest: string;
  /** SignerInfo.digestAlgorithm (over the signed attributes), or null when unknown. */
  signerDigest: string | null;
  /** SignerInfo signature algorithm family (rsa, rsa-pss, ecdsa, dsa, ed25519) or 'unknown'. */
  signatureAlgorithm: string;
  programName: string | null;
  moreInfoUrl: string | null;
  signer: CertificateFacts | null;
  /** Signing certificate first, then its issuers found among the embedded certificates. */
  chain: CertificateFacts[];
  timestamps: TimestampFacts[];
  /** Unsigned attributes of this SignerInfo other than timestamps and nested signatures. */
  unknownUnsignedAttributes: string[];
  /** Embedded certificates that are on neither the signer's nor a timestamp's chain. */
  unknownCertificates: CertificateFacts[];
  /** Bytes after the PKCS#7 DER inside WIN_CERTIFICATE.bCertificate, and whether any is non-zero. */
  paddingBytes: number;
  nonZeroPadding: boolean;
  /** Of those, the bytes beyond the 0–7 that align the WIN_CERTIFICATE to 8 bytes (CVE-2013-3900), and whether any is non-zero. */
  excessPaddingBytes: number;
  excessPaddingNonZero: boolean;
  /** This signature's verdict (valid, invalid, untrusted, malformed) and reason code, when verified. */
  status: string | null;
  reasonCode: string | null;
  /** True when a timestamp of this signature verified (its time then decides certificate validity). */
  validTimestamp: boolean;
}

export interface SignatureFacts {
  status: SignatureStatus;
  reasonCode: string;
  reason: string;
  /** Primary first, then nested ones depth-first; empty when unsigned or unparseable. */
  signatures: SignerFacts[];
  /**
   * The attribute certificate table: `bytesAfter` = file bytes after it (data appended after signing);
   * `entries` = WIN_CERTIFICATE entries, null when the table was not in memory.
   */
  certificateTable: { offset: number; size: number; bytesAfter: number; entries: number | null } | null;
}

export interface ContainerFacts {
  /** The container's report path (e.g. `release/setup.msi`). */
  path: string;
  /** The container's own signature status (valid, invalid, untrusted, unsigned, malformed), or null when not checked. */
  signatureStatus: string | null;
}

export interface LintFacts {
  /** The artifact's report path; members are `CONTAINER!/MEMBER`. */
  path: string;
  /** Null when the image was not parsed (larger than maxParsedPEBytes): content rules skip. */
  pe: PEFacts | null;
  signature: SignatureFacts;
  /** Set for container members (filled in from the report when the audit did not). */
  container?: ContainerFacts;
}
