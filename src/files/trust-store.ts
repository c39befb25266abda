import { X509Certificate } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { AbsolveError } from '../core/errors.ts';
import { readRegularFile } from './read-input.ts';

/**
 * Trust anchors for code signing and timestamping.
 * The default store is Node's bundled Mozilla root set: the closest portable stand-in for the
 * Windows root store (it lacks Microsoft's own roots, so Microsoft-signed files verify only when
 * those roots are passed with --trust). `--trust` adds PEM/DER files or folders of them.
 */
export interface TrustOptions {
  trustPaths: readonly string[];
  includeDefaultRoots: boolean;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const CERT_EXTENSIONS = /\.(pem|crt|cer|der)$/i;
/** A trust file is a certificate or a bundle of them (Mozilla's whole root set is ~250 KB as PEM). */
export const MAX_TRUST_FILE_BYTES = 16 * 1024 * 1024;

export function certificatesFromPEM(text: string): Uint8Array[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

let defaultRoots: Uint8Array[] | undefined;
export function defaultTrustAnchors(): Uint8Array[] {
  defaultRoots ??= rootCertificates.flatMap(certificatesFromPEM);
  return defaultRoots;
}

async function certificatesFromFile(path: string): Promise<Uint8Array[]> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, 'trust anchor', MAX_TRUST_FILE_BYTES);
  } catch (error) {
    // A FIFO, a device or a file too large keeps its own code; anything else is an unreadable anchor.
    if (error instanceof AbsolveError && (error.code === 'PATH_NOT_REGULAR' || error.code === 'INPUT_TOO_LARGE')) throw error;
    throw new AbsolveError('TRUST_ANCHOR_UNREADABLE', `cannot read trust anchor '${path}': ${(error as Error).message}`, { cause: error });
  }
  const text = bytes.toString('latin1');
  const certs = text.includes('-----BEGIN CERTIFICATE-----') ? certificatesFromPEM(text) : [new Uint8Array(bytes)];
  for (const der of certs) {
    try {
      new X509Certificate(der);
    } catch (error) {
      throw new AbsolveError('TRUST_ANCHOR_INVALID', `'${path}' is not a PEM or DER X.509 certificate (${(error as Error).message})`, { cause: error });
    }
  }
  if (certs.length === 0) throw new AbsolveError('TRUST_ANCHOR_INVALID', `'${path}' holds no certificate`);
  return certs;
}

export async function loadTrustAnchors(options: TrustOptions): Promise<Uint8Array[]> {
  const anchors: Uint8Array[] = options.includeDefaultRoots ? [...defaultTrustAnchors()] : [];
  for (const path of options.trustPaths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new AbsolveError('TRUST_ANCHOR_UNREADABLE', `cannot read trust anchor '${path}': no such file or folder`, { cause: error });
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) => CERT_EXTENSIONS.test(n)).sort();
      for (const name of names) anchors.push(...(await certificatesFromFile(join(path, name))));
    } else {
      anchors.push(...(await certificatesFromFile(path)));
    }
  }
  return anchors;
}
