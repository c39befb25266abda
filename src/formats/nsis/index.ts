export { findNsisFirstHeader, NSIS_SIGNATURE } from './nsis-header.ts';
export type { NsisFirstHeader } from './nsis-header.ts';
