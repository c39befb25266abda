import { resolve as resolvePath } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { VerificationPolicy } from '../authenticode/index.ts';
import { escapeForDisplay } from '../binary/index.ts';
import { AUDIT_SCHEMA, type ArtifactReport, type AuditReport, type HashAlgorithm, type Severity } from '../core/audit.types.ts';
import { summarizeAudit } from '../core/audit-summary.ts';
import { AbsolveError, ExitCode } from '../core/errors.ts';
import type { AuditLimits } from '../core/limits.ts';
import type { ContainerLimits } from '../formats/container/container.types.ts';
import type { OpenStore } from '../core/releases/ports.ts';
import type { LintConfig } from '../core/lint/index.ts';
import { addAuditOptions, auditExitCode, auditWithProgress, resolveAuditSetup, walkAuditInputs, type AuditOptionFlags } from './audit-options.ts';
import type { SubmissionTools } from '../core/cases/ports.ts';
import type { CaseSettings } from '../core/cases/settings.ts';
import { registerCasesCommand, releaseDraftHook } from './commands/cases-command.ts';
import { registerCertsCommand } from './commands/certs-command.ts';
import { registerClassifyCommand } from './commands/classify-command.ts';
import { registerDataCommands } from './commands/data-command.ts';
import { registerReleaseCommand } from './commands/release-command.ts';
import { registerRulesCommand } from './commands/rules-command.ts';
import { registerShowCommand } from './commands/show-command.ts';
import { registerMonitorCommands } from './commands/monitor-command.ts';
import { registerScanCommands, type ScanCommandDeps } from './commands/scan-command.ts';
import { registerServiceCommands, type ServiceCommandDeps } from './commands/service-command.ts';
import { registerTrustCommand, type LoadedTrustAnchors, type TrustCommandDeps, type TrustLoadOptions } from './commands/trust-command.ts';
import { refuseProtectedOutput, writeOutputFile } from './safe-output.ts';
import { renderAuditCSV, renderAuditJSON, renderAuditTable, summaryText, type TableOptions } from './render-audit.ts';
import { registerSubmitCommand } from './commands/submit-command.ts';
import { registerVendorsCommand } from './commands/vendors-command.ts';
import { renderAuditJUnit } from './render-junit.ts';
import { renderAuditMarkdown } from './render-markdown.ts';
import { renderAuditSARIF } from './render-sarif.ts';
import { isBrokenPipe, terminalWidth } from './terminal.ts';

export const AUDIT_FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** What the CLI needs from the outside; src/app supplies the real adapters. */
export interface CliDeps {
  version: string;
  /**
   * Files under the inputs (quoted globs expanded, Absolve's own `.absolve` folders skipped), minus `exclude`
   * matches; `problem` marks an entry that is not read (dangling link, FIFO, …) and is reported as its finding.
   */
  walkInputs(
    inputs: readonly string[],
    options?: { exclude?: readonly string[] },
  ): Promise<Array<{ displayPath: string; fsPath: string; problem?: { id: string; severity: Severity; message: string } }>>;
  /** The root store (`--trust-store`, Microsoft's when imported) plus `--trust` anchors, and the verification policy. */
  loadTrustAnchors(options: TrustLoadOptions): Promise<LoadedTrustAnchors>;
  /** `absolve trust update|status`. */
  trustStore: TrustCommandDeps['trustStore'];
  auditFiles(
    files: ReadonlyArray<{ displayPath: string; fsPath: string }>,
    options: {
      jobs: number;
      hashes: readonly HashAlgorithm[];
      trustAnchors: readonly Uint8Array[];
      verificationPolicy?: VerificationPolicy;
      at: Date;
      limits: AuditLimits;
      /** null: do not audit the members of installers and archives (their own signatures are still verified). */
      containerLimits: ContainerLimits | null;
      onResult?: (reports: ArtifactReport[]) => void;
    },
  ): Promise<ArtifactReport[]>;
  defaultJobs(): number;
  /** Opens the release store (`release`, `certs`, `export`, `import`): a --db URL, or ABSOLVE_DB, or ./.absolve/absolve.db. */
  openStore: OpenStore;
  /** Lint configuration: `--config FILE`, else ./absolve.config.json, else defaults; throws LintConfigError (CONFIG_INVALID). Absent: defaults. */
  loadLintConfig?(options: { path?: string }): Promise<{ config: LintConfig; file: string | null }>;
  /** Opens an import file as UTF-8 text: regular files only (a FIFO or device is refused with PATH_NOT_REGULAR). */
  openInputText?(path: string, what: string): Promise<NodeJS.ReadableStream>;
  /** Starts the HTTP service (`absolve serve`). */
  startServer?: ServiceCommandDeps['startServer'];
  startWorker?: ServiceCommandDeps['startWorker'];
  enqueueRound?: ServiceCommandDeps['enqueueRound'];
  /** The scan engines and what `scan` needs besides (absent in builds without scanning). */
  scan?: Pick<ScanCommandDeps, 'createEngines' | 'containers' | 'fileRoot' | 'loadSettings' | 'webhookSender' | 'createMailer'>;
  /** Vendor directory, cases and submissions (absent in builds without them). */
  cases?: { loadCaseSettings(options: { path?: string }): Promise<CaseSettings>; tools: SubmissionTools };
  now(): Date;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

interface AuditFlags extends AuditOptionFlags {
  format: AuditFormat;
  output?: string;
  /** `--report FORMAT=FILE`, repeatable: the same report in more formats, from the one audit. */
  report?: string[];
  quiet?: boolean;
  color?: boolean;
  all?: boolean;
  versionInfo?: boolean;
}

export function createProgram(deps: CliDeps): { run(argv: readonly string[]): Promise<number> } {
  let exitCode: number = ExitCode.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const helpWidth = (): number => terminalWidth(deps.stdout);
  const program = new Command('absolve')
    .description('Audit Windows releases: Authenticode signatures and antivirus false-positive risk.')
    .version(deps.version, '-V, --version')
    .exitOverride()
    // Usage errors are printed by run() as one line; commander's own text (and help after an error) is dropped.
    .configureOutput({
      writeOut: (s) => deps.stdout.write(s),
      writeErr: (s) => deps.stderr.write(s),
      outputError: () => {},
      getOutHelpWidth: helpWidth,
      getErrHelpWidth: helpWidth,
    })
    .helpCommand(false)
    // Commands listed by name and arguments only, so their descriptions keep room to wrap at 80 columns.
    .configureHelp({ subcommandTerm: (cmd) => [cmd.name(), ...cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`))].join(' '), minWidthToWrap: 30 });

  const audit = program
    .command('audit')
    .description('Find every PE in the given files and folders (by content), hash it and verify its Authenticode signature.')
    .argument('<paths...>', 'files or release folders (quoted globs such as "dist/*.exe" are expanded)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(AUDIT_FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout (a one-line summary goes to stderr)')
    .option('-q, --quiet', 'with --output: no summary line on stderr')
    .option('--report <format=file>', 'also write the report in another format to a file, from the same audit (repeatable; e.g. --report sarif=absolve.sarif --report markdown=summary.md)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--no-color', 'no colours in the table')
    .option('--all', 'table: list every file, not only PEs, packages and files with findings')
    .option('--version-info', 'table: show company, product and file version of each PE (csv always has them)');
  addAuditOptions(audit);
  audit.action(async (paths: string[], flags: AuditFlags) => {
    exitCode = await runAudit(deps, paths, flags);
  });

  registerClassifyCommand(program, { stdout: deps.stdout });
  registerRulesCommand(program, { stdout: deps.stdout, width: helpWidth });
  registerReleaseCommand(program, { ...deps, setExitCode, ...(deps.cases === undefined ? {} : { onReleaseRecorded: releaseDraftHook({ ...deps, ...deps.cases }) }) });
  registerShowCommand(program, { ...deps, setExitCode });
  registerCertsCommand(program, deps);
  if (deps.scan !== undefined) {
    registerScanCommands(program, { ...deps, ...deps.scan }, setExitCode);
    registerMonitorCommands(program, { ...deps, ...deps.scan }, setExitCode);
  }
  registerTrustCommand(program, deps);
  registerServiceCommands(program, deps);
  registerDataCommands(program, deps);
  if (deps.cases !== undefined) {
    registerVendorsCommand(program, { ...deps, ...deps.cases });
    registerCasesCommand(program, { ...deps, ...deps.cases });
    if (deps.scan !== undefined) registerSubmitCommand(program, { ...deps, ...deps.cases, containers: deps.scan.containers, fileRoot: deps.scan.fileRoot });
  }
  registerHelpCommand(program, deps);

  return {
    async run(argv) {
      try {
        await program.parseAsync(argv, { from: 'user' });
        return exitCode;
      } catch (error) {
        if (error instanceof CommanderError) {
          // --help and --version exit 0; every usage mistake is one line and exits 2.
          if (error.exitCode === 0 || error.code === 'commander.help' || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usageOrIOError;
          deps.stderr.write(`${usageLine(program, argv, error.message)}\n`);
          return ExitCode.usageOrIOError;
        }
        if (isBrokenPipe(error)) return exitCode;
        // Messages quote paths and names from disk: escaped, they stay one line and send no terminal controls.
        if (error instanceof AbsolveError) {
          const message = escapeForDisplay(error.message);
          deps.stderr.write(error.code === 'USAGE' ? `${usageLine(program, argv, message)}\n` : `absolve: ${error.code}: ${message}\n`);
          return ExitCode.usageOrIOError;
        }
        deps.stderr.write(`absolve: INTERNAL: ${error instanceof Error ? error.message : String(error)}\n`);
        if (process.env.ABSOLVE_DEBUG !== undefined && error instanceof Error) deps.stderr.write(`${error.stack ?? ''}\n`);
        return ExitCode.usageOrIOError;
      }
    },
  };
}

/** The (sub)command the arguments name: `absolve release add`. */
function commandPath(program: Command, argv: readonly string[]): string {
  const names = ['absolve'];
  let current = program;
  for (const arg of argv) {
    const next = current.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (next === undefined) break;
    names.push(next.name());
    current = next;
  }
  return names.join(' ');
}

/** `absolve: USAGE: unknown option '--x' (see `absolve audit --help`)`: one line, whatever went wrong. */
function usageLine(program: Command, argv: readonly string[], message: string): string {
  const text = message.replace(/^error:\s*/i, '').split('\n')[0]?.trim() ?? message;
  return `absolve: USAGE: ${text} (see \`${commandPath(program, argv)} --help\`)`;
}

/** `absolve help [command...]`: `absolve help release add` shows that subcommand's help. */
function registerHelpCommand(program: Command, deps: Pick<CliDeps, 'stdout'>): void {
  program
    .command('help')
    .description('show help for a command, e.g. `absolve help release add`')
    .argument('[command...]', 'the command (and subcommand)')
    .action((names: string[]) => {
      let current = program;
      for (const name of names) {
        const next = current.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (next === undefined) throw new AbsolveError('USAGE', `unknown command '${names.join(' ')}'`);
        current = next;
      }
      deps.stdout.write(current.helpInformation());
    });
}

async function runAudit(deps: CliDeps, paths: string[], flags: AuditFlags): Promise<number> {
  const setup = await resolveAuditSetup(deps, flags);
  const files = await walkAuditInputs(deps, paths, setup.exclude);
  const extraReports = parseReportFlags(flags.report ?? [], flags.output);
  // Before any work: a report must never replace what it reports on.
  for (const target of [...(flags.output === undefined ? [] : [flags.output]), ...extraReports.map((r) => r.file)]) {
    await refuseProtectedOutput(target, [{ files: [...paths, ...files.map((f) => f.fsPath)], folders: [], describe: 'an input of this audit' }]);
  }
  const artifacts = await auditWithProgress(deps, files, setup, flags.progress);
  const report: AuditReport = {
    schema: AUDIT_SCHEMA,
    tool: { name: 'absolve', version: deps.version },
    generatedAt: deps.now().toISOString(),
    verifiedAt: setup.at.toISOString(),
    inputs: paths,
    configFile: setup.configFile,
    artifacts,
    summary: summarizeAudit(artifacts, setup.policy),
  };
  const useColor = flags.color !== false && flags.output === undefined && deps.stdout.isTTY && process.env.NO_COLOR === undefined;
  const text = renderReport(report, flags.format, { color: useColor, width: terminalWidth(deps.stdout), all: flags.all === true, versionInfo: flags.versionInfo === true });
  const code = auditExitCode(artifacts, report.summary, setup.failOn);
  // Files first, and the exit code known, before anything goes to stdout: a reader that goes away (`| head -1`)
  // ends the process at its broken pipe (cli-entry), which must neither lose a --report file nor exit 0.
  for (const extra of extraReports) {
    const rendered = renderReport(report, extra.format, { color: false, width: 100, all: flags.all === true, versionInfo: flags.versionInfo === true });
    await writeOutputFile(extra.file, (write) => write(rendered));
  }
  process.exitCode = code;
  if (flags.output !== undefined) {
    await writeOutputFile(flags.output, (write) => write(text));
    if (flags.quiet !== true) deps.stderr.write(`${summaryText(report.summary)} Report written to ${flags.output}.\n`);
  } else {
    deps.stdout.write(text);
  }
  return code;
}

/** `--report FORMAT=FILE` values: a known format, a file, no file named twice (with --output either). */
function parseReportFlags(values: readonly string[], output: string | undefined): Array<{ format: AuditFormat; file: string }> {
  const seen = new Set(output === undefined ? [] : [resolvePath(output)]);
  return values.map((value) => {
    const at = value.indexOf('=');
    const format = value.slice(0, at);
    const file = value.slice(at + 1);
    if (at < 0 || file === '' || !(AUDIT_FORMATS as readonly string[]).includes(format)) {
      throw new AbsolveError('USAGE', `--report takes FORMAT=FILE with FORMAT one of ${AUDIT_FORMATS.join(', ')} (got '${escapeForDisplay(value)}')`);
    }
    if (seen.has(resolvePath(file))) throw new AbsolveError('USAGE', `--report: '${escapeForDisplay(file)}' is written twice`);
    seen.add(resolvePath(file));
    return { format: format as AuditFormat, file };
  });
}

function renderReport(report: AuditReport, format: AuditFormat, table: TableOptions): string {
  switch (format) {
    case 'json':
      return renderAuditJSON(report);
    case 'sarif':
      return renderAuditSARIF(report);
    case 'junit':
      return renderAuditJUnit(report);
    case 'markdown':
      return renderAuditMarkdown(report);
    case 'csv':
      return renderAuditCSV(report);
    case 'table':
      return renderAuditTable(report, table);
  }
}
