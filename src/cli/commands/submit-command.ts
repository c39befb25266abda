/**
 * `absolve submit <case ids…|--release product@version> --out <dir> [--send]`: per vendor, the
 * files in an archive that follows the vendor's rules, a ready email (`message.eml`, RFC 5322) and,
 * for web forms and portals, a field sheet (`form.md`); `--send` mails the emails over SMTP.
 *
 * Sending is at most once per Message-ID: the Message-ID is stable for a vendor and its cases, the
 * store records the intent before the SMTP transaction and the outcome after it, and a re-run
 * never sends a mail whose intent is recorded (after a kill in between it says so instead).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { ReleaseDetail } from '../../core/releases/release.types.ts';
import { isOpenState, type CaseRecord } from '../../core/cases/case.types.ts';
import { CaseError, MailSendError } from '../../core/cases/errors.ts';
import type { SubmissionTools } from '../../core/cases/ports.ts';
import { planSubmission, releaseSubmissionFiles, renderFieldSheet, stableMessageId, submissionFileOf, SUBMISSION_SCHEMA, type PlanInput, type SubmissionFile, type SubmissionPlan } from '../../core/cases/submission-plan.ts';
import { AbsolveError } from '../../core/errors.ts';
import type { ContainerReader } from '../../core/ports.ts';
import type { OpenedStore } from '../../core/releases/ports.ts';
import { collectScanTargets } from '../../core/scans/scan-targets.ts';
import { printable } from '../render-scan.ts';
import { dbOption, formatOption, withStore, writeJSON } from './release-command.ts';
import { parseReleaseRef, type ScanCommandDeps } from './scan-command.ts';
import { loadDirectory, type VendorCommandDeps } from './vendors-command.ts';

export interface SubmitCommandDeps extends VendorCommandDeps, Pick<ScanCommandDeps, 'stderr' | 'fileRoot'> {
  tools: SubmissionTools;
  /** Loaded when first needed. */
  containers(): Promise<ContainerReader>;
}

interface SubmitFlags {
  release?: string;
  out: string;
  send: boolean;
  config?: string;
  db?: string;
  format: 'table' | 'json';
}

type EmailStatus = 'written' | 'sent' | 'already-sent' | 'unconfirmed';

interface PackageReport {
  vendor: string;
  vendorName: string;
  release: string;
  kind: string;
  caseIds: number[];
  folder: string;
  archive: { file: string; password: string | null; bytes: number; sha256: string; members: Array<{ name: string; sha256: string }> } | null;
  noArchiveReason: string | null;
  email: { file: string; to: string; subject: string; messageId: string; status: EmailStatus } | null;
  form: { file: string; channels: string[] } | null;
  warnings: string[];
}

/** The bytes of a released file: its blob, or for a container member, expanded again from its container's blob. */
async function bytesOf(deps: SubmitCommandDeps, opened: OpenedStore, release: ReleaseDetail, file: SubmissionFile): Promise<Uint8Array> {
  const blob = await opened.blobs.locate(file.sha256);
  if (blob !== undefined) return new Uint8Array(await readFile(blob));
  const cut = file.path.indexOf('!/');
  const rootPath = cut < 0 ? file.path : file.path.slice(0, cut);
  const rootArtifact = release.artifacts.find((a) => a.path === rootPath);
  const rootBlob = rootArtifact === undefined ? undefined : await opened.blobs.locate(rootArtifact.sha256);
  if (rootArtifact !== undefined && rootBlob !== undefined && cut >= 0) {
    const root = await deps.fileRoot(rootBlob, rootPath, { sha256: rootArtifact.sha256, size: rootArtifact.size });
    const { targets } = await collectScanTargets(root, await deps.containers());
    const target = targets.find((t) => t.sha256 === file.sha256);
    if (target !== undefined) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of target.sample.stream()) chunks.push(chunk);
      return new Uint8Array(Buffer.concat(chunks));
    }
  }
  throw new CaseError('SUBMISSION_FILE_MISSING', `the bytes of ${file.path} (sha256 ${file.sha256}) are not in the blob store; record the release again with 'absolve release add --replace'`);
}

async function selectCases(opened: OpenedStore, ids: readonly string[], release: string | undefined): Promise<CaseRecord[]> {
  if ((ids.length === 0) === (release === undefined)) throw new AbsolveError('USAGE', 'give case ids or --release <product>@<version> (not both)');
  if (release !== undefined) return (await opened.cases.listCases({ release: parseReleaseRef(release) })).filter((c) => isOpenState(c.state));
  const out: CaseRecord[] = [];
  for (const raw of ids) {
    const id = Number(raw.replace(/^#/, ''));
    const c = Number.isSafeInteger(id) ? await opened.cases.getCase(id) : undefined;
    if (c === undefined) throw new CaseError('CASE_NOT_FOUND', `no case ${printable(raw)} in ${opened.location} (see 'absolve cases list')`);
    if (!out.some((o) => o.id === c.id)) out.push(c);
  }
  return out;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

async function runSubmit(deps: SubmitCommandDeps, ids: string[], flags: SubmitFlags): Promise<void> {
  const { directory, settings } = await loadDirectory(deps, flags.config);
  if (flags.send && settings.smtp === null) throw new CaseError('SMTP_CONFIG_INVALID', '--send needs an "smtp" section (host, port, secure, auth, from) in absolve.config.json');
  const from = settings.smtp?.from ?? settings.submission.contactEmail ?? null;
  await withStore(deps, flags.db, false, async (opened) => {
    const selected = await selectCases(opened, ids, flags.release);
    // One package per vendor, release and kind.
    const groups = new Map<string, CaseRecord[]>();
    for (const c of selected) {
      const key = JSON.stringify([c.vendor, c.release.product, c.release.version, c.kind]);
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const reports: PackageReport[] = [];
    const sender = flags.send && settings.smtp !== null ? deps.tools.createSender(settings.smtp) : undefined;
    try {
      for (const group of groups.values()) {
        const first = group[0];
        if (first === undefined) continue;
        const release = await opened.store.getRelease(first.release);
        if (release === undefined) throw new CaseError('SUBMISSION_FILE_MISSING', `case #${first.id}'s release ${first.release.product}@${first.release.version} is not in ${opened.location}`);
        const files: SubmissionFile[] = [];
        if (first.kind === 'false-positive') {
          for (const c of group) {
            const f = submissionFileOf(release, c.subject, c.path);
            if (f === undefined) throw new CaseError('SUBMISSION_FILE_MISSING', `case #${c.id}'s file ${c.subject} is not part of ${c.release.product}@${c.release.version}`);
            files.push(f);
          }
        }
        const releaseFiles = releaseSubmissionFiles(release);
        const input: PlanInput = { vendor: first.vendor, entry: directory.find(first.vendor), cases: group, release: release.header, files, releaseFiles, profile: settings.submission, from };
        const plan: SubmissionPlan = planSubmission(input);
        const folder = `${plan.folder}${first.kind === 'false-positive' ? '' : `-${first.kind}`}${groups.size > 1 && [...groups.values()].some((g) => g !== group && g[0]?.vendor === first.vendor) ? `-${first.release.version}` : ''}`;
        const dir = join(flags.out, folder);
        await mkdir(dir, { recursive: true });
        const report: PackageReport = { vendor: plan.vendor, vendorName: plan.vendorName, release: `${first.release.product}@${first.release.version}`, kind: first.kind, caseIds: plan.caseIds, folder, archive: null, noArchiveReason: plan.noArchiveReason, email: null, form: null, warnings: plan.warnings };

        let zip: Uint8Array | undefined;
        if (plan.archive !== null) {
          const members = [];
          for (const m of plan.archive.members) {
            const file = files.find((f) => f.sha256 === m.sha256);
            if (file !== undefined) members.push({ name: m.name, bytes: await bytesOf(deps, opened, release, file) });
          }
          zip = await deps.tools.writeZip(members, plan.archive.password);
          await writeFile(join(dir, plan.archive.fileName), zip);
          report.archive = { file: join(folder, plan.archive.fileName), password: plan.archive.password, bytes: zip.length, sha256: createHash('sha256').update(zip).digest('hex'), members: plan.archive.members };
        }
        if (plan.forms.length > 0) {
          await writeFile(join(dir, 'form.md'), renderFieldSheet(plan, input));
          report.form = { file: join(folder, 'form.md'), channels: plan.forms.map((f) => f.address) };
        }
        if (plan.mail !== null) {
          const messageId = stableMessageId(`${first.kind}\u0000${plan.vendor}`, plan.caseIds, from);
          const sender_ = from ?? 'publisher@example.invalid';
          const raw = await deps.tools.composeMail({
            from: sender_,
            to: plan.mail.to,
            subject: plan.mail.subject,
            text: plan.mail.text,
            messageId,
            date: deps.now(),
            attachments: zip === undefined || plan.archive === null ? [] : [{ filename: plan.archive.fileName, content: zip }],
          });
          await writeFile(join(dir, 'message.eml'), raw);
          report.email = { file: join(folder, 'message.eml'), to: plan.mail.to, subject: plan.mail.subject, messageId, status: 'written' };
          if (sender !== undefined) report.email.status = await sendOnce(deps, opened, sender, raw, { from: sender_, to: plan.mail.to }, messageId, plan.caseIds, settings.submission.dueDays);
        }
        reports.push(report);
      }
    } finally {
      sender?.close();
    }
    await writeFile(join(flags.out, 'manifest.json'), `${JSON.stringify({ schema: SUBMISSION_SCHEMA, packages: reports }, null, 2)}\n`);
    for (const r of reports) if (r.email?.status === 'unconfirmed') deps.stderr.write(`absolve: warning: ${printable(r.email.messageId)} to ${printable(r.email.to)} was being sent when an earlier run stopped; it is not sent again. Check your sent mail, then 'absolve cases update <id> --state submitted' if it went out.\n`);
    if (flags.format === 'json') return writeJSON(deps, { schema: SUBMISSION_SCHEMA, out: flags.out, packages: reports });
    const lines = reports.flatMap((r) => [
      `${r.vendorName} (${r.kind}, case${r.caseIds.length === 1 ? '' : 's'} ${r.caseIds.map((i) => `#${i}`).join(', ')}) → ${r.folder}/`,
      ...(r.archive === null ? (r.noArchiveReason === null ? [] : [`  no archive: ${r.noArchiveReason}`]) : [`  archive ${r.archive.file} (${r.archive.password === null ? 'no password' : `password ${r.archive.password}`})`]),
      ...(r.email === null ? [] : [`  email to ${r.email.to}: ${r.email.subject} [${r.email.status}]`]),
      ...(r.form === null ? [] : [`  field sheet ${r.form.file} for ${r.form.channels[0] ?? ''}`]),
      ...r.warnings.map((w) => `  note: ${w}`),
    ]);
    deps.stdout.write(`${lines.map(printable).join('\n')}${lines.length === 0 ? 'No open case to submit.' : ''}\n`);
  });
}

/** Sends `raw` unless its Message-ID was already recorded; records the intent before and the outcome after. */
async function sendOnce(
  deps: SubmitCommandDeps,
  opened: OpenedStore,
  sender: ReturnType<SubmissionTools['createSender']>,
  raw: Uint8Array,
  envelope: { from: string; to: string },
  messageId: string,
  caseIds: readonly number[],
  dueDays: number,
): Promise<EmailStatus> {
  const { begun, existing } = await opened.cases.beginSubmission(caseIds, messageId, envelope.to, deps.now().toISOString());
  if (!begun) return existing.every((s) => s.state === 'sent') ? 'already-sent' : 'unconfirmed';
  try {
    await sender.send(raw, envelope);
  } catch (error) {
    if (error instanceof MailSendError && error.notDelivered) await opened.cases.abandonSubmission(messageId, deps.now().toISOString(), error.message);
    throw error;
  }
  const at = deps.now().toISOString();
  await opened.cases.completeSubmission(messageId, at, addDays(at, dueDays));
  return 'sent';
}

export function registerSubmitCommand(program: Command, deps: SubmitCommandDeps): void {
  program
    .command('submit')
    .description("Write per-vendor submission packages (archive by the vendor's rules, .eml, web-form field sheet); --send mails them over SMTP.")
    .argument('[case-ids...]', 'case ids (or --release)')
    .option('--release <product@version>', 'every open case of this release')
    .requiredOption('--out <dir>', 'folder for the packages (one sub-folder per vendor, plus manifest.json)')
    .option('--send', 'send the emails over SMTP (smtp in absolve.config.json; password from the environment)', false)
    .addOption(new Option('--config <file>', 'configuration (vendors, submission, smtp; default ./absolve.config.json)'))
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (ids: string[], flags: SubmitFlags) => {
      await runSubmit(deps, ids, flags);
    });
}
