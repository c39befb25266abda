import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as pe from '../../../src/formats/pe/index.ts';

describe('src/formats/pe public surface', () => {
  it('exports exactly these runtime names', () => {
    assert.deepEqual(Object.keys(pe).sort(), [
      'MAX_EXPORT_COUNT',
      'MAX_IMPORT_DLL_COUNT',
      'MAX_IMPORT_FUNCTION_COUNT',
      'MAX_PE_DATA_DIRECTORY_COUNT',
      'MAX_PE_SECTION_COUNT',
      'MAX_RESOURCE_DEPTH_LEVELS',
      'MAX_RESOURCE_ENTRY_COUNT',
      'MAX_WIN_CERTIFICATE_COUNT',
      'PEChecksumAccumulator',
      'PE_ANOMALY_IDS',
      'PE_ERROR_CODES',
      'RT_MANIFEST',
      'RT_VERSION',
      'WIN_CERT_REVISION_1_0',
      'WIN_CERT_REVISION_2_0',
      'WIN_CERT_TYPE_PKCS_SIGNED_DATA',
      'WIN_CERT_TYPE_X509',
      'computePEChecksum',
      'looksLikePE',
      'mapRVA',
      'parsePE',
      'parsePEHeaders',
      'parseWinCertificates',
      'rvaToOffset',
    ]);
    assert.equal(pe.MAX_PE_SECTION_COUNT, 96);
  });
});
