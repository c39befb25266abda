// Public surface of the MSI/MSP reader (tables, install paths, signature digests). Explicit named exports only.
export { DEFAULT_MSI_LIMITS, openMsiDatabase } from './msi-database.ts';
export { compareMsiHashOrder, prepareMsiSignature } from './msi-digest.ts';
export type { CreateHasher, Hasher, MsiSignatureInfo } from './msi-digest.ts';
export { defaultDirTarget, longName, resolveMsiInstallLayout } from './msi-install-paths.ts';
export { decodeMsiStreamName, encodeMsiStreamName } from './msi-names.ts';
export type { MsiColumn, MsiDatabase, MsiErrorCode, MsiFileRecord, MsiInstallLayout, MsiLimits, MsiMediaRecord, MsiTable, MsiValue } from './msi.types.ts';
