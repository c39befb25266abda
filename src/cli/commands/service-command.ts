/**
 * `absolve serve` and `absolve tokens create|list|revoke`.
 *
 *   serve [--port N] [--host H]          the HTTP API on the store (embedded SQLite by default)
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
}

export interface RunningServer {
  url: string;
  location: string;
  close(): Promise<void>;
}

export interface ServiceCommandDeps extends Pick<CliDeps, 'openStore' | 'now' | 'stdout' | 'stderr'> {
  /** Starts the HTTP service (the composition root builds it); resolves once it listens. */
  startServer?(options: ServeOptions): Promise<RunningServer>;
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
    .action(async (flags: { port: number; host: string; db?: string; create: boolean }) => {
      if (deps.startServer === undefined) throw new AbsolveError('USAGE', 'this build has no HTTP service');
      const server = await deps.startServer({ port: flags.port, host: flags.host, db: flags.db, createFolders: flags.create });
      deps.stderr.write(`absolve: serving ${server.url} on ${server.location} (Ctrl-C stops)\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.removeListener('SIGINT', stop);
          process.removeListener('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
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
