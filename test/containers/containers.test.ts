import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { LimitExceededError, ParseError } from '../../src/binary/index.ts';
import { DEFAULT_CONTAINER_LIMITS, detectContainer, ExtractionBudget, openContainer } from '../../src/containers/index.ts';
import type { ContainerFinding, ContainerKind, ContainerLimits, ContainerListing } from '../../src/containers/index.ts';
import { entry, fixture, oracle, pathHashSet, sha256 } from './oracle.ts';

async function listAndRead(name: string, limits: ContainerLimits = DEFAULT_CONTAINER_LIMITS): Promise<{ listing: ContainerListing; files: Array<{ path: string; sha256: string }>; failures: Map<string, unknown> }> {
  const bytes = fixture(name);
  const kind = detectContainer(bytes);
  assert.ok(kind !== undefined, `${name}: not detected`);
  const listing = await openContainer(kind, bytes, limits);
  const files: Array<{ path: string; sha256: string }> = [];
  const failures = new Map<string, unknown>();
  for (const m of listing.members) {
    try {
      const data = await m.read();
      assert.equal(data.length, m.size, `${name}: ${m.path} read ${data.length} bytes, listed ${m.size}`);
      files.push({ path: m.path, sha256: sha256(data) });
    } catch (e) {
      failures.set(m.path, e);
    }
  }
  return { listing, files, failures };
}

const ids = (findings: ContainerFinding[]): string[] => findings.map((f) => f.id);

function rejectsWith(code: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

describe('detectContainer', () => {
  const expected: Record<string, ContainerKind | undefined> = {};
  for (const [name, e] of Object.entries(oracle.files)) expected[name] = e.kind as ContainerKind;
  // A half MSI still starts with the CFB signature, but its directory (and root CLSID) is gone.
  expected['msi/truncated.msi'] = 'cfb';
  for (const [name, kind] of Object.entries(expected)) {
    it(`${name} → ${String(kind)}`, () => assert.equal(detectContainer(fixture(name)), kind));
  }
  it('a plain PE (no NSIS overlay), text and empty input are not containers', () => {
    assert.equal(detectContainer(new Uint8Array(fixture('nsis/setup-zlib.exe').subarray(0, 4096))), undefined);
    assert.equal(detectContainer(new TextEncoder().encode('hello world')), undefined);
    assert.equal(detectContainer(new Uint8Array(0)), undefined);
  });
});

describe('MSI: install paths and bytes equal msiextract', () => {
  for (const name of ['msi/app.msi', 'msi/app-signed.msi', 'msi/app-signed-ex.msi', 'msi/app-signed-b.msi']) {
    it(name, async () => {
      const { listing, files, failures } = await listAndRead(name);
      assert.equal(listing.kind, 'msi');
      assert.deepEqual([...failures.keys()], []);
      assert.deepEqual(pathHashSet(files), pathHashSet(entry(name).msiextract?.extracted ?? []));
      assert.deepEqual(listing.findings, []);
      // Members are named by their File-table key inside the cabinet.
      assert.deepEqual(listing.members.map((m) => m.name).sort(), (entry(name).msiinfo?.File ?? []).map((r) => r.File).sort());
      assert.ok(listing.members.every((m) => m.method === 'mszip'));
    });
  }

  it('msi/external-cab.msi reports the external cabinet and lists nothing', async () => {
    const bytes = fixture('msi/external-cab.msi');
    const listing = await openContainer('msi', bytes, DEFAULT_CONTAINER_LIMITS);
    assert.deepEqual(listing.members, []);
    assert.deepEqual(listing.externalCabinets, ['disk1.cab']);
    assert.deepEqual(listing.findings, [{ id: 'ABS-CONTAINER-EXTERNAL-CABINET', severity: 'note', message: 'external cabinet: disk1.cab' }]);
    assert.equal(entry('msi/external-cab.msi').msiinfo?.Media?.[0]?.Cabinet, 'disk1.cab');
  });

  it('msi/truncated.msi → CFB_TRUNCATED (as "msi" and as "cfb")', async () => {
    const bytes = fixture('msi/truncated.msi');
    await assert.rejects(openContainer('msi', bytes, DEFAULT_CONTAINER_LIMITS), rejectsWith('CFB_TRUNCATED'));
    await assert.rejects(openContainer('cfb', bytes, DEFAULT_CONTAINER_LIMITS), rejectsWith('CFB_TRUNCATED'));
    assert.equal(entry('msi/truncated.msi').msiextract?.extracted.length, 0);
  });
});

describe('MSP: cabinet members equal cabextract on the patch cabinet stream', () => {
  for (const name of ['msi/patch.msp', 'msi/patch-signed.msp']) {
    it(name, async () => {
      const { listing, files, failures } = await listAndRead(name);
      assert.equal(listing.kind, 'msp');
      assert.equal(failures.size, 0);
      const expected = Object.entries(entry(name).embeddedCabinets ?? {}).flatMap(([stream, facts]) => facts.extracted.map((f) => ({ path: `${stream}/${f.path}`, sha256: f.sha256 })));
      assert.equal(expected.length, 1);
      assert.deepEqual(pathHashSet(files), pathHashSet(expected));
      assert.deepEqual(
        listing.findings.map((f) => f.message),
        ['transform: Upgrade1 (not listed)', 'transform: #Upgrade1 (not listed)'],
      );
    });
  }
});

describe('CAB: members equal cabextract (and 7zz)', () => {
  for (const name of ['cab/stored.cab', 'cab/mszip.cab', 'cab/signed.cab', 'cab/lzx.cab']) {
    it(name, async () => {
      const { listing, files, failures } = await listAndRead(name);
      assert.equal(failures.size, 0, [...failures.values()].map(String).join('; '));
      assert.deepEqual(pathHashSet(files), pathHashSet(entry(name).cabextract?.extracted ?? []));
      assert.deepEqual(pathHashSet(files), pathHashSet(entry(name).sevenZip?.extracted ?? []));
      assert.deepEqual(listing.findings, []);
      assert.deepEqual(listing.members.map((m) => m.method), listing.members.map(() => (name === 'cab/lzx.cab' ? 'lzx:16' : name === 'cab/stored.cab' ? 'none' : 'mszip')));
    });
  }
  it('cab/truncated.cab → CAB_TRUNCATED (cabextract fails too)', async () => {
    await assert.rejects(openContainer('cab', fixture('cab/truncated.cab'), DEFAULT_CONTAINER_LIMITS), rejectsWith('CAB_TRUNCATED'));
    assert.notEqual(entry('cab/truncated.cab').cabextract?.extractRc, 0);
  });
});

describe('NSIS (7z-wasm): members equal 7zz', () => {
  for (const name of ['nsis/setup-lzma-solid.exe', 'nsis/setup-zlib.exe', 'nsis/setup-bzip2.exe']) {
    it(name, async () => {
      const { listing, files, failures } = await listAndRead(name);
      assert.equal(failures.size, 0);
      assert.deepEqual(pathHashSet(files), pathHashSet(entry(name).sevenZip?.extracted ?? []));
      assert.deepEqual(listing.findings, []);
    });
  }
  it('a PE that is not an NSIS installer is refused with a ParseError', async () => {
    const pe = fixture('nsis/setup-zlib.exe').subarray(0, 40_000);
    await assert.rejects(openContainer('nsis', pe, DEFAULT_CONTAINER_LIMITS), (e: unknown) => e instanceof ParseError && String(e.code).startsWith('NSIS_'));
  });
});

describe('ZIP', () => {
  for (const name of ['zip/plain.zip', 'zip/zip64.zip', 'zip/nested.zip']) {
    it(`${name}: members equal 7zz`, async () => {
      const { listing, files, failures } = await listAndRead(name);
      assert.equal(failures.size, 0);
      assert.deepEqual(pathHashSet(files), pathHashSet(entry(name).sevenZip?.extracted ?? []));
      assert.deepEqual(listing.findings, []);
    });
  }

  it('zip/cp437.zip: a name without the UTF-8 flag is CP437 (0x81 = ü)', async () => {
    const { listing, files } = await listAndRead('zip/cp437.zip');
    assert.deepEqual(listing.members.map((m) => m.name), ['Müller.txt']);
    assert.deepEqual(files.map((f) => f.sha256), entry('zip/cp437.zip').sevenZip?.extracted?.map((f) => f.sha256));
  });

  it('zip/encrypted.zip: every member reported encrypted, none expanded', async () => {
    const { listing, failures } = await listAndRead('zip/encrypted.zip');
    const listed = (entry('zip/encrypted.zip').sevenZip?.listing ?? []).filter((l) => l.folder !== '+');
    assert.deepEqual(listing.members.map((m) => m.path).sort(), listed.map((l) => l.path).sort());
    assert.ok(listed.every((l) => l.encrypted === '+'));
    assert.ok(listing.members.every((m) => m.encrypted === true));
    assert.deepEqual(ids(listing.findings), listing.members.map(() => 'ABS-CONTAINER-ENCRYPTED'));
    for (const e of failures.values()) assert.ok(rejectsWith('ZIP_ENCRYPTED')(e));
  });

  it('zip/bzip2.zip: bzip2 and LZMA members reported, not expanded; the deflate member equals 7zz', async () => {
    const { listing, files, failures } = await listAndRead('zip/bzip2.zip');
    assert.deepEqual(listing.members.map((m) => [m.path, m.method]), [['app.exe', 'bzip2'], ['readme.txt', 'lzma'], ['ok.txt', 'deflate']]);
    assert.deepEqual(listing.findings.map((f) => [f.id, f.member]), [['ABS-CONTAINER-UNSUPPORTED-METHOD', 'app.exe'], ['ABS-CONTAINER-UNSUPPORTED-METHOD', 'readme.txt']]);
    assert.deepEqual([...failures.keys()], ['app.exe', 'readme.txt']);
    for (const e of failures.values()) assert.ok(rejectsWith('ZIP_UNSUPPORTED_METHOD')(e));
    const seven = new Map((entry('zip/bzip2.zip').sevenZip?.extracted ?? []).map((f) => [f.path, f.sha256]));
    assert.deepEqual(files, [{ path: 'ok.txt', sha256: seven.get('ok.txt') }]);
  });

  it('zip/truncated.zip → ZIP_TRUNCATED', async () => {
    await assert.rejects(openContainer('zip', fixture('zip/truncated.zip'), DEFAULT_CONTAINER_LIMITS), rejectsWith('ZIP_TRUNCATED'));
  });
});

describe('hostile archives', () => {
  it('zip/traversal.zip: names reported, kept for display, nothing written anywhere (ZIP, and the 7-Zip paths)', async () => {
    const sandbox = mkdtempSync(join(tmpdir(), 'absolve-traversal-'));
    const cwd = process.cwd();
    const outside = [resolve(sandbox, '../../evil.exe'), '/tmp/abs.exe', resolve(sandbox, '../../../up.exe'), resolve(sandbox, 'C:\\evil.exe')];
    const existedBefore = outside.map((p) => existsSync(p));
    try {
      process.chdir(sandbox);
      const { listing, files } = await listAndRead('zip/traversal.zip');
      const listed = (entry('zip/traversal.zip').sevenZip?.listing ?? []).map((l) => l.path);
      assert.deepEqual(listing.members.map((m) => m.name), listed, 'names are kept as stored');
      const flagged = listing.findings.filter((f) => f.id === 'ABS-CONTAINER-PATH-TRAVERSAL').map((f) => f.member);
      assert.deepEqual(flagged, ['../../evil.exe', '/tmp/abs.exe', 'C:/evil.exe', '//server/share/unc.exe', 'ok/../../../up.exe']);
      assert.ok(listing.findings.every((f) => f.severity === 'error'));
      assert.equal(files.length, 6, 'the bytes are still readable in memory');
      // The 7-Zip paths run on an in-memory file system: nothing lands in the working directory either.
      for (const name of ['nsis/setup-lzma-solid.exe', 'cab/lzx.cab']) {
        const { listing: l, failures } = await listAndRead(name);
        assert.equal(l.members.length > 0 && failures.size === 0, true, name);
      }
      assert.deepEqual(readdirSync(sandbox), [], 'nothing was written into the working directory');
      assert.deepEqual(outside.map((p) => existsSync(p)), existedBefore, 'nothing was written outside it');
    } finally {
      process.chdir(cwd);
      rmSync(sandbox, { recursive: true, force: true });
    }
  });

  it('zip/bomb.zip: the 1 GiB declaration is a finding, nothing is expanded, RSS stays flat', async () => {
    const rss = process.memoryUsage().rss;
    const { listing, failures } = await listAndRead('zip/bomb.zip');
    assert.deepEqual(listing.members.map((m) => m.size), [entry('zip/bomb.zip').sevenZip?.listing[0]?.size]);
    assert.equal(listing.members[0]?.size, 1024 ** 3);
    assert.deepEqual(ids(listing.findings), ['ABS-CONTAINER-BOMB']);
    assert.ok(failures.get('zeros-1GiB.bin') instanceof LimitExceededError);
    assert.ok(process.memoryUsage().rss - rss < 256 * 1024 ** 2, 'RSS growth under 256 MiB');
  });

  it('zip/lying-size.zip: a member inflating past its declared 1 MiB is stopped while inflating', async () => {
    const rss = process.memoryUsage().rss;
    const { failures } = await listAndRead('zip/lying-size.zip');
    const e = failures.get('zeros.bin');
    assert.ok(e instanceof ParseError && (e.code === 'ZIP_BAD_MEMBER' || e.code === 'LIMIT_EXCEEDED'), String(e));
    assert.ok(process.memoryUsage().rss - rss < 256 * 1024 ** 2);
  });

  it('zip/nested-bomb.zip: a recursive walk with one shared budget ends with bomb findings, RSS stays flat', async () => {
    const rss = process.memoryUsage().rss;
    const limits = DEFAULT_CONTAINER_LIMITS;
    const budget = new ExtractionBudget(limits.maxTotalExtractedBytes);
    const findings: ContainerFinding[] = [];
    let leaves = 0;
    const walk = async (bytes: Uint8Array, depth: number): Promise<void> => {
      const kind = detectContainer(bytes);
      if (kind === undefined || depth >= limits.maxDepth) {
        leaves++;
        return;
      }
      const listing = await openContainer(kind, bytes, limits, { budget });
      findings.push(...listing.findings);
      for (const m of listing.members) {
        try {
          await walk(await m.read(), depth + 1);
        } catch (e) {
          assert.ok(e instanceof LimitExceededError, String(e));
        }
      }
    };
    await walk(fixture('zip/nested-bomb.zip'), 0);
    assert.equal(findings.length, 16 * 16);
    assert.ok(findings.every((f) => f.id === 'ABS-CONTAINER-BOMB'));
    assert.equal(leaves, 0, 'no zero-filled member was expanded');
    assert.ok(budget.used < 2 * 1024 ** 2, `only the inner zips were expanded (${budget.used} bytes)`);
    assert.ok(process.memoryUsage().rss - rss < 256 * 1024 ** 2);
  });

  it('zip/nested.zip: ZIP → ZIP → CAB → PE reaches the PE bytes cabextract gives', async () => {
    const reached: Array<{ path: string; sha256: string }> = [];
    const walk = async (bytes: Uint8Array, prefix: string): Promise<void> => {
      const kind = detectContainer(bytes);
      if (kind === undefined) {
        reached.push({ path: prefix, sha256: sha256(bytes) });
        return;
      }
      const listing = await openContainer(kind, bytes, DEFAULT_CONTAINER_LIMITS);
      for (const m of listing.members) await walk(await m.read(), prefix === '' ? m.path : `${prefix}/${m.path}`);
    };
    await walk(fixture('zip/nested.zip'), '');
    const cab = (entry('cab/mszip.cab').cabextract?.extracted ?? []).map((f) => ({ path: `inner.zip/payload/contoso.cab/${f.path}`, sha256: f.sha256 }));
    const readme = (entry('cab/mszip.cab').cabextract?.extracted ?? []).find((f) => f.path === 'readme.txt');
    assert.deepEqual(pathHashSet(reached), pathHashSet([...cab, { path: 'inner.zip/payload/readme.txt', sha256: readme?.sha256 ?? '' }]));
  });

  it('maxMembers truncates the listing with a finding', async () => {
    const listing = await openContainer('zip', fixture('zip/plain.zip'), { ...DEFAULT_CONTAINER_LIMITS, maxMembers: 2 });
    assert.equal(listing.members.length, 2);
    assert.deepEqual(ids(listing.findings), ['ABS-CONTAINER-TOO-MANY-MEMBERS']);
  });

  it('maxMemberBytes and the shared budget bound read()', async () => {
    const small = { ...DEFAULT_CONTAINER_LIMITS, maxMemberBytes: 20_000 };
    for (const name of ['zip/plain.zip', 'cab/mszip.cab', 'msi/app.msi', 'nsis/setup-zlib.exe']) {
      const listing = await openContainer(detectContainer(fixture(name)) ?? 'zip', fixture(name), small);
      const big = listing.members.find((m) => m.size > 20_000);
      if (big !== undefined) await assert.rejects(big.read(), LimitExceededError, name);
      else assert.ok(name.startsWith('nsis'), `${name} should list a member over 20000 bytes`);
    }
    const budget = new ExtractionBudget(50_000);
    const listing = await openContainer('cab', fixture('cab/mszip.cab'), DEFAULT_CONTAINER_LIMITS, { budget });
    await listing.members[0]?.read();
    await assert.rejects(listing.members[1]?.read() ?? Promise.resolve(), LimitExceededError);
  });

  it('7-Zip (NSIS, LZX) output is capped while it writes: the member that hits the cap is dropped with a finding', async () => {
    // Solid LZMA: 7-Zip lists no size for the second member; only the write cap can stop it.
    assert.equal(entry('nsis/setup-lzma-solid.exe').sevenZip?.listing[2]?.size, null);
    const total = await openContainer('nsis', fixture('nsis/setup-lzma-solid.exe'), DEFAULT_CONTAINER_LIMITS, { budget: new ExtractionBudget(45_000) });
    assert.deepEqual(total.findings.map((f) => [f.id, f.member]), [['ABS-CONTAINER-BOMB', 'lib/contoso-lib.dll']]);
    assert.match(total.findings[0]?.message ?? '', /maxTotalExtractedBytes/);
    assert.deepEqual(total.members.map((m) => m.path), ['app.exe', 'readme.txt']);
    const perMember = await openContainer('nsis', fixture('nsis/setup-lzma-solid.exe'), { ...DEFAULT_CONTAINER_LIMITS, maxMemberBytes: 30_000 });
    assert.deepEqual(perMember.findings.map((f) => [f.id, f.member]), [['ABS-CONTAINER-BOMB', 'app.exe']]);
    assert.ok(!perMember.members.some((m) => m.path === 'app.exe'));
    for (const m of perMember.members) assert.equal((await m.read()).length, m.size);
    const budget = new ExtractionBudget(30_000);
    const lzx = await openContainer('cab', fixture('cab/lzx.cab'), DEFAULT_CONTAINER_LIMITS, { budget });
    await assert.rejects(lzx.members[0]?.read() ?? Promise.resolve(), LimitExceededError);
  });

  it('a compound file that is not an MSI lists its streams by storage path', async () => {
    const { buildCFB } = await import('../formats/msi/cfb-builder.ts');
    const bytes = buildCFB({ children: [{ name: 'WordDocument', content: new Uint8Array(5000).fill(1) }, { name: 'ObjectPool', children: [{ name: 'x', content: new Uint8Array(10) }] }] });
    assert.equal(detectContainer(bytes), 'cfb');
    const listing = await openContainer('cfb', bytes, DEFAULT_CONTAINER_LIMITS);
    assert.equal(listing.kind, 'cfb');
    assert.deepEqual(listing.members.map((m) => [m.path, m.size]).sort(), [['ObjectPool/x', 10], ['WordDocument', 5000]]);
  });

  it('maxContainerBytes is checked before parsing', async () => {
    await assert.rejects(openContainer('zip', fixture('zip/plain.zip'), { ...DEFAULT_CONTAINER_LIMITS, maxContainerBytes: 1000 }), LimitExceededError);
  });
});
