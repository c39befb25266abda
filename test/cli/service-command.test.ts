/** `absolve tokens` and `absolve serve` as a user runs them (child processes, real HTTP on loopback). */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { absolve, startServe } from '../store/cli-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'absolve-serve-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'store', 'absolve.db')}`;
mkdirSync(join(dir, 'store'));

describe('absolve tokens and serve', () => {
  it('tokens create prints the token once, last on its line; only its hash is stored; revoke works', () => {
    const r = absolve(['tokens', 'create', '--role', 'read', '--name', 'ci', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const token = lines[lines.length - 1] ?? '';
    assert.match(token, /^absolve_[A-Za-z0-9_-]{43}$/);
    const stored = readdirSync(join(dir, 'store')).map((f) => readFileSync(join(dir, 'store', f)).toString('latin1')).join('');
    assert.ok(!stored.includes(token));
    const list = absolve(['tokens', 'list', '--db', db, '--format', 'json']);
    const tokens = (JSON.parse(list.stdout) as { tokens: Array<{ id: string; name: string; role: string }> }).tokens;
    assert.deepEqual(tokens.map((t) => [t.name, t.role]), [['ci', 'read']]);
    assert.ok(!list.stdout.includes(token));
    assert.equal(absolve(['tokens', 'revoke', tokens[0]?.id ?? '', '--db', db]).code, 0);
    assert.match(absolve(['tokens', 'revoke', tokens[0]?.id ?? '', '--db', db]).stderr, /^absolve: USAGE: no live token/);
    assert.match(absolve(['tokens', 'create', '--role', 'root', '--db', db]).stderr, /root/);
  });

  it('serve answers /health and the API with a token, and stops on SIGTERM', async () => {
    const created = absolve(['tokens', 'create', '--role', 'admin', '--db', db, '--format', 'json']);
    const { token } = JSON.parse(created.stdout) as { token: string };
    const server = await startServe(['--port', '0', '--db', db]);
    const url = server.url;
    try {
      assert.equal((await fetch(`${url}/health`)).status, 200);
      assert.equal((await fetch(`${url}/api/v1/products`)).status, 401);
      const r = await fetch(`${url}/api/v1/tokens`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const stderr = server.stderr();
    assert.ok(!stderr.includes(token), 'the token is not logged');
    assert.match(stderr, /GET \/api\/v1\/tokens 200/);
  });
});
