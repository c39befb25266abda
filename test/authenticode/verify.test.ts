// Verdicts on the committed fixtures must agree with oracle.json (osslsigncode + openssl).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  parseAuthenticodeSignature,
  requiredDigestAlgorithms,
  verifyAuthenticode,
  type SignatureVerdict,
  type TimestampVerdict,
} from '../../src/authenticode/index.ts';
import {
  allDigests,
  certificateDER,
  FIXTURES,
  loadOracle,
  loadSignedFixture,
  PKI,
  signedFixtureNames,
  type OracleCertificate,
  type OracleExpected,
} from './helpers.ts';

const oracle = loadOracle();
const ca = certificateDER(join(FIXTURES, '..', '..', oracle.trust.ca));
const selfSigned = certificateDER(join(PKI, 'selfsigned.crt'));

function assertSigner(actual: SignatureVerdict['signer'], expected: OracleCertificate | null, where: string): void {
  if (expected === null) {
    assert.equal(actual, null, where);
    return;
  }
  assert.ok(actual !== null, `${where}: signer missing`);
  assert.equal(actual.subject, expected.subject, `${where}: subject`);
  assert.equal(actual.issuer, expected.issuer, `${where}: issuer`);
  assert.equal(actual.serialNumber, expected.serialNumber, `${where}: serial`);
  assert.equal(actual.thumbprintSha256, expected.thumbprintSha256, `${where}: sha256 thumbprint`);
  if (expected.thumbprintSha1 !== undefined) assert.equal(actual.thumbprintSha1, expected.thumbprintSha1, `${where}: sha1 thumbprint`);
  if (expected.notBefore !== undefined) assert.equal(actual.notBefore, expected.notBefore, `${where}: notBefore`);
  if (expected.notAfter !== undefined) assert.equal(actual.notAfter, expected.notAfter, `${where}: notAfter`);
  // The oracle names the certificate file: its thumbprint must be the signer's.
  const fileDer = certificateDER(join(FIXTURES, '..', '..', expected.certFile));
  assert.equal(createHash('sha256').update(fileDer).digest('hex').toUpperCase(), actual.thumbprintSha256, `${where}: ${expected.certFile}`);
}

function assertTimestamp(actual: TimestampVerdict | null, expected: OracleExpected['timestamp'], where: string): void {
  if (expected === null) {
    assert.equal(actual, null, `${where}: unexpected timestamp`);
    return;
  }
  assert.ok(actual !== null, `${where}: timestamp missing`);
  assert.equal(actual.kind, expected.kind, `${where}: timestamp kind`);
  assert.equal(actual.time, expected.time, `${where}: timestamp time`);
  assert.ok(actual.signer !== null, `${where}: TSA certificate missing`);
  assert.equal(actual.signer.subject, expected.tsa.subject, `${where}: TSA subject`);
  assert.equal(actual.signer.issuer, expected.tsa.issuer, `${where}: TSA issuer`);
  assert.equal(actual.signer.serialNumber, expected.tsa.serialNumber, `${where}: TSA serial`);
  assert.equal(actual.signer.thumbprintSha256, expected.tsa.thumbprintSha256, `${where}: TSA thumbprint`);
}

async function verdictFor(name: string, anchors: Uint8Array[], at?: Date): Promise<SignatureVerdict> {
  const fixture = loadSignedFixture(name);
  const signature = parseAuthenticodeSignature(fixture.signatureBytes);
  const digests = allDigests(fixture);
  const computed = new Map(requiredDigestAlgorithms(signature).map((a) => [a, digests.get(a) as Uint8Array]));
  return verifyAuthenticode({ signature, computedDigests: computed, trustAnchors: anchors, at: at ?? new Date(oracle.files[name]?.verifiedAt ?? '') });
}

describe('verifyAuthenticode against oracle.json', () => {
  const names = signedFixtureNames();
  it('has signed fixtures to check', () => assert.ok(names.length >= 10, `only ${names.length} signed fixtures in oracle.json`));

  for (const name of names) {
    const file = oracle.files[name];
    if (file === undefined) continue;
    it(`${name}: ${file.description}`, async () => {
      const expected = file.expected;
      const verdict = await verdictFor(name, [ca]);
      assert.equal(verdict.status, expected.status, `${name}: status (${verdict.reasonCode}: ${verdict.reason})`);
      assert.equal(verdict.digestAlgorithm, expected.digestAlgorithm, `${name}: digest algorithm`);
      assertSigner(verdict.signer, expected.signer, name);
      assertTimestamp(verdict.timestamp, expected.timestamp, name);
      if (verdict.timestamp !== null && expected.status === 'valid') assert.equal(verdict.timestamp.valid, true, `${name}: ${verdict.timestamp.reason}`);
      assert.equal(verdict.nested.length, expected.nested.length, `${name}: nested count`);
      expected.nested.forEach((n, i) => {
        const actual = verdict.nested[i] as SignatureVerdict;
        assert.equal(actual.digestAlgorithm, n.digestAlgorithm, `${name}: nested #${i} digest algorithm`);
        assertSigner(actual.signer, n.signer, `${name} nested #${i}`);
        assertTimestamp(actual.timestamp, n.timestamp, `${name} nested #${i}`);
        // osslsigncode verifies every signature: an "ok" file has only valid nested signatures.
        if (file.osslsigncode?.verdict === 'ok') assert.equal(actual.status, 'valid', `${name}: nested #${i} ${actual.reason}`);
      });
      if (expected.status === 'valid') {
        assert.equal(verdict.reasonCode, 'OK');
        assert.deepEqual(verdict.chain, [expected.signer?.subject, expected.signer?.issuer]);
      }
    });
  }

  it('gives each non-valid fixture the expected reason code', async () => {
    const codes: Record<string, string> = {
      'signed-tampered.exe': 'DIGEST_MISMATCH',
      'signed-noeku.exe': 'NO_CODE_SIGNING_EKU',
      'signed-expired-notimestamp.exe': 'CERT_EXPIRED',
      'signed-otherca.exe': 'CHAIN_UNTRUSTED',
      'signed-selfsigned.exe': 'CHAIN_UNTRUSTED',
    };
    for (const [name, code] of Object.entries(codes)) {
      if (oracle.files[name] === undefined) continue;
      assert.equal((await verdictFor(name, [ca])).reasonCode, code, name);
    }
  });

  it('trusts the self-signed fixture when its own certificate is an anchor (TSA still chains to the CA)', async () => {
    const file = oracle.files['signed-selfsigned.exe'];
    assert.ok(file !== undefined);
    const verdict = await verdictFor('signed-selfsigned.exe', [ca, selfSigned]);
    assert.equal(verdict.status, file.expected.statusWhenTrusted ?? 'valid', verdict.reason);
    assert.deepEqual(verdict.chain, [file.expected.signer?.subject]);
  });
});

describe('verifyAuthenticode judges time only through its inputs', () => {
  it('an expired, untimestamped signature is valid when `at` is inside the certificate validity', async () => {
    const verdict = await verdictFor('signed-expired-notimestamp.exe', [ca], new Date('2020-06-01T00:00:00Z'));
    assert.equal(verdict.status, 'valid', verdict.reason);
  });

  it('a timestamped signature stays valid long after its certificate expired', async () => {
    const verdict = await verdictFor('signed-expired-timestamped.exe', [ca], new Date('2048-01-01T00:00:00Z'));
    assert.equal(verdict.status, 'valid', verdict.reason);
    assert.equal(verdict.timestamp?.time, '2020-06-15T12:00:00Z');
  });

  it('a signature judged before its certificate existed is CERT_EXPIRED (not yet valid)', async () => {
    const verdict = await verdictFor('signed-notimestamp.exe', [ca], new Date('2018-01-01T00:00:00Z'));
    assert.equal(verdict.status, 'invalid');
    assert.equal(verdict.reasonCode, 'CERT_EXPIRED');
    assert.match(verdict.reason, /not valid before/);
  });

  it('the TSA chain is judged at the timestamp time, so a trusted TSA keeps validating after `at` moves on', async () => {
    const verdict = await verdictFor('signed-legacyts.exe', [ca], new Date('2049-06-01T00:00:00Z'));
    assert.equal(verdict.timestamp?.valid, true, verdict.timestamp?.reason);
  });
});

describe('verifyAuthenticode failure paths', () => {
  it('reports TIMESTAMP_INVALID when the TSA does not chain to an anchor but the signer does', async () => {
    const verdict = await verdictFor('signed-selfsigned.exe', [selfSigned]);
    assert.equal(verdict.status, 'invalid');
    assert.equal(verdict.reasonCode, 'TIMESTAMP_INVALID');
    assert.equal(verdict.timestamp?.valid, false);
    assert.match(verdict.timestamp?.reason ?? '', /untrusted/);
  });

  it('reports untrusted with no anchors at all', async () => {
    const verdict = await verdictFor('signed-sha256.exe', []);
    assert.equal(verdict.status, 'untrusted');
    assert.equal(verdict.reasonCode, 'CHAIN_UNTRUSTED');
  });

  it('reports DIGEST_NOT_COMPUTED (malformed) when the caller omitted the digest', async () => {
    const fixture = loadSignedFixture('signed-sha256.exe');
    const verdict = await verifyAuthenticode({ signature: parseAuthenticodeSignature(fixture.signatureBytes), computedDigests: new Map(), trustAnchors: [ca], at: new Date('2026-11-28T00:00:00Z') });
    assert.equal(verdict.status, 'malformed');
    assert.equal(verdict.reasonCode, 'DIGEST_NOT_COMPUTED');
  });

  it('rejects a trust anchor that is not a certificate with a ParseError', async () => {
    const fixture = loadSignedFixture('signed-sha256.exe');
    await assert.rejects(
      verifyAuthenticode({ signature: parseAuthenticodeSignature(fixture.signatureBytes), computedDigests: allDigests(fixture), trustAnchors: [new Uint8Array([0x30, 0x00])], at: new Date(0) }),
      (e: unknown) => e instanceof Error && e.name === 'ParseError' && (e as { code?: string }).code === 'AUTHENTICODE_BAD_TRUST_ANCHOR',
    );
  });

  it('verifies a structured clone of the parsed signature (plain data, e.g. across a worker)', async () => {
    const fixture = loadSignedFixture('signed-dual.exe');
    const signature = structuredClone(parseAuthenticodeSignature(fixture.signatureBytes));
    const verdict = await verifyAuthenticode({ signature, computedDigests: allDigests(fixture), trustAnchors: [ca], at: new Date('2026-11-28T00:00:00Z') });
    assert.equal(verdict.status, 'valid', verdict.reason);
    assert.equal(verdict.nested[0]?.status, 'valid');
  });
});
