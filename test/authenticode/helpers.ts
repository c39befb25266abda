// Shared test helpers: committed fixtures (test/fixtures/pe + oracle.json, test/fixtures/pki) and a tiny
// DER builder/editor for crafting malformed signatures from real ones.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePEHeaders, parseWinCertificates, type AuthenticodeLayout } from '../../src/formats/pe/index.ts';
import { computeAuthenticodeDigest, type DigestAlgorithm } from '../../src/authenticode/index.ts';
import { derBytes, derChildren, readNode, type DERNode } from '../../src/authenticode/der.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const PE_FIXTURES = join(FIXTURES, 'pe');
export const PKI = join(FIXTURES, 'pki');

export interface OracleCertificate {
  subject: string;
  issuer: string;
  serialNumber: string;
  thumbprintSha1?: string;
  thumbprintSha256: string;
  notBefore?: string;
  notAfter?: string;
  certFile: string;
}

export interface OracleExpected {
  status: string;
  statusReason: string | null;
  digestAlgorithm: string | null;
  signer: OracleCertificate | null;
  timestamp: { kind: 'rfc3161' | 'authenticode'; time: string; tsa: OracleCertificate } | null;
  nested: Array<{ digestAlgorithm: string; signer: OracleCertificate; timestamp: OracleExpected['timestamp'] }>;
  statusWhenTrusted?: string;
  trustedWith?: string;
}

export interface OracleFile {
  description: string;
  size: number;
  verifiedAt: string;
  osslsigncode?: { command: string; exitCode: number; verdict: string; digestMismatch: boolean; output: string };
  osslsigncodeStatus?: string;
  osslsigncodeTrusted?: { command: string; exitCode: number; verdict: string };
  expected: OracleExpected;
}

export interface Oracle {
  trust: { ca: string; tsaCa: string };
  files: Record<string, OracleFile>;
}

let oracleCache: Oracle | undefined;
export function loadOracle(): Oracle {
  oracleCache ??= JSON.parse(readFileSync(join(PE_FIXTURES, 'oracle.json'), 'utf8')) as Oracle;
  return oracleCache;
}

/** A PEM (or DER) certificate file → DER bytes. */
export function certificateDER(path: string): Uint8Array {
  return new Uint8Array(new X509Certificate(readFileSync(path)).raw);
}

export interface SignedFixture {
  name: string;
  bytes: Uint8Array;
  layout: AuthenticodeLayout;
  /** bCertificate of the first WIN_CERTIFICATE (DER + padding). */
  signatureBytes: Uint8Array;
}

export function loadSignedFixture(name: string, dir = PE_FIXTURES): SignedFixture {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  const headers = parsePEHeaders(bytes, bytes.length);
  const table = headers.authenticode.certificateTable;
  if (table === undefined) throw new Error(`${name} is not signed`);
  const [entry] = parseWinCertificates(bytes.subarray(table.offset, table.offset + table.size));
  if (entry === undefined) throw new Error(`${name} has no WIN_CERTIFICATE`);
  return { name, bytes, layout: headers.authenticode, signatureBytes: entry.certificate };
}

export const ALL_DIGESTS: readonly DigestAlgorithm[] = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'];

export function allDigests(fixture: SignedFixture): Map<DigestAlgorithm, Uint8Array> {
  return new Map(ALL_DIGESTS.map((a) => [a, computeAuthenticodeDigest(fixture.bytes, fixture.layout, a)]));
}

/** Names of the signed fixtures listed in oracle.json (files present on disk). */
export function signedFixtureNames(): string[] {
  return Object.entries(loadOracle().files)
    .filter(([, f]) => f.expected.signer !== null)
    .map(([name]) => name)
    .sort();
}

// ---- DER building/editing ------------------------------------------------------------------

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

export function tlv(tag: number, body: Uint8Array | readonly number[]): Uint8Array {
  const b = body instanceof Uint8Array ? body : Uint8Array.from(body);
  const n = b.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concat(Uint8Array.from([tag, ...len]), b);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const digits: number[] = [];
    let v = arc;
    do {
      digits.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < digits.length - 1; i++) digits[i] = (digits[i] as number) | 0x80;
    out.push(...digits);
  }
  return tlv(0x06, out);
}

export const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, concat(...parts));
export const set = (...parts: Uint8Array[]): Uint8Array => tlv(0x31, concat(...parts));

/** The node reached from `root` by child indexes. */
export function nodeAt(bytes: Uint8Array, path: readonly number[]): DERNode {
  let node = readNode(bytes, 0);
  for (const i of path) {
    const child = derChildren(node)[i];
    if (child === undefined) throw new Error(`no child ${i} at ${path.join('/')}`);
    node = child;
  }
  return node;
}

/**
 * Rebuilds `bytes` (one DER element) with the node at `path` replaced by `replacement` (any bytes; may be
 * several elements or none), re-encoding every ancestor's length. Trailing bytes after the root are dropped.
 */
export function replaceAt(bytes: Uint8Array, path: readonly number[], replacement: Uint8Array): Uint8Array {
  const rebuild = (node: DERNode, rest: readonly number[]): Uint8Array => {
    if (rest.length === 0) return replacement;
    const [head, ...tail] = rest;
    const kids = derChildren(node);
    const parts = kids.map((k, i) => (i === head ? rebuild(k, tail) : derBytes(k)));
    const first = node.bytes[node.start] as number;
    return tlv(first, concat(...parts));
  };
  return rebuild(readNode(bytes, 0), path);
}

/** Paths inside an Authenticode ContentInfo (PKCS #7 as osslsigncode writes it: certificates present, no CRLs). */
export const PATH = {
  contentType: [0],
  signedData: [1, 0],
  encapContentInfo: [1, 0, 2],
  eContentType: [1, 0, 2, 0],
  spcIndirectData: [1, 0, 2, 1, 0],
  certificates: [1, 0, 3],
  signerInfos: [1, 0, 4],
  signerInfo: [1, 0, 4, 0],
} as const;

/** Child index of unsignedAttrs ([1]) inside the SignerInfo, or undefined. */
export function unsignedAttrsIndex(signature: Uint8Array): number | undefined {
  const kids = derChildren(nodeAt(signature, PATH.signerInfo));
  const i = kids.findIndex((k) => k.tagClass === 2 && k.tagNumber === 1);
  return i === -1 ? undefined : i;
}

/** Returns `signature` with its unsigned attributes replaced by `attributes` (DER Attribute elements). */
export function withUnsignedAttributes(signature: Uint8Array, attributes: readonly Uint8Array[]): Uint8Array {
  const der = signature.subarray(0, readNode(signature, 0).end);
  const kids = derChildren(nodeAt(der, PATH.signerInfo));
  const index = unsignedAttrsIndex(der);
  const newAttrs = attributes.length === 0 ? new Uint8Array(0) : tlv(0xa1, concat(...attributes));
  const parts = kids.map((k, i) => (i === index ? newAttrs : derBytes(k)));
  if (index === undefined) parts.push(newAttrs);
  return replaceAt(der, PATH.signerInfo, seq(...parts));
}

/** An Attribute { oid, SET { values } }. */
export function attribute(dotted: string, ...values: Uint8Array[]): Uint8Array {
  return seq(oid(dotted), set(...values));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}
