/** `absolve vendors list|show` as a user runs them, with a configuration that changes and adds vendors. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { absolve, absolveJSON } from '../store/cli-harness.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-vendors-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Entry {
  engine: string;
  channels: Array<{ kind: string; address: string; status: string }>;
  requirements: { archivePassword: string | null };
  sources: string[];
  checked: string;
  origin?: string;
}

describe('absolve vendors', () => {
  it('lists at least 70 engines and shows one by any alias, in table and JSON', () => {
    const list = absolveJSON<{ schema: string; vendors: Entry[] }>(['vendors', 'list']);
    assert.equal(list.schema, 'absolve.vendor-list/v1');
    assert.ok(list.vendors.length >= 70);
    const shown = absolveJSON<{ vendor: Entry; downstream: string[] }>(['vendors', 'show', 'Windows Defender']);
    assert.equal(shown.vendor.engine, 'Microsoft');
    assert.ok(shown.vendor.sources.length > 0);
    const bd = absolveJSON<{ downstream: string[] }>(['vendors', 'show', 'bitdefender']);
    assert.ok(bd.downstream.includes('GData') && bd.downstream.includes('Emsisoft'));
    const table = absolve(['vendors', 'show', 'Baidu']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /bav@baidu\.com {2}\[BOUNCES\]/);
    const missing = absolve(['vendors', 'show', 'No Such AV']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^absolve: VENDOR_NOT_FOUND: /);
  });

  it('applies overrides and additions from the configuration, and refuses a bad one', () => {
    const config = join(scratch, 'absolve.config.json');
    writeFileSync(config, JSON.stringify({ vendors: { Symantec: { requirements: { archivePassword: 'infected' } }, 'Contoso AV': { vendor: 'Contoso', channels: [{ kind: 'email', address: 'fp@contoso.example' }], sources: ['account manager'], checked: '2026-12-01' } } }));
    const list = absolveJSON<{ vendors: Entry[] }>(['vendors', 'list', '--config', config]);
    assert.equal(list.vendors.find((v) => v.engine === 'Symantec')?.requirements.archivePassword, 'infected');
    assert.equal(list.vendors.find((v) => v.engine === 'Contoso AV')?.origin, 'config');
    writeFileSync(config, JSON.stringify({ vendors: { Symantec: { channels: [{ kind: 'email', address: 'nope' }] } } }));
    const bad = absolve(['vendors', 'list', '--config', config]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^absolve: CONFIG_INVALID: .*vendors\."Symantec"\.channels\[0\]\.address 'nope' is not an email address/);
    // The lint configuration in the same file still loads (audit ignores the case keys).
    writeFileSync(config, JSON.stringify({ rules: {}, vendors: {}, submission: { publisher: 'Contoso' } }));
    const audit = absolve(['audit', 'test/fixtures/pe/lib-x64.dll', '--config', config, '--format', 'json', '--jobs', '1']);
    assert.notEqual(audit.code, 2, audit.stderr);
  });
});
