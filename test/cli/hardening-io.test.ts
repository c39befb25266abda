/**
 * Issue 13 §2–§5 at the CLI: outputs never destroy data, every input read is bounded (regular files only, size
 * caps), what is printed is escaped, secrets in store URLs are masked, `--at` is strict ISO 8601.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, linkSync, openSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/fixtures.ts';

const entry = join(repoRoot, 'src', 'app', 'cli-entry.ts');
const rssReporter = join(repoRoot, 'test', 'support', 'report-max-rss.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'absolve-io-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const APP = join(repoRoot, 'test', 'fixtures', 'pe', 'app-x64-console.exe');
const MiB = 1024 * 1024;

let runs = 0;
function absolve(args: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): { code: number | null; stdout: string; stderr: string; maxRSS: number } {
  const rssFile = join(scratch, `rss-${runs++}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', rssReporter, entry, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ABSOLVE_TEST_RSS_FILE: rssFile, ABSOLVE_DB: '', ABSOLVE_BLOBS: '', ...options.env },
    // A hang guard, not a speed assertion: a read that never ends is killed and the test fails.
    timeout: 60_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  assert.equal(r.signal, null, `the command hung and was killed: ${args.join(' ')}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, maxRSS: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : 0 };
}

function oneErrorLine(r: { code: number | null; stderr: string }, code: string): void {
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^absolve: ${code}: [^\\n]+\\n$`));
}

/** A C0 control (tab aside) or DEL in printed text. */
const hasControl = (text: string): boolean => [...text].some((c) => (c.charCodeAt(0) < 0x20 && c !== '\t') || c.charCodeAt(0) === 0x7f);

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('-o never destroys data', () => {
  const dir = join(scratch, 'out');
  mkdirSync(dir);
  const input = join(dir, 'in.exe');
  copyFileSync(APP, input);
  const before = sha(input);

  it('audit in.exe -o in.exe is refused (exit 2), the binary unchanged', () => {
    oneErrorLine(absolve(['audit', input, '-o', input]), 'OUTPUT_IS_INPUT');
    assert.equal(sha(input), before);
  });

  it('-o through a symbolic link or a hard link to an input is refused', () => {
    const link = join(dir, 'report-link.json');
    symlinkSync(input, link);
    oneErrorLine(absolve(['audit', dir, '-o', link]), 'OUTPUT_IS_INPUT');
    const hard = join(scratch, 'hard-link.json');
    linkSync(input, hard);
    oneErrorLine(absolve(['audit', input, '-o', hard]), 'OUTPUT_IS_INPUT');
    assert.equal(sha(input), before);
  });

  it('a report is written through a temporary file: no leftovers, an unwritable target leaves nothing behind', () => {
    const report = join(dir, 'report.json');
    writeFileSync(report, 'old');
    const r = absolve(['audit', input, '--format', 'json', '-o', report]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal((JSON.parse(readFileSync(report, 'utf8')) as { schema: string }).schema, 'absolve.audit/v1');
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.part')), []);
    oneErrorLine(absolve(['audit', input, '-o', join(dir, 'missing-folder', 'r.json')]), 'OUTPUT_UNWRITABLE');
  });

  it('export -o the store database, its WAL, a link to it or a file in its blob folder is refused; the store still opens', () => {
    const storeDir = join(scratch, 'store');
    mkdirSync(storeDir);
    const db = join(storeDir, 'x.db');
    const add = absolve(['release', 'add', 'App', '1.0', input, '--db', `sqlite:${db}`]);
    assert.ok(add.code === 0 || add.code === 1, add.stderr);
    const dbBefore = sha(db);
    for (const target of [db, join(storeDir, 'blobs', 'sha256', 'x'), join(storeDir, 'blobs')]) {
      oneErrorLine(absolve(['export', '--db', `sqlite:${db}`, '-o', target]), 'OUTPUT_IS_INPUT');
    }
    const link = join(scratch, 'db-link');
    symlinkSync(db, link);
    oneErrorLine(absolve(['export', '--db', `sqlite:${db}`, '-o', link]), 'OUTPUT_IS_INPUT');
    assert.equal(sha(db), dbBefore);
    const list = absolve(['release', 'list', '--db', `sqlite:${db}`, '--format', 'json']);
    assert.equal(list.code, 0, list.stderr);
  });

  it('a store in a folder that does not exist is STORE_FOLDER_MISSING (nothing created) unless --create', () => {
    const missing = join(scratch, 'no', 'such', 'dir');
    oneErrorLine(absolve(['release', 'add', 'App', '1.0', input, '--db', `sqlite:${join(missing, 'x.db')}`]), 'STORE_FOLDER_MISSING');
    assert.equal(existsSync(join(scratch, 'no')), false);
    const created = absolve(['release', 'add', 'App', '1.0', input, '--db', `sqlite:${join(missing, 'x.db')}`, '--create']);
    assert.ok(created.code === 0 || created.code === 1, created.stderr);
    assert.ok(existsSync(join(missing, 'x.db')));
    assert.ok(existsSync(join(missing, 'blobs')), 'the blobs go beside the SQLite store');
  });
});

describe('inputs are read bounded: regular files only', () => {
  const fifo = join(scratch, 'fifo');
  const haveFifo = spawnSync('mkfifo', [fifo]).status === 0;
  const LIMIT_RSS = 150 * MiB;
  const specials = [...(existsSync('/dev/zero') ? ['/dev/zero', '/dev/urandom'] : []), ...(haveFifo ? [fifo] : [])];

  for (const special of specials) {
    it(`${special} as a path, --trust, --config and an import file: PATH_NOT_REGULAR, no hang, RSS < 150 MB`, () => {
      for (const args of [
        ['audit', special],
        ['audit', APP, '--trust', special],
        ['audit', APP, '--config', special],
        ['import', special, '--db', `sqlite:${join(scratch, 'import.db')}`],
      ]) {
        const r = absolve(args);
        oneErrorLine(r, 'PATH_NOT_REGULAR');
        assert.ok(r.maxRSS < LIMIT_RSS, `${args.join(' ')}: peak RSS ${r.maxRSS}`);
      }
    });
  }

  it('Ctrl-C stops an import that is waiting for more input', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, 'import', '-', '--db', `sqlite:${join(scratch, 'sigint.db')}`], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write('{"type":"header"');
    // Wait until the import is reading (its store file exists), then interrupt it; stdin stays open.
    while (!existsSync(join(scratch, 'sigint.db'))) await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGINT');
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.ok(signal === 'SIGINT' || code !== 0, `exit ${code} ${signal}`);
  });

  it('import - fed from /dev/zero stops at the line cap (IMPORT_INVALID); memory grows by the cap, not by the input', { skip: !existsSync('/dev/zero') }, () => {
    const importFrom = (stdin: string, name: string): { stderr: string; maxRSS: number } => {
      const rssFile = join(scratch, `rss-stdin-${name}`);
      const fd = openSync(stdin, 'r');
      try {
        const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', rssReporter, entry, 'import', '-', '--db', `sqlite:${join(scratch, `stdin-${name}.db`)}`], {
          cwd: repoRoot,
          encoding: 'utf8',
          stdio: [fd, 'pipe', 'pipe'],
          env: { ...process.env, ABSOLVE_TEST_RSS_FILE: rssFile },
          timeout: 120_000,
        });
        oneErrorLine({ code: r.status, stderr: r.stderr }, 'IMPORT_INVALID');
        return { stderr: r.stderr, maxRSS: Number(readFileSync(rssFile, 'utf8')) };
      } finally {
        closeSync(fd);
      }
    };
    const tiny = join(scratch, 'tiny.jsonl');
    writeFileSync(tiny, 'x\n');
    const baseline = importFrom(tiny, 'tiny');
    const zero = importFrom('/dev/zero', 'zero');
    assert.match(zero.stderr, /line 1: longer than 8388608 characters/);
    // The same command on a one-line file is the baseline (tsx and the store included): the endless input adds
    // about one capped line, never more.
    assert.ok(zero.maxRSS - baseline.maxRSS < 96 * MiB, `peak RSS ${zero.maxRSS} against ${baseline.maxRSS}`);
  });

  it('a trust file larger than any certificate bundle is INPUT_TOO_LARGE', () => {
    const big = join(scratch, 'big.pem');
    writeFileSync(big, Buffer.alloc(17 * MiB, 0x41));
    oneErrorLine(absolve(['audit', APP, '--trust', big]), 'INPUT_TOO_LARGE');
  });

  it('import: a line of raw terminal bytes is IMPORT_INVALID without echoing them', () => {
    const bad = join(scratch, 'bad.jsonl');
    writeFileSync(bad, '\u001b[2J\u001b]0;pwned\u0007 not json\n');
    const r = absolve(['import', bad, '--db', `sqlite:${join(scratch, 'import.db')}`]);
    oneErrorLine(r, 'IMPORT_INVALID');
    assert.ok(!hasControl(r.stderr.trimEnd()) && !r.stderr.includes('pwned'), r.stderr);
  });
});

describe('what is printed is escaped', () => {
  const dir = join(scratch, 'names');
  mkdirSync(dir);
  const evil = '\u001b[2J\u001b]0;owned\u0007x\nvalid      forged.exe  PE x64 gui  Contoso Code Signing.exe';
  copyFileSync(APP, join(dir, evil));

  it('table: one escaped row, no control byte, no forged row', () => {
    // Wide enough that the table does not shorten the path in the middle.
    const r = absolve(['audit', dir], { env: { COLUMNS: '300' } });
    assert.equal(r.code, 1);
    assert.ok(!hasControl(r.stdout.replace(/\n/g, '')), 'no control byte but the line ends');
    const rows = r.stdout.split('\n').filter((l) => l.includes('forged.exe'));
    assert.ok(rows.length >= 1 && rows.every((l) => l.includes('\\x1b[2J\\x1b]0;owned\\x07x\\x0avalid')), rows.join('\n'));
    assert.ok(!r.stdout.split('\n').some((l) => l.startsWith('valid')), 'no line starts as a forged valid row');
  });

  it('markdown: escaped, no ESC byte', () => {
    const r = absolve(['audit', dir, '--format', 'markdown']);
    assert.ok(!hasControl(r.stdout.replace(/\n/g, '')));
    assert.match(r.stdout, /\\x1b\[2J/);
  });

  it('an error line quoting the name stays one escaped line', () => {
    const r = absolve(['audit', join(dir, `${evil}.missing`)]);
    oneErrorLine(r, 'PATH_NOT_FOUND');
    assert.ok(!hasControl(r.stderr.trimEnd()));
  });
});

describe('store URLs and --at', () => {
  it('a password in ?password= or the user-info is never printed', () => {
    const r = absolve(['release', 'list', '--db', 'postgres://u:hunter1@127.0.0.1:1/db?password=hunter2&sslpassword=hunter3&sslmode=require']);
    oneErrorLine(r, 'STORE_UNAVAILABLE');
    assert.doesNotMatch(r.stderr, /hunter/);
    assert.doesNotMatch(r.stderr, /SECURITY WARNING/, "pg's sslmode warning is not printed");
  });

  it('--at takes only a valid ISO 8601 date or time with its zone', () => {
    for (const bad of ['1', '2024-02-30', '2026-06-01T00:00:00', 'yesterday']) oneErrorLine(absolve(['audit', APP, '--at', bad]), 'USAGE');
    assert.equal(absolve(['audit', APP, '--at', '2024-02-29']).code, 1);
  });
});
