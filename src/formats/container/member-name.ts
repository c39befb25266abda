/**
 * Member names come from the container and are attacker-controlled. They are only ever displayed:
 * nothing in Absolve turns a member name into a file-system path. These helpers make them safe to print
 * and say which names would be dangerous for a naive extractor (so the audit can report them).
 */
import { escapeForDisplay, isUnsafeDisplayCodePoint } from '../../binary/index.ts';

/** Longest member name (UTF-16 code units) kept for display; the rest is cut with an ellipsis. */
export const MAX_DISPLAY_NAME_CHARS = 1024;

/** Control and bidi characters: see escapeForDisplay, the one escaping function for everything printed. */
export const isUnsafeNameCodePoint = isUnsafeDisplayCodePoint;

/** Escape control and bidi characters as `\xNN` / `\u{NNNN}` and cap the length. */
export function sanitizeMemberName(name: string): string {
  return escapeForDisplay(name, MAX_DISPLAY_NAME_CHARS);
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
