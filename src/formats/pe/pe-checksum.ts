/**
 * The PE image checksum ([PECOFF] "Optional Header Windows-Specific Fields", CheckSum: "The algorithm for computing
 * the checksum is incorporated into IMAGEHLP.DLL"). The well-known algorithm (CheckSumMappedFile, pefile's
 * generate_checksum): sum the whole file as little-endian 16-bit words (an odd last byte is padded with a zero),
 * with the 4 bytes of the CheckSum field counted as zero, using one's-complement (end-around carry) addition
 * folded to 16 bits; then add the file length in bytes.
 *
 * Implementation: one's-complement addition is addition modulo 0xFFFF (2^16 ≡ 1), where a non-zero total is
 * written 0xFFFF rather than 0. A little-endian dword w = lo + hi·2^16 ≡ lo + hi, so we can sum aligned dwords
 * straight from a Uint32Array and reduce modulo 0xFFFF once per block (a block of 2^20 dwords stays below
 * 2^52, exact in a double). That runs at memory speed; a per-word fold does not.
 */

const BLOCK_DWORDS = 1 << 20;
const ONES_COMPLEMENT_MODULUS = 0xffff;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Compute the PE checksum of a whole file. `checksumOffset` is the file offset of OptionalHeader.CheckSum
 * (`headers.authenticode.checksumOffset`); those 4 bytes are treated as zero. The result is a uint32.
 */
export function computePEChecksum(bytes: Uint8Array, checksumOffset: number): number {
  const length = bytes.length;
  let residue = 0; // running total modulo 0xFFFF
  let sawNonZero = false;
  const add = (sum: number): void => {
    if (sum !== 0) sawNonZero = true;
    residue = (residue + (sum % ONES_COMPLEMENT_MODULUS)) % ONES_COMPLEMENT_MODULUS;
  };
  // The CheckSum field is skipped by summing [0, field) and [field + 4, length) separately.
  const fieldStart = Number.isSafeInteger(checksumOffset) && checksumOffset >= 0 ? Math.min(checksumOffset, length) : length;
  const fieldEnd = Math.min(fieldStart + 4, length);
  add(sumRange(bytes, 0, fieldStart));
  add(sumRange(bytes, fieldEnd, length));
  const folded = !sawNonZero ? 0 : residue === 0 ? ONES_COMPLEMENT_MODULUS : residue;
  return (folded + length) % 2 ** 32;
}

/**
 * The same checksum computed from chunks fed in file order, so a caller that streams a file once (the
 * audit) needs no second pass and no whole-file buffer. Chunks must start at even file offsets (the word
 * parity of a byte is its file offset's parity).
 */
export class PEChecksumAccumulator {
  private residue = 0;
  private sawNonZero = false;
  private length = 0;

  constructor(private readonly checksumOffset: number) {}

  update(chunk: Uint8Array, fileOffset: number): void {
    if (fileOffset !== this.length || fileOffset % 2 !== 0) throw new RangeError(`PE checksum chunks must be contiguous and start at even offsets (got ${fileOffset}, expected ${this.length})`);
    const end = fileOffset + chunk.length;
    const fieldStart = Math.max(fileOffset, Math.min(this.checksumOffset, end));
    const fieldEnd = Math.max(fileOffset, Math.min(this.checksumOffset + 4, end));
    this.add(sumRange(chunk, 0, fieldStart - fileOffset));
    this.add(sumRange(chunk, fieldEnd - fileOffset, chunk.length));
    this.length = end;
  }

  digest(): number {
    const folded = !this.sawNonZero ? 0 : this.residue === 0 ? ONES_COMPLEMENT_MODULUS : this.residue;
    return (folded + this.length) % 2 ** 32;
  }

  private add(sum: number): void {
    if (sum !== 0) this.sawNonZero = true;
    this.residue = (this.residue + (sum % ONES_COMPLEMENT_MODULUS)) % ONES_COMPLEMENT_MODULUS;
  }
}

/** Reduce an exact partial sum modulo 0xFFFF while keeping "non-zero" visible: 0 stays 0, anything else lands in [0xFFFF, 0x1FFFE). */
function reduce(sum: number): number {
  return sum === 0 ? 0 : (sum % ONES_COMPLEMENT_MODULUS) + ONES_COMPLEMENT_MODULUS;
}

/**
 * The 16-bit little-endian word contributions of bytes [start, end): the byte at FILE offset p contributes
 * byte << 8·(p mod 2). The result is congruent to the exact sum modulo 0xFFFF and is 0 only if every byte is 0.
 */
function sumRange(bytes: Uint8Array, start: number, end: number): number {
  let total = 0;
  let p = start;
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % 4 === 0) {
    for (; p < end && p % 4 !== 0; p++) total += (bytes[p] ?? 0) << ((p & 1) * 8);
    const dwordCount = Math.max(0, Math.floor((end - p) / 4));
    // (p may sit at an unaligned `end` when the range is shorter than the head: no view then.)
    const dwords = dwordCount > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + p, dwordCount) : new Uint32Array(0);
    for (let blockStart = 0; blockStart < dwordCount; blockStart += BLOCK_DWORDS) {
      const blockEnd = Math.min(dwordCount, blockStart + BLOCK_DWORDS);
      let block = 0;
      for (let i = blockStart; i < blockEnd; i++) block += dwords[i] ?? 0;
      total += reduce(block);
    }
    p += dwordCount * 4;
  } else {
    // Unaligned memory (a Buffer slice) or a big-endian host: byte loop, reduced every block.
    let block = 0;
    let count = 0;
    for (; p < end; p++) {
      block += (bytes[p] ?? 0) << ((p & 1) * 8);
      if (++count === BLOCK_DWORDS) {
        total += reduce(block);
        block = 0;
        count = 0;
      }
    }
    total += reduce(block);
  }
  for (; p < end; p++) total += (bytes[p] ?? 0) << ((p & 1) * 8);
  return total;
}
