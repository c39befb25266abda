/**
 * YARA rules (`--yara-rules <file>`, repeatable) through the `yara` command (Debian's yara 4.2;
 * no npm binding installs reliably with `npm ci`, see research/libraries.md). The rules are
 * compiled once when the engine is made, so rules that do not compile stop the scan before it
 * starts (ENGINE_CONFIG_INVALID with the compiler's message); each scan then runs
 * `yara -w -e -m <ns>:<rules>… <file>` (no shell) and reads the matching rules.
 *
 * Verdict: one per sample, engine `YARA`; `result` lists the matching rules as `namespace:rule`
 * (namespace = the rules file's base name), comma-separated; the category is the most severe
 * among the matching rules, where a hit is `suspicious` unless the rule's metadata says
 * otherwise (see `categoryOfMatch`): YARA rules are written for hunting and triage, so a match
 * is a lead a publisher must check, not a malware verdict, unless the rule's author says so.
 */
import { access, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { makeVerdict, noAnswerVerdict, ScanError, type ScanEngine, type ScanOptions, type ScanSample, type Verdict } from '../../core/scans/index.ts';
import { throwIfAborted } from '../local/abort.ts';
import { oneLine } from '../local/one-line.ts';
import { checkTimeout, notStartedDetail, runProcess } from '../local/run-process.ts';
import { withSampleFile } from '../local/sample-file.ts';
import { parseYaraOutput, worstCategory } from './yara-output.ts';

/** Default time for one yara run: 60 s (YARA scans hundreds of MB per second; big rule sets compile in seconds). */
export const DEFAULT_YARA_TIMEOUT_MS = 60_000;
/** Rule names listed in a verdict's result; more are counted ("(+N more)"). */
export const MAX_LISTED_RULES = 20;

export interface YaraEngineOptions {
  /** Rules files (`--yara-rules`, repeatable): YARA source files, compiled together. At least one. */
  rules: string[];
  /** The yara program (default `yara`, found on PATH). */
  yaraPath?: string;
  /** Time for one scan, and for the up-front compile (default 60 000 ms); past it the verdict is `timeout`. */
  timeoutMs?: number;
}

/** `namespace:rules-file` arguments; namespaces from the files' base names, made identifiers and unique. */
function namespacedRules(files: readonly string[]): string[] {
  const used = new Set<string>();
  return files.map((file) => {
    const cleaned = basename(file, extname(file)).replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64) || 'rules';
    const base = /^[A-Za-z_]/.test(cleaned) ? cleaned : `r_${cleaned}`;
    let namespace = base;
    for (let n = 2; used.has(namespace); n++) namespace = `${base}_${n}`;
    used.add(namespace);
    return `${namespace}:${resolve(file)}`;
  });
}

/** The first line of yara's error output, without its `error: ` prefix. */
function firstError(stderr: string, stdout: string): string {
  const line = `${stderr}\n${stdout}`.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line === undefined ? 'no error message' : oneLine(line.replace(/^error:\s*/i, ''), 240);
}

/**
 * Makes the YARA engine: checks that the rules files exist and compile (`yara -w <rules>
 * <first rules file>`), reads the yara version. Throws ScanError ENGINE_CONFIG_INVALID when the
 * rules are missing or do not compile, or yara is not installed.
 */
export async function createYaraEngine(options: YaraEngineOptions): Promise<ScanEngine> {
  const program = options.yaraPath ?? 'yara';
  const timeoutMs = options.timeoutMs ?? DEFAULT_YARA_TIMEOUT_MS;
  checkTimeout(timeoutMs);
  if (options.rules.length === 0) throw new ScanError('ENGINE_CONFIG_INVALID', 'the yara engine needs at least one rules file (--yara-rules <file>)');
  let newest = 0;
  for (const file of options.rules) {
    try {
      await access(file);
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      newest = Math.max(newest, info.mtimeMs);
    } catch (error) {
      throw new ScanError('ENGINE_CONFIG_INVALID', `YARA rules file '${oneLine(file, 200)}' cannot be read`, { cause: error });
    }
  }
  const rules = namespacedRules(options.rules);

  // Compile once up front by scanning a small file we know exists (the first rules file itself).
  const check = await runProcess(program, ['-w', ...rules, resolve(options.rules[0] ?? '')], { timeoutMs, maxOutputBytes: 64 * 1024 });
  if (check.kind === 'not-started') throw new ScanError('ENGINE_CONFIG_INVALID', notStartedDetail(program, check));
  if (check.kind === 'timeout') throw new ScanError('ENGINE_CONFIG_INVALID', `yara did not compile the rules within ${timeoutMs} ms`);
  if (check.exitCode !== 0) throw new ScanError('ENGINE_CONFIG_INVALID', `YARA rules do not compile: ${firstError(check.stderr, check.stdout)}`);

  const versionRun = await runProcess(program, ['--version'], { timeoutMs: Math.min(timeoutMs, 10_000), maxOutputBytes: 1024 });
  const printed = versionRun.kind === 'exited' ? versionRun.stdout.trim() : '';
  const engineVersion = /^\d+\.\d+[0-9A-Za-z.+~-]{0,30}$/.test(printed) ? printed : null;
  // The rules are this engine's definitions: their newest modification time stands for the definitions date.
  const definitionsDate = new Date(newest).toISOString();

  return {
    id: 'yara',
    via: 'yara',
    async scan(sample: ScanSample, scanOptions: ScanOptions): Promise<Verdict[]> {
      const { signal } = scanOptions;
      throwIfAborted(signal);
      return withSampleFile(sample, signal, async (path) => {
        const outcome = await runProcess(program, ['-w', '-e', '-m', ...rules, path], { timeoutMs, signal });
        const scannedAt = new Date().toISOString();
        if (outcome.kind === 'not-started') return [noAnswerVerdict('YARA', 'yara', 'failure', notStartedDetail(program, outcome), scannedAt)];
        if (outcome.kind === 'timeout') return [noAnswerVerdict('YARA', 'yara', 'timeout', `yara gave no result within ${timeoutMs} ms`, scannedAt)];
        if (outcome.exitSignal !== null) return [noAnswerVerdict('YARA', 'yara', 'failure', `yara crashed (${outcome.exitSignal})`, scannedAt)];
        if (outcome.exitCode !== 0) return [noAnswerVerdict('YARA', 'yara', 'failure', `yara failed: ${firstError(outcome.stderr, outcome.stdout)}`, scannedAt)];
        const matches = parseYaraOutput(outcome.stdout, path);
        if (matches.length === 0) return [makeVerdict({ engine: 'YARA', via: 'yara', category: 'undetected', scannedAt, engineVersion, definitionsDate })];
        const names = matches.map((m) => `${m.namespace}:${m.rule}`);
        const listed = names.slice(0, MAX_LISTED_RULES).join(', ');
        const result = names.length > MAX_LISTED_RULES ? `${listed} (+${names.length - MAX_LISTED_RULES} more)` : listed;
        return [makeVerdict({ engine: 'YARA', via: 'yara', category: worstCategory(matches), result, scannedAt, engineVersion, definitionsDate })];
      });
    },
  };
}
