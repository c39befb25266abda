// Mutation fuzzing of real signature blobs: every mutated blob must either parse or throw a ParseError,
// and every parseable one must verify to a verdict (never a rejection).
// Reproduce a failure with AUTHENTICODE_FUZZ_SEED=<seed printed in the message>;
// AUTHENTICODE_FUZZ_ITERATIONS raises the count (default 10,000).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/binary/index.ts';
import { parseAuthenticodeSignature, verifyAuthenticode, type DigestAlgorithm, type SignatureVerdict } from '../../src/authenticode/index.ts';
import { derChildren, readNode, type DERNode } from '../../src/authenticode/der.ts';
import { allDigests, certificateDER, FIXTURES, loadSignedFixture, PKI, signedFixtureNames } from './helpers.ts';

const SEED = process.env.AUTHENTICODE_FUZZ_SEED !== undefined ? Number(process.env.AUTHENTICODE_FUZZ_SEED) >>> 0 : Math.floor(Math.random() * 2 ** 32);
const ITERATIONS = Number(process.env.AUTHENTICODE_FUZZ_ITERATIONS ?? 10_000);
const AT = new Date('2026-11-28T00:08:52Z');
const STATUSES = new Set(['valid', 'invalid', 'untrusted', 'malformed']);

/** sfc32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

interface Seed {
  name: string;
  blob: Uint8Array;
  digests: Map<DigestAlgorithm, Uint8Array>;
  /** Every DER element (also inside OCTET STRINGs that hold DER), for structure-aware mutations. */
  nodes: DERNode[];
}

function collectNodes(bytes: Uint8Array): DERNode[] {
  const out: DERNode[] = [];
  const stack: DERNode[] = [readNode(bytes, 0)];
  while (stack.length > 0) {
    const node = stack.pop() as DERNode;
    out.push(node);
    if (node.constructed) {
      try {
        stack.push(...derChildren(node));
      } catch {
        // not a well-formed constructed value (e.g. inside a BIT STRING): leave it
      }
    } else if (node.tagNumber === 4 && node.end - node.contentStart > 2) {
      try {
        const inner = readNode(node.bytes, node.contentStart, node.end);
        if (inner.end === node.end) stack.push(inner);
      } catch {
        // plain octets
      }
    }
  }
  return out;
}

function loadSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const add = (name: string, dir?: string): void => {
    const f = loadSignedFixture(name, dir);
    const blob = Uint8Array.from(f.signatureBytes);
    seeds.push({ name, blob, digests: allDigests(f), nodes: collectNodes(blob) });
  };
  for (const name of signedFixtureNames()) add(name);
  for (const name of ['tiny-x64-gui-signed.exe', 'tiny-x86-lib-signed.dll']) {
    try {
      add(name, join(FIXTURES, 'pe-extra'));
    } catch {
      // optional extra seeds
    }
  }
  return seeds;
}

const INTERESTING = [0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1e, 0x30, 0x31, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xa0, 0xa1, 0xa3, 0xff];

function mutate(seed: Seed, all: readonly Seed[], rand: () => number): { blob: Uint8Array; how: string } {
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const src = seed.blob;
  const kind = int(11);
  switch (kind) {
    case 0: {
      const out = Uint8Array.from(src);
      const flips = 1 + int(8);
      for (let i = 0; i < flips; i++) {
        const p = int(out.length);
        out[p] = (out[p] as number) ^ (1 << int(8));
      }
      return { blob: out, how: `flip ${flips} bits` };
    }
    case 1: {
      const out = Uint8Array.from(src);
      const n = 1 + int(4);
      for (let i = 0; i < n; i++) out[int(out.length)] = rand() < 0.5 ? pick(INTERESTING) : int(256);
      return { blob: out, how: `set ${n} bytes` };
    }
    case 2: {
      const n = int(src.length);
      return { blob: src.slice(0, n), how: `truncate to ${n}` };
    }
    case 3: {
      const a = int(src.length);
      const b = Math.min(src.length, a + 1 + int(64));
      const out = new Uint8Array(src.length - (b - a));
      out.set(src.subarray(0, a));
      out.set(src.subarray(b), a);
      return { blob: out, how: `delete [${a},${b})` };
    }
    case 4: {
      const a = int(src.length);
      const n = 1 + int(16);
      const out = new Uint8Array(src.length + n);
      out.set(src.subarray(0, a));
      for (let i = 0; i < n; i++) out[a + i] = int(256);
      out.set(src.subarray(a), a + n);
      return { blob: out, how: `insert ${n} at ${a}` };
    }
    case 5: {
      const node = pick(seed.nodes);
      const out = Uint8Array.from(src);
      const lengthAt = node.start + 1 + (node.tagNumber >= 31 ? 1 : 0);
      if (lengthAt < out.length) out[lengthAt] = rand() < 0.5 ? pick(INTERESTING) : ((out[lengthAt] as number) + (rand() < 0.5 ? 1 : -1)) & 0xff;
      return { blob: out, how: `length byte of node at ${node.start}` };
    }
    case 6: {
      const node = pick(seed.nodes);
      const out = Uint8Array.from(src);
      out[node.start] = pick(INTERESTING);
      return { blob: out, how: `tag of node at ${node.start}` };
    }
    case 7: {
      // Random contents of a primitive node, structure kept: the most likely to stay parseable and reach verify.
      const node = pick(seed.nodes);
      const out = Uint8Array.from(src);
      for (let p = node.contentStart; p < node.end; p++) if (rand() < 0.3) out[p] = int(256);
      return { blob: out, how: `scramble contents of node at ${node.start}` };
    }
    case 8: {
      // Duplicate a node in place (extra element in a SEQUENCE/SET; lengths of ancestors are now wrong).
      const node = pick(seed.nodes);
      const piece = src.subarray(node.start, node.end);
      const out = new Uint8Array(src.length + piece.length);
      out.set(src.subarray(0, node.end));
      out.set(piece, node.end);
      out.set(src.subarray(node.end), node.end + piece.length);
      return { blob: out, how: `duplicate node at ${node.start}` };
    }
    case 9: {
      const other = pick(all);
      const a = int(src.length);
      const b = int(other.blob.length);
      const out = new Uint8Array(a + other.blob.length - b);
      out.set(src.subarray(0, a));
      out.set(other.blob.subarray(b), a);
      return { blob: out, how: `splice ${seed.name}[0,${a}) + ${other.name}[${b},)` };
    }
    default: {
      // Swap the contents of two nodes of equal length (e.g. two OIDs, two serials, two digests).
      const a = pick(seed.nodes);
      const sameLength = seed.nodes.filter((n) => n !== a && n.end - n.start === a.end - a.start && (n.end <= a.start || n.start >= a.end));
      const out = Uint8Array.from(src);
      if (sameLength.length > 0) {
        const b = pick(sameLength);
        out.set(src.subarray(b.start, b.end), a.start);
        out.set(src.subarray(a.start, a.end), b.start);
      }
      return { blob: out, how: `swap node at ${a.start} with an equal-length node` };
    }
  }
}

describe('Authenticode fuzzing', () => {
  it(`${ITERATIONS} mutated signature blobs: parse or ParseError, verify resolves (seed ${SEED})`, async () => {
    const seeds = loadSeeds();
    const anchors = [certificateDER(join(PKI, 'ca.crt'))];
    const rand = prng(SEED);
    let parsed = 0;
    let rejected = 0;
    const codes = new Map<string, number>();
    const statuses = new Map<string, number>();
    for (let i = 0; i < ITERATIONS; i++) {
      const seed = seeds[Math.floor(rand() * seeds.length)] as Seed;
      const { blob, how } = mutate(seed, seeds, rand);
      const where = `seed ${SEED}, iteration ${i}, ${seed.name}: ${how}`;
      let signature;
      try {
        signature = parseAuthenticodeSignature(blob);
      } catch (error) {
        if (!(error instanceof ParseError)) assert.fail(`non-ParseError escaped parseAuthenticodeSignature (${where}): ${String(error)}`);
        rejected++;
        codes.set(String(error.code), (codes.get(String(error.code)) ?? 0) + 1);
        continue;
      }
      parsed++;
      let verdict: SignatureVerdict;
      try {
        verdict = await verifyAuthenticode({ signature, computedDigests: seed.digests, trustAnchors: anchors, at: AT });
      } catch (error) {
        assert.fail(`verifyAuthenticode rejected (${where}): ${String(error)}`);
      }
      assert.ok(STATUSES.has(verdict.status), `bad status ${verdict.status} (${where})`);
      assert.equal(typeof verdict.reason, 'string', where);
      statuses.set(`${verdict.status}/${verdict.reasonCode}`, (statuses.get(`${verdict.status}/${verdict.reasonCode}`) ?? 0) + 1);
    }
    const summary = `seed ${SEED}: ${ITERATIONS} blobs from ${seeds.length} fixtures; ${parsed} parsed (${JSON.stringify(Object.fromEntries(statuses))}), ${rejected} ParseErrors (${JSON.stringify(Object.fromEntries(codes))})`;
    console.log(summary);
    assert.ok(parsed > ITERATIONS / 20, `too few mutations stayed parseable to exercise verify: ${summary}`);
    assert.ok(rejected > ITERATIONS / 20, `too few mutations were rejected: ${summary}`);
  });
});
