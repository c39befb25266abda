import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCP437, decodeZipName, isSupportedZipMethod, ZIP_FLAG_UTF8, zipMethodName } from '../../../src/formats/zip/index.ts';
import { memberPathProblem, sanitizeMemberName, toDisplayPath } from '../../../src/formats/container/member-name.ts';
import { decodeWindows1252 } from '../../../src/formats/container/windows-1252.ts';

describe('ZIP names', () => {
  it('CP437: ASCII unchanged, the high half per the IBM table', () => {
    assert.equal(decodeCP437(Uint8Array.from([0x41, 0x81, 0x84, 0x94, 0x9b, 0xe1, 0xff])), 'Aüäö¢ß\u00a0');
    const all = decodeCP437(Uint8Array.from({ length: 256 }, (_, i) => i));
    assert.equal([...all].length, 256);
    assert.equal(new Set(all).size, 256, 'CP437 is a bijection');
  });
  it('bit 11 selects UTF-8; an Info-ZIP Unicode Path field (0x7075, version 1) wins', () => {
    const utf8 = new TextEncoder().encode('Läs mig ✓.txt');
    assert.equal(decodeZipName(utf8, ZIP_FLAG_UTF8), 'Läs mig ✓.txt');
    assert.equal(decodeZipName(Uint8Array.from([0x4d, 0x81]), 0), 'Mü');
    const field = new Uint8Array([1, 0, 0, 0, 0, ...new TextEncoder().encode('Grüße')]);
    assert.equal(decodeZipName(Uint8Array.from([0x47]), 0, field), 'Grüße');
    assert.equal(decodeZipName(Uint8Array.from([0x47]), 0, new Uint8Array([2, 0])), 'G');
  });
  it('method names; only stored and deflate are expanded', () => {
    assert.deepEqual([0, 8, 9, 12, 14, 93, 99, 77].map(zipMethodName), ['stored', 'deflate', 'deflate64', 'bzip2', 'lzma', 'zstd', 'aes', 'method-77']);
    assert.deepEqual([0, 8, 9, 12].map(isSupportedZipMethod), [true, true, false, false]);
  });
});

describe('member names', () => {
  it('path problems use Windows semantics', () => {
    const cases: Array<[string, ReturnType<typeof memberPathProblem>]> = [
      ['ok/fine.txt', undefined],
      ['dir\\file.txt', undefined],
      ['..', 'parent-segment'],
      ['a/../../b', 'parent-segment'],
      ['a\\..\\..\\b', 'parent-segment'],
      ['..foo/bar', undefined],
      ['/etc/passwd', 'absolute'],
      ['\\Windows\\x.dll', 'absolute'],
      ['C:\\evil.exe', 'drive-letter'],
      ['c:evil.exe', 'drive-letter'],
      ['\\\\server\\share\\x', 'unc'],
      ['//server/share/x', 'unc'],
      ['a\u0000b', 'nul'],
    ];
    for (const [name, problem] of cases) assert.equal(memberPathProblem(name), problem, JSON.stringify(name));
  });
  it('display names escape controls and bidi overrides, and are capped', () => {
    assert.equal(sanitizeMemberName('a\u0007b\u202ecod.exe'), 'a\\x07b\\u{202e}cod.exe');
    assert.equal(toDisplayPath('dir\\sub\\x\u0001.txt'), 'dir/sub/x\\x01.txt');
    assert.equal(sanitizeMemberName('x'.repeat(5000)).length, 1025);
  });
  it('Windows-1252 maps 0x80–0x9F to the punctuation block (Node decodes them as C1 controls)', () => {
    assert.equal(decodeWindows1252(Uint8Array.from([0x80, 0x85, 0x93, 0x94, 0x9f, 0xe9, 0x41])), '€…“”ŸéA');
  });
});
