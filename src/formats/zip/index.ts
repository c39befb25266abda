// Pure ZIP helpers (names, methods); the archive itself is read through yauzl in src/containers.
export { decodeCP437, decodeZipName, isSupportedZipMethod, ZIP_FLAG_ENCRYPTED, ZIP_FLAG_STRONG_ENCRYPTION, ZIP_FLAG_UTF8, zipMethodName } from './zip-names.ts';
