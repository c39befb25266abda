/**
 * Member names come from the container and are attacker-controlled. They are only ever displayed:
 * nothing in Absolve turns a member name into a file-system path. These helpers make them safe to print
 * and say which names would be dangerous for a naive extractor (so the audit can report them).
 */

/** Longest member name (UTF-16 code units) kept for display; the rest is cut with an ellipsis. */
export const MAX_DISPLAY_NAME_CHARS = 1024;

/**
 * C0 controls, DEL, C1 controls, and the Unicode bidi/format controls that can make a name read differently
 * from what it is ("exe.txt" shown for "txt.exe").
 */
export function isUnsafeNameCodePoint(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;
}

/** Escape control and bidi characters as `\xNN` / `\u{NNNN}` and cap the length. */
export function sanitizeMemberName(name: string): string {
  const cut = name.length > MAX_DISPLAY_NAME_CHARS ? `${name.slice(0, MAX_DISPLAY_NAME_CHARS)}…` : name;
  let out = '';
  for (const c of cut) {
    const code = c.codePointAt(0) ?? 0;
    if (!isUnsafeNameCodePoint(code)) out += c;
    else out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  }
  return out;
}

/** Display form of a member path: backslashes become '/', as Windows extractors treat both as separators. */
export function toDisplayPath(name: string): string {
  return sanitizeMemberName(name.replace(/\\/g, '/'));
}

export type MemberPathProblem = 'absolute' | 'drive-letter' | 'unc' | 'parent-segment' | 'nul';

/**
 * Why a naive extractor would write this member outside its target folder, or undefined when the name is
 * relative and stays inside. Both '/' and '\' count as separators (Windows semantics).
 */
export function memberPathProblem(rawName: string): MemberPathProblem | undefined {
  if (rawName.includes('\u0000')) return 'nul';
  const name = rawName.replace(/\\/g, '/');
  if (name.startsWith('//')) return 'unc';
  if (name.startsWith('/')) return 'absolute';
  if (/^[A-Za-z]:/.test(name)) return 'drive-letter';
  if (name.split('/').some((segment) => segment === '..')) return 'parent-segment';
  return undefined;
}

export function describePathProblem(problem: MemberPathProblem): string {
  switch (problem) {
    case 'absolute':
      return 'an absolute path';
    case 'drive-letter':
      return 'a drive-letter path';
    case 'unc':
      return 'a UNC path';
    case 'parent-segment':
      return 'a ".." segment that climbs out of the extraction folder';
    case 'nul':
      return 'a NUL character';
  }
}
