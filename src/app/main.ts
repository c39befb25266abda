/**
 * The composition root: the only module that picks concrete adapters and hands them to the CLI
 * (and, later, the server). Everything else receives what it needs as arguments.
 */
import { readFileSync } from 'node:fs';
import { createProgram } from '../cli/program.ts';
import { auditFiles, defaultJobs } from '../files/audit-files.ts';
import { auditWorkerUrl, containerReaderFromSettings, type AuditSettings } from './audit-runtime.ts';
import { loadLintConfig } from '../files/lint-config.ts';
import { loadTrustAnchors, trustStoreStatus } from '../files/trust-store.ts';
import { defaultTrustStoreDir, importMicrosoftTrustStore, MICROSOFT_TRUST_BASE_URL, updateMicrosoftTrustStore } from '../files/microsoft-trust-store.ts';
import { walkInputs } from '../files/walk.ts';
import { scanDeps } from './scan-runtime.ts';
import { openRegularTextStream } from '../files/read-input.ts';
import { caseDeps } from './case-runtime.ts';
import type { OpenStore } from '../core/releases/ports.ts';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The store adapters (better-sqlite3, pg, PGlite) load only for the commands that use a store: `audit` starts faster. */
const openStore: OpenStore = async (...args) => {
  const { createStoreOpener } = await import('../store/open-store.ts');
  return createStoreOpener({ env: process.env, cwd: process.cwd() })(...args);
};

export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram({
    version: packageVersion(),
    walkInputs,
    loadTrustAnchors,
    trustStore: {
      defaultBaseUrl: process.env.ABSOLVE_TRUST_BASE_URL ?? MICROSOFT_TRUST_BASE_URL,
      update: ({ baseUrl, onProgress }) => updateMicrosoftTrustStore(defaultTrustStoreDir(), baseUrl, onProgress === undefined ? {} : { onProgress }),
      importFrom: ({ from, onProgress }) => importMicrosoftTrustStore(defaultTrustStoreDir(), from, onProgress === undefined ? {} : { onProgress }),
      status: () => trustStoreStatus(),
    },
    auditFiles: (files, options) => {
      const settings: AuditSettings = { containerLimits: options.containerLimits };
      const containers = containerReaderFromSettings(settings);
      return auditFiles(files, { ...options, workerSettings: settings }, { workerUrl: auditWorkerUrl, containers });
    },
    defaultJobs,
    openStore,
    openInputText: openRegularTextStream,
    loadLintConfig: (options) => loadLintConfig(options),
    scan: scanDeps(process.env),
    startServer: async (options) => {
      const { startServer } = await import('./serve-runtime.ts');
      return startServer(options, { openStore, version: packageVersion(), now: () => new Date(), log: (line) => process.stderr.write(`${line}\n`), scan: scanDeps(process.env) });
    },
    cases: caseDeps(process.env),
    now: () => new Date(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
  return program.run(argv);
}
