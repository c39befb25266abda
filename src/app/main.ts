/**
 * The composition root: the only module that picks concrete adapters and hands them to the CLI
 * (and, later, the server). Everything else receives what it needs as arguments.
 *
 * Adapters load when a command first uses them (dynamic import), so `--help`, `rules` or `classify` do not pay
 * for the audit engine, the containers or the store drivers.
 */
import { readFileSync } from 'node:fs';
import { createProgram } from '../cli/program.ts';
import type { OpenStore } from '../core/releases/ports.ts';
import { MICROSOFT_TRUST_BASE_URL } from '../files/trust-endpoints.ts';
import type { AuditSettings } from './audit-runtime.ts';
import type { caseDeps } from './case-runtime.ts';
import type { scanDeps } from './scan-runtime.ts';
import { defaultJobs } from '../files/jobs.ts';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The store adapters (better-sqlite3, pg, PGlite) load only for the commands that use a store: `audit` starts faster. */
const openStore: OpenStore = async (...args) => {
  const { createStoreOpener } = await import('../store/open-store.ts');
  return createStoreOpener({ env: process.env, cwd: process.cwd() })(...args);
};

/** A module loaded on first use, once. */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

type ScanDeps = ReturnType<typeof scanDeps>;
type CaseDeps = ReturnType<typeof caseDeps>;

/** The scan engines, containers and webhooks, loaded by the first command that scans (not by `--help` or `audit`). */
function lazyScanDeps(env: NodeJS.ProcessEnv): ScanDeps {
  const load = lazy(async () => (await import('./scan-runtime.ts')).scanDeps(env));
  return {
    createEngines: async (request) => (await load()).createEngines(request),
    containers: async () => (await load()).containers(),
    fileRoot: async (...args) => (await load()).fileRoot(...args),
    loadSettings: async (path) => (await load()).loadSettings(path),
    webhookSender: { post: async (...args) => (await load()).webhookSender.post(...args) },
    createMailer: (smtp) => {
      const mailer = lazy(async () => (await load()).createMailer(smtp));
      return { send: async (message) => (await mailer()).send(message), close: () => void mailer().then((m) => m.close()) };
    },
  };
}

/** The vendor directory and submission tools, loaded by the first command that uses them. */
function lazyCaseDeps(env: NodeJS.ProcessEnv): CaseDeps {
  const load = lazy(async () => (await import('./case-runtime.ts')).caseDeps(env));
  return {
    loadCaseSettings: async (options) => (await load()).loadCaseSettings(options),
    tools: {
      writeZip: async (...args) => (await load()).tools.writeZip(...args),
      composeMail: async (...args) => (await load()).tools.composeMail(...args),
      createSender: (smtp) => {
        const sender = lazy(async () => (await load()).tools.createSender(smtp));
        return {
          send: async (...args) => (await sender()).send(...args),
          close: () => void sender().then((s) => s.close()),
        };
      },
    },
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  const scan = lazyScanDeps(process.env);
  const program = createProgram({
    version: packageVersion(),
    walkInputs: async (inputs, options) => (await import('../files/walk.ts')).walkInputs(inputs, options),
    loadTrustAnchors: async (options) => (await import('../files/trust-store.ts')).loadTrustAnchors(options),
    trustStore: {
      defaultBaseUrl: process.env.ABSOLVE_TRUST_BASE_URL ?? MICROSOFT_TRUST_BASE_URL,
      update: async ({ baseUrl, onProgress }) => {
        const { defaultTrustStoreDir, updateMicrosoftTrustStore } = await import('../files/microsoft-trust-store.ts');
        return updateMicrosoftTrustStore(defaultTrustStoreDir(), baseUrl, onProgress === undefined ? {} : { onProgress });
      },
      importFrom: async ({ from, onProgress }) => {
        const { defaultTrustStoreDir, importMicrosoftTrustStore } = await import('../files/microsoft-trust-store.ts');
        return importMicrosoftTrustStore(defaultTrustStoreDir(), from, onProgress === undefined ? {} : { onProgress });
      },
      status: async () => (await import('../files/trust-store.ts')).trustStoreStatus(),
    },
    auditFiles: async (files, options) => {
      const [{ auditFiles }, { auditWorkerUrl, containerReaderFromSettings }] = await Promise.all([import('../files/audit-files.ts'), import('./audit-runtime.ts')]);
      const settings: AuditSettings = { containerLimits: options.containerLimits };
      const containers = containerReaderFromSettings(settings);
      return auditFiles(files, { ...options, workerSettings: settings }, { workerUrl: auditWorkerUrl, containers });
    },
    defaultJobs,
    openStore,
    openInputText: async (path, what) => (await import('../files/read-input.ts')).openRegularTextStream(path, what),
    loadLintConfig: async (options) => (await import('../files/lint-config.ts')).loadLintConfig(options),
    scan,
    startServer: async (options) => {
      const { startServer } = await import('./serve-runtime.ts');
      const { loadCaseSettings } = await import('../files/case-settings.ts');
      return startServer(options, { openStore, version: packageVersion(), now: () => new Date(), log: (line) => process.stderr.write(`${line}\n`), scan, loadCaseSettings });
    },
    startWorker: async (options) => {
      const { startWorker } = await import('./worker-runtime.ts');
      return startWorker(options, { openStore, version: packageVersion(), now: () => new Date(), log: (line) => process.stderr.write(`${line}\n`), scan, env: process.env });
    },
    enqueueRound: async (options) => {
      const { enqueueRound } = await import('./worker-runtime.ts');
      return enqueueRound(options, { openStore, version: packageVersion(), now: () => new Date(), log: (line) => process.stderr.write(`${line}\n`), scan, env: process.env });
    },
    cases: lazyCaseDeps(process.env),
    now: () => new Date(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
  return program.run(argv);
}
