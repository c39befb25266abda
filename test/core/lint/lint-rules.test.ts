/**
 * Every rule against a real file that must fail it and one that must pass it (test/fixtures/lint, built by
 * scripts/fixtures/build-lint-fixtures.sh, and the signed fixtures of test/fixtures/pe). The table must
 * cover every rule in LINT_RULES in both directions.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LINT_RULES, type RuleParameters } from '../../../src/core/lint/index.ts';
import { containerFixtures, factsFor, lint, lintFile, lintFixtures, peFixtures } from './helpers.ts';
import { repoRoot } from '../../support/fixtures.ts';

interface Case {
  rule: string;
  file: string;
  /** Path shown in the report (defaults to release/<file name>). */
  displayPath?: string;
  parameters?: Partial<RuleParameters>;
  /** Part of the expected failure message. */
  message?: RegExp;
}

const L = (name: string): string => join(lintFixtures, name);
const P = (name: string): string => join(peFixtures, name);
const PIN_CONTOSO_UNKNOWN = 'AA'.repeat(32);

/** [rule, file that fails it (with message), file that passes it]. */
const TABLE: Array<{ fail: Case; pass: Case }> = [
  { fail: { rule: 'ABS-SIG-001', file: P('signed-md5.exe'), message: /no signature uses SHA-2: primary md5/ }, pass: { rule: 'ABS-SIG-001', file: P('signed-dual.exe') } },
  { fail: { rule: 'ABS-SIG-002', file: P('signed-md5.exe'), message: /MD5 digest in: primary/ }, pass: { rule: 'ABS-SIG-002', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-003', file: P('signed-dual.exe'), message: /SHA-1 file digest in: primary/ }, pass: { rule: 'ABS-SIG-003', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-004', file: P('signed-notimestamp.exe'), message: /primary is not timestamped/ }, pass: { rule: 'ABS-SIG-004', file: P('signed-legacyts.exe') } },
  { fail: { rule: 'ABS-SIG-005', file: L('sig-no-publisher-x64.exe'), message: /no program name and no URL/ }, pass: { rule: 'ABS-SIG-005', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-006', file: L('sig-http-url-x64.exe'), message: /http:\/\/contoso\.example\/ is not https/ }, pass: { rule: 'ABS-SIG-006', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-007', file: L('sig-weak-key-x64.exe'), message: /signed with sha1.*RSA 1024-bit key/ }, pass: { rule: 'ABS-SIG-007', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-008', file: P('signed-tampered.exe'), message: /invalid \(DIGEST_MISMATCH\)/ }, pass: { rule: 'ABS-SIG-008', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-009', file: L('sig-padding-x64.exe'), message: /holds 8 byte\(s\) after the PKCS#7 data beyond its 8-byte alignment \(not all zero\)/ }, pass: { rule: 'ABS-SIG-009', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-010', file: L('sig-unknown-attr-x64.exe'), message: /1\.3\.6\.1\.4\.1\.42921\.1\.2\.1/ }, pass: { rule: 'ABS-SIG-010', file: P('signed-dual.exe') } },
  { fail: { rule: 'ABS-SIG-011', file: L('sig-extra-cert-x64.exe'), message: /Fabrikam Code Signing/ }, pass: { rule: 'ABS-SIG-011', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-012', file: L('sig-weak-key-x64.exe'), message: /RSA 1024-bit key \(minimum 2048\)/ }, pass: { rule: 'ABS-SIG-012', file: P('signed-ecdsa.exe') } },
  { fail: { rule: 'ABS-SIG-013', file: L('sig-big-key-x64.exe'), message: /RSA 4608-bit key \(maximum 4096\)/ }, pass: { rule: 'ABS-SIG-013', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-014', file: L('sig-two-entries-x64.exe'), message: /2 WIN_CERTIFICATE entries/ }, pass: { rule: 'ABS-SIG-014', file: L('clean-signed-x64.exe') } },
  { fail: { rule: 'ABS-SIG-015', file: L('clean-signed-x64.exe'), message: /primary signature uses sha256/ }, pass: { rule: 'ABS-SIG-015', file: P('signed-dual.exe') } },
  { fail: { rule: 'ABS-SIG-016', file: P('signed-ecdsa.exe'), message: /primary signature uses ecdsa/ }, pass: { rule: 'ABS-SIG-016', file: L('clean-signed-x64.exe') } },
  {
    // codesign-rsa is valid until 2046-12-31T23:59:59Z; without a timestamp the signature dies with it.
    fail: { rule: 'ABS-SIG-017', file: P('signed-notimestamp.exe'), parameters: { at: new Date('2046-12-15T00:00:00Z') }, message: /expires on 2046-12-31, in 16 day\(s\) \(threshold 30\)/ },
    pass: { rule: 'ABS-SIG-017', file: L('clean-signed-x64.exe') },
  },
  { fail: { rule: 'ABS-SIG-018', file: P('signed-noeku.exe'), message: /not valid for code signing \(EKU 1\.3\.6\.1\.5\.5\.7\.3\.1\)/ }, pass: { rule: 'ABS-SIG-018', file: L('clean-signed-x64.exe') } },
  {
    fail: { rule: 'ABS-SIG-019', file: L('clean-signed-x64.exe'), parameters: { pinnedSigners: [PIN_CONTOSO_UNKNOWN] }, message: /Contoso Code Signing.*not a pinned signer/ },
    pass: { rule: 'ABS-SIG-019', file: L('clean-signed-x64.exe'), parameters: { pinnedSigners: ['contoso-signer'] } },
  },
  { fail: { rule: 'ABS-FP-001', file: L('clean-x64.exe'), message: /no Authenticode signature/ }, pass: { rule: 'ABS-FP-001', file: L('clean-signed-x64.exe') } },
  {
    fail: { rule: 'ABS-FP-002', file: L('clean-x64.exe'), displayPath: 'release/setup.msi!/bin/app.exe', message: /^unsigned inside the signed container release\/setup\.msi$/ },
    pass: { rule: 'ABS-FP-002', file: L('clean-signed-x64.exe'), displayPath: 'release/setup.msi!/bin/app.exe' },
  },
  { fail: { rule: 'ABS-FP-003', file: L('no-versioninfo-x64.exe'), message: /no VS_VERSIONINFO resource/ }, pass: { rule: 'ABS-FP-003', file: L('clean-x64.exe') } },
  { fail: { rule: 'ABS-FP-004', file: L('no-versioninfo-x64.exe'), message: /no application manifest/ }, pass: { rule: 'ABS-FP-004', file: L('clean-x64.exe') } },
  { fail: { rule: 'ABS-FP-005', file: L('upx-layout-x64.exe'), message: /UPX \(section names UPX0, UPX1; entry point starts with the UPX AMD64 decompressor\)/ }, pass: { rule: 'ABS-FP-005', file: L('wx-entropy-x64.exe') } },
  { fail: { rule: 'ABS-FP-006', file: L('wx-entropy-x64.exe'), message: /section \.wxdata \(entropy 8\.00\) above 7/ }, pass: { rule: 'ABS-FP-006', file: L('clean-x64.exe') } },
  { fail: { rule: 'ABS-FP-007', file: L('wx-entropy-x64.exe'), message: /writable and executable section: \.wxdata/ }, pass: { rule: 'ABS-FP-007', file: L('clean-x64.exe') } },
  { fail: { rule: 'ABS-FP-008', file: L('overlay-random-x64.exe'), message: /262144 bytes are appended after the image at offset 5120/ }, pass: { rule: 'ABS-FP-008', file: L('overlay-zip-x64.exe') } },
  { fail: { rule: 'ABS-FP-009', file: L('tls-callback-x64.exe'), message: /3 TLS callback\(s\)/ }, pass: { rule: 'ABS-FP-009', file: L('clean-x64.exe') } },
  { fail: { rule: 'ABS-FP-010', file: L('clean-x86.exe'), message: /32-bit \(x86\) executable/ }, pass: { rule: 'ABS-FP-010', file: L('clean-x64.exe') } },
  { fail: { rule: 'ABS-FP-011', file: L('checksum-bad-x64.exe'), message: /stored checksum 0x[0-9a-f]{8} differs from the computed/ }, pass: { rule: 'ABS-FP-011', file: L('checksum-zero-x64.exe') } },
  { fail: { rule: 'ABS-FP-012', file: L('timestamp-future-x64.exe'), message: /2100-01-01T00:00:00\.000Z is in the future/ }, pass: { rule: 'ABS-FP-012', file: L('clean-x64.exe') } },
  { fail: { rule: 'ABS-FP-013', file: L('invoice.pdf.exe'), message: /"invoice\.pdf\.exe" ends in "\.pdf\.exe"/ }, pass: { rule: 'ABS-FP-013', file: L('clean-x64.exe') } },
  { fail: { rule: 'ABS-FP-014', file: join(containerFixtures, 'nsis', 'setup-zlib.exe'), message: /NSIS installer \(\.ndata section/ }, pass: { rule: 'ABS-FP-014', file: L('overlay-zip-x64.exe') } },
];

async function resultOf(c: Case) {
  const facts = await factsFor(c.file, c.displayPath === undefined ? {} : { displayPath: c.displayPath });
  // ABS-FP-002 needs the container relation; the report supplies it in the audit (see lint-apply.test.ts).
  if (c.displayPath?.includes('!/') === true) facts.container = { path: c.displayPath.slice(0, c.displayPath.lastIndexOf('!/')), signatureStatus: 'valid' };
  const parameters = { ...c.parameters };
  if (parameters.pinnedSigners?.[0] === 'contoso-signer') parameters.pinnedSigners = [facts.signature.signatures[0]?.signer?.thumbprintSha256 ?? ''];
  // Compat rules are off by default: evaluate them as if enabled.
  const rule = LINT_RULES.find((r) => r.id === c.rule);
  assert.ok(rule, c.rule);
  const outcome = rule.evaluate(facts, { ...lintParameters(), ...parameters });
  return outcome;
}

function lintParameters(): RuleParameters {
  return { expiryDays: 30, pinnedSigners: [], entropyThreshold: 7, largeOverlayBytes: 64 * 1024, at: new Date('2026-06-01T00:00:00Z') };
}

describe('lint rules on real files', () => {
  it('the table covers every rule, failing and passing', () => {
    const covered = new Set(TABLE.map((t) => t.fail.rule));
    assert.deepEqual([...covered].sort(), LINT_RULES.map((r) => r.id).sort());
    for (const t of TABLE) assert.equal(t.fail.rule, t.pass.rule);
  });

  for (const { fail, pass } of TABLE) {
    it(`${fail.rule} fails on ${fail.file.split('/').pop() ?? ''}`, async () => {
      const outcome = await resultOf(fail);
      assert.equal(outcome.result, 'fail', JSON.stringify(outcome));
      if (outcome.result === 'fail' && fail.message !== undefined) assert.match(outcome.message, fail.message);
    });
    it(`${pass.rule} passes on ${pass.file.split('/').pop() ?? ''}`, async () => {
      const outcome = await resultOf(pass);
      assert.equal(outcome.result, 'pass', JSON.stringify(outcome));
    });
  }
});

describe('acceptance: real PEs', () => {
  it('a high-entropy section that the PE declares its exception table (.pdata) is no ABS-FP-006 finding', async () => {
    const facts = await factsFor(join(repoRoot, 'test', 'fixtures', 'coverage', 'pdata-entropy-x64.exe'));
    const section = facts.pe?.sections.find((s) => s.name === '.wxdata');
    assert.equal(section?.table, 'exception');
    assert.ok((section?.entropy ?? 0) > 7.9, 'the bytes are as random as in wx-entropy-x64.exe');
    const r = lint(facts);
    assert.equal(r.get('ABS-FP-006')?.result, 'pass');
    assert.equal(r.get('ABS-FP-007')?.result, 'pass', 'no longer writable and executable');
  });

  it('a high-entropy writable+executable section yields ABS-FP-006 and ABS-FP-007 findings', async () => {
    const r = await lintFile(L('wx-entropy-x64.exe'));
    assert.equal(r.get('ABS-FP-006')?.result, 'fail');
    assert.equal(r.get('ABS-FP-006')?.severity, 'warning');
    assert.deepEqual(r.get('ABS-FP-006')?.details, { sections: [{ name: '.wxdata', entropy: 7.9971, rawSize: 65536 }] });
    assert.equal(r.get('ABS-FP-007')?.result, 'fail');
  });

  it('a missing VERSIONINFO yields ABS-FP-003', async () => {
    const r = await lintFile(L('no-versioninfo-x64.exe'));
    assert.equal(r.get('ABS-FP-003')?.result, 'fail');
    assert.equal(r.get('ABS-FP-003')?.message, 'the file has no VS_VERSIONINFO resource');
  });

  it('empty CompanyName and ProductName fail ABS-FP-003 and say which', async () => {
    const r = await lintFile(L('empty-versioninfo-x64.exe'));
    assert.match(r.get('ABS-FP-003')?.message ?? '', /no CompanyName, ProductName$/);
  });

  it('the clean signed fixture passes every rule that is on by default', async () => {
    const r = lint(await factsFor(L('clean-signed-x64.exe')));
    const notPassing = [...r.values()].filter((x) => x.result !== 'pass' && x.ruleId !== 'ABS-SIG-019' && x.ruleId !== 'ABS-FP-002');
    assert.deepEqual(notPassing, []);
    assert.equal(r.get('ABS-SIG-019')?.result, 'skip');
    assert.equal(r.has('ABS-SIG-015'), false, 'compat rules are off by default');
  });

  it('data appended after the signature fails ABS-SIG-009 with the byte count', async () => {
    const r = await lintFile(L('sig-appended-x64.exe'));
    assert.match(r.get('ABS-SIG-009')?.message ?? '', /^28 byte\(s\) follow the certificate table/);
  });

  it('a zero link timestamp fails ABS-FP-012', async () => {
    const r = await lintFile(L('timestamp-zero-x64.exe'));
    assert.equal(r.get('ABS-FP-012')?.message, 'the link timestamp is 0');
  });

  it('PyInstaller and Nuitka payload shapes are recognised bundles, not unknown overlays', async () => {
    for (const [file, bundle] of [['pyinstaller-layout-x64.exe', /PyInstaller one-file bundle/], ['nuitka-layout-x64.exe', /Nuitka onefile bundle/]] as const) {
      const r = await lintFile(L(file));
      assert.match(r.get('ABS-FP-014')?.message ?? '', bundle);
      assert.equal(r.get('ABS-FP-008')?.result, 'pass', file);
    }
  });

  it('every real NSIS installer fixture is recognised (the overlay is its payload)', async () => {
    for (const f of ['setup-zlib.exe', 'setup-bzip2.exe', 'setup-lzma-solid.exe']) {
      const r = await lintFile(join(containerFixtures, 'nsis', f));
      assert.equal(r.get('ABS-FP-014')?.result, 'fail', f);
      assert.equal(r.get('ABS-FP-008')?.result, 'pass', f);
    }
  });

  it('unsigned files skip the signature rules with a reason', async () => {
    const r = await lintFile(L('clean-x64.exe'));
    assert.deepEqual([r.get('ABS-SIG-001')?.result, r.get('ABS-SIG-001')?.message], ['skip', 'the file is not signed']);
    assert.equal(r.get('ABS-SIG-008')?.result, 'skip');
  });

  it('ABS-SIG-017 stays quiet on an expired certificate when a valid timestamp keeps the signature valid', async () => {
    const r = await lintFile(P('signed-expired-timestamped.exe'));
    assert.equal(r.get('ABS-SIG-017')?.result, 'pass');
    assert.equal(r.get('ABS-SIG-008')?.result, 'pass', 'the timestamp keeps the signature valid');
    const later = await lintFile(L('clean-signed-x64.exe'), { at: new Date('2046-12-15T00:00:00Z') });
    assert.equal(later.get('ABS-SIG-017')?.result, 'pass', 'a timestamped signature does not expire with its certificate');
  });

  it('ABS-SIG-017 reports an expired certificate without a timestamp', async () => {
    const r = await lintFile(P('signed-expired-notimestamp.exe'));
    assert.equal(r.get('ABS-SIG-017')?.result, 'fail');
    assert.match(r.get('ABS-SIG-017')?.message ?? '', /expired on 2021-01-01/);
  });

  it('ABS-SIG-019 accepts a SHA-1 pin with colons and lower case', async () => {
    const facts = await factsFor(L('clean-signed-x64.exe'));
    const sha1 = facts.signature.signatures[0]?.signer?.thumbprintSha1 ?? '';
    const pin = sha1.toLowerCase().match(/../g)?.join(':') ?? '';
    assert.equal(lint(facts, { pinnedSigners: [pin] }).get('ABS-SIG-019')?.result, 'pass');
  });
});
