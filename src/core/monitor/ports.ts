/**
 * The detection-change events port: events are rows with a stable id (scan + file + adapter), so
 * recording a round twice adds nothing and every reader (CLI, alerts, dashboard) sees one history.
 */
import type { DetectionEvent, DetectionEventKind } from './detection-events.ts';

export interface EventQuery {
  /** Events at or after this ISO time. */
  since?: string;
  sha256?: string;
  kinds?: readonly DetectionEventKind[];
  /**
   * Events of any of these files (the timeline of a release). An adapter may read a long list in chunks
   * (bound parameters are limited); with `limit`, the newest/oldest `limit` of all of them. An empty list matches nothing.
   */
  sha256In?: readonly string[];
  /** Newest first (at, then id, descending) instead of oldest first; with `limit`, the newest `limit` events. */
  newestFirst?: boolean;
  limit?: number;
}

export interface EventStore {
  /** Adds events; an event whose id is stored already is left alone. Returns the ids that were new. */
  recordEvents(events: readonly DetectionEvent[]): Promise<string[]>;
  /** Oldest first (by at, then id), or newest first with `newestFirst`. */
  listEvents(query: EventQuery): Promise<DetectionEvent[]>;
}
