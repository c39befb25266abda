/**
 * Runtime lists of the PE parser's error codes and anomaly IDs (for docs, filters and tests). The two
 * `Exact` checks below fail to compile if a list and its union in pe.types.ts drift apart.
 */
import type { PEAnomalyId, PEErrorCode } from './pe.types.ts';

export const PE_ERROR_CODES = [
  'PE_NOT_MZ',
  'PE_BAD_E_LFANEW',
  'PE_NOT_PE_SIGNATURE',
  'PE_TRUNCATED',
  'PE_BAD_OPTIONAL_HEADER',
  'PE_SECTION_TABLE_PAST_EOF',
  'PE_TOO_MANY_SECTIONS',
  'PE_BAD_CERTIFICATE_TABLE',
] as const satisfies readonly PEErrorCode[];

export const PE_ANOMALY_IDS = [
  'PE_TOO_MANY_DATA_DIRECTORIES',
  'PE_DATA_DIRECTORIES_TRUNCATED',
  'PE_NO_SECURITY_DIRECTORY_ENTRY',
  'PE_SECTION_NAME_UNRESOLVED',
  'PE_SECTION_DATA_PAST_EOF',
  'PE_BAD_SECURITY_DIRECTORY',
  'PE_CERTIFICATE_TABLE_MISALIGNED',
  'PE_CERTIFICATE_TABLE_NOT_AT_END',
  'PE_IMPORTS_TRUNCATED',
  'PE_IMPORTS_LIMIT',
  'PE_BAD_IMPORT_DESCRIPTOR',
  'PE_EXPORTS_TRUNCATED',
  'PE_BAD_EXPORT_DIRECTORY',
  'PE_EXPORTS_LIMIT',
  'PE_RESOURCES_TRUNCATED',
  'PE_RESOURCE_LOOP',
  'PE_RESOURCE_TOO_DEEP',
  'PE_RESOURCES_LIMIT',
  'PE_VERSION_INFO_TRUNCATED',
  'PE_BAD_VERSION_INFO',
  'PE_MANIFEST_TRUNCATED',
  'PE_CHECKSUM_MISMATCH',
] as const satisfies readonly PEAnomalyId[];

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const errorCodesComplete: Exact<(typeof PE_ERROR_CODES)[number], PEErrorCode> = true;
const anomalyIdsComplete: Exact<(typeof PE_ANOMALY_IDS)[number], PEAnomalyId> = true;
void errorCodesComplete;
void anomalyIdsComplete;
