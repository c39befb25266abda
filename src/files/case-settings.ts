/**
 * Reads the case settings (`vendors`, `submission`, `smtp`) from the configuration file: `--config
 * FILE`, else absolve.config.json in the working directory when it exists, else defaults, from the
 * same document (JSON with comments) the lint sections come from.
 */
import { EMPTY_CASE_SETTINGS, parseCaseSettings, type CaseSettings } from '../core/cases/settings.ts';
import { readConfigDocument } from './lint-config.ts';

export async function loadCaseSettings(options: { path?: string; cwd?: string } = {}): Promise<CaseSettings> {
  const document = await readConfigDocument(options);
  return document === null ? EMPTY_CASE_SETTINGS : parseCaseSettings(document.json, document.shown);
}
