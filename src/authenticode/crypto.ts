/**
 * Signature checks with node:crypto (OpenSSL underneath): RSA PKCS #1 v1.5 (RFC 8017 section 8.2),
 * RSASSA-PSS (RFC 4055), ECDSA with DER-encoded (r, s) (RFC 5758 section 3.2, as CMS stores it), DSA and
 * Ed25519. Nothing here reads the clock, the file system or the network.
 */
import { createHash, createPublicKey, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import { decodeOID, decodeSmallInteger, derChildren, explicitInner, isContext, readNode } from './der.ts';
import { HASH_NAME_BY_OID, SIGNATURE_SCHEME_BY_OID } from './oids.ts';
import type { CertificateInfo, DigestAlgorithm } from './authenticode.types.ts';

/**
 * Small insertion-ordered caches shared across calls: a release signs many files with the same leaf,
 * intermediates and TSA, so keys and certificate-signature results recur. Keys are the exact bytes (as
 * latin1 strings), so a hit can never be a different key or certificate.
 */
const MAX_CACHED_KEYS = 256;
const MAX_CACHED_CERTIFICATE_CHECKS = 1024;
const publicKeys = new Map<string, KeyObject | null>();
const certificateChecks = new Map<string, boolean>();
const latin1 = new TextDecoder('latin1');

function remember<V>(cache: Map<string, V>, max: number, key: string, value: V): V {
  if (cache.size >= max) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/** The certificate's public key, imported once per distinct SubjectPublicKeyInfo; null when OpenSSL rejects it. */
export function publicKeyOf(cert: CertificateInfo): KeyObject | null {
  const spki = cert.subjectPublicKeyInfo;
  const id = latin1.decode(spki);
  const cached = publicKeys.get(id);
  if (cached !== undefined) return cached;
  let key: KeyObject | null;
  try {
    key = createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' });
  } catch {
    key = null;
  }
  return remember(publicKeys, MAX_CACHED_KEYS, id, key);
}

export function digest(algorithm: DigestAlgorithm, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}

export type SignatureCheck = 'ok' | 'bad' | 'unsupported';

interface PSSParameters {
  hash: string;
  saltLength: number;
}

/** RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] DEFAULT sha1, maskGenAlgorithm [1] DEFAULT mgf1SHA1, saltLength [2] DEFAULT 20, trailerField [3] DEFAULT 1 } */
function parsePSSParameters(parameters: Uint8Array | undefined): PSSParameters | undefined {
  const out: PSSParameters = { hash: 'sha1', saltLength: 20 };
  if (parameters === undefined) return out;
  try {
    for (const field of derChildren(readNode(parameters, 0))) {
      if (isContext(field, 0)) {
        const [oid] = derChildren(explicitInner(field, 'hashAlgorithm'));
        const hash = oid === undefined ? undefined : HASH_NAME_BY_OID.get(decodeOID(oid));
        if (hash === undefined) return undefined;
        out.hash = hash;
      } else if (isContext(field, 2)) {
        out.saltLength = decodeSmallInteger(explicitInner(field, 'saltLength'));
      }
    }
  } catch {
    return undefined;
  }
  return out;
}

/**
 * Verifies `signature` over `data` with the key of `signer`. `algorithmOid`/`parameters` are the
 * signatureAlgorithm; `digestAlgorithm` supplies the hash when the OID names only the key type
 * (rsaEncryption, ecPublicKey: what Authenticode SignerInfos usually carry).
 */
export function verifySignature(
  signer: CertificateInfo,
  data: Uint8Array,
  signature: Uint8Array,
  algorithmOid: string,
  parameters: Uint8Array | undefined,
  digestAlgorithm: string | undefined,
): SignatureCheck {
  const scheme = SIGNATURE_SCHEME_BY_OID.get(algorithmOid);
  if (scheme === undefined) return 'unsupported';
  const key = publicKeyOf(signer);
  if (key === null) return 'unsupported';
  try {
    switch (scheme.family) {
      case 'ed25519':
        return cryptoVerify(null, data, key, signature) ? 'ok' : 'bad';
      case 'rsa-pss': {
        const pss = parsePSSParameters(parameters);
        if (pss === undefined) return 'unsupported';
        return cryptoVerify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature) ? 'ok' : 'bad';
      }
      case 'rsa':
      case 'ecdsa':
      case 'dsa': {
        const hash = scheme.hash ?? digestAlgorithm;
        if (hash === undefined) return 'unsupported';
        const keyType = key.asymmetricKeyType;
        const expected = scheme.family === 'rsa' ? 'rsa' : scheme.family === 'ecdsa' ? 'ec' : 'dsa';
        if (keyType !== expected) return 'bad';
        return cryptoVerify(hash, data, scheme.family === 'rsa' ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, dsaEncoding: 'der' }, signature) ? 'ok' : 'bad';
      }
    }
  } catch {
    // OpenSSL refuses malformed signatures/keys with an exception: that is a failed verification.
    return 'bad';
  }
}

/** True when `issuer`'s key verifies `cert`'s signature (RFC 5280 section 6.1.3 (a)(1)); memoised. */
export function certificateSignedBy(cert: CertificateInfo, issuer: CertificateInfo): boolean {
  const id = `${latin1.decode(cert.der)}\u0000${latin1.decode(issuer.subjectPublicKeyInfo)}`;
  const cached = certificateChecks.get(id);
  if (cached !== undefined) return cached;
  const ok = verifySignature(issuer, cert.tbs, cert.signature, cert.signatureAlgorithm, cert.signatureAlgorithmParameters, undefined) === 'ok';
  return remember(certificateChecks, MAX_CACHED_CERTIFICATE_CHECKS, id, ok);
}
