import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AUDIT_SCHEMA, type ArtifactReport, type AuditReport, type HashAlgorithm } from '../core/audit.types.ts';
import { summarizeAudit } from '../core/audit-summary.ts';
import { AbsolveError, ExitCode } from '../core/errors.ts';
import { DEFAULT_AUDIT_LIMITS, type AuditLimits } from '../core/limits.ts';
import { DEFAULT_CONTAINER_LIMITS, type ContainerLimits } from '../formats/container/container.types.ts';
import { parseHashList } from '../core/multi-hasher.ts';
import type { OpenStore } from '../core/releases/ports.ts';
import type { SubmissionTools } from '../core/cases/ports.ts';
import type { CaseSettings } from '../core/cases/settings.ts';
import { registerCasesCommand, releaseDraftHook } from './commands/cases-command.ts';
import { registerCertsCommand } from './commands/certs-command.ts';
import { registerClassifyCommand } from './commands/classify-command.ts';
import { registerDataCommands } from './commands/data-command.ts';
import { registerReleaseCommand } from './commands/release-command.ts';
import { registerRulesCommand } from './commands/rules-command.ts';
import { registerScanCommands, type ScanCommandDeps } from './commands/scan-command.ts';
import { registerSubmitCommand } from './commands/submit-command.ts';
import { registerVendorsCommand } from './commands/vendors-command.ts';
import { applyLint, DEFAULT_RULE_PARAMETERS, EMPTY_LINT_CONFIG, LintConfigError, normalizeThumbprint, type LintConfig, type RuleParameters } from '../core/lint/index.ts';
import { createProgress } from './progress.ts';
import { renderAuditJSON, renderAuditTable } from './render-audit.ts';
import { renderAuditJUnit } from './render-junit.ts';
import { renderAuditMarkdown } from './render-markdown.ts';
import { renderAuditSARIF } from './render-sarif.ts';

/** What the CLI needs from the outside; src/app supplies the real adapters. */
export interface CliDeps {
  version: string;
  walkInputs(inputs: readonly string[]): Promise<Array<{ displayPath: string; fsPath: string }>>;
  loadTrustAnchors(options: { trustPaths: readonly string[]; includeDefaultRoots: boolean }): Promise<Uint8Array[]>;
  auditFiles(
    files: ReadonlyArray<{ displayPath: string; fsPath: string }>,
    options: {
      jobs: number;
      hashes: readonly HashAlgorithm[];
      trustAnchors: readonly Uint8Array[];
      at: Date;
      limits: AuditLimits;
      /** null: do not look inside installers and archives. */
      containerLimits: ContainerLimits | null;
      onResult?: (reports: ArtifactReport[]) => void;
    },
  ): Promise<ArtifactReport[]>;
  defaultJobs(): number;
  /** Opens the release store (`release`, `certs`, `export`, `import`): a --db URL, or ABSOLVE_DB, or ./.absolve/absolve.db. */
  openStore: OpenStore;
  /** Lint configuration: `--config FILE`, else ./absolve.config.json, else defaults; throws LintConfigError (CONFIG_INVALID). Absent: defaults. */
  loadLintConfig?(options: { path?: string }): Promise<LintConfig>;
  /** The scan engines and what `scan` needs besides (absent in builds without scanning). */
  scan?: Pick<ScanCommandDeps, 'createEngines' | 'containers' | 'fileRoot'>;
  /** Vendor directory, cases and submissions (absent in builds without them). */
  cases?: { loadCaseSettings(options: { path?: string }): Promise<CaseSettings>; tools: SubmissionTools };
  now(): Date;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} takes a whole number of 0 or more`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface AuditFlags {
  format: 'table' | 'json' | 'sarif' | 'junit' | 'markdown';
  config?: string;
  pinSigner: string[];
  expiryDays?: number;
  output?: string;
  hashes: string;
  trust: string[];
  defaultTrust: boolean;
  at?: string;
  jobs?: number;
  progress: boolean;
  color?: boolean;
  maxParsedPeBytes: number;
  maxCertificateTableBytes: number;
  containers: boolean;
  maxDepth: number;
  maxMembers: number;
  maxMemberBytes: number;
  maxExtractedBytes: number;
  maxCompressionRatio: number;
}

export function createProgram(deps: CliDeps): { run(argv: readonly string[]): Promise<number> } {
  let exitCode: number = ExitCode.ok;
  const program = new Command('absolve')
    .description('Audit Windows releases: Authenticode signatures and antivirus false-positive risk.')
    .version(deps.version, '-V, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: (s) => deps.stderr.write(s) });

  program
    .command('audit')
    .description('Find every PE in the given files and folders (by content), hash it and verify its Authenticode signature.')
    .argument('<paths...>', 'files or release folders')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'sarif', 'junit', 'markdown']).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--config <file>', 'lint configuration (default: ./absolve.config.json when present)')
    .option('--pin-signer <thumbprint>', 'expected signer certificate, SHA-1 or SHA-256 thumbprint (rule ABS-SIG-019); repeatable', collect, [])
    .option('--expiry-days <n>', `warn when the signing certificate expires within this many days (rule ABS-SIG-017; default ${DEFAULT_RULE_PARAMETERS.expiryDays})`, positiveInt('--expiry-days'))
    .option('--hashes <list>', 'digests per file, comma-separated: sha256,sha1,md5,sha512 (sha256 is always computed)', 'sha256')
    .option('--trust <path>', 'trust anchor certificate (PEM or DER file, or a folder of them); repeatable', collect, [])
    .option('--no-default-trust', "do not trust Node's bundled root certificates")
    .option('--at <time>', 'judge certificate validity at this ISO 8601 time instead of now (reproducible audits)')
    .option('-j, --jobs <n>', 'parallel workers (default: CPU count, max 8; 1 = no worker threads)', positiveInt('--jobs'))
    .option('--no-progress', 'never draw the progress bar')
    .option('--no-color', 'no colours in the table')
    .option('--max-parsed-pe-bytes <bytes>', 'PEs up to this size are fully parsed in memory; larger ones get hashes and signature only', positiveInt('--max-parsed-pe-bytes'), DEFAULT_AUDIT_LIMITS.maxParsedPEBytes)
    .option('--max-certificate-table-bytes <bytes>', 'largest certificate table read', positiveInt('--max-certificate-table-bytes'), DEFAULT_AUDIT_LIMITS.maxCertificateTableBytes)
    .option('--no-containers', 'do not look inside installers and archives (ZIP, MSI/MSP, CAB, NSIS)')
    .option('--max-depth <n>', 'container nesting levels opened', positiveInt('--max-depth'), DEFAULT_CONTAINER_LIMITS.maxDepth)
    .option('--max-members <n>', 'members listed per container', positiveInt('--max-members'), DEFAULT_CONTAINER_LIMITS.maxMembers)
    .option('--max-member-bytes <bytes>', 'largest member expanded', positiveInt('--max-member-bytes'), DEFAULT_CONTAINER_LIMITS.maxMemberBytes)
    .option('--max-extracted-bytes <bytes>', 'bytes expanded in total from one top-level file', positiveInt('--max-extracted-bytes'), DEFAULT_CONTAINER_LIMITS.maxTotalExtractedBytes)
    .option('--max-compression-ratio <n>', 'expanded/compressed ratio above which a member counts as a bomb (members of 1 MiB or more)', positiveInt('--max-compression-ratio'), DEFAULT_CONTAINER_LIMITS.maxCompressionRatio)
    .action(async (paths: string[], flags: AuditFlags) => {
      exitCode = await runAudit(deps, paths, flags);
    });

  registerClassifyCommand(program, { stdout: deps.stdout });
  registerRulesCommand(program, { stdout: deps.stdout });
  // Release history: `release add` runs the same audit as `absolve audit`, inside containers with the default limits
  // and the default lint rules.
  registerReleaseCommand(program, {
    ...deps,
    auditFiles: async (files, options) =>
      applyLint(await deps.auditFiles(files, { ...options, containerLimits: DEFAULT_CONTAINER_LIMITS }), {
        config: EMPTY_LINT_CONFIG,
        parameters: { ...DEFAULT_RULE_PARAMETERS, at: options.at },
      }),
    ...(deps.cases === undefined ? {} : { onReleaseRecorded: releaseDraftHook({ ...deps, ...deps.cases }) }),
  });
  registerCertsCommand(program, deps);
  if (deps.scan !== undefined) registerScanCommands(program, { ...deps, ...deps.scan }, (code) => (exitCode = code));
  registerDataCommands(program, deps);
  if (deps.cases !== undefined) {
    registerVendorsCommand(program, { ...deps, ...deps.cases });
    registerCasesCommand(program, { ...deps, ...deps.cases });
    if (deps.scan !== undefined) registerSubmitCommand(program, { ...deps, ...deps.cases, containers: deps.scan.containers, fileRoot: deps.scan.fileRoot });
  }

  return {
    async run(argv) {
      try {
        await program.parseAsync(argv, { from: 'user' });
        return exitCode;
      } catch (error) {
        if (error instanceof CommanderError) {
          // --help and --version exit 0; every usage mistake exits 2.
          return error.exitCode === 0 ? ExitCode.ok : ExitCode.usageOrIOError;
        }
        if (error instanceof AbsolveError) {
          deps.stderr.write(`absolve: ${error.code}: ${error.message}\n`);
          return ExitCode.usageOrIOError;
        }
        deps.stderr.write(`absolve: INTERNAL: ${error instanceof Error ? error.message : String(error)}\n`);
        if (process.env.ABSOLVE_DEBUG !== undefined && error instanceof Error) deps.stderr.write(`${error.stack ?? ''}\n`);
        return ExitCode.usageOrIOError;
      }
    },
  };
}

async function runAudit(deps: CliDeps, paths: string[], flags: AuditFlags): Promise<number> {
  const hashes = parseHashList(flags.hashes);
  if (hashes === undefined) throw new AbsolveError('USAGE', `--hashes takes a comma-separated list of sha256, sha1, md5, sha512 (got '${flags.hashes}')`);
  let at = deps.now();
  if (flags.at !== undefined) {
    at = new Date(flags.at);
    if (Number.isNaN(at.getTime())) throw new AbsolveError('USAGE', `--at takes an ISO 8601 time such as 2026-01-31T12:00:00Z (got '${flags.at}')`);
  }
  const lint = await lintSetup(deps, flags, at);
  const trustAnchors = await deps.loadTrustAnchors({ trustPaths: flags.trust, includeDefaultRoots: flags.defaultTrust });
  const files = await deps.walkInputs(paths);
  const progress = createProgress(deps.stderr, flags.progress);
  progress.start(files.length, 'auditing');
  let artifacts: ArtifactReport[];
  try {
    artifacts = await deps.auditFiles(files, {
      jobs: flags.jobs ?? deps.defaultJobs(),
      hashes,
      trustAnchors,
      at,
      limits: { maxParsedPEBytes: flags.maxParsedPeBytes, maxCertificateTableBytes: flags.maxCertificateTableBytes },
      containerLimits: flags.containers
        ? {
            maxDepth: flags.maxDepth,
            maxMembers: flags.maxMembers,
            maxMemberBytes: flags.maxMemberBytes,
            maxTotalExtractedBytes: flags.maxExtractedBytes,
            maxCompressionRatio: flags.maxCompressionRatio,
          }
        : null,
      onResult: (reports) => progress.tick(reports[0]?.path ?? ''),
    });
  } finally {
    progress.stop();
  }
  artifacts = applyLint(artifacts, lint);
  const report: AuditReport = {
    schema: AUDIT_SCHEMA,
    tool: { name: 'absolve', version: deps.version },
    generatedAt: deps.now().toISOString(),
    verifiedAt: at.toISOString(),
    inputs: paths,
    artifacts,
    summary: summarizeAudit(artifacts),
  };
  const useColor = flags.color !== false && flags.output === undefined && deps.stdout.isTTY && process.env.NO_COLOR === undefined;
  const text = renderReport(report, flags.format, useColor);
  if (flags.output !== undefined) {
    try {
      await writeFile(flags.output, text);
    } catch (error) {
      throw new AbsolveError('OUTPUT_UNWRITABLE', `cannot write the report to '${flags.output}': ${(error as Error).message}`, { cause: error });
    }
  } else {
    deps.stdout.write(text);
  }
  if (artifacts.some((a) => a.error?.code === 'IO_ERROR')) return ExitCode.usageOrIOError;
  return report.summary.policyMet ? ExitCode.ok : ExitCode.policyViolation;
}

function renderReport(report: AuditReport, format: AuditFlags['format'], useColor: boolean): string {
  switch (format) {
    case 'json':
      return renderAuditJSON(report);
    case 'sarif':
      return renderAuditSARIF(report);
    case 'junit':
      return renderAuditJUnit(report);
    case 'markdown':
      return renderAuditMarkdown(report);
    case 'table':
      return renderAuditTable(report, useColor);
  }
}

/** The lint configuration and rule parameters: flags win over absolve.config.json `settings`, which win over defaults. */
async function lintSetup(deps: CliDeps, flags: AuditFlags, at: Date): Promise<{ config: LintConfig; parameters: RuleParameters }> {
  const pins = flags.pinSigner.map((p) => {
    const t = normalizeThumbprint(p);
    if (t === undefined) throw new AbsolveError('USAGE', `--pin-signer takes a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) certificate thumbprint (got '${p}')`);
    return t;
  });
  if (deps.loadLintConfig === undefined && flags.config !== undefined) throw new LintConfigError(`${flags.config}: configuration files are not supported by this build`);
  const config = deps.loadLintConfig === undefined ? EMPTY_LINT_CONFIG : await deps.loadLintConfig(flags.config === undefined ? {} : { path: flags.config });
  const settings = config.settings;
  return {
    config,
    parameters: {
      at,
      expiryDays: flags.expiryDays ?? settings.expiryDays ?? DEFAULT_RULE_PARAMETERS.expiryDays,
      pinnedSigners: [...(settings.pinnedSigners ?? []), ...pins],
      entropyThreshold: settings.entropyThreshold ?? DEFAULT_RULE_PARAMETERS.entropyThreshold,
      largeOverlayBytes: settings.largeOverlayBytes ?? DEFAULT_RULE_PARAMETERS.largeOverlayBytes,
    },
  };
}
