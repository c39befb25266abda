/**
 * Reads the case settings (`vendors`, `submission`, `smtp`) from the configuration file: `--config
 * FILE`, else absolve.config.json in the working directory when it exists, else defaults. The
 * same file holds the lint configuration (lint-config.ts reads that part).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EMPTY_CASE_SETTINGS, parseCaseSettings, type CaseSettings } from '../core/cases/settings.ts';
import { AbsolveError } from '../core/errors.ts';
import { DEFAULT_CONFIG_FILE, MAX_CONFIG_BYTES } from './lint-config.ts';

export async function loadCaseSettings(options: { path?: string; cwd?: string } = {}): Promise<CaseSettings> {
  const file = options.path ?? resolve(options.cwd ?? process.cwd(), DEFAULT_CONFIG_FILE);
  const shown = options.path ?? DEFAULT_CONFIG_FILE;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if (options.path === undefined && (error as { code?: unknown }).code === 'ENOENT') return EMPTY_CASE_SETTINGS;
    throw new AbsolveError('CONFIG_INVALID', `${shown}: cannot read the configuration: ${(error as Error).message}`, { cause: error });
  }
  if (bytes.length > MAX_CONFIG_BYTES) throw new AbsolveError('CONFIG_INVALID', `${shown}: the file is ${bytes.length} bytes, larger than a configuration can be (${MAX_CONFIG_BYTES})`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AbsolveError('CONFIG_INVALID', `${shown}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseCaseSettings(json, shown);
}
