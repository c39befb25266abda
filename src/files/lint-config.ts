/**
 * Reads the lint configuration: `--config FILE`, else `absolve.config.json` in the working directory when it
 * exists, else the defaults. Errors carry code CONFIG_INVALID (missing --config file, unreadable file, bad
 * JSON, invalid content) with the file name in the message.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { AbsolveError } from '../core/errors.ts';
import { readRegularFile } from './read-input.ts';
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

/**
 * The configuration document every section reads (lint, trust, scanning, alerts, gate, vendors): `--config
 * FILE`, else absolve.config.json in `cwd` when it exists (null otherwise). Regular files only, at most
 * MAX_CONFIG_BYTES, JSON with comments (JSONC). Errors are CONFIG_INVALID naming the file, except a FIFO,
 * device or oversized file, which keep their own codes (PATH_NOT_REGULAR, INPUT_TOO_LARGE).
 */
export async function readConfigDocument(options: LoadLintConfigOptions = {}): Promise<{ json: unknown; file: string; shown: string } | null> {
  const explicit = options.path !== undefined;
  const file = options.path ?? resolve(options.cwd ?? process.cwd(), DEFAULT_CONFIG_FILE);
  const shown = options.path ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = (await readRegularFile(file, 'configuration', MAX_CONFIG_BYTES)).toString('utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!explicit && code === 'PATH_NOT_FOUND') return null;
    // A FIFO, a device or a file too large keeps its own code (and never hangs or fills memory).
    if (error instanceof AbsolveError && (code === 'PATH_NOT_REGULAR' || code === 'INPUT_TOO_LARGE')) throw error;
    throw new LintConfigError(`${shown}: cannot read the configuration: ${(error as Error).message}`, { cause: error });
  }
  try {
    return { json: JSON.parse(stripJsonComments(text.replace(/^\uFEFF/, ''))) as unknown, file, shown };
  } catch (error) {
    throw new LintConfigError(`${shown}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

export async function loadLintConfig(options: LoadLintConfigOptions = {}): Promise<LoadedLintConfig> {
  const document = await readConfigDocument(options);
  if (document === null) return { config: EMPTY_LINT_CONFIG, file: null };
  const config = parseLintConfig(document.json, LINT_RULES, document.shown);
  // Trust anchor paths in the file are relative to the file, not to wherever absolve runs.
  if (config.trust !== undefined) config.trust = config.trust.map((t) => (isAbsolute(t) ? t : resolve(dirname(document.file), t)));
  return { config, file: document.shown };
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
