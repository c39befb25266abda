/**
 * `absolve serve` and `absolve tokens create|list|revoke`.
 *
 *   serve [--port N] [--host H]          the HTTP API on the store (embedded SQLite by default), and its jobs
 *   serve --no-worker                    PostgreSQL only: serve HTTP and queue jobs; `absolve worker` runs them
 *   worker [--concurrency N]             PostgreSQL only: run the queued jobs (scans, monitor rounds, alerts)
 *   jobs round [--engines …]             PostgreSQL only: queue one monitor round now (what the schedule does)
 *   tokens create --role R [--name N]    prints the new token once, last on its line
 *   tokens list | tokens revoke <id>
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { newToken, TOKEN_ROLES, type TokenRole } from '../../core/access/tokens.ts';
import { AbsolveError } from '../../core/errors.ts';
import type { CliDeps } from '../program.ts';
import { printable } from '../render-scan.ts';
import { createFoldersOption, dbOption, fitColumns, withStore, writeJSON } from './release-command.ts';

export const TOKEN_SCHEMA = 'absolve.token/v1';
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeOptions {
  port: number;
  host: string;
  db: string | undefined;
  /** `--create`: the store's folder may be created. */
  createFolders: boolean;
  /** False with `--no-worker`: this process only serves HTTP and queues jobs (PostgreSQL only). */
  worker?: boolean;
  /** Monitor-artifact jobs this process runs at once. */
  concurrency?: number;
}

export const WORKER_EVENT_SCHEMA = 'absolve.worker-event/v1';

export interface WorkerCommandOptions {
  db: string | undefined;
  concurrency: number;
  config: string | undefined;
  onJob: (event: { kind: string; id: string; attempt: number; state: 'started' | 'done' | 'failed'; error?: string }) => void;
}

export interface RunningServer {
  url: string;
  location: string;
  close(): Promise<void>;
}

export interface ServiceCommandDeps extends Pick<CliDeps, 'openStore' | 'now' | 'stdout' | 'stderr'> {
  /** Starts the HTTP service (the composition root builds it); resolves once it listens. */
  startServer?(options: ServeOptions): Promise<RunningServer>;
  /** Starts taking jobs from the PostgreSQL store's queue; resolves once it works. */
  startWorker?(options: WorkerCommandOptions): Promise<{ location: string; stop(): Promise<void> }>;
  /** Queues one monitor round (PostgreSQL). */
  enqueueRound?(options: { db: string | undefined; engines: string[] | undefined }): Promise<{ jobId: string | null; location: string }>;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function concurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('--concurrency takes a whole number from 1 to 64');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('--port takes a TCP port, 0 to 65535 (0: any free port)');
  return n;
}

export function registerServiceCommands(program: Command, deps: ServiceCommandDeps): void {
  program
    .command('serve')
    .description('Serve the HTTP API (/api/v1, /health) on the store until stopped (Ctrl-C).')
    .option('--port <n>', `TCP port (default ${DEFAULT_PORT}; 0: any free port)`, port, DEFAULT_PORT)
    .option('--host <address>', `address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for every interface)`, DEFAULT_HOST)
    .addOption(dbOption())
    .addOption(createFoldersOption())
    .option('--no-worker', 'PostgreSQL only: serve HTTP and queue the jobs; `absolve worker` processes run them')
    .option('--concurrency <n>', 'files this process scans at once in monitor rounds (default 4)', concurrency, 4)
    .action(async (flags: { port: number; host: string; db?: string; create: boolean; worker: boolean; concurrency: number }) => {
      if (deps.startServer === undefined) throw new AbsolveError('USAGE', 'this build has no HTTP service');
      const server = await deps.startServer({ port: flags.port, host: flags.host, db: flags.db, createFolders: flags.create, worker: flags.worker, concurrency: flags.concurrency });
      deps.stderr.write(`absolve: serving ${server.url} on ${server.location}${flags.worker ? '' : ' (jobs left to `absolve worker`)'} (Ctrl-C stops)\n`);
      await untilStopped();
      await server.close();
    });

  program
    .command('worker')
    .description('Run the queued jobs (API scans, monitor rounds, alert deliveries) of a PostgreSQL store until stopped; run as many as needed.')
    .addOption(dbOption())
    .option('--concurrency <n>', 'files this worker scans at once (default 4)', concurrency, 4)
    .option('--config <file>', 'configuration (default: ./absolve.config.json when present)')
    .addOption(new Option('-f, --format <format>', 'output: table (a line per finished job on stderr) or json (a JSON line per job event on stdout)').choices(['table', 'json']).default('table'))
    .action(async (flags: { db?: string; concurrency: number; config?: string; format: 'table' | 'json' }) => {
      if (deps.startWorker === undefined) throw new AbsolveError('USAGE', 'this build has no job worker');
      const onJob: WorkerCommandOptions['onJob'] = (e) => {
        if (flags.format === 'json') deps.stdout.write(`${JSON.stringify({ schema: WORKER_EVENT_SCHEMA, at: deps.now().toISOString(), pid: process.pid, event: e.state, kind: e.kind, id: e.id, attempt: e.attempt, ...(e.error === undefined ? {} : { error: e.error }) })}\n`);
        else if (e.state !== 'started') deps.stderr.write(`${deps.now().toISOString()} ${e.state} ${e.kind} ${e.id}${e.attempt > 0 ? ` (attempt ${e.attempt + 1})` : ''}${e.error === undefined ? '' : `: ${printable(e.error)}`}\n`);
      };
      const worker = await deps.startWorker({ db: flags.db, concurrency: flags.concurrency, config: flags.config, onJob });
      if (flags.format === 'json') deps.stdout.write(`${JSON.stringify({ schema: WORKER_EVENT_SCHEMA, at: deps.now().toISOString(), pid: process.pid, event: 'ready', store: worker.location, concurrency: flags.concurrency })}\n`);
      else deps.stderr.write(`absolve: worker ${process.pid} taking jobs from ${worker.location} (Ctrl-C stops after the running jobs)\n`);
      await untilStopped();
      await worker.stop();
    });

  const jobs = program.command('jobs').description('The job queue of a PostgreSQL store (run by `absolve worker`).');
  jobs
    .command('round')
    .description('Queue one monitor round now (what the schedule of `absolve serve` does); workers run it.')
    .option('--engines <list>', 'comma-separated engines (default: monitor.engines in the configuration, else every configured engine)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(dbOption())
    .action(async (flags: { engines?: string; format: 'table' | 'json'; db?: string }) => {
      if (deps.enqueueRound === undefined) throw new AbsolveError('USAGE', 'this build has no job queue');
      const engines = flags.engines?.split(',').map((e) => e.trim()).filter((e) => e !== '');
      if (engines !== undefined && engines.length === 0) throw new AbsolveError('USAGE', '--engines takes a comma-separated list, e.g. virustotal');
      const r = await deps.enqueueRound({ db: flags.db, engines });
      if (flags.format === 'json') writeJSON(deps, { schema: 'absolve.job/v1', kind: 'monitor-round', id: r.jobId, store: r.location });
      else deps.stdout.write(`Queued monitor round ${r.jobId ?? '(already queued)'} on ${r.location}.\n`);
    });

  const tokens = program.command('tokens').description('API tokens of the HTTP service (stored as hashes only).');
  tokens
    .command('create')
    .description('Create a token; it is printed once, last on its line.')
    .addOption(new Option('--role <role>', 'what the token may do').choices([...TOKEN_ROLES]).makeOptionMandatory())
    .option('--name <name>', 'a name to recognise it by', 'token')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(dbOption())
    .addOption(createFoldersOption())
    .action(async (flags: { role: TokenRole; name: string; format: 'table' | 'json'; db?: string; create: boolean }) => {
      if (flags.name.length > 200 || printable(flags.name) !== flags.name) throw new AbsolveError('USAGE', '--name takes up to 200 printable characters');
      const { token, record } = newToken(flags.name, flags.role, deps.now());
      await withStore(deps, flags.db, true, (opened) => opened.tokens.saveToken(record), flags.create);
      if (flags.format === 'json') writeJSON(deps, { schema: TOKEN_SCHEMA, id: record.id, name: record.name, role: record.role, createdAt: record.createdAt, token });
      else deps.stdout.write(`Created ${record.role} token '${printable(record.name)}' (${record.id}). It is shown only now:\n${token}\n`);
    });
  tokens
    .command('list')
    .description('Tokens with their role and last use (never their text).')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(dbOption())
    .action(async (flags: { format: 'table' | 'json'; db?: string }) => {
      const list = await withStore(deps, flags.db, false, (opened) => opened.tokens.listTokens());
      const shown = list.map(({ hash: _hash, ...t }) => t);
      if (flags.format === 'json') return writeJSON(deps, { schema: 'absolve.tokens/v1', tokens: shown });
      deps.stdout.write(fitColumns(deps.stdout, ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'], shown.map((t) => [t.id, printable(t.name), t.role, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ?? '-'])));
    });
  tokens
    .command('revoke')
    .description('Revoke a token: requests with it get 401 from now on.')
    .argument('<id>')
    .addOption(dbOption())
    .action(async (id: string, flags: { db?: string }) => {
      const done = await withStore(deps, flags.db, false, (opened) => opened.tokens.revokeToken(id, deps.now().toISOString()));
      if (!done) throw new AbsolveError('USAGE', `no live token '${printable(id)}' (see 'absolve tokens list')`);
      deps.stdout.write(`Revoked ${printable(id)}.\n`);
    });
}
