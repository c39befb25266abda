import { lstat, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { AbsolveError } from '../core/errors.ts';
import { couldHoldCode } from '../core/audit-tree.ts';
import { describeKind } from './read-input.ts';
import type { Severity } from '../core/audit.types.ts';
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
  /**
   * Set when the entry is not audited (a dangling link, a link loop, a FIFO, a device, a socket, a link to a
   * folder): it becomes a report with this finding instead, so nothing in a release vanishes silently.
   */
  problem?: { id: string; severity: Severity; message: string };
}

/**
 * Expands the command-line inputs into files, depth-first in name order so reports are stable.
 * Symbolic links to files are followed; links to folders are not (no cycles, no escaping the release) and
 * are reported, like dangling links, link loops and special files (FIFOs, devices, sockets), which are never
 * opened: reading a FIFO blocks forever, a device never ends.
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
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file or folder' : code === 'ELOOP' ? 'a symbolic link loop' : (error as Error).message;
      throw new AbsolveError('PATH_NOT_FOUND', `cannot read '${input}': ${why}`, { cause: error });
    }
    if (info.isDirectory()) await walkFolder(input, files);
    else if (info.isFile()) files.push({ displayPath: input, fsPath: input });
    else throw new AbsolveError('PATH_NOT_REGULAR', `'${input}' is ${describeKind(info)}, not a file or folder: only regular files are audited`);
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
    // Something named like code that cannot be audited is an error (the gate fails); anything else a warning.
    const severity: Severity = couldHoldCode(path) ? 'error' : 'warning';
    if (link.isSymbolicLink()) {
      let target: Stats | undefined;
      let code: string | undefined;
      try {
        target = await stat(path);
      } catch (error) {
        code = (error as NodeJS.ErrnoException).code;
      }
      if (target?.isFile() === true) out.push({ displayPath: path, fsPath: path });
      else if (target?.isDirectory() === true) {
        out.push({ displayPath: path, fsPath: path, problem: { id: 'ABS-FILE-LINK-NOT-FOLLOWED', severity: 'warning', message: 'a symbolic link to a folder: not followed, its files were not audited (pass the folder itself to audit it)' } });
      } else if (target !== undefined) {
        out.push({ displayPath: path, fsPath: path, problem: { id: 'ABS-FILE-SPECIAL', severity, message: `a symbolic link to ${describeKind(target)}: not read` } });
      } else if (code === 'ELOOP') {
        out.push({ displayPath: path, fsPath: path, problem: { id: 'ABS-FILE-LINK-LOOP', severity, message: 'a symbolic link loop: it leads to no file, nothing was audited' } });
      } else {
        out.push({ displayPath: path, fsPath: path, problem: { id: 'ABS-FILE-DANGLING-LINK', severity, message: `a symbolic link to a missing target (${code ?? 'unreadable'}): nothing was audited` } });
      }
      continue;
    }
    if (link.isDirectory()) {
      if (name !== DATA_FOLDER) await walkFolder(path, out);
    }
    else if (link.isFile()) out.push({ displayPath: path, fsPath: path });
    else out.push({ displayPath: path, fsPath: path, problem: { id: 'ABS-FILE-SPECIAL', severity, message: `${describeKind(link)}, not a regular file: not read` } });
  }
}
