/**
 * Audits one artifact: hashes it, recognises a PE by its content, verifies its Authenticode
 * signature and summarises the image. Each file is read once: the header chunk tells where the
 * Authenticode digest must skip bytes, the certificate table (one small read at its offset) tells
 * which digests are needed, and the single streaming pass feeds the file hashes and the
 * Authenticode digests from the same chunks.
 */
import { createHash } from 'node:crypto';
import { isParseError, toHex } from '../binary/index.ts';
import {
  looksLikePE,
  parsePE,
  PEChecksumAccumulator,
  parsePEHeaders,
  parseWinCertificates,
  type PEHeaders,
  type PEImage,
} from '../formats/pe/index.ts';
import {
  bytesAfterCertificateTable,
  createAuthenticodeHasher,
  parseAuthenticodeSignature,
  requiredDigestAlgorithms,
  verifyAuthenticode,
  type AuthenticodeSignature,
  type DigestAlgorithm,
  type SignatureVerdict,
  type VerificationPolicy,
} from '../authenticode/index.ts';
import type { ArtifactReport, Finding, HashAlgorithm, PESummary, SignatureReport } from './audit.types.ts';
import type { AuditLimits } from './limits.ts';
import { LARGE_OVERLAY_BYTES, READ_CHUNK_BYTES } from './limits.ts';
import { collectLintFacts, sectionRawRange } from './lint/collect-facts.ts';
import { ByteCounts } from './lint/entropy.ts';
import { hasPEExtension } from './pe-extensions.ts';
import { MultiHasher } from './multi-hasher.ts';
import type { ByteSource } from './ports.ts';

export interface AuditArtifactOptions {
  /** Path as shown in the report. */
  path: string;
  hashes: readonly HashAlgorithm[];
  /** DER certificates accepted as roots for code signing and timestamping. */
  trustAnchors: readonly Uint8Array[];
  /** The instant signatures are judged at when no timestamp applies. */
  at: Date;
  limits: AuditLimits;
  /** Root-program constraints, known-but-absent roots, strict padding (see VerificationPolicy). */
  verificationPolicy?: VerificationPolicy;
}

export { hasPEExtension };

class SourceReadError extends Error {
  override readonly name = 'SourceReadError';
}

/** Fills `into` from `position`; a source that ends early (the file shrank) throws SourceReadError. */
export async function readExactly(source: ByteSource, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const n = await source.read(into.subarray(done), position + done);
    if (n <= 0) throw new SourceReadError(`file shrank while being read (expected ${into.length} bytes at offset ${position})`);
    done += n;
  }
}

function emptyReport(path: string, size: number): ArtifactReport {
  return { path, size, sha256: '', hashes: {}, format: 'unknown', pe: null, signature: null, findings: [], error: null };
}

export async function auditArtifact(source: ByteSource, options: AuditArtifactOptions): Promise<ArtifactReport> {
  return (await auditArtifactKeepingHead(source, options)).report;
}

/**
 * The same, also handing back the first chunk it read (up to READ_CHUNK_BYTES; undefined when the
 * read failed), so a caller that sniffs the content again (container detection) needs no second read.
 */
export async function auditArtifactKeepingHead(source: ByteSource, options: AuditArtifactOptions): Promise<{ report: ArtifactReport; head: Uint8Array | undefined }> {
  const report = emptyReport(options.path, source.size);
  const kept: { head?: Uint8Array } = {};
  try {
    await auditInto(report, source, options, kept);
  } catch (error) {
    if (error instanceof SourceReadError) {
      report.error = { code: 'IO_ERROR', message: error.message };
    } else if (isNodeIOError(error)) {
      report.error = { code: 'IO_ERROR', message: `cannot read the file: ${error.message}` };
    } else if (isParseError(error)) {
      report.error = { code: error.code, message: error.message };
    } else {
      // A bug in Absolve, not a property of the file: say so instead of pretending the file is bad.
      report.error = { code: 'INTERNAL', message: `internal error while auditing this file: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { report, head: kept.head };
}

function isNodeIOError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

async function auditInto(report: ArtifactReport, source: ByteSource, options: AuditArtifactOptions, handBack: { head?: Uint8Array }): Promise<void> {
  const size = source.size;
  const hasher = new MultiHasher(options.hashes);
  const headLength = Math.min(size, READ_CHUNK_BYTES);
  const head = new Uint8Array(headLength);
  await readExactly(source, head, 0);
  handBack.head = head;

  const startsWithMZ = headLength >= 2 && head[0] === 0x4d && head[1] === 0x5a;
  let headers: PEHeaders | undefined;
  let headerError: { code: string; message: string } | undefined;
  if (startsWithMZ) {
    try {
      headers = parsePEHeaders(head, size);
    } catch (error) {
      if (!(isParseError(error))) throw error;
      headerError = error;
    }
  }

  if (headers === undefined) {
    // Not a PE (or a broken one): hash only.
    hasher.update(head);
    await streamRest(source, headLength, size, (chunk) => hasher.update(chunk));
    finishHashes(report, hasher);
    if (headerError !== undefined) {
      report.format = looksLikePE(head) ? 'pe' : 'unknown';
      report.error = { code: headerError.code, message: `not a valid PE file: ${headerError.message}` };
    } else if (size === 0 && hasPEExtension(options.path)) {
      report.error = { code: 'EMPTY_FILE', message: 'the file is empty (0 bytes) although its name promises a Windows executable' };
    } else if (hasPEExtension(options.path)) {
      report.error = { code: 'NOT_A_PE', message: 'the name promises a Windows executable but the content is not a PE file (no MZ/PE header)' };
    }
    return;
  }

  report.format = 'pe';
  const findings: Finding[] = [];
  const prepared = await prepareSignature(source, head, headers, size, options, findings);

  // Memory: the image (headers and section data) is kept for parsePE; a large overlay (installer
  // payloads, appended archives) is only streamed through one reused buffer.
  const imageEnd = Math.min(size, Math.max(headers.endOfImageData, headLength));
  const inMemoryEnd = size - imageEnd <= LARGE_OVERLAY_BYTES ? size : imageEnd;
  const keepInMemory = inMemoryEnd <= options.limits.maxParsedPEBytes;
  // A file that fit in the first chunk is already in memory: keep that buffer rather than copy it.
  const kept = !keepInMemory ? undefined : inMemoryEnd <= headLength ? head.subarray(0, inMemoryEnd) : new Uint8Array(inMemoryEnd);
  if (kept !== undefined && kept.buffer !== head.buffer) kept.set(head.subarray(0, Math.min(headLength, inMemoryEnd)));
  // The SHA-256 Authenticode digest is always computed (allowlisting forms ask for it: the hash of the image
  // without checksum and signature), except when a broken certificate table leaves no defined image to digest.
  const digestable = headers.authenticode.certificateTable === undefined || prepared.signature !== undefined;
  const authHasher = digestable ? createAuthenticodeHasher(headers.authenticode, size, [...new Set<DigestAlgorithm>([...prepared.algorithms, 'sha256'])]) : undefined;
  const checksum = new PEChecksumAccumulator(headers.authenticode.checksumOffset);
  // Section entropy is counted from the same chunks while they are in cache, not in a second pass over `kept`.
  const sectionCounts = kept === undefined ? [] : headers.sections.map((s) => {
    const range = sectionRawRange(s, kept.length);
    return range === undefined ? undefined : { ...range, counts: new ByteCounts() };
  });
  const feed = (chunk: Uint8Array, offset: number): void => {
    hasher.update(chunk);
    authHasher?.update(chunk, offset);
    checksum.update(chunk, offset);
    const chunkEnd = offset + chunk.length;
    for (const s of sectionCounts) {
      if (s === undefined || s.end <= offset || s.start >= chunkEnd) continue;
      s.counts.add(chunk.subarray(Math.max(s.start, offset) - offset, Math.min(s.end, chunkEnd) - offset));
    }
  };
  feed(head, 0);
  await streamRest(source, headLength, size, feed, kept);
  finishHashes(report, hasher);

  let image: PEImage | undefined;
  if (kept !== undefined) {
    image = parsePE(kept, { fileSize: size, computedChecksum: checksum.digest() });
    for (const anomaly of image.anomalies) findings.push({ id: anomaly.id, severity: 'warning', message: anomaly.message });
  } else {
    findings.push({
      id: 'PE_NOT_FULLY_PARSED',
      severity: 'note',
      message: `the image is larger than maxParsedPEBytes (${options.limits.maxParsedPEBytes} bytes): hashes and signature were checked, imports and resources were not read`,
    });
  }
  report.pe = summarizePE(headers, image);
  const imageDigests = authHasher?.digest();
  const authenticodeSha256 = imageDigests?.get('sha256');
  if (authenticodeSha256 !== undefined) report.pe.authenticodeSha256 = toHex(authenticodeSha256);

  let verdict: SignatureVerdict | undefined;
  if (prepared.signature !== undefined && imageDigests !== undefined) {
    verdict = await verifyAuthenticode({
      signature: prepared.signature,
      computedDigests: imageDigests,
      trustAnchors: options.trustAnchors,
      at: options.at,
      policy: options.verificationPolicy,
    });
    report.signature = toSignatureReport(verdict);
    const appended = bytesAfterCertificateTable(headers.authenticode, size);
    if (verdict.reasonCode === 'DIGEST_MISMATCH' && appended.length > 0) {
      // Name the cause: the spec hashes everything but the certificate table, so appended bytes break the digest.
      report.signature.reason = `${appended.length} byte(s) appended after the attribute certificate table (at offset ${appended.offset}) are not covered by the signature: the file's ${verdict.digestAlgorithm ?? ''} Authenticode digest, which includes them as the specification computes it, does not match the signed digest`;
    }
  } else {
    report.signature = prepared.report;
  }
  findings.push(...malformedNestedFindings(report.signature));
  report.findings = findings;
  const sectionEntropy = sectionCounts.map((s) => (s === undefined ? null : s.counts.entropy()));
  // The verifier's own verdict carries whether the timestamp verified; the report keeps only its time.
  report.lintFacts = collectLintFacts({ path: options.path, image, bytes: kept, sectionEntropy, signature: prepared.signature, verdict: verdict === undefined ? report.signature : { ...verdict, reason: report.signature.reason } });
}

interface PreparedSignature {
  signature?: AuthenticodeSignature;
  algorithms: DigestAlgorithm[];
  /** Set when there is nothing to verify (unsigned or malformed). */
  report: SignatureReport;
}

/** A signature report for a file with nothing to verify (unsigned) or nothing verifiable (malformed). */
export function statusOnly(status: 'unsigned' | 'malformed', reasonCode: string, reason: string): SignatureReport {
  return { status, reason, reasonCode, digestAlgorithm: null, signer: null, timestamp: null, nested: [] };
}

async function prepareSignature(
  source: ByteSource,
  head: Uint8Array,
  headers: PEHeaders,
  size: number,
  options: AuditArtifactOptions,
  findings: Finding[],
): Promise<PreparedSignature> {
  const table = headers.authenticode.certificateTable;
  if (table === undefined) {
    return { algorithms: [], report: statusOnly('unsigned', 'NOT_SIGNED', 'the file has no Authenticode signature') };
  }
  if (table.problem !== undefined) {
    return { algorithms: [], report: statusOnly('malformed', table.problem.code, table.problem.message) };
  }
  if (table.size > options.limits.maxCertificateTableBytes) {
    return {
      algorithms: [],
      report: statusOnly('malformed', 'CERTIFICATE_TABLE_TOO_LARGE', `the certificate table is ${table.size} bytes, above maxCertificateTableBytes (${options.limits.maxCertificateTableBytes})`),
    };
  }
  if (table.offset + table.size > size) {
    return { algorithms: [], report: statusOnly('malformed', 'PE_BAD_SECURITY_DIRECTORY', 'the certificate table runs past the end of the file') };
  }
  // A small file's table is already in the first chunk: no second read, no copy (`head` is never written again).
  let tableBytes: Uint8Array;
  if (table.offset + table.size <= head.length) {
    tableBytes = head.subarray(table.offset, table.offset + table.size);
  } else {
    tableBytes = new Uint8Array(table.size);
    await readExactly(source, tableBytes, table.offset);
  }
  try {
    const entries = parseWinCertificates(tableBytes);
    const signedData = entries.filter((e) => e.certificateType === 0x0002);
    const first = signedData[0];
    if (first === undefined) {
      return { algorithms: [], report: statusOnly('malformed', 'NO_PKCS7_SIGNATURE', 'the certificate table holds no PKCS#7 SignedData entry') };
    }
    if (entries.length > 1) {
      findings.push({ id: 'MULTIPLE_WIN_CERTIFICATES', severity: 'warning', message: `the certificate table holds ${entries.length} entries; Windows only uses the first` });
    }
    const signature = parseAuthenticodeSignature(first.certificate);
    return { signature, algorithms: requiredDigestAlgorithms(signature), report: statusOnly('malformed', 'NOT_VERIFIED', '') };
  } catch (error) {
    if (isParseError(error)) {
      return { algorithms: [], report: statusOnly('malformed', error.code, `the signature cannot be parsed: ${error.message}`) };
    }
    throw error;
  }
}

/**
 * Reads [from, size) in chunks and hands each to `onChunk` with its file offset. Bytes below
 * `into.length` land in `into` (kept); the rest goes through one scratch buffer.
 */
async function streamRest(
  source: ByteSource,
  from: number,
  size: number,
  onChunk: (chunk: Uint8Array, offset: number) => void,
  into?: Uint8Array,
): Promise<void> {
  const keptEnd = into?.length ?? 0;
  let scratch: Uint8Array | undefined;
  for (let offset = from; offset < size; ) {
    const inKept = offset < keptEnd;
    const length = Math.min(READ_CHUNK_BYTES, (inKept ? keptEnd : size) - offset);
    scratch ??= inKept ? undefined : new Uint8Array(Math.min(READ_CHUNK_BYTES, size - offset));
    const target = inKept && into !== undefined ? into.subarray(offset, offset + length) : (scratch as Uint8Array).subarray(0, length);
    await readExactly(source, target, offset);
    onChunk(target, offset);
    offset += length;
  }
}

function finishHashes(report: ArtifactReport, hasher: MultiHasher): void {
  report.hashes = hasher.digest();
  report.sha256 = report.hashes.sha256 ?? '';
}

function sectionFlags(s: { readable: boolean; writable: boolean; executable: boolean }): string {
  return `${s.readable ? 'r' : '-'}${s.writable ? 'w' : '-'}${s.executable ? 'x' : '-'}`;
}

export function summarizePE(headers: PEHeaders, image: PEImage | undefined): PESummary {
  const stamp = headers.timeDateStamp;
  const english = image?.versionInfo ? pickStringTable(image.versionInfo.strings) : undefined;
  return {
    machine: headers.machineName,
    bits: headers.bits,
    subsystem: headers.subsystemName,
    isDll: headers.isDll,
    linkTimestamp: stamp === 0 ? null : new Date(stamp * 1000).toISOString(),
    entryPoint: headers.addressOfEntryPoint,
    sections: headers.sections.map((s) => ({ name: s.name, virtualSize: s.virtualSize, rawSize: s.sizeOfRawData, flags: sectionFlags(s) })),
    imports: (image?.imports ?? []).map((i) => ({ dll: i.dll, functions: i.functions.length })),
    ...(image === undefined || image.imports.length === 0 ? {} : { imphash: imphash(image.imports) }),
    exports: (image?.exports?.functions ?? []).flatMap((f) => (f.name === undefined ? [] : [f.name])),
    versionInfo:
      image?.versionInfo === undefined
        ? null
        : { fileVersion: image.versionInfo.fileVersion, productVersion: image.versionInfo.productVersion, strings: english ?? {} },
    hasManifest: image?.manifest !== undefined,
    overlay: image?.overlay ?? null,
    checksum: image?.checksum ?? null,
  };
}

/**
 * The import hash (Mandiant's imphash, as pefile computes it): MD5 of `dll.function` pairs in import order,
 * lower-case, the dll's .dll/.ocx/.sys extension dropped, `ordN` for imports by ordinal. pefile also names a few
 * well-known ordinals (ws2_32, oleaut32); Absolve does not, so files importing those by ordinal differ from it.
 */
export function imphash(imports: ReadonlyArray<{ dll: string; functions: ReadonlyArray<{ name?: string; ordinal?: number }> }>): string {
  const parts: string[] = [];
  for (const i of imports) {
    const dll = i.dll.toLowerCase().replace(/\.(dll|ocx|sys)$/, '');
    for (const f of i.functions) parts.push(`${dll}.${f.name !== undefined ? f.name.toLowerCase() : `ord${f.ordinal ?? 0}`}`);
  }
  return createHash('md5').update(parts.join(',')).digest('hex');
}

/** Prefer US English (0409) string tables, as Explorer's Details tab does, else the first one. */
function pickStringTable(tables: Record<string, Record<string, string>>): Record<string, string> | undefined {
  const keys = Object.keys(tables);
  const preferred = keys.find((k) => k.toLowerCase().startsWith('0409')) ?? keys[0];
  return preferred === undefined ? undefined : tables[preferred];
}

/**
 * A nested signature (1.3.6.1.4.1.311.2.4.1) that cannot be parsed leaves the primary verdict alone, but it is
 * what a dual-signed file's second half should have been: a finding says so (SIGNATURE_NESTED_MALFORMED).
 */
export function malformedNestedFindings(signature: SignatureReport | null): Finding[] {
  if (signature === null) return [];
  const out: Finding[] = [];
  const visit = (s: SignatureReport, path: string): void => {
    s.nested.forEach((n, i) => {
      const where = `${path}${i + 1}`;
      if (n.status === 'malformed') out.push({ id: 'SIGNATURE_NESTED_MALFORMED', severity: 'warning', message: `nested signature ${where} is malformed: ${n.reason}` });
      visit(n, `${where}.`);
    });
  };
  visit(signature, '#');
  return out;
}

export function toSignatureReport(verdict: SignatureVerdict): SignatureReport {
  const out: SignatureReport = {
    status: verdict.status,
    reason: verdict.reason,
    reasonCode: verdict.reasonCode,
    digestAlgorithm: verdict.digestAlgorithm,
    signer: verdict.signer,
    timestamp: verdict.timestamp === null ? null : { time: verdict.timestamp.time, kind: verdict.timestamp.kind, authority: verdict.timestamp.signer, valid: verdict.timestamp.valid },
    nested: verdict.nested.map(toSignatureReport),
    chain: verdict.chain,
  };
  if (verdict.programName !== undefined) out.programName = verdict.programName;
  if (verdict.moreInfoUrl !== undefined) out.moreInfoUrl = verdict.moreInfoUrl;
  return out;
}
