/**
 * Text from a scanner (its output, a detection name, an error reply) is untrusted: it may carry
 * control characters (terminal escapes), be huge or span lines. Verdict fields and failure
 * details keep one bounded, printable line.
 */

/** Longest detection name kept (ClamAV and vendor names are far shorter; longer ones are cut). */
export const MAX_DETECTION_NAME_CHARS = 200;
/** Longest failure/timeout detail kept. */
export const MAX_DETAIL_CHARS = 300;

// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** One printable line of at most `maxChars` characters ("…" marks a cut). */
export function oneLine(text: string, maxChars: number = MAX_DETAIL_CHARS): string {
  const flat = text.replace(UNPRINTABLE, ' ').replace(/ {2,}/g, ' ').trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1)}…`;
}
