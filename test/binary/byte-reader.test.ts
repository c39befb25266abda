import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteView, LimitExceededError, ParseError, safeBound, toHex } from '../../src/binary/index.ts';

describe('ByteView', () => {
  it('reads little-endian values at an offset inside a pooled buffer', () => {
    const backing = new Uint8Array(32);
    backing.set([0x4d, 0x5a, 0x78, 0x56, 0x34, 0x12], 10);
    const view = new ByteView(backing.subarray(10, 16));
    assert.equal(view.u16(0), 0x5a4d);
    assert.equal(view.u32(2), 0x12345678);
    assert.equal(toHex(view.slice(0, 2)), '4d5a');
  });

  it('turns every out-of-range read into a ParseError with the caller code', () => {
    const view = new ByteView(new Uint8Array(4), 'PE_TRUNCATED');
    for (const read of [() => view.u32(1), () => view.u16(3), () => view.u8(4), () => view.slice(2, 3), () => view.u32(-1), () => view.u32(Number.NaN)]) {
      assert.throws(read, (e: unknown) => e instanceof ParseError && e.code === 'PE_TRUNCATED');
    }
  });

  it('reads bounded NUL-terminated strings', () => {
    const view = new ByteView(new Uint8Array([0x41, 0x42, 0, 0x43, 0x00, 0x44, 0x00, 0x00, 0x00]));
    assert.equal(view.cstring(0, 10), 'AB');
    assert.equal(view.cstring(0, 1), 'A');
    assert.deepEqual(view.utf16z(3, 10), { value: 'CD', byteLength: 6 });
  });
});

describe('safeBound', () => {
  it('passes sizes within the limit and rejects larger or invalid ones', () => {
    assert.equal(safeBound(10, 10, 'maxThingBytes'), 10);
    assert.throws(() => safeBound(11, 10, 'maxThingBytes'), LimitExceededError);
    assert.throws(() => safeBound(-1, 10, 'maxThingBytes'), (e: unknown) => e instanceof ParseError && e.code === 'BAD_SIZE');
    assert.throws(() => safeBound(1.5, 10, 'maxThingBytes'), ParseError);
  });
});
