/**
 * Real ClamAV and YARA for tests, with no network: a signature database and YARA rules made
 * here, and a clamd of our own (own clamd.conf: sockets, database, logs, pid and temporary files
 * all inside one temporary directory), stopped afterwards. Used by the engine tests and by the
 * scan tests that need a file (or an MSI/ZIP member) that ClamAV and YARA flag.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pingClamd } from '../../src/engines/clamav/clamd-engine.ts';

/** Bytes the test ClamAV body signature (`.ndb`) and the test YARA rule match anywhere in a file. */
export const TEST_MARKER = 'ABSOLVE-TEST-MARKER-7f3c9e21';
/** The `.ndb` signature name; ClamAV reports unsigned custom signatures as `<name>.UNOFFICIAL`. */
export const CLAMAV_TEST_SIGNATURE = 'Absolve.Test.Marker';
/** The `.hdb` (MD5) signature name for HASHED_BYTES. */
export const CLAMAV_TEST_HASH_SIGNATURE = 'Absolve.Test.Hash';
/** A file flagged by its MD5 only (the `.hdb` signature), not by the marker. */
export const HASHED_BYTES = Buffer.from('absolve: a file ClamAV flags by its MD5 only\n');
/** The YARA rule that matches TEST_MARKER (namespace: the rules file's base name). */
export const YARA_TEST_RULE = 'Absolve_Test_Marker';

/** Bytes containing the marker, with some text around it (a stand-in for a flagged release file). */
export function markedBytes(prefix = 'some program bytes before '): Buffer {
  return Buffer.from(`${prefix}${TEST_MARKER} and after\n`);
}

/** Writes the test database (`absolve-test.ndb` and `absolve-test.hdb`) into `dir`, created if needed; returns `dir`. */
export async function writeClamavTestDatabase(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  // .ndb: Name:TargetType:Offset:HexSignature (target 0 = any file) — docs.clamav.net "Extended signature format".
  await writeFile(join(dir, 'absolve-test.ndb'), `${CLAMAV_TEST_SIGNATURE}:0:*:${Buffer.from(TEST_MARKER).toString('hex')}\n`);
  // .hdb: MD5:Size:Name — docs.clamav.net "Hash-based signatures".
  await writeFile(join(dir, 'absolve-test.hdb'), `${createHash('md5').update(HASHED_BYTES).digest('hex')}:${HASHED_BYTES.length}:${CLAMAV_TEST_HASH_SIGNATURE}\n`);
  return dir;
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface TestClamd {
  /** The Unix socket path (clamd.conf LocalSocket). */
  socket: string;
  /** `127.0.0.1:<port>` when started with TCP. */
  tcp: string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts clamd on the test database in `dir` (a LocalSocket there, optionally TCP on 127.0.0.1),
 * in the foreground as our own child, and waits until it answers PING.
 */
export async function startTestClamd(dir: string, options: { streamMaxLength?: string; tcp?: boolean } = {}): Promise<TestClamd> {
  const database = await writeClamavTestDatabase(join(dir, 'db'));
  const socket = join(dir, 'clamd.sock');
  const port = options.tcp === true ? await freePort() : undefined;
  const config = [
    'Foreground yes',
    `LocalSocket ${socket}`,
    `DatabaseDirectory ${database}`,
    `LogFile ${join(dir, 'clamd.log')}`,
    `PidFile ${join(dir, 'clamd.pid')}`,
    `TemporaryDirectory ${dir}`,
    `StreamMaxLength ${options.streamMaxLength ?? '25M'}`,
    'SelfCheck 0',
    ...(port === undefined ? [] : ['TCPAddr 127.0.0.1', `TCPSocket ${port}`]),
  ];
  const configPath = join(dir, 'clamd.conf');
  await writeFile(configPath, `${config.join('\n')}\n`);
  const child: ChildProcess = spawn('clamd', ['-c', configPath], { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = async (): Promise<void> => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await gone;
  };
  // Loading a tiny database takes about a second; allow a slow CI machine much more.
  for (let attempt = 0; attempt < 600; attempt++) {
    if (exited) break;
    if (await pingClamd(socket, 1000).catch(() => false)) return { socket, tcp: port === undefined ? undefined : `127.0.0.1:${port}`, stop };
    await sleep(100);
  }
  await stop();
  const log = await readFile(join(dir, 'clamd.log'), 'utf8').catch(() => '(no log)');
  throw new Error(`the test clamd did not start:\n${log}`);
}

/** Writes a YARA rules file matching TEST_MARKER into `dir` as `<name>.yar`; returns its path. */
export async function writeYaraTestRules(dir: string, name = 'absolve_test', meta = ''): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.yar`);
  await writeFile(
    path,
    `rule ${YARA_TEST_RULE}\n{\n  meta:\n    description = "the Absolve test marker"\n${meta}  strings:\n    $marker = "${TEST_MARKER}"\n  condition:\n    $marker\n}\n`,
  );
  return path;
}
