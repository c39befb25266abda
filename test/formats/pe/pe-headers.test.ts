import assert from 'node:assert/strict';
// First: step counting applies to functions compiled after it starts (see step-counter.ts).
import { countSteps } from '../../support/step-counter.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ParseError } from '../../../src/binary/index.ts';
import { COFF_HEADER_FIELDS, DOS_HEADER_FIELDS, OPTIONAL_HEADER_FIELDS, SECTION_HEADER_FIELDS } from '../../../src/formats/pe/pe-headers.ts';
import { looksLikePE, parsePEHeaders, type PEErrorCode, type PEHeaders } from '../../../src/formats/pe/index.ts';
import { buildPE, COFF_FIELDS, DOS_FIELDS, layout, off, optionalFields, patch, SECTION_FIELDS } from './pe-builder.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');

interface ObjdumpFacts {
  magic: number; majorLinkerVersion: number; minorLinkerVersion: number; addressOfEntryPoint: number; imageBase: string;
  sectionAlignment: number; fileAlignment: number; sizeOfImage: number; sizeOfHeaders: number; checksum: number;
  subsystem: number; dllCharacteristics: number; numberOfRvaAndSizes: number; characteristics: number;
  dataDirectories: Array<{ index: number; virtualAddress: number; size: number }>;
  sections: Array<{ name: string; vma: string; fileOffset: number; size: number }>;
}
interface PefileFacts {
  eLfanew: number; machine: number; numberOfSections: number; timeDateStamp: number; pointerToSymbolTable: number;
  numberOfSymbols: number; sizeOfOptionalHeader: number; checksumFieldOffset: number; securityDirectoryEntryOffset: number;
  sections: Array<{ rawName: string; virtualSize: number; virtualAddress: number; sizeOfRawData: number; pointerToRawData: number; characteristics: number }>;
}
export interface OracleEntry { sha256: string; size: number; error?: string; objdump?: ObjdumpFacts; pefile?: PefileFacts }
interface EngineerOracle { files: Record<string, { isPE: boolean; machine: string | null; bits: number | null; isDll: boolean | null; subsystem: string | null; sha256: string }> }

const oracle = JSON.parse(readFileSync(join(fixtures, 'pe-extra/pe-oracle.json'), 'utf8')) as { files: Record<string, OracleEntry> };

/** Fixture bytes, or undefined when the file changed since the oracle was recorded (the oracle must be rerun). */
function loadFixture(name: string, sha256: string): Uint8Array | undefined {
  const bytes = new Uint8Array(readFileSync(join(fixtures, name)));
  return createHash('sha256').update(bytes).digest('hex') === sha256 ? bytes : undefined;
}

function isParseError(code: PEErrorCode | 'LIMIT_EXCEEDED') {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

describe('parsePEHeaders vs objdump / pefile (pe-oracle.json)', () => {
  for (const [name, entry] of Object.entries(oracle.files)) {
    it(`${name}`, (t) => {
      const bytes = loadFixture(name, entry.sha256);
      if (bytes === undefined) return t.skip(`${name} changed since pe-oracle.json was recorded: rerun scripts/fixtures/record-pe-oracle.sh`);
      const od = entry.objdump;
      const pf = entry.pefile;
      if (od === undefined || pf === undefined) {
        // objdump refused it: so must we (or at least the sniff must).
        assert.throws(() => parsePEHeaders(bytes), ParseError);
        return undefined;
      }
      const h = parsePEHeaders(bytes);
      assert.equal(h.peHeaderOffset, pf.eLfanew);
      assert.equal(h.machine, pf.machine);
      assert.equal(h.numberOfSections, pf.numberOfSections);
      assert.equal(h.timeDateStamp, pf.timeDateStamp);
      assert.equal(h.pointerToSymbolTable, pf.pointerToSymbolTable);
      assert.equal(h.numberOfSymbols, pf.numberOfSymbols);
      assert.equal(h.sizeOfOptionalHeader, pf.sizeOfOptionalHeader);
      assert.equal(h.characteristics, od.characteristics);
      assert.equal(h.magic, od.magic);
      assert.equal(h.bits, od.magic === 0x20b ? 64 : 32);
      assert.equal(h.majorLinkerVersion, od.majorLinkerVersion);
      assert.equal(h.minorLinkerVersion, od.minorLinkerVersion);
      assert.equal(h.addressOfEntryPoint, od.addressOfEntryPoint);
      assert.equal(h.imageBase, BigInt(od.imageBase));
      assert.equal(h.sectionAlignment, od.sectionAlignment);
      assert.equal(h.fileAlignment, od.fileAlignment);
      assert.equal(h.sizeOfImage, od.sizeOfImage);
      assert.equal(h.sizeOfHeaders, od.sizeOfHeaders);
      assert.equal(h.checksum, od.checksum);
      assert.equal(h.subsystem, od.subsystem);
      assert.equal(h.dllCharacteristics, od.dllCharacteristics);
      assert.equal(h.numberOfRvaAndSizes, od.numberOfRvaAndSizes);
      assert.deepEqual(h.dataDirectories.map((d) => ({ index: d.index, virtualAddress: d.virtualAddress, size: d.size })), od.dataDirectories);
      // objdump resolves long names; pefile gives the raw header fields.
      assert.deepEqual(h.sections.map((s) => s.name), od.sections.map((s) => s.name));
      assert.deepEqual(h.sections.map((s) => BigInt(s.virtualAddress) + h.imageBase), od.sections.map((s) => BigInt(s.vma)));
      assert.deepEqual(
        h.sections.map((s) => ({ rawName: s.rawName, virtualSize: s.virtualSize, virtualAddress: s.virtualAddress, sizeOfRawData: s.sizeOfRawData, pointerToRawData: s.pointerToRawData, characteristics: s.characteristics })),
        pf.sections,
      );
      assert.equal(h.authenticode.checksumOffset, pf.checksumFieldOffset);
      assert.equal(h.authenticode.securityDirectoryEntryOffset, pf.securityDirectoryEntryOffset);
      const security = od.dataDirectories[4];
      if (security === undefined || security.size === 0) assert.equal(h.authenticode.certificateTable, undefined);
      else assert.deepEqual({ offset: h.authenticode.certificateTable?.offset, size: h.authenticode.certificateTable?.size }, { offset: security.virtualAddress, size: security.size });
      return undefined;
    });
  }
});

describe('parsePEHeaders vs the fixture builder oracle (test/fixtures/pe/oracle.json)', () => {
  let engineer: EngineerOracle | undefined;
  try {
    engineer = JSON.parse(readFileSync(join(fixtures, 'pe/oracle.json'), 'utf8')) as EngineerOracle;
  } catch {
    engineer = undefined;
  }
  it('has the oracle', (t) => {
    if (engineer === undefined) t.skip('test/fixtures/pe/oracle.json not present yet');
  });
  for (const [name, facts] of Object.entries(engineer?.files ?? {})) {
    it(name, (t) => {
      const bytes = loadFixture(`pe/${name}`, facts.sha256);
      if (bytes === undefined) return t.skip(`${name} differs from test/fixtures/pe/oracle.json`);
      if (!facts.isPE) {
        assert.throws(() => parsePEHeaders(bytes), ParseError);
        return undefined;
      }
      const h = parsePEHeaders(bytes);
      assert.equal(h.machineName, facts.machine);
      assert.equal(h.bits, facts.bits);
      assert.equal(h.isDll, facts.isDll);
      assert.equal(h.subsystemName, facts.subsystem);
      assert.equal(looksLikePE(bytes), true);
      return undefined;
    });
  }
});

describe('long section names', () => {
  it('resolves /N through the COFF string table (tiny-x64-gui.exe, MinGW ld --enable-long-section-names)', () => {
    const h = parsePEHeaders(new Uint8Array(readFileSync(join(fixtures, 'pe-extra/tiny-x64-gui.exe'))));
    const long = h.sections.find((s) => s.name === '.absolve_long_section_name');
    assert.ok(long, h.sections.map((s) => s.name).join());
    assert.match(long.rawName, /^\/\d+$/);
    assert.deepEqual(h.anomalies, []);
  });

  it('resolves builder-made long names and keeps the raw name', () => {
    const { bytes } = buildPE({ longNames: true, sections: [{ name: '.text', data: new Uint8Array([0xc3]) }, { name: '.a_very_long_name', data: new Uint8Array(4) }] });
    const h = parsePEHeaders(bytes);
    assert.deepEqual(h.sections.map((s) => [s.name, s.rawName]), [['.text', '.text'], ['.a_very_long_name', '/4']]);
  });

  it('falls back to the raw name with an anomaly when the string table is outside the parsed prefix', () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'pe-extra/tiny-x64-gui.exe')));
    const h = parsePEHeaders(bytes.subarray(0, 1024), bytes.length);
    const long = h.sections.find((s) => s.rawName.startsWith('/'));
    assert.equal(long?.name, long?.rawName);
    assert.deepEqual(h.anomalies.map((a) => a.id), ['PE_SECTION_NAME_UNRESOLVED']);
  });
});

describe('prefix parsing', () => {
  it('gives the same headers from a prefix as from the whole file (fileSize = true size)', () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'pe-extra/tiny-x64-gui-signed.exe')));
    const whole = parsePEHeaders(bytes);
    const prefix = parsePEHeaders(bytes.subarray(0, whole.sizeOfHeaders), bytes.length);
    const strip = (h: PEHeaders): unknown => ({ ...h, sections: h.sections.map((s) => ({ ...s, name: s.rawName })), anomalies: [] });
    assert.deepEqual(strip(prefix), strip(whole));
    assert.deepEqual(prefix.authenticode, whole.authenticode);
    assert.ok(whole.authenticode.certificateTable !== undefined && whole.authenticode.certificateTable.problem === undefined);
  });

  it('does the same work on a 64 KiB and a 16 MiB prefix (reads the headers, never scans the buffer; steps counted)', async () => {
    const pe = new Uint8Array(readFileSync(join(fixtures, 'pe-extra/tiny-x86-cui.exe')));
    const prefix = (size: number): Uint8Array => {
      const bytes = new Uint8Array(size);
      bytes.set(pe);
      return bytes;
    };
    const small = prefix(64 << 10);
    const large = prefix(16 << 20);
    const smallSteps = await countSteps(() => parsePEHeaders(small, 50 << 20));
    const largeSteps = await countSteps(() => parsePEHeaders(large, 50 << 20));
    assert.ok(smallSteps > 0);
    assert.equal(largeSteps, smallSteps, '256× more bytes must not mean more work');
  });

  it('ignores bytes beyond fileSize', () => {
    const { bytes, sectionTableOffset } = buildPE();
    assert.throws(() => parsePEHeaders(bytes, sectionTableOffset + 10), isParseError('PE_SECTION_TABLE_PAST_EOF'));
    assert.throws(() => parsePEHeaders(bytes, -1), TypeError);
  });
});

describe('header field offsets (table-driven, at a non-zero buffer offset)', () => {
  const dos = layout(DOS_FIELDS);
  const coff = layout(COFF_FIELDS);
  const sec = layout(SECTION_FIELDS);

  it('matches the spec field lists', () => {
    assert.equal(dos.size, 64);
    assert.equal(coff.size, 20);
    assert.equal(sec.size, 40);
    assert.equal(layout(optionalFields(32)).size, 96);
    assert.equal(layout(optionalFields(64)).size, 112);
    for (const [k, v] of Object.entries(DOS_HEADER_FIELDS)) assert.equal(v, off(dos, k), k);
    for (const [k, v] of Object.entries(COFF_HEADER_FIELDS)) assert.equal(v, off(coff, k), k);
    for (const [k, v] of Object.entries(SECTION_HEADER_FIELDS)) assert.equal(v, off(sec, k), k);
    for (const bits of [32, 64] as const) {
      const opt = layout(optionalFields(bits));
      const table = bits === 64 ? OPTIONAL_HEADER_FIELDS.pe32Plus : OPTIONAL_HEADER_FIELDS.pe32;
      for (const [k, v] of Object.entries(table)) assert.equal(v, k === 'DataDirectories' ? opt.size : off(opt, k), `${bits}: ${k}`);
    }
  });

  for (const bits of [32, 64] as const) {
    for (const bufferOffset of [0, 37]) {
      it(`reads every field it reports (PE${bits === 64 ? '32+' : '32'}, buffer offset ${bufferOffset})`, () => {
        const built = buildPE({ bits, sections: [{ name: '.text', data: new Uint8Array(16), characteristics: 0x60000020 }, { name: '.data', data: new Uint8Array(8), characteristics: 0xc0000040 }] });
        const opt = layout(optionalFields(bits));
        const o = (name: string): number => built.optionalHeaderOffset + off(opt, name);
        const c = (name: string): number => built.coffOffset + off(coff, name);
        const s1 = (name: string): number => built.sectionTableOffset + sec.size + off(sec, name);
        // Distinct values per field, so a wrong offset reads a wrong value.
        const writes: Array<[number, number, 1 | 2 | 4]> = [
          [c('TimeDateStamp'), 0x11223344, 4], [c('PointerToSymbolTable'), 0, 4], [c('NumberOfSymbols'), 0x00000007, 4],
          [c('Characteristics'), 0x2022, 2], [o('MajorLinkerVersion'), 0x0a, 1], [o('MinorLinkerVersion'), 0x0b, 1],
          [o('AddressOfEntryPoint'), 0x1234, 4], [o('SectionAlignment'), 0x2000, 4], [o('FileAlignment'), 0x400, 4],
          [o('SizeOfImage'), 0x7000, 4], [o('CheckSum'), 0xcafe, 4], [o('Subsystem'), 2, 2], [o('DllCharacteristics'), 0x0140, 2],
          [s1('VirtualSize'), 0x0123, 4], [s1('Characteristics'), 0xc0000040, 4],
          [built.dataDirectoriesOffset + 4 * 8, 0x400, 4], [built.dataDirectoriesOffset + 4 * 8 + 4, 8, 4],
        ];
        const image = patch(built.bytes, ...writes);
        if (bits === 64) new DataView(image.buffer).setBigUint64(o('ImageBase'), 0x1_8000_0000n, true);
        else new DataView(image.buffer).setUint32(o('ImageBase'), 0x10000000, true);
        // Place the image inside a larger buffer to catch readers that ignore byteOffset.
        const backing = new Uint8Array(bufferOffset + image.length + 16).fill(0xee);
        backing.set(image, bufferOffset);
        const h = parsePEHeaders(backing.subarray(bufferOffset, bufferOffset + image.length));
        assert.equal(h.timeDateStamp, 0x11223344);
        assert.equal(h.numberOfSymbols, 7);
        assert.equal(h.characteristics, 0x2022);
        assert.equal(h.isDll, true);
        assert.equal(h.majorLinkerVersion, 0x0a);
        assert.equal(h.minorLinkerVersion, 0x0b);
        assert.equal(h.addressOfEntryPoint, 0x1234);
        assert.equal(h.imageBase, bits === 64 ? 0x1_8000_0000n : 0x10000000n);
        assert.equal(h.sectionAlignment, 0x2000);
        assert.equal(h.fileAlignment, 0x400);
        assert.equal(h.sizeOfImage, 0x7000);
        assert.equal(h.checksum, 0xcafe);
        assert.equal(h.subsystemName, 'windows-gui');
        assert.equal(h.dllCharacteristics, 0x0140);
        assert.equal(h.sections[1]?.virtualSize, 0x0123);
        assert.deepEqual([h.sections[1]?.readable, h.sections[1]?.writable, h.sections[1]?.executable], [true, true, false]);
        assert.deepEqual([h.sections[0]?.readable, h.sections[0]?.writable, h.sections[0]?.executable], [true, false, true]);
        assert.equal(h.machineName, bits === 64 ? 'x64' : 'x86');
        assert.equal(h.authenticode.checksumOffset, o('CheckSum'));
        assert.equal(h.authenticode.securityDirectoryEntryOffset, built.dataDirectoriesOffset + 32);
        assert.equal(h.sectionTableOffset, built.sectionTableOffset);
        assert.equal(h.optionalHeaderOffset, built.optionalHeaderOffset);
        // Directory 4 at 0x400 is inside section data (headers end at 0x200): accepted but not "at the end".
        assert.deepEqual(h.authenticode.certificateTable, { offset: 0x400, size: 8 });
        assert.ok(h.anomalies.some((a) => a.id === 'PE_CERTIFICATE_TABLE_NOT_AT_END'));
      });
    }
  }
});

describe('malformed headers (byte-builder literals)', () => {
  const good = buildPE();
  const dos = layout(DOS_FIELDS);
  const coff = layout(COFF_FIELDS);
  const c = (name: string): number => good.coffOffset + off(coff, name);
  const cases: Array<[string, Uint8Array, PEErrorCode | 'LIMIT_EXCEEDED', number?]> = [
    ['empty input', new Uint8Array(0), 'PE_NOT_MZ'],
    ['"ZM" instead of "MZ"', patch(good.bytes, [0, 0x4d5a, 2]), 'PE_NOT_MZ'],
    ['plain text', new TextEncoder().encode('This program cannot be run in DOS mode.'), 'PE_NOT_MZ'],
    ['MZ and 10 bytes', good.bytes.slice(0, 12), 'PE_TRUNCATED'],
    ['e_lfanew past the end of the file', patch(good.bytes, [off(dos, 'e_lfanew'), good.bytes.length, 4]), 'PE_BAD_E_LFANEW'],
    ['e_lfanew = 0xFFFFFFFF', patch(good.bytes, [off(dos, 'e_lfanew'), 0xffffffff, 4]), 'PE_BAD_E_LFANEW'],
    ['e_lfanew = 0 ("MZ" is not "PE")', patch(good.bytes, [off(dos, 'e_lfanew'), 0, 4]), 'PE_NOT_PE_SIGNATURE'],
    ['"PE\\0\\1"', patch(good.bytes, [good.peHeaderOffset + 3, 1, 1]), 'PE_NOT_PE_SIGNATURE'],
    ['"NE" (16-bit Windows)', patch(good.bytes, [good.peHeaderOffset, 0x454e, 2]), 'PE_NOT_PE_SIGNATURE'],
    ['optional header magic 0x107 (ROM image)', patch(good.bytes, [good.optionalHeaderOffset, 0x107, 2]), 'PE_BAD_OPTIONAL_HEADER'],
    ['SizeOfOptionalHeader = 0 (an object file)', patch(good.bytes, [c('SizeOfOptionalHeader'), 0, 2]), 'PE_BAD_OPTIONAL_HEADER'],
    ['SizeOfOptionalHeader below the fixed fields', patch(good.bytes, [c('SizeOfOptionalHeader'), 100, 2]), 'PE_BAD_OPTIONAL_HEADER'],
    ['NumberOfSections = 97', patch(good.bytes, [c('NumberOfSections'), 97, 2]), 'PE_TOO_MANY_SECTIONS'],
    ['NumberOfSections = 0xFFFF', patch(good.bytes, [c('NumberOfSections'), 0xffff, 2]), 'PE_TOO_MANY_SECTIONS'],
    ['section table past EOF (NumberOfSections = 96)', patch(good.bytes, [c('NumberOfSections'), 96, 2]), 'PE_SECTION_TABLE_PAST_EOF'],
    ['SizeOfOptionalHeader pushes the section table past EOF', patch(good.bytes, [c('SizeOfOptionalHeader'), 0xfff0, 2]), 'PE_SECTION_TABLE_PAST_EOF'],
    ['cut inside the optional header', good.bytes.slice(0, good.optionalHeaderOffset + 40), 'PE_TRUNCATED'],
  ];
  for (const [title, bytes, code] of cases) {
    it(`${title} → ${code}`, () => {
      assert.throws(() => parsePEHeaders(bytes), isParseError(code));
    });
  }

  it('PE_TRUNCATED (not PE_SECTION_TABLE_PAST_EOF) when only the parsed prefix is short', () => {
    assert.throws(() => parsePEHeaders(good.bytes.subarray(0, good.sectionTableOffset + 10), good.bytes.length), isParseError('PE_TRUNCATED'));
    assert.throws(() => parsePEHeaders(good.bytes.subarray(0, 40), good.bytes.length), isParseError('PE_TRUNCATED'));
  });

  it('reports directory-count oddities as anomalies, not errors', () => {
    const many = parsePEHeaders(patch(good.bytes, [good.dataDirectoriesOffset - 4, 0x7fffffff, 4]));
    assert.deepEqual(many.anomalies.map((a) => a.id), ['PE_TOO_MANY_DATA_DIRECTORIES']);
    assert.equal(many.dataDirectories.length, 16);
    const few = parsePEHeaders(buildPE({ numberOfRvaAndSizes: 2 }).bytes);
    assert.equal(few.dataDirectories.length, 2);
    assert.equal(few.authenticode.securityDirectoryEntryPresent, false);
    assert.equal(few.authenticode.certificateTable, undefined);
    assert.deepEqual(few.anomalies.map((a) => a.id), ['PE_NO_SECURITY_DIRECTORY_ENTRY']);
    // 16 declared but SizeOfOptionalHeader only has room for 6.
    const squeezed = parsePEHeaders(patch(good.bytes, [c('SizeOfOptionalHeader'), 112 + 6 * 8, 2]), good.bytes.length);
    assert.equal(squeezed.dataDirectories.length, 6);
    assert.ok(squeezed.anomalies.some((a) => a.id === 'PE_DATA_DIRECTORIES_TRUNCATED'));
  });

  it('reports section raw data past EOF as an anomaly', () => {
    const h = parsePEHeaders(good.bytes.subarray(0, 0x280));
    assert.deepEqual(h.anomalies.map((a) => a.id), ['PE_SECTION_DATA_PAST_EOF']);
    assert.equal(h.endOfImageData, 0x400);
  });
});

describe('certificate table location (security directory)', () => {
  const base = buildPE({ overlay: new Uint8Array(16) });
  const end = base.bytes.length;
  const dir4 = base.dataDirectoriesOffset + 32;
  const table = (offset: number, size: number): PEHeaders['authenticode']['certificateTable'] => parsePEHeaders(patch(base.bytes, [dir4, offset, 4], [dir4 + 4, size, 4])).authenticode.certificateTable;

  it('accepts a table at the end of the file', () => {
    assert.deepEqual(table(end - 16, 16), { offset: end - 16, size: 16 });
  });
  for (const [title, offset, size] of [
    ['past the end of the file', end + 0x1000, 16],
    ['extending past the end of the file', end - 8, 16],
    ['size below 8', end - 16, 4],
    ['overlapping the headers', 0x40, 16],
    ['wrapping offset 0xFFFFFFF8', 0xfffffff8, 16],
  ] as const) {
    it(`flags a table ${title} as PE_BAD_SECURITY_DIRECTORY (no throw)`, () => {
      const t = table(offset, size);
      assert.equal(t?.problem?.code, 'PE_BAD_SECURITY_DIRECTORY');
      assert.equal(t?.offset, offset);
      assert.equal(t?.size, size);
    });
  }

  it('flags secdir-past-eof.exe (the fixture builder\'s malformed case)', (t) => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(join(fixtures, 'pe/secdir-past-eof.exe')));
    } catch {
      return t.skip('fixture not present');
    }
    const h = parsePEHeaders(bytes);
    assert.equal(h.authenticode.certificateTable?.problem?.code, 'PE_BAD_SECURITY_DIRECTORY');
    assert.equal(h.machineName, 'x64');
    return undefined;
  });
});

describe('looksLikePE', () => {
  it('accepts PEs and rejects everything else without throwing', () => {
    const { bytes, peHeaderOffset } = buildPE();
    assert.equal(looksLikePE(bytes), true);
    assert.equal(looksLikePE(bytes.subarray(0, peHeaderOffset + 4)), true);
    assert.equal(looksLikePE(bytes.subarray(0, peHeaderOffset + 3)), false);
    assert.equal(looksLikePE(new Uint8Array(0)), false);
    assert.equal(looksLikePE(new Uint8Array([0x4d, 0x5a])), false);
    assert.equal(looksLikePE(patch(bytes, [0x3c, 0xffffffff, 4])), false);
    assert.equal(looksLikePE(patch(bytes, [peHeaderOffset, 0x454e, 2])), false);
    assert.equal(looksLikePE(null as unknown as Uint8Array), false);
  });
});
