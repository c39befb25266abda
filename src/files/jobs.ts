import { availableParallelism } from 'node:os';

/**
 * Worker threads for an audit when --jobs is not given: one per core, at most 8. A module of its own so the
 * CLI can offer the default without loading the audit (src/app/main.ts loads that only when a command runs).
 */
export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}
