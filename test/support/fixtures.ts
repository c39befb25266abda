import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CertificateSummary } from '../../src/authenticode/index.ts';
import { MemoryByteSource } from '../../src/core/audit-tree.ts';
import { certificatesFromPEM } from '../../src/files/trust-store.ts';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const peFixtures = join(repoRoot, 'test', 'fixtures', 'pe');
export const pki = join(repoRoot, 'test', 'fixtures', 'pki');

/** The oracle records signers in the report's shape (values from openssl, not from Absolve). */
export type OracleSigner = CertificateSummary;

export interface OracleSignature {
  digestAlgorithm: string | null;
  signer?: OracleSigner | null;
  timestamp?: { kind: 'rfc3161' | 'authenticode'; time: string } | null;
}

export interface OracleEntry {
  sha256: string;
  size: number;
  isPE: boolean;
  machine: string | null;
  bits: number | null;
  isDll: boolean | null;
  subsystem: string | null;
  verifiedAt?: string;
  expected: OracleSignature & {
    status: 'valid' | 'invalid' | 'untrusted' | 'unsigned' | 'malformed';
    statusReason?: string | null;
    statusWhenTrusted?: string;
    trustedWith?: string;
    nested?: OracleSignature[];
  };
}

export interface PEOracle {
  generatedAt: string;
  trust: { ca: string; tsaCa: string };
  files: Record<string, OracleEntry>;
}

/** osslsigncode/openssl/objdump facts recorded when the fixtures were built (scripts/fixtures/build-pe-fixtures.sh). */
export function loadPEOracle(): PEOracle {
  return JSON.parse(readFileSync(join(peFixtures, 'oracle.json'), 'utf8')) as PEOracle;
}

export function pemToDer(path: string): Uint8Array[] {
  return certificatesFromPEM(readFileSync(path, 'latin1'));
}

/** An in-memory ByteSource that can also hand out short reads, to exercise the read loop. */
export class MemorySource extends MemoryByteSource {
  constructor(
    bytes: Uint8Array,
    private readonly maxReadBytes = Number.MAX_SAFE_INTEGER,
  ) {
    super(bytes);
  }

  override read(buffer: Uint8Array, position: number): Promise<number> {
    return super.read(buffer.subarray(0, Math.min(buffer.length, this.maxReadBytes)), position);
  }
}
