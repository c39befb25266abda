/**
 * The Authenticode PE image digest ([AUTHENTICODE] "Calculating the PE Image Hash").
 *
 * The spec's algorithm: hash the headers up to SizeOfHeaders skipping OptionalHeader.CheckSum (4 bytes) and
 * the Certificate Table data-directory entry (8 bytes); then hash each section's raw data in ascending
 * PointerToRawData order; then hash the "extra data" from the end of the last section to the end of the
 * file minus the attribute certificate table.
 *
 * We hash linearly instead: [0, CheckSum), [CheckSum+4, SecurityDirectoryEntry),
 * [SecurityDirectoryEntry+8, certificate table offset, or end of file when unsigned). For a well-formed
 * file the two byte streams are identical: the linker lays the headers out first (SizeOfHeaders equals the
 * first section's PointerToRawData), sections follow back to back in ascending PointerToRawData order, each
 * padded to FileAlignment (so SizeOfRawData reaches exactly the next section), and the certificate table is
 * the last thing in the file. The streams differ only for files with gaps between the headers and the
 * sections or between sections, or with overlapping/out-of-order sections; such files are anomalies the PE
 * parser reports. Linear hashing is also what
 * osslsigncode (pe_digest_calc: header up to the checksum, up to the security directory entry, then the
 * rest up to the certificate table), signtool on current Windows and most third-party verifiers do.
 * osslsigncode additionally pads the digest of an UNSIGNED file with zeros to a multiple of 8 bytes (it
 * pads the file before appending the table); that only matters when signing, not when verifying.
 *
 * Data after the certificate table: the spec's step 14 hashes the "extra data" from the end of the last
 * section to the end of the file minus the certificate table (only the table is excluded), so bytes
 * appended after the table are hashed, and the digest of such a file no longer matches (osslsigncode, which
 * requires the table at the end of the file, fails it too). We hash them as well: nothing that the
 * signature does not cover can make a file `valid`.
 */
import { createHash, type Hash } from 'node:crypto';
import type { AuthenticodeLayout } from '../formats/pe/index.ts';
import { authenticodeError } from './errors.ts';
import type { DigestAlgorithm } from './authenticode.types.ts';

export interface ByteRange {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * The file ranges covered by the Authenticode digest, in file order (at most four). Throws
 * ParseError('AUTHENTICODE_BAD_LAYOUT') when the layout cannot describe a file of `fileSize` bytes
 * (fields out of order or past the end).
 */
export function authenticodeDigestRanges(layout: AuthenticodeLayout, fileSize: number): ByteRange[] {
  const { checksumOffset, certificateTable } = layout;
  const end = certificateTable === undefined ? fileSize : certificateTable.offset;
  // Without a data-directory entry 4 (NumberOfRvaAndSizes < 5) there is nothing to skip there: the 8 bytes
  // belong to whatever follows the optional header. Only CheckSum is excluded then (such a file cannot be signed).
  if (layout.securityDirectoryEntryPresent === false) {
    if (!(Number.isSafeInteger(fileSize) && Number.isSafeInteger(checksumOffset) && checksumOffset >= 0 && checksumOffset + 4 <= end && end <= fileSize)) {
      throw authenticodeError('AUTHENTICODE_BAD_LAYOUT', `cannot hash: CheckSum at ${checksumOffset}, hashed data ending at ${end}, file size ${fileSize}`);
    }
    return [
      { start: 0, end: checksumOffset },
      { start: checksumOffset + 4, end },
    ].filter((r) => r.end > r.start);
  }
  const { securityDirectoryEntryOffset } = layout;
  const tableEnd = certificateTable === undefined ? fileSize : certificateTable.offset + certificateTable.size;
  const ok =
    Number.isSafeInteger(fileSize) &&
    Number.isSafeInteger(checksumOffset) &&
    Number.isSafeInteger(securityDirectoryEntryOffset) &&
    Number.isSafeInteger(end) &&
    checksumOffset >= 0 &&
    checksumOffset + 4 <= securityDirectoryEntryOffset &&
    securityDirectoryEntryOffset + 8 <= end &&
    end <= fileSize &&
    tableEnd <= fileSize;
  if (!ok) {
    throw authenticodeError(
      'AUTHENTICODE_BAD_LAYOUT',
      `cannot hash: CheckSum at ${checksumOffset}, security directory entry at ${securityDirectoryEntryOffset}, hashed data ending at ${end}, file size ${fileSize}`,
    );
  }
  return [
    { start: 0, end: checksumOffset },
    { start: checksumOffset + 4, end: securityDirectoryEntryOffset },
    { start: securityDirectoryEntryOffset + 8, end },
    { start: tableEnd, end: fileSize },
  ].filter((r) => r.end > r.start);
}

/** Bytes of the file after the attribute certificate table (data appended after signing); 0 when unsigned. */
export function bytesAfterCertificateTable(layout: AuthenticodeLayout, fileSize: number): { offset: number; length: number } {
  const table = layout.certificateTable;
  if (table === undefined) return { offset: fileSize, length: 0 };
  const offset = table.offset + table.size;
  return { offset, length: Math.max(0, fileSize - offset) };
}

/** The Authenticode digest of a whole file held in memory. */
export function computeAuthenticodeDigest(bytes: Uint8Array, layout: AuthenticodeLayout, algorithm: DigestAlgorithm): Uint8Array {
  const hash = createHash(algorithm);
  for (const r of authenticodeDigestRanges(layout, bytes.length)) hash.update(bytes.subarray(r.start, r.end));
  return new Uint8Array(hash.digest());
}

export interface AuthenticodeHasher {
  /**
   * Feed the next chunk of the file. Chunks must arrive in file order without gaps or overlaps,
   * starting at offset 0 (`chunkFileOffset` is checked); chunks past the hashed ranges are ignored.
   */
  update(chunk: Uint8Array, chunkFileOffset: number): void;
  /** The digests; throws if the hashed ranges were not fully fed. */
  digest(): Map<DigestAlgorithm, Uint8Array>;
}

/**
 * Incremental Authenticode digests for a caller that streams the file once (the same chunks also feed
 * the file hashes). One node:crypto Hash per algorithm; each chunk is cut to the hashed ranges.
 */
export function createAuthenticodeHasher(layout: AuthenticodeLayout, fileSize: number, algorithms: readonly DigestAlgorithm[]): AuthenticodeHasher {
  const ranges = authenticodeDigestRanges(layout, fileSize);
  const hashes: Array<[DigestAlgorithm, Hash]> = [...new Set(algorithms)].map((a) => [a, createHash(a)]);
  const hashedEnd = ranges.length === 0 ? 0 : (ranges[ranges.length - 1] as ByteRange).end;
  let position = 0;
  let finished = false;
  return {
    update(chunk, chunkFileOffset) {
      if (finished) throw new Error('AuthenticodeHasher: update() after digest()');
      if (chunkFileOffset !== position) {
        throw new RangeError(`AuthenticodeHasher: expected the chunk at file offset ${position}, got one at ${chunkFileOffset}`);
      }
      const chunkEnd = position + chunk.length;
      for (const r of ranges) {
        const from = Math.max(r.start, position);
        const to = Math.min(r.end, chunkEnd);
        if (to <= from) continue;
        const piece = chunk.subarray(from - position, to - position);
        for (const [, h] of hashes) h.update(piece);
      }
      position = chunkEnd;
    },
    digest() {
      if (position < hashedEnd) throw new RangeError(`AuthenticodeHasher: only ${position} of ${hashedEnd} hashed bytes were fed`);
      finished = true;
      return new Map(hashes.map(([a, h]) => [a, new Uint8Array(h.digest())]));
    },
  };
}
