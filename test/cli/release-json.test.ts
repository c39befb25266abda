/**
 * Same JSON on both databases: one command sequence (add v1, add v1.1, add v2, list, show, diff,
 * certs) through the real CLI against SQLite and against PostgreSQL (a server when reachable,
 * else PGlite) gives identical JSON; only the recording times differ, and they are normalised.
 * Then `export` from one and `import` into the other round-trips exactly, both ways.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AT, TRUST_BOTH, absolve, buildRelease } from '../store/cli-harness.ts';
import { postgresTarget, type PostgresTarget } from '../store/postgres-target.ts';
import { repoRoot } from '../support/fixtures.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-release-json-'));
let target: PostgresTarget | undefined;
before(async () => {
  target = await postgresTarget();
  console.log(`# PostgreSQL side runs on ${target.description}`);
});
after(async () => {
  await target?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const msi = (name: string): { file: string } => ({ file: join(repoRoot, 'test', 'fixtures', 'containers', 'msi', name) });
const v1 = buildRelease(join(scratch, 'v1'), {
  'app.exe': 'signed-sha256.exe',
  'lib/contoso.dll': 'signed-sha512.dll',
  'tools/legacy.exe': 'signed-dual.exe',
  'updater.exe': 'app-x64-gui.exe',
  'setup.msi': msi('app-signed.msi'),
  'docs/readme.txt': { text: 'Contoso App' },
});
const v11 = buildRelease(join(scratch, 'v1.1'), {
  'app.exe': { fixture: 'signed-sha256.exe', overlay: 'build 1.1' },
  'lib/contoso.dll': 'signed-sha512.dll',
  'tools/legacy.exe': 'signed-dual.exe',
  'updater.exe': 'app-x64-gui.exe',
  'setup.msi': msi('app-signed.msi'),
});
const v2 = buildRelease(join(scratch, 'v2'), {
  'app.exe': 'signed-otherca.exe',
  'lib/contoso.dll': 'lib-x64.dll',
  'tools/legacy.exe': 'signed-dual.exe',
  'updater.exe': 'signed-tampered.exe',
  'setup.msi': msi('app-signed-b.msi'),
  'new.exe': 'signed-ecdsa.exe',
});

function run(args: readonly string[], env: Record<string, string> = {}): string {
  const r = absolve(args, { env });
  assert.equal(r.code, 0, `absolve ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function sequence(db: string, blobs: string): string[] {
  const dbArgs = ['--db', db, '--format', 'json'];
  // A server store keeps its blobs in ./.absolve/blobs unless told otherwise: give each run its own.
  const add = (version: string, dir: string, notes: string): string => run(['release', 'add', 'Contoso', version, dir, '--notes', notes, ...TRUST_BOTH, ...AT, '--fail-on', 'none', ...dbArgs], { ABSOLVE_BLOBS: blobs });
  return [
    add('1.0', v1, 'first'),
    add('1.1', v11, 'patch'),
    add('2.0', v2, 'new certificate'),
    run(['release', 'list', ...dbArgs]),
    run(['release', 'show', 'Contoso', '2.0', ...dbArgs]),
    run(['release', 'diff', 'Contoso', '1.0', '2.0', ...dbArgs]),
    run(['certs', ...dbArgs]),
  ];
}

/** Replaces recording times (the only values that differ between two runs) by `<time N>`, N in order of first appearance. */
function normaliseTimes(documents: readonly string[], keys: readonly string[]): string[] {
  const seen = new Map<string, string>();
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (keys.includes(k) && typeof v === 'string') {
          if (!seen.has(v)) seen.set(v, `<time ${seen.size}>`);
          return [k, seen.get(v)];
        }
        return [k, walk(v)];
      }),
    );
  };
  return documents.map((d) => JSON.stringify(walk(JSON.parse(d)), null, 2));
}

describe('the same JSON on SQLite and PostgreSQL', () => {
  const sqliteDb = `sqlite:${join(scratch, 'a', 'absolve.db')}`;
  // A new store's folder must exist (or --create).
  for (const folder of ['a', 'b']) mkdirSync(join(scratch, folder), { recursive: true });
  let postgresDb = '';
  let fromSQLite: string[] = [];

  it('add v1, v1.1, v2, list, show, diff and certs answer identically', async () => {
    postgresDb = await (target as PostgresTarget).freshURL();
    fromSQLite = sequence(sqliteDb, join(scratch, 'blobs-sqlite'));
    const fromPostgres = sequence(postgresDb, join(scratch, 'blobs-postgres'));
    const times = ['createdAt', 'asOf'];
    const a = normaliseTimes(fromSQLite, times);
    const b = normaliseTimes(fromPostgres, times);
    for (const [i, name] of ['add 1.0', 'add 1.1', 'add 2.0', 'list', 'show 2.0', 'diff 1.0 2.0', 'certs'].entries()) assert.equal(b[i], a[i], name);
    // The sequence is not trivial: a signer change in the MSI and its members, a new-signer finding.
    assert.match(fromSQLite[2] ?? '', /ABS-CERT-NEW-SIGNER/);
    assert.match(fromSQLite[5] ?? '', /"path": "setup.msi!\/Contoso\/Contoso App\/lib\/contoso-lib.dll"/);
  });

  it('the whole stores hold the same records (recording times aside)', () => {
    // Cases drafted by `release add` (allowlist submissions) carry the time they were opened.
    const times = ['createdAt', 'firstSeenAt', 'openedAt', 'updatedAt', 'at'];
    const lines = (db: string): string[] => run(['export', '--db', db]).trimEnd().split('\n');
    assert.deepEqual(normaliseTimes(lines(postgresDb), times), normaliseTimes(lines(sqliteDb), times));
  });

  it('export from SQLite → import into PostgreSQL → export, and back into a new SQLite store: identical lines', async () => {
    const exported = run(['export', '--db', sqliteDb]);
    const postgresCopy = await (target as PostgresTarget).freshURL();
    const file = join(scratch, 'from-sqlite.jsonl');
    run(['export', '--db', sqliteDb, '--output', file]);
    run(['import', file, '--db', postgresCopy]);
    const fromPostgres = run(['export', '--db', postgresCopy]);
    assert.equal(fromPostgres, exported);

    const back = join(scratch, 'from-postgres.jsonl');
    run(['export', '--db', postgresCopy, '--output', back]);
    const sqliteCopy = `sqlite:${join(scratch, 'b', 'absolve.db')}`;
    run(['import', back, '--db', sqliteCopy]);
    assert.equal(run(['export', '--db', sqliteCopy]), exported);
    // And the imported store answers the commands as the original does.
    assert.equal(run(['release', 'diff', 'Contoso', '1.0', '2.0', '--db', postgresCopy, '--format', 'json']), fromSQLite[5]);
  });
});
