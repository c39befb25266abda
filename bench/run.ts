/**
 * `npm run bench`: Absolve's audit against two references over the same bytes, as ratios
 * (never as timed assertions):
 *   - `openssl dgst -sha256` over every file (the hashing floor: one read and one digest);
 *   - `osslsigncode verify` run once per file (what a publisher would script today).
 * The corpus (≥ 300 MB: a few large signed PEs with big overlays, many small signed and
 * unsigned PEs) is generated once into bench/.work/ from the committed fixtures.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = join(root, 'bench', '.work');
const corpus = join(work, 'pe-corpus');
const pki = join(root, 'test', 'fixtures', 'pki');
const fixtures = join(root, 'test', 'fixtures', 'pe');
const MiB = 1024 * 1024;
const runs = Number(process.env.BENCH_RUNS ?? 3);

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

function sign(input: string, output: string): void {
  execFileSync('osslsigncode', ['sign', '-certs', join(pki, 'codesign-rsa.crt'), '-ac', join(pki, 'ca.crt'), '-key', join(pki, 'codesign-rsa.key'), '-h', 'sha256', '-in', input, '-out', output], { stdio: 'ignore' });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).sort().map((n) => join(dir, n));
}

function buildCorpus(): void {
  const marker = join(corpus, '.complete');
  if (existsSync(marker)) return;
  rmSync(corpus, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  const base = join(fixtures, 'app-x64-gui.exe');
  const tmp = join(work, 'tmp.exe');
  // A few large signed PEs: a real image followed by a large overlay (installer-like payloads).
  for (const [i, sizeMiB] of [96, 64, 48, 32].entries()) {
    const body = Buffer.concat([Buffer.from(execFileSync('cat', [base])), randomBytes(sizeMiB * MiB)]);
    writeFileSync(tmp, body);
    sign(tmp, join(corpus, `large-${i}.exe`));
  }
  // Many small PEs: half signed with a per-file overlay (distinct hashes), half plain fixture copies.
  const small = ['signed-sha256.exe', 'signed-dual.exe', 'signed-ecdsa.exe', 'signed-sha512.dll', 'app-x64-console.exe', 'lib-x86.dll'];
  for (let i = 0; i < 600; i++) {
    const target = join(corpus, `small-${String(i).padStart(4, '0')}.exe`);
    if (i % 2 === 0) {
      writeFileSync(tmp, Buffer.concat([Buffer.from(execFileSync('cat', [base])), randomBytes(64 * 1024 + ((i * 7919) % (128 * 1024)))]));
      sign(tmp, target);
    } else {
      copyFileSync(join(fixtures, small[i % small.length] ?? 'signed-sha256.exe'), target);
    }
  }
  rmSync(tmp, { force: true });
  writeFileSync(marker, '');
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function main(): void {
  for (const tool of ['openssl', 'osslsigncode']) {
    if (!have(tool)) {
      console.error(`bench: needs ${tool} (apt-get install ${tool})`);
      process.exit(2);
    }
  }
  if (!existsSync(join(root, 'dist', 'app', 'cli-entry.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  mkdirSync(work, { recursive: true });
  console.log('bench: preparing corpus in bench/.work/ (first run signs ~300 files with osslsigncode)…');
  buildCorpus();
  const files = listFiles(corpus).filter((f) => !f.endsWith('.complete'));
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`corpus: ${files.length} files, ${(bytes / MiB).toFixed(0)} MiB; machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`);

  const opensslRun = (): void => {
    execFileSync('xargs', ['-0', 'openssl', 'dgst', '-sha256'], { input: files.join('\0'), stdio: ['pipe', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  };
  const absolveRun = (): void => {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'app', 'cli-entry.js'), 'audit', corpus, '--format', 'json', '--output', join(work, 'report.json'), '--trust', join(pki, 'ca.crt'), '--no-progress'], { stdio: 'inherit' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`absolve exited ${r.status}`);
  };
  const osslRun = (): void => {
    for (const f of files) spawnSync('osslsigncode', ['verify', '-in', f, '-CAfile', join(pki, 'ca.crt')], { stdio: 'ignore' });
  };
  // Warm the page cache once so every contender reads from memory.
  opensslRun();
  const results: Record<string, number[]> = { openssl: [], absolve: [], osslsigncode: [] };
  for (let i = 0; i < runs; i++) {
    results.openssl?.push(time(opensslRun));
    results.absolve?.push(time(absolveRun));
    results.osslsigncode?.push(time(osslRun));
  }
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<'openssl' | 'absolve' | 'osslsigncode', number>;
  console.log(`\naudit of ${files.length} PEs (${(bytes / MiB).toFixed(0)} MiB), medians of ${runs} runs:`);
  console.log(`  openssl dgst -sha256 (all files)   ${m.openssl.toFixed(2)} s`);
  console.log(`  absolve audit                      ${m.absolve.toFixed(2)} s   = ${(m.absolve / m.openssl).toFixed(2)}× the openssl hashing pass (target ≤ 1.5×)`);
  console.log(`  osslsigncode verify (per file)     ${m.osslsigncode.toFixed(2)} s   = absolve is ${(m.osslsigncode / m.absolve).toFixed(1)}× faster (target ≥ 10×)`);
}

main();
