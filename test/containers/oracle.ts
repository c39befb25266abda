// Loads test/fixtures/containers/oracle.json (written by scripts/fixtures/build-container-fixtures.sh).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../fixtures/containers');

export interface ExtractedFile {
  path: string;
  size: number;
  sha256: string;
}
export interface SevenZipFacts {
  listRc: number;
  listing: Array<{ path: string; size?: number | null; packedSize?: number | null; method?: string | null; encrypted?: string | null; folder?: string | null }>;
  extractRc?: number;
  extracted?: ExtractedFile[];
}
export interface SignatureFacts {
  status: string;
  digest: string;
  digestAlgorithm: string;
  spcDataType: string;
  signatureSha256: string;
  signatureBytes: number;
  osslsigncodeCurrentDigest: string | null;
  osslsigncodeCurrentMsiDigitalSignatureEx: string | null;
}
export interface OracleEntry {
  kind: string;
  size: number;
  sha256: string;
  sevenZip?: SevenZipFacts;
  cabextract?: { listRc: number; listing: Array<{ path: string; size: number }>; extractRc: number; extracted: ExtractedFile[] };
  msiextract?: { rc: number; paths: string[]; extracted: ExtractedFile[] };
  msiinfo?: Record<string, Array<Record<string, string>>> & { streams?: string[] };
  embeddedCabinets?: Record<string, { extracted: ExtractedFile[] }>;
  signature?: SignatureFacts;
}

export const oracle = JSON.parse(readFileSync(join(FIXTURES, 'oracle.json'), 'utf8')) as { files: Record<string, OracleEntry> };

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The fixture's bytes, checked against the oracle's sha256 (a stale oracle fails loudly). */
export function fixture(name: string): Uint8Array {
  const entry = oracle.files[name];
  if (entry === undefined) throw new Error(`${name} is not in oracle.json`);
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
  if (sha256(bytes) !== entry.sha256) throw new Error(`${name} changed since oracle.json was recorded: rerun scripts/fixtures/build-container-fixtures.sh`);
  return bytes;
}

export function entry(name: string): OracleEntry {
  const e = oracle.files[name];
  if (e === undefined) throw new Error(`${name} is not in oracle.json`);
  return e;
}

/** "path sha256" lines, sorted: the comparison unit between our listings and the tools'. */
export function pathHashSet(files: Array<{ path: string; sha256: string }>): string[] {
  return files.map((f) => `${f.path}  ${f.sha256}`).sort();
}
