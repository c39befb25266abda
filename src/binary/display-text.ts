/**
 * The one escaping function for text that reaches a terminal or a text report: file names from disk, member names
 * from archives, messages that quote them. Such names are attacker-controlled: an ESC byte starts a terminal control
 * sequence (`\e[2J` clears the screen, `\e]0;…\a` sets the window title), a newline forges a whole report row, and
 * the Unicode bidi controls make "txt.exe" read as "exe.txt" (Trojan Source, CVE-2021-42574).
 */

/**
 * C0 controls (newline and tab included), DEL, C1 controls, and the Unicode bidi/format controls that can make a
 * name read differently from what it is.
 */
export function isUnsafeDisplayCodePoint(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;
}

/**
 * Escapes unsafe code points as `\xNN` / `\u{NNNN}` (backslashes are kept as they are, so escaping twice changes
 * nothing) and, with `maxChars`, cuts the text with an ellipsis after that many UTF-16 code units.
 */
export function escapeForDisplay(text: string, maxChars?: number): string {
  const cut = maxChars !== undefined && text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  let out = '';
  for (const c of cut) {
    const code = c.codePointAt(0) ?? 0;
    if (!isUnsafeDisplayCodePoint(code)) out += c;
    else out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  }
  return out;
}
