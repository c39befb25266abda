import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { LimitExceededError, ParseError } from '../../../src/binary/index.ts';
import { buildSingleFolderCabinet, CabFolderReader, extractCabFile, looksLikeCabinet, parseCabinet, prepareCabSignature } from '../../../src/formats/cab/index.ts';
import type { CabCabinet } from '../../../src/formats/cab/index.ts';
import { CFDATA_FIELDS, CFFILE_FIELDS, CFFOLDER_FIELDS, CFHEADER_FIELDS } from '../../../src/formats/cab/cab-reader.ts';
import { entry, fixture, pathHashSet, sha256 } from '../../containers/oracle.ts';
import { buildCab } from './cab-builder.ts';

function isParseError(code: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

function extractAll(bytes: Uint8Array, cab: CabCabinet): Array<{ path: string; sha256: string }> {
  const readers = new Map<number, CabFolderReader>();
  return cab.files.map((file) => {
    const folder = file.folder;
    assert.ok(folder !== undefined);
    let reader = readers.get(folder.index);
    if (reader === undefined) {
      reader = new CabFolderReader(bytes, folder);
      readers.set(folder.index, reader);
    }
    return { path: file.name.replace(/\\/g, '/'), sha256: sha256(extractCabFile(bytes, file, 1 << 30, reader)) };
  });
}

describe('MS-CAB structure offsets (spec table)', () => {
  // [MS-CAB] 2.1 CFHEADER: u8[4] signature, u32 reserved1, u32 cbCabinet, u32 reserved2, u32 coffFiles, u32 reserved3,
  // u8 versionMinor, u8 versionMajor, u16 cFolders, u16 cFiles, u16 flags, u16 setID, u16 iCabinet,
  // [u16 cbCFHeader, u8 cbCFFolder, u8 cbCFData, abReserve]
  const spec = (fields: Array<[string, number]>): Record<string, number> => {
    const out: Record<string, number> = {};
    let at = 0;
    for (const [name, size] of fields) {
      out[name] = at;
      at += size;
    }
    return out;
  };
  it('CFHEADER', () => {
    assert.deepEqual({ ...CFHEADER_FIELDS }, spec([['signature', 4], ['reserved1', 4], ['cbCabinet', 4], ['reserved2', 4], ['coffFiles', 4], ['reserved3', 4], ['versionMinor', 1], ['versionMajor', 1], ['cFolders', 2], ['cFiles', 2], ['flags', 2], ['setID', 2], ['iCabinet', 2], ['cbCFHeader', 2], ['cbCFFolder', 1], ['cbCFData', 1], ['abReserve', 0]]));
  });
  it('CFFOLDER, CFFILE, CFDATA', () => {
    assert.deepEqual({ ...CFFOLDER_FIELDS }, spec([['coffCabStart', 4], ['cCFData', 2], ['typeCompress', 2]]));
    assert.deepEqual({ ...CFFILE_FIELDS }, spec([['cbFile', 4], ['uoffFolderStart', 4], ['iFolder', 2], ['date', 2], ['time', 2], ['attribs', 2], ['szName', 0]]));
    assert.deepEqual({ ...CFDATA_FIELDS }, spec([['csum', 4], ['cbData', 2], ['cbUncomp', 2]]));
  });
});

describe('parseCabinet + CabFolderReader vs cabextract', () => {
  for (const name of ['cab/stored.cab', 'cab/mszip.cab', 'cab/signed.cab']) {
    it(name, () => {
      const bytes = fixture(name);
      const cab = parseCabinet(bytes);
      const listing = entry(name).cabextract?.listing ?? [];
      assert.deepEqual(cab.files.map((f) => [f.name.replace(/\\/g, '/'), f.size]), listing.map((l) => [l.path, l.size]));
      assert.deepEqual(pathHashSet(extractAll(bytes, cab)), pathHashSet(entry(name).cabextract?.extracted ?? []));
    });
  }
  it('cab/lzx.cab: listed, LZX folder described, not decoded by the pure reader', () => {
    const bytes = fixture('cab/lzx.cab');
    const cab = parseCabinet(bytes);
    assert.deepEqual(cab.folders.map((f) => [f.compression, f.method]), [['lzx', 'lzx:16']]);
    assert.deepEqual(cab.files.map((f) => [f.name.replace(/\\/g, '/'), f.size]), (entry('cab/lzx.cab').cabextract?.listing ?? []).map((l) => [l.path, l.size]));
    const folder = cab.folders[0];
    assert.ok(folder !== undefined);
    assert.throws(() => new CabFolderReader(bytes, folder), isParseError('CAB_UNSUPPORTED_COMPRESSION'));
  });
  it('cab/truncated.cab → CAB_TRUNCATED; not a cabinet → CAB_NOT_CABINET', () => {
    assert.throws(() => parseCabinet(fixture('cab/truncated.cab')), isParseError('CAB_TRUNCATED'));
    assert.throws(() => parseCabinet(new TextEncoder().encode('MSC')), isParseError('CAB_NOT_CABINET'));
    assert.throws(() => parseCabinet(new TextEncoder().encode('MSCF')), isParseError('CAB_TRUNCATED'));
    assert.equal(looksLikeCabinet(fixture('cab/mszip.cab')), true);
    assert.equal(looksLikeCabinet(fixture('zip/plain.zip')), false);
  });
});

describe('CAB signature layout and digest vs osslsigncode', () => {
  it('cab/signed.cab: cabSignature points at the PKCS#7 blob; the digest equals the one in SpcIndirectDataContent', () => {
    const bytes = fixture('cab/signed.cab');
    const cab = parseCabinet(bytes);
    const oracle = entry('cab/signed.cab').signature;
    assert.ok(oracle !== undefined && cab.cabSignature !== undefined);
    assert.equal(cab.cabSignature.offset, cab.header.cabinetSize);
    assert.equal(cab.cabSignature.offset + cab.cabSignature.size, bytes.length);
    assert.equal(cab.header.headerReserveSize, 20);
    const info = prepareCabSignature(bytes, cab);
    assert.ok(info.signatureBlob !== undefined);
    assert.equal(info.signatureBlob.length, oracle.signatureBytes);
    assert.equal(sha256(info.signatureBlob), oracle.signatureSha256);
    assert.equal(oracle.spcDataType, '1.3.6.1.4.1.311.2.1.25');
    const digest = info.computeDigest(oracle.digestAlgorithm, (alg) => createHash(alg));
    assert.equal(Buffer.from(digest).toString('hex'), oracle.digest);
    assert.equal(oracle.status, 'valid');
  });
  it('unsigned cabinets have no signature', () => {
    for (const name of ['cab/mszip.cab', 'cab/stored.cab', 'cab/lzx.cab']) {
      const bytes = fixture(name);
      const cab = parseCabinet(bytes);
      assert.equal(cab.cabSignature, undefined);
      assert.equal(prepareCabSignature(bytes, cab).signatureBlob, undefined);
    }
  });
  it('one changed byte in the data changes the digest', () => {
    const bytes = fixture('cab/signed.cab').slice();
    const before = prepareCabSignature(bytes, parseCabinet(bytes)).computeDigest('sha256', (a) => createHash(a));
    bytes[bytes.length - 3000] = (bytes[bytes.length - 3000] ?? 0) ^ 1;
    const after = prepareCabSignature(bytes, parseCabinet(bytes)).computeDigest('sha256', (a) => createHash(a));
    assert.notDeepEqual(after, before);
  });
});

describe('crafted cabinets', () => {
  const random = (n: number, seed: number): Uint8Array => {
    const out = new Uint8Array(n);
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  };
  const files = [
    { name: 'a.bin', data: random(70_000, 1) },
    { name: 'dir\\b.txt', data: new TextEncoder().encode('hello'.repeat(20_000)) },
    { name: 'c.bin', data: random(10, 3) },
  ];

  it('MSZIP across many blocks, back-references into the previous block (dictionary)', () => {
    const bytes = buildCab(files, { compression: 'mszip' });
    const cab = parseCabinet(bytes);
    assert.ok((cab.folders[0]?.blocks.length ?? 0) >= 5);
    assert.deepEqual(extractAll(bytes, cab).map((f) => f.sha256), files.map((f) => sha256(f.data)));
  });

  it('reserve areas (header, folder, data) and set names are skipped correctly', () => {
    const bytes = buildCab(files, { compression: 'mszip', headerReserve: new Uint8Array(7).fill(0xaa), folderReserveSize: 3, dataReserveSize: 5, previous: ['prev.cab', 'Disk 1'], next: ['next.cab', 'Disk 3'] });
    const cab = parseCabinet(bytes);
    assert.deepEqual(cab.header.previousCabinet, { cabinet: 'prev.cab', disk: 'Disk 1' });
    assert.deepEqual(cab.header.nextCabinet, { cabinet: 'next.cab', disk: 'Disk 3' });
    assert.deepEqual([cab.header.headerReserveSize, cab.header.folderReserveSize, cab.header.dataReserveSize], [7, 3, 5]);
    assert.equal(cab.cabSignature, undefined);
    assert.deepEqual(extractAll(bytes, cab).map((f) => f.sha256), files.map((f) => sha256(f.data)));
  });

  it('two folders; reading out of order restarts the folder, in order continues', () => {
    const two = [...files.map((f) => ({ ...f, folder: 0 })), { name: 'd.bin', data: random(40_000, 9), folder: 1 }];
    const bytes = buildCab(two, { compression: 'mszip', folders: 2 });
    const cab = parseCabinet(bytes);
    const folder = cab.folders[0];
    assert.ok(folder !== undefined);
    const reader = new CabFolderReader(bytes, folder);
    const c = cab.files[2];
    const a = cab.files[0];
    assert.ok(c !== undefined && a !== undefined);
    assert.equal(sha256(extractCabFile(bytes, c, 1 << 20, reader)), sha256(two[2]?.data ?? new Uint8Array()));
    assert.equal(sha256(extractCabFile(bytes, a, 1 << 20, reader)), sha256(two[0]?.data ?? new Uint8Array()));
    assert.equal(sha256(extractCabFile(bytes, cab.files[3] ?? a, 1 << 20)), sha256(two[3]?.data ?? new Uint8Array()));
  });

  it('UTF-8 names (attribs 0x80) vs Windows-1252', () => {
    const bytes = buildCab([
      { name: 'Grüße.txt', data: new Uint8Array(1), attributes: 0xa0 },
      { name: 'plain.txt', data: new Uint8Array(1) },
    ]);
    const cab = parseCabinet(bytes);
    assert.deepEqual(cab.files.map((f) => f.name), ['Grüße.txt', 'plain.txt']);
    // the same UTF-8 bytes without the flag read as Windows-1252 mojibake, never throw
    const noFlag = buildCab([{ name: 'Grüße.txt', data: new Uint8Array(1) }]);
    assert.equal(parseCabinet(noFlag).files[0]?.name, 'Gr\u00c3\u00bc\u00c3\u0178e.txt');
  });

  it('continued (spanned) files and bad folder indexes are per-file problems', () => {
    const bytes = buildCab([
      { name: 'ok.txt', data: new Uint8Array(10) },
      { name: 'from-prev.bin', data: new Uint8Array(5), iFolder: 0xfffd },
      { name: 'bad-folder.bin', data: new Uint8Array(5), iFolder: 7 },
    ]);
    const cab = parseCabinet(bytes);
    assert.deepEqual(cab.files.map((f) => f.problem?.code), [undefined, 'CAB_SPANNED', 'CAB_BAD_FILE']);
    assert.throws(() => extractCabFile(bytes, cab.files[1] ?? cab.files[0]!, 1 << 20), isParseError('CAB_SPANNED'));
  });

  it('damaged MSZIP data, missing "CK", a block past the end, an unterminated name', () => {
    const good = buildCab(files, { compression: 'mszip' });
    const cab = parseCabinet(good);
    const block = cab.folders[0]?.blocks[1];
    assert.ok(block !== undefined);
    const noCK = good.slice();
    noCK[block.dataOffset] = 0x58;
    const ck = parseCabinet(noCK);
    assert.throws(() => extractAll(noCK, ck), isParseError('CAB_BAD_DATA'));
    const garbage = good.slice();
    garbage.fill(0xff, block.dataOffset + 2, block.dataOffset + 40);
    assert.throws(() => extractAll(garbage, parseCabinet(garbage)), isParseError('CAB_BAD_DATA'));
    const pastEnd = good.slice();
    new DataView(pastEnd.buffer).setUint16(block.headerOffset + 4, 0xffff, true);
    assert.throws(() => parseCabinet(pastEnd), isParseError('CAB_BAD_FOLDER'));
    const unterminated = buildCab([{ name: 'x'.repeat(300), data: new Uint8Array(1) }]);
    assert.throws(() => parseCabinet(unterminated), isParseError('CAB_BAD_FILE'));
  });

  it('a file range past its folder, and the size limit', () => {
    const bytes = buildCab([{ name: 'a', data: new Uint8Array(100) }]);
    const lie = bytes.slice();
    const cab = parseCabinet(bytes);
    new DataView(lie.buffer).setUint32(cab.header.filesOffset, 1_000_000, true);
    assert.equal(parseCabinet(lie).files[0]?.problem?.code, 'CAB_BAD_FILE');
    assert.throws(() => extractCabFile(bytes, cab.files[0]!, 50), LimitExceededError);
  });

  it('MSZIP blocks cannot inflate past cbUncomp (the cap is enforced inside zlib)', () => {
    const bytes = buildCab([{ name: 'z', data: new Uint8Array(32768) }], { compression: 'mszip' });
    const cab = parseCabinet(bytes);
    const lie = bytes.slice();
    const block = cab.folders[0]?.blocks[0];
    assert.ok(block !== undefined);
    new DataView(lie.buffer).setUint16(block.headerOffset + 6, 100, true); // cbUncomp 100, data inflates to 32768
    const lied = parseCabinet(lie);
    assert.equal(lied.files[0]?.problem?.code, 'CAB_BAD_FILE'); // the declared file no longer fits its folder…
    const file = lied.files[0];
    assert.ok(file !== undefined);
    delete file.problem; // …pretend it did: the block itself must still refuse to grow past cbUncomp
    file.size = 100;
    assert.throws(() => extractCabFile(lie, file, 1 << 20), isParseError('CAB_BAD_DATA'));
  });

  it('buildSingleFolderCabinet: neutral names, same bytes', () => {
    const bytes = buildCab(files, { compression: 'mszip', dataReserveSize: 4, headerReserve: new Uint8Array(4) });
    const cab = parseCabinet(bytes);
    const folder = cab.folders[0];
    assert.ok(folder !== undefined);
    const repacked = buildSingleFolderCabinet(bytes, cab, folder);
    const again = parseCabinet(repacked.cabinet);
    assert.deepEqual(again.files.map((f) => f.name), ['f0', 'f1', 'f2']);
    assert.deepEqual(extractAll(repacked.cabinet, again).map((f) => f.sha256), files.map((f) => sha256(f.data)));
  });
});
