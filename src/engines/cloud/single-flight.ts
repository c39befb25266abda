/**
 * One answer per key (a SHA-256) per engine instance: concurrent and repeated scans of the same
 * bytes (the same file in two folders, a member in two containers) share one lookup, as the issue
 * asks ("one lookup per unique sha256 per scan"). A run aborted by its first caller's signal does
 * not poison the others: they start again with their own signal.
 */
import type { ScanOptions } from '../../core/scans/index.ts';
import { raceAbort } from '../quota/request-limiter.ts';
import type { CallContext } from './cloud-http.ts';

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export class SingleFlight<T> {
  private readonly answers = new Map<string, Promise<T>>();

  async run(key: string, options: ScanOptions, work: (ctx: CallContext) => Promise<T>): Promise<T> {
    for (;;) {
      let answer = this.answers.get(key);
      if (answer === undefined) {
        const started = work({ signal: options.signal, onWait: options.onWait });
        answer = started;
        this.answers.set(key, started);
        started.catch(() => {
          if (this.answers.get(key) === started) this.answers.delete(key);
        });
      }
      try {
        return await raceAbort(answer, options.signal);
      } catch (error) {
        if (isAbortError(error) && options.signal?.aborted !== true) continue;
        throw error;
      }
    }
  }
}
