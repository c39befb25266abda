/**
 * Signature-quality rules (ABS-SIG-*): parity with AuthenticodeLint's 16 rules (ABS-SIG-001…016, see
 * /work/shared/research/anchors.md section 4.2; the "compat" ones are off by default), plus expiry, EKU
 * and signer pinning.
 */
import { OID } from '../../authenticode/oids.ts';
import type { CertificateFacts, LintRule, SignerFacts } from './lint.types.ts';
import { fail, isOutcome, joinProblems, pass, signaturesOf, skip } from './outcome.ts';

const AL = (file: string): string => `vcsjones/AuthenticodeLint:AuthenticodeLint/Rules/${file}`;
const SHA2 = new Set(['sha256', 'sha384', 'sha512']);
const WEAK_HASHES = new Set(['md2', 'md4', 'md5', 'sha1']);
const MIN_RSA_DSA_KEY_BITS = 2048;
const MAX_RSA_KEY_BITS = 4096;
const MAX_EC_KEY_BITS = 384;
const DAY_MS = 24 * 60 * 60 * 1000;
const HASH_RANK: Readonly<Record<string, number>> = { md2: 1, md4: 1, md5: 1, sha1: 2, sha224: 3, sha256: 4, sha384: 5, sha512: 6 };
const hashRank = (hash: string | null): number => HASH_RANK[hash ?? ''] ?? 0;

function certName(c: CertificateFacts): string {
  const cn = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(c.subject)?.[1];
  return `"${(cn ?? c.subject).replace(/\\(.)/g, '$1')}" (${c.thumbprintSha1})`;
}

/** Signing certificate of every signature and of every timestamp (AuthenticodeLint visits both for key rules). */
function signingCertificates(signatures: readonly SignerFacts[]): Array<{ who: string; cert: CertificateFacts }> {
  return signatures.flatMap((s) => [
    ...(s.signer === null ? [] : [{ who: `${s.label} signer`, cert: s.signer }]),
    ...s.timestamps.flatMap((t) => (t.signer === null ? [] : [{ who: `${s.label} timestamp (${t.kind})`, cert: t.signer }])),
  ]);
}

function keyTooShort(c: CertificateFacts): string | undefined {
  switch (c.keyAlgorithm) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
      if (c.keyBits === null) return `unknown ${c.keyAlgorithm.toUpperCase()} key size`;
      return c.keyBits < MIN_RSA_DSA_KEY_BITS ? `${c.keyAlgorithm.toUpperCase()} ${c.keyBits}-bit key (minimum ${MIN_RSA_DSA_KEY_BITS})` : undefined;
    case 'ec':
      return c.keyBits === null ? `EC key on an unknown curve (${c.curve ?? '?'})` : undefined;
    case 'ed25519':
    case 'ed448':
      return undefined;
    case 'unknown':
      return 'unknown key algorithm';
  }
}

export const SIGNATURE_RULES: readonly LintRule[] = [
  {
    id: 'ABS-SIG-001',
    title: 'SHA-2 signature present',
    category: 'signature',
    defaultSeverity: 'error',
    enabledByDefault: true,
    authenticodeLint: 10001,
    rationale: 'SHA-1 is deprecated for Authenticode: Microsoft stopped accepting SHA-1-only signatures for drivers and updates, and reputation systems weigh them down. At least one signature (primary or nested) must use SHA-256, SHA-384 or SHA-512.',
    source: AL('10001-Sha2SignatureExistsRule.cs'),
    fix: 'Sign with a SHA-256 file digest (signtool /fd sha256, osslsigncode -h sha256).',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      if (sigs.some((s) => SHA2.has(s.fileDigest))) return pass();
      return fail(`no signature uses SHA-2: ${sigs.map((s) => `${s.label} ${s.fileDigest}`).join(', ')}`);
    },
  },
  {
    id: 'ABS-SIG-002',
    title: 'No MD5 file digest',
    category: 'signature',
    defaultSeverity: 'error',
    enabledByDefault: true,
    authenticodeLint: 10002,
    rationale: 'MD5 (and MD2/MD4) digests are broken: collisions are cheap, so a signature over an MD5 digest can be made to cover a different file.',
    source: AL('10002-NoWeakFileDigestAlgorithmsRule.cs'),
    fix: 'Re-sign with a SHA-256 file digest and drop the MD5 signature.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const bad = sigs.filter((s) => ['md2', 'md4', 'md5'].includes(s.fileDigest) || ['md2', 'md4', 'md5'].includes(s.signerDigest ?? ''));
      return bad.length === 0 ? pass() : fail(`MD5 digest in: ${bad.map((s) => `${s.label} (file ${s.fileDigest}, signer ${s.signerDigest ?? '?'})`).join(', ')}`);
    },
  },
  {
    id: 'ABS-SIG-003',
    title: 'No SHA-1 file digest',
    category: 'signature',
    defaultSeverity: 'note',
    enabledByDefault: true,
    authenticodeLint: 10015,
    rationale:
      'SHA-1 is deprecated for code signing; a SHA-1 signature only serves Windows versions without SHA-2 support. A dual signature (SHA-1 primary + SHA-256 nested) passes ABS-SIG-001 but still fails this one.',
    source: AL('10015-NoSha1Rule.cs'),
    fix: 'Sign with SHA-256 only, unless you must support Windows releases without SHA-2 code-signing support.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const bad = sigs.filter((s) => s.fileDigest === 'sha1');
      return bad.length === 0 ? pass() : fail(`SHA-1 file digest in: ${bad.map((s) => s.label).join(', ')}`);
    },
  },
  {
    id: 'ABS-SIG-004',
    title: 'Timestamped',
    category: 'signature',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    authenticodeLint: 10003,
    rationale:
      'Without a timestamp a signature stops being valid when the signing certificate expires; with one it stays valid for the release it signed. The timestamp should use at least the signature\'s own digest algorithm.',
    source: AL('10003-TimestampedRule.cs'),
    fix: 'Timestamp every signature with an RFC 3161 time-stamping service (signtool /tr URL /td sha256, osslsigncode -ts URL).',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems: string[] = [];
      for (const s of sigs) {
        if (s.timestamps.length === 0) problems.push(`${s.label} is not timestamped`);
        else if (!s.timestamps.some((t) => hashRank(t.digestAlgorithm) >= hashRank(s.fileDigest)))
          problems.push(`${s.label} (${s.fileDigest}) is timestamped only with ${s.timestamps.map((t) => t.digestAlgorithm ?? 'an unknown digest').join(', ')}`);
      }
      return problems.length === 0 ? pass() : fail(joinProblems(problems));
    },
  },
  {
    id: 'ABS-SIG-005',
    title: 'Publisher information present',
    category: 'signature',
    defaultSeverity: 'note',
    enabledByDefault: true,
    authenticodeLint: 10004,
    rationale: 'The signature\'s program name and "more info" URL (SpcSpOpusInfo) are shown in Windows trust and UAC dialogs and tell users and analysts who ships the file.',
    source: AL('10004-PublisherInformationRule.cs'),
    fix: 'Sign with a description and URL (signtool /d "Product" /du https://…, osslsigncode -n "Product" -i https://…).',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems: string[] = [];
      for (const s of sigs) {
        const missing: string[] = [];
        if ((s.programName ?? '').trim() === '') missing.push('program name');
        if ((s.moreInfoUrl ?? '').trim() === '') missing.push('URL');
        else if (!URL.canParse(s.moreInfoUrl ?? '')) missing.push(`a valid URL (got "${s.moreInfoUrl ?? ''}")`);
        if (missing.length > 0) problems.push(`${s.label} has no ${missing.join(' and no ')}`);
      }
      return problems.length === 0 ? pass() : fail(joinProblems(problems));
    },
  },
  {
    id: 'ABS-SIG-006',
    title: 'Publisher URL uses HTTPS',
    category: 'signature',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    authenticodeLint: 10005,
    rationale: 'A plain-http publisher URL can be redirected by anyone on the network path; it is shown to users as the publisher\'s site.',
    source: AL('10005-PublisherInformationUrlHttpsRule.cs'),
    fix: 'Use an https:// URL for the signature\'s "more info" link.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const withUrl = sigs.filter((s) => (s.moreInfoUrl ?? '').trim() !== '');
      if (withUrl.length === 0) return skip('no signature carries a publisher URL');
      const bad = withUrl.filter((s) => !/^https:\/\//i.test((s.moreInfoUrl ?? '').trim()));
      return bad.length === 0 ? pass() : fail(bad.map((s) => `${s.label} URL ${s.moreInfoUrl ?? ''} is not https`).join('; '));
    },
  },
  {
    id: 'ABS-SIG-007',
    title: 'Strong certificate chain',
    category: 'signature',
    defaultSeverity: 'error',
    enabledByDefault: true,
    authenticodeLint: 10006,
    rationale:
      'A chain certificate signed with MD5 or SHA-1, or holding an RSA/DSA key under 2048 bits, can be forged; Windows and AV reputation systems distrust such chains. Self-signed roots are judged by their key only.',
    source: AL('10006-SigningCertificateDigestAlgorithmRule.cs'),
    fix: 'Get a code-signing certificate from a CA whose chain uses SHA-256 (or better) signatures and RSA keys of at least 2048 bits.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems: string[] = [];
      for (const s of sigs) {
        if (s.chain.length === 0) problems.push(`${s.label}: the signing certificate is not embedded`);
        for (const c of s.chain) {
          if (!c.selfSigned && WEAK_HASHES.has(c.signatureHash ?? '')) problems.push(`${s.label}: ${certName(c)} is signed with ${c.signatureHash ?? '?'}`);
          const short = keyTooShort(c);
          if (short !== undefined && c.keyAlgorithm !== 'ec' && c.keyAlgorithm !== 'unknown') problems.push(`${s.label}: ${certName(c)} has a ${short}`);
        }
      }
      return problems.length === 0 ? pass() : fail(joinProblems(problems));
    },
  },
  {
    id: 'ABS-SIG-008',
    title: 'Valid signature',
    category: 'signature',
    defaultSeverity: 'error',
    enabledByDefault: true,
    authenticodeLint: 10007,
    rationale: 'Only a signature whose digest matches, whose signer signature verifies and whose chain reaches a trusted root earns publisher reputation; a broken one is worse than none for many engines.',
    source: AL('10007-TrustedSignatureRule.cs'),
    fix: 'Re-sign the final file after the last build step (nothing may modify it after signing) with a certificate from a publicly trusted CA; pass private roots with --trust.',
    evaluate(facts) {
      const s = facts.signature;
      if (s.status === 'unsigned') return skip('the file is not signed (see ABS-FP-001)');
      if (s.status === 'valid') {
        const badNested = s.signatures.filter((n) => n.label !== 'primary' && n.status !== null && n.status !== 'valid');
        return badNested.length === 0 ? pass() : fail(badNested.map((n) => `${n.label} is ${n.status ?? '?'} (${n.reasonCode ?? '?'})`).join('; '));
      }
      return fail(`the signature is ${s.status} (${s.reasonCode}): ${s.reason}`);
    },
  },
  {
    id: 'ABS-SIG-009',
    title: 'No data after or padding inside the signature',
    category: 'signature',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    authenticodeLint: 10008,
    rationale:
      'The WIN_CERTIFICATE is not covered by the file digest: bytes after the PKCS#7 blob beyond the 0–7 bytes of 8-byte alignment (zero or not) change the file without breaking the signature (CVE-2013-3900; Windows refuses them when EnableCertPaddingCheck is set, `--cert-padding-check` here), and so do non-zero alignment bytes. Data appended after the table makes the signature invalid (the specification hashes it). That is how signed installers get tampered with, and engines treat it as suspicious.',
    source: AL('10008-WinCertificatePaddingRule.cs'),
    fix: 'Sign the final file and do not append data afterwards; put configuration inside the signed image, not after the signature.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems: string[] = [];
      const primary = sigs[0];
      const excess = primary?.excessPaddingBytes ?? 0;
      if (excess > 0) {
        problems.push(
          `the WIN_CERTIFICATE holds ${excess} byte(s) after the PKCS#7 data beyond its 8-byte alignment (${primary?.excessPaddingNonZero === true ? 'not all zero' : 'all zero'}): not covered by the signature (CVE-2013-3900)`,
        );
      } else if (primary?.nonZeroPadding === true) {
        problems.push(`the WIN_CERTIFICATE holds ${primary.paddingBytes} alignment byte(s) after the PKCS#7 data, not all zero`);
      }
      const after = facts.signature.certificateTable?.bytesAfter ?? 0;
      if (after > 0) problems.push(`${after} byte(s) follow the certificate table at the end of the file`);
      return problems.length === 0
        ? pass()
        : fail(joinProblems(problems), { bytesAfterTable: after, paddingBytes: primary?.paddingBytes ?? 0, excessPaddingBytes: excess, excessPaddingZero: excess > 0 && primary?.excessPaddingNonZero !== true });
    },
  },
  {
    id: 'ABS-SIG-010',
    title: 'No unknown unsigned attributes',
    category: 'signature',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    authenticodeLint: 10009,
    rationale: `Unsigned attributes are not covered by the signature; besides timestamps (${OID.counterSignature}, ${OID.msRFC3161Timestamp}) and nested signatures (${OID.spcNestedSignature}) they can smuggle data into a signed file.`,
    source: AL('10009-NoUnknownUnsignedAttibuteRule.cs'),
    fix: 'Remove the extra unsigned attribute (re-sign without it); carry data inside the signed image instead.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems: string[] = [];
      for (const s of sigs) {
        if (s.unknownUnsignedAttributes.length > 0) problems.push(`${s.label}: ${s.unknownUnsignedAttributes.join(', ')}`);
        for (const t of s.timestamps) if (t.unknownUnsignedAttributes.length > 0) problems.push(`${s.label} timestamp: ${t.unknownUnsignedAttributes.join(', ')}`);
      }
      return problems.length === 0 ? pass() : fail(`unknown unsigned attributes: ${joinProblems(problems)}`);
    },
  },
  {
    id: 'ABS-SIG-011',
    title: 'No unknown certificates',
    category: 'signature',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    authenticodeLint: 10010,
    rationale: "Certificates embedded in the signature that are on neither the signer's nor the timestamp authority's chain serve no purpose and can mislead tools that pick a certificate from the bag.",
    source: AL('10010-NoUnknownCertificatesRule.cs'),
    fix: 'Embed only the signing certificate, its intermediates and the timestamp chain (check the signing tool\'s -ac / additional certificate options).',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems: string[] = [];
      for (const s of sigs) {
        if (s.unknownCertificates.length > 0) problems.push(`${s.label}: ${s.unknownCertificates.map(certName).join(', ')}`);
        for (const t of s.timestamps) if (t.unknownCertificates.length > 0) problems.push(`${s.label} timestamp: ${t.unknownCertificates.map(certName).join(', ')}`);
      }
      return problems.length === 0 ? pass() : fail(`certificates on no chain: ${joinProblems(problems)}`);
    },
  },
  {
    id: 'ABS-SIG-012',
    title: 'Strong key length',
    category: 'signature',
    defaultSeverity: 'error',
    enabledByDefault: true,
    authenticodeLint: 10011,
    rationale: 'RSA and DSA keys under 2048 bits are factorable with public resources; CAs stopped issuing them for code signing. ECDSA keys must be on a known curve.',
    source: AL('10011-StrongKeyLengthRule.cs'),
    fix: 'Use a code-signing certificate with an RSA key of at least 2048 bits (3072 recommended) or an ECDSA P-256/P-384 key.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems = signingCertificates(sigs).flatMap(({ who, cert }) => {
        const short = keyTooShort(cert);
        return short === undefined ? [] : [`${who} ${certName(cert)}: ${short}`];
      });
      return problems.length === 0 ? pass() : fail(joinProblems(problems));
    },
  },
  {
    id: 'ABS-SIG-013',
    title: 'Maximum key length',
    category: 'signature',
    defaultSeverity: 'note',
    enabledByDefault: true,
    authenticodeLint: 10013,
    rationale: 'Keys above RSA 4096 or ECDSA P-384 are not supported by every Windows verifier and hardware token; such signatures can fail to verify on some systems.',
    source: AL('10013-MaxKeyLengthRule.cs'),
    fix: 'Use an RSA key of at most 4096 bits or an ECDSA P-256/P-384 key.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems = signingCertificates(sigs).flatMap(({ who, cert }) => {
        if ((cert.keyAlgorithm === 'rsa' || cert.keyAlgorithm === 'rsa-pss') && (cert.keyBits ?? 0) > MAX_RSA_KEY_BITS) return [`${who} ${certName(cert)}: RSA ${cert.keyBits ?? '?'}-bit key (maximum ${MAX_RSA_KEY_BITS})`];
        if (cert.keyAlgorithm === 'ec' && (cert.keyBits ?? 0) > MAX_EC_KEY_BITS) return [`${who} ${certName(cert)}: EC ${cert.keyBits ?? '?'}-bit key (maximum ${MAX_EC_KEY_BITS})`];
        return [];
      });
      return problems.length === 0 ? pass() : fail(joinProblems(problems));
    },
  },
  {
    id: 'ABS-SIG-014',
    title: 'Single primary signature',
    category: 'signature',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    authenticodeLint: 10014,
    rationale: 'Windows reads only the first WIN_CERTIFICATE entry; further entries are ignored by the verifier yet look like smuggled data. Additional signatures belong nested inside the first one.',
    source: AL('10014-SinglePrimarySignatureRule.cs'),
    fix: 'Keep one WIN_CERTIFICATE entry; add further signatures as nested signatures (signtool /as, osslsigncode -nest).',
    evaluate(facts) {
      const s = facts.signature;
      if (s.status === 'unsigned') return skip('the file is not signed');
      if (s.reasonCode === 'AUTHENTICODE_MULTIPLE_SIGNERS') return fail('the SignedData holds more than one SignerInfo');
      const entries = s.certificateTable?.entries;
      if (entries === null || entries === undefined) return skip('the certificate table was not read');
      return entries <= 1 ? pass() : fail(`the certificate table holds ${entries} WIN_CERTIFICATE entries`);
    },
  },
  {
    id: 'ABS-SIG-015',
    title: 'Primary signature uses SHA-1 (compat)',
    category: 'signature',
    defaultSeverity: 'note',
    enabledByDefault: false,
    authenticodeLint: 10000,
    rationale: "For Windows releases without SHA-2 code-signing support (Vista, unpatched 7) the primary signature must be SHA-1 with a SHA-256 one nested. Only turn this on if you still ship to them.",
    source: AL('10000-Sha1PrimarySignatureRule.cs'),
    fix: 'Dual-sign: a SHA-1 primary signature with a nested SHA-256 signature.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const primary = sigs[0];
      return primary?.fileDigest === 'sha1' ? pass() : fail(`the primary signature uses ${primary?.fileDigest ?? '?'}`);
    },
  },
  {
    id: 'ABS-SIG-016',
    title: 'Primary signature is RSA or DSA (compat)',
    category: 'signature',
    defaultSeverity: 'note',
    enabledByDefault: false,
    authenticodeLint: 10012,
    rationale: 'Older Windows releases cannot verify ECDSA Authenticode signatures. Only turn this on if you still ship to them.',
    source: AL('10012-RsaDsaPrimarySignatureRule.cs'),
    fix: 'Sign the primary signature with an RSA certificate (nest an ECDSA one if you want both).',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const algorithm = sigs[0]?.signatureAlgorithm ?? 'unknown';
      return ['rsa', 'rsa-pss', 'dsa'].includes(algorithm) ? pass() : fail(`the primary signature uses ${algorithm}`);
    },
  },
  {
    id: 'ABS-SIG-017',
    title: 'Signing certificate not about to expire',
    category: 'signature',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    rationale:
      'Without a valid timestamp a signature is judged at the current time, so it breaks the day its certificate expires; renewing also often changes the signer identity that reputation systems (SmartScreen, AV allowlists) learned. Signatures with a valid timestamp are judged at the timestamp and are not reported (short-lived certificates such as Azure Trusted Signing\'s always "expire"); `absolve certs` tracks the publisher\'s current certificate.',
    source: 'https://security.stackexchange.com/questions/222140/transferring-microsoft-smartscreen-reputation-to-renewed-certificate',
    fix: 'Renew the code-signing certificate (ideally with the same subject and key type) before the next release, and timestamp every signature so past releases stay valid.',
    evaluate(facts, parameters) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const signer = sigs[0]?.signer;
      if (signer === null || signer === undefined) return skip('the signing certificate is not embedded');
      // A valid timestamp fixes the time the certificate is judged at: its later expiry does not affect the file
      // (and short-lived certificates such as Azure Trusted Signing's 3-day ones always "expire"). The renewal
      // reminder for the publisher's current certificate is `absolve certs`.
      if (sigs[0]?.validTimestamp === true) return pass();
      const days = (Date.parse(signer.notAfter) - parameters.at.getTime()) / DAY_MS;
      if (days < 0) return fail(`the signing certificate ${certName(signer)} expired on ${signer.notAfter.slice(0, 10)}`, { notAfter: signer.notAfter });
      if (days < parameters.expiryDays) return fail(`the signing certificate ${certName(signer)} expires on ${signer.notAfter.slice(0, 10)}, in ${Math.floor(days)} day(s) (threshold ${parameters.expiryDays})`, { notAfter: signer.notAfter });
      return pass();
    },
  },
  {
    id: 'ABS-SIG-018',
    title: 'Signing certificate has the code-signing EKU',
    category: 'signature',
    defaultSeverity: 'error',
    enabledByDefault: true,
    rationale: `Windows accepts an Authenticode signer only for code signing: its extended key usage must list codeSigning (${OID.ekuCodeSigning}). A certificate without an EKU extension is valid for everything, which CAs no longer issue for code signing.`,
    source: 'RFC 5280 section 4.2.1.12',
    fix: 'Sign with a certificate issued for code signing (EKU codeSigning), not a TLS or e-mail certificate.',
    evaluate(facts) {
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const problems: string[] = [];
      for (const s of sigs) {
        const eku = s.signer?.extendedKeyUsage;
        if (s.signer === null) continue;
        if (eku === null || eku === undefined) problems.push(`${s.label} signer ${certName(s.signer)} has no extended key usage extension`);
        else if (!eku.includes(OID.ekuCodeSigning)) problems.push(`${s.label} signer ${certName(s.signer)} is not valid for code signing (EKU ${eku.join(', ') || 'empty'})`);
      }
      return problems.length === 0 ? pass() : fail(joinProblems(problems));
    },
  },
  {
    id: 'ABS-SIG-019',
    title: 'Signer matches the pinned certificate',
    category: 'signature',
    defaultSeverity: 'error',
    enabledByDefault: true,
    rationale:
      'A release signed by a different certificate than expected (a leaked key, a wrong build agent, an unannounced renewal) loses the reputation and allowlisting tied to the old signer. Pinning catches it before release (like osslsigncode verify -require-leaf-hash).',
    source: 'mtrojnar/osslsigncode:osslsigncode.md (verify -require-leaf-hash)',
    fix: 'Sign with the pinned certificate, or, after a planned renewal, update the pin (--pin-signer / settings.pinnedSigners) to the new thumbprint.',
    evaluate(facts, parameters) {
      if (parameters.pinnedSigners.length === 0) return skip('no signer is pinned (--pin-signer)');
      const sigs = signaturesOf(facts);
      if (isOutcome(sigs)) return sigs;
      const signer = sigs[0]?.signer;
      if (signer === null || signer === undefined) return fail('the signing certificate is not embedded, so it cannot match the pin');
      const pins = parameters.pinnedSigners.map((p) => p.replace(/[\s:]/g, '').toUpperCase());
      if (pins.includes(signer.thumbprintSha1) || pins.includes(signer.thumbprintSha256)) return pass();
      return fail(`signed by ${certName(signer)} (SHA-256 ${signer.thumbprintSha256}), which is not a pinned signer`, { thumbprintSha1: signer.thumbprintSha1, thumbprintSha256: signer.thumbprintSha256 });
    },
  },
];
