/**
 * `absolve export [--output FILE]` and `absolve import <FILE>`: the whole store as JSON lines
 * (schema absolve.store-export/v1, one record per line with a `type` field; blobs referenced by
 * sha256, not embedded). Export from SQLite, import into PostgreSQL, or back: the lines round-trip
 * exactly. An import runs in one transaction: all of it or nothing.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { AbsolveError } from '../../core/errors.ts';
import { exportStore, importStore, type ExportCounts, type ImportCounts } from '../../core/releases/export-records.ts';
import { wholeNumber } from '../audit-options.ts';
import { dbOption, formatOption, withStore, writeJSON, type OutputFormat, type ReleaseCommandDeps } from './release-command.ts';

export const EXPORT_SUMMARY_SCHEMA = 'absolve.export-summary/v1';
export const IMPORT_SUMMARY_SCHEMA = 'absolve.import-summary/v1';
export const GC_SCHEMA = 'absolve.gc/v1';

export type DataCommandDeps = Pick<ReleaseCommandDeps, 'openStore' | 'stdout' | 'now'> & { stdin?: NodeJS.ReadableStream };

/** Writes lines to a temporary file next to `path` and renames it into place only once complete. */
async function exportToFile(path: string, run: (writeLine: (line: string) => Promise<void>) => Promise<ExportCounts>): Promise<ExportCounts> {
  const temp = `${path}.${process.pid}.part`;
  let handle;
  try {
    handle = await open(temp, 'w');
  } catch (error) {
    throw new AbsolveError('OUTPUT_UNWRITABLE', `cannot write '${path}': ${(error as Error).message}`, { cause: error });
  }
  let buffer = '';
  const flush = async (): Promise<void> => {
    await handle.write(buffer);
    buffer = '';
  };
  try {
    const counts = await run(async (line) => {
      buffer += line;
      if (buffer.length >= 1 << 20) await flush();
    });
    await flush();
    await handle.sync();
    await handle.close();
    await rename(temp, path);
    return counts;
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Lines of a text stream, pulled on demand: the stream pauses while the import transaction works
 * (readline's 'line' events would run ahead and drop lines nobody is waiting for yet).
 */
async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  if (rest !== '') yield rest;
}

function exportCountsLine(c: ExportCounts): string {
  return `${c.records} records: ${c.products} products, ${c.releases} releases, ${c.releaseArtifacts} release files, ${c.artifacts} distinct files, ${c.certificates} certificates, ${c.findings} release findings`;
}

export function registerDataCommands(program: Command, deps: DataCommandDeps): void {
  program
    .command('export')
    .description('Write the whole store as JSON lines (one record per line; blobs referenced by sha256).')
    .addOption(dbOption())
    .option('-o, --output <file>', 'write to this file (replaced only when the export is complete) instead of stdout')
    .addOption(formatOption())
    .action(async (flags: { db?: string; output?: string; format: OutputFormat }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        if (flags.output === undefined) {
          // The lines are the output; no summary mixed into them.
          await exportStore(opened.store, async (line) => {
            if (!deps.stdout.write(line)) await once(deps.stdout, 'drain');
          });
          return;
        }
        const output = flags.output;
        const counts = await exportToFile(output, (writeLine) => exportStore(opened.store, writeLine));
        if (flags.format === 'json') writeJSON(deps, { schema: EXPORT_SUMMARY_SCHEMA, output, counts });
        else deps.stdout.write(`Exported ${exportCountsLine(counts)} from ${opened.location} to ${output}.\n`);
      });
    });

  program
    .command('import')
    .description('Add the records of an export file to the store, in one transaction; releases already stored with the same files are skipped.')
    .argument('<file>', "an 'absolve export' file ('-' reads stdin)")
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (file: string, flags: { db?: string; format: OutputFormat }) => {
      let input: NodeJS.ReadableStream;
      if (file === '-') {
        input = deps.stdin ?? process.stdin;
        input.setEncoding('utf8');
      } else {
        const stream = createReadStream(file, { encoding: 'utf8' });
        await new Promise<void>((resolve, reject) => {
          stream.once('open', () => resolve());
          stream.once('error', (error: NodeJS.ErrnoException) =>
            reject(error.code === 'ENOENT' ? new AbsolveError('PATH_NOT_FOUND', `cannot read '${file}': no such file`, { cause: error }) : new AbsolveError('IO_ERROR', `cannot read '${file}': ${error.message}`, { cause: error })),
          );
        });
        input = stream;
      }
      const counts: ImportCounts = await withStore(deps, flags.db, true, (opened) => importStore(opened.store, readLines(input)));
      if (flags.format === 'json') {
        writeJSON(deps, { schema: IMPORT_SUMMARY_SCHEMA, counts });
        return;
      }
      deps.stdout.write(
        `Imported ${counts.releases} releases (${counts.releasesSkipped} already present), ${counts.products} products, ${counts.artifacts} files, ${counts.certificates} certificates, ${counts.findings} release findings.\n`,
      );
    });

  program
    .command('gc')
    .description('Delete stored file copies (blobs) that no recorded release refers to any more, e.g. after `release remove` or `--replace`.')
    .option('--min-age <minutes>', 'keep blobs written less than this long ago: a `release add` running now may not have committed yet', wholeNumber('--min-age'), 60)
    .option('--dry-run', 'only count what would be deleted')
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (flags: { minAge: number; dryRun?: boolean; db?: string; format: OutputFormat }) => {
      const cutoff = new Date(deps.now().getTime() - flags.minAge * 60_000);
      const result = await withStore(deps, flags.db, false, async (opened) => {
        const counts = { blobs: 0, unreferenced: 0, removed: 0, bytesRemoved: 0, keptRecent: 0 };
        for await (const sha256 of opened.blobs.list()) {
          counts.blobs++;
          if (await opened.store.isArtifactReferenced(sha256)) continue;
          counts.unreferenced++;
          if (flags.dryRun === true) continue;
          const size = await opened.blobs.remove(sha256, cutoff);
          if (size === null) counts.keptRecent++;
          else {
            counts.removed++;
            counts.bytesRemoved += size;
          }
        }
        return { counts, location: opened.location };
      });
      if (flags.format === 'json') {
        writeJSON(deps, { schema: GC_SCHEMA, dryRun: flags.dryRun === true, ...result.counts });
        return;
      }
      const c = result.counts;
      deps.stdout.write(
        flags.dryRun === true
          ? `${c.unreferenced} of ${c.blobs} blobs in ${result.location} are unreferenced (dry run: nothing deleted).\n`
          : `Deleted ${c.removed} unreferenced blobs (${c.bytesRemoved} bytes) of ${c.blobs} in ${result.location}${c.keptRecent > 0 ? `; kept ${c.keptRecent} written in the last ${flags.minAge} minutes` : ''}.\n`,
      );
    });
}
