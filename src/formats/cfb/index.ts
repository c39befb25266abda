// Public surface of the MS-CFB reader. Explicit named exports only (style.md practice 13).
export { DEFAULT_CFB_LIMITS, formatCLSID, looksLikeCFB, parseCFBHeader, readCFB } from './cfb-reader.ts';
export type { CFBEntry, CFBEntryType, CFBErrorCode, CFBFile, CFBHeader, CFBLimits } from './cfb.types.ts';
