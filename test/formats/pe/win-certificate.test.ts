import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ParseError } from '../../../src/binary/index.ts';
import { MAX_WIN_CERTIFICATE_COUNT, parsePEHeaders, parseWinCertificates, WIN_CERT_REVISION_2_0, WIN_CERT_TYPE_PKCS_SIGNED_DATA } from '../../../src/formats/pe/index.ts';
import { concat, hex, winCertificate } from './pe-builder.ts';

const fixtures = join(import.meta.dirname, '../../fixtures');
const badTable = (e: unknown): boolean => e instanceof ParseError && e.code === 'PE_BAD_CERTIFICATE_TABLE';

function signedFixtures(): string[] {
  const out: string[] = [];
  for (const dir of ['pe', 'pe-extra']) {
    let names: string[];
    try {
      names = readdirSync(join(fixtures, dir));
    } catch {
      continue;
    }
    for (const n of names) if (/signed.*\.(exe|dll)$/.test(n) && !n.includes('past-eof')) out.push(`${dir}/${n}`);
  }
  return out;
}

describe('parseWinCertificates on signed fixtures (osslsigncode output)', () => {
  const files = signedFixtures();
  it('finds signed fixtures', () => assert.ok(files.length >= 2, files.join()));
  for (const name of files) {
    it(name, () => {
      const bytes = new Uint8Array(readFileSync(join(fixtures, name)));
      const table = parsePEHeaders(bytes).authenticode.certificateTable;
      assert.ok(table !== undefined && table.problem === undefined, JSON.stringify(table));
      const certs = parseWinCertificates(bytes.subarray(table.offset, table.offset + table.size));
      assert.equal(certs.length, 1);
      const [c] = certs;
      assert.equal(c?.offset, 0);
      assert.equal(c?.revision, WIN_CERT_REVISION_2_0);
      assert.equal(c?.certificateType, WIN_CERT_TYPE_PKCS_SIGNED_DATA);
      assert.ok(c !== undefined && c.length <= table.size && table.size - c.length < 8);
      // bCertificate is DER: SEQUENCE with a long-form length (0x30 0x82 ...).
      assert.equal(c.certificate[0], 0x30);
      assert.equal(c.certificate.length, c.length - 8);
      // It shares memory with the input (no copy).
      assert.equal(c.certificate.buffer, bytes.buffer);
    });
  }
});

describe('parseWinCertificates (literals)', () => {
  it('reads one entry with its 8-byte alignment padding', () => {
    const certs = parseWinCertificates(hex('0d000000 0002 0200 3003020101 000000'));
    assert.deepEqual(certs.map((c) => [c.offset, c.length, c.revision, c.certificateType, [...c.certificate]]), [[0, 13, 0x200, 2, [0x30, 0x03, 0x02, 0x01, 0x01]]]);
  });

  it('reads several entries, each 8-byte aligned, and an unpadded last entry', () => {
    const table = concat(winCertificate(new Uint8Array([1, 2, 3])), winCertificate(new Uint8Array(8), 0x0100, 1), winCertificate(new Uint8Array([9]), 0x200, 2, false));
    const certs = parseWinCertificates(table);
    assert.deepEqual(certs.map((c) => [c.offset, c.length, c.revision, c.certificateType]), [[0, 11, 0x200, 2], [16, 16, 0x100, 1], [32, 9, 0x200, 2]]);
  });

  it('tolerates zero padding after the last entry', () => {
    assert.equal(parseWinCertificates(concat(winCertificate(new Uint8Array(8)), new Uint8Array(16))).length, 1);
  });

  const malformed: Array<[string, Uint8Array]> = [
    ['an empty table', new Uint8Array(0)],
    ['a 4-byte table', hex('08000000')],
    ['dwLength 0 with data after it', hex('00000000 0002 0200 01000000')],
    ['dwLength 7 (below its own header)', hex('07000000 0002 0200 00000000')],
    ['dwLength past the table', hex('10000000 0002 0200 3003')],
    ['dwLength 0xFFFFFFFF', hex('ffffffff 0002 0200 3003')],
    ['non-zero trailing bytes', concat(winCertificate(new Uint8Array(8)), hex('0102'))],
    ['a second entry cut short', concat(winCertificate(new Uint8Array(8)), hex('20000000 0002 0200'))],
    ['more entries than the limit', concat(...Array.from({ length: MAX_WIN_CERTIFICATE_COUNT + 1 }, () => winCertificate(new Uint8Array(0))))],
  ];
  for (const [title, table] of malformed) {
    it(`rejects ${title} with PE_BAD_CERTIFICATE_TABLE`, () => {
      assert.throws(() => parseWinCertificates(table), badTable);
    });
  }
});
