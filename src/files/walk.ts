import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AbsolveError } from '../core/errors.ts';

export interface WalkedFile {
  /** Path for the report: the input as given, joined with the relative path below it. */
  displayPath: string;
  /** Path to open. */
  fsPath: string;
}

/**
 * Expands the command-line inputs into files, depth-first in name order so reports are stable.
 * Symbolic links to files are followed; links to folders are not (no cycles, no escaping the release).
 */
export async function walkInputs(inputs: readonly string[]): Promise<WalkedFile[]> {
  const files: WalkedFile[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw new AbsolveError('PATH_NOT_FOUND', `cannot read '${input}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`, { cause: error });
    }
    if (info.isDirectory()) await walkFolder(input, files);
    else files.push({ displayPath: input, fsPath: input });
  }
  return files;
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
    if (link.isDirectory()) await walkFolder(path, out);
    else if (link.isFile()) out.push({ displayPath: path, fsPath: path });
  }
}
