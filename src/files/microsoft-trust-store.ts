/**
 * The Microsoft Trusted Root Program as a trust store: Microsoft's certificate trust list (authroot.stl) and
 * the root certificates it names, kept in the user's cache in the layout Microsoft serves them:
 *
 *   <store>/authroot.stl
 *   <store>/certs/<SHA-1 thumbprint>.crt      (DER)
 *
 * `absolve trust update` fetches both from Microsoft's published endpoint (the "trustedr" folder that Windows'
 * automatic root update uses), `absolve trust update --from DIR` copies them from a folder of the same layout.
 * Loading verifies the list's signature up to a pinned Microsoft root and each certificate's thumbprint, and
 * turns the list's per-root properties into the verifier's AnchorConstraints.
 *
 * Only the roots the list trusts for code signing or time stamping (or for every purpose) are fetched and
 * loaded: the others cannot anchor an Authenticode chain, and Windows would refuse them for it anyway.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  parseCertificate,
  parseCertificateTrustList,
  verifyCertificateTrustList,
  type AnchorConstraints,
  type CertificateTrustList,
  type CertificateTrustListEntry,
  type KnownRoot,
} from '../authenticode/index.ts';
import { OID } from '../authenticode/oids.ts';
import { AbsolveError } from '../core/errors.ts';

/** Microsoft's endpoint for authroot.stl and the root certificates (`<base>authroot.stl`, `<base><SHA1>.crt`). */
export { MICROSOFT_TRUST_BASE_URL } from './trust-endpoints.ts';

/**
 * The roots the CTL signature must chain to, pinned by SHA-256: "Microsoft Root Certificate Authority 2010"
 * (the root of the current list signer, Microsoft Certificate List CA 2024) and "Microsoft Root Certificate
 * Authority 2011" (Microsoft's other product root). Their certificates come from the store itself
 * (certs/<SHA-1>.crt), so a pin is what makes a downloaded list trustworthy.
 */
export interface RootPin {
  thumbprintSha1: string;
  sha256: string;
}

export const MICROSOFT_CTL_PINS: readonly RootPin[] = [
  { thumbprintSha1: '3B1EFD3A66EA28B16697394703A72CA340A05BD5', sha256: 'DF545BF919A2439C36983B54CDFC903DFA4F37D3996D8D84B4C31EEC6F3C163E' },
  { thumbprintSha1: '8F43288AD272F3103B6FB1428485EA3014C0BCFE', sha256: '847DF6A78497943F27FC72EB93F9A637320A02B561D0A91B09E87A7807ED7C61' },
];

export const CTL_FILE = 'authroot.stl';
export const CERTS_DIR = 'certs';
/** authroot.stl is about 200 KB; the bounds keep a hostile server from filling memory. */
const MAX_CTL_BYTES = 16 * 1024 * 1024;
const MAX_CERTIFICATE_BYTES = 64 * 1024;
const FETCH_CONCURRENCY = 8;
const FETCH_TIMEOUT_MS = 60_000;
const FETCH_ATTEMPTS = 3;
const RETRY_DELAY_MS = 250;

/** `$XDG_CACHE_HOME/absolve/trust` (default ~/.cache), `%LOCALAPPDATA%\absolve\trust` on Windows. */
export function defaultTrustStoreDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
    return join(base, 'absolve', 'trust');
  }
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(homedir(), '.cache');
  return join(base, 'absolve', 'trust');
}

/** True when the root can anchor Authenticode: trusted for code signing or time stamping (or for every purpose). */
export function isAuthenticodeRoot(entry: AnchorConstraints): boolean {
  return entry.trustedUsages === undefined || entry.trustedUsages.includes(OID.ekuCodeSigning) || entry.trustedUsages.includes(OID.ekuTimeStamping);
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').toUpperCase();
}

function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex').toUpperCase();
}

export interface MicrosoftTrustStore {
  dir: string;
  ctl: CertificateTrustList;
  /** DER of every Authenticode root present locally whose thumbprint matches its entry. */
  anchors: Uint8Array[];
  constraints: AnchorConstraints[];
  /** Authenticode roots of the list whose certificate is not in the store. */
  missing: KnownRoot[];
  /** Subjects from the list signer to the pinned root. */
  signerChain: string[];
}

export interface LoadStoreOptions {
  /** Override the pinned roots (tests sign their own lists). */
  pins?: readonly RootPin[];
}

/** A root the list names by a 20-byte SHA-1 (the only form used as a file name). */
const THUMBPRINT = /^[0-9A-F]{40}$/;

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AbsolveError('IO_ERROR', `cannot read '${path}': ${(error as Error).message}`, { cause: error });
  }
}

function parseVerified(bytes: Uint8Array, where: string): CertificateTrustList {
  try {
    return parseCertificateTrustList(bytes);
  } catch (error) {
    throw new AbsolveError('TRUST_STORE_INVALID', `${where} is not a certificate trust list: ${(error as Error).message}; run 'absolve trust update' again`, { cause: error });
  }
}

/** The pinned root certificates the list names, from `read` (each checked against its SHA-256 pin). */
async function pinnedRoots(ctl: CertificateTrustList, options: LoadStoreOptions, read: (thumbprint: string) => Promise<Uint8Array | undefined>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const pin of options.pins ?? MICROSOFT_CTL_PINS) {
    if (!ctl.entries.some((e) => e.thumbprintSha1 === pin.thumbprintSha1)) continue;
    const der = await read(pin.thumbprintSha1);
    if (der !== undefined && sha256Hex(der) === pin.sha256) out.push(der);
  }
  return out;
}

function verified(ctl: CertificateTrustList, roots: Uint8Array[], where: string): string[] {
  const verification = verifyCertificateTrustList(ctl, roots);
  if (!verification.ok) throw new AbsolveError('TRUST_STORE_INVALID', `the Microsoft trust list from ${where} is not authentic: ${verification.reason}; run 'absolve trust update' again`);
  return verification.chain;
}

/**
 * Loads the store in `dir`; undefined when there is none (no authroot.stl). Throws AbsolveError
 * TRUST_STORE_INVALID when the list does not parse or its signature does not chain to a pinned root.
 */
export async function loadMicrosoftTrustStore(dir: string, options: LoadStoreOptions = {}): Promise<MicrosoftTrustStore | undefined> {
  const bytes = await readIfPresent(join(dir, CTL_FILE));
  if (bytes === undefined) return undefined;
  const ctl = parseVerified(bytes, join(dir, CTL_FILE));
  const certsDir = join(dir, CERTS_DIR);
  const signerChain = verified(ctl, await pinnedRoots(ctl, options, (t) => readIfPresent(join(certsDir, `${t}.crt`))), `'${dir}'`);

  const anchors: Uint8Array[] = [];
  const constraints: AnchorConstraints[] = [];
  const missing: KnownRoot[] = [];
  for (const entry of ctl.entries.filter((e) => isAuthenticodeRoot(e) && THUMBPRINT.test(e.thumbprintSha1))) {
    const der = await readIfPresent(join(certsDir, `${entry.thumbprintSha1}.crt`));
    if (der === undefined || der.length > MAX_CERTIFICATE_BYTES || sha1Hex(der) !== entry.thumbprintSha1) {
      missing.push(knownRoot(entry));
      continue;
    }
    try {
      parseCertificate(der);
    } catch {
      missing.push(knownRoot(entry));
      continue;
    }
    anchors.push(der);
    constraints.push(anchorConstraints(entry));
  }
  return { dir, ctl, anchors, constraints, missing, signerChain };
}

function knownRoot(entry: CertificateTrustListEntry): KnownRoot {
  return { thumbprintSha1: entry.thumbprintSha1, name: entry.name, keyIdentifier: entry.keyIdentifier };
}

function anchorConstraints(entry: CertificateTrustListEntry): AnchorConstraints {
  const { thumbprintSha1, name, trustedUsages, disallowedUsages, notBefore, notBeforeUsages, disallowedFrom } = entry;
  return { thumbprintSha1, name, trustedUsages, disallowedUsages, notBefore, notBeforeUsages, disallowedFrom };
}

// ---------------------------------------------------------------------------------------------
// Update and import
// ---------------------------------------------------------------------------------------------

export interface UpdateProgress {
  (done: number, total: number): void;
}

export interface UpdateResult {
  dir: string;
  thisUpdate: Date;
  sequenceNumber: string;
  entries: number;
  /** Authenticode roots written. */
  certificates: number;
  /** Authenticode roots the source did not have. */
  missing: number;
}

/** Where certificates and the list come from: a base URL or a folder. */
interface Source {
  describe: string;
  ctl(): Promise<Uint8Array>;
  /** undefined when the source does not have it. */
  certificate(thumbprint: string): Promise<Uint8Array | undefined>;
}

async function fetchBounded(url: string, maxBytes: number): Promise<Uint8Array | undefined> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= FETCH_ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * (attempt - 1)));
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) {
        await response.body?.cancel();
        lastError = new Error(`HTTP ${response.status}`);
        if (response.status < 500 && response.status !== 429) break;
        continue;
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > maxBytes) {
        await response.body?.cancel();
        throw new AbsolveError('TRUST_UPDATE_FAILED', `${url} is ${declared} bytes, more than the ${maxBytes} allowed`);
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      if (response.body !== null) {
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
          total += chunk.length;
          if (total > maxBytes) throw new AbsolveError('TRUST_UPDATE_FAILED', `${url} is more than the ${maxBytes} bytes allowed`);
          chunks.push(chunk);
        }
      }
      return new Uint8Array(Buffer.concat(chunks));
    } catch (error) {
      if (error instanceof AbsolveError) throw error;
      lastError = error;
    }
  }
  const detail = lastError instanceof Error ? (lastError.cause instanceof Error ? `${lastError.message} (${lastError.cause.message})` : lastError.message) : String(lastError);
  throw new AbsolveError('TRUST_UPDATE_FAILED', `cannot download ${url}: ${detail}; check the network or import a folder with 'absolve trust update --from DIR'`, { cause: lastError });
}

function urlSource(baseUrl: string): Source {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    describe: base,
    async ctl() {
      const bytes = await fetchBounded(`${base}${CTL_FILE}`, MAX_CTL_BYTES);
      if (bytes === undefined) throw new AbsolveError('TRUST_UPDATE_FAILED', `${base}${CTL_FILE} was not found (HTTP 404)`);
      return bytes;
    },
    certificate: (thumbprint) => fetchBounded(`${base}${thumbprint}.crt`, MAX_CERTIFICATE_BYTES),
  };
}

function folderSource(dir: string): Source {
  return {
    describe: dir,
    async ctl() {
      const path = join(dir, CTL_FILE);
      const info = await stat(path).catch((error: unknown) => {
        throw new AbsolveError('PATH_NOT_FOUND', `'${path}' does not exist: --from takes a folder holding ${CTL_FILE} and ${CERTS_DIR}/<SHA-1>.crt`, { cause: error });
      });
      if (info.size > MAX_CTL_BYTES) throw new AbsolveError('TRUST_STORE_INVALID', `'${path}' is ${info.size} bytes, more than the ${MAX_CTL_BYTES} allowed`);
      return new Uint8Array(await readFile(path));
    },
    async certificate(thumbprint) {
      const path = join(dir, CERTS_DIR, `${thumbprint}.crt`);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || !info.isFile() || info.size > MAX_CERTIFICATE_BYTES) return undefined;
      return readIfPresent(path);
    },
  };
}

async function runBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Fetches (or copies) the list and its Authenticode roots into a fresh folder next to `dir`, verifies the
 * list against the pinned roots, then swaps it in: a failed or interrupted update leaves the previous store
 * untouched.
 */
async function update(dir: string, source: Source, options: LoadStoreOptions & { onProgress?: UpdateProgress }): Promise<UpdateResult> {
  const ctlBytes = await source.ctl();
  const ctl = parseVerified(ctlBytes, `${source.describe} (${CTL_FILE})`);
  // Authenticate the list before acting on it: fetch only the pinned roots, verify, then the rest.
  const fetched = new Map<string, Uint8Array | undefined>();
  const certificate = async (thumbprint: string): Promise<Uint8Array | undefined> => {
    if (!fetched.has(thumbprint)) fetched.set(thumbprint, await source.certificate(thumbprint));
    return fetched.get(thumbprint);
  };
  verified(ctl, await pinnedRoots(ctl, options, certificate), source.describe);
  const wanted = ctl.entries.filter((e) => isAuthenticodeRoot(e) && THUMBPRINT.test(e.thumbprintSha1));
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, CERTS_DIR), { recursive: true });
  try {
    let done = 0;
    let written = 0;
    await runBounded(wanted, FETCH_CONCURRENCY, async (entry) => {
      const der = await certificate(entry.thumbprintSha1);
      // A certificate whose hash is not its name is not the one the list names: leave it out.
      if (der !== undefined && sha1Hex(der) === entry.thumbprintSha1) {
        await writeFile(join(staging, CERTS_DIR, `${entry.thumbprintSha1}.crt`), der);
        written++;
      }
      options.onProgress?.(++done, wanted.length);
    });
    await writeFile(join(staging, CTL_FILE), ctlBytes);
    const loaded = await loadMicrosoftTrustStore(staging, options);
    if (loaded === undefined) throw new AbsolveError('INTERNAL', 'the staged trust store disappeared');
    await mkdir(join(dir, '..'), { recursive: true });
    const previous = `${dir}.previous-${process.pid}`;
    const hadPrevious = await stat(dir).then(
      () => true,
      () => false,
    );
    if (hadPrevious) await rename(dir, previous);
    await rename(staging, dir);
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
    return { dir, thisUpdate: ctl.thisUpdate, sequenceNumber: ctl.sequenceNumber, entries: ctl.entries.length, certificates: written, missing: wanted.length - written };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

export function updateMicrosoftTrustStore(dir: string, baseUrl: string, options: LoadStoreOptions & { onProgress?: UpdateProgress } = {}): Promise<UpdateResult> {
  return update(dir, urlSource(baseUrl), options);
}

export function importMicrosoftTrustStore(dir: string, from: string, options: LoadStoreOptions & { onProgress?: UpdateProgress } = {}): Promise<UpdateResult> {
  return update(dir, folderSource(from), options);
}

/** The certificate files present in a store (for status). */
export async function storeCertificateCount(dir: string): Promise<number> {
  try {
    return (await readdir(join(dir, CERTS_DIR))).filter((n) => n.endsWith('.crt')).length;
  } catch {
    return 0;
  }
}
