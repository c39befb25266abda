/**
 * Verifying an Authenticode signature against the image digest the caller computed.
 *
 * Checks, in the order they decide the verdict:
 *  1. malformed: the signer certificate is not embedded, signed attributes are missing, an algorithm is
 *     unknown, or the caller did not compute the image digest for the signature's algorithm;
 *  2. DIGEST_MISMATCH: DigestInfo.digest of the SpcIndirectDataContent ≠ the computed image digest
 *     ([AUTHENTICODE] "Calculating the PE Image Hash");
 *  3. BAD_SIGNER_SIGNATURE: RFC 5652 section 5.4/5.6: the contentType signed attribute must equal
 *     eContentType, messageDigest must equal the hash of the content (for Authenticode the contents octets
 *     of SpcIndirectDataContent, [AUTHENTICODE] "Authenticode-Specific Structures"), and the signature must
 *     verify over the DER of signedAttrs with its [0] IMPLICIT tag replaced by SET (0x31);
 *  4. NO_CODE_SIGNING_EKU: like Windows (CertGetCertificateChain with the code-signing usage), a
 *     certificate WITHOUT an extendedKeyUsage extension is valid for every purpose, but one WITH the
 *     extension must list codeSigning (1.3.6.1.5.5.7.3.3); anyExtendedKeyUsage alone is not enough (neither
 *     CryptoAPI nor OpenSSL's code-sign purpose accept it). Applied to the leaf and the intermediates (EKU
 *     restricts down the chain), not to the trust anchor, whose use is the caller's configuration;
 *  5. CHAIN_UNTRUSTED: no path from the signer to a trust anchor (RFC 5280 section 6, simplified: names
 *     chain, AKI/SKI agree, each signature verifies, issuers are CAs (basicConstraints cA, keyCertSign
 *     when keyUsage is present; v1 roots allowed). A self-signed signer counts when it is itself an anchor;
 *  6. TIMESTAMP_INVALID: a timestamp is present but none verifies (see verifyTimestamp);
 *  7. ROOT_USAGE_NOT_TRUSTED / ROOT_NOT_BEFORE / ROOT_DISALLOWED: the root program's constraints on the
 *     anchor reached (input.policy.anchorConstraints, from Microsoft's CTL: see anchorProblem);
 *  8. CERT_EXPIRED: a certificate of the path is expired or not yet valid at the judged time: the
 *     timestamp's time when a valid timestamp exists (Authenticode's rule: a timestamped signature outlives
 *     its certificate), otherwise `at`.
 * Right after step 3, CERT_PADDING: with policy.certPaddingCheck, bytes beyond the 8-byte alignment after the
 * PKCS #7 blob (CVE-2013-3900, Windows' EnableCertPaddingCheck) make the signature invalid.
 * An untrusted chain whose last certificate is (or is issued by) a root of policy.knownRoots is reported as
 * ROOT_NOT_IN_STORE, naming that root.
 * No revocation checking (no CRL/OCSP: this layer has no network). No page-hash verification.
 */
import { bytesEqual, ParseError, toHex } from '../binary/index.ts';
import { parseCertificate, thumbprints, KEY_USAGE_KEY_CERT_SIGN } from './certificate.ts';
import { findSignerCertificate } from './cms.ts';
import { certificateSignedBy, digest, verifySignature } from './crypto.ts';
import { authenticodeError } from './errors.ts';
import { OID } from './oids.ts';
import type {
  AnchorConstraints,
  AuthenticodeSignature,
  AuthenticodeTimestamp,
  CertificateInfo,
  CertificateSummary,
  CMSSignerInfo,
  DigestAlgorithm,
  SignatureVerdict,
  TimestampVerdict,
  VerdictReasonCode,
  VerdictStatus,
  VerifyAuthenticodeInput,
  KnownRoot,
  VerificationPolicy,
} from './authenticode.types.ts';

/** Longest certificate path tried (leaf … anchor). */
export const MAX_CHAIN_LENGTH = 8;
/** Issuer candidates tried per certificate while building a path (cross-certificates, duplicates). */
const MAX_ISSUER_CANDIDATES = 8;

export interface Anchors {
  certificates: CertificateInfo[];
  /** Root-program constraints by upper-case SHA-1 thumbprint. */
  constraints: ReadonlyMap<string, AnchorConstraints>;
  knownRoots: readonly KnownRoot[];
  missingRootAdvice: string;
}

const parsedAnchors = new WeakMap<Uint8Array, CertificateInfo>();

export function loadAnchors(ders: readonly Uint8Array[], policy: VerificationPolicy = {}): Anchors {
  const certificates = ders.map((der, index) => {
    let cert = parsedAnchors.get(der);
    if (cert === undefined) {
      try {
        cert = parseCertificate(der);
      } catch (error) {
        throw authenticodeError('AUTHENTICODE_BAD_TRUST_ANCHOR', `trust anchor #${index} is not a DER certificate: ${error instanceof Error ? error.message : String(error)}`, undefined, error);
      }
      parsedAnchors.set(der, cert);
    }
    return cert;
  });
  return {
    certificates,
    constraints: new Map((policy.anchorConstraints ?? []).map((c) => [c.thumbprintSha1.toUpperCase(), c])),
    knownRoots: policy.knownRoots ?? [],
    missingRootAdvice: policy.missingRootAdvice ?? '',
  };
}

function isAnchor(cert: CertificateInfo, anchors: Anchors): boolean {
  return anchors.certificates.some((a) => a === cert || bytesEqual(a.der, cert.der));
}

/** ISO 8601 in UTC, without a fractional part when it is zero ("2026-11-28T00:08:52Z"). */
export function isoTime(date: Date): string {
  const s = date.toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

export function summarizeCertificate(cert: CertificateInfo): CertificateSummary {
  const t = thumbprints(cert);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    thumbprintSha1: t.sha1,
    thumbprintSha256: t.sha256,
    notBefore: isoTime(cert.notBefore),
    notAfter: isoTime(cert.notAfter),
  };
}

// ---------------------------------------------------------------------------------------------
// Path building
// ---------------------------------------------------------------------------------------------

export interface ChainResult {
  /** Leaf first; ends at the anchor when `trusted`, else as far as issuers were found. */
  path: CertificateInfo[];
  trusted: boolean;
  /** Why the path stops, when not trusted. */
  problem: string;
  /** Set when every path found ends at an anchor the root program refuses (the first refusal). */
  refusal?: Failure;
}

function namesMatch(a: CertificateInfo['subjectDER'], b: CertificateInfo['issuerDER'], aText: string, bText: string): boolean {
  // Byte equality first; then the printed form, case-insensitively (an approximation of RFC 5280 7.1).
  return bytesEqual(a, b) || aText.toLowerCase() === bText.toLowerCase();
}

function canIssue(issuer: CertificateInfo): boolean {
  if (issuer.keyUsage !== undefined && (issuer.keyUsage & KEY_USAGE_KEY_CERT_SIGN) === 0) return false;
  if (issuer.isCA === true) return true;
  // X.509 v1/v2 roots predate basicConstraints.
  return issuer.version < 3 && issuer.isCA === undefined;
}

/**
 * `accept` judges a path that reached an anchor (root-program constraints): a refused anchor does not end the
 * search, another path (a cross-certificate to another anchor) may still be accepted.
 */
export function buildChain(leaf: CertificateInfo, pool: readonly CertificateInfo[], anchors: Anchors, accept?: (path: readonly CertificateInfo[]) => Failure | undefined): ChainResult {
  let refused: { path: CertificateInfo[]; failure: Failure } | undefined;
  let best: CertificateInfo[] = [leaf];
  let problem = '';
  const visited = new Set<CertificateInfo>([leaf]);

  const extend = (cert: CertificateInfo, path: CertificateInfo[]): CertificateInfo[] | undefined => {
    if (isAnchor(cert, anchors)) {
      const failure = accept?.(path);
      if (failure === undefined) return path;
      refused ??= { path, failure };
    }
    if (path.length > best.length) best = path;
    if (path.length >= MAX_CHAIN_LENGTH) {
      problem = `the chain is longer than ${MAX_CHAIN_LENGTH} certificates`;
      return undefined;
    }
    const candidates = [...anchors.certificates, ...pool]
      .filter(
        (c) =>
          !visited.has(c) &&
          c !== cert &&
          !bytesEqual(c.der, cert.der) &&
          namesMatch(c.subjectDER, cert.issuerDER, c.subject, cert.issuer) &&
          (cert.authorityKeyIdentifier === undefined || c.subjectKeyIdentifier === undefined || bytesEqual(cert.authorityKeyIdentifier, c.subjectKeyIdentifier)),
      )
      .slice(0, MAX_ISSUER_CANDIDATES);
    if (candidates.length === 0) {
      problem = bytesEqual(cert.subjectDER, cert.issuerDER)
        ? `the self-signed certificate "${cert.subject}" is not a trust anchor`
        : `no trusted issuer "${cert.issuer}" was found for "${cert.subject}"`;
      return undefined;
    }
    for (const issuer of candidates) {
      if (!canIssue(issuer)) {
        problem = `"${issuer.subject}" is not a CA certificate`;
        continue;
      }
      if (!certificateSignedBy(cert, issuer)) {
        problem = `the signature of "${cert.subject}" does not verify with the key of "${issuer.subject}"`;
        continue;
      }
      visited.add(issuer);
      const found = extend(issuer, [...path, issuer]);
      if (found !== undefined) return found;
      visited.delete(issuer);
    }
    return undefined;
  };

  const path = extend(leaf, [leaf]);
  if (path !== undefined) return { path, trusted: true, problem: '' };
  if (refused !== undefined) return { path: refused.path, trusted: false, problem: refused.failure.reason, refusal: refused.failure };
  return { path: best, trusted: false, problem };
}

export function validityProblem(path: readonly CertificateInfo[], at: Date): string | undefined {
  const t = at.getTime();
  for (const c of path) {
    if (t < c.notBefore.getTime()) return `"${c.subject}" is not valid before ${isoTime(c.notBefore)} (checked at ${isoTime(at)})`;
    if (t > c.notAfter.getTime()) return `"${c.subject}" expired on ${isoTime(c.notAfter)} (checked at ${isoTime(at)})`;
  }
  return undefined;
}

export function hasUsage(cert: CertificateInfo, accepted: readonly string[]): boolean {
  return cert.extendedKeyUsage === undefined || cert.extendedKeyUsage.some((u) => accepted.includes(u));
}

const USAGE_NAMES: Readonly<Record<string, string>> = { [OID.ekuCodeSigning]: 'code signing', [OID.ekuTimeStamping]: 'time stamping' };

/**
 * The root program's verdict on the anchor that ends a trusted path, for `usage` (codeSigning or
 * timeStamping), judged at `at` (the timestamp's time, else "now"). Microsoft's deprecation states
 * (https://learn.microsoft.com/en-us/security/trusted-root/deprecation):
 * - EKU removal: the root is no longer trusted for that EKU, timestamp or not (CTL EKU list, disallowed EKUs);
 * - NotBefore: certificates issued on or after the date are not trusted (for the listed EKUs, or all);
 * - Disable: nothing chaining to the root is trusted, except signatures timestamped before the date.
 */
export function anchorProblem(path: readonly CertificateInfo[], anchors: Anchors, usage: string, at: Date): Failure | undefined {
  const anchor = path[path.length - 1];
  const leaf = path[0];
  if (anchor === undefined || leaf === undefined || anchors.constraints.size === 0) return undefined;
  const c = anchors.constraints.get(thumbprints(anchor).sha1);
  if (c === undefined) return undefined;
  const what = USAGE_NAMES[usage] ?? usage;
  const root = `the root "${c.name || anchor.subject}" (${c.thumbprintSha1})`;
  if ((c.trustedUsages !== undefined && !c.trustedUsages.includes(usage)) || (c.disallowedUsages?.includes(usage) ?? false)) {
    return fail('untrusted', 'ROOT_USAGE_NOT_TRUSTED', `${root} is not trusted for ${what} by the root program (trusted for: ${(c.trustedUsages ?? []).join(', ') || 'nothing'})`);
  }
  if (c.notBefore !== undefined && (c.notBeforeUsages === undefined || c.notBeforeUsages.length === 0 || c.notBeforeUsages.includes(usage))) {
    if (leaf.notBefore.getTime() >= c.notBefore.getTime()) {
      return fail('untrusted', 'ROOT_NOT_BEFORE', `${root} no longer trusts certificates issued from ${isoTime(c.notBefore)} for ${what}; "${leaf.subject}" was issued ${isoTime(leaf.notBefore)}`);
    }
  }
  if (c.disallowedFrom !== undefined && at.getTime() >= c.disallowedFrom.getTime()) {
    return fail('untrusted', 'ROOT_DISALLOWED', `${root} is disabled by the root program since ${isoTime(c.disallowedFrom)} (checked at ${isoTime(at)}; only signatures timestamped before that date stay valid)`);
  }
  return undefined;
}

/** The known root that an untrusted path stops at or under, when the root program names one. */
export function missingKnownRoot(path: readonly CertificateInfo[], anchors: Anchors): KnownRoot | undefined {
  const last = path[path.length - 1];
  if (last === undefined || anchors.knownRoots.length === 0) return undefined;
  const sha1 = thumbprints(last).sha1;
  const aki = last.authorityKeyIdentifier === undefined ? undefined : toHex(last.authorityKeyIdentifier, true);
  return anchors.knownRoots.find((r) => r.thumbprintSha1.toUpperCase() === sha1 || (aki !== undefined && r.keyIdentifier?.toUpperCase() === aki));
}

function untrustedChain(chain: ChainResult, anchors: Anchors): Failure {
  const root = missingKnownRoot(chain.path, anchors);
  if (root !== undefined) {
    const advice = anchors.missingRootAdvice === '' ? '' : `: ${anchors.missingRootAdvice}`;
    return fail('untrusted', 'ROOT_NOT_IN_STORE', `the chain ends at the root "${root.name}" (${root.thumbprintSha1}) of Microsoft's root program, which is not in the trust store${advice}`);
  }
  return fail('untrusted', 'CHAIN_UNTRUSTED', `the signer does not chain to a trust anchor: ${chain.problem}`);
}

// ---------------------------------------------------------------------------------------------
// SignerInfo check (shared by the primary signer, RFC 3161 TSAs and legacy countersigners)
// ---------------------------------------------------------------------------------------------

export interface Failure {
  status: VerdictStatus;
  code: VerdictReasonCode;
  reason: string;
}

function fail(status: VerdictStatus, code: VerdictReasonCode, reason: string): Failure {
  return { status, code, reason };
}

/**
 * RFC 5652 section 5.4: messageDigest = hash(content) and the signature over DER(SET OF signedAttrs).
 * `content` is what the signer hashed; `expectedContentType` the required contentType attribute value.
 */
export function checkSignerInfo(signer: CMSSignerInfo, cert: CertificateInfo, content: Uint8Array, expectedContentType: string | undefined, who: string): Failure | undefined {
  if (signer.signedAttributesDER === undefined) return fail('malformed', 'MISSING_SIGNED_ATTRIBUTES', `the ${who} has no signed attributes`);
  if (signer.digestAlgorithm === undefined) return fail('malformed', 'UNSUPPORTED_ALGORITHM', `the ${who} uses the unsupported digest algorithm ${signer.digestAlgorithmOid}`);
  if (expectedContentType !== undefined && signer.contentType !== expectedContentType) {
    return fail('invalid', 'BAD_SIGNER_SIGNATURE', `the ${who}'s contentType attribute is ${signer.contentType ?? 'missing'}, expected ${expectedContentType}`);
  }
  if (signer.messageDigest === undefined) return fail('malformed', 'MISSING_SIGNED_ATTRIBUTES', `the ${who} has no messageDigest attribute`);
  if (!bytesEqual(digest(signer.digestAlgorithm, content), signer.messageDigest)) {
    return fail('invalid', 'BAD_SIGNER_SIGNATURE', `the ${who}'s messageDigest attribute does not match the signed content`);
  }
  // The signature covers the signed attributes as an explicit SET OF (RFC 5652 section 5.4), not [0] IMPLICIT.
  const signedBytes = Uint8Array.from(signer.signedAttributesDER);
  signedBytes[0] = 0x31;
  const check = verifySignature(cert, signedBytes, signer.signature, signer.signatureAlgorithmOid, signer.signatureAlgorithmParameters, signer.digestAlgorithm);
  if (check === 'unsupported') return fail('malformed', 'UNSUPPORTED_ALGORITHM', `the ${who}'s signature algorithm ${signer.signatureAlgorithmOid} (key ${cert.publicKeyAlgorithm}) is not supported`);
  if (check === 'bad') return fail('invalid', 'BAD_SIGNER_SIGNATURE', `the ${who}'s signature does not verify with the key of "${cert.subject}"`);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------------------------

interface TimestampResult {
  verdict: TimestampVerdict;
  time: Date | undefined;
}

/**
 * RFC 3161 token: messageImprint = hash(our SignerInfo's signature value) (the Authenticode profile of
 * RFC 3161: the timestamped data is the signature); the TSA's SignerInfo verifies over the TSTInfo; the TSA
 * certificate chains to an anchor, has EKU timeStamping (RFC 3161 section 2.3) and, with its chain, is
 * valid at genTime.
 * Legacy countersignature (RFC 5652 section 11.4): messageDigest = hash(our signature value), signature
 * over its signed attributes, certificate among the outer ones, chains to an anchor, EKU (when present)
 * timeStamping or Microsoft's time-stamp signing, valid at its signingTime.
 * Not checked: the ESS signingCertificate attribute binding the TSA certificate.
 */
function verifyTimestamp(ts: AuthenticodeTimestamp, outer: AuthenticodeSignature, anchors: Anchors): TimestampResult {
  const verdict: TimestampVerdict = { kind: ts.kind, time: ts.time === undefined ? '' : isoTime(ts.time), valid: false, reason: '', signer: null, chain: [] };
  const result = (reason: string): TimestampResult => {
    verdict.reason = reason;
    return { verdict, time: undefined };
  };
  const pool: CertificateInfo[] = ts.kind === 'rfc3161' ? [...ts.certificates, ...outer.certificates] : outer.certificates;
  let cert: CertificateInfo | undefined;
  if (ts.kind === 'rfc3161') {
    cert = ts.signer.certificateIndex !== undefined ? ts.certificates[ts.signer.certificateIndex] : undefined;
    if (cert === undefined) {
      const i = findSignerCertificate(ts.signer.sid, outer.certificates);
      cert = i === undefined ? undefined : outer.certificates[i];
    }
  } else {
    cert = ts.signer.certificateIndex === undefined ? undefined : outer.certificates[ts.signer.certificateIndex];
  }
  if (cert === undefined) return result('the timestamp signer certificate is not embedded');
  verdict.signer = summarizeCertificate(cert);
  if (ts.time === undefined) return result('the countersignature has no signingTime');

  const signatureValue = outer.signer.signature;
  let problem: Failure | undefined;
  if (ts.kind === 'rfc3161') {
    const alg = ts.messageImprint.algorithm;
    if (alg === undefined) return result(`the timestamp's messageImprint uses the unsupported algorithm ${ts.messageImprint.algorithmOid}`);
    if (!bytesEqual(digest(alg, signatureValue), ts.messageImprint.hashedMessage)) return result("the timestamp's messageImprint does not match the signature it should cover");
    problem = checkSignerInfo(ts.signer, cert, ts.tstInfo, OID.tstInfo, 'timestamp signer');
  } else {
    problem = checkSignerInfo(ts.signer, cert, signatureValue, undefined, 'countersigner');
  }
  if (problem !== undefined) return result(problem.reason);

  const accepted = ts.kind === 'rfc3161' ? [OID.ekuTimeStamping] : [OID.ekuTimeStamping, OID.ekuMicrosoftTimeStampSigning];
  if (ts.kind === 'rfc3161' && cert.extendedKeyUsage === undefined) return result(`the TSA certificate "${cert.subject}" has no extendedKeyUsage (RFC 3161 requires timeStamping)`);
  if (!hasUsage(cert, accepted)) return result(`the TSA certificate "${cert.subject}" is not valid for time stamping (no timeStamping EKU)`);
  const tsTime = ts.time;
  const chain = buildChain(cert, pool, anchors, (path) => anchorProblem(path, anchors, OID.ekuTimeStamping, tsTime));
  verdict.chain = chain.path.map((c) => c.subject);
  if (!chain.trusted) {
    const missing = chain.refusal ?? untrustedChain(chain, anchors);
    return result(`the TSA certificate is untrusted: ${missing.code === 'CHAIN_UNTRUSTED' ? chain.problem : missing.reason}`);
  }
  const expired = validityProblem(chain.path, ts.time);
  if (expired !== undefined) return result(`the TSA certificate chain is not valid at the timestamp's time: ${expired}`);
  verdict.valid = true;
  return { verdict, time: ts.time };
}

// ---------------------------------------------------------------------------------------------
// The verdict
// ---------------------------------------------------------------------------------------------

function malformedNested(attribute: string, index: number, code: string, message: string): SignatureVerdict {
  return {
    status: 'malformed',
    reason: `nested signature #${index} (${attribute}) cannot be parsed: ${message} [${code}]`,
    reasonCode: 'MALFORMED',
    digestAlgorithm: null,
    signer: null,
    timestamp: null,
    nested: [],
    chain: [],
  };
}

function verifyOne(signature: AuthenticodeSignature, input: VerifyAuthenticodeInput, anchors: Anchors): SignatureVerdict {
  const verdict: SignatureVerdict = {
    status: 'valid',
    reason: '',
    reasonCode: 'OK',
    digestAlgorithm: signature.digestAlgorithm,
    signer: null,
    timestamp: null,
    nested: [
      ...signature.nested.map((n) => verifyOne(n, input, anchors)),
      ...signature.nestedErrors.map((e) => malformedNested(e.attribute, e.index, e.code, e.message)),
    ],
    chain: [],
  };
  if (signature.programName !== undefined) verdict.programName = signature.programName;
  if (signature.moreInfoUrl !== undefined) verdict.moreInfoUrl = signature.moreInfoUrl;
  const finish = (f: Failure): SignatureVerdict => {
    verdict.status = f.status;
    verdict.reasonCode = f.code;
    verdict.reason = f.reason;
    return verdict;
  };

  try {
    const leaf = signature.signer.certificateIndex === undefined ? undefined : signature.certificates[signature.signer.certificateIndex];
    if (leaf === undefined) {
      const sid = signature.signer.sid;
      const who = sid.kind === 'issuerAndSerialNumber' ? `issuer "${sid.issuer}", serial ${sid.serialNumber}` : 'its subject key identifier';
      return finish(fail('malformed', 'SIGNER_CERT_NOT_FOUND', `the signer certificate (${who}) is not embedded in the signature`));
    }
    verdict.signer = summarizeCertificate(leaf);

    // Timestamps and the chain are evaluated up front so that every verdict, even a DIGEST_MISMATCH one,
    // reports them.
    const timestamps = signature.timestamps.map((ts) => verifyTimestamp(ts, signature, anchors));
    const usable = timestamps.find((t) => t.time !== undefined);
    verdict.timestamp = (usable ?? timestamps[0])?.verdict ?? null;
    const judgedAt = usable?.time ?? input.at;
    const chain = buildChain(leaf, signature.certificates, anchors, (path) => anchorProblem(path, anchors, OID.ekuCodeSigning, judgedAt));
    verdict.chain = chain.path.map((c) => c.subject);

    const computed = input.computedDigests.get(signature.digestAlgorithm);
    if (computed === undefined) return finish(fail('malformed', 'DIGEST_NOT_COMPUTED', `no ${signature.digestAlgorithm} image digest was computed for this signature`));
    if (!bytesEqual(computed, signature.expectedDigest)) {
      return finish(fail('invalid', 'DIGEST_MISMATCH', `the file's ${signature.digestAlgorithm} Authenticode digest does not match the signed digest: the file was modified after signing`));
    }

    const signerProblem = checkSignerInfo(signature.signer, leaf, signature.indirectDataContent, OID.spcIndirectDataContent, 'signer');
    if (signerProblem !== undefined) return finish(signerProblem);
    if (input.policy?.certPaddingCheck === true && signature.excessPaddingBytes > 0) {
      return finish(
        fail(
          'invalid',
          'CERT_PADDING',
          `${signature.excessPaddingBytes} ${signature.excessPaddingNonZero ? 'non-zero' : 'zero'} byte(s) follow the PKCS #7 signature inside the WIN_CERTIFICATE beyond its 8-byte alignment: not covered by the signature (CVE-2013-3900; refused under EnableCertPaddingCheck)`,
        ),
      );
    }

    // The leaf always counts (even when it is itself the anchor); the anchor at the end of a trusted path does not.
    const endsAtAnchor = chain.trusted || chain.refusal !== undefined;
    const constrained = endsAtAnchor ? chain.path.slice(0, Math.max(1, chain.path.length - 1)) : chain.path;
    const restricted = constrained.find((c) => !hasUsage(c, [OID.ekuCodeSigning]));
    if (restricted !== undefined) {
      return finish(fail('invalid', 'NO_CODE_SIGNING_EKU', `"${restricted.subject}" is not valid for code signing: its extendedKeyUsage (${(restricted.extendedKeyUsage ?? []).join(', ')}) lacks codeSigning (1.3.6.1.5.5.7.3.3)`));
    }
    if (!chain.trusted && chain.refusal === undefined) return finish(untrustedChain(chain, anchors));

    if (timestamps.length > 0 && usable === undefined) {
      const first = timestamps[0]?.verdict;
      return finish(fail('invalid', 'TIMESTAMP_INVALID', `the ${first?.kind === 'authenticode' ? 'Authenticode' : 'RFC 3161'} timestamp is invalid: ${first?.reason ?? ''}`));
    }
    if (signature.timestampErrors.length > 0 && usable === undefined) {
      const e = signature.timestampErrors[0];
      return finish(fail('invalid', 'TIMESTAMP_INVALID', `the timestamp cannot be parsed: ${e?.message ?? ''} [${e?.code ?? ''}]`));
    }

    if (chain.refusal !== undefined) return finish(chain.refusal);
    const expired = validityProblem(chain.path, judgedAt);
    if (expired !== undefined) {
      return finish(fail('invalid', 'CERT_EXPIRED', `${expired}${usable === undefined ? ' and there is no valid timestamp' : ' (the timestamp time)'}`));
    }

    verdict.reason = usable === undefined ? `signed by "${leaf.subject}", trusted, not timestamped` : `signed by "${leaf.subject}", trusted, timestamped ${isoTime(usable.time as Date)}`;
    return verdict;
  } catch (error) {
    // Defensive: a checker bug or an exotic input must still give a verdict, never a rejection.
    const detail = error instanceof ParseError ? `${error.message} [${error.code}]` : error instanceof Error ? error.message : String(error);
    return finish(fail('malformed', 'MALFORMED', `the signature cannot be verified: ${detail}`));
  }
}

/**
 * Verifies a parsed signature (and, recursively, its nested signatures) against the caller's image digests,
 * trust anchors and "now". Resolves to a verdict for every parsed signature; rejects only with
 * ParseError('AUTHENTICODE_BAD_TRUST_ANCHOR') when a trust anchor is not a certificate.
 */
export function verifyAuthenticode(input: VerifyAuthenticodeInput): Promise<SignatureVerdict> {
  try {
    const anchors = loadAnchors(input.trustAnchors, input.policy);
    return Promise.resolve(verifyOne(input.signature, input, anchors));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Every image digest algorithm needed to verify `signature` and its nested signatures. */
export function requiredDigestAlgorithms(signature: AuthenticodeSignature): DigestAlgorithm[] {
  const found = new Set<DigestAlgorithm>();
  const visit = (s: AuthenticodeSignature): void => {
    found.add(s.digestAlgorithm);
    s.nested.forEach(visit);
  };
  visit(signature);
  return [...found];
}
