/**
 * Resource directory ([PECOFF] "The .rsrc Section": "Resource Directory Table", "Resource Directory Entries",
 * "Resource Directory String", "Resource Data Entry").
 *
 *   IMAGE_RESOURCE_DIRECTORY (16 bytes): ..., NumberOfNamedEntries 12, NumberOfIdEntries 14; then the entries.
 *   IMAGE_RESOURCE_DIRECTORY_ENTRY (8 bytes): Name/Id (high bit: offset of a length-prefixed UTF-16 name),
 *   OffsetToData (high bit: offset of a subdirectory, else of a 16-byte data entry). Offsets are relative to the
 *   start of the resource directory; the data entry's OffsetToData is an RVA.
 *   Windows uses three levels: type → name → language. Anything deeper is not a resource we can address, and a
 *   subdirectory offset that points back up the tree is a loop (a classic parser DoS): both become anomalies.
 */
import type { ByteView } from '../../binary/index.ts';
import { anomaly } from './pe-headers.ts';
import type { PEAnomaly, PEHeaders, PEResourceEntry } from './pe.types.ts';
import { mapRVA } from './rva.ts';

/** Type → name → language. */
export const MAX_RESOURCE_DEPTH_LEVELS = 3;
/** Directory entries visited across the whole tree (large real apps have a few thousand). */
export const MAX_RESOURCE_ENTRY_COUNT = 65536;
const DIRECTORY_SIZE_BYTES = 16;
const ENTRY_SIZE_BYTES = 8;
const DATA_ENTRY_SIZE_BYTES = 16;
const HIGH_BIT = 0x80000000;
const MAX_RESOURCE_NAME_CHARS = 1024;

export const RT_VERSION = 16;
export const RT_MANIFEST = 24;

/** Walk the tree, appending one PEResourceEntry per leaf to `entries`. */
export function readResources(view: ByteView, headers: PEHeaders, entries: PEResourceEntry[], anomalies: PEAnomaly[]): boolean {
  const directory = headers.dataDirectories[2];
  if (directory === undefined || directory.virtualAddress === 0) return false;
  const rootRVA = directory.virtualAddress;
  const root = mapRVA(headers, rootRVA);
  if (root === undefined) {
    anomalies.push(anomaly('PE_RESOURCES_TRUNCATED', `resource directory RVA 0x${rootRVA.toString(16)} is not backed by file data`));
    return false;
  }
  // Offsets inside the tree are relative to the root and must stay inside the root's file-backed run.
  const limit = root.available;
  const visited = new Set<number>();
  let entryBudget = MAX_RESOURCE_ENTRY_COUNT;
  let reportedLimit = false;

  const readString = (relative: number): string | undefined => {
    if (relative + 2 > limit) return undefined;
    const chars = view.u16(root.offset + relative, 'resource name length');
    if (chars > MAX_RESOURCE_NAME_CHARS || relative + 2 + chars * 2 > limit) return undefined;
    return view.utf16(root.offset + relative + 2, chars, 'resource name');
  };

  // Recursive depth-first walk (at most MAX_RESOURCE_DEPTH_LEVELS deep); `path` holds the type and name labels of the enclosing directories.
  const walk = (relative: number, level: number, path: Array<string | number>): void => {
    if (visited.has(relative)) {
      anomalies.push(anomaly('PE_RESOURCE_LOOP', `resource directory at +0x${relative.toString(16)} is reached twice (a loop or shared subtree); not walked again`));
      return;
    }
    visited.add(relative);
    if (relative + DIRECTORY_SIZE_BYTES > limit) {
      anomalies.push(anomaly('PE_RESOURCES_TRUNCATED', `resource directory at +0x${relative.toString(16)} is outside the resource data`));
      return;
    }
    const at = root.offset + relative;
    const count = view.u16(at + 12) + view.u16(at + 14);
    for (let i = 0; i < count; i++) {
      if (entryBudget-- <= 0) {
        if (!reportedLimit) anomalies.push(anomaly('PE_RESOURCES_LIMIT', `more than ${MAX_RESOURCE_ENTRY_COUNT} resource directory entries; the rest are ignored`));
        reportedLimit = true;
        return;
      }
      const entryRelative = relative + DIRECTORY_SIZE_BYTES + i * ENTRY_SIZE_BYTES;
      if (entryRelative + ENTRY_SIZE_BYTES > limit) {
        anomalies.push(anomaly('PE_RESOURCES_TRUNCATED', `resource directory at +0x${relative.toString(16)} declares ${count} entries but its data ends after ${i}`));
        return;
      }
      const nameField = view.u32(root.offset + entryRelative);
      const dataField = view.u32(root.offset + entryRelative + 4);
      let label: string | number = nameField;
      if ((nameField & HIGH_BIT) !== 0) {
        const name = readString(nameField & ~HIGH_BIT);
        if (name === undefined) anomalies.push(anomaly('PE_RESOURCES_TRUNCATED', `resource name at +0x${(nameField & ~HIGH_BIT).toString(16)} is outside the resource data`));
        label = name ?? `#${nameField >>> 0}`;
      }
      if ((dataField & HIGH_BIT) !== 0) {
        if (level + 1 >= MAX_RESOURCE_DEPTH_LEVELS) {
          anomalies.push(anomaly('PE_RESOURCE_TOO_DEEP', `resource subdirectory below level ${MAX_RESOURCE_DEPTH_LEVELS} (type → name → language) is ignored`));
          continue;
        }
        walk((dataField & ~HIGH_BIT) >>> 0, level + 1, [...path, label]);
        continue;
      }
      // A data entry: normally at level 2 (language); tolerate it higher up (language/name missing).
      if (dataField + DATA_ENTRY_SIZE_BYTES > limit) {
        anomalies.push(anomaly('PE_RESOURCES_TRUNCATED', `resource data entry at +0x${dataField.toString(16)} is outside the resource data`));
        continue;
      }
      const dataAt = root.offset + dataField;
      const full = [...path, label];
      entries.push({
        type: full[0] ?? 0,
        name: full[1] ?? 0,
        language: typeof full[2] === 'number' ? full[2] : 0,
        rva: view.u32(dataAt),
        size: view.u32(dataAt + 4),
        codePage: view.u32(dataAt + 8),
      });
    }
  };
  walk(0, 0, []);
  return true;
}

/** The bytes of a resource's data (a view, not a copy), or undefined (with an anomaly) if not in the file. */
export function resourceData(view: ByteView, headers: PEHeaders, entry: PEResourceEntry, maxBytes: number, anomalies: PEAnomaly[], truncatedId: 'PE_VERSION_INFO_TRUNCATED' | 'PE_MANIFEST_TRUNCATED'): Uint8Array | undefined {
  const mapped = mapRVA(headers, entry.rva);
  if (mapped === undefined || entry.size > mapped.available || !view.has(mapped.offset, entry.size)) {
    anomalies.push(anomaly(truncatedId, `resource type ${entry.type} data (RVA 0x${entry.rva.toString(16)}, ${entry.size} bytes) is not backed by file data`));
    return undefined;
  }
  if (entry.size > maxBytes) {
    anomalies.push(anomaly(truncatedId, `resource type ${entry.type} is ${entry.size} bytes; reading the first ${maxBytes}`));
  }
  return view.slice(mapped.offset, Math.min(entry.size, maxBytes));
}

/** Pick the resource of a numeric type, preferring name id 1 (what the loader uses for manifests and versions). */
export function pickResource(entries: PEResourceEntry[], type: number): PEResourceEntry | undefined {
  let first: PEResourceEntry | undefined;
  for (const e of entries) {
    if (e.type !== type) continue;
    if (e.name === 1) return e;
    first ??= e;
  }
  return first;
}

const utf8 = new TextDecoder('utf-8');
const utf16 = new TextDecoder('utf-16le');
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** RT_MANIFEST as text: UTF-8 (optionally with a BOM); a UTF-16LE BOM is honoured too. */
export function decodeManifest(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return utf16.decode(data.subarray(2, data.length - (data.length % 2)));
  const withoutBom = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  return utf8.decode(withoutBom);
}
