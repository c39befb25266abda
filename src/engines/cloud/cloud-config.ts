/**
 * The cloud engines' settings from environment variables (README "Scan engines: VirusTotal and
 * MetaDefender"), for the composition root: `VT_API_KEY`, `VT_API_URL`, `VT_QUOTA_PER_MINUTE`,
 * `VT_QUOTA_PER_DAY`, `VT_MONITOR_FOLDER`, `MD_API_KEY`, `MD_API_URL`, `MD_QUOTA_PER_MINUTE`,
 * `MD_QUOTA_PER_DAY`, `MD_UPLOADS_PER_DAY`. A service without its key is not configured
 * (undefined); a malformed number is a ScanError ENGINE_CONFIG_INVALID naming the variable.
 */
import { ScanError } from '../../core/scans/index.ts';
import type { MetaDefenderEngineOptions } from '../metadefender/metadefender-engine.ts';
import type { UploadPolicy, VirusTotalEngineOptions } from '../virustotal/virustotal-engine.ts';
import type { VirusTotalMonitorEngineOptions } from '../virustotal/virustotal-monitor-engine.ts';

export type Env = Readonly<Record<string, string | undefined>>;

function count(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ScanError('ENGINE_CONFIG_INVALID', `${name} must be a whole number of requests, 1 or more (got '${raw.slice(0, 40)}')`);
  return n;
}

function key(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Options for createVirusTotalEngine, or undefined without VT_API_KEY. */
export function virusTotalOptionsFromEnv(env: Env, upload: UploadPolicy): VirusTotalEngineOptions | undefined {
  const apiKey = key(env, 'VT_API_KEY');
  if (apiKey === undefined) return undefined;
  const perWindow = count(env, 'VT_QUOTA_PER_MINUTE');
  const perDay = count(env, 'VT_QUOTA_PER_DAY');
  const baseUrl = key(env, 'VT_API_URL');
  return {
    apiKey,
    upload,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    quota: { ...(perWindow === undefined ? {} : { perWindow }), ...(perDay === undefined ? {} : { perDay }), windowMs: 60_000 },
  };
}

/** Options for createVirusTotalMonitorEngine (the same key and quota as the VirusTotal engine), or undefined without VT_API_KEY. */
export function virusTotalMonitorOptionsFromEnv(env: Env, upload: UploadPolicy): VirusTotalMonitorEngineOptions | undefined {
  const options = virusTotalOptionsFromEnv(env, upload);
  if (options === undefined) return undefined;
  const folder = key(env, 'VT_MONITOR_FOLDER');
  return folder === undefined ? options : { ...options, folder };
}

/** Options for createMetaDefenderEngine, or undefined without MD_API_KEY. */
export function metaDefenderOptionsFromEnv(env: Env, upload: UploadPolicy): MetaDefenderEngineOptions | undefined {
  const apiKey = key(env, 'MD_API_KEY');
  if (apiKey === undefined) return undefined;
  const perWindow = count(env, 'MD_QUOTA_PER_MINUTE');
  const perDay = count(env, 'MD_QUOTA_PER_DAY');
  const uploadsPerDay = count(env, 'MD_UPLOADS_PER_DAY');
  const baseUrl = key(env, 'MD_API_URL');
  return {
    apiKey,
    upload,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    quota: { ...(perWindow === undefined ? {} : { perWindow }), ...(perDay === undefined ? {} : { perDay }), windowMs: 60_000 },
    ...(uploadsPerDay === undefined ? {} : { uploadsPerDay }),
  };
}
