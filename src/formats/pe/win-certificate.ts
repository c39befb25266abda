/**
 * The attribute certificate table: a list of WIN_CERTIFICATE entries.
 *
 * [PECOFF] "The Attribute Certificate Table (Image Only)":
 *   typedef struct _WIN_CERTIFICATE {
 *     DWORD dwLength;          // length of the entry including this 8-byte header
 *     WORD  wRevision;         // WIN_CERT_REVISION_2_0 = 0x0200 (0x0100 is legacy)
 *     WORD  wCertificateType;  // WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002 for Authenticode
 *     BYTE  bCertificate[ANYSIZE_ARRAY];
 *   } WIN_CERTIFICATE;
 * "Each attribute certificate entry ... is quadword (8-byte) aligned": the next entry starts at
 * dwLength rounded up to a multiple of 8, and the table ends with zero padding.
 */
import { ByteView, ParseError } from '../../binary/index.ts';
import type { PEErrorCode, WinCertificate } from './pe.types.ts';

export const WIN_CERT_REVISION_1_0 = 0x0100;
export const WIN_CERT_REVISION_2_0 = 0x0200;
export const WIN_CERT_TYPE_X509 = 0x0001;
export const WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002;
export const WIN_CERT_TYPE_TS_STACK_SIGNED = 0x0004;
/** Real files carry one entry (nested signatures live inside the PKCS#7); a few more are tolerated. */
export const MAX_WIN_CERTIFICATE_COUNT = 16;
const HEADER_SIZE_BYTES = 8;
const ALIGNMENT_BYTES = 8;

function fail(message: string, offset: number): never {
  throw new ParseError<PEErrorCode>('PE_BAD_CERTIFICATE_TABLE', message, { offset });
}

/**
 * Split the certificate table (the bytes at the security directory's file offset, `size` long) into its
 * entries. `offset` of each entry is relative to `tableBytes`. Revision and type are returned as stored:
 * the caller decides what it accepts. Throws ParseError('PE_BAD_CERTIFICATE_TABLE') on a structurally
 * broken table (entry length below 8 or past the table, non-zero trailing bytes, too many entries).
 */
export function parseWinCertificates(tableBytes: Uint8Array): WinCertificate[] {
  const view = new ByteView(tableBytes, 'PE_BAD_CERTIFICATE_TABLE');
  const certificates: WinCertificate[] = [];
  let offset = 0;
  while (offset < view.length) {
    const remaining = view.length - offset;
    if (remaining < HEADER_SIZE_BYTES) {
      // Only alignment padding may follow the last entry.
      if (view.slice(offset, remaining).some((b) => b !== 0)) fail(`${remaining} non-zero trailing byte(s) after the last WIN_CERTIFICATE`, offset);
      break;
    }
    const length = view.u32(offset, 'dwLength');
    if (length === 0 && view.slice(offset, remaining).every((b) => b === 0)) break; // zero padding up to the table end
    if (length < HEADER_SIZE_BYTES) fail(`WIN_CERTIFICATE dwLength ${length} is smaller than its own 8-byte header`, offset);
    if (length > remaining) fail(`WIN_CERTIFICATE dwLength ${length} runs past the end of the table (${remaining} bytes left)`, offset);
    if (certificates.length >= MAX_WIN_CERTIFICATE_COUNT) fail(`more than ${MAX_WIN_CERTIFICATE_COUNT} WIN_CERTIFICATE entries`, offset);
    certificates.push({
      offset,
      length,
      revision: view.u16(offset + 4, 'wRevision'),
      certificateType: view.u16(offset + 6, 'wCertificateType'),
      certificate: view.slice(offset + HEADER_SIZE_BYTES, length - HEADER_SIZE_BYTES, 'bCertificate'),
    });
    offset += Math.ceil(length / ALIGNMENT_BYTES) * ALIGNMENT_BYTES;
  }
  if (certificates.length === 0) fail('the certificate table holds no WIN_CERTIFICATE entry', 0);
  return certificates;
}
