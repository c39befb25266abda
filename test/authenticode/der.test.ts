// The DER reader and the small decoders under the Authenticode parser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/binary/index.ts';
import { decodeOID, decodeTime, derChildren, readNode } from '../../src/authenticode/der.ts';
import { formatSerialNumber } from '../../src/authenticode/certificate.ts';
import { fromHex } from './helpers.ts';

const bad = (hexText: string): void => {
  assert.throws(() => readNode(fromHex(hexText), 0), (e: unknown) => e instanceof ParseError && e.code === 'AUTHENTICODE_BAD_DER', hexText);
};

describe('readNode', () => {
  it('reads short, long and high-tag forms with exact offsets', () => {
    const n = readNode(fromHex('ff30 8103 010203'), 1);
    assert.deepEqual([n.tagClass, n.constructed, n.tagNumber, n.start, n.contentStart, n.end], [0, true, 16, 1, 4, 7]);
    const high = readNode(fromHex('bf8f0100'), 0);
    assert.deepEqual([high.tagClass, high.tagNumber, high.end], [2, 0x781, 4]);
  });

  it('rejects indefinite lengths, oversized length fields, lengths past the end and missing bytes', () => {
    for (const h of ['3080', '30850100000000', '3003 0102', '30', '', '3f', 'bf8f', '1f8f8f8f0100', '308200']) bad(h);
  });

  it('derChildren requires children to fill the parent exactly', () => {
    assert.equal(derChildren(readNode(fromHex('3006 020101 020102'), 0)).length, 2);
    assert.throws(() => derChildren(readNode(fromHex('3005 020101 0202'), 0)), ParseError);
    assert.throws(() => derChildren(readNode(fromHex('020101'), 0)), ParseError);
  });
});

describe('decodeOID', () => {
  it('decodes arcs including the first-byte split and multi-byte arcs', () => {
    assert.equal(decodeOID(readNode(fromHex('06092a864886f70d010702'), 0)), '1.2.840.113549.1.7.2');
    assert.equal(decodeOID(readNode(fromHex('06035504 03'), 0)), '2.5.4.3');
    assert.equal(decodeOID(readNode(fromHex('06028837'), 0)), '2.999');
  });

  it('rejects empty, truncated, non-minimal and oversized arcs', () => {
    for (const h of ['0600', '06022a86', '06032a8001', '060a2affffffffffffffff7f']) {
      assert.throws(() => decodeOID(readNode(fromHex(h), 0)), ParseError, h);
    }
  });
});

describe('decodeTime', () => {
  const t = (tag: number, text: string): Date => decodeTime(readNode(Uint8Array.from([tag, text.length, ...Buffer.from(text, 'latin1')]), 0));
  it('reads UTCTime with the RFC 5280 century rule', () => {
    assert.equal(t(0x17, '491231235959Z').toISOString(), '2049-12-31T23:59:59.000Z');
    assert.equal(t(0x17, '500101000000Z').toISOString(), '1950-01-01T00:00:00.000Z');
    assert.equal(t(0x17, '2611280008Z').toISOString(), '2026-11-28T00:08:00.000Z');
    assert.equal(t(0x17, '261128000852+0100').toISOString(), '2026-11-27T23:08:52.000Z');
  });

  it('reads GeneralizedTime with fractions', () => {
    assert.equal(t(0x18, '20261128000852Z').toISOString(), '2026-11-28T00:08:52.000Z');
    assert.equal(t(0x18, '20261128000852.5Z').toISOString(), '2026-11-28T00:08:52.500Z');
  });

  it('rejects malformed times', () => {
    for (const [tag, s] of [[0x17, '2611280008'], [0x17, '26112800085xZ'], [0x18, '20261328000852Z'], [0x18, '20261128000852.Z'], [0x02, '1']] as const) {
      assert.throws(() => t(tag, s), ParseError, s);
    }
  });
});

describe('formatSerialNumber', () => {
  it('prints like openssl x509 -serial', () => {
    assert.equal(formatSerialNumber(fromHex('693b12cb9489e22b677cac529e49ca9d9e626f9c')), '693B12CB9489E22B677CAC529E49CA9D9E626F9C');
    assert.equal(formatSerialNumber(fromHex('00ff01')), 'FF01');
    assert.equal(formatSerialNumber(fromHex('02')), '02');
    assert.equal(formatSerialNumber(fromHex('00')), '00');
    assert.equal(formatSerialNumber(fromHex('ff')), '-01');
  });
});
