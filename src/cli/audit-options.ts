/**
 * The one option set of every command that audits (`absolve audit`, `absolve release add`): the flags, how
 * they become audit settings (hashes, time, trust anchors, lint configuration, container limits) and how the
 * result becomes an exit code (`--fail-on`). A command adds them with `addAuditOptions(command)`; a new
 * audit option is added here once and reaches every such command.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ArtifactReport, AuditSummary, HashAlgorithm } from '../core/audit.types.ts';
import { AbsolveError, ExitCode } from '../core/errors.ts';
import { DEFAULT_AUDIT_LIMITS, type AuditLimits } from '../core/limits.ts';
import { parseHashList } from '../core/multi-hasher.ts';
import { applyLint, DEFAULT_RULE_PARAMETERS, EMPTY_LINT_CONFIG, LintConfigError, normalizeThumbprint, type LintConfig, type RuleParameters } from '../core/lint/index.ts';
import { DEFAULT_CONTAINER_LIMITS, type ContainerLimits } from '../formats/container/container.types.ts';
import type { CliDeps } from './program.ts';
import { EMPTY_AUDIT_ID, isAllowableFindingId, type AuditPolicy } from '../core/audit-summary.ts';
import { certPaddingCheckOption, trustStoreOption, type LoadedTrustAnchors, type TrustStoreChoice } from './commands/trust-command.ts';
import { parseAtOption } from './parse-at.ts';
import { createProgress } from './progress.ts';

/** A whole number of 0 or more (`min` 1 where 0 makes no sense, e.g. --jobs). */
export function wholeNumber(name: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} takes a whole number of ${min} or more (got '${value}')`);
    return n;
  };
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export const FAIL_ON_LEVELS = ['policy', 'error', 'warning', 'none'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** The flags `addAuditOptions` defines, as commander hands them to the action. */
export interface AuditOptionFlags {
  config?: string;
  pinSigner: string[];
  expiryDays?: number;
  hashes: string;
  trust: string[];
  defaultTrust: boolean;
  trustStore?: TrustStoreChoice;
  certPaddingCheck: boolean;
  at?: string;
  jobs?: number;
  progress: boolean;
  exclude: string[];
  failOn: FailOn;
  maxParsedPeBytes: number;
  maxCertificateTableBytes: number;
  containers: boolean;
  maxDepth: number;
  maxMembers: number;
  maxMemberBytes: number;
  maxExtractedBytes: number;
  maxCompressionRatio: number;
  maxTotalMembers: number;
  allowUnaudited: string[];
}

/** Adds the audit options to a command (each in its own statement, so options added later merge cleanly). */
export function addAuditOptions(command: Command): Command {
  command.option('--config <file>', 'lint configuration (default: ./absolve.config.json when present)');
  command.option('--pin-signer <thumbprint>', 'expected signer certificate, SHA-1 or SHA-256 thumbprint (rule ABS-SIG-019; part of the policy); repeatable', collect, []);
  command.addOption(new Option('--expiry-days <n>', `warn when the signing certificate expires within this many days (rule ABS-SIG-017) (default: ${DEFAULT_RULE_PARAMETERS.expiryDays})`).argParser(wholeNumber('--expiry-days')));
  command.option('--hashes <list>', 'digests per file, comma-separated: sha256,sha1,md5,sha512 (sha256 is always computed)', 'sha256');
  command.option('--trust <path>', 'trust anchor certificate (PEM or DER file, or a folder of them); repeatable', collect, []);
  command.option('--no-default-trust', 'trust only the --trust anchors (same as --trust-store none)');
  command.addOption(trustStoreOption());
  command.addOption(certPaddingCheckOption());
  command.addOption(new Option('--at <time>', 'judge certificate validity at this ISO 8601 time: a date, or a date and time with its zone (reproducible audits) (default: now)'));
  command.addOption(new Option('-j, --jobs <n>', 'parallel workers, 1 = no worker threads (default: CPU count, at most 8)').argParser(wholeNumber('--jobs', 1)));
  command.option('--exclude <glob>', 'skip files whose path matches this glob (e.g. "**/*.pdb"); repeatable', collect, []);
  command.addOption(new Option('--fail-on <level>', 'exit 1 when: the policy is broken, or also on any error / warning finding; none: never').choices(FAIL_ON_LEVELS).default('policy'));
  command.option('--no-progress', 'never draw the progress bar');
  command.option('--max-parsed-pe-bytes <bytes>', 'PEs up to this size are fully parsed in memory; larger ones get hashes and signature only', wholeNumber('--max-parsed-pe-bytes'), DEFAULT_AUDIT_LIMITS.maxParsedPEBytes);
  command.option('--max-certificate-table-bytes <bytes>', 'largest certificate table read', wholeNumber('--max-certificate-table-bytes'), DEFAULT_AUDIT_LIMITS.maxCertificateTableBytes);
  command.option('--no-containers', 'do not audit the members of installers and archives (package signatures are still verified)');
  command.option('--max-depth <n>', 'container nesting levels opened', wholeNumber('--max-depth'), DEFAULT_CONTAINER_LIMITS.maxDepth);
  command.option('--max-members <n>', 'members listed per container', wholeNumber('--max-members'), DEFAULT_CONTAINER_LIMITS.maxMembers);
  command.option('--max-member-bytes <bytes>', 'largest member expanded', wholeNumber('--max-member-bytes'), DEFAULT_CONTAINER_LIMITS.maxMemberBytes);
  command.option('--max-extracted-bytes <bytes>', 'bytes expanded in total from one top-level file', wholeNumber('--max-extracted-bytes'), DEFAULT_CONTAINER_LIMITS.maxTotalExtractedBytes);
  command.option('--max-compression-ratio <n>', 'expanded/compressed ratio above which a member (of 1 MiB or more), a container or a whole file counts as a bomb', wholeNumber('--max-compression-ratio'), DEFAULT_CONTAINER_LIMITS.maxCompressionRatio);
  command.option('--max-total-members <n>', 'members listed below one top-level file, all levels together', wholeNumber('--max-total-members'), DEFAULT_CONTAINER_LIMITS.maxTotalMembers);
  command.option('--allow-unaudited <finding-id>', `accept this unaudited case knowingly (an ABS-CONTAINER-* or ABS-FILE-* finding ID, or ${EMPTY_AUDIT_ID}): it no longer breaks the policy; repeatable`, collect, []);
  return command;
}

/** Everything the audit needs, resolved from the flags and the configuration file. */
export interface AuditSetup {
  at: Date;
  hashes: HashAlgorithm[];
  jobs: number;
  limits: AuditLimits;
  /** null: do not audit container members (package signatures are still verified). */
  containerLimits: ContainerLimits | null;
  /** The root store and `--trust` anchors, with the verification policy (per-root EKUs and dates, padding check). */
  trust: LoadedTrustAnchors;
  /** What the gate accepts knowingly (`--allow-unaudited`). */
  policy: AuditPolicy;
  lint: { config: LintConfig; parameters: RuleParameters };
  /** The configuration file that was read, as the user would name it; null when none was. */
  configFile: string | null;
  exclude: string[];
  failOn: FailOn;
}

export function parseAt(deps: Pick<CliDeps, 'now'>, at: string | undefined): Date {
  return at === undefined ? deps.now() : parseAtOption(at);
}

function auditPolicy(allow: readonly string[]): AuditPolicy {
  for (const id of allow) {
    if (!isAllowableFindingId(id)) throw new AbsolveError('USAGE', `--allow-unaudited takes a finding ID such as ABS-CONTAINER-ENCRYPTED, ABS-FILE-DANGLING-LINK or ${EMPTY_AUDIT_ID} (got '${id}')`);
  }
  return { allowUnaudited: new Set(allow) };
}

export async function resolveAuditSetup(deps: Pick<CliDeps, 'now' | 'loadLintConfig' | 'loadTrustAnchors' | 'defaultJobs'>, flags: AuditOptionFlags): Promise<AuditSetup> {
  const hashes = parseHashList(flags.hashes);
  if (hashes === undefined) throw new AbsolveError('USAGE', `--hashes takes a comma-separated list of sha256, sha1, md5, sha512 (got '${flags.hashes}')`);
  const at = parseAt(deps, flags.at);
  const policy = auditPolicy(flags.allowUnaudited);
  const pins = flags.pinSigner.map((p) => {
    const t = normalizeThumbprint(p);
    if (t === undefined) throw new AbsolveError('USAGE', `--pin-signer takes a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) certificate thumbprint (got '${p}')`);
    return t;
  });
  if (deps.loadLintConfig === undefined && flags.config !== undefined) throw new LintConfigError(`${flags.config}: configuration files are not supported by this build`);
  const loaded = deps.loadLintConfig === undefined ? { config: EMPTY_LINT_CONFIG, file: null } : await deps.loadLintConfig(flags.config === undefined ? {} : { path: flags.config });
  const { config } = loaded;
  const settings = config.settings;
  const trust = await deps.loadTrustAnchors({ trustPaths: [...(config.trust ?? []), ...flags.trust], includeDefaultRoots: flags.defaultTrust, store: flags.trustStore, certPaddingCheck: flags.certPaddingCheck });
  return {
    at,
    hashes,
    jobs: flags.jobs ?? deps.defaultJobs(),
    limits: { maxParsedPEBytes: flags.maxParsedPeBytes, maxCertificateTableBytes: flags.maxCertificateTableBytes },
    containerLimits: flags.containers
      ? {
          maxDepth: flags.maxDepth,
          maxMembers: flags.maxMembers,
          maxMemberBytes: flags.maxMemberBytes,
          maxTotalExtractedBytes: flags.maxExtractedBytes,
          maxCompressionRatio: flags.maxCompressionRatio,
          maxTotalMembers: flags.maxTotalMembers,
        }
      : null,
    trust,
    policy,
    lint: {
      config,
      parameters: {
        at,
        expiryDays: flags.expiryDays ?? settings.expiryDays ?? DEFAULT_RULE_PARAMETERS.expiryDays,
        pinnedSigners: [...(settings.pinnedSigners ?? []), ...pins],
        entropyThreshold: settings.entropyThreshold ?? DEFAULT_RULE_PARAMETERS.entropyThreshold,
        largeOverlayBytes: settings.largeOverlayBytes ?? DEFAULT_RULE_PARAMETERS.largeOverlayBytes,
      },
    },
    configFile: loaded.file,
    exclude: [...(config.exclude ?? []), ...flags.exclude],
    failOn: flags.failOn,
  };
}

/**
 * The exit code of an audit: 2 when a file could not be read; 1 when `--fail-on` says the result fails
 * (`policy`: the signing policy, pinned signers included; `error` / `warning`: also any finding of that
 * severity or worse); else 0.
 */
export function auditExitCode(artifacts: readonly ArtifactReport[], summary: AuditSummary, failOn: FailOn): number {
  if (artifacts.some((a) => a.error?.code === 'IO_ERROR')) return ExitCode.usageOrIOError;
  if (failOn === 'none') return ExitCode.ok;
  if (!summary.policyMet) return ExitCode.policyViolation;
  if (failOn === 'policy') return ExitCode.ok;
  const failing = failOn === 'error' ? new Set(['error']) : new Set(['error', 'warning']);
  const fails = artifacts.some((a) => (a.error !== null && a.error.code !== 'IO_ERROR' && a.format === 'pe') || a.findings.some((f) => failing.has(f.severity)));
  return fails ? ExitCode.policyViolation : ExitCode.ok;
}

/** The files to audit: the inputs walked, with `--exclude` (and the configuration's `exclude`) applied. */
export async function walkAuditInputs(deps: Pick<CliDeps, 'walkInputs'>, inputs: readonly string[], exclude: readonly string[]): ReturnType<CliDeps['walkInputs']> {
  return deps.walkInputs(inputs, { exclude });
}

/** Audits the files (progress bar on a TTY) and applies the lint rules: the audit of every command that audits. */
export async function auditWithProgress(
  deps: Pick<CliDeps, 'auditFiles' | 'stderr'>,
  files: ReadonlyArray<{ displayPath: string; fsPath: string }>,
  setup: AuditSetup,
  showProgress: boolean,
): Promise<ArtifactReport[]> {
  const progress = createProgress(deps.stderr, showProgress);
  progress.start(files.length, 'auditing');
  let artifacts: ArtifactReport[];
  try {
    artifacts = await deps.auditFiles(files, {
      jobs: setup.jobs,
      hashes: setup.hashes,
      trustAnchors: setup.trust.anchors,
      verificationPolicy: setup.trust.policy,
      at: setup.at,
      limits: setup.limits,
      containerLimits: setup.containerLimits,
      onResult: (reports) => progress.tick(reports[0]?.path ?? ''),
    });
  } finally {
    progress.stop();
  }
  return applyLint(artifacts, setup.lint);
}
