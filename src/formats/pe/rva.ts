/**
 * RVA → file offset through the section table ([PECOFF] "Section Table": VirtualAddress / PointerToRawData).
 *
 * Only bytes backed by raw data have a file offset: the part of a section past SizeOfRawData is zero-filled by
 * the loader and has none. Headers are mapped 1:1 (RVA < SizeOfHeaders, before the first section).
 * We do not emulate the loader's rounding of PointerToRawData down to 512 for odd FileAlignments; linkers
 * never produce such files, and a packer that does gets anomalies rather than wrong data (reads stay checked).
 */
import type { PEHeaders } from './pe.types.ts';

export interface MappedRange {
  /** File offset of the RVA. */
  offset: number;
  /** Bytes from `offset` that belong to the same section's raw data (or to the headers). */
  available: number;
}

/** Map an RVA to its file offset and the contiguous file-backed length; undefined if not file-backed. */
export function mapRVA(headers: Pick<PEHeaders, 'sections' | 'sizeOfHeaders'>, rva: number): MappedRange | undefined {
  if (!Number.isSafeInteger(rva) || rva < 0) return undefined;
  for (const s of headers.sections) {
    // The mapped extent is VirtualSize; 0 (seen in packers and some old linkers) means "use SizeOfRawData".
    const virtualExtent = s.virtualSize === 0 ? s.sizeOfRawData : s.virtualSize;
    if (rva < s.virtualAddress || rva >= s.virtualAddress + virtualExtent) continue;
    const delta = rva - s.virtualAddress;
    const fileBacked = Math.min(s.sizeOfRawData, virtualExtent);
    if (delta >= fileBacked) return undefined;
    return { offset: s.pointerToRawData + delta, available: fileBacked - delta };
  }
  const firstSection = headers.sections.reduce((min, s) => Math.min(min, s.virtualAddress), Number.POSITIVE_INFINITY);
  if (rva < headers.sizeOfHeaders && rva < firstSection) return { offset: rva, available: headers.sizeOfHeaders - rva };
  return undefined;
}

/** File offset of an RVA, or undefined when it is not backed by file data. */
export function rvaToOffset(headers: Pick<PEHeaders, 'sections' | 'sizeOfHeaders'>, rva: number): number | undefined {
  return mapRVA(headers, rva)?.offset;
}
