/** Runs `absolve` as a user does (a child process through src/app/cli-entry.ts) and builds release folders from fixtures. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { peFixtures, pki, repoRoot } from '../support/fixtures.ts';

export const cliEntry = join(repoRoot, 'src', 'app', 'cli-entry.ts');
/** tsx resolved from the repository, so a child may run in any folder. */
const tsxLoader = import.meta.resolve('tsx');

/** Both test roots: files signed by certificate A (ca.crt) and B (ca-b.crt) verify as valid. */
export const TRUST_BOTH = ['--trust', join(pki, 'ca.crt'), '--trust', join(pki, 'ca-b.crt')];
/** A fixed verification time, so reports do not depend on the day the tests run. */
export const AT = ['--at', '2026-06-01T00:00:00Z'];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child: no ABSOLVE_DB/ABSOLVE_BLOBS from the caller, no colours. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.ABSOLVE_DB;
  delete env.ABSOLVE_BLOBS;
  return { ...env, ...extra };
}

export function absolve(args: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, cliEntry, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: childEnv(options.env),
    maxBuffer: 256 * 1024 * 1024,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command that must succeed with --format json and returns its parsed output. */
export function absolveJSON<T>(args: readonly string[], options: { cwd?: string } = {}): T {
  const r = absolve([...args, '--format', 'json'], options);
  if (r.code !== 0) throw new Error(`absolve ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * Like `absolve`, without blocking the test's event loop: needed when the test process itself
 * serves what the child talks to (a local VirusTotal server, a webhook receiver).
 */
export function absolveAsync(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, ...args], { cwd: options.cwd ?? repoRoot, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function spawnAbsolve(args: readonly string[], options: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', tsxLoader, cliEntry, ...args], { cwd: options.cwd ?? repoRoot, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `absolve serve` as a child process: resolves once it prints the address it serves; `stop` sends SIGTERM and returns its exit code. */
export async function startServe(args: readonly string[], options: { cwd?: string } = {}): Promise<{ url: string; stderr: () => string; stop: () => Promise<number | null> }> {
  const child = spawnAbsolve(['serve', ...args], options);
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const stop = async (): Promise<number | null> => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return exited;
  };
  return { url, stderr: () => stderr, stop };
}

/** A release folder: release path → a PE fixture name, or `{ text }` for a plain file, or `{ fixture, overlay }` for a fixture with bytes appended (a distinct hash). */
export type ReleaseLayout = Record<string, string | { text: string } | { fixture: string; overlay: string } | { file: string }>;

export function buildRelease(dir: string, layout: ReleaseLayout): string {
  for (const [path, what] of Object.entries(layout)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof what === 'string') copyFileSync(join(peFixtures, what), target);
    else if ('text' in what) writeFileSync(target, what.text);
    else if ('file' in what) copyFileSync(what.file, target);
    else writeFileSync(target, Buffer.concat([readFileSync(join(peFixtures, what.fixture)), Buffer.from(what.overlay)]));
  }
  return dir;
}
