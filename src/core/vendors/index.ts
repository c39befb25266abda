export { VENDOR_DIRECTORY, VENDOR_DIRECTORY_CHECKED } from './directory-data.ts';
export { buildVendorDirectory, DEFAULT_REQUIREMENTS, VendorDirectory, vendorKey, type VendorOverride } from './vendor-directory.ts';
export { parseVendorOverrides, validateVendorEntry } from './vendor-config.ts';
export type { ChannelKind, ChannelStatus, ProgrammeKind, VendorChannel, VendorEntry, VendorProgramme, VendorRequirements } from './vendor.types.ts';
