// Pins the public surface of src/authenticode (style.md practice 13): a change here is an API change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as authenticode from '../../src/authenticode/index.ts';

describe('src/authenticode public API', () => {
  it('exports exactly these values', () => {
    assert.deepEqual(Object.keys(authenticode).sort(), [
      'MAX_ATTRIBUTES',
      'MAX_ATTRIBUTE_VALUES',
      'MAX_CERTIFICATES',
      'MAX_CHAIN_LENGTH',
      'MAX_CTL_ENTRIES',
      'MAX_NESTING_DEPTH',
      'MAX_SIGNATURES',
      'OID_CTL',
      'authenticodeDigestRanges',
      'bytesAfterCertificateTable',
      'computeAuthenticodeDigest',
      'createAuthenticodeHasher',
      'isoTime',
      'parseAuthenticodeSignature',
      'parseCertificate',
      'parseCertificateTrustList',
      'requiredDigestAlgorithms',
      'summarizeCertificate',
      'thumbprints',
      'verifyAuthenticode',
      'verifyCertificateTrustList',
    ]);
  });
});
