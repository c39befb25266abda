/**
 * Authenticode digest of a cabinet, as osslsigncode computes and checks it (cab.c: cab_digest_calc).
 *
 * Signed cabinet (20-byte reserve naming the signature): hash
 *   [0, 4)      signature "MSCF"                      (reserved1 at 4..8 skipped)
 *   [8, 34)     cbCabinet, reserved2, coffFiles, reserved3, versions, cFolders, cFiles, flags, setID
 *               (iCabinet, cbCFHeader, cbCFFolder, cbCFData and the first 16 reserve bytes, 34..56, skipped:
 *               they hold the signature's offset and size)
 *   [56, sig)   the last 4 reserve bytes, the optional cabinet names, the CFFOLDERs, the CFFILEs and all CFDATA,
 *               up to the signature's offset.
 * osslsigncode also requires 60 + names + 8 × cFolders to equal coffFiles (it assumes cbCFFolder = 0).
 * Unsigned cabinet: [0, 4) then [8, end).
 */
import { ByteView, ParseError } from '../../binary/index.ts';
import type { CreateHasher } from '../msi/msi-digest.ts';
import { CFFOLDER_FIXED_SIZE_BYTES } from './cab-reader.ts';
import type { CabCabinet, CabErrorCode } from './cab.types.ts';

export interface CabSignatureInfo {
  /** The PKCS#7 SignedData DER (trailing alignment zeros trimmed), or undefined when unsigned. */
  signatureBlob: Uint8Array | undefined;
  /** The digest the SpcIndirectDataContent must carry. */
  computeDigest(algorithm: string, createHasher: CreateHasher): Uint8Array;
}

/** End of a DER TLV at `offset`, or undefined when the bytes do not start with a definite-length DER header. */
export function derLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < 2) return undefined;
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (bytes[2 + i] ?? 0);
  return 2 + n + len;
}

export function prepareCabSignature(bytes: Uint8Array, cab: CabCabinet): CabSignatureInfo {
  const view = new ByteView(bytes, 'CAB_TRUNCATED');
  const sig = cab.cabSignature;
  let signatureBlob: Uint8Array | undefined;
  if (sig !== undefined) {
    const raw = view.slice(sig.offset, sig.size, 'CAB signature');
    const der = derLength(raw);
    signatureBlob = der !== undefined && der <= raw.length ? raw.subarray(0, der) : raw;
  }
  return {
    signatureBlob,
    computeDigest(algorithm: string, createHasher: CreateHasher): Uint8Array {
      const hasher = createHasher(algorithm);
      hasher.update(view.slice(0, 4));
      if (sig === undefined) {
        hasher.update(view.slice(8, bytes.length - 8));
        return hasher.digest();
      }
      let namesEnd = 60;
      const skipName = (): void => {
        while (namesEnd < sig.offset && view.u8(namesEnd) !== 0) namesEnd++;
        namesEnd++;
      };
      if (cab.header.previousCabinet !== undefined) {
        skipName();
        skipName();
      }
      if (cab.header.nextCabinet !== undefined) {
        skipName();
        skipName();
      }
      if (namesEnd + CFFOLDER_FIXED_SIZE_BYTES * cab.header.folderCount !== cab.header.filesOffset) {
        throw new ParseError<CabErrorCode>('CAB_BAD_HEADER', `signed cabinet layout: coffFiles ${cab.header.filesOffset} does not follow the header, names and 8-byte CFFOLDERs`);
      }
      hasher.update(view.slice(8, 26));
      hasher.update(view.slice(56, sig.offset - 56));
      return hasher.digest();
    },
  };
}
