import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BITDEFENDER_OEM_ENGINES, ENGINE_ALIAS_GROUPS } from '../../../src/core/detections/index.ts';
import { buildVendorDirectory, parseVendorOverrides, validateVendorEntry, VENDOR_DIRECTORY } from '../../../src/core/vendors/index.ts';

describe('the shipped vendor directory', () => {
  it('covers at least 70 engines, every entry complete and valid, with sources and a checked date', () => {
    assert.ok(VENDOR_DIRECTORY.length >= 70, `${VENDOR_DIRECTORY.length} engines`);
    for (const entry of VENDOR_DIRECTORY) {
      validateVendorEntry(entry, 'directory-data.ts');
      assert.match(entry.checked, /^\d{4}-\d{2}-\d{2}$/);
    }
    const names = VENDOR_DIRECTORY.map((e) => e.engine.toLowerCase());
    assert.equal(new Set(names).size, names.length, 'one entry per engine');
  });

  it('knows every engine the detection classifier knows, by name or alias', () => {
    const directory = buildVendorDirectory();
    const missing = ENGINE_ALIAS_GROUPS.map((g) => g.canonical).filter((e) => directory.find(e) === undefined && e !== 'Ad-Aware' && e !== 'MAX');
    assert.deepEqual(missing, []);
    assert.equal(directory.find('MicroWorld-eScan')?.engine, 'eScan');
    assert.equal(directory.find('Windows Defender')?.engine, 'Microsoft');
    assert.equal(directory.find('AVG')?.engine, 'AVG', "an engine's own entry wins over its canonical group");
  });

  it('states the vendor rules the submissions depend on', () => {
    const d = buildVendorDirectory();
    assert.equal(d.find('Symantec')?.requirements.archivePassword, null);
    assert.equal(d.find('McAfee')?.requirements.subjectPrefix, 'FALSE');
    assert.equal(d.find('ESET-NOD32')?.requirements.subjectPrefix, 'False positive');
    assert.equal(d.find('Panda')?.requirements.archivePassword, 'panda');
    assert.equal(d.find('TrendMicro')?.requirements.maxArchiveBytes, 12 * 1024 * 1024);
    assert.ok(d.find('Microsoft')?.channels.every((c) => c.kind === 'portal'));
    assert.equal(d.find('Microsoft')?.requirements.accountRequired, true);
    assert.equal(d.find('Baidu')?.channels.find((c) => c.address === 'bav@baidu.com')?.status, 'bounces');
    assert.equal(d.find('Yandex')?.channels[0]?.status, 'bounces');
    assert.ok(d.find('McAfee')?.programmes.some((p) => p.kind === 'per-release'));
  });

  it("groups BitDefender's OEM engines under BitDefender only when BitDefender flags the same file", () => {
    const d = buildVendorDirectory();
    for (const oem of BITDEFENDER_OEM_ENGINES.filter((e) => e !== 'BitDefender' && e !== 'Ad-Aware')) {
      assert.equal(d.vendorFor(oem, [oem, 'BitDefender'])?.engine, 'BitDefender', oem);
      assert.equal(d.vendorFor(oem, [oem])?.engine, d.find(oem)?.engine, `${oem} alone keeps its own case`);
    }
    assert.deepEqual(d.downstreamOf('BitDefender').map((e) => e.engine).sort(), ['ALYac', 'Arcabit', 'CTX', 'Emsisoft', 'GData', 'MAX', 'VIPRE', 'WithSecure', 'eScan']);
  });
});

describe('vendor overrides in absolve.config.json', () => {
  it('changes fields of a shipped vendor and adds new ones', () => {
    const overrides = parseVendorOverrides(
      {
        McAfee: { requirements: { archivePassword: 'secret' } },
        'Contoso AV': { vendor: 'Contoso', channels: [{ kind: 'email', address: 'fp@contoso.example' }], sources: ['our account manager'], checked: '2026-12-01' },
      },
      'absolve.config.json',
    );
    const d = buildVendorDirectory(overrides);
    assert.equal(d.find('McAfee')?.requirements.archivePassword, 'secret');
    assert.equal(d.find('McAfee')?.requirements.subjectPrefix, 'FALSE', 'other fields are kept');
    assert.equal(d.find('McAfee')?.origin, 'config');
    assert.equal(d.find('contoso av')?.channels[0]?.status, 'listed');
    assert.equal(d.entries.length, VENDOR_DIRECTORY.length + 1);
  });

  for (const [name, value, message] of [
    ['not an object', [], /vendors must be an object/],
    ['an unknown key', { McAfee: { pasword: 'x' } }, /unknown key 'pasword'/],
    ['a bad email', { X: { channels: [{ kind: 'email', address: 'not an address' }] } }, /is not an email address/],
    ['a bad kind', { X: { channels: [{ kind: 'fax', address: '123' }] } }, /kind must be one of/],
    ['a negative limit', { X: { requirements: { maxArchiveBytes: -1 } } }, /maxArchiveBytes must be a whole number/],
    ['a control character', { X: { vendor: 'a\u001bb' } }, /control characters/],
    ['a bad date', { X: { checked: 'yesterday' } }, /checked must be a date/],
  ] as const) {
    it(`refuses ${name} with CONFIG_INVALID naming the place`, () => {
      assert.throws(() => parseVendorOverrides(value, 'absolve.config.json'), (e: Error & { code?: string }) => e.code === 'CONFIG_INVALID' && message.test(e.message) && e.message.startsWith('absolve.config.json: '));
    });
  }
});
