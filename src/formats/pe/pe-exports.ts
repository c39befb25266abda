/**
 * Export directory ([PECOFF] "The .edata Section (Image Only)": "Export Directory Table", "Export Address Table",
 * "Export Name Pointer Table", "Export Ordinal Table").
 *
 *   IMAGE_EXPORT_DIRECTORY (40 bytes): Characteristics 0, TimeDateStamp 4, MajorVersion 8, MinorVersion 10,
 *   Name 12, Base (ordinal base) 16, NumberOfFunctions 20, NumberOfNames 24, AddressOfFunctions 28,
 *   AddressOfNames 32, AddressOfNameOrdinals 36.
 *   EAT entry i is ordinal Base + i. An entry whose RVA falls inside the export directory itself is a forwarder:
 *   it points at a "DLL.Function" (or "DLL.#ordinal") string. The name ordinal table holds EAT indexes.
 */
import type { ByteView } from '../../binary/index.ts';
import { anomaly } from './pe-headers.ts';
import { readName } from './pe-imports.ts';
import type { PEAnomaly, PEExports, PEHeaders } from './pe.types.ts';
import { mapRVA } from './rva.ts';

/** Ordinals are 16-bit, so a real DLL cannot export more. */
export const MAX_EXPORT_COUNT = 65536;
const DIRECTORY_SIZE_BYTES = 40;

type ExportedFunction = PEExports['functions'][number];

/** Returns undefined when there is no export directory; partial results are kept in `out.value`. */
export function readExports(view: ByteView, headers: PEHeaders, out: { value: PEExports | undefined }, anomalies: PEAnomaly[]): void {
  const directory = headers.dataDirectories[0];
  if (directory === undefined || directory.virtualAddress === 0) return;
  const start = mapRVA(headers, directory.virtualAddress);
  if (start === undefined || start.available < DIRECTORY_SIZE_BYTES) {
    anomalies.push(anomaly('PE_BAD_EXPORT_DIRECTORY', `export directory RVA 0x${directory.virtualAddress.toString(16)} is not backed by ${DIRECTORY_SIZE_BYTES} bytes of file data`));
    return;
  }
  const d = start.offset;
  const nameRVA = view.u32(d + 12);
  const base = view.u32(d + 16);
  let functionCount = view.u32(d + 20);
  let nameCount = view.u32(d + 24);
  const functionsRVA = view.u32(d + 28);
  const namesRVA = view.u32(d + 32);
  const ordinalsRVA = view.u32(d + 36);
  const result: PEExports = { dllName: readName(view, headers, nameRVA) ?? '', functions: [] };
  out.value = result;
  if (functionCount > MAX_EXPORT_COUNT || nameCount > MAX_EXPORT_COUNT) {
    anomalies.push(anomaly('PE_EXPORTS_LIMIT', `export directory declares ${functionCount} functions and ${nameCount} names; reading at most ${MAX_EXPORT_COUNT}`));
    functionCount = Math.min(functionCount, MAX_EXPORT_COUNT);
    nameCount = Math.min(nameCount, MAX_EXPORT_COUNT);
  }
  // Bound each table by the file data behind it, so a huge count cannot make us loop over nothing.
  const eat = mapRVA(headers, functionsRVA);
  const eatCount = Math.min(functionCount, Math.floor((eat?.available ?? 0) / 4));
  if (eatCount < functionCount) anomalies.push(anomaly('PE_EXPORTS_TRUNCATED', `export address table holds ${eatCount} of ${functionCount} entries in file data`));

  const byIndex = new Map<number, ExportedFunction>();
  const directoryEnd = directory.virtualAddress + directory.size;
  for (let i = 0; i < eatCount && eat !== undefined; i++) {
    const rva = view.u32(eat.offset + i * 4, 'export address');
    if (rva === 0) continue; // unused ordinal slot
    const fn: ExportedFunction = { ordinal: base + i, rva };
    if (rva >= directory.virtualAddress && rva < directoryEnd) {
      const forwarder = readName(view, headers, rva);
      if (forwarder === undefined) anomalies.push(anomaly('PE_BAD_EXPORT_DIRECTORY', `export ordinal ${base + i}: forwarder string is not readable`));
      else fn.forwarder = forwarder;
    }
    byIndex.set(i, fn);
  }

  const names = mapRVA(headers, namesRVA);
  const ordinals = mapRVA(headers, ordinalsRVA);
  const readableNames = Math.min(nameCount, Math.floor((names?.available ?? 0) / 4), Math.floor((ordinals?.available ?? 0) / 2));
  if (readableNames < nameCount) anomalies.push(anomaly('PE_EXPORTS_TRUNCATED', `export name tables hold ${readableNames} of ${nameCount} entries in file data`));
  for (let n = 0; n < readableNames && names !== undefined && ordinals !== undefined; n++) {
    const index = view.u16(ordinals.offset + n * 2, 'export name ordinal');
    const name = readName(view, headers, view.u32(names.offset + n * 4, 'export name pointer'));
    const fn = byIndex.get(index);
    if (name === undefined || fn === undefined) {
      anomalies.push(anomaly('PE_BAD_EXPORT_DIRECTORY', `export name ${n} ${name === undefined ? 'is not readable' : `(${name}) points at empty ordinal slot ${index}`}`));
      continue;
    }
    // Several names may share one address slot; the first (names are sorted) is the name, the rest aliases.
    if (fn.name === undefined) fn.name = name;
    else (fn.aliases ??= []).push(name);
  }
  result.functions = [...byIndex.values()];
}
