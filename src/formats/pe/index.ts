// Public surface of the PE parser. Explicit named exports only (style.md practice 13).
export { looksLikePE, MAX_PE_DATA_DIRECTORY_COUNT, MAX_PE_SECTION_COUNT, parsePEHeaders } from './pe-headers.ts';
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
  PEResourceSummary,
  PESection,
  PESubsystem,
  PEVersionInfo,
  WinCertificate,
} from './pe.types.ts';
