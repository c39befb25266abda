/**
 * Signature checks with node:crypto (OpenSSL underneath): RSA PKCS #1 v1.5 (RFC 8017 section 8.2),
 * RSASSA-PSS (RFC 4055), ECDSA with DER-encoded (r, s) (RFC 5758 section 3.2, as CMS stores it), DSA and
 * Ed25519. Nothing here reads the clock, the file system or the network.
 */
import { createHash, createPublicKey, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import { decodeOID, decodeSmallInteger, derChildren, explicitInner, isContext, readNode } from './der.ts';
import { HASH_NAME_BY_OID, SIGNATURE_SCHEME_BY_OID } from './oids.ts';
import type { CertificateInfo, DigestAlgorithm } from './authenticode.types.ts';

const publicKeys = new WeakMap<CertificateInfo, KeyObject | null>();

/** The certificate's public key, imported once per CertificateInfo; null when OpenSSL rejects it. */
export function publicKeyOf(cert: CertificateInfo): KeyObject | null {
  let key = publicKeys.get(cert);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.from(cert.subjectPublicKeyInfo.buffer, cert.subjectPublicKeyInfo.byteOffset, cert.subjectPublicKeyInfo.byteLength), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
    publicKeys.set(cert, key);
  }
  return key;
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

const issuedBy = new WeakMap<CertificateInfo, WeakMap<CertificateInfo, boolean>>();

/** True when `issuer`'s key verifies `cert`'s signature (RFC 5280 section 6.1.3 (a)(1)); memoised. */
export function certificateSignedBy(cert: CertificateInfo, issuer: CertificateInfo): boolean {
  let byIssuer = issuedBy.get(cert);
  if (byIssuer === undefined) {
    byIssuer = new WeakMap();
    issuedBy.set(cert, byIssuer);
  }
  let ok = byIssuer.get(issuer);
  if (ok === undefined) {
    ok = verifySignature(issuer, cert.tbs, cert.signature, cert.signatureAlgorithm, cert.signatureAlgorithmParameters, undefined) === 'ok';
    byIssuer.set(issuer, ok);
  }
  return ok;
}
