/**
 * Auditing inside installers and archives, checked against what msiextract, cabextract and 7-Zip
 * extracted when the fixtures were built (test/fixtures/containers/oracle.json), and each inner PE's
 * verdict against osslsigncode's verdict on the identical file (test/fixtures/pe/oracle.json).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { auditTree, MEMBER_SEPARATOR, MemoryByteSource } from '../../src/core/audit-tree.ts';
import type { ArtifactReport } from '../../src/core/audit.types.ts';
import { DEFAULT_AUDIT_LIMITS } from '../../src/core/limits.ts';
import { createContainerReader } from '../../src/containers/container-reader.ts';
import { DEFAULT_CONTAINER_LIMITS } from '../../src/containers/index.ts';
import { loadPEOracle, pemToDer, pki, repoRoot } from '../support/fixtures.ts';

const containersDir = join(repoRoot, 'test', 'fixtures', 'containers');
interface Extracted {
  path: string;
  sha256: string;
}
interface ContainerOracleEntry {
  kind: string;
  sha256: string;
  msiextract?: { extracted: Extracted[] };
  cabextract?: { extracted: Extracted[] };
  sevenZip?: { extracted?: Extracted[] };
  embeddedCabinets?: Record<string, { extracted: Extracted[] }>;
  signature?: { status: string; digestAlgorithm: string };
}
const containerOracle = (JSON.parse(readFileSync(join(containersDir, 'oracle.json'), 'utf8')) as { files: Record<string, ContainerOracleEntry> }).files;
const peOracle = loadPEOracle();
const peVerdictBySha = new Map(Object.values(peOracle.files).map((e) => [e.sha256, e.expected.status]));
const anchors = [...pemToDer(join(pki, 'ca.crt')), ...pemToDer(join(pki, 'ca-b.crt'))];

async function auditFixture(name: string, limits = DEFAULT_CONTAINER_LIMITS): Promise<ArtifactReport[]> {
  const bytes = new Uint8Array(readFileSync(join(containersDir, name)));
  return auditTree(new MemoryByteSource(bytes), {
    path: name,
    hashes: [],
    trustAnchors: anchors,
    at: new Date(peOracle.generatedAt),
    limits: DEFAULT_AUDIT_LIMITS,
    containers: createContainerReader(limits),
  });
}

/** The oracle's extraction of one container: msiextract for MSI, cabextract for CAB, the patch's cabinets for MSP, 7-Zip otherwise. */
function oracleMembers(entry: ContainerOracleEntry): Extracted[] | undefined {
  if (entry.msiextract) return entry.msiextract.extracted;
  if (entry.cabextract) return entry.cabextract.extracted;
  if (entry.embeddedCabinets) return Object.entries(entry.embeddedCabinets).flatMap(([cab, x]) => x.extracted.map((e) => ({ path: `${cab}/${e.path}`, sha256: e.sha256 })));
  return entry.sevenZip?.extracted;
}

function directMembers(reports: ArtifactReport[], container: string): Extracted[] {
  const prefix = `${container}${MEMBER_SEPARATOR}`;
  return reports
    .filter((r) => r.path.startsWith(prefix) && !r.path.slice(prefix.length).includes(MEMBER_SEPARATOR))
    .map((r) => ({ path: r.path.slice(prefix.length), sha256: r.sha256 }));
}

const sorted = (xs: Extracted[]): Extracted[] => [...xs].sort((a, b) => a.path.localeCompare(b.path));
const EXPANDABLE = ['msi/app.msi', 'msi/app-signed.msi', 'msi/app-signed-ex.msi', 'msi/app-signed-b.msi', 'msi/patch.msp', 'msi/patch-signed.msp', 'cab/stored.cab', 'cab/mszip.cab', 'cab/lzx.cab', 'cab/signed.cab', 'nsis/setup-lzma-solid.exe', 'nsis/setup-zlib.exe', 'nsis/setup-bzip2.exe', 'zip/plain.zip', 'zip/zip64.zip', 'zip/nested.zip', 'zip/cp437.zip'];

describe('auditTree: members equal the independent extractors', () => {
  for (const name of EXPANDABLE) {
    it(name, async () => {
      const entry = containerOracle[name];
      assert.ok(entry, `oracle entry for ${name}`);
      const reports = await auditFixture(name);
      assert.equal(reports[0]?.sha256, entry.sha256, 'fixture matches its oracle (rebuild both together)');
      const expected = oracleMembers(entry);
      assert.ok(expected);
      const actual = directMembers(reports, name);
      if (name === 'zip/cp437.zip') {
        // 7-Zip decodes this legacy (non-UTF-8) name as raw bytes; Absolve decodes code page 437 as ZIP's APPNOTE says.
        assert.deepEqual(actual.map((m) => m.path), ['Müller.txt']);
        assert.deepEqual(actual.map((m) => m.sha256), expected.map((m) => m.sha256));
      } else {
        assert.deepEqual(sorted(actual).map((m) => [m.path, m.sha256]), sorted(expected).map((m) => [m.path, m.sha256]));
      }
      // Each inner PE gets the verdict osslsigncode gave the identical file.
      for (const r of reports.slice(1)) {
        if (r.format !== 'pe' || r.signature === null) continue;
        const oracleStatus = peVerdictBySha.get(r.sha256);
        if (oracleStatus !== undefined) assert.equal(r.signature.status, oracleStatus, r.path);
      }
      if (entry.signature) {
        assert.equal(reports[0]?.signature?.status, entry.signature.status, `${name}: ${reports[0]?.signature?.reasonCode ?? ''}`);
        assert.equal(reports[0]?.signature?.digestAlgorithm, entry.signature.digestAlgorithm);
      }
    });
  }

  it('ZIP → ZIP → CAB → PE: every level is opened and the inner PE audited', async () => {
    const reports = await auditFixture('zip/nested.zip');
    const exe = reports.find((r) => r.path === 'zip/nested.zip!/inner.zip!/payload/contoso.cab!/bin/app.exe');
    assert.ok(exe, reports.map((r) => r.path).join('\n'));
    assert.equal(exe.format, 'pe');
    assert.equal(exe.signature?.status, 'unsigned');
  });
});

describe('auditTree: the signed-installer case', () => {
  it('a signed MSI holding an unsigned exe names the inner path and says to sign every binary', async () => {
    const [msi, ...members] = await auditFixture('msi/app-signed.msi');
    assert.equal(msi?.format, 'msi');
    assert.equal(msi?.signature?.status, 'valid');
    const finding = msi?.findings.find((f) => f.id === 'ABS-CONTAINER-UNSIGNED-MEMBER');
    assert.ok(finding);
    assert.match(finding.message, /msi\/app-signed\.msi!\/Contoso\/Contoso App\/app\.exe \(unsigned\)/);
    assert.match(finding.message, /sign every binary before packaging/);
    assert.ok(!finding.message.includes('contoso-lib.dll'), 'the signed dll is not named');
    assert.equal(members.find((m) => m.path.endsWith('/app.exe'))?.signature?.status, 'unsigned');
  });

  it('an MSI signed by certificate B with members signed by B reports B everywhere', async () => {
    const reports = await auditFixture('msi/app-signed-b.msi');
    const thumbprints = new Set(reports.flatMap((r) => (r.signature?.signer ? [r.signature.signer.subject] : [])));
    assert.deepEqual([...thumbprints], ['CN=Fabrikam Code Signing,O=Fabrikam Inc,C=US']);
  });

  it('MsiDigitalSignatureEx packages verify, including the pre-hash', async () => {
    const [msi] = await auditFixture('msi/app-signed-ex.msi');
    assert.equal(msi?.signature?.status, 'valid');
  });

  it('a truncated MSI and a truncated CAB give an error code for that file', async () => {
    const [msi] = await auditFixture('msi/truncated.msi');
    assert.match(msi?.error?.code ?? '', /^CFB_/);
    const [cab] = await auditFixture('cab/truncated.cab');
    assert.equal(cab?.error?.code, 'CAB_TRUNCATED');
  });
});

describe('auditTree: hostile archives', () => {
  it('reports traversal and absolute member names without using them as paths', async () => {
    const [zip] = await auditFixture('zip/traversal.zip');
    const names = zip?.findings.filter((f) => f.id === 'ABS-CONTAINER-PATH-TRAVERSAL').map((f) => f.message) ?? [];
    assert.ok(names.some((m) => m.includes('../../evil.exe')));
    assert.ok(names.some((m) => m.includes('/tmp/abs.exe')));
  });

  it('reports encrypted and unsupported members instead of expanding them', async () => {
    const [enc] = await auditFixture('zip/encrypted.zip');
    assert.ok(enc?.findings.some((f) => f.id === 'ABS-CONTAINER-ENCRYPTED'));
    const [bz] = await auditFixture('zip/bzip2.zip');
    assert.ok(bz?.findings.some((f) => f.id === 'ABS-CONTAINER-UNSUPPORTED-METHOD'));
  });

  it('stops at maxDepth with a finding', async () => {
    const reports = await auditFixture('zip/nested.zip', { ...DEFAULT_CONTAINER_LIMITS, maxDepth: 1 });
    assert.ok(reports.some((r) => r.findings.some((f) => f.id === 'ABS-CONTAINER-TOO-DEEP')));
    assert.ok(!reports.some((r) => r.path.includes('contoso.cab!/')));
  });
});

describe('absolve audit on bombs and traversal (a separate process, measured)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'absolve-bomb-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const probe = `
    const { auditTree, MemoryByteSource } = await import(${JSON.stringify(join(repoRoot, 'src/core/audit-tree.ts'))});
    const { createContainerReader } = await import(${JSON.stringify(join(repoRoot, 'src/containers/container-reader.ts'))});
    const { DEFAULT_CONTAINER_LIMITS } = await import(${JSON.stringify(join(repoRoot, 'src/containers/index.ts'))});
    const { DEFAULT_AUDIT_LIMITS } = await import(${JSON.stringify(join(repoRoot, 'src/core/limits.ts'))});
    const { readFileSync } = await import('node:fs');
    const { peakRssBytes } = await import(${JSON.stringify(join(repoRoot, 'test/support/report-max-rss.mjs'))});
    const bytes = new Uint8Array(readFileSync(process.argv[1]));
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const reports = await auditTree(new MemoryByteSource(bytes), { path: 'x', hashes: [], trustAnchors: [], at: new Date(0), limits: DEFAULT_AUDIT_LIMITS, containers: createContainerReader(DEFAULT_CONTAINER_LIMITS) });
    const ms = performance.now() - t0;
    const ids = reports.flatMap((r) => r.findings.map((f) => f.id));
    console.log(JSON.stringify({ ms, rssGrowth: peakRssBytes() - before, ids: [...new Set(ids)], artifacts: reports.length }));
  `;
  for (const name of ['zip/bomb.zip', 'zip/nested-bomb.zip', 'zip/traversal.zip']) {
    it(`${name}: a finding, < 256 MiB of memory, nothing written`, (t) => {
      const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', probe, join(containersDir, name)], { cwd: scratch, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const result = JSON.parse(r.stdout) as { ms: number; rssGrowth: number; ids: string[] };
      t.diagnostic(`${name}: ${result.ms.toFixed(0)} ms, RSS growth ${(result.rssGrowth / 2 ** 20).toFixed(1)} MiB`);
      assert.ok(result.rssGrowth < 256 * 2 ** 20, `RSS grew by ${result.rssGrowth} bytes`);
      assert.ok(result.ids.includes(name.includes('traversal') ? 'ABS-CONTAINER-PATH-TRAVERSAL' : 'ABS-CONTAINER-BOMB'), result.ids.join(','));
      assert.deepEqual(readdirSync(scratch), [], 'nothing written in the working folder');
    });
  }
});
