import assert from 'node:assert/strict';
// First: step counting applies to functions compiled after it starts (see step-counter.ts).
import { countSteps } from '../../support/step-counter.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { computePEChecksum, mapRVA, parsePE, parsePEHeaders, rvaToOffset, type PEImage } from '../../../src/formats/pe/index.ts';
import { buildPE, concat, hex, importSection, patch, resourceSection, versionInfoBlob, winCertificate } from './pe-builder.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');

interface Oracle {
  files: Record<string, {
    sha256: string;
    objdump?: {
      imports: Array<{ dll: string; functions: Array<{ name?: string; ordinal?: number }> }>;
      exports?: { dllName: string; functions: Array<{ ordinal: number; rva: number; name?: string; forwarder?: string }> };
    };
    pefile?: {
      storedChecksum: number; computedChecksum: number; overlayStart: number | null;
      imports: Array<{ dll: string; functions: Array<{ name?: string; ordinal?: number }> }>;
      versionInfo?: { fileVersion: string; productVersion: string; fileFlags: number; fileOS: number; fileType: number; strings: Record<string, Record<string, string>> };
      resourceTypes?: Record<string, number>;
      manifest?: string;
    };
  }>;
  checksumCases: Array<{ base: string; appendHex: string; description: string; checksumFieldOffset: number; checksum: number }>;
}
const oracle = JSON.parse(readFileSync(join(fixtures, 'pe-extra/pe-oracle.json'), 'utf8')) as Oracle;
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtures, name)));
const ids = (image: PEImage): string[] => image.anomalies.map((a) => a.id);

describe('parsePE vs objdump / pefile (pe-oracle.json)', () => {
  for (const [name, entry] of Object.entries(oracle.files)) {
    if (entry.objdump === undefined || entry.pefile === undefined) continue;
    const { objdump: od, pefile: pf } = entry;
    it(name, (t) => {
      const bytes = load(name);
      if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) return t.skip(`${name} changed since pe-oracle.json was recorded: rerun scripts/fixtures/record-pe-oracle.sh`);
      const image = parsePE(bytes);
      const tampered = name.includes('tampered') || name.includes('past-eof') || name.includes('truncated');
      if (!tampered) assert.deepEqual(image.anomalies.filter((a) => a.id !== 'PE_CERTIFICATE_TABLE_NOT_AT_END'), [], JSON.stringify(image.anomalies));
      // Imports: objdump and pefile agree with each other and with us.
      assert.deepEqual(image.imports, od.imports);
      assert.deepEqual(image.imports, pf.imports);
      // Exports (objdump lists the non-empty EAT slots with their names and forwarders).
      if (od.exports === undefined) assert.equal(image.exports, undefined);
      else {
        assert.equal(image.exports?.dllName, od.exports.dllName);
        assert.deepEqual(image.exports.functions, od.exports.functions);
      }
      // VERSIONINFO, resources and manifest vs pefile.
      assert.deepEqual(image.versionInfo === undefined ? undefined : { ...image.versionInfo, fixedFileInfoPresent: undefined }, pf.versionInfo === undefined ? undefined : { ...pf.versionInfo, fixedFileInfoPresent: undefined });
      assert.deepEqual(image.resources?.types, pf.resourceTypes);
      assert.equal(image.manifest, pf.manifest);
      // Checksum: the stored field, and ours vs pefile's generate_checksum.
      assert.deepEqual(image.checksum, { stored: pf.storedChecksum, computed: pf.computedChecksum });
      // Overlay: pefile counts the certificate table as overlay; we do not (rule in parse-pe.ts).
      const table = image.headers.authenticode.certificateTable;
      const validTable = table !== undefined && table.problem === undefined ? table : undefined;
      if (ids(image).includes('PE_SECTION_DATA_PAST_EOF')) assert.equal(image.overlay, undefined); // pefile falls back to the header end
      else if (pf.overlayStart === null) assert.equal(image.overlay, undefined);
      else if (validTable !== undefined && validTable.offset - pf.overlayStart < 8) assert.equal(image.overlay, undefined);
      else assert.equal(image.overlay?.offset, pf.overlayStart);
      return undefined;
    });
  }
});

describe('VS_VERSIONINFO', () => {
  it('reads CompanyName and FileVersion from app-x64-gui.exe', () => {
    const info = parsePE(load('pe/app-x64-gui.exe')).versionInfo;
    assert.ok(info !== undefined);
    assert.equal(info.fileVersion, '1.2.3.4');
    const table = Object.values(info.strings)[0];
    assert.equal(table?.CompanyName, 'Contoso Ltd');
    assert.equal(table?.FileVersion, '1.2.3.4');
  });

  it('reads every language table (tiny-x64-gui.exe: en-US and de-DE)', () => {
    const info = parsePE(load('pe-extra/tiny-x64-gui.exe')).versionInfo;
    assert.deepEqual(Object.keys(info?.strings ?? {}), ['040904b0', '040704b0']);
    assert.equal(info?.strings['040704b0']?.CompanyName, 'Contoso GmbH');
    assert.equal(info?.fixedFileInfoPresent, true);
    assert.equal(info?.productVersion, '1.2.0.0');
  });

  const withVersion = (blob: Uint8Array): PEImage =>
    parsePE(buildPE({ sections: [{ name: '.text', data: new Uint8Array([0xc3]) }, { name: '.rsrc', data: resourceSection([{ type: 16, name: 1, language: 0x409, data: blob }]) }], directories: (r) => [[2, r['.rsrc'] ?? 0, 0x200]] }).bytes);

  it('parses a builder-made blob, keeping "__proto__" as a plain key', () => {
    const image = withVersion(versionInfoBlob({ fileVersion: [10, 0, 19041, 1], tables: { '000004b0': Object.fromEntries([['ProductName', 'Ünïcødé ✓'], ['__proto__', 'x'], ['Empty', '']]) } }));
    assert.equal(image.versionInfo?.fileVersion, '10.0.19041.1');
    const table = image.versionInfo?.strings['000004b0'];
    assert.equal(table?.ProductName, 'Ünïcødé ✓');
    assert.equal(Object.getOwnPropertyDescriptor(table, '__proto__')?.value, 'x');
    assert.equal(Object.getPrototypeOf(table), Object.prototype);
    assert.deepEqual(ids(image), []);
  });

  it('truncated version info → PE_VERSION_INFO_TRUNCATED, keeping what was read', () => {
    const blob = versionInfoBlob({ tables: { '040904b0': { CompanyName: 'Contoso Ltd', FileVersion: '1.2.3.4' } } });
    const cut = blob.slice(0, blob.length - 20); // wLength still claims the full size
    const image = withVersion(cut);
    assert.ok(ids(image).includes('PE_VERSION_INFO_TRUNCATED'), ids(image).join());
    assert.equal(image.versionInfo?.fileVersion, '1.2.3.4');
    assert.equal(image.versionInfo?.strings['040904b0']?.CompanyName, 'Contoso Ltd');
  });

  it('a block with wLength 0 or a wrong key → PE_BAD_VERSION_INFO (no loop)', () => {
    const blob = versionInfoBlob({ tables: { '040904b0': { A: 'b' } } });
    // Zero the wLength of the first String block, found by its key.
    const keyAt = Buffer.from(blob).indexOf(Buffer.from('A\0', 'utf16le'));
    const zeroed = patch(blob, [keyAt - 6, 0, 2]);
    assert.ok(ids(withVersion(zeroed)).includes('PE_BAD_VERSION_INFO'));
    const wrongKey = patch(blob, [6, 0x58, 2]); // "XS_VERSION_INFO"
    const image = withVersion(wrongKey);
    assert.equal(image.versionInfo, undefined);
    assert.ok(ids(image).includes('PE_BAD_VERSION_INFO'));
    const noSignature = withVersion(versionInfoBlob({ fixed: false, tables: { '040904b0': { A: 'b' } } }));
    assert.equal(noSignature.versionInfo?.fixedFileInfoPresent, false);
    assert.equal(noSignature.versionInfo?.strings['040904b0']?.A, 'b');
    assert.ok(ids(noSignature).includes('PE_BAD_VERSION_INFO'));
  });
});

describe('manifest and resources', () => {
  it('reads RT_MANIFEST id 1 as text', () => {
    const manifest = parsePE(load('pe-extra/tiny-x64-gui.exe')).manifest;
    assert.match(manifest ?? '', /Contoso\.Absolve\.Tiny/);
  });

  const rsrc = (data: (rva: number) => Uint8Array, size = 0x200): PEImage =>
    parsePE(buildPE({ sections: [{ name: '.text', data: new Uint8Array([0xc3]) }, { name: '.rsrc', data }], directories: (r) => [[2, r['.rsrc'] ?? 0, size]] }).bytes);

  it('counts leaves per type, with named types and names; decodes BOM-prefixed UTF-8 and UTF-16 manifests', () => {
    const image = rsrc(resourceSection([
      { type: 24, name: 2, language: 0x409, data: new Uint8Array([0xff, 0xfe, 0x3c, 0, 0x61, 0, 0x2f, 0, 0x3e, 0]) },
      { type: 24, name: 1, language: 0x409, data: new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x62, 0x2f, 0x3e]) },
      { type: 'MYDATA', name: 'BLOB', language: 0, data: new Uint8Array(3) },
      { type: 3, name: 1, language: 0x409, data: new Uint8Array(4) },
      { type: 3, name: 1, language: 0x407, data: new Uint8Array(4) },
    ]));
    assert.deepEqual(image.resources?.types, { 24: 2, MYDATA: 1, 3: 2 });
    assert.equal(image.manifest, '<b/>'); // id 1 wins over the first one listed
    assert.deepEqual(image.resources?.entries.find((e) => e.type === 'MYDATA'), { type: 'MYDATA', name: 'BLOB', language: 0, rva: image.resources?.entries.find((e) => e.type === 'MYDATA')?.rva, size: 3, codePage: 0 });
    assert.deepEqual(ids(image), []);
  });

  it('a subdirectory pointing back to the root → PE_RESOURCE_LOOP', () => {
    // Root: 1 id entry (type 16) whose subdirectory is the root itself.
    const image = rsrc(() => hex('00000000 00000000 0000 0000 0000 0100  10000000 00000080'));
    assert.ok(ids(image).includes('PE_RESOURCE_LOOP'), ids(image).join());
    assert.deepEqual(image.resources?.types, {});
  });

  it('a fourth level → PE_RESOURCE_TOO_DEEP', () => {
    // Four chained directories at 0x00, 0x18, 0x30, 0x48, each with one subdirectory entry.
    const dir = (next: number): string => `00000000 00000000 0000 0000 0000 0100 01000000 ${Buffer.from(new Uint32Array([(next | 0x80000000) >>> 0]).buffer).toString('hex')}`;
    const image = rsrc(() => hex(dir(0x18) + dir(0x30) + dir(0x48) + dir(0x60)));
    assert.ok(ids(image).includes('PE_RESOURCE_TOO_DEEP'), ids(image).join());
  });

  it('an entry count beyond the data and a data entry past the section → PE_RESOURCES_TRUNCATED', () => {
    const many = rsrc(() => hex('00000000 00000000 0000 0000 0000 ffff'));
    assert.ok(ids(many).includes('PE_RESOURCES_TRUNCATED'));
    const farData = rsrc(() => hex('00000000 00000000 0000 0000 0000 0100 18000000 00f00000'));
    assert.ok(ids(farData).includes('PE_RESOURCES_TRUNCATED'));
  });

  it('resource data outside the file → PE_MANIFEST_TRUNCATED', () => {
    const built = buildPE({ sections: [{ name: '.rsrc', data: resourceSection([{ type: 24, name: 1, language: 0, data: new TextEncoder().encode('<a/>') }]) }], directories: (r) => [[2, r['.rsrc'] ?? 0, 0x200]] });
    const image = parsePE(built.bytes);
    assert.equal(image.manifest, '<a/>');
    const entry = image.resources?.entries[0];
    assert.ok(entry !== undefined);
    // Point the data entry's size past the section.
    const dataEntryOffset = Buffer.from(built.bytes).indexOf(Buffer.from(new Uint32Array([entry.rva, entry.size]).buffer));
    const broken = parsePE(patch(built.bytes, [dataEntryOffset + 4, 0x7fffffff, 4]));
    assert.equal(broken.manifest, undefined);
    assert.ok(ids(broken).includes('PE_MANIFEST_TRUNCATED'));
  });
});

describe('imports', () => {
  for (const bits of [32, 64] as const) {
    it(`reads imports by name and by ordinal (PE${bits === 64 ? '32+' : '32'} thunks)`, () => {
      const dlls = [{ dll: 'KERNEL32.dll', functions: ['ExitProcess', 'GetTickCount'] }, { dll: 'WS2_32.dll', functions: [115, 'WSACleanup', 0xffff] }];
      const image = parsePE(buildPE({ bits, sections: [{ name: '.idata', data: importSection(dlls, bits) }], directories: (r) => [[1, r['.idata'] ?? 0, 60]] }).bytes);
      assert.deepEqual(image.imports, [{ dll: 'KERNEL32.dll', functions: [{ name: 'ExitProcess' }, { name: 'GetTickCount' }] }, { dll: 'WS2_32.dll', functions: [{ ordinal: 115 }, { name: 'WSACleanup' }, { ordinal: 0xffff }] }]);
      assert.deepEqual(ids(image), []);
    });
  }

  it('a descriptor with a bad name RVA → PE_BAD_IMPORT_DESCRIPTOR; the others are kept', () => {
    const built = buildPE({ sections: [{ name: '.idata', data: importSection([{ dll: 'A.dll', functions: ['f'] }, { dll: 'B.dll', functions: ['g'] }], 64) }], directories: (r) => [[1, r['.idata'] ?? 0, 60]] });
    const at = built.sectionOffsets['.idata'] ?? 0;
    const image = parsePE(patch(built.bytes, [at + 12, 0x7ffffff0, 4]));
    assert.deepEqual(image.imports.map((i) => i.dll), ['B.dll']);
    assert.deepEqual(ids(image), ['PE_BAD_IMPORT_DESCRIPTOR']);
  });

  it('descriptors without a terminator → PE_IMPORTS_TRUNCATED', () => {
    // The section's raw data is all descriptors of 0x41 bytes: no null terminator before the data ends.
    const image = parsePE(buildPE({ sections: [{ name: '.idata', data: new Uint8Array(0x200).fill(0x41) }], directories: (r) => [[1, r['.idata'] ?? 0, 0x200]] }).bytes);
    assert.ok(ids(image).includes('PE_IMPORTS_TRUNCATED'), ids(image).join());
  });

  it('an import directory outside the image → PE_IMPORTS_TRUNCATED', () => {
    const image = parsePE(buildPE({ directories: [[1, 0x00ff0000, 20]] }).bytes);
    assert.deepEqual(image.imports, []);
    assert.deepEqual(ids(image), ['PE_IMPORTS_TRUNCATED']);
  });
});

describe('exports (tiny-x86-lib.dll: NONAME, DATA and a forwarder)', () => {
  const bytes = load('pe-extra/tiny-x86-lib.dll');
  const headers = parsePEHeaders(bytes);
  const exportDir = rvaToOffset(headers, headers.dataDirectories[0]?.virtualAddress ?? 0) ?? 0;

  it('reads names, ordinals and the forwarder', () => {
    const exports = parsePE(bytes).exports;
    assert.equal(exports?.dllName, 'tiny-lib.dll');
    assert.deepEqual(exports?.functions.map((f) => [f.ordinal, f.name, f.forwarder]), [[1, 'add', undefined], [2, 'mul', undefined], [3, 'zeta_value', undefined], [4, 'start_network', undefined], [7, 'HeapAllocAlias', 'KERNEL32.HeapAlloc'], [9, undefined, undefined]]);
  });

  it('NumberOfFunctions = 0xFFFFFFFF → PE_EXPORTS_LIMIT + PE_EXPORTS_TRUNCATED, no hang', () => {
    const image = parsePE(patch(bytes, [exportDir + 20, 0xffffffff, 4]));
    assert.ok(ids(image).includes('PE_EXPORTS_LIMIT'));
    assert.ok(ids(image).includes('PE_EXPORTS_TRUNCATED'));
  });

  it('a name pointing at an empty slot → PE_BAD_EXPORT_DIRECTORY', () => {
    const image = parsePE(patch(bytes, [exportDir + 36, (headers.dataDirectories[0]?.virtualAddress ?? 0) + 0x100, 4]));
    assert.ok(ids(image).includes('PE_BAD_EXPORT_DIRECTORY') || ids(image).includes('PE_EXPORTS_TRUNCATED'), ids(image).join());
  });

  it('an export directory outside the image → PE_BAD_EXPORT_DIRECTORY', () => {
    const dir0 = headers.optionalHeaderOffset + 96;
    const image = parsePE(patch(bytes, [dir0, 0x7fff0000, 4]));
    assert.equal(image.exports, undefined);
    assert.ok(ids(image).includes('PE_BAD_EXPORT_DIRECTORY'));
  });
});

describe('overlay', () => {
  const base = buildPE();
  const end = base.bytes.length;
  const withTable = (image: Uint8Array, tableOffset: number, tableSize: number): Uint8Array => patch(image, [base.dataDirectoriesOffset + 32, tableOffset, 4], [base.dataDirectoriesOffset + 36, tableSize, 4]);

  it('none for a plain image; the appended bytes otherwise', () => {
    assert.equal(parsePE(base.bytes).overlay, undefined);
    const payload = new Uint8Array(100).fill(7);
    assert.deepEqual(parsePE(concat(base.bytes, payload)).overlay, { offset: end, size: 100 });
  });

  it('excludes a certificate table at the end, and the signer\'s alignment padding before it', () => {
    const cert = winCertificate(new Uint8Array(20));
    assert.equal(parsePE(withTable(concat(base.bytes, cert), end, cert.length)).overlay, undefined);
    const padded = concat(base.bytes, new Uint8Array([9, 9, 9, 0, 0, 0, 0, 0]), cert);
    assert.deepEqual(parsePE(withTable(padded, end + 8, cert.length)).overlay, { offset: end, size: 3 });
  });

  it('reports data appended after the certificate table', () => {
    const cert = winCertificate(new Uint8Array(20));
    const image = parsePE(withTable(concat(base.bytes, cert, new Uint8Array(10).fill(1)), end, cert.length));
    assert.deepEqual(image.overlay, { offset: end + cert.length, size: 10 });
    assert.ok(ids(image).includes('PE_CERTIFICATE_TABLE_NOT_AT_END'));
  });

  it('marks a leading COFF symbol table (tiny-x86-lib-signed.dll)', () => {
    const image = parsePE(load('pe-extra/tiny-x86-lib-signed.dll'));
    const table = image.headers.authenticode.certificateTable;
    assert.ok(image.overlay !== undefined && table !== undefined);
    assert.equal(image.overlay.offset, image.headers.endOfImageData);
    assert.equal(image.overlay.offset + image.overlay.size, image.overlay.offset + (image.overlay.coffSymbolTableBytes ?? -1));
    assert.ok(image.overlay.offset + image.overlay.size <= table.offset);
  });

  it('section data past EOF is an anomaly, never an exception', () => {
    const image = parsePE(base.bytes.subarray(0, 0x280));
    assert.deepEqual(ids(image), ['PE_SECTION_DATA_PAST_EOF']);
    assert.equal(image.overlay, undefined);
  });
});

/** Reference: the textbook per-word one's-complement loop (slow, obviously right). */
function referenceChecksum(bytes: Uint8Array, checksumOffset: number): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    const lo = i >= checksumOffset && i < checksumOffset + 4 ? 0 : (bytes[i] ?? 0);
    const hi = i + 1 >= checksumOffset && i + 1 < checksumOffset + 4 ? 0 : (bytes[i + 1] ?? 0);
    sum += lo | (hi << 8);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum + bytes.length) >>> 0;
}

describe('computePEChecksum', () => {
  it('matches pefile on appended odd lengths and long carry chains (pe-oracle.json checksumCases)', () => {
    for (const c of oracle.checksumCases) {
      const bytes = concat(load(c.base), hex(c.appendHex));
      assert.equal(computePEChecksum(bytes, c.checksumFieldOffset), c.checksum, c.description);
    }
  });

  it('matches the textbook loop at every alignment and for odd checksum offsets', () => {
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 200; round++) {
      const length = next() % 300;
      const backing = new Uint8Array(length + 8);
      for (let i = 0; i < backing.length; i++) backing[i] = round % 3 === 0 ? 0xff : next() & 0xff;
      const shift = round % 4;
      const bytes = backing.subarray(shift, shift + length);
      const checksumOffset = next() % (length + 2);
      assert.equal(computePEChecksum(bytes, checksumOffset), referenceChecksum(bytes, checksumOffset), `round ${round}`);
    }
    assert.equal(computePEChecksum(new Uint8Array(10), 0), 10);
  });

  it('is one pass: 4× the bytes is 4× the steps, a quarter step per byte (counted, not timed)', async () => {
    const file = (size: number): Uint8Array => {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < bytes.length; i += 4093) bytes[i] = i & 0xff;
      return bytes;
    };
    const small = file(1 << 20);
    const large = file(4 << 20);
    const smallSteps = await countSteps(() => computePEChecksum(small, 216));
    const largeSteps = await countSteps(() => computePEChecksum(large, 216));
    assert.ok(largeSteps / smallSteps > 3.9 && largeSteps / smallSteps < 4.1, `steps ${smallSteps} → ${largeSteps}`);
    // One loop iteration per aligned dword (plus a constant): the whole file is summed once.
    assert.ok(largeSteps < large.length / 4 + 1000, `${largeSteps} steps for ${large.length} bytes`);
  });

  it('a stale stored checksum → PE_CHECKSUM_MISMATCH; zero is not checked', () => {
    const signed = load('pe-extra/tiny-x64-gui-signed.exe');
    const h = parsePEHeaders(signed);
    const image = parsePE(patch(signed, [h.authenticode.checksumOffset, h.checksum ^ 1, 4]));
    assert.ok(ids(image).includes('PE_CHECKSUM_MISMATCH'));
    assert.ok(!ids(parsePE(buildPE().bytes)).includes('PE_CHECKSUM_MISMATCH'));
  });
});

describe('RVA mapping', () => {
  it('maps through the section table, the headers 1:1, and nothing else', () => {
    const built = buildPE({ sections: [{ name: '.text', data: new Uint8Array(0x10), virtualSize: 0x3000 }, { name: '.data', data: new Uint8Array(0x300) }] });
    const h = parsePEHeaders(built.bytes);
    const text = built.sectionRvas['.text'] ?? 0;
    assert.deepEqual(mapRVA(h, text + 4), { offset: (built.sectionOffsets['.text'] ?? 0) + 4, available: 0x200 - 4 });
    assert.equal(rvaToOffset(h, text + 0x200), undefined); // virtual-only tail (zero-filled by the loader)
    assert.equal(rvaToOffset(h, (built.sectionRvas['.data'] ?? 0) + 0x2ff), (built.sectionOffsets['.data'] ?? 0) + 0x2ff);
    assert.equal(rvaToOffset(h, 0x40), 0x40);
    assert.equal(rvaToOffset(h, 0x0fff_0000), undefined);
    assert.equal(rvaToOffset(h, -1), undefined);
  });
});
