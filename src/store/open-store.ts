/**
 * Store URLs: `sqlite:PATH` (also a bare path), `postgres://…` / `postgresql://…`, and
 * `pglite:PATH` (`pglite:` alone: in memory, gone at exit). Resolution order: `--db`, then the
 * ABSOLVE_DB environment variable, then `sqlite:./.absolve/absolve.db`.
 *
 * Blobs go next to a SQLite file or PGlite folder (`<its folder>/blobs`); for a PostgreSQL
 * server into `./.absolve/blobs`; ABSOLVE_BLOBS overrides both.
 */
import { dirname, join, resolve } from 'node:path';
import { ReleaseError } from '../core/releases/errors.ts';
import type { OpenedStore, OpenStore } from '../core/releases/ports.ts';
import type { Kysely } from 'kysely';
import { FileBlobStore } from './blob-store.ts';
import { KyselyCaseStore } from './kysely-case-store.ts';
import { KyselyScanStore } from './kysely-scan-store.ts';
import type { StoreDatabase } from './schema.ts';
import { openPGliteStore, openPostgresStore, redactURL } from './postgres.ts';
import { openSQLiteStore } from './sqlite.ts';

export const DEFAULT_STORE_URL = 'sqlite:.absolve/absolve.db';
export const DEFAULT_BLOB_DIR = '.absolve/blobs';

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
      return location.dataDir === undefined ? resolve(options.cwd, DEFAULT_BLOB_DIR) : join(dirname(resolve(options.cwd, location.dataDir)), 'blobs');
    case 'postgres':
      return resolve(options.cwd, DEFAULT_BLOB_DIR);
  }
}

export function createStoreOpener(options: StoreOpenerOptions): OpenStore {
  return async (url, { create }): Promise<OpenedStore> => {
    const chosen = url ?? (options.env.ABSOLVE_DB !== undefined && options.env.ABSOLVE_DB !== '' ? options.env.ABSOLVE_DB : DEFAULT_STORE_URL);
    const location = parseStoreURL(chosen);
    let handle: { store: OpenedStore['store']; db: Kysely<StoreDatabase> };
    switch (location.kind) {
      case 'sqlite':
        handle = await openSQLiteStore(resolve(options.cwd, location.path), { create });
        break;
      case 'postgres':
        handle = await openPostgresStore(location.url);
        break;
      case 'pglite':
        handle = await openPGliteStore({ dataDir: location.dataDir === undefined ? undefined : resolve(options.cwd, location.dataDir), create });
        break;
    }
    const { store } = handle;
    return { store, scans: new KyselyScanStore(handle.db), cases: new KyselyCaseStore(handle.db), blobs: new FileBlobStore(blobDirFor(location, options)), location: describeLocation(location) };
  };
}
