/**
 * `absolve export [--output FILE]` and `absolve import <FILE>`: the whole store as JSON lines
 * (schema absolve.store-export/v1, one record per line with a `type` field; blobs referenced by
 * sha256, not embedded). Export from SQLite, import into PostgreSQL, or back: the lines round-trip
 * exactly. An import runs in one transaction: all of it or nothing.
 */
import { once } from 'node:events';
import type { Command } from 'commander';
import { AbsolveError } from '../../core/errors.ts';
import { ReleaseError } from '../../core/releases/errors.ts';
import { refuseProtectedOutput, writeOutputFile } from '../safe-output.ts';
import { exportStore, importStore, type ExportCounts, type ImportCounts } from '../../core/releases/export-records.ts';
import { wholeNumber } from '../audit-options.ts';
import { createFoldersOption, dbOption, formatOption, withStore, writeJSON, type OutputFormat, type ReleaseCommandDeps } from './release-command.ts';

export const EXPORT_SUMMARY_SCHEMA = 'absolve.export-summary/v1';
export const IMPORT_SUMMARY_SCHEMA = 'absolve.import-summary/v1';
export const GC_SCHEMA = 'absolve.gc/v1';

export type DataCommandDeps = Pick<ReleaseCommandDeps, 'openStore' | 'stdout' | 'now'> & {
  stdin?: NodeJS.ReadableStream;
  /** Opens an import file as UTF-8 text: regular files only (a FIFO or device is refused with PATH_NOT_REGULAR). */
  openInputText?(path: string, what: string): Promise<NodeJS.ReadableStream>;
};

/** Longest line an import reads, in characters (the largest record is one file's audit report: kilobytes, rarely a megabyte). */
export const MAX_IMPORT_LINE_CHARS = 8 * 1024 * 1024;

/**
 * Lines of a text stream, pulled on demand: the stream pauses while the import transaction works
 * (readline's 'line' events would run ahead and drop lines nobody is waiting for yet). Linear in the input: a
 * pending line is kept as pieces and joined once (re-joining it with every chunk made one 16 MB line take 10 s),
 * and a line longer than `maxLineChars` stops the import.
 */
export async function* readLines(input: AsyncIterable<string | Buffer>, maxLineChars = MAX_IMPORT_LINE_CHARS): AsyncGenerator<string> {
  let pending: string[] = [];
  let pendingLength = 0;
  let lineNumber = 0;
  const take = (last: string): string => {
    const line = pending.length === 0 ? last : pending.join('') + last;
    pending = [];
    pendingLength = 0;
    lineNumber++;
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (pendingLength + nl - start > maxLineChars) throw tooLong(lineNumber + 1, maxLineChars);
      yield take(text.slice(start, nl));
      start = nl + 1;
    }
    if (start < text.length) {
      pending.push(text.slice(start));
      pendingLength += text.length - start;
      if (pendingLength > maxLineChars) throw tooLong(lineNumber + 1, maxLineChars);
    }
  }
  if (pendingLength > 0) yield take('');
}

function tooLong(line: number, max: number): ReleaseError {
  return new ReleaseError('IMPORT_INVALID', `line ${line}: longer than ${max} characters, more than an export record can be`);
}

function exportCountsLine(c: ExportCounts): string {
  return `${c.records} records: ${c.products} products, ${c.releases} releases, ${c.releaseArtifacts} release files, ${c.artifacts} distinct files, ${c.certificates} certificates, ${c.findings} release findings, ${c.scans} scans, ${c.events} events, ${c.cases} cases`;
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
        await refuseProtectedOutput(output, [{ files: opened.paths?.files ?? [], folders: opened.paths?.folders ?? [], describe: `the store ${opened.location}` }]);
        const counts = await writeOutputFile(output, (writeLine) => exportStore(opened.store, writeLine));
        if (flags.format === 'json') writeJSON(deps, { schema: EXPORT_SUMMARY_SCHEMA, output, counts });
        else deps.stdout.write(`Exported ${exportCountsLine(counts)} from ${opened.location} to ${output}.\n`);
      });
    });

  program
    .command('import')
    .description('Add the records of an export file to the store, in one transaction; releases already stored with the same files are skipped.')
    .argument('<file>', "an 'absolve export' file ('-' reads stdin)")
    .addOption(dbOption())
    .addOption(createFoldersOption())
    .addOption(formatOption())
    .action(async (file: string, flags: { db?: string; format: OutputFormat; create: boolean }) => {
      let input: NodeJS.ReadableStream;
      if (file === '-') {
        input = deps.stdin ?? process.stdin;
        input.setEncoding('utf8');
      } else {
        if (deps.openInputText === undefined) throw new AbsolveError('INTERNAL', 'this build cannot read import files');
        input = await deps.openInputText(file, 'import file');
      }
      const counts: ImportCounts = await withStore(deps, flags.db, true, (opened) => importStore(opened.store, readLines(input as AsyncIterable<string | Buffer>)), flags.create);
      if (flags.format === 'json') {
        writeJSON(deps, { schema: IMPORT_SUMMARY_SCHEMA, counts });
        return;
      }
      deps.stdout.write(
        `Imported ${counts.releases} releases (${counts.releasesSkipped} already present), ${counts.products} products, ${counts.artifacts} files, ${counts.certificates} certificates, ${counts.findings} release findings, ${counts.scans} scans (${counts.scansSkipped} already present) with ${counts.verdicts} verdicts, ${counts.events} events, ${counts.cases} cases (${counts.casesSkipped} already present) with ${counts.caseEvents} case events and ${counts.submissions} submissions.\n`,
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
