/**
 * Mutation fuzzing of the container readers (style.md practice 12): mutated and truncated real fixtures must give
 * a listing (and member reads) or a ParseError / LimitExceededError: never a TypeError/RangeError, never a hang.
 * fast-check drives the mutations with a fixed seed (reproducible; on failure it prints the shrunk case).
 * Three targets, 3,000 cases each (the 1,000,000-case runs are `npm run fuzz`, README "Fuzzing"): the CAB reader (+ MSZIP extraction + signature digest), the CFB pre-checks +
 * MSI tables + embedded cabinets (through openContainer), and the ZIP path (yauzl + our names/limits/CRC).
 * No clock here: slow-case hunting (a per-case deadline in a worker) is `npm run fuzz`'s job; a hang is caught by
 * the test runner.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ParseError } from '../../src/binary/index.ts';
import { DEFAULT_CONTAINER_LIMITS, detectContainer, inspectContainerSignature, openContainer } from '../../src/containers/index.ts';
import type { ContainerKind, ContainerLimits } from '../../src/containers/index.ts';
import { CabFolderReader, extractCabFile, parseCabinet, prepareCabSignature } from '../../src/formats/cab/index.ts';
import { parseCFBHeader } from '../../src/formats/cfb/index.ts';
import { fixture } from '../containers/oracle.ts';
import { buildCab } from './cab/cab-builder.ts';
import { buildMsiDatabase, T } from './msi/msi-builder.ts';

const SEED = 0x5eed_c0de;
const RUNS = 3_000;
const LIMITS: ContainerLimits = { ...DEFAULT_CONTAINER_LIMITS, maxMemberBytes: 4 * 1024 * 1024, maxTotalExtractedBytes: 16 * 1024 * 1024, maxMembers: 500 };

type Mutation =
  | { kind: 'flip'; at: number; hot: boolean; bit: number }
  | { kind: 'set'; at: number; hot: boolean; width: 1 | 2 | 4; value: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'copy'; from: number; to: number; length: number }
  | { kind: 'insert'; at: number; bytes: number[] };

const INTERESTING = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffa, 0xfffffffe, 0xffffffff];

// In-place edits dominate: truncations and insertions break everything after them, so they are rarer.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), hot: fc.boolean(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), hot: fc.boolean(), width: fc.constantFrom(1 as const, 2 as const, 4 as const), value: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat()) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('copy' as const), from: fc.nat(), to: fc.nat(), length: fc.integer({ min: 1, max: 600 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 16 }) }) },
);

interface Seed {
  bytes: Uint8Array;
  /** Byte ranges where structure lives (headers, tables, directories): `hot` mutations land there. */
  hot: Array<[number, number]>;
}

function applyMutations(seed: Seed, mutations: Mutation[]): Uint8Array {
  let bytes = seed.bytes.slice();
  const place = (at: number, hot: boolean): number => {
    if (hot && seed.hot.length > 0) {
      const [start, end] = seed.hot[at % seed.hot.length] ?? [0, 1];
      return start + (Math.floor(at / seed.hot.length) % Math.max(1, end - start));
    }
    return bytes.length === 0 ? 0 : at % bytes.length;
  };
  for (const m of mutations) {
    if (bytes.length === 0) break;
    switch (m.kind) {
      case 'flip': {
        const at = place(m.at, m.hot);
        if (at < bytes.length) bytes[at] = (bytes[at] ?? 0) ^ (1 << m.bit);
        break;
      }
      case 'set': {
        const at = place(m.at, m.hot);
        for (let i = 0; i < m.width && at + i < bytes.length; i++) bytes[at + i] = (m.value >>> (8 * i)) & 0xff;
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, m.keep % (bytes.length + 1));
        break;
      case 'copy': {
        const from = m.from % bytes.length;
        const chunk = bytes.slice(from, from + m.length);
        bytes.set(chunk.subarray(0, Math.max(0, bytes.length - (m.to % bytes.length))), m.to % bytes.length);
        break;
      }
      case 'insert': {
        const at = m.at % (bytes.length + 1);
        const out = new Uint8Array(bytes.length + m.bytes.length);
        out.set(bytes.subarray(0, at));
        out.set(m.bytes, at);
        out.set(bytes.subarray(at), at + m.bytes.length);
        bytes = out;
        break;
      }
    }
  }
  return bytes;
}

/** The only acceptable failures. */
function expected(e: unknown): boolean {
  return e instanceof ParseError;
}

interface Stats {
  cases: number;
  listed: number;
  rejected: Map<string, number>;
}
const newStats = (): Stats => ({ cases: 0, listed: 0, rejected: new Map() });
function count(stats: Stats, e: unknown): void {
  const code = e instanceof ParseError ? String(e.code) : 'other';
  stats.rejected.set(code, (stats.rejected.get(code) ?? 0) + 1);
}

async function fuzz(name: string, seeds: Seed[], target: (bytes: Uint8Array) => Promise<void> | void, stats: Stats): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (which, mutations) => {
      const seed = seeds[which];
      assert.ok(seed !== undefined);
      const bytes = applyMutations(seed, mutations);
      stats.cases++;
      try {
        await target(bytes);
        stats.listed++;
      } catch (e) {
        if (!expected(e)) throw new Error(`${name}: unexpected ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e)}`, { cause: e });
        count(stats, e);
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: false },
  );
}

function report(name: string, stats: Stats): void {
  const codes = [...stats.rejected].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
  console.log(`# fuzz ${name}: ${stats.cases} cases, ${stats.listed} listed, rejected: ${codes}`);
  assert.ok(stats.cases >= RUNS);
}

/** Read every member (expected failures are fine: a damaged member is not a damaged listing). */
async function readAll(kind: ContainerKind, bytes: Uint8Array): Promise<void> {
  const listing = await openContainer(kind, bytes, LIMITS);
  for (const m of listing.members) {
    try {
      const data = await m.read();
      assert.ok(data instanceof Uint8Array);
    } catch (e) {
      if (!expected(e)) throw e;
    }
  }
}

describe('container fuzzing (seeded, 3,000 cases per target)', () => {
  it('CAB reader: parseCabinet, MSZIP/none extraction, signature digest', async () => {
    const text = new TextEncoder().encode('Contoso '.repeat(9000));
    const seeds: Seed[] = [
      fixture('cab/mszip.cab'),
      fixture('cab/stored.cab'),
      fixture('cab/signed.cab'),
      fixture('cab/lzx.cab'),
      buildCab([{ name: 'a.txt', data: text }, { name: 'dir\\b.txt', data: text.subarray(0, 999), folder: 1 }], { compression: 'mszip', folders: 2, headerReserve: new Uint8Array(6), folderReserveSize: 2, dataReserveSize: 3, next: ['n.cab', 'd2'] }),
    ].map((bytes) => {
      const cab = parseCabinet(bytes);
      const hot: Array<[number, number]> = [[0, Math.min(bytes.length, cab.header.filesOffset + 200)]];
      for (const f of cab.folders) for (const b of f.blocks.slice(0, 3)) hot.push([b.headerOffset, b.dataOffset + 16]);
      return { bytes, hot };
    });
    const stats = newStats();
    await fuzz('cab', seeds, (bytes) => {
      const cab = parseCabinet(bytes);
      const readers = new Map<number, CabFolderReader>();
      for (const file of cab.files) {
        try {
          const folder = file.folder;
          if (folder === undefined) continue;
          let reader = readers.get(folder.index);
          if (reader === undefined) {
            reader = new CabFolderReader(bytes, folder);
            readers.set(folder.index, reader);
          }
          extractCabFile(bytes, file, LIMITS.maxMemberBytes, reader);
        } catch (e) {
          if (!expected(e)) throw e;
        }
      }
      prepareCabSignature(bytes, cab).computeDigest('sha256', (a) => createHash(a));
    }, stats);
    report('cab', stats);
  });

  it('CFB pre-checks + MSI tables + embedded cabinets (openContainer msi/msp/cfb, every member read)', async () => {
    const crafted = buildMsiDatabase(
      {
        Directory: { columns: [['Directory', T.key72], ['Directory_Parent', T.nstr72], ['DefaultDir', T.str255]], rows: [['TARGETDIR', null, 'SourceDir'], ['D', 'TARGETDIR', 'S|Long']] },
        Component: { columns: [['Component', T.key72], ['Directory_', T.str72]], rows: [['C', 'D']] },
        File: { columns: [['File', T.key72], ['Component_', T.str72], ['FileName', T.str255], ['FileSize', T.i4], ['Sequence', T.i2]], rows: [['a.txt', 'C', 'a.txt', 5, 1]] },
        Media: { columns: [['DiskId', T.key_i2], ['LastSequence', T.i2], ['Cabinet', T.str255]], rows: [[1, 1, '#c.cab']] },
      },
      { longRefs: true, extraStreams: [{ name: 'c.cab', content: buildCab([{ name: 'a.txt', data: new TextEncoder().encode('hello') }], { compression: 'mszip' }) }] },
    );
    const seeds: Seed[] = [fixture('msi/app.msi'), fixture('msi/patch.msp'), fixture('msi/external-cab.msi'), crafted].map((bytes) => {
      const h = parseCFBHeader(bytes);
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const sector = (s: number): [number, number] => [(s + 1) * h.sectorSize, (s + 2) * h.sectorSize];
      const hot: Array<[number, number]> = [[0, 512]];
      for (let i = 0; i < h.fatSectorCount && i < 109; i++) hot.push(sector(dv.getUint32(0x4c + i * 4, true)));
      hot.push(sector(h.firstDirectorySector));
      if (h.firstMiniFatSector < 0xfffffffa) hot.push(sector(h.firstMiniFatSector));
      return { bytes, hot };
    });
    const stats = newStats();
    await fuzz('cfb/msi', seeds, async (bytes) => {
      const kind = detectContainer(bytes);
      await readAll(kind === 'msi' || kind === 'msp' || kind === 'cfb' ? kind : 'msi', bytes);
      inspectContainerSignature('msi', bytes)?.computeDigest('sha256', (a) => createHash(a));
    }, stats);
    report('cfb/msi', stats);
  });

  it('ZIP: yauzl listing, names, limits, CRC, every member read', async () => {
    const seeds: Seed[] = ['zip/plain.zip', 'zip/zip64.zip', 'zip/traversal.zip', 'zip/cp437.zip', 'zip/encrypted.zip', 'zip/bzip2.zip', 'zip/bomb.zip'].map((name) => {
      const bytes = fixture(name);
      // Central directory and end records sit at the end; local headers at the start of each member.
      const hot: Array<[number, number]> = [[Math.max(0, bytes.length - 600), bytes.length], [0, Math.min(bytes.length, 128)]];
      return { bytes, hot };
    });
    const stats = newStats();
    await fuzz('zip', seeds, (bytes) => readAll('zip', bytes), stats);
    report('zip', stats);
  });
});
