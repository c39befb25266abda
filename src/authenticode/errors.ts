import { ParseError } from '../binary/index.ts';

/**
 * Codes of the ParseErrors thrown by `parseAuthenticodeSignature` (and by the digest helpers for a
 * layout that cannot describe a file). Stable: callers and reports branch on them.
 */
export type AuthenticodeErrorCode =
  /** Not decodable DER: truncated, bad lengths, wrong tags where the schema wants others. */
  | 'AUTHENTICODE_BAD_DER'
  /** ContentInfo.contentType is not id-signedData (1.2.840.113549.1.7.2). */
  | 'AUTHENTICODE_NOT_SIGNED_DATA'
  /** SignedData.encapContentInfo.eContentType is not SpcIndirectDataContent (1.3.6.1.4.1.311.2.1.4). */
  | 'AUTHENTICODE_NOT_SPC_INDIRECT_DATA'
  /** SpcIndirectDataContent is not { SpcAttributeTypeAndOptionalValue, DigestInfo }. */
  | 'AUTHENTICODE_BAD_INDIRECT_DATA'
  /** The DigestInfo names an algorithm other than md5/sha1/sha256/sha384/sha512. */
  | 'AUTHENTICODE_UNSUPPORTED_DIGEST'
  /** SignedData.signerInfos is empty. */
  | 'AUTHENTICODE_NO_SIGNER'
  /** More than one SignerInfo ([AUTHENTICODE]: "SignerInfos ... contains one SignerInfo structure"). */
  | 'AUTHENTICODE_MULTIPLE_SIGNERS'
  /** A SignerInfo does not follow RFC 5652 section 5.3. */
  | 'AUTHENTICODE_BAD_SIGNER_INFO'
  /** An embedded certificate is not an RFC 5280 Certificate. */
  | 'AUTHENTICODE_BAD_CERTIFICATE'
  /** An RFC 3161 token or an Authenticode countersignature is not well formed. */
  | 'AUTHENTICODE_BAD_TIMESTAMP'
  /** A trust anchor passed to the verifier is not a DER certificate. */
  | 'AUTHENTICODE_BAD_TRUST_ANCHOR'
  /** The AuthenticodeLayout cannot describe a file of the given size. */
  | 'AUTHENTICODE_BAD_LAYOUT'
  /** A nesting depth or element count is above its limit (see limits in parse.ts). */
  | 'LIMIT_EXCEEDED';

export function authenticodeError(code: AuthenticodeErrorCode, message: string, offset?: number, cause?: unknown): ParseError<AuthenticodeErrorCode> {
  const options: { offset?: number; cause?: unknown } = {};
  if (offset !== undefined && offset >= 0) options.offset = offset;
  if (cause !== undefined) options.cause = cause;
  return new ParseError<AuthenticodeErrorCode>(code, message, options);
}

/**
 * Runs `fn` and lets only ParseErrors out: anything else thrown by a bug or by a library on hostile
 * input (TypeError, RangeError, stack overflow) becomes a ParseError with `code` and the original as
 * its cause.
 */
export function guardParse<T>(code: AuthenticodeErrorCode, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ParseError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw authenticodeError(code, `${what}: ${detail}`, undefined, error);
  }
}

/**
 * Like guardParse, and also re-labels the generic AUTHENTICODE_BAD_DER of a sub-structure with a more
 * specific code (e.g. AUTHENTICODE_BAD_CERTIFICATE); other ParseError codes (LIMIT_EXCEEDED) pass through.
 */
export function recode<T>(code: AuthenticodeErrorCode, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ParseError) {
      if (error.code !== 'AUTHENTICODE_BAD_DER') throw error;
      throw authenticodeError(code, `${what}: ${error.message}`, error.offset, error);
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw authenticodeError(code, `${what}: ${detail}`, undefined, error);
  }
}
