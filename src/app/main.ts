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
import type { AuditSettings } from './audit-runtime.ts';
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

export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram({
    version: packageVersion(),
    walkInputs: async (inputs) => (await import('../files/walk.ts')).walkInputs(inputs),
    loadTrustAnchors: async (options) => (await import('../files/trust-store.ts')).loadTrustAnchors(options),
    auditFiles: async (files, options) => {
      const [{ auditFiles }, { auditWorkerUrl, containerReaderFromSettings }] = await Promise.all([import('../files/audit-files.ts'), import('./audit-runtime.ts')]);
      const settings: AuditSettings = { containerLimits: options.containerLimits };
      const containers = containerReaderFromSettings(settings);
      return auditFiles(files, { ...options, workerSettings: settings }, { workerUrl: auditWorkerUrl, ...(containers === undefined ? {} : { containers }) });
    },
    defaultJobs,
    openStore,
    loadLintConfig: async (options) => (await import('../files/lint-config.ts')).loadLintConfig(options),
    now: () => new Date(),
    stdout: process.stdout,
    stderr: process.stderr,
  });
  return program.run(argv);
}
