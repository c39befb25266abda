/**
 * `npm run bench`: Absolve's audit against two references over the same bytes, as ratios
 * (never as timed assertions):
 *   - `openssl dgst -sha256` over every file (the hashing floor: one read and one digest);
 *   - `osslsigncode verify` run once per file (what a publisher would script today).
 * The corpus has the shape of issue 14's measurements (336 MB: 10 PEs of 32 MiB whose `.rdata` is random bytes,
 * so entropy and hashing see real data rather than zeros, and 1,000 small PEs; half of each signed) and is
 * generated once into bench/.work/ (the PE builder of the tests, osslsigncode for the signatures).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPE } from '../test/formats/pe/pe-builder.ts';

const root = resolve(import.meta.dirname, '..');
const work = join(root, 'bench', '.work');
const corpus = join(work, 'pe-corpus-v2');
const largeDir = join(corpus, 'large');
const smallDir = join(corpus, 'small');
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
  const marker = join(work, 'pe-corpus-v2.complete');
  if (existsSync(marker)) return;
  rmSync(corpus, { recursive: true, force: true });
  mkdirSync(largeDir, { recursive: true });
  mkdirSync(smallDir, { recursive: true });
  const tmp = join(work, 'tmp.exe');
  // 10 large PEs: a small .text and a 32 MiB .rdata of random bytes; even-numbered ones signed.
  for (let i = 0; i < 10; i++) {
    const pe = buildPE({ bits: 64, sections: [{ name: '.text', data: randomBytes(4096) }, { name: '.rdata', data: randomBytes(32 * MiB) }] }).bytes;
    const target = join(largeDir, `large-${i}.exe`);
    if (i % 2 === 0) {
      writeFileSync(tmp, pe);
      sign(tmp, target);
    } else {
      writeFileSync(target, pe);
    }
  }
  // 1,000 small PEs: half signed (a real image plus a per-file overlay, so every hash differs), half copies of
  // the committed fixtures (signed and unsigned).
  const base = join(fixtures, 'app-x64-gui.exe');
  const small = ['signed-sha256.exe', 'signed-dual.exe', 'signed-ecdsa.exe', 'signed-sha512.dll', 'app-x64-console.exe', 'lib-x86.dll'];
  for (let i = 0; i < 1000; i++) {
    const target = join(smallDir, `small-${String(i).padStart(4, '0')}.exe`);
    if (i % 2 === 0) {
      writeFileSync(tmp, Buffer.concat([readFileSync(base), randomBytes(4 * 1024 + ((i * 7919) % (28 * 1024)))]));
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

/** A ≥ 200 MB MSI (wixl) whose payload is a large PE, and a ZIP of 2,000 small PEs (python3 zipfile). */
function buildContainerCorpus(): { msi: string; zip: string } {
  const dir = join(work, 'containers');
  const msi = join(dir, 'big.msi');
  const zip = join(dir, 'many-pes.zip');
  if (existsSync(msi) && existsSync(zip)) return { msi, zip };
  rmSync(dir, { recursive: true, force: true });
  const payload = join(dir, 'payload');
  mkdirSync(payload, { recursive: true });
  writeFileSync(join(payload, 'app.exe'), Buffer.concat([readFileSync(join(fixtures, 'app-x64-gui.exe')), randomBytes(210 * MiB)]));
  copyFileSync(join(fixtures, 'signed-sha512.dll'), join(payload, 'lib.dll'));
  writeFileSync(
    join(dir, 'big.wxs'),
    `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="12345678-1234-1234-1234-123456789012" Name="Bench" Language="1033" Version="1.0.0" Manufacturer="Contoso Ltd" UpgradeCode="12345678-1234-1234-1234-123456789013">
    <Package Id="12345678-1234-1234-1234-1234567890AA" InstallerVersion="200" Compressed="yes" InstallScope="perMachine" />
    <Media Id="1" Cabinet="app.cab" EmbedCab="yes" />
    <Directory Id="TARGETDIR" Name="SourceDir"><Directory Id="ProgramFiles64Folder"><Directory Id="INSTALLDIR" Name="Bench">
      <Component Id="AppExe" Guid="12345678-1234-1234-1234-123456789014" Win64="yes"><File Id="app.exe" Name="app.exe" Source="app.exe" KeyPath="yes" /></Component>
      <Component Id="LibDll" Guid="12345678-1234-1234-1234-123456789015" Win64="yes"><File Id="lib.dll" Name="lib.dll" Source="lib.dll" KeyPath="yes" /></Component>
    </Directory></Directory></Directory>
    <Feature Id="Main" Level="1"><ComponentRef Id="AppExe" /><ComponentRef Id="LibDll" /></Feature>
  </Product>
</Wix>`,
  );
  execFileSync('wixl', ['-a', 'x64', '-o', msi, join(dir, 'big.wxs')], { cwd: payload, stdio: 'inherit' });
  const script = `
import zipfile, os, sys
names = ['signed-sha256.exe', 'signed-dual.exe', 'app-x64-console.exe', 'lib-x86.dll', 'signed-ecdsa.exe']
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for i in range(2000):
        name = names[i % len(names)]
        data = open(os.path.join(sys.argv[2], name), 'rb').read() + i.to_bytes(4, 'little') * 64
        z.writestr('bin/%04d-%s' % (i, name), data)
`;
  execFileSync('python3', ['-c', script, zip, fixtures], { stdio: 'inherit' });
  rmSync(payload, { recursive: true, force: true });
  return { msi, zip };
}

function benchContainers(): void {
  for (const tool of ['wixl', '7zz', 'python3']) {
    if (!have(tool)) {
      console.log(`\ncontainers: skipped (needs ${tool})`);
      return;
    }
  }
  const { msi, zip } = buildContainerCorpus();
  for (const file of [msi, zip]) {
    const mb = statSync(file).size / MiB;
    const sevenZip = (): void => {
      execFileSync('7zz', ['t', file], { stdio: 'ignore' });
    };
    const absolve = (): void => {
      const r = spawnSync(process.execPath, [join(root, 'dist', 'app', 'cli-entry.js'), 'audit', file, '--format', 'json', '--output', join(work, 'containers-report.json'), '--trust', join(pki, 'ca.crt'), '--no-progress'], { stdio: 'inherit' });
      if (r.status !== 0 && r.status !== 1) throw new Error(`absolve exited ${r.status}`);
    };
    sevenZip();
    const t7: number[] = [];
    const ta: number[] = [];
    for (let i = 0; i < runs; i++) {
      t7.push(time(sevenZip));
      ta.push(time(absolve));
    }
    console.log(`\n${file.split('/').pop()} (${mb.toFixed(0)} MiB), medians of ${runs} runs:`);
    console.log(`  7zz t (decompress + CRC)            ${median(t7).toFixed(2)} s`);
    console.log(`  absolve audit (members audited)     ${median(ta).toFixed(2)} s   = ${(median(ta) / median(t7)).toFixed(2)}× 7-Zip's test pass`);
  }
}

/**
 * `absolve --version` and `--help` as a user starts them (bin/absolve.js), next to a bare `node -e ''`: wall time,
 * and CPU time (user + system, from /usr/bin/time when present), which a busy machine inflates far less.
 */
function benchStartup(): void {
  const startupRuns = Math.max(runs, 10);
  const withTime = existsSync('/usr/bin/time');
  const measure = (args: string[]): { wall: number; cpu: number } => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < startupRuns; i++) {
      wall.push(
        time(() => {
          const r = withTime ? spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] }) : spawnSync(process.execPath, args, { stdio: 'ignore' });
          if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
          const [user, system] = (typeof r.stderr === 'string' ? r.stderr.trim().split('\n').at(-1) ?? '' : '').split(' ').map(Number);
          cpu.push((user ?? 0) + (system ?? 0));
        }),
      );
    }
    return { wall: median(wall), cpu: median(cpu) };
  };
  const bin = join(root, 'bin', 'absolve.js');
  const bare = measure(['-e', '']);
  const line = (label: string, r: { wall: number; cpu: number }, target: string): string =>
    `  ${label.padEnd(35)}${r.wall.toFixed(3)} s wall${withTime ? `, ${r.cpu.toFixed(2)} s CPU` : ''}${target}`;
  console.log(`\nstart-up, medians of ${startupRuns} runs:`);
  console.log(line("node -e ''", bare, ''));
  for (const flag of ['--version', '--help']) {
    const r = measure([bin, flag]);
    console.log(line(`absolve ${flag}`, r, `   (target ≤ 0.1 s; ${(r.wall - bare.wall).toFixed(3)} s above bare Node)`));
  }
}

function main(): void {
  if (!existsSync(join(root, 'dist', 'app', 'cli-entry.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  benchStartup();
  if (process.env.BENCH_ONLY_STARTUP !== undefined) return;
  for (const tool of ['openssl', 'osslsigncode']) {
    if (!have(tool)) {
      console.error(`bench: needs ${tool} (apt-get install ${tool})`);
      process.exit(2);
    }
  }
  mkdirSync(work, { recursive: true });
  console.log('bench: preparing corpus in bench/.work/ (the first run builds 336 MiB and signs 505 files with osslsigncode)…');
  buildCorpus();
  const largeFiles = listFiles(largeDir);
  const smallFiles = listFiles(smallDir);
  const files = [...largeFiles, ...smallFiles];
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`corpus: ${files.length} files, ${(bytes / MiB).toFixed(0)} MiB (${largeFiles.length} large, ${smallFiles.length} small); machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`);

  const opensslRun = (): void => {
    execFileSync('xargs', ['-0', 'openssl', 'dgst', '-sha256'], { input: files.join('\0'), stdio: ['pipe', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  };
  const absolveRun = (dir: string) => (): void => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'absolve.js'), 'audit', dir, '--format', 'json', '--output', join(work, 'report.json'), '--trust', join(pki, 'ca.crt'), '--no-progress'], { stdio: 'inherit' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`absolve exited ${r.status}`);
  };
  const osslRun = (): void => {
    for (const f of smallFiles) spawnSync('osslsigncode', ['verify', '-in', f, '-CAfile', join(pki, 'ca.crt')], { stdio: 'ignore' });
  };
  // Warm the page cache once so every contender reads from memory.
  opensslRun();
  const results: Record<'openssl' | 'absolve' | 'absolveSmall' | 'osslsigncode', number[]> = { openssl: [], absolve: [], absolveSmall: [], osslsigncode: [] };
  // A/B pairs: each contender runs right after the other, so a change in the machine's load hits both.
  for (let i = 0; i < runs; i++) {
    results.openssl.push(time(opensslRun));
    results.absolve.push(time(absolveRun(corpus)));
    results.absolveSmall.push(time(absolveRun(smallDir)));
    results.osslsigncode.push(time(osslRun));
  }
  const m = { openssl: median(results.openssl), absolve: median(results.absolve), absolveSmall: median(results.absolveSmall), osslsigncode: median(results.osslsigncode) };
  console.log(`\naudit of the whole corpus, ${files.length} PEs (${(bytes / MiB).toFixed(0)} MiB), medians of ${runs} runs:`);
  console.log(`  openssl dgst -sha256 (all files)   ${m.openssl.toFixed(2)} s`);
  console.log(`  absolve audit                      ${m.absolve.toFixed(2)} s   = ${(m.absolve / m.openssl).toFixed(2)}× the openssl hashing pass (target ≤ 1.5×)`);
  console.log(`\n${smallFiles.length} small PEs, medians of ${runs} runs:`);
  console.log(`  osslsigncode verify (per file)     ${m.osslsigncode.toFixed(2)} s`);
  console.log(`  absolve audit                      ${m.absolveSmall.toFixed(2)} s   = absolve is ${(m.osslsigncode / m.absolveSmall).toFixed(1)}× faster (target ≥ 10×)`);
  if (process.env.BENCH_SKIP_CONTAINERS === undefined) benchContainers();
}

main();
if (process.env.BENCH_ONLY_STARTUP === undefined && process.env.BENCH_SKIP_RELEASES === undefined) await (await import('./releases.ts')).benchReleases();
if (process.env.BENCH_ONLY_STARTUP === undefined) await (await import('./scan-quota.ts')).benchScanQuota();
// The service under load (issue 10): small by default (`--scale 0.01`, 630 k verdict rows); `npm run bench -- --scale 1` for 63 M.
if (process.env.BENCH_ONLY_STARTUP === undefined && process.env.BENCH_SKIP_LOAD === undefined) await (await import('./load.ts')).benchLoad(process.argv.slice(2));
