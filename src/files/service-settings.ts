/**
 * Reads the scanning, alert and gate sections of the configuration (`--config FILE`, else
 * absolve.config.json in the working directory when it exists, else none). The lint sections of the
 * same file are read by lint-config.ts.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AbsolveError } from '../core/errors.ts';
import { EMPTY_SERVICE_SETTINGS, parseServiceSettings, type ServiceSettings } from '../core/service-settings.ts';
import { DEFAULT_CONFIG_FILE, MAX_CONFIG_BYTES } from './lint-config.ts';

export async function loadServiceSettings(options: { path?: string; cwd?: string } = {}): Promise<ServiceSettings> {
  const file = options.path ?? resolve(options.cwd ?? process.cwd(), DEFAULT_CONFIG_FILE);
  const shown = options.path ?? DEFAULT_CONFIG_FILE;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if (options.path === undefined && (error as { code?: unknown }).code === 'ENOENT') return EMPTY_SERVICE_SETTINGS;
    throw new AbsolveError('CONFIG_INVALID', `${shown}: cannot read the configuration: ${(error as Error).message}`, { cause: error });
  }
  if (bytes.length > MAX_CONFIG_BYTES) throw new AbsolveError('CONFIG_INVALID', `${shown}: the file is ${bytes.length} bytes, larger than a configuration can be (${MAX_CONFIG_BYTES})`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AbsolveError('CONFIG_INVALID', `${shown}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseServiceSettings(json, shown);
}
