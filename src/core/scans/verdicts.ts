/**
 * Building verdicts the same way in every adapter: the detection-name classifier's label is
 * attached here, and a scanner that gave no answer becomes `failure` / `timeout`, never clean.
 */
import { classifyDetection } from '../detections/index.ts';
import { AbsolveError, type ScanErrorCode } from '../errors.ts';
import type { EngineVia, Verdict, VerdictCategory } from './scan.types.ts';

/** An AbsolveError with a scan code: a configuration the user must fix before anything can be scanned. */
export class ScanError extends AbsolveError {
  constructor(code: ScanErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

export interface VerdictFields {
  engine: string;
  via: EngineVia;
  category: VerdictCategory;
  result?: string | null;
  engineVersion?: string | null;
  definitionsDate?: string | null;
  scannedAt: string;
  detail?: string;
}

/** A verdict with the classifier's label for its detection name (null when there is none). */
export function makeVerdict(fields: VerdictFields): Verdict {
  const result = fields.result === undefined || fields.result === null || fields.result === '' ? null : fields.result;
  const verdict: Verdict = {
    engine: fields.engine,
    via: fields.via,
    category: fields.category,
    result,
    engineVersion: fields.engineVersion ?? null,
    definitionsDate: fields.definitionsDate ?? null,
    scannedAt: fields.scannedAt,
    classification: result === null ? null : classifyDetection(fields.engine, result),
  };
  if (fields.detail !== undefined) verdict.detail = fields.detail;
  return verdict;
}

/** The verdict for a scanner that did not answer: `failure` (it failed) or `timeout` (it ran out of time). */
export function noAnswerVerdict(
  engine: string,
  via: EngineVia,
  category: 'failure' | 'timeout',
  detail: string,
  scannedAt: string,
): Verdict {
  return makeVerdict({ engine, via, category, scannedAt, detail });
}
