/**
 * `absolve show <file>` and the JSON facts it rests on (Authenticode hash, imphash, chain, timestamp authority),
 * checked against independent tools: osslsigncode's "Current message digest" and pefile's get_imphash()
 * (recorded by scripts/fixtures/record-imphash.py).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AuditReport } from '../../src/core/audit.types.ts';
import { absolve } from '../store/cli-harness.ts';
import { repoRoot } from '../support/fixtures.ts';

const pe = (name: string): string => join(repoRoot, 'test/fixtures/pe', name);
const CA = join(repoRoot, 'test/fixtures/pki/ca.crt');
const peOracle = JSON.parse(readFileSync(pe('oracle.json'), 'utf8')) as { files: Record<string, { osslsigncode: { output: string } }> };
const imphashOracle = JSON.parse(readFileSync(pe('imphash-oracle.json'), 'utf8')) as { files: Record<string, string> };

describe('absolve show', () => {
  it('shows one file in depth: hashes, Authenticode hash, imphash, version info, chain, timestamp authority', () => {
    const r = absolve(['show', pe('signed-sha256.exe'), '--trust', CA], { env: { COLUMNS: '80' } });
    assert.equal(r.code, 0, r.stderr);
    for (const pattern of [/^ {2}SHA256 +db6343774fbdb96e/m, /^ {2}SHA1 +[0-9a-f]{40}$/m, /^ {2}MD5 +[0-9a-f]{32}$/m, /^ {2}Authenticode +[0-9a-f]{64}$/m, /^ {2}imphash +642e3fcfb17619c3b1a3c89215cf4f36$/m]) {
      assert.match(r.stdout, pattern);
    }
    assert.match(r.stdout, /CompanyName: Contoso Ltd/);
    assert.match(r.stdout, /^ {4}chain +CN=Contoso Code Signing,O=Contoso Ltd,C=US\n +CN=Absolve Test Root CA/m);
    assert.match(r.stdout, /^ {4}timestamp +2026-11-28T00:08:51Z \(rfc3161\)\n {4}TSA +CN=Absolve Test TSA/m);
    assert.ok(r.stdout.split('\n').every((l) => l.length <= 80), 'fits 80 columns');
  });

  it('JSON: the Authenticode hash is osslsigncode\'s current message digest; the imphash is pefile\'s', () => {
    const r = absolve(['show', pe('signed-sha256.exe'), '--trust', CA, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as AuditReport & { schema: string };
    assert.equal(report.schema, 'absolve.show/v1');
    const digest = /Current message digest\s*:\s*([0-9A-F]{64})/.exec(peOracle.files['signed-sha256.exe']?.osslsigncode.output ?? '')?.[1];
    assert.ok(digest);
    const [artifact] = report.artifacts;
    assert.equal(artifact?.pe?.authenticodeSha256, digest.toLowerCase());
    assert.equal(artifact?.signature?.timestamp?.authority?.subject, 'CN=Absolve Test TSA,O=Absolve Test,C=US');
    assert.equal(artifact?.signature?.chain?.length, 2);
    // The unsigned build of the same image has the same Authenticode hash (signature and checksum are left out).
    const unsigned = JSON.parse(absolve(['audit', pe('app-x64-gui.exe'), '--format', 'json']).stdout) as AuditReport;
    assert.equal(unsigned.artifacts[0]?.pe?.authenticodeSha256, digest.toLowerCase());
    const names = Object.keys(imphashOracle.files);
    const audited = JSON.parse(absolve(['audit', ...names.map(pe), '--format', 'json', '--fail-on', 'none']).stdout) as AuditReport;
    assert.deepEqual(
      Object.fromEntries(audited.artifacts.map((a) => [a.path.slice(a.path.lastIndexOf('/') + 1), a.pe?.imphash])),
      imphashOracle.files,
    );
  });

  it('exits as audit does, and refuses a folder with one usage line', () => {
    assert.equal(absolve(['show', pe('app-x64-gui.exe')]).code, 1, 'unsigned');
    const folder = absolve(['show', join(repoRoot, 'test/fixtures/pe')]);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /^absolve: USAGE: show takes one file, not a folder .*\(see `absolve show --help`\)\n$/);
  });

  it('version information: --version-info in the table, columns in --format csv (RFC 4180, formulas defused)', () => {
    const table = absolve(['audit', 'examples/release/ContosoApp/contoso.exe', '--version-info'], { env: { COLUMNS: '80' } }).stdout;
    assert.match(table, /\[Contoso Ltd, Contoso App, file 1\.2\.3\.4\]/);
    const csv = absolve(['audit', 'examples/release/ContosoApp', '--format', 'csv']).stdout;
    const [header, ...rows] = csv.trimEnd().split('\r\n');
    assert.equal(header, 'path,format,size,sha256,status,reason_code,signer,signer_thumbprint_sha1,timestamp,company,product,file_version,product_version,description,errors,warnings,policy');
    const contoso = rows.find((r) => r.startsWith('examples/release/ContosoApp/contoso.exe,'));
    assert.match(contoso ?? '', /,pe,22608,[0-9a-f]{64},untrusted,CHAIN_UNTRUSTED,Contoso Code Signing,[0-9A-F]{40},2026-11-28T[^,]+,Contoso Ltd,Contoso App,1\.2\.3\.4,1\.2\.3\.0,Contoso App,1,0,violated$/);
    assert.equal(rows.length, 7);
  });

  it('every JSON output names its schema', () => {
    const outputs = [
      absolve(['audit', pe('app-x64-gui.exe'), '--format', 'json']).stdout,
      absolve(['rules', '--format', 'json']).stdout,
      absolve(['rules', 'ABS-SIG-004', '--format', 'json']).stdout,
      absolve(['classify', 'Microsoft', 'Trojan:Win32/Wacatac.B!ml', '--format', 'json']).stdout,
    ];
    for (const text of outputs) assert.match((JSON.parse(text) as { schema?: string }).schema ?? '', /^absolve\.[a-z-]+\/v1$/, text.slice(0, 200));
  });
});
