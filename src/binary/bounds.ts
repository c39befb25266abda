import { LimitExceededError, ParseError } from './errors.ts';

/**
 * The one gate for every size or count read from untrusted bytes: it must be a non-negative
 * safe integer no larger than `maximum`. `limit` names the limit (with its unit) for the message.
 */
export function safeBound(value: number, maximum: number, limit: string, offset?: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ParseError('BAD_SIZE', `${limit}: ${value} is not a valid size`, offset === undefined ? {} : { offset });
  }
  if (value > maximum) throw new LimitExceededError(limit, value, maximum, offset);
  return value;
}

/** True when [offset, offset+length) lies inside a buffer of `size` bytes (no overflow: JS numbers). */
export function rangeInside(offset: number, length: number, size: number): boolean {
  return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= size;
}
