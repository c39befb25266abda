import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AbsolveError } from '../core/errors.ts';
import { matchesGlob } from '../core/lint/index.ts';

/** Absolve's own data folder (release store database and blobs): never part of a release, so never walked into. */
export const DATA_FOLDER = '.absolve';

export interface WalkOptions {
  /** Glob patterns (absolve.config.json syntax) of paths to leave out. */
  exclude?: readonly string[];
}

const GLOB_CHARS = /[*?]/;

export interface WalkedFile {
  /** Path for the report: the input as given, joined with the relative path below it. */
  displayPath: string;
  /** Path to open. */
  fsPath: string;
}

/**
 * Expands the command-line inputs into files, depth-first in name order so reports are stable.
 * Symbolic links to files are followed; links to folders are not (no cycles, no escaping the release).
 * An input that does not exist but holds `*` or `?` is a glob, expanded here because Windows shells
 * pass `dist/*.exe` through unexpanded. Folders named `.absolve` (the release store) are skipped unless
 * given directly, and paths matching an `exclude` pattern are left out.
 */
export async function walkInputs(inputs: readonly string[], options: WalkOptions = {}): Promise<WalkedFile[]> {
  const files: WalkedFile[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      if (GLOB_CHARS.test(input)) {
        const matched = await expandGlob(input);
        if (matched.length > 0) {
          files.push(...matched);
          continue;
        }
        throw new AbsolveError('PATH_NOT_FOUND', `no file matches '${input}'`, { cause: error });
      }
      throw new AbsolveError('PATH_NOT_FOUND', `cannot read '${input}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`, { cause: error });
    }
    if (info.isDirectory()) await walkFolder(input, files);
    else files.push({ displayPath: input, fsPath: input });
  }
  const exclude = options.exclude ?? [];
  return exclude.length === 0 ? files : files.filter((f) => !exclude.some((pattern) => matchesGlob(f.displayPath, pattern)));
}

/** The files under the glob's fixed leading folders whose path matches it, in name order. */
async function expandGlob(pattern: string): Promise<WalkedFile[]> {
  const normalized = pattern.replaceAll('\\', '/');
  const segments = normalized.split('/');
  const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
  const base = segments.slice(0, firstGlob).join('/');
  const found: WalkedFile[] = [];
  try {
    await walkFolder(base === '' ? '.' : base, found);
  } catch {
    return [];
  }
  // Shells expand `*` within one folder: `*.exe` names files of the current folder only, not below it.
  const oneFolder = !normalized.includes('/');
  return found.filter((f) => {
    const path = f.displayPath.replaceAll('\\', '/');
    return (!oneFolder || !path.includes('/')) && matchesGlob(path, normalized);
  });
}

async function walkFolder(folder: string, out: WalkedFile[]): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(folder)).sort();
  } catch (error) {
    throw new AbsolveError('IO_ERROR', `cannot list folder '${folder}': ${(error as Error).message}`, { cause: error });
  }
  for (const name of names) {
    const path = join(folder, name);
    const link = await lstat(path);
    if (link.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile() === true) out.push({ displayPath: path, fsPath: path });
      continue;
    }
    if (link.isDirectory()) {
      if (name !== DATA_FOLDER) await walkFolder(path, out);
    }
    else if (link.isFile()) out.push({ displayPath: path, fsPath: path });
  }
}
