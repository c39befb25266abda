/** Picks the container reader for the audit, in the main thread and in each worker alike. */
import { createContainerReader } from '../containers/container-reader.ts';
import { DEFAULT_CONTAINER_LIMITS } from '../containers/index.ts';
import type { ContainerLimits } from '../formats/container/container.types.ts';
import type { ContainerReader } from '../core/ports.ts';

/** Settings that cross into workers as plain data. */
export interface AuditSettings {
  /** null: do not audit the members of installers and archives (package signatures are still verified). */
  containerLimits: ContainerLimits | null;
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = { containerLimits: { ...DEFAULT_CONTAINER_LIMITS } };

/** Always a reader: with `containerLimits: null` (--no-containers) it verifies package signatures and opens nothing. */
export function containerReaderFromSettings(settings: unknown): ContainerReader {
  const limits = (settings as AuditSettings | undefined)?.containerLimits;
  return limits === null || limits === undefined ? createContainerReader(DEFAULT_CONTAINER_LIMITS, { expandMembers: false }) : createContainerReader(limits);
}

export const auditWorkerUrl = new URL(import.meta.url.endsWith('.ts') ? './audit-worker.ts' : './audit-worker.js', import.meta.url);
