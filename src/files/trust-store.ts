import type { TrustStoreStatus } from '../core/trust-status.ts';
import { X509Certificate } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { VerificationPolicy } from '../authenticode/index.ts';
import { AbsolveError } from '../core/errors.ts';
import { MICROSOFT_ROOT_INDEX } from './microsoft-root-index.ts';
import { defaultTrustStoreDir, loadMicrosoftTrustStore } from './microsoft-trust-store.ts';
import { readRegularFile } from './read-input.ts';

/**
 * Trust anchors for code signing and timestamping.
 * - `microsoft`: the Microsoft Trusted Root Program (authroot.stl and its roots) imported by
 *   `absolve trust update`, with each root's EKU, NotBefore and Disallowed limits: what Windows judges
 *   Authenticode against. The default once it has been imported.
 * - `node`: Node's bundled Mozilla root set (TLS roots; it lacks Microsoft's own roots). The default before.
 * - `none`: only the `--trust` anchors.
 * `--trust` adds PEM/DER files or folders of them, unrestricted, to any of them.
 */
export type TrustStoreChoice = 'microsoft' | 'node' | 'none';

export interface TrustOptions {
  trustPaths: readonly string[];
  /** false (`--no-default-trust`) = store `none`. */
  includeDefaultRoots: boolean;
  /** Explicit `--trust-store`; undefined = `microsoft` when imported, else `node`. */
  store?: TrustStoreChoice | undefined;
  /** Where the Microsoft store lives (default: the user's cache, see defaultTrustStoreDir). */
  storeDir?: string;
  /** Windows' EnableCertPaddingCheck (`--cert-padding-check`). */
  certPaddingCheck?: boolean;
}

export interface LoadedTrust {
  anchors: Uint8Array[];
  policy: VerificationPolicy;
  store: TrustStoreChoice;
}

export const TRUST_UPDATE_ADVICE = "run 'absolve trust update' to use Microsoft's root program (or pass the root with --trust)";

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

/** The anchors and the verification policy for `audit` and `release add`. */
export async function loadTrustAnchors(options: TrustOptions): Promise<LoadedTrust> {
  const dir = options.storeDir ?? defaultTrustStoreDir();
  let choice: TrustStoreChoice = options.store ?? (options.includeDefaultRoots ? 'node' : 'none');
  let microsoft = choice === 'microsoft' || options.store === undefined ? await loadMicrosoftTrustStore(dir) : undefined;
  if (options.store === undefined && options.includeDefaultRoots && microsoft !== undefined) choice = 'microsoft';
  if (choice !== 'microsoft') microsoft = undefined;
  if (choice === 'microsoft' && microsoft === undefined) {
    throw new AbsolveError('TRUST_STORE_MISSING', `no Microsoft trust store in '${dir}': run 'absolve trust update' (or 'absolve trust update --from DIR' offline) first`);
  }
  const policy: VerificationPolicy = { certPaddingCheck: options.certPaddingCheck ?? false };
  let anchors: Uint8Array[];
  if (microsoft !== undefined) {
    anchors = [...microsoft.anchors];
    policy.anchorConstraints = microsoft.constraints;
    policy.knownRoots = microsoft.missing;
    policy.missingRootAdvice = "its certificate is missing from the Microsoft trust store: run 'absolve trust update'";
  } else {
    anchors = choice === 'node' ? [...defaultTrustAnchors()] : [];
    policy.knownRoots = MICROSOFT_ROOT_INDEX;
    policy.missingRootAdvice = TRUST_UPDATE_ADVICE;
  }
  anchors.push(...(await loadAnchorPaths(options.trustPaths)));
  return { anchors, policy, store: choice };
}

async function loadAnchorPaths(paths: readonly string[]): Promise<Uint8Array[]> {
  const anchors: Uint8Array[] = [];
  for (const path of paths) {
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


/** What `absolve trust status` shows. A store that exists but does not verify is reported, not thrown. */
export async function trustStoreStatus(dir: string = defaultTrustStoreDir()): Promise<TrustStoreStatus> {
  const nodeRoots = defaultTrustAnchors().length;
  let store;
  try {
    store = await loadMicrosoftTrustStore(dir);
  } catch (error) {
    if (!(error instanceof AbsolveError)) throw error;
    return { defaultStore: 'node', dir, microsoft: null, problem: `${error.code}: ${error.message}`, nodeRoots };
  }
  if (store === undefined) return { defaultStore: 'node', dir, microsoft: null, problem: null, nodeRoots };
  const { ctl } = store;
  const roots = store.anchors.length + store.missing.length;
  return {
    defaultStore: 'microsoft',
    dir,
    microsoft: {
      thisUpdate: ctl.thisUpdate,
      nextUpdate: ctl.nextUpdate ?? null,
      sequenceNumber: ctl.sequenceNumber,
      entries: ctl.entries.length,
      authenticodeRoots: roots,
      anchors: store.anchors.length,
      missing: store.missing.length,
      disallowed: ctl.entries.filter((e) => e.disallowedFrom !== undefined).length,
      notBefore: ctl.entries.filter((e) => e.notBefore !== undefined).length,
      signerChain: store.signerChain,
    },
    problem: null,
    nodeRoots,
  };
}

export type { TrustStoreStatus };
