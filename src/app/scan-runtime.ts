/**
 * The scan engines, picked from `--engines`, the environment and the configuration: the only place
 * that knows every adapter in src/engines. An engine named but not usable (no API key, no scanner
 * installed) is a configuration error the user sees before anything is scanned.
 */
import { createContainerReader } from '../containers/container-reader.ts';
import { DEFAULT_CONTAINER_LIMITS } from '../containers/index.ts';
import type { ScanCommandDeps, EngineRequest } from '../cli/commands/scan-command.ts';
import { ScanError } from '../core/scans/verdicts.ts';
import type { ScanEngine } from '../core/scans/scan.types.ts';
import { createClamavEngine } from '../engines/clamav/clamav-engine.ts';
import { metaDefenderOptionsFromEnv, virusTotalMonitorOptionsFromEnv, virusTotalOptionsFromEnv } from '../engines/cloud/cloud-config.ts';
import { createMetaDefenderEngine } from '../engines/metadefender/metadefender-engine.ts';
import { createVirusTotalEngine } from '../engines/virustotal/virustotal-engine.ts';
import { createVirusTotalMonitorEngine } from '../engines/virustotal/virustotal-monitor-engine.ts';
import { createInstalledCommandEngine } from '../engines/command/command-engine.ts';
import { COMMAND_PRESET_NAMES } from '../engines/command/command-presets.ts';
import { createYaraEngine } from '../engines/yara/yara-engine.ts';
import { createWebhookSender } from '../alerts/webhook-sender.ts';
import { createSmtpMailer } from '../vendors/mail.ts';
import { fileSample, pathByteSource } from '../files/file-sample.ts';
import { loadServiceSettings } from '../files/service-settings.ts';

export interface EngineFactoryContext {
  request: EngineRequest;
  env: Readonly<Record<string, string | undefined>>;
}

/** One entry per engine id: `configured` says whether it runs when `--engines` is not given; `create` builds it or throws ScanError. */
export interface EngineFactory {
  id: string;
  configured(context: EngineFactoryContext): boolean;
  create(context: EngineFactoryContext): Promise<ScanEngine>;
}

/** `--upload` means `unknown`; otherwise the configuration's policy for that service, else never. */
const uploadPolicy = (request: EngineRequest, service: 'virustotal' | 'metadefender'): 'never' | 'unknown' | 'always' => (request.upload ? 'unknown' : (request.settings[service]?.upload ?? 'never'));

/** The configuration's quota for a service, over what the environment says. */
function withQuota<T extends { quota?: { perWindow?: number; windowMs?: number; perDay?: number } }>(options: T | undefined, request: EngineRequest, service: 'virustotal' | 'metadefender'): T | undefined {
  const quota = request.settings[service]?.quota;
  if (options === undefined || quota === undefined) return options;
  return { ...options, quota: { ...options.quota, ...(quota.perMinute === undefined ? {} : { perWindow: quota.perMinute, windowMs: 60_000 }), ...(quota.perDay === undefined ? {} : { perDay: quota.perDay }) } };
}

/** An engine that needs an API key it was not given. */
function missingKey(name: string, variable: string): never {
  throw new ScanError('ENGINE_CONFIG_INVALID', `${name} needs an API key: set ${variable}`);
}

export const ENGINE_FACTORIES: EngineFactory[] = [
  {
    id: 'virustotal',
    configured: ({ env }) => (env.VT_API_KEY ?? '') !== '',
    create: ({ request, env }) => Promise.resolve(createVirusTotalEngine(withQuota(virusTotalOptionsFromEnv(env, uploadPolicy(request, 'virustotal')), request, 'virustotal') ?? missingKey('VirusTotal', 'VT_API_KEY'))),
  },
  {
    // VT Monitor is for publishers who have it: only when named.
    id: 'vt-monitor',
    configured: () => false,
    create: ({ request, env }) => Promise.resolve(createVirusTotalMonitorEngine(withQuota(virusTotalMonitorOptionsFromEnv(env, uploadPolicy(request, 'virustotal')), request, 'virustotal') ?? missingKey('VT Monitor', 'VT_API_KEY'))),
  },
  {
    id: 'metadefender',
    configured: ({ env }) => (env.MD_API_KEY ?? '') !== '',
    create: ({ request, env }) => Promise.resolve(createMetaDefenderEngine(withQuota(metaDefenderOptionsFromEnv(env, uploadPolicy(request, 'metadefender')), request, 'metadefender') ?? missingKey('MetaDefender', 'MD_API_KEY'))),
  },
  {
    // ClamAV runs by default once the user points at a clamd or a signature database (a bare
    // clamscan without a database has nothing to scan with).
    id: 'clamav',
    configured: ({ request }) => request.clamd !== undefined || request.clamavDb !== undefined,
    create: ({ request }) => createClamavEngine({ ...(request.clamd === undefined ? {} : { clamd: request.clamd }), ...(request.clamavDb === undefined ? {} : { databaseDir: request.clamavDb }) }),
  },
  {
    id: 'yara',
    configured: ({ request }) => request.yaraRules.length > 0,
    create: ({ request }) => {
      if (request.yaraRules.length === 0) throw new ScanError('ENGINE_CONFIG_INVALID', 'the yara engine needs rules: pass --yara-rules <file>');
      return createYaraEngine({ rules: request.yaraRules });
    },
  },
  // Command-line scanners run only when named in --engines (they may be slow or licensed).
  ...COMMAND_PRESET_NAMES.map(
    (name): EngineFactory => ({
      id: name,
      configured: () => false,
      create: () => createInstalledCommandEngine(name),
    }),
  ),
];

export async function createEngines(request: EngineRequest, env: Readonly<Record<string, string | undefined>>): Promise<ScanEngine[]> {
  const context: EngineFactoryContext = { request, env };
  const known = new Map(ENGINE_FACTORIES.map((f) => [f.id, f]));
  if (request.engines === undefined) {
    return Promise.all(ENGINE_FACTORIES.filter((f) => f.configured(context)).map((f) => f.create(context)));
  }
  const engines: ScanEngine[] = [];
  for (const id of new Set(request.engines)) {
    const factory = known.get(id);
    if (factory === undefined) throw new ScanError('ENGINE_UNKNOWN', `unknown engine '${id}': use ${[...known.keys()].join(', ') || '(none in this build)'}`);
    engines.push(await factory.create(context));
  }
  return engines;
}

export function scanDeps(env: Readonly<Record<string, string | undefined>>): Pick<ScanCommandDeps, 'createEngines' | 'containers' | 'fileRoot' | 'loadSettings' | 'webhookSender'> & Required<Pick<ScanCommandDeps, 'createMailer'>> {
  return {
    createEngines: (request) => createEngines(request, env),
    loadSettings: (path) => loadServiceSettings(path === undefined ? {} : { path }),
    webhookSender: createWebhookSender(),
    createMailer: (smtp) => createSmtpMailer(smtp, env),
    containers: () => Promise.resolve(createContainerReader({ ...DEFAULT_CONTAINER_LIMITS })),
    fileRoot: async (fsPath, displayPath, known) => ({ path: displayPath, source: await pathByteSource(fsPath), sample: await fileSample(fsPath, displayPath, known) }),
  };
}
