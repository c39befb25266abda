/**
 * `absolve classify <engine> <detection-name> [--format table|json]`: explain one antivirus
 * detection name (generic or specific, ML / heuristic / reputation / PUA / family) and what helps.
 * Pure lookup, no I/O besides writing the answer; the exit code stays 0 for any name.
 */
import { Option, type Command } from 'commander';
import type { DetectionClassification } from '../../core/detections/index.ts';

export interface ClassifyCommandDeps {
  stdout: NodeJS.WritableStream;
}

interface ClassifyFlags {
  format: 'table' | 'json';
}

/** Aligned `key: value` lines; family and confidence only when the name carries them. */
export function renderClassificationTable(c: DetectionClassification): string {
  const rows: Array<[string, string]> = [
    ['engine', c.engine],
    ['kind', c.kind],
    ['generic', c.generic ? 'yes' : 'no'],
  ];
  if (c.family !== undefined) rows.push(['family', c.family]);
  if (c.confidence !== undefined) rows.push(['confidence', String(c.confidence)]);
  rows.push(['explanation', c.explanation], ['source', c.source ?? '-']);
  const width = Math.max(...rows.map(([key]) => key.length)) + 1;
  return rows.map(([key, value]) => `${`${key}:`.padEnd(width)} ${value}\n`).join('');
}

export const CLASSIFICATION_SCHEMA = 'absolve.classification/v1';

export function renderClassificationJSON(c: DetectionClassification): string {
  return `${JSON.stringify({ schema: CLASSIFICATION_SCHEMA, ...c }, null, 2)}\n`;
}

export function registerClassifyCommand(program: Command, deps: ClassifyCommandDeps): Command {
  return program
    .command('classify')
    .description('Explain an antivirus detection name: generic (ML, heuristic, reputation) or a specific family, and what usually helps.')
    .argument('<engine>', 'engine name as VirusTotal shows it (e.g. Microsoft, ESET-NOD32, "CrowdStrike Falcon")')
    .argument('<detection-name>', 'the detection name the engine reported (quote it if it contains spaces)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (engine: string, detectionName: string, flags: ClassifyFlags) => {
      // The rule table loads when the command runs, not for every `absolve` start (--help, audit).
      const { classifyDetection } = await import('../../core/detections/index.ts');
      const result = classifyDetection(engine, detectionName);
      deps.stdout.write(flags.format === 'json' ? renderClassificationJSON(result) : renderClassificationTable(result));
    });
}
