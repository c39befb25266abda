/**
 * Container sniffing by magic bytes. Pure and total: never throws, whatever `head` holds.
 *
 * - ZIP: local file header "PK\x03\x04" or an empty archive's end record "PK\x05\x06" at offset 0 ([APPNOTE] 4.3).
 * - MS-CFB: D0 CF 11 E0 A1 B1 1A E1; MSI vs MSP by the root entry's CLSID (MSI {000C1084-…-46},
 *   MSP {000C1086-…-46}), or, when the CLSID says neither, by the presence of the MSI string pool (and of the
 *   patch tables for an MSP); anything else is 'cfb'.
 * - MS-CAB: "MSCF" with reserved1 = 0.
 * - NSIS: a PE whose overlay holds the NSIS first header (0xDEADBEEF "NullsoftInst") at a 512-byte boundary.
 * Pass the whole file when you have it; a prefix works for ZIP/CAB/CFB and for NSIS when it reaches the first
 * header (just past the stub: ~100 KiB for NSIS 3).
 */
import { ByteView } from '../../binary/index.ts';
import { formatCLSID, looksLikeCFB, parseCFBHeader, readCFB } from '../cfb/index.ts';
import { decodeMsiStreamName } from '../msi/msi-names.ts';
import { findNsisFirstHeader } from '../nsis/index.ts';
import { looksLikePE, parsePEHeaders } from '../pe/index.ts';
import type { ContainerKind } from './container.types.ts';

export const MSI_CLSID = '{000C1084-0000-0000-C000-000000000046}';
export const MSP_CLSID = '{000C1086-0000-0000-C000-000000000046}';
export const MST_CLSID = '{000C1082-0000-0000-C000-000000000046}';

export function detectContainer(head: Uint8Array): ContainerKind | undefined {
  if (!(head instanceof Uint8Array) || head.length < 4) return undefined;
  const view = new ByteView(head);
  const magic = view.u32be(0);
  if (magic === 0x504b0304 || magic === 0x504b0506) return 'zip';
  if (magic === 0x4d534346 && view.has(4, 4) && view.u32(4) === 0) return 'cab';
  if (looksLikeCFB(head)) return classifyCompoundFile(head);
  if (looksLikePE(head)) return findNsisFirstHeader(head, endOfPEImage(head)) === undefined ? undefined : 'nsis';
  return undefined;
}

/** Where a PE's overlay starts (the NSIS loader scans from there); 0 when the headers cannot be parsed. */
function endOfPEImage(head: Uint8Array): number {
  try {
    return parsePEHeaders(head, head.length).endOfImageData;
  } catch {
    return 0;
  }
}

export function classifyCompoundFile(head: Uint8Array): 'msi' | 'msp' | 'cfb' {
  try {
    const header = parseCFBHeader(head);
    const rootAt = (header.firstDirectorySector + 1) * header.sectorSize;
    const view = new ByteView(head);
    if (view.has(rootAt, 128)) {
      const clsid = formatCLSID(view.slice(rootAt + 0x50, 16));
      if (clsid === MSI_CLSID) return 'msi';
      if (clsid === MSP_CLSID) return 'msp';
    }
    const file = readCFB(head);
    const tables = new Set(file.root.children.map((c) => decodeMsiStreamName(c.name)).filter((n) => n.table).map((n) => n.name));
    if (!tables.has('_StringPool')) return 'cfb';
    return tables.has('MsiPatchSequence') || tables.has('MsiPatchMetadata') ? 'msp' : 'msi';
  } catch {
    return 'cfb';
  }
}
