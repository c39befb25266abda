/**
 * Structure-aware mutation: each seed carries the file offsets of its fields (header fields, sizes, offsets,
 * counts, DER lengths, table cells), found by the target from the real structure, and most mutations rewrite one
 * of those fields with a value chosen to cross a boundary (0, 1, the field's maximum, its value ± a little, the
 * file length, an offset near the end). The rest are the classic byte-level ones: bit flips, byte sets,
 * truncation, splicing a chunk of the file over another, inserting bytes (which shifts every later offset).
 *
 * Every case is a pure function of (seed number, target name, case index), so the harness can regenerate any case
 * from its index: a worker that hangs or runs out of memory does not need to have sent its input anywhere.
 */
import { mulberry32 } from '../test/support/seeded-random.ts';

/** One field of a seed: where it is, how wide, and its byte order (DER lengths are big-endian). */
export interface Field {
  at: number;
  width: 1 | 2 | 3 | 4;
  bigEndian?: boolean;
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
  fields: Field[];
}

/** mulberry32 (test/support/seeded-random.ts). */
export const prng = mulberry32;

/** FNV-1a of a string: mixes the target name into the per-case seed. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The random stream of one case. */
export function caseRandom(runSeed: number, target: string, caseIndex: number): () => number {
  return prng((Math.imul(runSeed ^ hashString(target), 0x9e3779b1) + Math.imul(caseIndex, 0x85ebca6b)) >>> 0);
}

const INTERESTING_BYTES = [0, 1, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xfe, 0xff];

function readField(bytes: Uint8Array, f: Field): number {
  let v = 0;
  for (let i = 0; i < f.width; i++) {
    const byte = bytes[f.at + (f.bigEndian === true ? i : f.width - 1 - i)] ?? 0;
    v = v * 256 + byte;
  }
  return v;
}

function writeField(bytes: Uint8Array, f: Field, value: number): void {
  let v = Math.max(0, Math.trunc(value)) % 2 ** (8 * f.width);
  for (let i = 0; i < f.width; i++) {
    const at = f.at + (f.bigEndian === true ? f.width - 1 - i : i);
    if (at < bytes.length) bytes[at] = v & 0xff;
    v = Math.floor(v / 256);
  }
}

/** Apply 1–4 mutations to a copy of one of the seeds; returns the input and a one-line description. */
export function mutate(seeds: readonly Seed[], random: () => number): { input: Uint8Array; how: string } {
  const int = (n: number): number => Math.floor(random() * n);
  const seed = seeds[int(seeds.length)] as Seed;
  let bytes = seed.bytes.slice();
  const steps: string[] = [seed.name];
  const count = 1 + int(4);
  for (let m = 0; m < count; m++) {
    const kind = random();
    if (kind < 0.55 && seed.fields.length > 0) {
      const f = seed.fields[int(seed.fields.length)] as Field;
      if (f.at + f.width > bytes.length) continue;
      const max = 2 ** (8 * f.width) - 1;
      const old = readField(bytes, f);
      const choices = [0, 1, max, max - 1, Math.floor(max / 2), Math.floor(max / 2) + 1, old + 1, old - 1, old + 1 + int(16), old - 1 - int(16), old * 2, bytes.length, bytes.length - f.at, bytes.length - 1 - int(64), int(max + 1), old ^ (1 << int(8 * f.width))];
      const value = choices[int(choices.length)] as number;
      writeField(bytes, f, value < 0 ? max : value);
      steps.push(`field@${f.at}/${f.width}=${value}`);
    } else if (kind < 0.7) {
      const at = int(bytes.length);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << int(8));
      steps.push(`flip@${at}`);
    } else if (kind < 0.8) {
      const at = int(bytes.length);
      bytes[at] = random() < 0.5 ? (INTERESTING_BYTES[int(INTERESTING_BYTES.length)] as number) : int(256);
      steps.push(`set@${at}`);
    } else if (kind < 0.87) {
      const keep = int(bytes.length + 1);
      bytes = bytes.subarray(0, keep);
      steps.push(`truncate@${keep}`);
    } else if (kind < 0.95) {
      const length = 1 + int(Math.min(256, bytes.length));
      const from = int(Math.max(1, bytes.length - length));
      const to = int(Math.max(1, bytes.length - length));
      bytes.copyWithin(to, from, from + length);
      steps.push(`splice ${from}→${to}+${length}`);
    } else {
      const at = int(bytes.length + 1);
      const inserted = Uint8Array.from({ length: 1 + int(16) }, () => (random() < 0.5 ? 0 : int(256)));
      const grown = new Uint8Array(bytes.length + inserted.length);
      grown.set(bytes.subarray(0, at));
      grown.set(inserted, at);
      grown.set(bytes.subarray(at), at + inserted.length);
      bytes = grown;
      steps.push(`insert@${at}+${inserted.length}`);
    }
  }
  return { input: bytes, how: steps.join(' ') };
}

/** Fields of a little-endian struct at `base` from a `{ name: offset }` table (widths from the next offset, ≤ 4). */
export function structFields(base: number, table: Readonly<Record<string, number>>, structSize: number): Field[] {
  const offsets = [...new Set(Object.values(table))].sort((a, b) => a - b);
  const out: Field[] = [];
  offsets.forEach((offset, i) => {
    const next = offsets[i + 1] ?? structSize;
    const size = next - offset;
    // Wide fields (names, GUIDs) are mutated as their first dword.
    out.push({ at: base + offset, width: size >= 4 ? 4 : size === 3 ? 3 : size === 2 ? 2 : 1 });
  });
  return out;
}

/** Every aligned word (or dword) of [from, to): table rows and other arrays of small integers. */
export function wordFields(from: number, to: number, width: 2 | 4): Field[] {
  const out: Field[] = [];
  for (let at = from - (from % width); at + width <= to; at += width) out.push({ at, width });
  return out;
}
