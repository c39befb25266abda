// Public surface of the MS-CAB reader. Explicit named exports only (style.md practice 13).
export { prepareCabSignature } from './cab-digest.ts';
export type { CabSignatureInfo } from './cab-digest.ts';
export {
  buildSingleFolderCabinet,
  CabFolderReader,
  describeCabCompression,
  extractCabFile,
  looksLikeCabinet,
  MAX_CAB_BLOCK_UNCOMPRESSED_BYTES,
  parseCabinet,
} from './cab-reader.ts';
export type { CabCabinet, CabCompression, CabDataBlock, CabErrorCode, CabFile, CabFolder, CabHeader } from './cab.types.ts';
