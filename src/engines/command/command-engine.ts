/**
 * Any command-line scanner as an engine: a program, its arguments with a `{file}` placeholder,
 * which exit codes mean "clean" and "detected", and a pattern that picks the detection name out
 * of its output (a named group `name`). Presets for known scanners are in command-presets.ts.
 *
 * Safety: the program runs without a shell (execFile-style: `{file}` is one argument, never
 * parsed); it always scans a private temporary copy (a scanner set to remediate can never delete
 * or quarantine a release file); output is capped in bytes and lines are cut to 1 024 characters
 * before any pattern sees them; patterns are checked for nested quantifiers (the usual
 * catastrophic-backtracking shape); the process group is killed on timeout or abort.
 *
 * Verdict rules (one verdict per sample, never "clean" when unsure):
 * - a line matching `detectionPattern` (or `detectedPattern`), or an exit code in
 *   `exitCodes.detected` → a detection (`malicious`) named by the matched names, or
 *   "detected (exit code N; no detection name in the output)" when none was printed;
 * - else an exit code in `exitCodes.clean` (and, when `cleanPattern` is set, a line matching
 *   it) → `undetected`;
 * - else `failure` (with the exit code and the scanner's first error line); killed by a signal →
 *   `failure` ("crashed"); no result in time → `timeout`.
 */
import { makeVerdict, noAnswerVerdict, ScanError, type ScanEngine, type ScanOptions, type ScanSample, type Verdict } from '../../core/scans/index.ts';
import { throwIfAborted } from '../local/abort.ts';
import { findProgram } from '../local/find-program.ts';
import { MAX_DETECTION_NAME_CHARS, oneLine } from '../local/one-line.ts';
import { DEFAULT_MAX_OUTPUT_BYTES, notStartedDetail, runProcess } from '../local/run-process.ts';
import { withSampleFile } from '../local/sample-file.ts';
import { COMMAND_PRESETS, isCommandPreset, type CommandPresetName } from './command-presets.ts';

/** Default time for one scan by a command: 5 minutes (some scanners load their definitions on every run). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 300_000;
/** Characters of one output line a pattern sees (longer lines are cut). */
export const MAX_OUTPUT_LINE_CHARS = 1024;
/** Detection names kept from one run. */
const MAX_NAMES = 20;
const MAX_PATTERN_CHARS = 500;

export interface CommandEngineOptions {
  /** The id users select it by (`--engines`), e.g. `defender`: lowercase letters, digits, `-`. */
  name: string;
  /** The engine name in verdicts, e.g. `Microsoft`, `ESET-NOD32`, `Sophos`, `Kaspersky`, `ClamAV`. */
  engine: string;
  /** The program: a path, or a name found on PATH. */
  command: string;
  /** Its arguments; `{file}` (at least once) is replaced by the path of the file to scan. */
  args: string[];
  /** Exit codes meaning "scanned, nothing found" and "scanned, something found"; any other is a failure. */
  exitCodes: { clean: number[]; detected: number[] };
  /** A line naming a detection: a regular expression with a named group `name` (anchor it; no nested quantifiers). */
  detectionPattern: RegExp | string;
  /** Optional: a line saying something was detected when the scanner prints no name. */
  detectedPattern?: RegExp | string;
  /** Optional: a line that must be present for a clean verdict (for scanners whose exit code alone does not say "clean"). */
  cleanPattern?: RegExp | string;
  /** Optional: how to read the engine version: arguments and a pattern with a named group `version`. */
  version?: { args: string[]; pattern: RegExp | string };
  /** Time for one scan (default 300 000 ms); past it the process group is killed and the verdict is `timeout`. */
  timeoutMs?: number;
  /** Bytes of stdout and of stderr read per scan (default 256 KiB each). */
  maxOutputBytes?: number;
}

/** Changes to a preset a user may make (`--engines defender` with another MpCmdRun path, a longer timeout). */
export interface CommandEngineOverrides {
  command?: string;
  timeoutMs?: number;
}

// A group that contains a quantifier and is itself quantified: (a+)+, (?:\s*x)*, (a|b+){2,}.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,?\d*\})/;

function compilePattern(label: string, pattern: RegExp | string, group: string | undefined): RegExp {
  const source = typeof pattern === 'string' ? pattern : pattern.source;
  if (source.length > MAX_PATTERN_CHARS) throw new ScanError('ENGINE_CONFIG_INVALID', `${label} is longer than ${MAX_PATTERN_CHARS} characters`);
  if (NESTED_QUANTIFIER.test(source)) throw new ScanError('ENGINE_CONFIG_INVALID', `${label} has a quantified group containing a quantifier (it could backtrack for ever on hostile output): ${oneLine(source, 120)}`);
  let regex: RegExp;
  try {
    // Flags other than i (and u) are dropped: lines are matched one at a time, without state.
    const flags = typeof pattern === 'string' ? '' : pattern.flags.replace(/[^iu]/g, '');
    regex = new RegExp(source, flags);
  } catch (error) {
    throw new ScanError('ENGINE_CONFIG_INVALID', `${label} is not a valid regular expression: ${oneLine((error as Error).message, 120)}`, { cause: error });
  }
  if (group !== undefined && !new RegExp(`\\(\\?<${group}>`).test(source)) throw new ScanError('ENGINE_CONFIG_INVALID', `${label} needs a named group (?<${group}>…)`);
  return regex;
}

interface CompiledCommand {
  options: CommandEngineOptions;
  detection: RegExp;
  detected: RegExp | undefined;
  clean: RegExp | undefined;
  version: { args: string[]; pattern: RegExp } | undefined;
  timeoutMs: number;
}

function compile(options: CommandEngineOptions): CompiledCommand {
  const invalid = (message: string): never => {
    throw new ScanError('ENGINE_CONFIG_INVALID', `command engine '${oneLine(options.name, 40)}': ${message}`);
  };
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(options.name)) invalid('the name must be lowercase letters, digits and -');
  if (oneLine(options.engine, 60) === '') invalid('the engine name is empty');
  if (options.command.trim() === '') invalid('the command is empty');
  if (!options.args.some((arg) => arg.includes('{file}'))) invalid('no argument holds the {file} placeholder');
  const codes = [...options.exitCodes.clean, ...options.exitCodes.detected];
  if (codes.some((code) => !Number.isInteger(code))) invalid('exit codes must be integers');
  if (options.exitCodes.clean.some((code) => options.exitCodes.detected.includes(code))) invalid('an exit code cannot mean both clean and detected');
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) invalid('the timeout must be a positive number of milliseconds');
  return {
    options,
    detection: compilePattern('detectionPattern', options.detectionPattern, 'name'),
    detected: options.detectedPattern === undefined ? undefined : compilePattern('detectedPattern', options.detectedPattern, undefined),
    clean: options.cleanPattern === undefined ? undefined : compilePattern('cleanPattern', options.cleanPattern, undefined),
    version: options.version === undefined ? undefined : { args: options.version.args, pattern: compilePattern('version pattern', options.version.pattern, 'version') },
    timeoutMs,
  };
}

/** Windows reports exit codes as unsigned 32-bit numbers; documented codes are often negative (-80). */
function signedExitCode(code: number): number {
  return code > 0x7fffffff ? code - 0x100000000 : code;
}

function outputLines(stdout: string, stderr: string): string[] {
  return `${stdout}\n${stderr}`
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '')
    .map((line) => (line.length > MAX_OUTPUT_LINE_CHARS ? line.slice(0, MAX_OUTPUT_LINE_CHARS) : line));
}

/**
 * A ScanEngine running a command-line scanner: a preset name (`defender`, `eset`, `sophos`,
 * `kaspersky`, `clamscan`; see COMMAND_PRESETS) or a full configuration. Throws ScanError
 * ENGINE_CONFIG_INVALID for an unknown preset or an invalid configuration.
 */
export function createCommandEngine(config: CommandPresetName | CommandEngineOptions, overrides: CommandEngineOverrides = {}): ScanEngine {
  let base: CommandEngineOptions;
  if (typeof config === 'string') {
    if (!isCommandPreset(config)) {
      throw new ScanError('ENGINE_CONFIG_INVALID', `no command scanner preset '${oneLine(config, 40)}' (known: ${Object.keys(COMMAND_PRESETS).join(', ')})`);
    }
    base = COMMAND_PRESETS[config];
  } else base = config;
  const compiled = compile({ ...base, ...(overrides.command === undefined ? {} : { command: overrides.command }), ...(overrides.timeoutMs === undefined ? {} : { timeoutMs: overrides.timeoutMs }) });
  const { options, timeoutMs } = compiled;
  const engineName = oneLine(options.engine, 60);
  const program = options.command;
  let version: Promise<string | null> | undefined;

  const readVersion = (): Promise<string | null> => {
    const spec = compiled.version;
    if (spec === undefined) return Promise.resolve(null);
    version ??= runProcess(program, spec.args, { timeoutMs: Math.min(timeoutMs, 30_000), maxOutputBytes: 8192 })
      .then((outcome) => {
        if (outcome.kind !== 'exited') return null;
        for (const line of outputLines(outcome.stdout, outcome.stderr)) {
          const found = spec.pattern.exec(line)?.groups?.version;
          if (found !== undefined && found.trim() !== '') return oneLine(found, 60);
        }
        return null;
      })
      .catch(() => null);
    return version;
  };

  return {
    id: options.name,
    via: 'command',
    async scan(sample: ScanSample, scanOptions: ScanOptions): Promise<Verdict[]> {
      const { signal } = scanOptions;
      throwIfAborted(signal);
      return withSampleFile(
        sample,
        signal,
        async (path) => {
          const args = options.args.map((arg) => arg.split('{file}').join(path));
          const outcome = await runProcess(program, args, { timeoutMs, signal, maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES });
          const scannedAt = new Date().toISOString();
          const failure = (detail: string): Verdict[] => [noAnswerVerdict(engineName, 'command', 'failure', detail, scannedAt)];
          if (outcome.kind === 'not-started') return failure(notStartedDetail(program, outcome));
          if (outcome.kind === 'timeout') return [noAnswerVerdict(engineName, 'command', 'timeout', `${options.name} gave no result within ${timeoutMs} ms`, scannedAt)];
          if (outcome.exitSignal !== null) return failure(`${options.name} crashed (${outcome.exitSignal})`);
          const exitCode = signedExitCode(outcome.exitCode ?? -1);
          const lines = outputLines(outcome.stdout, outcome.stderr);
          const names: string[] = [];
          let detectedLine = false;
          let cleanLine = false;
          for (const line of lines) {
            const name = compiled.detection.exec(line)?.groups?.name;
            if (name !== undefined) {
              const clean = oneLine(name, MAX_DETECTION_NAME_CHARS);
              if (clean !== '' && !names.includes(clean) && names.length < MAX_NAMES) names.push(clean);
            }
            if (compiled.detected?.test(line) === true) detectedLine = true;
            if (compiled.clean?.test(line) === true) cleanLine = true;
          }
          const versions = { engineVersion: await readVersion() };
          if (names.length > 0 || detectedLine || options.exitCodes.detected.includes(exitCode)) {
            const result = names.length > 0 ? names.join(', ') : `detected (exit code ${exitCode}; no detection name in the output)`;
            return [makeVerdict({ engine: engineName, via: 'command', category: 'malicious', result, scannedAt, ...versions })];
          }
          if (options.exitCodes.clean.includes(exitCode) && (compiled.clean === undefined || cleanLine)) {
            return [makeVerdict({ engine: engineName, via: 'command', category: 'undetected', scannedAt, ...versions })];
          }
          const firstLine = lines.find((line) => /error|fail|denied|invalid|not found|cannot|can't/i.test(line)) ?? lines[0] ?? 'no output';
          const why = options.exitCodes.clean.includes(exitCode) ? 'the output did not confirm a clean scan' : `exit code ${exitCode}`;
          return failure(`${options.name} failed: ${why}: ${oneLine(firstLine, 200)}`);
        },
        { alwaysCopy: true },
      );
    },
  };
}

/**
 * createCommandEngine, and the scanner must be installed: throws ScanError ENGINE_CONFIG_INVALID
 * when the program is not found (checked without running it). For the composition root, so a
 * named scanner that is missing stops the scan before it starts; a scanner that disappears
 * later still gives failure verdicts.
 */
export async function createInstalledCommandEngine(config: CommandPresetName | CommandEngineOptions, overrides: CommandEngineOverrides = {}): Promise<ScanEngine> {
  const engine = createCommandEngine(config, overrides);
  const command = overrides.command ?? (typeof config === 'string' ? COMMAND_PRESETS[config].command : config.command);
  if ((await findProgram(command)) === null) {
    throw new ScanError('ENGINE_CONFIG_INVALID', `${engine.id}: scanner '${oneLine(command, 200)}' is not installed (install it, or give its path)`);
  }
  return engine;
}
