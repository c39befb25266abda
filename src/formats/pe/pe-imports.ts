/**
 * Import directory ([PECOFF] "The .idata Section": "Import Directory Table", "Import Lookup Table",
 * "Hint/Name Table").
 *
 *   IMAGE_IMPORT_DESCRIPTOR (20 bytes): OriginalFirstThunk (ILT RVA) 0, TimeDateStamp 4, ForwarderChain 8,
 *   Name (RVA of the DLL name) 12, FirstThunk (IAT RVA) 16. The table ends with an all-zero descriptor.
 *   ILT entries are 32-bit (PE32) or 64-bit (PE32+); the top bit set means "import by ordinal" (low 16 bits),
 *   otherwise bits 0–30 are the RVA of a Hint/Name entry (WORD hint, then the NUL-terminated name).
 */
import type { ByteView } from '../../binary/index.ts';
import { anomaly } from './pe-headers.ts';
import type { PEAnomaly, PEHeaders, PEImport } from './pe.types.ts';
import { mapRVA } from './rva.ts';

/** Hard caps: a hostile table must not make us walk millions of entries. */
export const MAX_IMPORT_DLL_COUNT = 4096;
export const MAX_IMPORT_FUNCTION_COUNT = 65536; // across all DLLs
export const MAX_SYMBOL_NAME_BYTES = 4096;
const DESCRIPTOR_SIZE_BYTES = 20;
const ORDINAL_FLAG_32 = 0x80000000;

/**
 * Walk the import directory, appending to `imports` as it goes so the caller keeps partial results if a
 * checked read throws (the caller turns that ParseError into PE_IMPORTS_TRUNCATED).
 */
export function readImports(view: ByteView, headers: PEHeaders, imports: PEImport[], anomalies: PEAnomaly[]): void {
  const directory = headers.dataDirectories[1];
  if (directory === undefined || directory.virtualAddress === 0) return;
  const start = mapRVA(headers, directory.virtualAddress);
  if (start === undefined) {
    anomalies.push(anomaly('PE_IMPORTS_TRUNCATED', `import directory RVA 0x${directory.virtualAddress.toString(16)} is not backed by file data`));
    return;
  }
  const thunkSize = headers.bits === 64 ? 8 : 4;
  let functionCount = 0;
  for (let index = 0; ; index++) {
    if (index >= MAX_IMPORT_DLL_COUNT) {
      anomalies.push(anomaly('PE_IMPORTS_LIMIT', `more than ${MAX_IMPORT_DLL_COUNT} import descriptors; the rest are ignored`));
      return;
    }
    const at = start.offset + index * DESCRIPTOR_SIZE_BYTES;
    // The table may legitimately run past Size (linkers set Size loosely) but not past the section's data.
    if ((index + 1) * DESCRIPTOR_SIZE_BYTES > start.available) {
      anomalies.push(anomaly('PE_IMPORTS_TRUNCATED', `import descriptor ${index} runs past the end of its section without a terminating null descriptor`));
      return;
    }
    const lookupRVA = view.u32(at, 'OriginalFirstThunk');
    const nameRVA = view.u32(at + 12, 'Name');
    const iatRVA = view.u32(at + 16, 'FirstThunk');
    if (lookupRVA === 0 && nameRVA === 0 && iatRVA === 0 && view.u32(at + 4) === 0 && view.u32(at + 8) === 0) return;
    const name = readName(view, headers, nameRVA);
    if (name === undefined) {
      anomalies.push(anomaly('PE_BAD_IMPORT_DESCRIPTOR', `import descriptor ${index}: DLL name RVA 0x${nameRVA.toString(16)} is not backed by file data`));
      continue;
    }
    const entry: PEImport = { dll: name, functions: [] };
    imports.push(entry);
    // Bound imports overwrite the IAT with addresses, so prefer the lookup table when there is one.
    const thunks = mapRVA(headers, lookupRVA !== 0 ? lookupRVA : iatRVA);
    if (thunks === undefined) {
      anomalies.push(anomaly('PE_BAD_IMPORT_DESCRIPTOR', `import descriptor ${index} (${name}): thunk table is not backed by file data`));
      continue;
    }
    for (let t = 0; ; t++) {
      if ((t + 1) * thunkSize > thunks.available) {
        anomalies.push(anomaly('PE_IMPORTS_TRUNCATED', `${name}: import lookup table runs past the end of its section without a terminator`));
        break;
      }
      if (functionCount >= MAX_IMPORT_FUNCTION_COUNT) {
        anomalies.push(anomaly('PE_IMPORTS_LIMIT', `more than ${MAX_IMPORT_FUNCTION_COUNT} imported functions; the rest are ignored`));
        return;
      }
      const low = view.u32(thunks.offset + t * thunkSize, 'import thunk');
      const high = thunkSize === 8 ? view.u32(thunks.offset + t * thunkSize + 4, 'import thunk') : 0;
      if (low === 0 && high === 0) break;
      functionCount++;
      const byOrdinal = thunkSize === 8 ? (high & ORDINAL_FLAG_32) !== 0 : (low & ORDINAL_FLAG_32) !== 0;
      if (byOrdinal) {
        entry.functions.push({ ordinal: low & 0xffff });
        continue;
      }
      // Hint/Name RVA: bits 0-30. For PE32+ the upper dword must be zero; if not, the thunk is garbage.
      const hintNameRVA = low & 0x7fffffff;
      const functionName = high === 0 ? readName(view, headers, hintNameRVA + 2) : undefined;
      if (functionName === undefined) {
        anomalies.push(anomaly('PE_BAD_IMPORT_DESCRIPTOR', `${name}: import ${t} has an unreadable hint/name entry`));
        continue;
      }
      entry.functions.push({ name: functionName });
    }
  }
}

/** NUL-terminated ASCII name at an RVA, bounded by its section's data and MAX_SYMBOL_NAME_BYTES. */
export function readName(view: ByteView, headers: PEHeaders, rva: number): string | undefined {
  const mapped = mapRVA(headers, rva);
  if (mapped === undefined || !view.has(mapped.offset, 1)) return undefined;
  return view.cstring(mapped.offset, Math.min(mapped.available, MAX_SYMBOL_NAME_BYTES), 'name');
}
