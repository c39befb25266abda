// Public surface of the PE parser. Explicit named exports only (style.md practice 13).
export { looksLikePE, MAX_PE_DATA_DIRECTORY_COUNT, MAX_PE_SECTION_COUNT, parsePEHeaders } from './pe-headers.ts';
export { parsePE, type ParsePEOptions } from './parse-pe.ts';
export { PE_ANOMALY_IDS, PE_ERROR_CODES } from './pe-codes.ts';
export { computePEChecksum, PEChecksumAccumulator } from './pe-checksum.ts';
export { mapRVA, rvaToOffset } from './rva.ts';
export type { MappedRange } from './rva.ts';
export { MAX_IMPORT_DLL_COUNT, MAX_IMPORT_FUNCTION_COUNT } from './pe-imports.ts';
export { MAX_EXPORT_COUNT } from './pe-exports.ts';
export { MAX_RESOURCE_DEPTH_LEVELS, MAX_RESOURCE_ENTRY_COUNT, RT_MANIFEST, RT_VERSION } from './pe-resources.ts';
export {
  MAX_WIN_CERTIFICATE_COUNT,
  parseWinCertificates,
  WIN_CERT_REVISION_1_0,
  WIN_CERT_REVISION_2_0,
  WIN_CERT_TYPE_PKCS_SIGNED_DATA,
  WIN_CERT_TYPE_X509,
} from './win-certificate.ts';
export type {
  AuthenticodeLayout,
  PEAnomaly,
  PEAnomalyId,
  PEDataDirectory,
  PEErrorCode,
  PEExports,
  PEHeaders,
  PEImage,
  PEImport,
  PEMachine,
  PEResourceEntry,
  PEResourceSummary,
  PESection,
  PESubsystem,
  PEVersionInfo,
  WinCertificate,
} from './pe.types.ts';
