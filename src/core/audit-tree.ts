/**
 * Audits a file and, when it is an installer or archive (ZIP, MSI/MSP, CAB, NSIS), every member inside
 * it, recursively, as an antivirus engine would look at it. Members are read into memory through the
 * ContainerReader (bounded by its limits) and never written anywhere; their report paths are
 * `outer.msi!/Contoso/app.exe`, repeated for each level.
 */
import { bytesEqual, isParseError, LimitExceededError } from '../binary/index.ts';
import { parseAuthenticodeSignature, requiredDigestAlgorithms, verifyAuthenticode, type AuthenticodeSignature, type DigestAlgorithm } from '../authenticode/index.ts';
import { auditArtifactKeepingHead, hasPEExtension, malformedNestedFindings, readExactly, statusOnly, toSignatureReport, type AuditArtifactOptions } from './audit-artifact.ts';
import type { ArtifactFormat, ArtifactReport, Finding, SignatureReport } from './audit.types.ts';
import { collectLintFacts } from './lint/collect-facts.ts';
import type { ByteSource, ContainerReader, ContainerSignatureMaterial } from './ports.ts';

export interface AuditTreeOptions extends AuditArtifactOptions {
  containers?: ContainerReader;
}

/** Separates a container's path from its member's path in reports. */
export const MEMBER_SEPARATOR = '!/';

export class MemoryByteSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.length;
  }

  read(buffer: Uint8Array, position: number): Promise<number> {
    const n = Math.max(0, Math.min(buffer.length, this.bytes.length - position));
    buffer.set(this.bytes.subarray(position, position + n));
    return Promise.resolve(n);
  }
}

/** Names of the containers Absolve opens (a member named like one may hold executables). */
const CONTAINER_EXTENSIONS: ReadonlySet<string> = new Set(['zip', 'msi', 'msp', 'mst', 'cab', 'nupkg', 'jar', 'appx', 'msix', 'vsix']);

/**
 * Whether a member Absolve could not read may hold code: its name promises a PE or a container. (A member that a
 * limit stopped is unknown content and counts whatever its name.)
 */
export function couldHoldCode(path: string): boolean {
  if (hasPEExtension(path)) return true;
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && CONTAINER_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}

/** The report for the file first, then its members depth-first in listing order. */
export async function auditTree(source: ByteSource, options: AuditTreeOptions): Promise<ArtifactReport[]> {
  const containers = options.containers;
  const out: ArtifactReport[] = [];
  await auditNode(source, options, containers?.session(source.size), 0, out);
  return out;
}

type Session = ReturnType<ContainerReader['session']>;

async function auditNode(source: ByteSource, options: AuditTreeOptions, session: Session | undefined, depth: number, out: ArtifactReport[]): Promise<void> {
  const { report, head: firstChunk } = await auditArtifactKeepingHead(source, options);
  out.push(report);
  const containers = options.containers;
  if (containers === undefined || session === undefined || report.error !== null || source.size === 0) return;

  // The audit read the first chunk (a failed read leaves report.error set, handled above).
  const head = firstChunk;
  if (head === undefined) return;
  const kind = containers.detect(head);
  if (kind === undefined) return;
  if (depth >= containers.maxDepth) {
    // Unknown content behind a limit: an error, so the gate fails unless the user allows it (--allow-unaudited).
    report.findings.push({ id: 'ABS-CONTAINER-TOO-DEEP', severity: 'error', message: `${report.path}: a ${kind} container nested deeper than maxDepth (${containers.maxDepth}): its members were not audited` });
    return;
  }
  let bytes = head;
  if (head.length !== source.size) {
    // A container larger than the first chunk: its listing needs all of it in memory.
    bytes = new Uint8Array(source.size);
    try {
      await readExactly(source, bytes, 0);
    } catch (error) {
      report.error = { code: 'IO_ERROR', message: `cannot read the container: ${error instanceof Error ? error.message : String(error)}` };
      return;
    }
  }

  if (containers.expandMembers === false) {
    // --no-containers: members stay closed, but a package's own signature is still the policy's business.
    if (report.format === 'unknown') report.format = formatOf(kind);
    if (report.format === 'pe') return;
    try {
      await verifyPackageSignature(report, containers.signature(kind, bytes), options);
    } catch (error) {
      if (!isParseError(error)) throw error;
      report.error = { code: error.code, message: `cannot read this ${kind.toUpperCase()} package: ${error.message}` };
    }
    return;
  }

  let listing: Awaited<ReturnType<Session['open']>>;
  try {
    listing = await session.open(kind, bytes);
  } catch (error) {
    if (!isParseError(error)) throw error;
    if (report.format === 'unknown') report.format = formatOf(kind);
    report.error = { code: error.code, message: `cannot read this ${kind.toUpperCase()} container: ${error.message}` };
    return;
  }
  if (report.format === 'unknown') report.format = formatOf(listing.kind);
  report.container = { kind: listing.kind, members: listing.members.length };
  // The findings about each member, to raise to an error when that member turns out to be unauditable.
  const aboutMember = new Map<string, Finding[]>();
  for (const f of listing.findings) {
    const added: Finding = { id: f.id, severity: f.severity, message: f.member === undefined ? f.message : `${f.member}: ${f.message}` };
    report.findings.push(added);
    if (f.member === undefined || f.id === 'ABS-CONTAINER-PATH-TRAVERSAL') continue;
    const known = aboutMember.get(f.member);
    if (known === undefined) aboutMember.set(f.member, [added]);
    else known.push(added);
  }
  if (report.format !== 'pe') {
    await verifyPackageSignature(report, containers.signature(listing.kind, bytes), options);
    report.findings.push(...malformedNestedFindings(report.signature));
  }

  const firstChild = out.length;
  for (const member of listing.members) {
    const path = `${report.path}${MEMBER_SEPARATOR}${member.path}`;
    let memberBytes: Uint8Array;
    try {
      memberBytes = await member.read();
    } catch (error) {
      if (!isParseError(error)) throw error;
      reportUnauditedMember(report, member.path, error, aboutMember.get(member.path));
      continue;
    }
    await auditNode(new MemoryByteSource(memberBytes), { ...options, path }, session, depth + 1, out);
  }
  addMemberSigningFindings(report, out.slice(firstChild));
}

/**
 * A member that could not be expanded (bomb, encrypted, unsupported method, corrupt, a limit): when it may hold
 * code, its finding becomes an error naming it, so nothing unaudited passes the gate; otherwise it stays a
 * warning. The listing already said why where it could; otherwise the read error says it.
 */
function reportUnauditedMember(report: ArtifactReport, path: string, error: Error, listed: Finding[] | undefined): void {
  const stoppedByLimit = error instanceof LimitExceededError;
  const gate = stoppedByLimit || couldHoldCode(path);
  const why = stoppedByLimit ? 'a limit stopped it, its content is unknown' : 'its name says it may hold code';
  if (listed !== undefined && listed.length > 0) {
    for (const f of listed) {
      if (!gate || f.severity === 'error' || f.severity === 'note') continue;
      f.severity = 'error';
      f.message += ` (not audited: ${why})`;
    }
    if (!gate || listed.some((f) => f.severity === 'error')) return;
  }
  report.findings.push({
    id: stoppedByLimit ? 'ABS-CONTAINER-BOMB' : 'ABS-CONTAINER-BAD-MEMBER',
    severity: gate ? 'error' : 'warning',
    message: `${path}: not audited: ${error.message}${gate ? ` (${why})` : ''}`,
  });
}

function formatOf(kind: string): ArtifactFormat {
  return kind === 'msi' || kind === 'msp' || kind === 'cfb' || kind === 'cab' || kind === 'zip' ? kind : 'unknown';
}

/**
 * The seed case of Absolve: a signed installer whose inner executables are not signed, or are signed
 * by someone else. Antivirus engines scan what the installer drops, one file at a time, so the
 * container's signature does not vouch for them.
 */
function addMemberSigningFindings(container: ArtifactReport, descendants: ArtifactReport[]): void {
  const signature = container.signature;
  if (signature === null || signature.status === 'unsigned' || signature.status === 'malformed') return;
  const containerThumbprint = signature.signer?.thumbprintSha256;
  const unsigned: string[] = [];
  const foreign: string[] = [];
  for (const member of descendants) {
    if (member.format !== 'pe' || member.signature === null) continue;
    const status = member.signature.status;
    if (status !== 'valid' && status !== 'untrusted') unsigned.push(`${member.path} (${status})`);
    else if (containerThumbprint !== undefined && member.signature.signer?.thumbprintSha256 !== containerThumbprint) {
      foreign.push(`${member.path} (${member.signature.signer?.subject ?? '?'})`);
    }
  }
  if (unsigned.length > 0) {
    container.findings.push({
      id: 'ABS-CONTAINER-UNSIGNED-MEMBER',
      severity: 'error',
      message: `the container is signed but ${unsigned.length} executable(s) inside are not validly signed: ${unsigned.join(', ')}. Antivirus engines judge each extracted file on its own: sign every binary before packaging.`,
    });
  }
  if (foreign.length > 0) {
    container.findings.push({
      id: 'ABS-CONTAINER-SIGNER-MISMATCH',
      severity: 'warning',
      message: `executables inside are signed by a different certificate than the container: ${foreign.join(', ')}`,
    });
  }
}

/**
 * Sets a package's (MSI, MSP, CAB) signature verdict and the facts the signature lint rules judge, so a package
 * is linted like a PE (digest algorithm, timestamp, chain, …); the PE-content rules skip it.
 */
async function verifyPackageSignature(report: ArtifactReport, material: ContainerSignatureMaterial | undefined, options: AuditTreeOptions): Promise<void> {
  const verified = await verifyContainerSignature(material, options);
  report.signature = verified.report;
  if (verified.report !== null) report.lintFacts = collectLintFacts({ path: report.path, ...(verified.signature === undefined ? {} : { signature: verified.signature }), verdict: verified.report });
}

async function verifyContainerSignature(material: ContainerSignatureMaterial | undefined, options: AuditTreeOptions): Promise<{ report: SignatureReport | null; signature?: AuthenticodeSignature }> {
  if (material === undefined) return { report: null };
  if (material.signatureBlob === undefined) return { report: statusOnly('unsigned', 'NOT_SIGNED', 'the package has no Authenticode signature') };
  let signature: AuthenticodeSignature;
  try {
    signature = parseAuthenticodeSignature(material.signatureBlob);
  } catch (error) {
    if (!isParseError(error)) throw error;
    return { report: statusOnly('malformed', error.code, `the signature cannot be parsed: ${error.message}`) };
  }
  const computed = new Map<DigestAlgorithm, Uint8Array>(requiredDigestAlgorithms(signature).map((algorithm) => [algorithm, material.computeDigest(algorithm)]));
  const report = toSignatureReport(await verifyAuthenticode({ signature, computedDigests: computed, trustAnchors: options.trustAnchors, at: options.at, policy: options.verificationPolicy }));
  if (material.ex !== undefined && report.status !== 'malformed') {
    // MsiDigitalSignatureEx: the pre-hash of the streams' metadata must match what the signer recorded.
    const prehash = material.ex.compute(signature.digestAlgorithm);
    if (!bytesEqual(prehash, material.ex.recorded)) {
      return { report: { ...report, status: 'invalid', reasonCode: 'MSI_EX_MISMATCH', reason: 'the MsiDigitalSignatureEx pre-hash does not match the package: its streams were changed after signing' }, signature };
    }
  }
  return { report, signature };
}
