/**
 * The command engine against the real clamscan (its `clamscan` preset, with a test-made database)
 * and against small shell scripts standing in for scanners that crash, hang, flood their output
 * or remediate what they scan.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { memorySample, ScanError, type ScanSample } from '../../src/core/scans/index.ts';
import { createCommandEngine, createInstalledCommandEngine, type CommandEngineOptions } from '../../src/engines/command/command-engine.ts';
import { COMMAND_PRESETS } from '../../src/engines/command/command-presets.ts';
import { fileSample } from '../../src/files/file-sample.ts';
import { CLAMAV_TEST_HASH_SIGNATURE, HASHED_BYTES, markedBytes, writeClamavTestDatabase } from '../support/local-engines.ts';
import { skipUnlessTools } from '../support/tools.ts';
import { engineContract } from './engine-contract.ts';

const skipClamscan = skipUnlessTools('clamscan');
const cleanSample = (): ScanSample => memorySample(Buffer.from('an ordinary file\n'), 'clean.bin');
const flaggedSample = (): ScanSample => memorySample(markedBytes(), 'setup.msi!/bin/app.exe');

/** The clamscan preset on the test database (`-d`), otherwise exactly the preset. */
function clamscanPreset(databaseDir: string, extra: Partial<CommandEngineOptions> = {}): CommandEngineOptions {
  return { ...COMMAND_PRESETS.clamscan, args: ['--no-summary', '-d', databaseDir, '{file}'], ...extra };
}

/** A "scanner" that is a shell script: `sh -c <script> scanner <file>` ($1 is the file). */
function scriptScanner(script: string, extra: Partial<CommandEngineOptions> = {}): CommandEngineOptions {
  return {
    name: 'script',
    engine: 'ScriptAV',
    command: 'sh',
    args: ['-c', script, 'scanner', '{file}'],
    exitCodes: { clean: [0], detected: [1] },
    detectionPattern: /^DETECTED (?<name>\S{1,100})$/,
    timeoutMs: 30_000,
    ...extra,
  };
}

/**
 * Whether a process still runs: a killed child of a killed shell may linger as a zombie until
 * PID 1 reaps it, so /proc's state is read (Linux); polled briefly, as SIGKILL lands asynchronously.
 */
async function stillRunning(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (stat === '' || state === 'Z' || state === 'X') return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

const isConfigError = (pattern: RegExp) => (error: unknown) => error instanceof ScanError && error.code === 'ENGINE_CONFIG_INVALID' && pattern.test(error.message);

engineContract(
  'command engine (clamscan preset, real clamscan)',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'absolve-command-contract-'));
    const db = await writeClamavTestDatabase(join(dir, 'db'));
    return {
      engine: createCommandEngine(clamscanPreset(db)),
      clean: cleanSample(),
      flagged: flaggedSample(),
      flaggedName: /^Absolve\.Test\.Marker\.UNOFFICIAL$/,
      broken: createCommandEngine(scriptScanner('kill -SEGV $$', { name: 'clamscan' })),
      hanging: createCommandEngine(scriptScanner('sleep 300', { name: 'clamscan', timeoutMs: 300 })),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { skip: skipClamscan },
);

describe('command engine with the real clamscan', { skip: skipClamscan }, () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'absolve-command-'));
    db = await writeClamavTestDatabase(join(dir, 'db'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a file and a member in memory flagged by the test signatures: detections with the signature names and the engine version', async () => {
    const engine = createCommandEngine(clamscanPreset(db));
    const path = join(dir, 'flagged.exe');
    await writeFile(path, markedBytes());
    const [onDisk] = await engine.scan(await fileSample(path, 'flagged.exe'), {});
    const [member] = await engine.scan(memorySample(HASHED_BYTES, 'app.zip!/hashed.dll'), {});
    assert.equal(onDisk?.engine, 'ClamAV');
    assert.equal(onDisk?.via, 'command');
    assert.equal(onDisk?.result, 'Absolve.Test.Marker.UNOFFICIAL');
    assert.equal(member?.result, `${CLAMAV_TEST_HASH_SIGNATURE}.UNOFFICIAL`);
    assert.match(onDisk?.engineVersion ?? '', /^\d+\.\d+/);
  });

  test('createInstalledCommandEngine: a scanner that is not installed is a configuration error; an installed one is accepted', async () => {
    await assert.rejects(createInstalledCommandEngine('defender'), isConfigError(/defender: scanner .*MpCmdRun\.exe' is not installed/));
    await assert.rejects(createInstalledCommandEngine('clamscan', { command: 'no-such-scanner-on-path' }), isConfigError(/not installed/));
    assert.equal((await createInstalledCommandEngine('clamscan')).id, 'clamscan');
  });

  test('a missing scanner binary: failure saying so', async () => {
    const [verdict] = await createCommandEngine('clamscan', { command: join(dir, 'no-such-scanner') }).scan(flaggedSample(), {});
    assert.equal(verdict?.category, 'failure');
    assert.match(verdict?.detail ?? '', /not found/);
  });
});

describe('command engine rules', { skip: process.platform === 'win32' ? 'the stand-in scanners are POSIX shell scripts' : false }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'absolve-command-rules-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the scanner gets a private copy: a scanner that deletes what it flags cannot touch the release file', async () => {
    const release = join(dir, 'release.exe');
    await writeFile(release, markedBytes());
    const engine = createCommandEngine(scriptScanner('echo "DETECTED Remediated.Test"; echo "$1" > "$0.seen"; rm -f "$1"; exit 1'.replace('$0.seen', `${dir}/seen`)));
    const [verdict] = await engine.scan(await fileSample(release, 'release.exe'), {});
    assert.equal(verdict?.result, 'Remediated.Test');
    assert.deepEqual(await readFile(release), markedBytes());
    const seen = (await readFile(join(dir, 'seen'), 'utf8')).trim();
    assert.notEqual(seen, release);
    assert.ok(seen.startsWith(join(tmpdir(), 'absolve-scan-')), seen);
  });

  test('exit code "detected" without a name in the output: an unnamed detection, not clean', async () => {
    const [verdict] = await createCommandEngine(scriptScanner('exit 1')).scan(cleanSample(), {});
    assert.equal(verdict?.category, 'malicious');
    assert.match(verdict?.result ?? '', /^detected \(exit code 1; no detection name in the output\)$/);
  });

  test('a detection name in the output wins over a "clean" exit code', async () => {
    const [verdict] = await createCommandEngine(scriptScanner('echo "DETECTED Odd.Scanner"; exit 0')).scan(cleanSample(), {});
    assert.equal(verdict?.category, 'malicious');
    assert.equal(verdict?.result, 'Odd.Scanner');
  });

  test('an undocumented exit code: failure with the code and the scanner\'s error line', async () => {
    const [verdict] = await createCommandEngine(scriptScanner('echo "license error: expired" >&2; exit 7')).scan(cleanSample(), {});
    assert.equal(verdict?.category, 'failure');
    assert.match(verdict?.detail ?? '', /exit code 7: license error: expired/);
  });

  test('cleanPattern: a clean exit code without the confirming line is a failure, with it clean', async () => {
    const needsSummary = { cleanPattern: /^Threats found: 0$/ };
    const [unconfirmed] = await createCommandEngine(scriptScanner('echo "task done"; exit 0', needsSummary)).scan(cleanSample(), {});
    assert.equal(unconfirmed?.category, 'failure');
    const [confirmed] = await createCommandEngine(scriptScanner('echo "Threats found: 0"; exit 0', needsSummary)).scan(cleanSample(), {});
    assert.equal(confirmed?.category, 'undetected');
    const [counted] = await createCommandEngine(scriptScanner('echo "Threats found: 2"; exit 0', { ...needsSummary, detectedPattern: /^Threats found: [1-9]/ })).scan(cleanSample(), {});
    assert.equal(counted?.category, 'malicious');
  });

  test('a flood of output (10 MB on one line, then a detection): bounded, still a verdict', async () => {
    const [verdict] = await createCommandEngine(scriptScanner('head -c 10000000 /dev/zero | tr "\\000" x; echo; exit 1')).scan(cleanSample(), {});
    assert.equal(verdict?.category, 'malicious');
    assert.ok((verdict?.result ?? '').length < 100);
  });

  test('a hanging scanner that started children: timeout, and the whole process group is gone', async () => {
    const pidFile = join(dir, 'child.pid');
    const engine = createCommandEngine(scriptScanner(`sleep 300 & echo $! > ${pidFile}; wait`, { timeoutMs: 500 }));
    const [verdict] = await engine.scan(cleanSample(), {});
    assert.equal(verdict?.category, 'timeout');
    assert.equal(await stillRunning(Number((await readFile(pidFile, 'utf8')).trim())), false);
  });

  test('an abort while the scanner runs: AbortError, the scanner killed', async () => {
    const pidFile = join(dir, 'abort.pid');
    const controller = new AbortController();
    const engine = createCommandEngine(scriptScanner(`echo $$ > ${pidFile}; sleep 300`));
    const scanning = engine.scan(cleanSample(), { signal: controller.signal });
    for (let i = 0; i < 200; i++) {
      if (await readFile(pidFile, 'utf8').then((t) => t.trim() !== '', () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    controller.abort();
    await assert.rejects(scanning, (error: Error) => error.name === 'AbortError');
    assert.equal(await stillRunning(Number((await readFile(pidFile, 'utf8')).trim())), false);
  });

  test('credentials in the environment are not passed to the scanner', async () => {
    process.env.VT_API_KEY = 'secret-test-key';
    try {
      const [verdict] = await createCommandEngine(scriptScanner('echo "DETECTED key=${VT_API_KEY:-absent}"; exit 1')).scan(cleanSample(), {});
      assert.equal(verdict?.result, 'key=absent');
    } finally {
      delete process.env.VT_API_KEY;
    }
  });

  test('invalid configurations: ENGINE_CONFIG_INVALID before any scan', () => {
    assert.throws(() => createCommandEngine('no-such-preset' as 'defender'), isConfigError(/no command scanner preset/));
    assert.throws(() => createCommandEngine(scriptScanner('exit 0', { args: ['-c', 'true'] })), isConfigError(/\{file\} placeholder/));
    assert.throws(() => createCommandEngine(scriptScanner('exit 0', { detectionPattern: '^FOUND (\\S+)$' })), isConfigError(/named group/));
    assert.throws(() => createCommandEngine(scriptScanner('exit 0', { detectionPattern: '^(?<name>(a+)+)$' })), isConfigError(/backtrack/));
    assert.throws(() => createCommandEngine(scriptScanner('exit 0', { detectionPattern: '^(?<name>[' })), isConfigError(/not a valid regular expression/));
    assert.throws(() => createCommandEngine(scriptScanner('exit 0', { exitCodes: { clean: [0], detected: [0] } })), isConfigError(/both clean and detected/));
    assert.throws(() => createCommandEngine(scriptScanner('exit 0', { name: 'Bad Name' })), isConfigError(/lowercase/));
  });

  test('every preset is a valid configuration, and its pattern reads its documented detection line', () => {
    const examples: Record<string, [string, string]> = {
      defender: ['Threat                  : Virus:DOS/EICAR_Test_File', 'Virus:DOS/EICAR_Test_File'],
      eset: ['name="C:\\temp\\eicar.com", threat="Eicar test file", action="retained", info=""', 'Eicar test file'],
      sophos: [">>> Virus 'EICAR-AV-Test' found in file /tmp/eicar.com", 'EICAR-AV-Test'],
      kaspersky: ['Threat name: EICAR-Test-File', 'EICAR-Test-File'],
      clamscan: ['/tmp/x: Win.Test.EICAR_HDB-1 FOUND', 'Win.Test.EICAR_HDB-1'],
    };
    for (const [name, preset] of Object.entries(COMMAND_PRESETS)) {
      assert.equal(createCommandEngine(preset).id, name);
      const [line, expected] = examples[name] ?? ['', ''];
      const pattern = typeof preset.detectionPattern === 'string' ? new RegExp(preset.detectionPattern) : preset.detectionPattern;
      assert.equal(pattern.exec(line)?.groups?.name, expected, name);
    }
    // ESET prints clean files as threat="is OK" when it logs every file: not a detection.
    const eset = COMMAND_PRESETS.eset.detectionPattern as RegExp;
    assert.equal(eset.exec('name="C:\\a.exe", threat="is OK", action="", info=""'), null);
  });
});
