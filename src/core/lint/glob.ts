// A small glob matcher for `overrides[].files` in absolve.config.json (node:path's matchesGlob is still
// experimental on Node 20 and prints a warning). Syntax:
//   `*`   any characters except `/`          `?`  one character except `/`
//   `**`  any characters including `/`; as a whole segment (`**/x`, `x/**`) it also matches no segment
//   `\`   escapes the next character
// A pattern without `/` is matched against the file name only (`*.dll` matches `a/b/c.dll`), as in .gitignore.
// Paths use `/`; Windows `\` separators and the container separator `!/` (`setup.msi!/bin/app.exe`) are read as
// `/`, and a leading `./` is ignored on both sides.
//
// Matching is dynamic programming over (pattern token, path position): O(pattern × path), no backtracking, so a
// hostile pattern cannot stall the audit.

type Token = { kind: 'char'; c: string } | { kind: 'one' } | { kind: 'star' } | { kind: 'any' } | { kind: 'anyDir' } | { kind: 'slashAny' };

export const MAX_GLOB_PATTERN_CHARS = 1024;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      tokens.push({ kind: 'char', c: pattern[++i] as string });
    } else if (c === '*' && pattern[i + 1] === '*') {
      const atSegmentStart = i === 0 || pattern[i - 1] === '/';
      i++;
      while (pattern[i + 1] === '*') i++;
      if (atSegmentStart && pattern[i + 1] === '/') {
        tokens.push({ kind: 'anyDir' }); // `**/`: zero or more whole segments
        i++;
      } else if (i + 1 === pattern.length && tokens.at(-1)?.kind === 'char' && (tokens.at(-1) as { c: string }).c === '/') {
        tokens.pop();
        tokens.push({ kind: 'slashAny' }); // trailing `/**`: the folder itself or anything below it
      } else {
        tokens.push({ kind: 'any' });
      }
    } else if (c === '*') {
      tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'one' });
    } else {
      tokens.push({ kind: 'char', c });
    }
  }
  return tokens;
}

export function normalizeGlobPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/!\//g, '/').replace(/^(?:\.\/)+/, '');
}

export function matchesGlob(path: string, pattern: string): boolean {
  const cleanPattern = pattern.replace(/\\(?=[/])/g, '/').replace(/^(?:\.\/)+/, '');
  let subject = normalizeGlobPath(path);
  if (!cleanPattern.includes('/')) subject = subject.slice(subject.lastIndexOf('/') + 1);
  const tokens = tokenize(cleanPattern);
  const n = subject.length;
  let row = new Uint8Array(n + 1);
  row[0] = 1;
  for (const t of tokens) {
    const next = new Uint8Array(n + 1);
    switch (t.kind) {
      case 'char':
        for (let j = 0; j < n; j++) if (row[j] === 1 && subject[j] === t.c) next[j + 1] = 1;
        break;
      case 'one':
        for (let j = 0; j < n; j++) if (row[j] === 1 && subject[j] !== '/') next[j + 1] = 1;
        break;
      case 'star':
        for (let j = 0; j <= n; j++) {
          if (row[j] === 1 || (j > 0 && next[j - 1] === 1 && subject[j - 1] !== '/')) next[j] = 1;
        }
        break;
      case 'any':
        for (let j = 0; j <= n; j++) if (row[j] === 1 || (j > 0 && next[j - 1] === 1)) next[j] = 1;
        break;
      case 'anyDir': {
        let reached = false;
        for (let j = 0; j <= n; j++) {
          if (row[j] === 1) next[j] = 1;
          if (j > 0 && reached && subject[j - 1] === '/') next[j] = 1;
          if (row[j] === 1) reached = true;
        }
        break;
      }
      case 'slashAny':
        for (let j = 0; j <= n; j++) {
          if (row[j] !== 1) continue;
          next[j] = 1;
          if (subject[j] === '/') next.fill(1, j + 1);
        }
        break;
    }
    row = next;
  }
  return row[n] === 1;
}
