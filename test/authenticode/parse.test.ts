// parseAuthenticodeSignature on the committed fixtures, an independent cross-check with pkijs, and
// byte-level malformed inputs built from the fixtures.
import assert from 'node:assert/strict';
// First: step counting applies to functions compiled after it starts (see step-counter.ts).
import { countSteps } from '../support/step-counter.ts';
import { describe, it } from 'node:test';
import * as pkijs from 'pkijs';
import { LimitExceededError, ParseError } from '../../src/binary/index.ts';
import {
  MAX_CERTIFICATES,
  MAX_NESTING_DEPTH,
  parseAuthenticodeSignature,
  verifyAuthenticode,
  type AuthenticodeSignature,
} from '../../src/authenticode/index.ts';
import { derBytes, derChildren, readNode } from '../../src/authenticode/der.ts';
import {
  allDigests,
  attribute,
  certificateDER,
  concat,
  loadOracle,
  loadSignedFixture,
  nodeAt,
  oid,
  PATH,
  PKI,
  replaceAt,
  seq,
  set,
  signedFixtureNames,
  tlv,
  withUnsignedAttributes,
} from './helpers.ts';
import { join } from 'node:path';

const oracle = loadOracle();
const ca = certificateDER(join(PKI, 'ca.crt'));
const AT = new Date('2026-11-28T00:08:52Z');

function parseError(code: string): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

function derOnly(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(0, readNode(bytes, 0).end);
}

describe('parseAuthenticodeSignature on the fixtures', () => {
  for (const name of signedFixtureNames()) {
    const file = oracle.files[name];
    if (file === undefined) continue;
    it(`${name}: structure and fields`, () => {
      const fixture = loadSignedFixture(name);
      const sig = parseAuthenticodeSignature(fixture.signatureBytes);
      assert.equal(sig.der.length + sig.paddingBytes, fixture.signatureBytes.length);
      assert.ok(sig.paddingBytes < 8, `padding ${sig.paddingBytes}`);
      assert.equal(sig.nonZeroPadding, false);
      assert.equal(sig.dataType, '1.3.6.1.4.1.311.2.1.15');
      assert.equal(sig.digestAlgorithm, file.expected.digestAlgorithm);
      assert.ok(sig.signer.certificateIndex !== undefined);
      assert.equal(sig.certificates[sig.signer.certificateIndex]?.serialNumber, file.expected.signer?.serialNumber);
      for (const o of ['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4']) assert.ok(sig.signedAttributeOids.includes(o), o);
      assert.equal(sig.signer.contentType, '1.3.6.1.4.1.311.2.1.4');
      // osslsigncode prints SpcSpOpusInfo as "Text description" / "URL description".
      const output = file.osslsigncode?.output ?? '';
      const text = /Text description: (.*)\n/.exec(output)?.[1];
      const url = /URL description: (.*)\n/.exec(output)?.[1];
      if (output.includes('Authenticated attributes:')) {
        assert.equal(sig.programName, text);
        assert.equal(sig.moreInfoUrl, url);
      }
      const ts = file.expected.timestamp;
      assert.equal(sig.timestamps.length, ts === null ? 0 : 1);
      if (ts !== null) {
        assert.equal(sig.timestamps[0]?.kind, ts.kind);
        assert.equal(sig.timestamps[0]?.time?.toISOString().replace('.000Z', 'Z'), ts.time);
        const expectedAttr = ts.kind === 'rfc3161' ? '1.3.6.1.4.1.311.3.3.1' : '1.2.840.113549.1.9.6';
        assert.ok(sig.unsignedAttributeOids.includes(expectedAttr));
      }
      assert.equal(sig.nested.length, file.expected.nested.length);
      sig.nested.forEach((n, i) => assert.equal(n.digestAlgorithm, file.expected.nested[i]?.digestAlgorithm));
      assert.deepEqual(sig.nestedErrors, []);
      assert.deepEqual(sig.timestampErrors, []);
    });
  }

  it('finds the legacy countersigner among the outer certificates', () => {
    const sig = parseAuthenticodeSignature(loadSignedFixture('signed-legacyts.exe').signatureBytes);
    const ts = sig.timestamps[0];
    assert.ok(ts?.kind === 'authenticode');
    assert.ok(ts.signer.certificateIndex !== undefined);
    assert.equal(sig.certificates[ts.signer.certificateIndex]?.subject, 'CN=Absolve Test TSA,O=Absolve Test,C=US');
  });

  it('reports (and tolerates) non-zero padding after the DER', () => {
    const der = derOnly(loadSignedFixture('signed-sha256.exe').signatureBytes);
    const sig = parseAuthenticodeSignature(concat(der, Uint8Array.from([0, 0, 7, 0, 0])));
    assert.equal(sig.paddingBytes, 5);
    assert.equal(sig.nonZeroPadding, true);
  });
});

describe('independent cross-check with pkijs', () => {
  for (const name of ['signed-sha256.exe', 'signed-ecdsa.exe', 'signed-dual.exe', 'signed-sha512.dll', 'signed-legacyts.exe']) {
    it(`${name}: pkijs SignedData.verify agrees the signer signature is good, and bad after a flipped bit`, async () => {
      const der = derOnly(loadSignedFixture(name).signatureBytes);
      const verifyWithPkijs = async (bytes: Uint8Array): Promise<boolean> => {
        const contentInfo = pkijs.ContentInfo.fromBER(bytes);
        const signedData = new pkijs.SignedData({ schema: contentInfo.content });
        try {
          return await signedData.verify({ signer: 0, checkChain: false, checkDate: AT });
        } catch {
          return false;
        }
      };
      assert.equal(await verifyWithPkijs(der), true);
      // Flip one bit of SignerInfo.signature.
      const sig = parseAuthenticodeSignature(der);
      const offset = sig.signer.signature.byteOffset - der.byteOffset + 10;
      const flipped = Uint8Array.from(der);
      flipped[offset] = (flipped[offset] as number) ^ 0x01;
      assert.equal(await verifyWithPkijs(flipped), false);
      const fixture = loadSignedFixture(name);
      const verdict = await verifyAuthenticode({ signature: parseAuthenticodeSignature(flipped), computedDigests: allDigests(fixture), trustAnchors: [ca], at: AT });
      assert.equal(verdict.reasonCode, 'BAD_SIGNER_SIGNATURE');
    });
  }
});

describe('malformed signatures', () => {
  const base = derOnly(loadSignedFixture('signed-sha256.exe').signatureBytes);

  it('rejects empty input and garbage with AUTHENTICODE_BAD_DER', () => {
    assert.throws(() => parseAuthenticodeSignature(new Uint8Array(0)), parseError('AUTHENTICODE_BAD_DER'));
    assert.throws(() => parseAuthenticodeSignature(Uint8Array.from([0xff, 0xff, 0xff])), parseError('AUTHENTICODE_BAD_DER'));
    assert.throws(() => parseAuthenticodeSignature(Uint8Array.from([0x30, 0x80, 0x00, 0x00])), parseError('AUTHENTICODE_BAD_DER'));
    assert.throws(() => parseAuthenticodeSignature(Uint8Array.from([0x30, 0x85, 1, 0, 0, 0, 0])), parseError('AUTHENTICODE_BAD_DER'));
  });

  it('rejects every truncation with a ParseError', () => {
    for (let n = 1; n < base.length; n += n < 200 ? 1 : 97) {
      assert.throws(() => parseAuthenticodeSignature(base.subarray(0, n)), ParseError, `prefix ${n}`);
    }
  });

  it('AUTHENTICODE_NOT_SIGNED_DATA when ContentInfo is not signedData', () => {
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, PATH.contentType, oid('1.2.840.113549.1.7.1'))), parseError('AUTHENTICODE_NOT_SIGNED_DATA'));
  });

  it('AUTHENTICODE_NOT_SPC_INDIRECT_DATA when the content is not SpcIndirectDataContent', () => {
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, PATH.eContentType, oid('1.2.840.113549.1.7.1'))), parseError('AUTHENTICODE_NOT_SPC_INDIRECT_DATA'));
  });

  it('AUTHENTICODE_BAD_INDIRECT_DATA when SpcIndirectDataContent has the wrong shape', () => {
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, PATH.spcIndirectData, seq(oid('1.2.3')))), parseError('AUTHENTICODE_BAD_INDIRECT_DATA'));
  });

  it('AUTHENTICODE_UNSUPPORTED_DIGEST for an image digest other than md5/sha1/sha2', () => {
    const digestInfo = [...PATH.spcIndirectData, 1];
    const sha224 = seq(seq(oid('2.16.840.1.101.3.4.2.4'), tlv(0x05, [])), tlv(0x04, new Uint8Array(28)));
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, digestInfo, sha224)), parseError('AUTHENTICODE_UNSUPPORTED_DIGEST'));
  });

  it('AUTHENTICODE_NO_SIGNER / AUTHENTICODE_MULTIPLE_SIGNERS', () => {
    const signerInfo = derBytes(nodeAt(base, PATH.signerInfo));
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, PATH.signerInfos, set())), parseError('AUTHENTICODE_NO_SIGNER'));
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, PATH.signerInfos, set(signerInfo, signerInfo))), parseError('AUTHENTICODE_MULTIPLE_SIGNERS'));
  });

  it('AUTHENTICODE_BAD_SIGNER_INFO / AUTHENTICODE_BAD_CERTIFICATE for broken members', () => {
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, PATH.signerInfo, seq(tlv(0x02, [1])))), parseError('AUTHENTICODE_BAD_SIGNER_INFO'));
    const certs = [...PATH.certificates, 0];
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, certs, seq(tlv(0x02, [1])))), parseError('AUTHENTICODE_BAD_CERTIFICATE'));
  });

  it('bounds the certificate count', () => {
    const cert = derBytes(nodeAt(base, [...PATH.certificates, 0]));
    const many = tlv(0xa0, concat(...Array.from({ length: MAX_CERTIFICATES + 1 }, () => cert)));
    assert.throws(() => parseAuthenticodeSignature(replaceAt(base, PATH.certificates, many)), (e: unknown) => e instanceof LimitExceededError);
  });

  it('survives a depth bomb of 100,000 nested SEQUENCEs without recursion, in work linear in the depth (steps counted)', async () => {
    const depthBomb = (depth: number): Uint8Array => {
      const parts: Uint8Array[] = [];
      let size = 0;
      for (let i = 0; i < depth; i++) {
        const header = size < 0x80 ? [0x30, size] : size < 0x100 ? [0x30, 0x81, size] : size < 0x10000 ? [0x30, 0x82, size >> 8, size & 0xff] : [0x30, 0x83, size >> 16, (size >> 8) & 0xff, size & 0xff];
        parts.push(Uint8Array.from(header));
        size += header.length;
      }
      return concat(...parts.reverse());
    };
    const shallow = depthBomb(25_000);
    const deep = depthBomb(100_000);
    const shallowSteps = await countSteps(() => assert.throws(() => parseAuthenticodeSignature(shallow), ParseError));
    const deepSteps = await countSteps(() => assert.throws(() => parseAuthenticodeSignature(deep), ParseError));
    assert.ok(shallowSteps > 0 && deepSteps > 0, `steps ${shallowSteps} → ${deepSteps}`);
    // 4× the depth: at most 4× the work (plus slack for the longer length fields), never 16× (today the
    // parser rejects the bomb without walking the nesting: the same steps at both depths).
    assert.ok(deepSteps <= shallowSteps * 4.5, `steps ${shallowSteps} → ${deepSteps}`);
  });

  it('bounds nested-signature depth (a nesting bomb fails with LIMIT_EXCEEDED)', () => {
    let sig = base;
    for (let i = 0; i <= MAX_NESTING_DEPTH; i++) sig = withUnsignedAttributes(base, [attribute('1.3.6.1.4.1.311.2.4.1', sig)]);
    assert.throws(() => parseAuthenticodeSignature(sig), (e: unknown) => e instanceof LimitExceededError && e.code === 'LIMIT_EXCEEDED');
    // One level less is fine.
    let ok = base;
    for (let i = 0; i < MAX_NESTING_DEPTH; i++) ok = withUnsignedAttributes(base, [attribute('1.3.6.1.4.1.311.2.4.1', ok)]);
    let depth = 0;
    for (let s: AuthenticodeSignature | undefined = parseAuthenticodeSignature(ok); s !== undefined; s = s.nested[0]) depth++;
    assert.equal(depth, MAX_NESTING_DEPTH + 1);
  });

  it('keeps the primary when a nested signature or a timestamp is garbage, and says so in the verdict', async () => {
    const fixture = loadSignedFixture('signed-sha256.exe');
    const broken = withUnsignedAttributes(base, [attribute('1.3.6.1.4.1.311.2.4.1', seq(oid('1.2.840.113549.1.7.2'))), attribute('1.3.6.1.4.1.311.3.3.1', seq(oid('1.2.3')))]);
    const sig = parseAuthenticodeSignature(broken);
    assert.equal(sig.nested.length, 0);
    assert.equal(sig.nestedErrors.length, 1);
    assert.equal(sig.timestamps.length, 0);
    assert.equal(sig.timestampErrors.length, 1);
    const verdict = await verifyAuthenticode({ signature: sig, computedDigests: allDigests(fixture), trustAnchors: [ca], at: AT });
    assert.equal(verdict.status, 'invalid');
    assert.equal(verdict.reasonCode, 'TIMESTAMP_INVALID');
    assert.equal(verdict.nested[0]?.status, 'malformed');
    assert.equal(verdict.nested[0]?.reasonCode, 'MALFORMED');
  });

  it('a signature without its unsigned attributes is valid but not timestamped', async () => {
    const fixture = loadSignedFixture('signed-sha256.exe');
    const sig = parseAuthenticodeSignature(withUnsignedAttributes(base, []));
    assert.deepEqual(sig.unsignedAttributeOids, []);
    const verdict = await verifyAuthenticode({ signature: sig, computedDigests: allDigests(fixture), trustAnchors: [ca], at: AT });
    assert.equal(verdict.status, 'valid', verdict.reason);
    assert.equal(verdict.timestamp, null);
  });

  it('SIGNER_CERT_NOT_FOUND (malformed) when the signer certificate is not embedded', async () => {
    const fixture = loadSignedFixture('signed-sha256.exe');
    const sig = parseAuthenticodeSignature(base);
    const keep = derChildren(nodeAt(base, PATH.certificates)).filter((_, i) => i !== sig.signer.certificateIndex);
    const stripped = parseAuthenticodeSignature(replaceAt(base, PATH.certificates, tlv(0xa0, concat(...keep.map(derBytes)))));
    assert.equal(stripped.signer.certificateIndex, undefined);
    const verdict = await verifyAuthenticode({ signature: stripped, computedDigests: allDigests(fixture), trustAnchors: [ca], at: AT });
    assert.equal(verdict.status, 'malformed');
    assert.equal(verdict.reasonCode, 'SIGNER_CERT_NOT_FOUND');
  });

  it('BAD_SIGNER_SIGNATURE when the SpcIndirectDataContent no longer matches messageDigest', async () => {
    const fixture = loadSignedFixture('signed-sha256.exe');
    const digests = allDigests(fixture);
    // Keep the image digest but change the data type OID: the signed content differs, the image digest does not.
    const dataType = [...PATH.spcIndirectData, 0, 0];
    const sig = parseAuthenticodeSignature(replaceAt(base, dataType, oid('1.3.6.1.4.1.311.2.1.25')));
    const verdict = await verifyAuthenticode({ signature: sig, computedDigests: digests, trustAnchors: [ca], at: AT });
    assert.equal(verdict.reasonCode, 'BAD_SIGNER_SIGNATURE');
    assert.match(verdict.reason, /messageDigest/);
  });
});

describe('signer identification and timestamp binding', () => {
  it('finds the signer by subjectKeyIdentifier (sid [0]) as well as by issuer and serial', async () => {
    const fixture = loadSignedFixture('signed-sha256.exe');
    const base = derOnly(fixture.signatureBytes);
    const parsed = parseAuthenticodeSignature(base);
    const leaf = parsed.certificates[parsed.signer.certificateIndex ?? -1];
    assert.ok(leaf?.subjectKeyIdentifier !== undefined);
    // The signature covers the signed attributes, not the sid, so swapping the sid keeps it valid.
    const bySKI = parseAuthenticodeSignature(replaceAt(base, [...PATH.signerInfo, 1], tlv(0x80, leaf.subjectKeyIdentifier)));
    assert.equal(bySKI.signer.sid.kind, 'subjectKeyIdentifier');
    assert.equal(bySKI.signer.certificateIndex, parsed.signer.certificateIndex);
    const verdict = await verifyAuthenticode({ signature: bySKI, computedDigests: allDigests(fixture), trustAnchors: [ca], at: AT });
    assert.equal(verdict.status, 'valid', verdict.reason);
  });

  it('TIMESTAMP_INVALID when an RFC 3161 token from another file is transplanted (messageImprint mismatch)', async () => {
    const target = loadSignedFixture('signed-notimestamp.exe');
    const donor = parseAuthenticodeSignature(loadSignedFixture('signed-sha256.exe').signatureBytes);
    const token = donor.signer.unsignedAttributes.find((a) => a.oid === '1.3.6.1.4.1.311.3.3.1')?.values[0];
    assert.ok(token !== undefined);
    const sig = parseAuthenticodeSignature(withUnsignedAttributes(derOnly(target.signatureBytes), [attribute('1.3.6.1.4.1.311.3.3.1', token)]));
    const verdict = await verifyAuthenticode({ signature: sig, computedDigests: allDigests(target), trustAnchors: [ca], at: AT });
    assert.equal(verdict.reasonCode, 'TIMESTAMP_INVALID');
    assert.match(verdict.timestamp?.reason ?? '', /messageImprint/);
  });

  it('TIMESTAMP_INVALID when a legacy countersignature no longer verifies', async () => {
    const fixture = loadSignedFixture('signed-legacyts.exe');
    const base = derOnly(fixture.signatureBytes);
    const sig = parseAuthenticodeSignature(base);
    const counter = sig.timestamps[0];
    assert.ok(counter?.kind === 'authenticode');
    const offset = counter.signer.signature.byteOffset - base.byteOffset + 5;
    const flipped = Uint8Array.from(base);
    flipped[offset] = (flipped[offset] as number) ^ 0x80;
    const verdict = await verifyAuthenticode({ signature: parseAuthenticodeSignature(flipped), computedDigests: allDigests(fixture), trustAnchors: [ca], at: AT });
    assert.equal(verdict.reasonCode, 'TIMESTAMP_INVALID');
    assert.equal(verdict.timestamp?.kind, 'authenticode');
    assert.equal(verdict.timestamp?.valid, false);
  });

  it('reports page hashes (SpcPeImageData moniker, as osslsigncode -ph writes it) without verifying them', () => {
    for (const name of signedFixtureNames()) assert.equal(parseAuthenticodeSignature(loadSignedFixture(name).signatureBytes).pageHashes, undefined, name);
    const table = Uint8Array.from({ length: 72 }, (_, i) => i);
    const serialized = set(seq(oid('1.3.6.1.4.1.311.2.3.2'), set(tlv(0x04, table))));
    const classId = tlv(0x04, [0xa6, 0xb5, 0x86, 0xd5, 0xb4, 0xa1, 0x24, 0x66, 0xae, 0x05, 0xa2, 0x17, 0xda, 0x8e, 0x60, 0xd6]);
    const peImageData = seq(tlv(0x03, [0x00]), tlv(0xa0, tlv(0xa1, concat(classId, tlv(0x04, serialized)))));
    const base = derOnly(loadSignedFixture('signed-sha256.exe').signatureBytes);
    const sig = parseAuthenticodeSignature(replaceAt(base, [...PATH.spcIndirectData, 0, 1], peImageData));
    assert.equal(sig.pageHashes?.algorithm, 'sha256');
    assert.deepEqual(sig.pageHashes?.table, table);
  });
});
