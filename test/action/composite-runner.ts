/**
 * Runs a composite action (action.yml) on this machine as a GitHub runner does, for tests:
 * - action.yml parsed with a real YAML parser; inputs' defaults applied (expressions in them evaluated), an
 *   input the action does not declare refused;
 * - each step's `if:`, `env:` and `with:` evaluated with the expression subset of ./expressions.ts;
 * - `run:` steps with `shell: bash` run as `bash --noprofile --norc -eo pipefail <script file>` (the runner's
 *   bash template), in the workspace, with the environment files and variables the runner sets
 *   (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#environment-files,
 *   https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/store-information-in-variables#default-environment-variables):
 *   GITHUB_OUTPUT (fresh per step, `name=value` or `name<<DELIMITER` lines), GITHUB_ENV (read after the step,
 *   exported to the steps after it), GITHUB_PATH, GITHUB_STEP_SUMMARY (per step, appended to the job summary),
 *   GITHUB_ACTION_PATH, GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_ACTIONS and CI;
 * - `uses:` steps handed to stand-ins the test supplies (an unknown action throws);
 * - a failing step fails the action and the later steps see `failure()`, as on GitHub;
 * - the action's outputs evaluated at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { evaluateCondition, interpolate, type ExprContext, type StepState } from './expressions.ts';

export interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  'working-directory'?: string;
}

export interface ActionFile {
  name: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export function readAction(path: string): ActionFile {
  const action = parse(readFileSync(path, 'utf8')) as ActionFile;
  if (action.runs.using !== 'composite') throw new Error(`${path}: not a composite action`);
  return action;
}

/** What a `uses:` stand-in gets and returns. */
export type UsesStandIn = (inputs: Record<string, string>, env: Record<string, string>) => Promise<{ ok: boolean; log: string }>;

export interface RunActionOptions {
  actionDir: string;
  workspace: string;
  runnerTemp: string;
  inputs: Record<string, string>;
  /** The environment of the step that uses the action (PATH, HOME, secrets passed through `env:`). */
  env: Record<string, string>;
  github: Record<string, unknown>;
  /** Stand-ins by action name without the ref (`github/codeql-action/upload-sarif`). */
  uses: Record<string, UsesStandIn>;
  /** Per-step time limit (a hung step fails the test instead of hanging it). */
  stepTimeoutMs?: number;
}

export interface StepRecord {
  id: string | undefined;
  name: string;
  conclusion: 'success' | 'failure' | 'skipped';
  exitCode: number | null;
  log: string;
}

export interface ActionRun {
  steps: StepRecord[];
  outputs: Record<string, string>;
  /** The job summary (every step's GITHUB_STEP_SUMMARY, in order). */
  summary: string;
  /** Every step's stdout and stderr, in order. */
  log: string;
  /** True when a step failed: the workflow step that uses the action fails. */
  failed: boolean;
  /** The exit code of the step that failed the action (the first failing `run:` step's), else 0. */
  exitCode: number;
  /** The environment files' contents after the run (GITHUB_ENV as exported to later job steps). */
  exportedEnv: Record<string, string>;
}

/** `name=value` and `name<<DELIMITER … DELIMITER` lines (GITHUB_OUTPUT, GITHUB_ENV). */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc !== null) {
      const [, name = '', delimiter = ''] = heredoc;
      const value: string[] = [];
      for (i++; ; i++) {
        if (i >= lines.length) throw new Error(`environment file: no closing ${delimiter} for ${name}`);
        const l = (lines[i] ?? '').replace(/\r$/, '');
        if (l === delimiter) break;
        value.push(l);
      }
      out[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`environment file: bad line '${line}'`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function runBash(script: string, cwd: string, env: Record<string, string>, timeoutMs: number, scratch: string): Promise<{ code: number | null; log: string }> {
  const file = join(scratch, `step-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (log += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`step timed out after ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, log });
    });
  });
}

export async function runAction(action: ActionFile, options: RunActionOptions): Promise<ActionRun> {
  for (const name of Object.keys(options.inputs)) if (!Object.hasOwn(action.inputs, name)) throw new Error(`input '${name}' is not declared in action.yml`);
  const steps = action.runs.steps;
  const knownSteps = new Set(steps.flatMap((s) => (s.id === undefined ? [] : [s.id])));
  const scratch = mkdtempSync(join(options.runnerTemp, '_runner-'));
  const ctx: ExprContext = { inputs: {}, github: options.github, steps: {}, knownSteps, env: { ...options.env }, failed: false, cancelled: false };
  // Defaults may read `github` (not other inputs), so they are evaluated with the inputs still empty.
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    const given = options.inputs[name];
    if (given === undefined && spec.required === true && spec.default === undefined) throw new Error(`input '${name}' is required`);
    inputs[name] = given ?? interpolate(spec.default ?? '', ctx);
  }
  ctx.inputs = inputs;

  let exported: Record<string, string> = {};
  const pathPrepend: string[] = [];
  const records: StepRecord[] = [];
  let summary = '';
  let log = '';
  let exitCode = 0;
  for (const [index, step] of steps.entries()) {
    const name = step.name ?? step.id ?? `step ${index + 1}`;
    const state: StepState = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
    if (!evaluateCondition(step.if, ctx)) {
      if (step.id !== undefined) ctx.steps[step.id] = state;
      records.push({ id: step.id, name, conclusion: 'skipped', exitCode: null, log: '' });
      continue;
    }
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
    let ok: boolean;
    let stepLog: string;
    let code: number | null = null;
    if (step.run !== undefined) {
      if (step.shell !== 'bash') throw new Error(`${name}: only shell: bash is run here (got ${String(step.shell)})`);
      if (step.run.includes('${{')) throw new Error(`${name}: an expression inside run: (pass it through env: instead)`);
      const files = mkdtempSync(join(scratch, 'files-'));
      const outputFile = join(files, 'output');
      const envFile = join(files, 'env');
      const pathFile = join(files, 'path');
      const summaryFile = join(files, 'summary');
      for (const f of [outputFile, envFile, pathFile, summaryFile]) writeFileSync(f, '');
      const base = { ...options.env, ...exported };
      const env: Record<string, string> = {
        ...base,
        PATH: [...pathPrepend, base.PATH ?? ''].join(':'),
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: options.workspace,
        GITHUB_ACTION_PATH: options.actionDir,
        RUNNER_TEMP: options.runnerTemp,
        GITHUB_OUTPUT: outputFile,
        GITHUB_ENV: envFile,
        GITHUB_PATH: pathFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        ...stepEnv,
      };
      const cwd = step['working-directory'] === undefined ? options.workspace : join(options.workspace, interpolate(step['working-directory'], ctx));
      const result = await runBash(step.run, cwd, env, options.stepTimeoutMs ?? 180_000, scratch);
      code = result.code;
      ok = code === 0;
      stepLog = result.log;
      state.outputs = parseEnvironmentFile(readFileSync(outputFile, 'utf8'));
      exported = { ...exported, ...parseEnvironmentFile(readFileSync(envFile, 'utf8')) };
      ctx.env = { ...ctx.env, ...parseEnvironmentFile(readFileSync(envFile, 'utf8')) };
      pathPrepend.unshift(...readFileSync(pathFile, 'utf8').split('\n').filter((l) => l !== '').reverse());
      summary += readFileSync(summaryFile, 'utf8');
    } else if (step.uses !== undefined) {
      const standIn = options.uses[step.uses.replace(/@.*$/, '')];
      if (standIn === undefined) throw new Error(`${name}: no stand-in for ${step.uses}`);
      const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
      const result = await standIn(withInputs, { ...options.env, ...exported, ...stepEnv });
      ok = result.ok;
      stepLog = result.log;
    } else {
      throw new Error(`${name}: neither run: nor uses:`);
    }
    state.outcome = state.conclusion = ok ? 'success' : 'failure';
    if (step.id !== undefined) ctx.steps[step.id] = state;
    if (!ok) {
      ctx.failed = true;
      if (exitCode === 0) exitCode = code ?? 1;
    }
    records.push({ id: step.id, name, conclusion: state.conclusion, exitCode: code, log: stepLog });
    log += stepLog;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, o]) => [k, interpolate(o.value, ctx)]));
  return { steps: records, outputs, summary, log, failed: ctx.failed, exitCode, exportedEnv: exported };
}
