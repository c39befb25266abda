/**
 * Reads the lint configuration: `--config FILE`, else `absolve.config.json` in the working directory when it
 * exists, else the defaults. Errors carry code CONFIG_INVALID (missing --config file, unreadable file, bad
 * JSON, invalid content) with the file name in the message.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { EMPTY_LINT_CONFIG, LINT_RULES, LintConfigError, parseLintConfig, type LintConfig } from '../core/lint/index.ts';

export const DEFAULT_CONFIG_FILE = 'absolve.config.json';
/** A configuration file is small; refuse anything that is clearly not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadLintConfigOptions {
  /** --config FILE; undefined = look for absolve.config.json in `cwd`. */
  path?: string;
  cwd?: string;
}

/** The configuration and the file it came from (as the user would name it), or null when the defaults apply. */
export interface LoadedLintConfig {
  config: LintConfig;
  file: string | null;
}

export async function loadLintConfig(options: LoadLintConfigOptions = {}): Promise<LoadedLintConfig> {
  const explicit = options.path !== undefined;
  const file = options.path ?? resolve(options.cwd ?? process.cwd(), DEFAULT_CONFIG_FILE);
  const shown = options.path ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.length > MAX_CONFIG_BYTES) throw new LintConfigError(`${shown}: the file is ${bytes.length} bytes, larger than a configuration can be (${MAX_CONFIG_BYTES})`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof LintConfigError) throw error;
    const code = (error as { code?: unknown }).code;
    if (!explicit && code === 'ENOENT') return { config: EMPTY_LINT_CONFIG, file: null };
    throw new LintConfigError(`${shown}: cannot read the configuration: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(stripJsonComments(text.replace(/^\uFEFF/, '')));
  } catch (error) {
    throw new LintConfigError(`${shown}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const config = parseLintConfig(json, LINT_RULES, shown);
  // Trust anchor paths in the file are relative to the file, not to wherever absolve runs.
  if (config.trust !== undefined) config.trust = config.trust.map((t) => (isAbsolute(t) ? t : resolve(dirname(file), t)));
  return { config, file: shown };
}

/**
 * JSON with comments (JSONC, as VS Code reads settings): `//` and `/* *\/` comments and trailing commas
 * before `}` or `]` are removed outside strings; everything else is left for JSON.parse to judge.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      // Keep line breaks so JSON.parse still reports the right position after a comment.
      const comment = end < 0 ? text.slice(i) : text.slice(i, end + 2);
      out += comment.replace(/[^\n]/g, ' ');
      i += comment.length;
    } else {
      out += c;
      i++;
    }
  }
  // Second pass, comments gone: drop a comma that only whitespace separates from a closing bracket (strings kept as they are).
  return out.replace(/("(?:[^"\\]|\\.)*")|,(\s*[\]}])/g, (_match, str: string | undefined, tail: string | undefined) => str ?? tail ?? '');
}
