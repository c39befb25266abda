/**
 * What to hand a vendor for a set of cases: the archive (following the vendor's rules), the
 * email and, for web forms and portals, a field sheet with each value to paste. Pure: the CLI
 * reads the bytes, zips them, composes the RFC 5322 message and writes the files.
 *
 * Archive rules, from the vendor directory: ZIP with the vendor's password (`infected` unless the
 * vendor names another), no password where the vendor refuses protected archives (Symantec), and
 * no archive at all (hashes and links only) when the files exceed the vendor's size limit.
 */
import { createHash } from 'node:crypto';
import { signerRef, signersOf, type ReleaseDetail, type ReleaseHeader, type SignerRef } from '../releases/release.types.ts';
import type { VendorChannel, VendorEntry } from '../vendors/vendor.types.ts';
import type { CaseRecord } from './case.types.ts';
import type { SubmissionProfile } from './settings.ts';

export const SUBMISSION_SCHEMA = 'absolve.submission/v1';

export interface SubmissionFile {
  sha256: string;
  /** Path in the release (`setup.msi!/bin/app.exe` for a member). */
  path: string;
  size: number;
  signer: SignerRef | null;
  /** The audit's signature status (`valid`, `unsigned`, …), or null for files that are not signable. */
  signatureStatus: string | null;
}

export interface ArchivePlan {
  fileName: string;
  /** null: no password (the vendor refuses protected archives). */
  password: string | null;
  /** Member names are derived from the release path, reduced to safe characters, unique. */
  members: Array<{ name: string; sha256: string }>;
}

export interface MailPlan {
  to: string;
  subject: string;
  text: string;
}

export interface SubmissionPlan {
  vendor: string;
  vendorName: string;
  /** Folder name under --out (safe characters only). */
  folder: string;
  caseIds: number[];
  archive: ArchivePlan | null;
  /** Set when the files are not attached: why (size limit, allowlist notice). */
  noArchiveReason: string | null;
  mail: MailPlan | null;
  /** The web forms and portals to use, in the vendor's order of preference. */
  forms: VendorChannel[];
  /** Things the publisher must know (no channel, bouncing addresses, too many files). */
  warnings: string[];
}

/** Lowercase letters, digits, dot, dash and underscore: safe as a folder or archive member name anywhere. */
export function safeName(text: string, fallback: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  return cleaned === '' ? fallback : cleaned;
}

export function virusTotalLink(sha256: string): string {
  return `https://www.virustotal.com/gui/file/${sha256}`;
}

function memberNames(files: readonly SubmissionFile[]): Array<{ name: string; sha256: string }> {
  const used = new Set<string>();
  return files.map((f) => {
    const last = f.path.split(/!\/|\//).at(-1) ?? f.path;
    let name = safeName(last, `file-${f.sha256.slice(0, 12)}`);
    if (used.has(name.toLowerCase())) name = `${f.sha256.slice(0, 12)}-${name}`;
    used.add(name.toLowerCase());
    return { name, sha256: f.sha256 };
  });
}

/** A Message-ID that is the same every time this vendor's mail for these cases is built: a re-run finds the one it recorded. */
export function stableMessageId(vendor: string, caseIds: readonly number[], from: string | null): string {
  const digest = createHash('sha256').update(`${vendor}\u0000${[...caseIds].sort((a, b) => a - b).join(',')}`).digest('hex').slice(0, 32);
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from ?? '')?.[1] ?? 'absolve.invalid';
  return `<absolve-${digest}@${domain}>`;
}

function detectionLines(c: CaseRecord): string[] {
  return c.detections.map((d) => {
    const reading = d.reading === null ? '' : ` (Absolve reads this as ${d.reading.generic ? 'a generic ' : ''}${d.reading.kind} detection: ${d.reading.explanation})`;
    return `    - ${d.engine}: ${d.result ?? d.category}${reading}`;
  });
}

function fileBlock(f: SubmissionFile, index: number, c: CaseRecord | undefined): string[] {
  return [
    `File ${index + 1}: ${f.path}`,
    `  SHA-256:     ${f.sha256}`,
    `  Size:        ${f.size} bytes`,
    `  Signed by:   ${f.signer === null ? `not signed (${f.signatureStatus ?? 'not signable'})` : `${f.signer.subject} (${f.signatureStatus ?? 'signature'}; SHA-1 thumbprint ${f.signer.thumbprintSha1}, SHA-256 thumbprint ${f.signer.thumbprintSha256})`}`,
    `  VirusTotal:  ${virusTotalLink(f.sha256)}`,
    ...(c === undefined || c.detections.length === 0 ? [] : ['  Detections:', ...detectionLines(c)]),
    '',
  ];
}

export interface PlanInput {
  /** The directory engine name the cases are with. */
  vendor: string;
  entry: VendorEntry | undefined;
  /** Cases of one vendor and one release. */
  cases: readonly CaseRecord[];
  release: ReleaseHeader;
  /** The files of the false-positive cases (one per case subject), in case order; empty for notices. */
  files: readonly SubmissionFile[];
  /** The files of the release (for allowlist submissions: what the vendor should allowlist). */
  releaseFiles: readonly SubmissionFile[];
  profile: SubmissionProfile;
  from: string | null;
}

export function planSubmission(input: PlanInput): SubmissionPlan {
  const { entry, release, profile } = input;
  const vendorName = entry?.vendor ?? input.vendor;
  const kind = input.cases[0]?.kind ?? 'false-positive';
  const warnings: string[] = [];
  const channels = entry?.channels ?? [];
  const usable = channels.filter((c) => c.status === 'listed');
  for (const c of channels) if (c.status !== 'listed') warnings.push(`${c.address} is marked ${c.status} in the vendor directory: not used`);
  const programme = entry?.programmes.find((p) => (kind === 'allowlist' ? p.kind === 'per-release' : kind === 'certificate-change' ? p.kind === 'certificate' : false));
  const emailTo = kind === 'false-positive' ? usable.find((c) => c.kind === 'email')?.address : (programme?.contact ?? undefined);
  const forms = kind === 'false-positive' ? usable.filter((c) => c.kind === 'web-form' || c.kind === 'portal') : programme?.url == null ? [] : [{ kind: 'web-form' as const, address: programme.url, status: 'listed' as const, note: programme.name }];
  if (entry === undefined) warnings.push(`${input.vendor} is not in the vendor directory: add it under "vendors" in absolve.config.json to get a channel`);
  else if (emailTo === undefined && forms.length === 0) warnings.push(`${vendorName} has no usable channel for this in the vendor directory`);

  // The archive: false-positive files only (allowlist and certificate notices describe, they do not attach).
  const req = entry?.requirements;
  const files = kind === 'false-positive' ? input.files : [];
  let archive: ArchivePlan | null = null;
  let noArchiveReason: string | null = kind === 'false-positive' ? null : 'a programme notice: the files are listed by hash, not attached';
  if (files.length > 0) {
    const total = files.reduce((n, f) => n + f.size, 0);
    if (req?.maxArchiveBytes != null && total > req.maxArchiveBytes) {
      noArchiveReason = `the files (${total} bytes) exceed ${vendorName}'s limit of ${req.maxArchiveBytes} bytes: send the hashes and links instead`;
    } else {
      archive = { fileName: `${safeName(release.product, 'release')}-${safeName(release.version, 'version')}-${safeName(input.vendor, 'vendor')}.zip`, password: req === undefined ? 'infected' : req.archivePassword, members: memberNames(files) };
    }
    if (req?.maxFiles != null && files.length > req.maxFiles) warnings.push(`${vendorName} takes at most ${req.maxFiles} files per submission: split these ${files.length} files over ${Math.ceil(files.length / req.maxFiles)} submissions`);
  }

  const caseById = new Map(input.cases.map((c) => [c.subject, c]));
  const product = `${release.product} ${release.version}`;
  const engines = [...new Set(input.cases.flatMap((c) => c.detections.map((d) => d.engine)))];
  const firstDetection = input.cases[0]?.detections[0];
  const what =
    kind === 'allowlist'
      ? 'clean software submission'
      : kind === 'certificate-change'
        ? 'new code-signing certificate'
        : `${files.length === 1 ? (files[0]?.path.split(/!\/|\//).at(-1) ?? 'file') : `${files.length} files`} detected as ${firstDetection?.result ?? 'malware'} by ${engines.join(', ')}`;
  const subject = `${kind === 'false-positive' ? (req?.subjectPrefix ?? 'False positive') : kind === 'allowlist' ? 'Clean software submission' : 'Code-signing certificate change'}: ${product} - ${what}`;

  const intro =
    kind === 'false-positive'
      ? [`We publish ${release.product} and believe ${engines.join(', ')} ${engines.length === 1 ? 'detects' : 'detect'} the file${files.length === 1 ? '' : 's'} below in error (a false positive). Please review ${files.length === 1 ? 'it' : 'them'} and remove the detection.`]
      : kind === 'allowlist'
        ? [`We publish ${release.product} and would like to submit release ${release.version} as clean software${programme === undefined ? '' : ` (${programme.name})`}, so that it is not detected. Please tell us where to upload the files; their hashes are below.`]
        : [`We publish ${release.product}. From release ${release.version} on, our software is signed with a new code-signing certificate; please update your allowlisting${programme === undefined ? '' : ` (${programme.name})`}.`, '', ...input.cases.map((c) => `Certificate: ${c.summary}`)];
  const attachment =
    archive !== null
      ? archive.password === null
        ? [`Attached: ${archive.fileName} (not password-protected, as ${vendorName}'s submission rules ask).`]
        : [`Attached: ${archive.fileName}, password: ${archive.password}`]
      : noArchiveReason === null
        ? []
        : [`Not attached: ${noArchiveReason}.${profile.downloadUrl === null ? '' : ` Download: ${profile.downloadUrl}`}`];
  const listed = kind === 'false-positive' ? files : input.releaseFiles;
  const text = [
    `Hello ${vendorName} team,`,
    '',
    ...intro,
    '',
    `Product:     ${release.product}`,
    `Publisher:   ${profile.publisher ?? '(not configured: set submission.publisher)'}`,
    `Version:     ${release.version}`,
    `Download:    ${profile.downloadUrl ?? '(not configured: set submission.downloadUrl)'}`,
    '',
    ...listed.flatMap((f, i) => fileBlock(f, i, caseById.get(f.sha256))),
    ...attachment,
    '',
    'Thank you,',
    [profile.contactName, profile.contactEmail === null ? null : `<${profile.contactEmail}>`].filter((x) => x !== null).join(' ') || (input.from ?? ''),
    '',
    `(Case${input.cases.length === 1 ? '' : 's'} ${input.cases.map((c) => `#${c.id}`).join(', ')} in our tracking.)`,
    '',
  ].join('\n');

  return {
    vendor: input.vendor,
    vendorName,
    folder: safeName(input.vendor, 'vendor'),
    caseIds: input.cases.map((c) => c.id),
    archive,
    noArchiveReason,
    mail: emailTo === undefined ? null : { to: emailTo, subject, text },
    forms,
    warnings,
  };
}

/** The field sheet for web forms and portals: each value to paste, then the description text. */
export function renderFieldSheet(plan: SubmissionPlan, input: PlanInput): string {
  const { release, profile } = input;
  const files = input.files.length > 0 ? input.files : input.releaseFiles;
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const rows: Array<[string, string]> = [
    ['Product name', release.product],
    ['Version', release.version],
    ['Publisher', profile.publisher ?? ''],
    ['Download URL', profile.downloadUrl ?? ''],
    ['Contact name', profile.contactName ?? ''],
    ['Contact email', profile.contactEmail ?? ''],
    ['Submitter role', 'Software developer / publisher of the file'],
  ];
  for (const c of input.cases) for (const d of c.detections) rows.push([`Detection (${d.engine})`, d.result ?? d.category]);
  files.forEach((f, i) => {
    const n = files.length === 1 ? '' : ` ${i + 1}`;
    rows.push([`File name${n}`, f.path.split(/!\/|\//).at(-1) ?? f.path], [`SHA-256${n}`, f.sha256], [`Signer${n}`, f.signer?.subject ?? 'not signed'], [`Signer thumbprint (SHA-1)${n}`, f.signer?.thumbprintSha1 ?? ''], [`VirusTotal link${n}`, virusTotalLink(f.sha256)]);
  });
  if (plan.archive !== null) rows.push(['File to upload', `${plan.archive.fileName}${plan.archive.password === null ? ' (no password)' : ` (password: ${plan.archive.password})`}`]);
  return [
    `# ${plan.vendorName}: ${release.product} ${release.version}`,
    '',
    ...plan.forms.map((f, i) => `${i === 0 ? 'Use' : 'Or'}: ${f.address}${f.note === '' ? '' : ` (${f.note})`}`),
    ...(input.entry?.requirements.accountRequired === true ? ['', 'This form needs a sign-in.'] : []),
    ...(input.entry?.notes == null ? [] : ['', input.entry.notes]),
    '',
    '| Field | Value to paste |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
    '',
    '## Description',
    '',
    '```text',
    plan.mail?.text ?? planText(input),
    '```',
    '',
  ].join('\n');
}

/** The description for vendors without an email channel: the same text the email would carry. */
function planText(input: PlanInput): string {
  return planSubmission({ ...input, entry: input.entry === undefined ? undefined : { ...input.entry, channels: [{ kind: 'email', address: 'form@invalid', status: 'listed', note: '' }], programmes: input.entry.programmes.map((p) => ({ ...p, contact: p.contact ?? 'form@invalid' })) } }).mail?.text ?? '';
}

/**
 * A released file as a submission names it: the artifact at `preferredPath` with that hash (the case's own path),
 * else the first with that hash; undefined when the release does not hold it.
 */
export function submissionFileOf(release: ReleaseDetail, sha256: string, preferredPath: string | null): SubmissionFile | undefined {
  const artifact = release.artifacts.find((a) => a.path === preferredPath && a.sha256 === sha256) ?? release.artifacts.find((a) => a.sha256 === sha256);
  if (artifact === undefined) return undefined;
  const primary = signersOf(artifact).find((s) => s.role === 'primary');
  return { sha256, path: artifact.path, size: artifact.size, signer: primary === undefined ? null : signerRef(primary.signer), signatureStatus: artifact.signature?.status ?? null };
}

/** The release's top-level files (not container members), as a submission lists the release around the files it submits. */
export function releaseSubmissionFiles(release: ReleaseDetail): SubmissionFile[] {
  return release.artifacts.filter((a) => !a.path.includes('!/')).map((a) => submissionFileOf(release, a.sha256, a.path)).filter((f): f is SubmissionFile => f !== undefined);
}
