/**
 * Reads the scanning, alert and gate sections of the configuration (`--config FILE`, else
 * absolve.config.json in the working directory when it exists, else none), from the same document the
 * lint sections come from.
 */
import { EMPTY_SERVICE_SETTINGS, parseServiceSettings, type ServiceSettings } from '../core/service-settings.ts';
import { readConfigDocument } from './lint-config.ts';

export async function loadServiceSettings(options: { path?: string; cwd?: string } = {}): Promise<ServiceSettings> {
  const document = await readConfigDocument(options);
  return document === null ? EMPTY_SERVICE_SETTINGS : parseServiceSettings(document.json, document.shown);
}
