/**
 * NSIS installer detection: an NSIS installer is a PE stub followed by the "first header" at a 512-byte aligned
 * offset (NSIS Source/exehead/fileform.h, struct firstheader):
 *   u32 flags; u32 siginfo = 0xDEADBEEF (FH_SIG); char nsinst[12] = "NullsoftInst"; u32 length_of_header;
 *   u32 length_of_all_following_data;
 * The stub's loader scans from the end of the PE image in 512-byte steps.
 */
import { ByteView } from '../../binary/index.ts';

export const NSIS_FIRST_HEADER_SIZE_BYTES = 28;
/** FH_SIG as bytes, then "NullsoftInst". */
export const NSIS_SIGNATURE = Uint8Array.from([0xef, 0xbe, 0xad, 0xde, ...'NullsoftInst'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))));
export const NSIS_ALIGNMENT_BYTES = 512;

export interface NsisFirstHeader {
  /** File offset of the first header. */
  offset: number;
  flags: number;
  headerLength: number;
  /** length_of_all_following_data: the installer data (header included) from `offset`. */
  dataLength: number;
}

/**
 * Find the NSIS first header at a 512-byte aligned offset at or after `from` (pass the end of the PE image; 0
 * scans everything). Returns undefined when `bytes` holds none. Bounded by bytes.length / 512 probes.
 */
export function findNsisFirstHeader(bytes: Uint8Array, from = 0): NsisFirstHeader | undefined {
  const view = new ByteView(bytes);
  const start = Math.ceil(Math.max(0, from) / NSIS_ALIGNMENT_BYTES) * NSIS_ALIGNMENT_BYTES;
  for (let at = start; view.has(at, NSIS_FIRST_HEADER_SIZE_BYTES); at += NSIS_ALIGNMENT_BYTES) {
    let match = true;
    for (let i = 0; i < NSIS_SIGNATURE.length; i++) {
      if (bytes[at + 4 + i] !== NSIS_SIGNATURE[i]) {
        match = false;
        break;
      }
    }
    if (match) return { offset: at, flags: view.u32(at), headerLength: view.u32(at + 20), dataLength: view.u32(at + 24) };
  }
  return undefined;
}
