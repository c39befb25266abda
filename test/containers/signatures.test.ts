import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { detectContainer, inspectContainerSignature } from '../../src/containers/index.ts';
import { entry, fixture, oracle, sha256 } from './oracle.ts';

describe('inspectContainerSignature: the digest we compute equals the one inside each signature', () => {
  const signed = Object.entries(oracle.files).filter(([, e]) => e.signature !== undefined);
  it('covers MSI (plain, Ex, signer B), MSP and CAB', () => {
    assert.deepEqual(signed.map(([n]) => n).sort(), ['cab/signed.cab', 'msi/app-signed-b.msi', 'msi/app-signed-ex.msi', 'msi/app-signed.msi', 'msi/patch-signed.msp']);
  });
  for (const [name, e] of signed) {
    it(`${name} (${e.signature?.digestAlgorithm}, osslsigncode: ${e.signature?.status})`, () => {
      const bytes = fixture(name);
      const kind = detectContainer(bytes);
      assert.ok(kind !== undefined);
      const info = inspectContainerSignature(kind, bytes);
      const sig = e.signature;
      assert.ok(info !== undefined && sig !== undefined && info.signatureBlob !== undefined);
      assert.equal(sha256(info.signatureBlob), sig.signatureSha256, 'blob = osslsigncode extract-signature');
      assert.equal(Buffer.from(info.computeDigest(sig.digestAlgorithm, (a) => createHash(a))).toString('hex'), sig.digest);
      assert.equal(sig.digest, sig.osslsigncodeCurrentDigest);
    });
  }
  it('unsigned containers have no blob; ZIP and NSIS have no container signature', () => {
    for (const name of ['msi/app.msi', 'msi/patch.msp', 'cab/mszip.cab']) {
      const bytes = fixture(name);
      assert.equal(inspectContainerSignature(detectContainer(bytes) ?? 'zip', bytes)?.signatureBlob, undefined, name);
    }
    assert.equal(inspectContainerSignature('zip', fixture('zip/plain.zip')), undefined);
    assert.equal(inspectContainerSignature('nsis', fixture('nsis/setup-zlib.exe')), undefined);
    assert.equal(entry('msi/app.msi').signature, undefined);
  });
});
