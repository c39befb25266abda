/**
 * ClamAV adapters against the real clamd and clamscan (Debian packages clamav, clamav-daemon;
 * installed by .ci/run) with a signature database written by the test: no freshclam, no network.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { watch } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { memorySample, ScanError, type ScanSample } from '../../src/core/scans/index.ts';
import { createClamavEngine } from '../../src/engines/clamav/clamav-engine.ts';
import { parseClamavVersion, parseClamdScanReply } from '../../src/engines/clamav/clamav-replies.ts';
import { createClamdEngine, parseClamdAddress } from '../../src/engines/clamav/clamd-engine.ts';
import { createClamscanEngine } from '../../src/engines/clamav/clamscan-engine.ts';
import { fileSample } from '../../src/files/file-sample.ts';
import {
  CLAMAV_TEST_HASH_SIGNATURE,
  freePort,
  HASHED_BYTES,
  markedBytes,
  startTestClamd,
  writeClamavTestDatabase,
  type TestClamd,
} from '../support/local-engines.ts';
import { skipUnlessTools } from '../support/tools.ts';
import { engineContract } from './engine-contract.ts';

const skipClamd = skipUnlessTools('clamd', 'clamscan');
const skipClamscan = skipUnlessTools('clamscan');
const cleanSample = (): ScanSample => memorySample(Buffer.from('an ordinary file that no signature matches\n'), 'clean.bin');
const flaggedSample = (): ScanSample => memorySample(markedBytes(), 'setup.msi!/bin/app.exe');
const FLAGGED_NAME = /^Absolve\.Test\.Marker(\.UNOFFICIAL)?$/;

/** A Unix socket that accepts connections and never answers (a hung clamd). */
async function silentServer(path: string): Promise<{ server: Server; close: () => Promise<void> }> {
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const close = async (): Promise<void> => {
    for (const socket of connections) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, close };
}

engineContract(
  'ClamAV over clamd (INSTREAM, Unix socket)',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'absolve-clamd-contract-'));
    const clamd = await startTestClamd(dir);
    const silent = await silentServer(join(dir, 'silent.sock'));
    return {
      engine: createClamdEngine({ address: clamd.socket }),
      clean: cleanSample(),
      flagged: flaggedSample(),
      flaggedName: FLAGGED_NAME,
      broken: createClamdEngine({ address: join(dir, 'no-clamd-here.sock') }),
      hanging: createClamdEngine({ address: join(dir, 'silent.sock'), timeoutMs: 300 }),
      close: async () => {
        await silent.close();
        await clamd.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { skip: skipClamd },
);

engineContract(
  'ClamAV over clamscan',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'absolve-clamscan-contract-'));
    const databaseDir = await writeClamavTestDatabase(join(dir, 'db'));
    const hang = join(dir, 'hanging-clamscan');
    await writeFile(hang, '#!/bin/sh\nsleep 300\n');
    await chmod(hang, 0o755);
    return {
      engine: createClamscanEngine({ databaseDir }),
      clean: cleanSample(),
      flagged: flaggedSample(),
      flaggedName: FLAGGED_NAME,
      broken: createClamscanEngine({ databaseDir, clamscanPath: join(dir, 'no-such-clamscan') }),
      hanging: createClamscanEngine({ databaseDir, clamscanPath: hang, timeoutMs: 300 }),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { skip: skipClamscan },
);

describe('ClamAV over a real clamd', { skip: skipClamd }, () => {
  let dir: string;
  let clamd: TestClamd;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'absolve-clamd-'));
    // A 1 MiB StreamMaxLength so the size-limit refusal can be shown with a small sample.
    clamd = await startTestClamd(dir, { streamMaxLength: '1M', tcp: true });
  });
  after(async () => {
    await clamd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a file matching the test signature is reported with the signature name, over the socket and over TCP', async () => {
    const path = join(dir, 'flagged.exe');
    await writeFile(path, markedBytes());
    for (const address of [clamd.socket, clamd.tcp ?? '']) {
      const [verdict] = await createClamdEngine({ address }).scan(await fileSample(path, 'flagged.exe'), {});
      assert.equal(verdict?.engine, 'ClamAV');
      assert.equal(verdict?.category, 'malicious');
      assert.equal(verdict?.result, 'Absolve.Test.Marker.UNOFFICIAL');
      assert.equal(verdict?.classification?.engine, 'ClamAV');
    }
  });

  test('an MD5 (.hdb) signature flags exactly that file, streamed from memory', async () => {
    const [verdict] = await createClamdEngine({ address: clamd.socket }).scan(memorySample(HASHED_BYTES, 'a.zip!/hashed.dll'), {});
    assert.equal(verdict?.result, `${CLAMAV_TEST_HASH_SIGNATURE}.UNOFFICIAL`);
  });

  test('the marker past the first INSTREAM chunks is still found (the sample is streamed in many chunks)', async () => {
    const bytes = Buffer.concat([Buffer.alloc(700 * 1024, 0x41), markedBytes()]);
    const [verdict] = await createClamdEngine({ address: clamd.socket }).scan(memorySample(bytes, 'big.bin'), {});
    assert.equal(verdict?.category, 'malicious');
  });

  test('a sample over StreamMaxLength: failure naming the limit, never clean', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 0x42);
    const [verdict] = await createClamdEngine({ address: clamd.socket }).scan(memorySample(bytes, 'huge.bin'), {});
    assert.equal(verdict?.category, 'failure');
    assert.match(verdict?.detail ?? '', /StreamMaxLength/);
  });

  test('the verdict carries the engine version clamd reports (VERSION)', async () => {
    const version = spawnSync('clamd', ['--version'], { encoding: 'utf8' }).stdout.trim(); // e.g. "ClamAV 1.4.6"
    const [verdict] = await createClamdEngine({ address: clamd.socket }).scan(cleanSample(), {});
    assert.equal(verdict?.category, 'undetected');
    assert.equal(`ClamAV ${verdict?.engineVersion}`, version.split('/')[0]);
  });

  test('an empty sample is scanned (no zero-length chunk ends the stream early)', async () => {
    const [verdict] = await createClamdEngine({ address: clamd.socket }).scan(memorySample(new Uint8Array(0), 'empty'), {});
    assert.equal(verdict?.category, 'undetected');
  });

  test('createClamavEngine picks clamd when a default socket answers, clamscan otherwise', async () => {
    const viaDefault = await createClamavEngine({ defaultSockets: [join(dir, 'missing.sock'), clamd.socket] });
    const [hit] = await viaDefault.scan(flaggedSample(), {});
    assert.match(hit?.result ?? '', FLAGGED_NAME);
    // No clamd anywhere: clamscan; here with the test database.
    const fallback = await createClamavEngine({ defaultSockets: [join(dir, 'missing.sock')], databaseDir: await writeClamavTestDatabase(join(dir, 'fallback-db')) });
    assert.match((await fallback.scan(flaggedSample(), {}))[0]?.result ?? '', FLAGGED_NAME);
    // Neither a clamd nor clamscan: a configuration error before anything is scanned.
    await assert.rejects(
      createClamavEngine({ defaultSockets: [join(dir, 'missing.sock')], clamscanPath: join(dir, 'no-such-clamscan') }),
      (error: unknown) => error instanceof ScanError && error.code === 'ENGINE_CONFIG_INVALID' && /no clamd answers on .* is not installed/.test(error.message),
    );
  });
});

describe('ClamAV over clamscan', { skip: skipClamscan }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'absolve-clamscan-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a custom database directory (--clamav-db): the file and a member in memory are reported with the signature name', async () => {
    const engine = await createClamavEngine({ databaseDir: await writeClamavTestDatabase(join(dir, 'db')) });
    const path = join(dir, 'flagged.exe');
    await writeFile(path, markedBytes());
    const [onDisk] = await engine.scan(await fileSample(path, 'flagged.exe'), {});
    const [inMemory] = await engine.scan(memorySample(HASHED_BYTES, 'setup.msi!/hashed.dll'), {});
    assert.equal(onDisk?.result, 'Absolve.Test.Marker.UNOFFICIAL');
    assert.equal(inMemory?.result, `${CLAMAV_TEST_HASH_SIGNATURE}.UNOFFICIAL`);
  });

  test('a file whose name holds a newline is scanned through a private copy (clamscan reports line by line)', async () => {
    const engine = createClamscanEngine({ databaseDir: await writeClamavTestDatabase(join(dir, 'db3')) });
    const path = join(dir, 'evil\nname.exe: OK');
    await writeFile(path, markedBytes());
    const [verdict] = await engine.scan(await fileSample(path, 'evil name.exe'), {});
    assert.equal(verdict?.result, 'Absolve.Test.Marker.UNOFFICIAL');
  });

  test('the temporary copy of a member is removed afterwards', async () => {
    // A temporary folder of its own (os.tmpdir() reads TMPDIR on each call): other test files scanning at the same
    // time write their own copies in the shared one.
    const privateTmp = join(dir, 'tmp');
    await mkdir(privateTmp);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    const created: string[] = [];
    const watcher = watch(privateTmp, (_event, name) => void (name !== null && created.push(name)));
    try {
      assert.equal(tmpdir(), privateTmp);
      const engine = createClamscanEngine({ databaseDir: await writeClamavTestDatabase(join(dir, 'db2')) });
      const [verdict] = await engine.scan(flaggedSample(), {});
      assert.equal(verdict?.category, 'malicious', 'the member was scanned (through its copy)');
    } finally {
      watcher.close();
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    assert.ok(created.some((name) => name.startsWith('absolve-scan-')), `the copy was made here (${created.join(', ')})`);
    assert.deepEqual(await readdir(privateTmp), []);
  });

  test('a database directory that does not load: failure with clamscan\'s reason', async () => {
    const bad = join(dir, 'bad-db');
    await writeClamavTestDatabase(bad);
    await writeFile(join(bad, 'broken.ndb'), 'not a signature line\n');
    const [verdict] = await createClamscanEngine({ databaseDir: bad }).scan(flaggedSample(), {});
    assert.equal(verdict?.category, 'failure');
    assert.match(verdict?.detail ?? '', /clamscan failed: .*(error|malformed)/i);
  });

  test('a crashing clamscan (killed by a signal): failure, never clean', async () => {
    const crash = join(dir, 'crashing-clamscan');
    await writeFile(crash, '#!/bin/sh\nkill -SEGV $$\n');
    await chmod(crash, 0o755);
    const [verdict] = await createClamscanEngine({ clamscanPath: crash }).scan(cleanSample(), {});
    assert.equal(verdict?.category, 'failure');
    assert.match(verdict?.detail ?? '', /crashed \(SIGSEGV\)/);
  });

  test('the version and database date as clamscan --version prints them (header of a daily database)', async () => {
    // A database directory whose daily.cvd holds only a header: enough for `--version`, which reads no signatures.
    const headerOnly = join(dir, 'header-only');
    await writeClamavTestDatabase(headerOnly);
    const header = 'ClamAV-VDB:04 Dec 2026 09-00 +0000:27000:1:90:00000000000000000000000000000000:X:absolve:1796374800';
    await writeFile(join(headerOnly, 'daily.cvd'), header.padEnd(512, ' '));
    const printed = spawnSync('clamscan', ['--version', '-d', headerOnly], { encoding: 'utf8' }).stdout;
    const version = parseClamavVersion(printed);
    assert.match(version?.engineVersion ?? '', /^\d+\.\d+\.\d+[^/]*\/27000$/);
    // The header's build time (1796374800 s) in the local time zone of this machine, without an offset.
    const local = new Date(1796374800 * 1000);
    const pad = (n: number): string => String(n).padStart(2, '0');
    const expected = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`;
    assert.equal(version?.definitionsDate, expected);
  });
});

describe('clamd streaming with backpressure', () => {
  let dir: string;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'absolve-clamd-stream-'));
    silent = await silentServer(join(dir, 'silent.sock'));
  });
  after(async () => {
    await silent.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A 4 GiB sample made lazily, 1 MiB per chunk, counting how many chunks were asked for. */
  function countingSample(): { sample: ScanSample; pulled: () => number } {
    let pulled = 0;
    const chunk = Buffer.alloc(1024 * 1024, 0x43);
    return {
      pulled: () => pulled,
      sample: {
        sha256: '0'.repeat(64),
        size: 4096 * chunk.length,
        displayName: 'huge.bin',
        // eslint-disable-next-line @typescript-eslint/require-await -- chunks made in memory need no wait
        async *stream() {
          for (let i = 0; i < 4096; i++) {
            pulled++;
            yield chunk;
          }
        },
      },
    };
  }

  test('a clamd that stops reading: the sample is read only as fast as the socket drains (bounded memory), then timeout', async () => {
    const { sample, pulled } = countingSample();
    const [verdict] = await createClamdEngine({ address: join(dir, 'silent.sock'), timeoutMs: 500 }).scan(sample, {});
    assert.equal(verdict?.category, 'timeout');
    // 4 096 chunks were available; only what fits in the socket buffers was read.
    assert.ok(pulled() <= 8, `pulled ${pulled()} MiB`);
  });

  test('an abort mid-stream rejects with AbortError', async () => {
    const controller = new AbortController();
    const scanning = createClamdEngine({ address: join(dir, 'silent.sock') }).scan(countingSample().sample, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(scanning, (error: Error) => error.name === 'AbortError');
  });
});

describe('ClamAV replies and addresses', () => {
  test('clamd replies map to clean, found (without ExtendedDetectionInfo hashes) and errors', () => {
    assert.deepEqual(parseClamdScanReply('stream: OK\0'), { kind: 'clean' });
    assert.deepEqual(parseClamdScanReply('stream: Win.Test.EICAR_HDB-1 FOUND\0'), { kind: 'found', name: 'Win.Test.EICAR_HDB-1' });
    assert.deepEqual(parseClamdScanReply('stream: Win.Test.EICAR_HDB-1(44d88612fea8a8f36de82e1278abb02f:68) FOUND\0'), { kind: 'found', name: 'Win.Test.EICAR_HDB-1' });
    assert.deepEqual(parseClamdScanReply('INSTREAM size limit exceeded. ERROR\0'), { kind: 'error', message: 'INSTREAM size limit exceeded', sizeLimit: true });
    assert.equal(parseClamdScanReply('UNKNOWN COMMAND\0').kind, 'error');
    assert.equal(parseClamdScanReply('stream:  FOUND\0').kind, 'error');
    const hostile = parseClamdScanReply(`stream: ${'A'.repeat(5000)}\u001b[2J FOUND\0`);
    assert.ok(hostile.kind === 'found' && hostile.name.length <= 200 && !hostile.name.includes('\u001b'));
  });

  test('addresses: socket paths, host:port, [v6]:port; anything else is ENGINE_CONFIG_INVALID', () => {
    assert.deepEqual(parseClamdAddress('/run/clamav/clamd.ctl'), { kind: 'socket', path: '/run/clamav/clamd.ctl' });
    assert.deepEqual(parseClamdAddress('127.0.0.1:3310'), { kind: 'tcp', host: '127.0.0.1', port: 3310 });
    assert.deepEqual(parseClamdAddress('[::1]:3310'), { kind: 'tcp', host: '::1', port: 3310 });
    assert.deepEqual(parseClamdAddress('clamav.internal:3310'), { kind: 'tcp', host: 'clamav.internal', port: 3310 });
    for (const bad of ['clamd', 'host:0', 'host:70000', 'host:', ':3310']) {
      assert.throws(() => createClamdEngine({ address: bad }), (error: unknown) => error instanceof ScanError && error.code === 'ENGINE_CONFIG_INVALID');
    }
  });

  test('nothing listening on a TCP port: failure naming the address, never clean', async () => {
    const port = await freePort();
    const [verdict] = await createClamdEngine({ address: `127.0.0.1:${port}` }).scan(flaggedSample(), {});
    assert.equal(verdict?.category, 'failure');
    assert.match(verdict?.detail ?? '', new RegExp(`127\\.0\\.0\\.1:${port} is not running or not listening \\(ECONNREFUSED\\)`));
  });

  test('a timeout that is not a positive number of milliseconds is a configuration error', () => {
    const isConfig = (error: unknown) => error instanceof ScanError && error.code === 'ENGINE_CONFIG_INVALID';
    assert.throws(() => createClamdEngine({ address: '/run/clamav/clamd.ctl', timeoutMs: 0 }), isConfig);
    assert.throws(() => createClamscanEngine({ timeoutMs: Number.NaN }), isConfig);
  });

  test('--clamav-db with --clamd is a configuration error', async () => {
    await assert.rejects(createClamavEngine({ clamd: '/run/clamav/clamd.ctl', databaseDir: '/tmp/db' }), (error: unknown) => error instanceof ScanError && error.code === 'ENGINE_CONFIG_INVALID');
  });
});
