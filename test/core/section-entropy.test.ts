/**
 * The audit counts each section's entropy from the chunks it reads (src/core/audit-artifact.ts), not in a second
 * pass: the values must equal shannonEntropy over the section's bytes, for sections that span read chunks, start
 * at odd offsets and are split by short reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditArtifact } from '../../src/core/audit-artifact.ts';
import { DEFAULT_AUDIT_LIMITS, READ_CHUNK_BYTES } from '../../src/core/limits.ts';
import { shannonEntropy } from '../../src/core/lint/entropy.ts';
import { buildPE } from '../formats/pe/pe-builder.ts';
import { MemorySource } from '../support/fixtures.ts';

function skewed(length: number, seed: number, alphabet: number): Uint8Array {
  let x = seed >>> 0;
  return Uint8Array.from({ length }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return (x >>> 13) % alphabet;
  });
}

describe('section entropy measured while reading', () => {
  const pe = buildPE({
    bits: 64,
    sections: [
      { name: '.text', data: skewed(5000, 1, 90) },
      // Larger than two read chunks: counted across chunk boundaries.
      { name: '.rdata', data: skewed(2 * READ_CHUNK_BYTES + 777, 2, 256) },
      { name: '.data', data: skewed(3, 3, 7) },
      { name: '.bss', virtualSize: 4096 },
    ],
    overlay: skewed(10_000, 4, 256),
  }).bytes;

  for (const maxReadBytes of [undefined, 4093]) {
    it(`equals shannonEntropy over each section's bytes${maxReadBytes === undefined ? '' : ` (reads of at most ${maxReadBytes} bytes)`}`, async () => {
      const report = await auditArtifact(new MemorySource(pe, maxReadBytes), { path: 'x.exe', hashes: [], trustAnchors: [], at: new Date(0), limits: DEFAULT_AUDIT_LIMITS });
      const sections = report.lintFacts?.pe?.sections;
      assert.ok(sections !== undefined && sections.length === 4);
      const view = new DataView(pe.buffer, pe.byteOffset, pe.byteLength);
      const tableAt = view.getUint32(0x3c, true) + 24 + view.getUint16(view.getUint32(0x3c, true) + 20, true);
      sections.forEach((facts, i) => {
        const rawSize = view.getUint32(tableAt + i * 40 + 16, true);
        const rawAt = view.getUint32(tableAt + i * 40 + 20, true);
        const expected = rawSize === 0 ? null : shannonEntropy(pe.subarray(rawAt, rawAt + rawSize));
        assert.equal(facts.entropy, expected, facts.name);
      });
      assert.ok((sections[1]?.entropy ?? 0) > 7.9, 'random .rdata is near 8 bits per byte');
    });
  }
});
