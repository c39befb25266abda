/**
 * Reads the lint configuration: `--config FILE`, else `absolve.config.json` in the working directory when it
 * exists, else the defaults. Errors carry code CONFIG_INVALID (missing --config file, unreadable file, bad
 * JSON, invalid content) with the file name in the message.
 */
import { resolve } from 'node:path';
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

export async function loadLintConfig(options: LoadLintConfigOptions = {}): Promise<LintConfig> {
  const explicit = options.path !== undefined;
  const file = options.path ?? resolve(options.cwd ?? process.cwd(), DEFAULT_CONFIG_FILE);
  const shown = options.path ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = (await readRegularFile(file, 'configuration', MAX_CONFIG_BYTES)).toString('utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!explicit && code === 'PATH_NOT_FOUND') return EMPTY_LINT_CONFIG;
    // A FIFO, a device or a file too large keeps its own code (and never hangs or fills memory).
    if (error instanceof AbsolveError && (code === 'PATH_NOT_REGULAR' || code === 'INPUT_TOO_LARGE')) throw error;
    throw new LintConfigError(`${shown}: cannot read the configuration: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new LintConfigError(`${shown}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseLintConfig(json, LINT_RULES, shown);
}
