// The Authenticode image digest: ranges, whole-buffer and streamed computation, checked against the
// "Calculated message digest" osslsigncode printed for every fixture (oracle.json).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authenticodeDigestRanges,
  computeAuthenticodeDigest,
  createAuthenticodeHasher,
  type DigestAlgorithm,
} from '../../src/authenticode/index.ts';
import { ALL_DIGESTS, hex, loadOracle, loadSignedFixture, signedFixtureNames } from './helpers.ts';

const NAMES: Record<string, DigestAlgorithm> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

/** [algorithm, calculated digest] pairs printed by `osslsigncode verify`, one per signature. */
function osslsigncodeDigests(output: string): Array<[DigestAlgorithm, string]> {
  const out: Array<[DigestAlgorithm, string]> = [];
  const re = /Message digest algorithm\s+:\s+(\w+)\s*\nCurrent message digest\s+:\s+[0-9A-F]+\s*\nCalculated message digest\s+:\s+([0-9A-F]+)/g;
  for (const m of output.matchAll(re)) {
    const alg = NAMES[m[1] ?? ''];
    if (alg !== undefined && m[2] !== undefined) out.push([alg, m[2].toLowerCase()]);
  }
  return out;
}

describe('authenticodeDigestRanges', () => {
  it('skips CheckSum, the security directory entry and the certificate table', () => {
    const f = loadSignedFixture('signed-sha256.exe');
    const { checksumOffset, securityDirectoryEntryOffset, certificateTable } = f.layout;
    assert.ok(certificateTable !== undefined);
    assert.deepEqual(authenticodeDigestRanges(f.layout, f.bytes.length), [
      { start: 0, end: checksumOffset },
      { start: checksumOffset + 4, end: securityDirectoryEntryOffset },
      { start: securityDirectoryEntryOffset + 8, end: certificateTable.offset },
    ]);
  });

  it('hashes to the end of the file when there is no certificate table', () => {
    const layout = { checksumOffset: 216, securityDirectoryEntryOffset: 296, certificateTable: undefined, securityDirectoryEntryPresent: true };
    assert.deepEqual(authenticodeDigestRanges(layout, 1000).at(-1), { start: 304, end: 1000 });
  });

  it('skips only CheckSum when the optional header has no security directory entry', () => {
    const layout = { checksumOffset: 216, securityDirectoryEntryOffset: 296, certificateTable: undefined, securityDirectoryEntryPresent: false };
    assert.deepEqual(authenticodeDigestRanges(layout, 1000), [
      { start: 0, end: 216 },
      { start: 220, end: 1000 },
    ]);
  });

  it('rejects layouts that cannot describe the file with AUTHENTICODE_BAD_LAYOUT', () => {
    const present = { securityDirectoryEntryPresent: true };
    const bad = [
      { ...present, checksumOffset: 300, securityDirectoryEntryOffset: 296, certificateTable: undefined },
      { ...present, checksumOffset: 216, securityDirectoryEntryOffset: 296, certificateTable: { offset: 2000, size: 8 } },
      { ...present, checksumOffset: 216, securityDirectoryEntryOffset: 296, certificateTable: { offset: 300, size: 8 } },
      { ...present, checksumOffset: -1, securityDirectoryEntryOffset: 296, certificateTable: undefined },
      { ...present, checksumOffset: 216, securityDirectoryEntryOffset: Number.NaN, certificateTable: undefined },
      { securityDirectoryEntryPresent: false, checksumOffset: 216, securityDirectoryEntryOffset: 296, certificateTable: { offset: 2000, size: 8 } },
    ];
    for (const layout of bad) {
      assert.throws(() => authenticodeDigestRanges(layout, 1000), { name: 'ParseError', code: 'AUTHENTICODE_BAD_LAYOUT' }, JSON.stringify(layout));
    }
  });
});

describe('computeAuthenticodeDigest', () => {
  const oracle = loadOracle();
  for (const name of signedFixtureNames()) {
    it(`${name}: equals osslsigncode's calculated digest for every signature`, () => {
      const output = oracle.files[name]?.osslsigncode?.output ?? '';
      const expected = osslsigncodeDigests(output);
      assert.ok(expected.length > 0, 'no digest in the osslsigncode output');
      const f = loadSignedFixture(name);
      for (const [alg, digest] of expected) assert.equal(hex(computeAuthenticodeDigest(f.bytes, f.layout, alg)), digest, alg);
    });
  }
});

describe('createAuthenticodeHasher', () => {
  const f = loadSignedFixture('signed-dual.exe');
  const expected = new Map(ALL_DIGESTS.map((a) => [a, hex(computeAuthenticodeDigest(f.bytes, f.layout, a))]));

  for (const chunkSize of [1, 3, 7, 64, 4096, 1 << 20]) {
    it(`gives the whole-buffer digests when fed ${chunkSize}-byte chunks`, () => {
      const hasher = createAuthenticodeHasher(f.layout, f.bytes.length, ALL_DIGESTS);
      for (let off = 0; off < f.bytes.length; off += chunkSize) hasher.update(f.bytes.subarray(off, off + chunkSize), off);
      const got = hasher.digest();
      for (const a of ALL_DIGESTS) assert.equal(hex(got.get(a) ?? new Uint8Array()), expected.get(a), a);
    });
  }

  it('accepts irregular chunk boundaries (every boundary next to a skipped field)', () => {
    const { checksumOffset, securityDirectoryEntryOffset } = f.layout;
    const cuts = [0, 1, checksumOffset - 1, checksumOffset + 2, checksumOffset + 4, securityDirectoryEntryOffset + 3, securityDirectoryEntryOffset + 8, 5000, f.bytes.length];
    const hasher = createAuthenticodeHasher(f.layout, f.bytes.length, ['sha256', 'sha256', 'sha1']);
    for (let i = 0; i + 1 < cuts.length; i++) hasher.update(f.bytes.subarray(cuts[i], cuts[i + 1]), cuts[i] as number);
    const got = hasher.digest();
    assert.deepEqual([...got.keys()], ['sha256', 'sha1']);
    assert.equal(hex(got.get('sha256') ?? new Uint8Array()), expected.get('sha256'));
  });

  it('does not need the bytes after the hashed ranges (the certificate table)', () => {
    const table = f.layout.certificateTable;
    assert.ok(table !== undefined);
    const hasher = createAuthenticodeHasher(f.layout, f.bytes.length, ['sha1']);
    hasher.update(f.bytes.subarray(0, table.offset), 0);
    assert.equal(hex(hasher.digest().get('sha1') ?? new Uint8Array()), expected.get('sha1'));
  });

  it('refuses out-of-order chunks and an early digest()', () => {
    const hasher = createAuthenticodeHasher(f.layout, f.bytes.length, ['sha256']);
    hasher.update(f.bytes.subarray(0, 100), 0);
    assert.throws(() => hasher.update(f.bytes.subarray(200, 300), 200), RangeError);
    assert.throws(() => hasher.digest(), RangeError);
  });
});
