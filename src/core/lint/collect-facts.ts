/**
 * collectLintFacts: everything the lint rules look at, gathered once per artifact from what the audit already
 * holds (the parsed image, the in-memory bytes it was parsed from, the parsed signature and its verdict).
 * Pure: no I/O, no clock; the result is plain data (structured-clone safe, so it crosses worker threads).
 */
import { createPublicKey } from 'node:crypto';
import { bytesEqual, toHex } from '../../binary/index.ts';
import { mapRVA, parseWinCertificates, type PEImage } from '../../formats/pe/index.ts';
import { thumbprints, type AuthenticodeSignature, type CertificateInfo, type CMSSignerInfo, type SignerIdentifier } from '../../authenticode/index.ts';
import { OID, SIGNATURE_SCHEME_BY_OID } from '../../authenticode/oids.ts';
import type { SignatureStatus } from '../audit.types.ts';
import { shannonEntropy } from './entropy.ts';
import type { CertificateFacts, ContainerFacts, LintFacts, OverlayFacts, PEFacts, SectionFacts, SignatureFacts, SignerFacts, TimestampFacts } from './lint.types.ts';
import { detectBundles, detectPackers, identifyPayload, isDotnetBundle, MARKER_SEARCH_BYTES, OVERLAY_PROBE_BYTES } from './markers.ts';

/** A verdict as the authenticode layer (SignatureVerdict) or the report (SignatureReport) carries it. */
export interface VerdictLike {
  status: string;
  reasonCode: string;
  reason: string;
  nested: readonly VerdictLike[];
  /** The deciding timestamp; `valid` is known when the verifier's own verdict is passed (not a stored report). */
  timestamp?: { time?: string; valid?: boolean } | null;
}

export interface CollectLintFactsInput {
  /** The artifact's report path. */
  path: string;
  /** The parsed image; undefined when it was too large to parse (content facts are then null). */
  image?: PEImage;
  /** The bytes `image` was parsed from (the whole file, or a prefix holding every section's raw data). */
  bytes?: Uint8Array;
  /** Each section's entropy when the caller measured it while reading (index = section index; null: no raw data). */
  sectionEntropy?: ReadonlyArray<number | null>;
  /** The parsed primary signature, when there is one. */
  signature?: AuthenticodeSignature;
  /** Its verdict (or the report's signature block, which also covers unsigned / malformed files). */
  verdict?: VerdictLike | null;
  container?: ContainerFacts;
}

const ENTRY_STUB_BYTES = 64;
const MAX_TLS_CALLBACKS = 256;
const RT_RCDATA = 10;
const TLS_DIRECTORY_INDEX = 9;
const KNOWN_UNSIGNED_ATTRIBUTES: ReadonlySet<string> = new Set([OID.counterSignature, OID.msRFC3161Timestamp, OID.spcNestedSignature]);

export function collectLintFacts(input: CollectLintFactsInput): LintFacts {
  const facts: LintFacts = {
    path: input.path,
    pe: input.image !== undefined && input.bytes !== undefined ? collectPEFacts(input.image, input.bytes, input.sectionEntropy) : null,
    signature: collectSignatureFacts(input),
  };
  if (input.container !== undefined) facts.container = input.container;
  return facts;
}

// ---------------------------------------------------------------------------------------------
// PE content
// ---------------------------------------------------------------------------------------------

/** Data directories that are tables of their own section: resources (2), exception table (3, .pdata), base relocations (5). */
const SECTION_TABLE_DIRECTORIES = new Set([2, 3, 5]);

/**
 * The file range of a section's raw data inside `length` bytes, or undefined when it has none. PointerToRawData 0
 * means "uninitialised" whatever SizeOfRawData says ([PECOFF] Section Table).
 */
export function sectionRawRange(s: { pointerToRawData: number; sizeOfRawData: number }, length: number): { start: number; end: number } | undefined {
  const end = Math.min(length, s.pointerToRawData + s.sizeOfRawData);
  return s.sizeOfRawData > 0 && s.pointerToRawData > 0 && s.pointerToRawData < end ? { start: s.pointerToRawData, end } : undefined;
}

function collectPEFacts(image: PEImage, bytes: Uint8Array, measuredEntropy: ReadonlyArray<number | null> | undefined): PEFacts {
  const h = image.headers;
  const sections: SectionFacts[] = h.sections.map((s, i) => {
    const range = sectionRawRange(s, bytes.length);
    const measured = measuredEntropy?.[i];
    const extent = s.virtualSize > 0 ? s.virtualSize : s.sizeOfRawData;
    return {
      name: s.name,
      virtualAddress: s.virtualAddress,
      virtualSize: s.virtualSize,
      rawSize: s.sizeOfRawData,
      readable: s.readable,
      writable: s.writable,
      executable: s.executable,
      entropy: measured !== undefined ? measured : range === undefined ? null : shannonEntropy(bytes.subarray(range.start, range.end)),
      // Which table fills most of the section ([PECOFF] Optional Header Data Directories), whatever its name.
      table:
        s.executable || extent === 0
          ? null
          : (h.dataDirectories.find(
              (d) => SECTION_TABLE_DIRECTORIES.has(d.index) && d.size > 0 && d.virtualAddress >= s.virtualAddress && d.virtualAddress < s.virtualAddress + extent && d.size * 2 >= extent,
            )?.name ?? null),
    };
  });

  const epRva = h.addressOfEntryPoint;
  const epSection = h.sections.find((s) => epRva >= s.virtualAddress && epRva < s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData));
  const epMapped = epRva === 0 ? undefined : mapRVA(h, epRva);
  const stub = epMapped === undefined ? undefined : bytes.subarray(epMapped.offset, Math.min(bytes.length, epMapped.offset + Math.min(ENTRY_STUB_BYTES, epMapped.available)));

  const strings = preferredStrings(image);
  const versionInfo =
    image.versionInfo === undefined
      ? null
      : {
          companyName: (strings.CompanyName ?? '').trim(),
          productName: (strings.ProductName ?? '').trim(),
          fileVersion: (strings.FileVersion ?? (image.versionInfo.fixedFileInfoPresent ? image.versionInfo.fileVersion : '')).trim(),
          comments: (strings.Comments ?? '').trim(),
        };

  const searchEnd = Math.min(bytes.length, h.endOfImageData, MARKER_SEARCH_BYTES);
  const overlay = overlayFacts(image, bytes, searchEnd);
  const rcdataHeads = (image.resources?.entries ?? [])
    .filter((e) => e.type === RT_RCDATA)
    .flatMap((e) => {
      const m = mapRVA(h, e.rva);
      return m === undefined || m.offset >= bytes.length ? [] : [bytes.subarray(m.offset, Math.min(bytes.length, m.offset + 4))];
    });

  return {
    machine: h.machineName,
    bits: h.bits,
    isDll: h.isDll,
    subsystem: h.subsystemName,
    linkTimestamp: h.timeDateStamp,
    checksum: image.checksum,
    sections,
    entryPoint: { rva: epRva, section: epSection?.name ?? null, stubHex: stub === undefined || stub.length === 0 ? null : toHex(stub) },
    tls: tlsFacts(image, bytes),
    versionInfo,
    hasManifest: image.manifest !== undefined,
    overlay,
    packers: detectPackers(sections, stub, bytes.subarray(0, Math.min(bytes.length, h.sizeOfHeaders, 4096))),
    bundles: detectBundles({
      bytes,
      searchEnd,
      sectionNames: sections.map((s) => s.name),
      manifest: image.manifest,
      versionComments: versionInfo?.comments ?? '',
      overlayPayload: overlay?.payload ?? null,
      rcdataHeads,
    }),
  };
}

/** Prefer US English (0409) string tables, as Explorer's Details tab does, else the first one. */
function preferredStrings(image: PEImage): Record<string, string> {
  const tables = image.versionInfo?.strings ?? {};
  const keys = Object.keys(tables);
  const key = keys.find((k) => k.toLowerCase().startsWith('0409')) ?? keys[0];
  return (key === undefined ? undefined : tables[key]) ?? {};
}

function overlayFacts(image: PEImage, bytes: Uint8Array, searchEnd: number): OverlayFacts | null {
  const o = image.overlay;
  if (o === undefined) return null;
  const coff = o.coffSymbolTableBytes ?? 0;
  const start = o.offset + coff;
  const end = o.offset + o.size;
  const inspected = start >= end || start < bytes.length;
  let payload: string | null = null;
  if (start < end && start < bytes.length) {
    const head = bytes.subarray(start, Math.min(end, bytes.length, start + OVERLAY_PROBE_BYTES));
    const tail = end <= bytes.length ? bytes.subarray(Math.max(start, end - OVERLAY_PROBE_BYTES), end) : new Uint8Array(0);
    payload = identifyPayload(head, tail);
  }
  if (payload === null && image.headers.sections.some((s) => s.name === '.wixburn')) payload = 'WiX Burn bundle container';
  if (payload === null && isDotnetBundle(bytes, searchEnd)) payload = '.NET single-file bundle';
  return { offset: o.offset, size: o.size, coffSymbolTableBytes: coff, payload, inspected };
}

/** IMAGE_TLS_DIRECTORY ([PECOFF] "The TLS Section"): AddressOfCallBacks is a VA of a null-terminated array of VAs. */
function tlsFacts(image: PEImage, bytes: Uint8Array): PEFacts['tls'] {
  const h = image.headers;
  const dir = h.dataDirectories[TLS_DIRECTORY_INDEX];
  if (dir === undefined || dir.virtualAddress === 0) return { present: false, callbacks: 0 };
  const pointerSize = h.bits === 64 ? 8 : 4;
  const readPointer = (offset: number): bigint | undefined => {
    if (offset < 0 || offset + pointerSize > bytes.length) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, pointerSize);
    return pointerSize === 8 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true));
  };
  const dirOffset = mapRVA(h, dir.virtualAddress);
  if (dirOffset === undefined) return { present: true, callbacks: null };
  // AddressOfCallBacks is the 4th field: after StartAddressOfRawData, EndAddressOfRawData, AddressOfIndex.
  const callbacksVA = readPointer(dirOffset.offset + 3 * pointerSize);
  if (callbacksVA === undefined) return { present: true, callbacks: null };
  if (callbacksVA === 0n) return { present: true, callbacks: 0 };
  const rva = callbacksVA - h.imageBase;
  if (rva < 0n || rva > 0xffffffffn) return { present: true, callbacks: null };
  const array = mapRVA(h, Number(rva));
  if (array === undefined) return { present: true, callbacks: null };
  let count = 0;
  while (count < MAX_TLS_CALLBACKS) {
    const entry = readPointer(array.offset + count * pointerSize);
    if (entry === undefined) return { present: true, callbacks: null };
    if (entry === 0n) break;
    count++;
  }
  return { present: true, callbacks: count };
}

// ---------------------------------------------------------------------------------------------
// Signature
// ---------------------------------------------------------------------------------------------

function collectSignatureFacts(input: CollectLintFactsInput): SignatureFacts {
  const table = input.image?.headers.authenticode.certificateTable;
  const verdict = input.verdict ?? null;
  const status = (verdict?.status ?? (table === undefined ? 'unsigned' : 'malformed')) as SignatureStatus;
  const facts: SignatureFacts = {
    status,
    reasonCode: verdict?.reasonCode ?? (table === undefined ? 'NOT_SIGNED' : 'NOT_VERIFIED'),
    reason: verdict?.reason ?? '',
    signatures: [],
    certificateTable: null,
  };
  if (table !== undefined && table.problem === undefined && input.image !== undefined) {
    const fileSize = input.image.headers.fileSize;
    let entries: number | null = null;
    const bytes = input.bytes;
    if (bytes !== undefined && table.offset + table.size <= bytes.length) {
      try {
        entries = parseWinCertificates(bytes.subarray(table.offset, table.offset + table.size)).length;
      } catch {
        entries = null;
      }
    }
    facts.certificateTable = { offset: table.offset, size: table.size, bytesAfter: Math.max(0, fileSize - (table.offset + table.size)), entries };
  }
  if (input.signature !== undefined) {
    let counter = 0;
    const visit = (s: AuthenticodeSignature, v: VerdictLike | null | undefined, label: string): void => {
      facts.signatures.push(signerFacts(s, v ?? null, label));
      s.nested.forEach((n, i) => visit(n, v?.nested[i], `nested #${++counter}`));
    };
    visit(input.signature, verdict, 'primary');
  }
  return facts;
}

function signerFacts(s: AuthenticodeSignature, verdict: VerdictLike | null, label: string): SignerFacts {
  const pool = s.certificates;
  const signerCert = s.signer.certificateIndex === undefined ? undefined : pool[s.signer.certificateIndex];
  const chain = signerCert === undefined ? [] : buildChain(signerCert, pool);
  const onChain = new Set<CertificateInfo>(chain);

  const timestamps: TimestampFacts[] = s.timestamps.map((t) => {
    if (t.kind === 'authenticode') {
      const cert = t.signer.certificateIndex === undefined ? undefined : pool[t.signer.certificateIndex];
      const tsaChain = cert === undefined ? [] : buildChain(cert, pool);
      tsaChain.forEach((c) => onChain.add(c));
      return {
        kind: 'authenticode',
        digestAlgorithm: t.signer.digestAlgorithm ?? null,
        time: t.time?.toISOString() ?? null,
        signer: cert === undefined ? null : certificateFacts(cert),
        chain: tsaChain.map(certificateFacts),
        unknownUnsignedAttributes: unknownAttributes(t.signer),
        unknownCertificates: [],
      };
    }
    const tokenPool = [...t.certificates, ...pool];
    const cert = t.signer.certificateIndex !== undefined ? t.certificates[t.signer.certificateIndex] : findBySid(t.signer.sid, tokenPool);
    const tsaChain = cert === undefined ? [] : buildChain(cert, tokenPool);
    tsaChain.forEach((c) => onChain.add(c));
    const tokenOnChain = new Set(tsaChain);
    return {
      kind: 'rfc3161',
      digestAlgorithm: t.messageImprint.algorithm ?? null,
      time: t.time.toISOString(),
      signer: cert === undefined ? null : certificateFacts(cert),
      chain: tsaChain.map(certificateFacts),
      unknownUnsignedAttributes: unknownAttributes(t.signer),
      unknownCertificates: t.certificates.filter((c) => !tokenOnChain.has(c) && !tsaChain.some((x) => bytesEqual(x.der, c.der))).map(certificateFacts),
    };
  });

  const unknownCertificates = pool.filter((c) => !onChain.has(c) && ![...onChain].some((x) => bytesEqual(x.der, c.der))).map(certificateFacts);
  return {
    label,
    fileDigest: s.digestAlgorithm,
    signerDigest: s.signer.digestAlgorithm ?? null,
    signatureAlgorithm: SIGNATURE_SCHEME_BY_OID.get(s.signer.signatureAlgorithmOid)?.family ?? 'unknown',
    programName: s.programName ?? null,
    moreInfoUrl: s.moreInfoUrl ?? null,
    signer: signerCert === undefined ? null : certificateFacts(signerCert),
    chain: chain.map(certificateFacts),
    timestamps,
    unknownUnsignedAttributes: unknownAttributes(s.signer),
    unknownCertificates,
    paddingBytes: s.paddingBytes,
    nonZeroPadding: s.nonZeroPadding,
    excessPaddingBytes: s.excessPaddingBytes,
    excessPaddingNonZero: s.excessPaddingNonZero,
    status: verdict?.status ?? null,
    reasonCode: verdict?.reasonCode ?? null,
    validTimestamp: verdict?.timestamp?.valid === true,
  };
}

function unknownAttributes(signer: CMSSignerInfo): string[] {
  return signer.unsignedAttributes.map((a) => a.oid).filter((oid) => !KNOWN_UNSIGNED_ATTRIBUTES.has(oid));
}

function findBySid(sid: SignerIdentifier, pool: readonly CertificateInfo[]): CertificateInfo | undefined {
  if (sid.kind === 'issuerAndSerialNumber') return pool.find((c) => bytesEqual(c.issuerDER, sid.issuerDER) && bytesEqual(c.serialNumberBytes, sid.serialNumberBytes));
  return pool.find((c) => c.subjectKeyIdentifier !== undefined && bytesEqual(c.subjectKeyIdentifier, sid.subjectKeyIdentifier));
}

const MAX_CHAIN_CERTIFICATES = 8;

/** Leaf first, then issuers found in `pool` by name (and key identifier when both carry one), up to a self-signed one. */
function buildChain(leaf: CertificateInfo, pool: readonly CertificateInfo[]): CertificateInfo[] {
  const chain = [leaf];
  let current = leaf;
  while (chain.length < MAX_CHAIN_CERTIFICATES && !bytesEqual(current.subjectDER, current.issuerDER)) {
    const cert = current;
    const issuer = pool.find(
      (c) =>
        !chain.includes(c) &&
        bytesEqual(c.subjectDER, cert.issuerDER) &&
        (cert.authorityKeyIdentifier === undefined || c.subjectKeyIdentifier === undefined || bytesEqual(cert.authorityKeyIdentifier, c.subjectKeyIdentifier)),
    );
    if (issuer === undefined) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

const EC_CURVE_BITS: Readonly<Record<string, number>> = { prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521 };
const MAX_CACHED_KEYS = 256;
const keyCache = new Map<string, Pick<CertificateFacts, 'keyAlgorithm' | 'keyBits' | 'curve'>>();
const latin1 = new TextDecoder('latin1');

function keyFacts(cert: CertificateInfo): Pick<CertificateFacts, 'keyAlgorithm' | 'keyBits' | 'curve'> {
  const id = latin1.decode(cert.subjectPublicKeyInfo);
  const cached = keyCache.get(id);
  if (cached !== undefined) return cached;
  let out: Pick<CertificateFacts, 'keyAlgorithm' | 'keyBits' | 'curve'> = { keyAlgorithm: 'unknown', keyBits: null };
  try {
    const spki = cert.subjectPublicKeyInfo;
    const key = createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' });
    const type = key.asymmetricKeyType;
    const details = key.asymmetricKeyDetails ?? {};
    if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') out = { keyAlgorithm: type, keyBits: details.modulusLength ?? null };
    else if (type === 'ec') {
      const curve = details.namedCurve ?? '';
      out = { keyAlgorithm: 'ec', keyBits: EC_CURVE_BITS[curve] ?? null, curve };
    } else if (type === 'ed25519') out = { keyAlgorithm: 'ed25519', keyBits: 256 };
    else if (type === 'ed448') out = { keyAlgorithm: 'ed448', keyBits: 456 };
  } catch {
    // OpenSSL does not know the key: reported as unknown, which the key-length rules fail.
  }
  if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(id, out);
  return out;
}

/**
 * A release signs most files with the same few certificates: their facts (two thumbprint hashes, dates, key) are
 * computed once per certificate and copied out, keyed by the DER itself.
 */
const MAX_CACHED_CERTIFICATES = 256;
const certificateCache = new Map<string, CertificateFacts>();

function certificateFacts(cert: CertificateInfo): CertificateFacts {
  const id = latin1.decode(cert.der);
  let facts = certificateCache.get(id);
  if (facts === undefined) {
    facts = computeCertificateFacts(cert);
    if (certificateCache.size >= MAX_CACHED_CERTIFICATES) certificateCache.delete(certificateCache.keys().next().value as string);
    certificateCache.set(id, facts);
  }
  return { ...facts, extendedKeyUsage: facts.extendedKeyUsage === null ? null : [...facts.extendedKeyUsage] };
}

function computeCertificateFacts(cert: CertificateInfo): CertificateFacts {
  const t = thumbprints(cert);
  const out: CertificateFacts = {
    subject: cert.subject,
    issuer: cert.issuer,
    thumbprintSha1: t.sha1,
    thumbprintSha256: t.sha256,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    signatureAlgorithmOid: cert.signatureAlgorithm,
    signatureHash: SIGNATURE_SCHEME_BY_OID.get(cert.signatureAlgorithm)?.hash ?? null,
    ...keyFacts(cert),
    selfSigned: bytesEqual(cert.subjectDER, cert.issuerDER),
    extendedKeyUsage: cert.extendedKeyUsage === undefined ? null : [...cert.extendedKeyUsage],
  };
  if (out.curve === undefined) delete out.curve;
  return out;
}
