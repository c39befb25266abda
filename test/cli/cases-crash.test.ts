/**
 * Crash safety of cases and submissions: a child process SIGKILLed during `cases open` (at
 * spread-out points of a full run) leaves no half case, and the re-run opens each case once;
 * `submit --send` killed while its mail is in flight (the loopback SMTP server holds the end of
 * DATA) never sends that mail again on the re-run, and every other mail goes out once.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createStoreOpener } from '../../src/store/open-store.ts';
import { absolveAsync, recordRelease, RELEASE, storeScan, vt } from '../cases/case-fixture.ts';
import { startSmtp } from '../cases/smtp-fixture.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-cases-crash-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ENGINES = ['Microsoft', 'BitDefender', 'GData', 'Symantec', 'McAfee', 'Kaspersky', 'Avast', 'Sophos'];
const FILES = 400;

function census(dbPath: string): { cases: number; withoutOpened: number; duplicates: number; integrity: string } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const cases = (db.prepare('select count(*) as n from "case"').get() as { n: number }).n;
    const withoutOpened = (db.prepare(`select count(*) as n from "case" c where not exists (select 1 from case_event e where e.case_id = c.id and e.kind = 'opened')`).get() as { n: number }).n;
    const duplicates = (db.prepare('select count(*) as n from (select kind, vendor, subject, product, version from "case" group by 1, 2, 3, 4, 5 having count(*) > 1)').get() as { n: number }).n;
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    return { cases, withoutOpened, duplicates, integrity };
  } finally {
    db.close();
  }
}

describe('cases open and submit --send killed with SIGKILL', { timeout: 600_000 }, () => {
  it('cases open: no half case after any kill; the re-run opens each case once', async () => {
    mkdirSync(join(scratch, 'bulk'), { recursive: true });
    mkdirSync(join(scratch, 'copy'), { recursive: true });
    const dbPath = join(scratch, 'bulk', 'absolve.db');
    const db = `sqlite:${dbPath}`;
    const opened = await createStoreOpener({ env: {}, cwd: process.cwd() })(db, { create: true });
    await opened.store.close();
    const files = Array.from({ length: FILES }, (_, i) => ({ path: `bin/f${i}.dll`, sha256: createHash('sha256').update(`file ${i}`).digest('hex'), size: 1000 + i }));
    const at = '2026-12-01T10:00:00.000Z';
    await storeScan(db, 'bulk-1', at, files, Object.fromEntries(files.map((f, i) => [f.path, ENGINES.filter((_, j) => (i + j) % 2 === 0).map((e) => vt(e, 'malicious', `Gen:Variant.Bulk.${i}`, at))])), '1.0');
    // Every file flagged by four engines; GData joins BitDefender's case when both flag it.
    const args = ['cases', 'open', '--release', 'Contoso App@1.0', '--db', db, '--format', 'json'];

    // A full run's duration on a copy of the store (same work as a real run).
    const copy = `sqlite:${join(scratch, 'copy', 'absolve.db')}`;
    {
      const o = await createStoreOpener({ env: {}, cwd: process.cwd() })(copy, { create: true });
      await o.store.close();
      await storeScan(copy, 'bulk-1', at, files, Object.fromEntries(files.map((f, i) => [f.path, ENGINES.filter((_, j) => (i + j) % 2 === 0).map((e) => vt(e, 'malicious', `Gen:Variant.Bulk.${i}`, at))])), '1.0');
    }
    const started = Date.now();
    const full = await absolveAsync(['cases', 'open', '--release', 'Contoso App@1.0', '--db', copy, '--format', 'json']);
    assert.equal(full.code, 0, full.stderr);
    const expected = (JSON.parse(full.stdout) as { opened: unknown[] }).opened.length;
    assert.ok(expected >= FILES * 3, `${expected} cases`);
    const duration = Date.now() - started;

    let killed = 0;
    for (const fraction of [0.3, 0.5, 0.65, 0.75, 0.85, 0.92, 0.97]) {
      const run = absolveAsync(args);
      const timer = setTimeout(() => run.child.kill('SIGKILL'), Math.round(duration * fraction));
      const result = await run;
      clearTimeout(timer);
      if (result.signal === 'SIGKILL') killed++;
      const c = census(dbPath);
      assert.equal(c.integrity, 'ok');
      assert.equal(c.withoutOpened, 0, 'every stored case has its opened event');
      assert.equal(c.duplicates, 0);
      assert.ok(c.cases === 0 || c.cases === expected, `all or nothing: ${c.cases} of ${expected}`);
    }
    assert.ok(killed > 0, 'at least one run was killed mid-way');
    const final = await absolveAsync(args);
    assert.equal(final.code, 0, final.stderr);
    const again = await absolveAsync(args);
    assert.equal((JSON.parse(again.stdout) as { opened: unknown[] }).opened.length, 0);
    assert.equal(census(dbPath).cases, expected);
  });

  it('submit --send: a mail in flight at the kill is never sent again; the others go out once', async () => {
    const release = recordRelease(join(scratch, 'send'), { 'setup.exe': 'signed-sha256.exe' });
    const at = '2026-12-01T10:00:00.000Z';
    const setup = release.files.find((f) => f.path === 'setup.exe');
    assert.ok(setup);
    await storeScan(release.db, 'scan-1', at, release.files, {
      'setup.exe': [vt('BitDefender', 'malicious', 'Gen:Variant.Zusy.1', at), vt('Symantec', 'malicious', 'ML.Attribute.HighConfidence', at), vt('McAfee', 'malicious', 'Artemis!0123456789AB', at)],
    });
    const open = await absolveAsync(['cases', 'open', '--release', RELEASE, '--db', release.db]);
    assert.equal(open.code, 0, open.stderr);
    const smtp = await startSmtp({ user: 'u', pass: 'p' });
    try {
      const config = join(scratch, 'send.config.json');
      writeFileSync(config, JSON.stringify({ smtp: { host: '127.0.0.1', port: smtp.port, auth: { user: 'u' }, from: 'pub@contoso.example' } }));
      const args = ['submit', '--release', RELEASE, '--out', join(scratch, 'send-out'), '--db', release.db, '--config', config, '--send', '--format', 'json'];
      smtp.hold = true;
      const first = absolveAsync(args, { ABSOLVE_SMTP_PASSWORD: 'p' });
      await smtp.nextData();
      first.child.kill('SIGKILL');
      const killed = await first;
      assert.equal(killed.signal, 'SIGKILL');
      smtp.hold = false;
      assert.equal(smtp.attempts.length, 1);
      assert.equal(smtp.received.length, 0);

      const rerun = await absolveAsync(args, { ABSOLVE_SMTP_PASSWORD: 'p' });
      assert.equal(rerun.code, 0, rerun.stderr);
      const packages = (JSON.parse(rerun.stdout) as { packages: Array<{ kind: string; email: { messageId: string; status: string } | null }> }).packages.filter((p) => p.email !== null);
      const statuses = packages.map((p) => p.email?.status).sort();
      assert.equal(statuses.filter((s) => s === 'unconfirmed').length, 1, 'the mail in flight is reported, not re-sent');
      assert.match(rerun.stderr, /is not sent again/);
      const ids = smtp.attempts.map((raw) => /^Message-ID: (<[^>]+>)/im.exec(raw.toString('latin1'))?.[1]);
      assert.equal(new Set(ids).size, ids.length, 'no Message-ID reached the server twice');
      assert.equal(smtp.received.length, packages.length - 1);
      const third = await absolveAsync(args, { ABSOLVE_SMTP_PASSWORD: 'p' });
      assert.equal(third.code, 0, third.stderr);
      assert.equal(smtp.attempts.length, ids.length, 'a third run sends nothing');
    } finally {
      await smtp.close();
    }
  });
});
