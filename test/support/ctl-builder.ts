/**
 * Builds synthetic Microsoft-style certificate trust lists (authroot.stl shape: PKCS #7 SignedData around a
 * CertificateTrustList, entries named by SHA-1 thumbprint with CERT_*_PROP_ID attributes) signed by a test
 * key with node:crypto. Tests use them to check EKU-restricted, NotBefore and disallowed roots.
 */
import { createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concat, oid, seq, set, tlv } from '../authenticode/helpers.ts';
import { pki } from './fixtures.ts';

export interface SyntheticEntry {
  certificate: Uint8Array;
  name: string;
  trustedUsages?: string[];
  disallowedUsages?: string[];
  notBefore?: Date;
  notBeforeUsages?: string[];
  disallowedFrom?: Date;
}

const PROP = (id: number): string => `1.3.6.1.4.1.311.10.11.${id}`;
const octet = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
const property = (id: number, value: Uint8Array): Uint8Array => seq(oid(PROP(id)), set(octet(value)));

function filetime(date: Date): Uint8Array {
  const ticks = (BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, ticks, true);
  return out;
}

function utf16z(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(`${text}\u0000`, 'utf16le'));
}

function utcTime(date: Date): Uint8Array {
  const s = date.toISOString();
  const text = `${s.slice(2, 4)}${s.slice(5, 7)}${s.slice(8, 10)}${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
  return tlv(0x17, new Uint8Array(Buffer.from(text, 'latin1')));
}

const oidList = (oids: readonly string[]): Uint8Array => seq(...oids.map(oid));

export function sha1(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(bytes).digest());
}

function entry(e: SyntheticEntry): Uint8Array {
  const props: Uint8Array[] = [property(11, utf16z(e.name))];
  if (e.trustedUsages !== undefined) props.push(property(9, oidList(e.trustedUsages)));
  if (e.disallowedUsages !== undefined) props.push(property(122, oidList(e.disallowedUsages)));
  if (e.notBefore !== undefined) props.push(property(126, filetime(e.notBefore)));
  if (e.notBeforeUsages !== undefined) props.push(property(127, oidList(e.notBeforeUsages)));
  if (e.disallowedFrom !== undefined) props.push(property(104, filetime(e.disallowedFrom)));
  return seq(octet(sha1(e.certificate)), set(...props));
}

export interface BuildCTLOptions {
  entries: readonly SyntheticEntry[];
  /** Signer certificate (DER) and its PEM private key file. Default: the test root CA. */
  signerCertificate?: Uint8Array;
  signerKeyPath?: string;
  thisUpdate?: Date;
}

export function testCA(): Uint8Array {
  return new Uint8Array(new X509Certificate(readFileSync(join(pki, 'ca.crt'))).raw);
}

/** A DER authroot.stl-shaped list signed (RSA PKCS #1 v1.5, SHA-256) by the signer. */
export function buildCTL(options: BuildCTLOptions): Uint8Array {
  const signerDER = options.signerCertificate ?? testCA();
  const keyPath = options.signerKeyPath ?? join(pki, 'ca.key');
  const ctl = seq(
    seq(oid('1.3.6.1.4.1.311.10.3.9')),
    tlv(0x02, [0x01, 0x02, 0x03]),
    utcTime(options.thisUpdate ?? new Date('2026-04-22T00:33:28Z')),
    seq(oid('1.3.14.3.2.26'), tlv(0x05, [])),
    seq(...options.entries.map(entry)),
  );
  const content = ctl.subarray(ctl[1] === 0x82 ? 4 : ctl[1] === 0x83 ? 5 : ctl[1] === 0x81 ? 3 : 2);
  const signedAttrs = [
    seq(oid('1.2.840.113549.1.9.3'), set(oid('1.3.6.1.4.1.311.10.1'))),
    seq(oid('1.2.840.113549.1.9.4'), set(octet(new Uint8Array(createHash('sha256').update(content).digest())))),
  ];
  const attrsSet = set(...signedAttrs);
  const signature = new Uint8Array(sign('sha256', attrsSet, createPrivateKey(readFileSync(keyPath))));
  const tbs = tbsParts(signerDER);
  const signerInfo = seq(
    tlv(0x02, [0x01]),
    seq(tbs.issuer, tbs.serial),
    seq(oid('2.16.840.1.101.3.4.2.1'), tlv(0x05, [])),
    concat(Uint8Array.from([0xa0]), attrsSet.subarray(1)),
    seq(oid('1.2.840.113549.1.1.1'), tlv(0x05, [])),
    octet(signature),
  );
  const signedData = seq(
    tlv(0x02, [0x01]),
    set(seq(oid('2.16.840.1.101.3.4.2.1'), tlv(0x05, []))),
    seq(oid('1.3.6.1.4.1.311.10.1'), tlv(0xa0, ctl)),
    tlv(0xa0, signerDER),
    set(signerInfo),
  );
  return seq(oid('1.2.840.113549.1.7.2'), tlv(0xa0, signedData));
}

/** issuer Name and serialNumber INTEGER of a certificate, as encoded in its TBSCertificate. */
function tbsParts(der: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  // Certificate ::= SEQUENCE { tbs SEQUENCE { [0] version, serial INTEGER, sigAlg, issuer Name, ... } }
  const read = (bytes: Uint8Array, at: number): { start: number; contentStart: number; end: number } => {
    const lengthByte = bytes[at + 1] as number;
    let length = lengthByte;
    let p = at + 2;
    if (lengthByte >= 0x80) {
      length = 0;
      for (let i = 0; i < (lengthByte & 0x7f); i++) length = length * 256 + (bytes[p++] as number);
    }
    return { start: at, contentStart: p, end: p + length };
  };
  const cert = read(der, 0);
  const tbs = read(der, cert.contentStart);
  let p = tbs.contentStart;
  if (der[p] === 0xa0) p = read(der, p).end;
  const serial = read(der, p);
  const alg = read(der, serial.end);
  const issuer = read(der, alg.end);
  return { issuer: der.subarray(issuer.start, issuer.end), serial: der.subarray(serial.start, serial.end) };
}
