/**
 * Mutation fuzzing of the PE parsers. Property: for ANY input, parsePEHeaders / parsePE / parseWinCertificates
 * return a value or throw a ParseError whose code is one of PE_ERROR_CODES — never a RangeError, TypeError or
 * hang — and parsePE throws only when parsePEHeaders does (damage elsewhere must become anomalies).
 *
 * Deterministic: the seed defaults to a constant; set PE_FUZZ_SEED=<n> to explore, and a failure prints the
 * seed, case number and mutation so it reproduces exactly. PE_FUZZ_SCALE=<k> multiplies the random cases.
 * No clock here: slow-case hunting (a per-case deadline in a worker) is `npm run fuzz`'s job (fuzz/README.md);
 * a hang in this file is caught by the test runner.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ParseError } from '../../../src/binary/index.ts';
import { mapRVA, parsePE, parsePEHeaders, parseWinCertificates, PE_ANOMALY_IDS, PE_ERROR_CODES, type PEHeaders } from '../../../src/formats/pe/index.ts';
import { buildPE, COFF_FIELDS, DOS_FIELDS, importSection, layout, optionalFields, resourceSection, SECTION_FIELDS, versionInfoBlob } from './pe-builder.ts';
import { mulberry32 } from '../../support/seeded-random.ts';

const SEED = Number(process.env.PE_FUZZ_SEED ?? 0x5eed_2024) >>> 0;
const SCALE = Number(process.env.PE_FUZZ_SCALE ?? 1);
const fixtures = join(import.meta.dirname, '../../fixtures');
const ERROR_CODES = new Set<string>(PE_ERROR_CODES);
const ANOMALY_IDS = new Set<string>(PE_ANOMALY_IDS);

const prng = mulberry32;

interface Base {
  name: string;
  bytes: Uint8Array;
  headers: PEHeaders;
  /** Field boundaries in the headers (every offset where some field starts or ends). */
  boundaries: number[];
  /** End of the header structures (section table end). */
  headerEnd: number;
  /** File ranges of the import/export/resource data (where deeper parsers read). */
  structureRanges: Array<[number, number]>;
}

function describeBase(name: string, bytes: Uint8Array): Base {
  const headers = parsePEHeaders(bytes);
  const boundaries = new Set<number>();
  const addFields = (start: number, fields: ReadonlyArray<readonly [string, number]>): void => {
    let at = start;
    for (const [, size] of fields) {
      boundaries.add(at);
      at += size;
    }
    boundaries.add(at);
  };
  addFields(0, DOS_FIELDS);
  boundaries.add(headers.peHeaderOffset);
  addFields(headers.peHeaderOffset + 4, COFF_FIELDS);
  addFields(headers.optionalHeaderOffset, optionalFields(headers.bits));
  const directoriesStart = headers.optionalHeaderOffset + layout(optionalFields(headers.bits)).size;
  for (let i = 0; i <= headers.dataDirectories.length; i++) boundaries.add(directoriesStart + i * 8);
  for (let i = 0; i < headers.numberOfSections; i++) addFields(headers.sectionTableOffset + i * 40, SECTION_FIELDS);
  const headerEnd = headers.sectionTableOffset + headers.numberOfSections * 40;
  const structureRanges: Array<[number, number]> = [];
  for (const index of [0, 1, 2]) {
    const d = headers.dataDirectories[index];
    const mapped = d === undefined || d.virtualAddress === 0 ? undefined : mapRVA(headers, d.virtualAddress);
    if (mapped !== undefined) structureRanges.push([mapped.offset, mapped.offset + Math.min(mapped.available, Math.max(d?.size ?? 0, 64))]);
  }
  return { name, bytes, headers, boundaries: [...boundaries].sort((a, b) => a - b), headerEnd, structureRanges };
}

function loadBases(): Base[] {
  const names = ['tiny-x64-gui.exe', 'tiny-x86-cui.exe', 'tiny-x64-lib.dll', 'tiny-x86-lib.dll', 'tiny-x64-gui-signed.exe', 'tiny-x86-lib-signed.dll'];
  const bases = names.map((n) => describeBase(n, new Uint8Array(readFileSync(join(fixtures, 'pe-extra', n)))));
  // A builder-made PE32 with every optional structure, small and dense (deep parsers get most mutations).
  const built = buildPE({
    bits: 32,
    sections: [
      { name: '.idata', data: importSection([{ dll: 'KERNEL32.dll', functions: ['ExitProcess', 7] }, { dll: 'USER32.dll', functions: ['MessageBoxW'] }], 32) },
      { name: '.rsrc', data: resourceSection([
        { type: 16, name: 1, language: 0x409, data: versionInfoBlob({ tables: { '040904b0': { CompanyName: 'Contoso Ltd', FileVersion: '1.2.3.4' }, '040704b0': { CompanyName: 'Contoso GmbH' } } }) },
        { type: 24, name: 1, language: 0, data: new TextEncoder().encode('<assembly/>') },
        { type: 'NAMED', name: 'X', language: 0, data: new Uint8Array(4) },
      ]) },
    ],
    directories: (r) => [[1, r['.idata'] ?? 0, 60], [2, r['.rsrc'] ?? 0, 0x200]],
  });
  bases.push(describeBase('builder-pe32', built.bytes));
  return bases;
}

/** A signed fixture's certificate table (for parseWinCertificates). */
function certificateTables(bases: Base[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const b of bases) {
    const t = b.headers.authenticode.certificateTable;
    if (t !== undefined && t.problem === undefined) out.push(b.bytes.subarray(t.offset, t.offset + t.size));
  }
  return out;
}

class FuzzFailure extends Error {}

function expectValueOrParseError(what: string, run: () => unknown): ParseError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof ParseError && typeof error.code === 'string' && ERROR_CODES.has(error.code)) return error;
    const detail = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    throw new FuzzFailure(`${what} threw something other than a PE ParseError: ${detail}`);
  }
}

interface Stats {
  cases: number;
  threw: number;
}

/** One case: headers, whole-file parse and a prefix parse; checks the properties described at the top. */
function checkPE(input: Uint8Array, stats: Stats): void {
  const headersError = expectValueOrParseError('parsePEHeaders', () => parsePEHeaders(input));
  let anomalyIds: string[] = [];
  const peError = expectValueOrParseError('parsePE', () => {
    anomalyIds = parsePE(input).anomalies.map((a) => a.id);
  });
  if ((headersError === undefined) !== (peError === undefined)) {
    throw new FuzzFailure(`parsePE ${peError === undefined ? 'succeeded' : `threw ${peError.code} (${peError.message})`} but parsePEHeaders ${headersError === undefined ? 'succeeded' : `threw ${headersError.code}`}`);
  }
  const unknown = anomalyIds.filter((id) => !ANOMALY_IDS.has(id));
  if (unknown.length > 0) throw new FuzzFailure(`unknown anomaly ids ${unknown.join()}`);
  expectValueOrParseError('parsePEHeaders(prefix)', () => parsePEHeaders(input.subarray(0, 512), input.length));
  stats.cases++;
  if (headersError !== undefined) stats.threw++;
}

function checkCertificates(input: Uint8Array, stats: Stats): void {
  if (expectValueOrParseError('parseWinCertificates', () => parseWinCertificates(input)) !== undefined) stats.threw++;
  stats.cases++;
}

const INTERESTING_DWORDS = [0, 0xffffffff, 0x7fffffff, 0x80000000, 1];
const INTERESTING_WORDS = [0, 0xffff, 0x7fff, 0x8000];

describe(`PE fuzz (seed ${SEED}; rerun with PE_FUZZ_SEED=${SEED})`, () => {
  const bases = loadBases();
  const tables = certificateTables(bases);
  const stats: Stats = { cases: 0, threw: 0 };
  const random = prng(SEED);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

  /** Run one case; on failure, report everything needed to reproduce it. */
  const run = (strategy: string, caseIndex: number, fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      assert.fail(`PE fuzz failure — seed ${SEED} (PE_FUZZ_SEED=${SEED}), case #${caseIndex}, ${strategy}:\n${why}`);
    }
  };

  it('interesting dwords at every header dword, interesting words at every header word', () => {
    let n = 0;
    for (const base of bases) {
      for (let at = 0; at + 4 <= base.headerEnd; at += 4) {
        for (const value of INTERESTING_DWORDS) {
          const input = base.bytes.slice();
          new DataView(input.buffer).setUint32(at, value, true);
          run(`${base.name}: dword 0x${value.toString(16)} at ${at}`, n++, () => checkPE(input, stats));
        }
      }
      for (let at = 0; at + 2 <= base.headerEnd; at += 2) {
        for (const value of INTERESTING_WORDS) {
          const input = base.bytes.slice();
          new DataView(input.buffer).setUint16(at, value, true);
          run(`${base.name}: word 0x${value.toString(16)} at ${at}`, n++, () => checkPE(input, stats));
        }
      }
    }
  });

  it('truncation at every header field boundary (±1) and every 64 bytes', () => {
    let n = 0;
    for (const base of bases) {
      const lengths = new Set<number>();
      for (const b of base.boundaries) for (const d of [-1, 0, 1]) lengths.add(b + d);
      for (let l = 0; l < base.bytes.length; l += 64) lengths.add(l);
      for (const length of lengths) {
        if (length < 0 || length > base.bytes.length) continue;
        const input = base.bytes.subarray(0, length);
        run(`${base.name}: truncated to ${length}`, n++, () => checkPE(input, stats));
        // And as a prefix of the untruncated file (headers must still resolve or report PE_TRUNCATED).
        run(`${base.name}: prefix ${length} of ${base.bytes.length}`, n++, () => {
          expectValueOrParseError('parsePEHeaders(prefix)', () => parsePEHeaders(input, base.bytes.length));
          stats.cases++;
        });
      }
    }
  });

  it('random byte sets in the headers, bit flips anywhere, mutations inside import/export/resource data, random lengths', () => {
    const cases = Math.round(14000 * SCALE);
    for (let n = 0; n < cases; n++) {
      const base = pick(bases);
      const input = base.bytes.slice();
      const steps: string[] = [];
      const mutations = 1 + int(4);
      for (let m = 0; m < mutations; m++) {
        const kind = int(5);
        if (kind === 0) {
          const at = int(base.headerEnd);
          const value = int(256);
          input[at] = value;
          steps.push(`set header[${at}]=${value}`);
        } else if (kind === 1) {
          const at = int(input.length);
          const bit = int(8);
          input[at] = (input[at] ?? 0) ^ (1 << bit);
          steps.push(`flip [${at}] bit ${bit}`);
        } else if (kind === 2 && base.structureRanges.length > 0) {
          const [from, to] = pick(base.structureRanges);
          const at = from + int(Math.max(1, to - from));
          if (at < input.length) {
            const value = pick([0, 0xff, 0x80, 0x7f, int(256)]);
            input[at] = value;
            steps.push(`set structure[${at}]=${value}`);
          }
        } else if (kind === 3 && base.structureRanges.length > 0) {
          const [from, to] = pick(base.structureRanges);
          const at = (from + int(Math.max(1, to - from))) & ~3;
          if (at + 4 <= input.length) {
            const value = pick(INTERESTING_DWORDS);
            new DataView(input.buffer).setUint32(at, value, true);
            steps.push(`dword structure[${at}]=0x${value.toString(16)}`);
          }
        } else {
          const at = int(input.length);
          const value = int(256);
          input[at] = value;
          steps.push(`set [${at}]=${value}`);
        }
      }
      const length = random() < 0.15 ? int(input.length + 1) : input.length;
      if (length !== input.length) steps.push(`truncate to ${length}`);
      const label = `${base.name}: ${steps.join(', ')}`;
      run(label, n, () => checkPE(input.subarray(0, length), stats));
    }
  });

  it('random garbage behind a valid "MZ" + "PE\\0\\0" skeleton', () => {
    for (let n = 0; n < Math.round(1500 * SCALE); n++) {
      const length = 64 + int(2048);
      const input = new Uint8Array(length);
      for (let i = 0; i < length; i++) input[i] = int(256);
      const lfanew = int(Math.min(length - 4, 512)) & ~3;
      input[0] = 0x4d;
      input[1] = 0x5a;
      new DataView(input.buffer).setUint32(0x3c, lfanew, true);
      if (lfanew >= 0x40) input.set([0x50, 0x45, 0, 0], lfanew);
      // Keep the optional header magic valid half of the time so the section table is reached.
      if (random() < 0.5 && lfanew + 26 <= length) new DataView(input.buffer).setUint16(lfanew + 24, pick([0x10b, 0x20b]), true);
      run(`garbage length ${length} e_lfanew ${lfanew}`, n, () => checkPE(input, stats));
    }
  });

  it('parseWinCertificates: mutated real tables and random tables', () => {
    assert.ok(tables.length > 0);
    for (let n = 0; n < Math.round(3000 * SCALE); n++) {
      let input: Uint8Array;
      let label: string;
      if (random() < 0.6) {
        const table = pick(tables);
        input = table.slice(0, random() < 0.3 ? int(table.length + 1) : table.length);
        const at = int(Math.min(input.length, 16)) & ~1;
        if (input.length >= at + 4) new DataView(input.buffer).setUint32(at, pick(INTERESTING_DWORDS), true);
        const flipAt = int(input.length + 1);
        if (flipAt < input.length) input[flipAt] = (input[flipAt] ?? 0) ^ (1 << int(8));
        label = `mutated table (length ${input.length}, dword at ${at}, flip at ${flipAt})`;
      } else {
        input = new Uint8Array(int(80));
        for (let i = 0; i < input.length; i++) input[i] = random() < 0.5 ? 0 : int(256);
        label = `random table of ${input.length} bytes`;
      }
      run(label, n, () => checkCertificates(input, stats));
    }
  });

  it(`ran at least 20,000 cases`, () => {
    console.log(`PE fuzz: ${stats.cases} cases (${stats.threw} threw ParseError); seed ${SEED}`);
    assert.ok(stats.cases >= 20000 * Math.min(1, SCALE), `only ${stats.cases} cases`);
  });
});
