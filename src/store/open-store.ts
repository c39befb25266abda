/**
 * Store URLs: `sqlite:PATH` (also a bare path), `postgres://…` / `postgresql://…`, and
 * `pglite:PATH` (`pglite:` alone: in memory, gone at exit). Resolution order: `--db`, then the
 * ABSOLVE_DB environment variable, then `sqlite:./.absolve/absolve.db`.
 *
 * Blobs have one place per store, whatever folder a command runs in: next to a SQLite file or PGlite folder
 * (`<its folder>/blobs`); for a PostgreSQL server (and an in-memory PGlite) the per-user data folder
 * (`$XDG_DATA_HOME/absolve/blobs`, default `~/.local/share/absolve/blobs`; `%LOCALAPPDATA%\absolve\blobs` on
 * Windows). ABSOLVE_BLOBS overrides all of them.
 *
 * A new store's folder must exist: `--db sqlite:/typo/dir/x.db` is STORE_FOLDER_MISSING, not a new folder tree,
 * unless `createFolders` (`--create`) is given or the location is the default `./.absolve/`.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ReleaseError } from '../core/releases/errors.ts';
import type { OpenedStore, OpenStore } from '../core/releases/ports.ts';
import type { Kysely } from 'kysely';
import { FileBlobStore } from './blob-store.ts';
import { KyselyEventStore } from './kysely-event-store.ts';
import { KyselyOutboxStore } from './kysely-outbox-store.ts';
import { KyselyTokenStore } from './kysely-token-store.ts';
import { KyselyCaseStore } from './kysely-case-store.ts';
import { KyselyScanStore } from './kysely-scan-store.ts';
import type { StoreDatabase } from './schema.ts';
import { openPGliteStore, openPostgresStore, redactURL } from './postgres.ts';
import { openSQLiteStore } from './sqlite.ts';

export const DEFAULT_STORE_URL = 'sqlite:.absolve/absolve.db';

/** The per-user data folder for the blobs of a PostgreSQL store. */
export function userBlobDir(env: Readonly<Record<string, string | undefined>>): string {
  const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
  if (process.platform === 'win32') return join(nonEmpty(env.LOCALAPPDATA) ?? join(homedir(), 'AppData', 'Local'), 'absolve', 'blobs');
  return join(nonEmpty(env.XDG_DATA_HOME) ?? join(nonEmpty(env.HOME) ?? homedir(), '.local', 'share'), 'absolve', 'blobs');
}

export type StoreLocation =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | undefined };

export function parseStoreURL(url: string): StoreLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new ReleaseError('STORE_URL_INVALID', 'the store URL is empty');
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch {
      throw new ReleaseError('STORE_URL_INVALID', `'${redactURL(trimmed)}' is not a valid PostgreSQL URL (postgres://user@host:port/database)`);
    }
    return { kind: 'postgres', url: trimmed };
  }
  const scheme = /^([a-z][a-z0-9+.-]+):(.*)$/i.exec(trimmed);
  if (scheme === null) return { kind: 'sqlite', path: trimmed }; // a bare path (a one-letter "scheme" is a Windows drive)
  const [, name = '', rest = ''] = scheme;
  switch (name.toLowerCase()) {
    case 'sqlite': {
      const path = rest.replace(/^\/\/(?=\/)/, ''); // sqlite:///abs/path → /abs/path
      if (path === '') throw new ReleaseError('STORE_URL_INVALID', "sqlite: needs a file path, e.g. sqlite:./.absolve/absolve.db");
      return { kind: 'sqlite', path };
    }
    case 'pglite':
      return { kind: 'pglite', dataDir: rest === '' || rest === 'memory:' ? undefined : rest.replace(/^\/\/(?=\/)/, '') };
    default:
      throw new ReleaseError('STORE_URL_INVALID', `unknown store '${name}:' in '${redactURL(trimmed)}': use sqlite:PATH, postgres://… or pglite:PATH`);
  }
}

export function describeLocation(location: StoreLocation): string {
  switch (location.kind) {
    case 'sqlite':
      return `sqlite:${location.path}`;
    case 'postgres':
      return redactURL(location.url);
    case 'pglite':
      return `pglite:${location.dataDir ?? ''}`;
  }
}

export interface StoreOpenerOptions {
  /** The environment to read ABSOLVE_DB and ABSOLVE_BLOBS from (the composition root passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths. */
  cwd: string;
}

export function blobDirFor(location: StoreLocation, options: StoreOpenerOptions): string {
  const override = options.env.ABSOLVE_BLOBS;
  if (override !== undefined && override !== '') return resolve(options.cwd, override);
  switch (location.kind) {
    case 'sqlite':
      return join(dirname(resolve(options.cwd, location.path)), 'blobs');
    case 'pglite':
      return location.dataDir === undefined ? userBlobDir(options.env) : join(dirname(resolve(options.cwd, location.dataDir)), 'blobs');
    case 'postgres':
      return userBlobDir(options.env);
  }
}

/** The database files and folders of a store (an --output must never replace them). */
function storePaths(location: StoreLocation, blobDir: string, cwd: string): { files: string[]; folders: string[] } {
  switch (location.kind) {
    case 'sqlite': {
      const db = resolve(cwd, location.path);
      return { files: [db, `${db}-wal`, `${db}-shm`, `${db}-journal`], folders: [blobDir] };
    }
    case 'pglite':
      return { files: [], folders: location.dataDir === undefined ? [blobDir] : [resolve(cwd, location.dataDir), blobDir] };
    case 'postgres':
      return { files: [], folders: [blobDir] };
  }
}

/** STORE_FOLDER_MISSING when a store would be created in a folder that does not exist. */
function requireFolder(path: string, shown: string): void {
  const folder = dirname(path);
  if (!existsSync(folder)) {
    throw new ReleaseError('STORE_FOLDER_MISSING', `the folder '${dirname(shown)}' for the store '${shown}' does not exist: create it, or pass --create to have Absolve create it`);
  }
}

export function createStoreOpener(options: StoreOpenerOptions): OpenStore {
  return async (url, { create, createFolders = false }): Promise<OpenedStore> => {
    const chosen = url ?? (options.env.ABSOLVE_DB !== undefined && options.env.ABSOLVE_DB !== '' ? options.env.ABSOLVE_DB : DEFAULT_STORE_URL);
    const location = parseStoreURL(chosen);
    // The default ./.absolve/ is Absolve's own folder: created as needed.
    const mayCreateFolders = createFolders || chosen === DEFAULT_STORE_URL;
    let handle: { store: OpenedStore['store']; db: Kysely<StoreDatabase> };
    switch (location.kind) {
      case 'sqlite': {
        const path = resolve(options.cwd, location.path);
        if (create && !mayCreateFolders && !existsSync(path)) requireFolder(path, location.path);
        handle = await openSQLiteStore(path, { create });
        break;
      }
      case 'postgres':
        handle = await openPostgresStore(location.url);
        break;
      case 'pglite':
        if (create && !mayCreateFolders && location.dataDir !== undefined && !existsSync(resolve(options.cwd, location.dataDir))) requireFolder(resolve(options.cwd, location.dataDir), location.dataDir);
        handle = await openPGliteStore({ dataDir: location.dataDir === undefined ? undefined : resolve(options.cwd, location.dataDir), create });
        break;
    }
    const { store } = handle;
    const blobDir = blobDirFor(location, options);
    return {
      store,
      scans: new KyselyScanStore(handle.db),
      events: new KyselyEventStore(handle.db),
      outbox: new KyselyOutboxStore(handle.db),
      tokens: new KyselyTokenStore(handle.db),
      cases: new KyselyCaseStore(handle.db),
      blobs: new FileBlobStore(blobDir),
      location: describeLocation(location),
      paths: storePaths(location, blobDir, options.cwd),
    };
  };
}
