/** Facts against what independent tools recorded (test/fixtures/lint/oracle.json: objdump, osslsigncode), and the config loader. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EMPTY_LINT_CONFIG, LintConfigError } from '../../../src/core/lint/index.ts';
import { loadLintConfig } from '../../../src/files/lint-config.ts';
import { factsFor, lintFixtures } from './helpers.ts';

interface OracleFile {
  sha256: string;
  sections: string[];
  tlsDirectory: boolean;
  osslsigncode: string;
}
const oracle = JSON.parse(readFileSync(join(lintFixtures, 'oracle.json'), 'utf8')) as { files: Record<string, OracleFile> };

describe('lint facts vs objdump / osslsigncode', () => {
  for (const [name, expected] of Object.entries(oracle.files)) {
    it(`${name}: sections, TLS directory and signature presence`, async () => {
      const facts = await factsFor(join(lintFixtures, name));
      assert.ok(facts.pe);
      assert.deepEqual(facts.pe.sections.map((s) => s.name), expected.sections);
      assert.equal(facts.pe.tls.present, expected.tlsDirectory);
      if (expected.osslsigncode.includes('Signature verification: ok')) assert.equal(facts.signature.status, 'valid');
      if (expected.osslsigncode.startsWith('No signature found') && !name.startsWith('sig-')) assert.equal(facts.signature.status, 'unsigned');
    });
  }

  it('the UPX-layout fixture has UPX0 without raw data (no entropy) and the stub bytes at the entry point', async () => {
    const facts = await factsFor(join(lintFixtures, 'upx-layout-x64.exe'));
    const upx0 = facts.pe?.sections.find((s) => s.name === 'UPX0');
    assert.deepEqual([upx0?.rawSize, upx0?.entropy, upx0?.writable, upx0?.executable], [0, null, true, true]);
    assert.equal(facts.pe?.entryPoint.section, 'UPX1');
    assert.match(facts.pe?.entryPoint.stubHex ?? '', /^53565755488d35/);
  });

  it('signature facts: chain, timestamps, publisher info of the clean signed fixture', async () => {
    const s = (await factsFor(join(lintFixtures, 'clean-signed-x64.exe'))).signature.signatures[0];
    assert.ok(s);
    assert.deepEqual([s.label, s.fileDigest, s.programName, s.moreInfoUrl], ['primary', 'sha256', 'Contoso Lint Fixture', 'https://contoso.example/']);
    assert.deepEqual(s.chain.map((c) => c.subject), ['CN=Contoso Code Signing,O=Contoso Ltd,C=US', 'CN=Absolve Test Root CA,O=Absolve Test,C=US']);
    assert.deepEqual([s.chain[0]?.keyAlgorithm, s.chain[0]?.keyBits, s.chain[1]?.selfSigned], ['rsa', 2048, true]);
    assert.equal(s.timestamps[0]?.kind, 'rfc3161');
    assert.equal(s.timestamps[0]?.signer?.subject, 'CN=Absolve Test TSA,O=Absolve Test,C=US');
    assert.deepEqual([s.unknownCertificates, s.unknownUnsignedAttributes, s.nonZeroPadding], [[], [], false]);
  });
});

describe('loadLintConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'absolve-lint-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('no absolve.config.json in the working directory: the defaults', async () => {
    assert.deepEqual(await loadLintConfig({ cwd: dir }), { config: EMPTY_LINT_CONFIG, file: null });
  });

  it('reads absolve.config.json (a UTF-8 BOM is fine) and --config files', async () => {
    writeFileSync(join(dir, 'absolve.config.json'), '\uFEFF{ "rules": { "ABS-FP-012": "off" } }');
    const found = await loadLintConfig({ cwd: dir });
    assert.deepEqual(found.config.rules, { 'ABS-FP-012': 'off' });
    assert.equal(found.file, 'absolve.config.json');
    writeFileSync(join(dir, 'other.json'), '{ "settings": { "expiryDays": 90 } }');
    assert.equal((await loadLintConfig({ path: join(dir, 'other.json') })).config.settings.expiryDays, 90);
  });

  it('accepts comments and trailing commas (JSONC), never inside strings', async () => {
    writeFileSync(
      join(dir, 'commented.json'),
      '{\n  // line comment\n  "rules": { "ABS-FP-012": "off", }, /* block, */\n  "exclude": ["a//b/*.pdb", "c,]"],\n  "trust": ["certs/root.pem"],\n}\n',
    );
    const { config } = await loadLintConfig({ path: join(dir, 'commented.json') });
    assert.deepEqual(config.rules, { 'ABS-FP-012': 'off' });
    assert.deepEqual(config.exclude, ['a//b/*.pdb', 'c,]']);
    assert.deepEqual(config.trust, [join(dir, 'certs', 'root.pem')], 'trust paths are relative to the configuration file');
  });

  it('bad JSON and a missing --config file are CONFIG_INVALID', async () => {
    writeFileSync(join(dir, 'bad.json'), '{ rules: }');
    await assert.rejects(loadLintConfig({ path: join(dir, 'bad.json') }), (e: unknown) => e instanceof LintConfigError && /bad\.json: not valid JSON/.test(e.message));
    await assert.rejects(loadLintConfig({ path: join(dir, 'missing.json') }), (e: unknown) => e instanceof LintConfigError && e.code === 'CONFIG_INVALID');
  });
});
