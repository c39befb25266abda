/**
 * parsePE: the whole file in memory → headers plus imports, exports, resources, version info, manifest, overlay
 * and checksum. Only broken headers throw (see parsePEHeaders); damage inside the optional structures becomes
 * PEAnomaly entries and whatever could be read is kept. Nothing is copied: strings are decoded, byte ranges are
 * subarray views.
 */
import { ByteView, ParseError } from '../../binary/index.ts';
import { computePEChecksum } from './pe-checksum.ts';
import { readExports } from './pe-exports.ts';
import { anomaly, COFF_SYMBOL_SIZE_BYTES, parsePEHeaders, WIN_CERTIFICATE_ALIGNMENT_BYTES } from './pe-headers.ts';
import { readImports } from './pe-imports.ts';
import { decodeManifest, MAX_MANIFEST_BYTES, pickResource, readResources, resourceData, RT_MANIFEST, RT_VERSION } from './pe-resources.ts';
import { parseVersionInfo, setOwn } from './pe-version-info.ts';
import type { PEAnomaly, PEAnomalyId, PEExports, PEHeaders, PEImage, PEImport, PEResourceEntry, PEResourceSummary } from './pe.types.ts';

/** VS_VERSIONINFO's wLength is a WORD, so a real one is never larger. */
const MAX_VERSION_INFO_BYTES = 0xffff;

export interface ParsePEOptions {
  /**
   * The true file size when `bytes` is only a prefix of the file (at least up to `endOfImageData`, so every
   * section's raw data is present): a caller streaming a large overlay need not hold it in memory.
   */
  fileSize?: number;
  /** The checksum computed while streaming (PEChecksumAccumulator); required with a prefix, since the checksum covers the whole file. */
  computedChecksum?: number;
}

export function parsePE(bytes: Uint8Array, options: ParsePEOptions = {}): PEImage {
  const fileSize = options.fileSize ?? bytes.length;
  if (fileSize !== bytes.length && options.computedChecksum === undefined) throw new TypeError('parsePE: a prefix needs computedChecksum');
  const headers = parsePEHeaders(bytes, fileSize);
  const anomalies: PEAnomaly[] = [...headers.anomalies];
  const view = new ByteView(bytes, 'PE_TRUNCATED');

  // Each optional structure is read with checked reads; a read that still runs off the data throws a
  // ParseError, which ends that structure only (keeping what was read) and becomes an anomaly.
  const guarded = (id: PEAnomalyId, what: string, read: () => void): void => {
    try {
      read();
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      anomalies.push(anomaly(id, `${what}: ${error.message}`));
    }
  };

  const imports: PEImport[] = [];
  guarded('PE_IMPORTS_TRUNCATED', 'imports', () => readImports(view, headers, imports, anomalies));

  const exportsOut: { value: PEExports | undefined } = { value: undefined };
  guarded('PE_EXPORTS_TRUNCATED', 'exports', () => readExports(view, headers, exportsOut, anomalies));

  const entries: PEResourceEntry[] = [];
  let hasResources = false;
  guarded('PE_RESOURCES_TRUNCATED', 'resources', () => {
    hasResources = readResources(view, headers, entries, anomalies);
  });
  let resources: PEResourceSummary | undefined;
  if (hasResources || entries.length > 0) {
    const types: Record<string, number> = {};
    for (const e of entries) setOwn(types, String(e.type), (types[String(e.type)] ?? 0) + 1);
    resources = { types, entries };
  }

  let versionInfo: PEImage['versionInfo'];
  const versionEntry = pickResource(entries, RT_VERSION);
  if (versionEntry !== undefined) {
    const data = resourceData(view, headers, versionEntry, MAX_VERSION_INFO_BYTES, anomalies, 'PE_VERSION_INFO_TRUNCATED');
    if (data !== undefined) versionInfo = parseVersionInfo(data, versionEntry.rva, anomalies);
  }

  let manifest: string | undefined;
  const manifestEntry = pickResource(entries, RT_MANIFEST);
  if (manifestEntry !== undefined) {
    const data = resourceData(view, headers, manifestEntry, MAX_MANIFEST_BYTES, anomalies, 'PE_MANIFEST_TRUNCATED');
    if (data !== undefined) manifest = decodeManifest(data);
  }

  const computed = options.computedChecksum ?? computePEChecksum(bytes, headers.authenticode.checksumOffset);
  // Most linkers leave CheckSum at 0 (only drivers and boot-critical DLLs must carry one), so only a non-zero
  // value that disagrees is news: the file was changed after the linker or signer wrote it.
  if (headers.checksum !== 0 && headers.checksum !== computed) {
    anomalies.push(anomaly('PE_CHECKSUM_MISMATCH', `stored PE checksum 0x${headers.checksum.toString(16)} differs from the computed 0x${computed.toString(16)}`));
  }

  return {
    headers,
    imports,
    exports: exportsOut.value,
    resources,
    versionInfo,
    manifest,
    overlay: findOverlay(headers, view),
    checksum: { stored: headers.checksum, computed },
    anomalies,
  };
}

/**
 * The overlay rule:
 * 1. It starts at `endOfImageData`: the end of the furthest section raw data (at least SizeOfHeaders), and runs
 *    to the end of the file. Nothing starts past EOF.
 * 2. The attribute certificate table (when the security directory is valid) is not overlay: it is the
 *    signature. When it sits in the overlay region, the overlay is the bytes BEFORE it; zero bytes shorter than
 *    the table's 8-byte alignment (at most 7, right before it) are padding the signer added, not overlay. If nothing precedes the table,
 *    the overlay is whatever FOLLOWS it (data appended after signing, also flagged PE_CERTIFICATE_TABLE_NOT_AT_END).
 * 3. A COFF symbol table (MinGW leaves one in unstripped images) is overlay, as in pefile; the overlay reports
 *    how many of its leading bytes are that table (`coffSymbolTableBytes`) so a caller can discount them.
 */
function findOverlay(headers: PEHeaders, view: ByteView): PEImage['overlay'] {
  const fileSize = headers.fileSize;
  let start = Math.min(headers.endOfImageData, fileSize);
  let end = fileSize;
  const table = headers.authenticode.certificateTable;
  if (table !== undefined && table.problem === undefined && table.offset >= start) {
    const tableEnd = table.offset + table.size;
    // Up to 7 zero bytes right before the table are the signer's alignment padding (the table must start on
    // an 8-byte boundary). Ambiguous by nature: genuine trailing zeros of an overlay are dropped with them.
    let overlayEnd = table.offset;
    // (With a prefix the bytes may not be in memory: then no padding is assumed.)
    while (overlayEnd > start && table.offset - overlayEnd < WIN_CERTIFICATE_ALIGNMENT_BYTES - 1 && view.has(overlayEnd - 1, 1) && view.u8(overlayEnd - 1) === 0) overlayEnd--;
    if (overlayEnd > start) end = overlayEnd;
    else start = tableEnd;
  }
  if (start >= end) return undefined;
  const overlay: NonNullable<PEImage['overlay']> = { offset: start, size: end - start };
  const symbols = coffSymbolTableRange(headers, view);
  if (symbols !== undefined && symbols.offset === start) overlay.coffSymbolTableBytes = Math.min(symbols.size, end - start);
  return overlay;
}

/** [PECOFF] "COFF Symbol Table" + "COFF String Table" (4-byte size, then strings), when inside the file. */
function coffSymbolTableRange(headers: PEHeaders, view: ByteView): { offset: number; size: number } | undefined {
  if (headers.pointerToSymbolTable === 0) return undefined;
  const stringTable = headers.pointerToSymbolTable + headers.numberOfSymbols * COFF_SYMBOL_SIZE_BYTES;
  if (!view.has(stringTable, 4)) return undefined;
  const size = stringTable + view.u32(stringTable) - headers.pointerToSymbolTable;
  return { offset: headers.pointerToSymbolTable, size };
}
