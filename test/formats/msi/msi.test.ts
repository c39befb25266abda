import assert from 'node:assert/strict';
// First: step counting applies to functions compiled after it starts (see step-counter.ts).
import { countSteps } from '../../support/step-counter.ts';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import CFB from 'cfb';
import fc from 'fast-check';
import { LimitExceededError, ParseError } from '../../../src/binary/index.ts';
import { formatCLSID, parseCFBHeader, readCFB } from '../../../src/formats/cfb/index.ts';
import type { CFBFile } from '../../../src/formats/cfb/index.ts';
import { CFB_ENTRY_FIELDS, CFB_HEADER_FIELDS } from '../../../src/formats/cfb/cfb-reader.ts';
import { decodeMsiStreamName, defaultDirTarget, encodeMsiStreamName, openMsiDatabase, prepareMsiSignature, resolveMsiInstallLayout } from '../../../src/formats/msi/index.ts';
import type { MsiDatabase } from '../../../src/formats/msi/index.ts';
import { entry, fixture, oracle, sha256 } from '../../containers/oracle.ts';
import { buildCFB, guidBytes, MSI_CLSID } from './cfb-builder.ts';
import { buildMsiDatabase, T } from './msi-builder.ts';

const CFB_FIXTURES = Object.entries(oracle.files).filter(([name, e]) => (e.kind === 'msi' || e.kind === 'msp') && name !== 'msi/truncated.msi').map(([name]) => name);

function isParseError(code: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

function openDatabase(file: CFBFile): MsiDatabase {
  const tables = new Map(file.root.children.map((c) => [decodeMsiStreamName(c.name), c] as const).filter(([d]) => d.table).map(([d, c]) => [`!${d.name}`, c]));
  return openMsiDatabase((name) => {
    const e = tables.get(name);
    return e === undefined ? undefined : file.readStream(e);
  });
}

describe('MS-CFB header and directory entry offsets (spec table)', () => {
  it('[MS-CFB] 2.2 header and 2.6.1 directory entry', () => {
    assert.deepEqual(
      Object.values(CFB_HEADER_FIELDS),
      [0x00, 0x08, 0x18, 0x1a, 0x1c, 0x1e, 0x20, 0x22, 0x28, 0x2c, 0x30, 0x34, 0x38, 0x3c, 0x40, 0x44, 0x48, 0x4c],
    );
    // name[64], nameLen u16, type u8, color u8, left/right/child u32, clsid[16], state u32, ctime/mtime u64, start u32, size u64
    const sizes = [64, 2, 1, 1, 4, 4, 4, 16, 4, 8, 8, 4, 8];
    const offsets = sizes.reduce<number[]>((acc, _s, i) => [...acc, i === 0 ? 0 : (acc[i - 1] ?? 0) + (sizes[i - 1] ?? 0)], []);
    assert.deepEqual(Object.values(CFB_ENTRY_FIELDS), offsets);
  });
});

describe('readCFB vs the cfb package (independent reader) on every fixture', () => {
  for (const name of CFB_FIXTURES) {
    it(name, () => {
      const bytes = fixture(name);
      const mine = readCFB(bytes);
      const theirs = CFB.parse(bytes);
      const theirStreams = new Map<string, string>();
      theirs.FileIndex.forEach((e, i) => {
        if (e.type === 2) theirStreams.set((theirs.FullPaths[i] ?? '').slice((theirs.FullPaths[0] ?? '').length), sha256(Uint8Array.from(e.content)));
      });
      const myStreams = new Map(mine.entries.filter((e) => e.type === 'stream').map((e) => [e.path, sha256(mine.readStream(e))]));
      assert.deepEqual([...myStreams].sort(), [...theirStreams].sort());
      assert.equal(formatCLSID(mine.root.clsid), formatCLSID(Uint8Array.from(Buffer.from(theirs.FileIndex[0]?.clsid ?? '', 'hex'))));
    });
  }
  it('root CLSIDs: MSI {000C1084…}, MSP {000C1086…}, transforms {000C1082…}', () => {
    assert.equal(formatCLSID(readCFB(fixture('msi/app.msi')).root.clsid), '{000C1084-0000-0000-C000-000000000046}');
    const msp = readCFB(fixture('msi/patch.msp'));
    assert.equal(formatCLSID(msp.root.clsid), '{000C1086-0000-0000-C000-000000000046}');
    assert.deepEqual(msp.root.children.filter((c) => c.type === 'storage').map((c) => [c.name, formatCLSID(c.clsid)]), [
      // in directory-tree order: shorter names first ([MS-CFB] 2.6.4)
      ['Upgrade1', '{000C1082-0000-0000-C000-000000000046}'],
      ['#Upgrade1', '{000C1082-0000-0000-C000-000000000046}'],
    ]);
  });
  it('msi/truncated.msi → CFB_TRUNCATED', () => {
    assert.throws(() => readCFB(fixture('msi/truncated.msi')), isParseError('CFB_TRUNCATED'));
  });
});

describe('MSI stream names', () => {
  it('decoded non-table stream names equal msiinfo streams', () => {
    for (const name of ['msi/app.msi', 'msi/patch.msp']) {
      const file = readCFB(fixture(name));
      const decoded = file.root.children.filter((c) => c.type === 'stream').map((c) => decodeMsiStreamName(c.name)).filter((d) => !d.table).map((d) => d.name);
      assert.deepEqual(decoded.sort(), [...(entry(name).msiinfo?.streams ?? [])].filter((s) => !s.startsWith('_')).sort());
    }
  });
  it('encode ∘ decode is the identity (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._é!-'.split('')), maxLength: 40 }), fc.boolean(), (name, table) => {
        assert.deepEqual(decodeMsiStreamName(encodeMsiStreamName(name, table)), { name, table });
      }),
      { seed: 1234, numRuns: 500 },
    );
  });
});

describe('MSI tables vs msiinfo export', () => {
  for (const name of ['msi/app.msi', 'msi/app-signed-b.msi', 'msi/external-cab.msi']) {
    it(name, () => {
      const db = openDatabase(readCFB(fixture(name)));
      for (const table of ['File', 'Component', 'Directory', 'Media']) {
        const ours = (db.readTable(table)?.rows ?? []).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])));
        const key = (r: Record<string, string>): string => JSON.stringify(Object.entries(r).sort());
        assert.deepEqual(ours.map(key).sort(), (entry(name).msiinfo?.[table] ?? []).map(key).sort(), table);
      }
    });
  }
  it('install paths equal msiextract', () => {
    for (const name of ['msi/app.msi', 'msi/app-signed-b.msi']) {
      const layout = resolveMsiInstallLayout(openDatabase(readCFB(fixture(name))));
      assert.deepEqual(layout.files.map((f) => f.path).sort(), [...(entry(name).msiextract?.paths ?? [])].sort());
      assert.deepEqual(layout.files.map((f) => f.media?.embeddedStream), ['app.cab', 'app.cab', 'app.cab']);
      assert.deepEqual(layout.problems, []);
      assert.equal(layout.files.find((f) => f.key === 'readme.txt')?.shortName, 'README.TXT');
    }
    const external = resolveMsiInstallLayout(openDatabase(readCFB(fixture('msi/external-cab.msi'))));
    assert.deepEqual(external.media.map((m) => m.externalCabinet), ['disk1.cab']);
  });
  it('DefaultDir forms', () => {
    assert.equal(defaultDirTarget('PROGRA~1|Program Files'), 'Program Files');
    assert.equal(defaultDirTarget('TARGET~1|Target Dir:SOURCE~1|Source Dir'), 'Target Dir');
    assert.equal(defaultDirTarget('.'), '.');
    assert.equal(defaultDirTarget('.:Src'), '.');
  });
});

describe('crafted MSI databases', () => {
  const directory = (rows: Array<[string, string | null, string]>) => ({ columns: [['Directory', T.key72], ['Directory_Parent', T.nstr72], ['DefaultDir', T.str255]] as Array<[string, number]>, rows });
  const component = (rows: Array<[string, string]>) => ({ columns: [['Component', T.key72], ['Directory_', T.str72]] as Array<[string, number]>, rows });
  const file = (rows: Array<[string, string, string, number, number]>) => ({ columns: [['File', T.key72], ['Component_', T.str72], ['FileName', T.str255], ['FileSize', T.i4], ['Sequence', T.i2]] as Array<[string, number]>, rows });
  const media = (rows: Array<[number, number, string | null]>) => ({ columns: [['DiskId', T.key_i2], ['LastSequence', T.i2], ['Cabinet', T.str255]] as Array<[string, number]>, rows });

  it('long string references (3-byte ids), a string over 64 KiB, negative and null integers', () => {
    const long = 'L'.repeat(70_000);
    const bytes = buildMsiDatabase(
      {
        Directory: directory([['TARGETDIR', null, 'SourceDir'], ['A', 'TARGETDIR', 'SHORT|Long Name'], ['B', 'A', '.'], ['C', 'B', 'c:src']]),
        Component: component([['Comp', 'C']]),
        File: file([['f1', 'Comp', 'F1~1.EXE|first file.exe', 123, 1], ['f2', 'Comp', long, -5, 2]]),
        Media: media([[1, 1, '#one.cab'], [2, 9, 'two.cab']]),
      },
      { longRefs: true, codepage: 65001 },
    );
    const db = openDatabase(readCFB(bytes));
    assert.equal(db.longStringRefs, true);
    assert.equal(db.codepage, 65001);
    const layout = resolveMsiInstallLayout(db);
    assert.deepEqual(layout.files.map((f) => [f.path.length > 100 ? `${f.path.slice(0, 12)}…${f.path.length}` : f.path, f.size, f.media?.embeddedStream ?? f.media?.externalCabinet]), [
      ['Long Name/c/first file.exe', 123, 'one.cab'],
      [`Long Name/c/…${'Long Name/c/'.length + 70_000}`, -5, 'two.cab'],
    ]);
    assert.equal(layout.files[1]?.fileName, long);
  });

  it('a Directory_Parent loop and a missing directory are problems, not hangs', () => {
    const bytes = buildMsiDatabase({
      Directory: directory([['A', 'B', 'a'], ['B', 'A', 'b']]),
      Component: component([['C1', 'A'], ['C2', 'Nowhere']]),
      File: file([['f', 'C1', 'x.exe', 1, 1], ['g', 'C2', 'y.exe', 1, 1]]),
      Media: media([]),
    });
    const layout = resolveMsiInstallLayout(openDatabase(readCFB(bytes)));
    assert.equal(layout.files.length, 2);
    assert.ok(layout.problems.some((p) => p.includes('loop')));
    assert.ok(layout.problems.some((p) => p.includes('Nowhere')));
  });

  it('a table whose size is not a whole number of rows → MSI_BAD_TABLE; a string id past the pool → MSI_BAD_TABLE', () => {
    const good = buildMsiDatabase({ File: file([['f', 'c', 'n', 1, 1]]) });
    const cfb = readCFB(good);
    const streams = new Map(cfb.root.children.map((c) => [`!${decodeMsiStreamName(c.name).name}`, cfb.readStream(c)]));
    const withFile = (data: Uint8Array) => openMsiDatabase((n) => (n === '!File' ? data : streams.get(n)));
    const fileData = streams.get('!File') ?? new Uint8Array();
    assert.throws(() => withFile(fileData.subarray(1)).readTable('File'), isParseError('MSI_BAD_TABLE'));
    const badRef = fileData.slice();
    new DataView(badRef.buffer).setUint16(0, 0x7777, true);
    assert.throws(() => withFile(badRef).readTable('File'), isParseError('MSI_BAD_TABLE'));
    assert.throws(() => openMsiDatabase((n) => (n === '!_StringPool' ? new Uint8Array(6) : streams.get(n))), isParseError('MSI_BAD_STRING_POOL'));
    assert.throws(() => openMsiDatabase(() => undefined), isParseError('MSI_NOT_DATABASE'));
  });
});

describe('MSI/MSP Authenticode digests vs osslsigncode', () => {
  const hasher = (alg: string) => createHash(alg);
  for (const name of ['msi/app-signed.msi', 'msi/app-signed-ex.msi', 'msi/app-signed-b.msi', 'msi/patch-signed.msp']) {
    it(name, () => {
      const sig = entry(name).signature;
      assert.ok(sig !== undefined);
      assert.equal(sig.status, 'valid');
      assert.equal(sig.spcDataType, '1.3.6.1.4.1.311.2.1.30');
      const info = prepareMsiSignature(readCFB(fixture(name)));
      assert.ok(info.signatureBlob !== undefined);
      assert.equal(sha256(info.signatureBlob), sig.signatureSha256);
      assert.equal(Buffer.from(info.computeDigest(sig.digestAlgorithm, hasher)).toString('hex'), sig.digest);
      if (name.endsWith('-ex.msi')) {
        assert.ok(info.exBlob !== undefined);
        const prehash = Buffer.from(info.computePrehash(sig.digestAlgorithm, hasher)).toString('hex');
        assert.equal(prehash, sig.osslsigncodeCurrentMsiDigitalSignatureEx);
        assert.equal(Buffer.from(info.exBlob).toString('hex'), prehash);
      } else {
        assert.equal(info.exBlob, undefined);
      }
    });
  }
  it('unsigned: no blob; one changed stream byte changes the digest', () => {
    const unsigned = prepareMsiSignature(readCFB(fixture('msi/app.msi')));
    assert.equal(unsigned.signatureBlob, undefined);
    const signedDigest = entry('msi/app-signed.msi').signature?.digest;
    assert.equal(Buffer.from(unsigned.computeDigest('sha256', hasher)).toString('hex'), signedDigest, 'signing adds only the excluded signature stream');
    const bytes = fixture('msi/app.msi').slice();
    const file = readCFB(bytes);
    const cab = file.root.children.find((c) => decodeMsiStreamName(c.name).name === 'app.cab');
    assert.ok(cab !== undefined);
    const at = (cab.startSector + 1) * 512 + 100;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    assert.notEqual(Buffer.from(prepareMsiSignature(readCFB(bytes)).computeDigest('sha256', hasher)).toString('hex'), signedDigest);
  });
});

describe('crafted compound files', () => {
  const small = (): Uint8Array => buildCFB({ clsid: guidBytes(MSI_CLSID), children: [{ name: 'big', content: new Uint8Array(9000).fill(7) }, { name: 'small', content: new Uint8Array(100).fill(3) }, { name: 'dir', children: [{ name: 'inner', content: new Uint8Array(5000).fill(1) }] }] });
  const layoutOf = (bytes: Uint8Array) => {
    const h = parseCFBHeader(bytes);
    return { fatAt: (new DataView(bytes.buffer).getUint32(0x4c, true) + 1) * 512, dirAt: (h.firstDirectorySector + 1) * 512 };
  };

  it('reads streams in storages and the mini stream', () => {
    const file = readCFB(small());
    assert.deepEqual(file.entries.map((e) => [e.path, e.type, e.size]), [
      ['', 'root', 128],
      ['big', 'stream', 9000],
      ['dir', 'storage', 0],
      ['small', 'stream', 100],
      ['dir/inner', 'stream', 5000],
    ].sort((a, b) => (a[0] === '' ? -1 : b[0] === '' ? 1 : 0)));
    for (const e of file.entries.filter((x) => x.type === 'stream')) assert.equal(file.readStream(e).length, e.size);
    assert.throws(() => file.readStream(file.entries[1]!, 10), LimitExceededError);
  });

  it('a header claiming 2^32-1 FAT sectors is refused before any allocation', () => {
    const bytes = small().slice();
    new DataView(bytes.buffer).setUint32(0x2c, 0xffffffff, true);
    assert.throws(() => readCFB(bytes), isParseError('CFB_TRUNCATED'));
  });

  it('a FAT chain that loops → CFB_BAD_CHAIN', () => {
    const bytes = small().slice();
    const { fatAt } = layoutOf(bytes);
    new DataView(bytes.buffer).setUint32(fatAt + 1 * 4, 0, true); // sector 1 → 0 → 1 …
    assert.throws(() => readCFB(bytes), isParseError('CFB_BAD_CHAIN'));
  });

  it('a directory tree that loops → CFB_BAD_DIRECTORY', () => {
    const bytes = small().slice();
    const { dirAt } = layoutOf(bytes);
    const dv = new DataView(bytes.buffer);
    const child = dv.getUint32(dirAt + 0x4c, true);
    dv.setUint32(dirAt + child * 128 + 0x44, child, true); // the root's child is its own left sibling
    assert.throws(() => readCFB(bytes), isParseError('CFB_BAD_DIRECTORY'));
  });

  it('a mini chain that loops, a stream bigger than its chain', () => {
    const bytes = small().slice();
    const file = readCFB(bytes);
    const smallEntry = file.entries.find((e) => e.name === 'small');
    assert.ok(smallEntry !== undefined);
    const { dirAt } = layoutOf(bytes);
    const grown = bytes.slice();
    new DataView(grown.buffer).setUint32(dirAt + smallEntry.id * 128 + 0x78, 4000, true);
    assert.throws(() => readCFB(grown), isParseError('CFB_BAD_CHAIN'));
    const h = parseCFBHeader(bytes);
    const miniFatAt = (new DataView(bytes.buffer).getUint32(0x3c, true) + 1) * 512;
    const loop = bytes.slice();
    new DataView(loop.buffer).setUint32(miniFatAt + smallEntry.startSector * 4, smallEntry.startSector, true); // m → m
    assert.ok(h.sectorSize === 512);
    assert.throws(() => readCFB(loop), isParseError('CFB_BAD_CHAIN'));
  });

  it('an orphan FAT chain in reverse order (quadratic for the cfb package) costs linear work here (steps counted)', async () => {
    const orphanChain = (n: number): Uint8Array => buildCFB({ children: [{ name: 'big', content: new Uint8Array(n * 512) }, { name: 'x', content: new Uint8Array(10) }] }, (f, layout) => {
      const dv = new DataView(f.buffer);
      const fatAt = 512 * (1 + layout.fatStart);
      for (let k = 0; k < n; k++) dv.setUint32(fatAt + k * 4, k === 0 ? 0xfffffffe : k - 1, true);
      const dirAt = 512 * (1 + layout.directoryStart);
      for (let e = 0; e < layout.entries; e++) {
        if (dv.getUint16(dirAt + e * 128, true) === 0x62 /* 'b' */) {
          dv.setUint32(dirAt + e * 128 + 0x74, 0xfffffffe, true);
          dv.setUint32(dirAt + e * 128 + 0x78, 0, true);
        }
      }
    });
    const short = orphanChain(1000);
    const long = orphanChain(4000);
    assert.deepEqual(readCFB(long).entries.map((e) => e.size).sort((a, b) => a - b), [0, 10, 64]);
    const shortSteps = await countSteps(() => readCFB(short));
    const longSteps = await countSteps(() => readCFB(long));
    assert.ok(shortSteps > 1000, `${shortSteps} steps`);
    // 4× the chain: about 4× the work for a linear walk, 16× for the quadratic one.
    assert.ok(longSteps / shortSteps < 5, `steps ${shortSteps} → ${longSteps}`);
  });

  it('too many directory entries → LimitExceededError', () => {
    const children = Array.from({ length: 40 }, (_, i) => ({ name: `s${i}`, content: new Uint8Array(1) }));
    assert.throws(() => readCFB(buildCFB({ children }), { maxDirectoryEntries: 10, maxStorageDepth: 8 }), LimitExceededError);
  });
});
