/** The streaming variants the audit uses must agree with the whole-file functions. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PEChecksumAccumulator, computePEChecksum, parsePE, parsePEHeaders } from '../../../src/formats/pe/index.ts';
import { peFixtures } from '../../support/fixtures.ts';

const fixtureNames = ['app-x64-gui.exe', 'signed-dual.exe', 'lib-x86.dll', 'longsect-x64.exe', 'signed-tampered.exe'];

describe('PEChecksumAccumulator', () => {
  for (const name of fixtureNames) {
    it(`${name}: any even chunking gives computePEChecksum`, () => {
      const bytes = new Uint8Array(readFileSync(join(peFixtures, name)));
      const offset = parsePEHeaders(bytes).authenticode.checksumOffset;
      const expected = computePEChecksum(bytes, offset);
      // Chunk sizes that split the CheckSum field in every way, plus an odd total length.
      for (const size of [2, 6, 64, 218, 4096, bytes.length]) {
        const acc = new PEChecksumAccumulator(offset);
        for (let p = 0; p < bytes.length; p += size) acc.update(bytes.subarray(p, Math.min(bytes.length, p + size)), p);
        assert.equal(acc.digest(), expected, `chunk size ${size}`);
      }
      const odd = bytes.subarray(0, bytes.length - 1);
      const acc = new PEChecksumAccumulator(offset);
      acc.update(odd, 0);
      assert.equal(acc.digest(), computePEChecksum(odd, offset));
    });
  }

  it('rejects chunks out of order or at odd offsets', () => {
    const acc = new PEChecksumAccumulator(64);
    assert.throws(() => acc.update(new Uint8Array(4), 2), RangeError);
    acc.update(new Uint8Array(3), 0);
    assert.throws(() => acc.update(new Uint8Array(4), 3), RangeError);
  });
});

describe('parsePE on a prefix', () => {
  it('gives the same image as on the whole file when the prefix holds every section', () => {
    const bytes = new Uint8Array(readFileSync(join(peFixtures, 'app-x64-gui.exe')));
    const overlay = new Uint8Array(5000).fill(0x5a);
    const whole = new Uint8Array(bytes.length + overlay.length);
    whole.set(bytes);
    whole.set(overlay, bytes.length);
    const full = parsePE(whole);
    const headers = parsePEHeaders(whole);
    const prefix = parsePE(whole.subarray(0, headers.endOfImageData), { fileSize: whole.length, computedChecksum: full.checksum.computed });
    assert.deepEqual(prefix, full);
    assert.deepEqual(full.overlay, { offset: headers.endOfImageData, size: whole.length - headers.endOfImageData });
    assert.throws(() => parsePE(whole.subarray(0, headers.endOfImageData), { fileSize: whole.length }), TypeError);
  });
});
