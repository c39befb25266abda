/**
 * Abort handling shared by the local engines: the port promises an `AbortError` (and nothing
 * else) when the caller's signal aborts, whatever reason the caller gave.
 */

/** The error a local engine rejects with once `signal` has aborted. */
export function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The scan was aborted', reason === undefined ? undefined : { cause: reason });
  error.name = 'AbortError';
  return error;
}

/** Throws the AbortError when `signal` has already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortError(signal);
}

/** True for the error `abortError` makes (or any AbortError). */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
