/**
 * Named limits for untrusted input, with their units. Every one can be raised from the CLI.
 */
export interface AuditLimits {
  /** PE images (headers and section data; a large overlay is not counted) up to this size are read into memory and fully parsed (imports, resources, version info). Larger ones are streamed: hashes and signature only. */
  maxParsedPEBytes: number;
  /** Largest attribute certificate table we read (real ones are a few KB; dual signatures with chains stay far below 1 MiB). */
  maxCertificateTableBytes: number;
}

export const DEFAULT_AUDIT_LIMITS: AuditLimits = {
  maxParsedPEBytes: 512 * 1024 * 1024,
  maxCertificateTableBytes: 16 * 1024 * 1024,
};

/** Bytes read per I/O call when streaming a file: big enough to amortise syscalls, small enough to stay in cache while hashed. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** Past the image, up to this many bytes are kept in memory with it; a larger overlay is only streamed. */
export const LARGE_OVERLAY_BYTES = 4 * 1024 * 1024;
