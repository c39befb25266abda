// Certificate trust lists: Microsoft's real authroot.stl (from ../shared/research/trust, not shipped) and
// synthetic lists signed by the test CA, and how their per-root limits decide Authenticode verdicts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isParseError } from '../../src/binary/index.ts';
import { parseAuthenticodeSignature, parseCertificateTrustList, verifyAuthenticode, verifyCertificateTrustList, type SignatureVerdict, type VerificationPolicy } from '../../src/authenticode/index.ts';
import { OID } from '../../src/authenticode/oids.ts';
import { buildCTL, testCA, type SyntheticEntry } from '../support/ctl-builder.ts';
import { pemToDer, pki } from '../support/fixtures.ts';
import { sharedTrustDir, skipWithoutSharedTrust } from '../support/shared-trust.ts';
import { allDigests, FIXTURES, loadSignedFixture } from './helpers.ts';

/** A little-endian FILETIME as `openssl asn1parse` prints the property's OCTET STRING → Date (independent of src/). */
function filetimeHex(hex: string): Date {
  const le = Buffer.from(hex, 'hex').reverse().toString('hex');
  return new Date(Number(BigInt(`0x${le}`) / 10_000n) - 11_644_473_600_000);
}

const skip = skipWithoutSharedTrust;
const sharedBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(sharedTrustDir, name)));

describe("Microsoft's authroot.stl", { skip }, () => {
  it('parses all 515 entries with the list header as the file holds it', () => {
    const ctl = parseCertificateTrustList(sharedBytes('authroot.stl'));
    assert.equal(ctl.entries.length, 515);
    assert.equal(new Set(ctl.entries.map((e) => e.thumbprintSha1)).size, 515);
    assert.deepEqual(ctl.subjectUsage, ['1.3.6.1.4.1.311.10.3.9']);
    assert.equal(ctl.sequenceNumber, '1401DCD1EFA35B4A5B');
    assert.equal(ctl.thisUpdate.toISOString(), '2026-04-22T00:33:28.000Z');
    assert.equal(ctl.subjectAlgorithm, 'sha1');
  });

  it('reads EKUs, NotBefore and Disallowed dates per entry (values from openssl asn1parse)', () => {
    const ctl = parseCertificateTrustList(sharedBytes('authroot.stl'));
    const byThumb = new Map(ctl.entries.map((e) => [e.thumbprintSha1, e]));
    const legacy = byThumb.get('CDD4EEAE6000AC7F40C3802C171E30148030C072');
    assert.equal(legacy?.name, 'Microsoft Root Certificate Authority');
    assert.equal(legacy?.keyIdentifier, '0EAC826040562797E52513FC2AE10A539559E4A4');
    assert.equal(legacy?.trustedUsages, undefined);
    assert.deepEqual(legacy?.disallowedFrom, filetimeHex('0080C82B6886D701'));
    assert.deepEqual(legacy?.notBefore, filetimeHex('0000D9B544C1D201'));
    const verisign = byThumb.get('18F7C1FCC3090203FD5BAA2F861A754976C8DD25');
    assert.equal(verisign?.name, 'VeriSign Time Stamping CA');
    assert.deepEqual(verisign?.trustedUsages, [OID.ekuTimeStamping]);
    assert.deepEqual(verisign?.disallowedFrom, filetimeHex('000036044DDFD301'));
    assert.deepEqual(verisign?.notBefore, filetimeHex('000010C51E92D201'));
    const ats = byThumb.get('F40042E2E5F7E8EF8189FED15519AECE42C3BFA2');
    assert.equal(ats?.name, 'Microsoft Identity Verification Root Certificate Authority 2020');
    assert.deepEqual(ats?.trustedUsages, [OID.ekuCodeSigning, OID.ekuTimeStamping]);
    assert.equal(ats?.disallowedFrom, undefined);
  });

  it('names every root by the SHA-1 of the certificate Microsoft serves for it', () => {
    const ctl = parseCertificateTrustList(sharedBytes('authroot.stl'));
    const files = new Set(readdirSync(join(sharedTrustDir, 'certs')));
    for (const e of ctl.entries) {
      assert.ok(files.has(`${e.thumbprintSha1}.crt`), e.thumbprintSha1);
      const der = sharedBytes(join('certs', `${e.thumbprintSha1}.crt`));
      assert.equal(createHash('sha1').update(der).digest('hex').toUpperCase(), e.thumbprintSha1);
    }
  });

  it('is signed under Microsoft Root Certificate Authority 2010, and only verifies with that root', () => {
    const ctl = parseCertificateTrustList(sharedBytes('authroot.stl'));
    const root2010 = sharedBytes('certs/3B1EFD3A66EA28B16697394703A72CA340A05BD5.crt');
    const ok = verifyCertificateTrustList(ctl, [root2010]);
    assert.equal(ok.ok, true, ok.reason);
    assert.match(ok.chain.join(' | '), /Microsoft Certificate Trust List Publisher.*Microsoft Certificate List CA 2024.*Microsoft Root Certificate Authority 2010/);
    const other = verifyCertificateTrustList(ctl, [sharedBytes('certs/8F43288AD272F3103B6FB1428485EA3014C0BCFE.crt')]);
    assert.equal(other.ok, false);
    assert.match(other.reason, /not signed under a pinned root/);
  });

  it('refuses a list whose content was changed after signing', () => {
    const bytes = Uint8Array.from(sharedBytes('authroot.stl'));
    bytes[132 + 2 + 5] = (bytes[132 + 2 + 5] as number) ^ 0x01; // a byte of the first entry's thumbprint
    const ctl = parseCertificateTrustList(bytes);
    const result = verifyCertificateTrustList(ctl, [sharedBytes('certs/3B1EFD3A66EA28B16697394703A72CA340A05BD5.crt')]);
    assert.equal(result.ok, false);
    assert.match(result.reason, /messageDigest attribute does not match/);
  });
});

describe('certificate trust list parsing is strict and bounded', () => {
  const good = buildCTL({ entries: [{ certificate: testCA(), name: 'Absolve Test Root' }] });

  it('rejects truncations and trailing bytes with a ParseError', () => {
    for (const end of [0, 1, 10, good.length - 1]) {
      assert.throws(() => parseCertificateTrustList(good.subarray(0, end)), (e: unknown) => isParseError(e), `cut at ${end}`);
    }
    const trailing = new Uint8Array(good.length + 3);
    trailing.set(good);
    assert.throws(() => parseCertificateTrustList(trailing), /trailing byte/);
  });

  it('answers 2,000 seeded mutations with a list or a ParseError, never another exception', () => {
    let seed = 12;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let parsed = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from(good);
      for (let k = 0; k <= next(4); k++) bytes[next(bytes.length)] = next(256);
      try {
        const ctl = parseCertificateTrustList(bytes);
        verifyCertificateTrustList(ctl, [CA]);
        parsed++;
      } catch (error) {
        assert.ok(isParseError(error), `case ${i}: ${String(error)}`);
      }
    }
    assert.ok(parsed > 0 && parsed < 2000, `some mutations still parse (${parsed})`);
  });

  it('rejects an Authenticode signature given as a list', () => {
    const fixture = loadSignedFixture('signed-sha256.exe');
    assert.throws(() => parseCertificateTrustList(fixture.signatureBytes), (e: unknown) => isParseError(e));
  });
});

// ---------------------------------------------------------------------------------------------
// Synthetic lists: the test CA as the only root, with the limits Microsoft's list can put on a root.
// ---------------------------------------------------------------------------------------------

const CA = testCA();
const AT = new Date('2026-06-01T00:00:00Z');

function policyFor(entry: Partial<SyntheticEntry>): VerificationPolicy {
  const bytes = buildCTL({ entries: [{ certificate: CA, name: 'Absolve Test Root', ...entry }] });
  const ctl = parseCertificateTrustList(bytes);
  const verification = verifyCertificateTrustList(ctl, [CA]);
  assert.equal(verification.ok, true, verification.reason);
  return { anchorConstraints: ctl.entries };
}

function verdictFor(name: string, policy: VerificationPolicy, at = AT): Promise<SignatureVerdict> {
  const fixture = loadSignedFixture(name);
  return verifyAuthenticode({ signature: parseAuthenticodeSignature(fixture.signatureBytes), computedDigests: allDigests(fixture), trustAnchors: [CA], at, policy });
}

describe('synthetic trust lists signed by the test CA', () => {
  it('verify only under the pinned root that signed them', () => {
    const ctl = parseCertificateTrustList(buildCTL({ entries: [{ certificate: CA, name: 'Absolve Test Root' }] }));
    assert.equal(verifyCertificateTrustList(ctl, [CA]).ok, true);
    const otherRoot = pemToDer(join(pki, 'ca-b.crt'));
    assert.equal(verifyCertificateTrustList(ctl, otherRoot).ok, false);
  });

  it('a root without limits keeps a timestamped signature valid', async () => {
    const v = await verdictFor('signed-sha256.exe', policyFor({}));
    assert.equal(v.status, 'valid', v.reason);
  });

  it('a root trusted only for time stamping is refused for code signing (ROOT_USAGE_NOT_TRUSTED)', async () => {
    const v = await verdictFor('signed-notimestamp.exe', policyFor({ trustedUsages: [OID.ekuTimeStamping] }));
    assert.deepEqual([v.status, v.reasonCode], ['untrusted', 'ROOT_USAGE_NOT_TRUSTED']);
    assert.match(v.reason, /"Absolve Test Root" \(7C39609EFB95B78626228D91D5DE57FB24A612A3\) is not trusted for code signing/);
  });

  it('a root trusted only for code signing makes its timestamps invalid', async () => {
    const v = await verdictFor('signed-sha256.exe', policyFor({ trustedUsages: [OID.ekuCodeSigning] }));
    assert.deepEqual([v.status, v.reasonCode], ['invalid', 'TIMESTAMP_INVALID']);
    assert.match(v.timestamp?.reason ?? '', /not trusted for time stamping/);
  });

  it('a code-signing EKU removed from the root (disallowed EKU) is refused', async () => {
    const v = await verdictFor('signed-sha256.exe', policyFor({ disallowedUsages: [OID.ekuCodeSigning] }));
    assert.deepEqual([v.status, v.reasonCode], ['untrusted', 'ROOT_USAGE_NOT_TRUSTED']);
  });

  it('a certificate issued after the root’s NotBefore date is refused (ROOT_NOT_BEFORE); one issued before is not', async () => {
    // codesign-rsa was issued 2019-01-01.
    const after = await verdictFor('signed-sha256.exe', policyFor({ notBefore: new Date('2018-06-01T00:00:00Z'), notBeforeUsages: [OID.ekuCodeSigning] }));
    assert.deepEqual([after.status, after.reasonCode], ['untrusted', 'ROOT_NOT_BEFORE']);
    assert.match(after.reason, /no longer trusts certificates issued from 2018-06-01T00:00:00Z for code signing; "CN=Contoso Code Signing,O=Contoso Ltd,C=US" was issued 2019-01-01/);
    const before = await verdictFor('signed-sha256.exe', policyFor({ notBefore: new Date('2019-06-01T00:00:00Z'), notBeforeUsages: [OID.ekuCodeSigning] }));
    assert.equal(before.status, 'valid', before.reason);
    const otherUsage = await verdictFor('signed-notimestamp.exe', policyFor({ notBefore: new Date('2018-06-01T00:00:00Z'), notBeforeUsages: ['1.3.6.1.5.5.7.3.4'] }));
    assert.equal(otherUsage.status, 'valid', 'a NotBefore limited to e-mail protection does not touch code signing');
  });

  it('a disabled root refuses untimestamped signatures from its date on (ROOT_DISALLOWED), not ones timestamped before', async () => {
    const untimestamped = await verdictFor('signed-notimestamp.exe', policyFor({ disallowedFrom: new Date('2025-01-01T00:00:00Z') }));
    assert.deepEqual([untimestamped.status, untimestamped.reasonCode], ['untrusted', 'ROOT_DISALLOWED']);
    assert.match(untimestamped.reason, /disabled by the root program since 2025-01-01T00:00:00Z/);
    const timestamped = await verdictFor('signed-sha256.exe', policyFor({ disallowedFrom: new Date('2027-01-01T00:00:00Z') }), new Date('2027-06-01T00:00:00Z'));
    assert.equal(timestamped.status, 'valid', `timestamped before the disable date: ${timestamped.reason}`);
    const late = await verdictFor('signed-sha256.exe', policyFor({ disallowedFrom: new Date('2026-01-01T00:00:00Z') }));
    assert.equal(late.status === 'valid', false, 'timestamped after the disable date');
  });

  it('a refused root does not end path building: a cross-certificate to another anchor is taken', async () => {
    const fixture = loadSignedFixture('signed-cross-x64.exe', join(FIXTURES, 'coverage'));
    const [caB] = pemToDer(join(pki, 'ca-b.crt'));
    assert.ok(caB !== undefined);
    const signature = parseAuthenticodeSignature(fixture.signatureBytes);
    const policy = policyFor({ trustedUsages: [OID.ekuTimeStamping] });
    const at = new Date('2027-06-01T00:00:00Z'); // the cross-certificate is valid from when the fixture was built
    const both = await verifyAuthenticode({ signature, computedDigests: allDigests(fixture), trustAnchors: [CA, caB], at, policy });
    assert.equal(both.status, 'valid', both.reason);
    assert.match(both.chain.at(-1) ?? '', /CN=Absolve Test Root CA B/);
    const refusedOnly = await verifyAuthenticode({ signature, computedDigests: allDigests(fixture), trustAnchors: [CA], at, policy });
    assert.deepEqual([refusedOnly.status, refusedOnly.reasonCode], ['untrusted', 'ROOT_USAGE_NOT_TRUSTED']);
  });

  it('a chain ending at a root the root program names but the store lacks is ROOT_NOT_IN_STORE, naming it and the fix', async () => {
    const fixture = loadSignedFixture('signed-notimestamp.exe');
    const thumb = createHash('sha1').update(CA).digest('hex').toUpperCase();
    const v = await verifyAuthenticode({
      signature: parseAuthenticodeSignature(fixture.signatureBytes),
      computedDigests: allDigests(fixture),
      trustAnchors: [],
      at: AT,
      policy: { knownRoots: [{ thumbprintSha1: thumb, name: 'Absolve Test Root', keyIdentifier: undefined }], missingRootAdvice: "run 'absolve trust update'" },
    });
    assert.deepEqual([v.status, v.reasonCode], ['untrusted', 'ROOT_NOT_IN_STORE']);
    assert.match(v.reason, new RegExp(`the root "Absolve Test Root" \\(${thumb}\\).*not in the trust store: run 'absolve trust update'`));
    const unknown = await verifyAuthenticode({ signature: parseAuthenticodeSignature(fixture.signatureBytes), computedDigests: allDigests(fixture), trustAnchors: [], at: AT, policy: { knownRoots: [] } });
    assert.equal(unknown.reasonCode, 'CHAIN_UNTRUSTED');
  });
});
