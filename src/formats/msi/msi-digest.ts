/**
 * Authenticode digests of MSI/MSP (any compound file), as osslsigncode computes and checks them (msi.c:
 * msi_hash_dir, msi_prehash_dir, dirent_cmp_hash) and as Windows' MSI SIP defines them:
 *
 * - Content digest: walk the storage tree; at each level sort the children by their raw UTF-16LE name bytes
 *   (Directory Entry Name Length bytes, terminator included) with memcmp over the shorter length, the longer
 *   name first on a tie; hash each stream's bytes (empty streams contribute nothing), recurse into storages,
 *   then hash the storage's own 16-byte CLSID. At the root, the `\u0005DigitalSignature` and
 *   `\u0005MsiDigitalSignatureEx` streams are skipped.
 * - With an `\u0005MsiDigitalSignatureEx` stream, the content digest starts with a pre-hash of the metadata:
 *   for the root its CLSID and state bits; for every other entry (same order, same skips) its name bytes without
 *   the terminator, then the CLSID (storages) or the low 4 bytes of the size (streams), the state bits and the
 *   raw creation and modification FILETIMEs. The stream holds that pre-hash.
 *
 * This layer may not import node:crypto, so the hash is injected: pass `createHash` from node:crypto (its Hash
 * objects fit `Hasher`) or any other implementation.
 */
import type { CFBEntry, CFBFile } from '../cfb/index.ts';

export interface Hasher {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}
/** Hash factory for an algorithm name such as 'sha256' (node:crypto's createHash fits as is). */
export type CreateHasher = (algorithm: string) => Hasher;

export interface MsiSignatureInfo {
  /** The PKCS#7 SignedData DER of the `\u0005DigitalSignature` stream, or undefined when unsigned. */
  signatureBlob: Uint8Array | undefined;
  /** The `\u0005MsiDigitalSignatureEx` stream (the pre-hash the signer recorded), when present. */
  exBlob?: Uint8Array;
  /** The digest the SpcIndirectDataContent must carry (pre-hash first when `exBlob` is present). */
  computeDigest(algorithm: string, createHasher: CreateHasher): Uint8Array;
  /** The MsiDigitalSignatureEx pre-hash (compare with `exBlob`). */
  computePrehash(algorithm: string, createHasher: CreateHasher): Uint8Array;
}

const DIGITAL_SIGNATURE = utf16z('\u0005DigitalSignature');
const MSI_DIGITAL_SIGNATURE_EX = utf16z('\u0005MsiDigitalSignatureEx');
/** osslsigncode skips streams whose size is 0 or at least MAXREGSECT. */
const MAXREGSECT = 0xfffffffa;

function utf16z(s: string): Uint8Array {
  const out = new Uint8Array((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}

/** memcmp of the first n bytes. */
function memcmp(a: Uint8Array, b: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** osslsigncode dirent_cmp_hash. */
export function compareMsiHashOrder(a: Uint8Array, b: Uint8Array): number {
  const diff = memcmp(a, b, Math.min(a.length, b.length));
  if (diff !== 0) return diff;
  return a.length > b.length ? -1 : 1;
}

/** osslsigncode's root-level skip test: memcmp over the shorter of the two lengths. */
function isSignatureStream(entry: CFBEntry): boolean {
  const n = entry.nameBytes;
  return memcmp(n, DIGITAL_SIGNATURE, Math.min(n.length, DIGITAL_SIGNATURE.length)) === 0 || memcmp(n, MSI_DIGITAL_SIGNATURE_EX, Math.min(n.length, MSI_DIGITAL_SIGNATURE_EX.length)) === 0;
}

function sortedChildren(storage: CFBEntry, isRoot: boolean): CFBEntry[] {
  return storage.children.filter((c) => !(isRoot && isSignatureStream(c))).sort((a, b) => compareMsiHashOrder(a.nameBytes, b.nameBytes));
}

const sizeLow = (size: number): Uint8Array => Uint8Array.of(size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff);
const u32le = sizeLow;

function prehashMetadata(entry: CFBEntry, hasher: Hasher): void {
  if (entry.type !== 'root') hasher.update(entry.nameBytes.subarray(0, entry.nameBytes.length - 2));
  hasher.update(entry.type === 'stream' ? sizeLow(entry.size % 0x1_0000_0000) : entry.clsid);
  hasher.update(u32le(entry.stateBits));
  if (entry.type !== 'root') {
    hasher.update(entry.creationTime);
    hasher.update(entry.modifiedTime);
  }
}

function prehashStorage(storage: CFBEntry, hasher: Hasher, isRoot: boolean): void {
  prehashMetadata(storage, hasher);
  for (const child of sortedChildren(storage, isRoot)) {
    if (child.type === 'stream') prehashMetadata(child, hasher);
    else if (child.type === 'storage') prehashStorage(child, hasher, false);
  }
}

function hashStorage(file: CFBFile, storage: CFBEntry, hasher: Hasher, isRoot: boolean): void {
  for (const child of sortedChildren(storage, isRoot)) {
    if (child.type === 'stream') {
      const size = child.size % 0x1_0000_0000;
      if (size === 0 || size >= MAXREGSECT) continue;
      hasher.update(file.readStream(child));
    } else if (child.type === 'storage') {
      hashStorage(file, child, hasher, false);
    }
  }
  hasher.update(storage.clsid);
}

/** Signature streams and digest functions of a parsed compound file (MSI, MSP, MST). */
export function prepareMsiSignature(file: CFBFile): MsiSignatureInfo {
  const rootStream = (name: Uint8Array): CFBEntry | undefined =>
    file.root.children.find((c) => c.type === 'stream' && c.nameBytes.length === name.length && memcmp(c.nameBytes, name, name.length) === 0);
  const signature = rootStream(DIGITAL_SIGNATURE);
  const ex = rootStream(MSI_DIGITAL_SIGNATURE_EX);
  const exBlob = ex === undefined ? undefined : file.readStream(ex);
  const computePrehash = (algorithm: string, createHasher: CreateHasher): Uint8Array => {
    const hasher = createHasher(algorithm);
    prehashStorage(file.root, hasher, true);
    return hasher.digest();
  };
  return {
    signatureBlob: signature === undefined ? undefined : file.readStream(signature),
    ...(exBlob === undefined ? {} : { exBlob }),
    computePrehash,
    computeDigest(algorithm: string, createHasher: CreateHasher): Uint8Array {
      const hasher = createHasher(algorithm);
      if (exBlob !== undefined) hasher.update(computePrehash(algorithm, createHasher));
      hashStorage(file, file.root, hasher, true);
      return hasher.digest();
    },
  };
}
