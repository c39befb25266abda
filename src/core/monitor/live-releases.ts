import { compareReleases, type ReleaseHeader } from '../releases/release.types.ts';

/**
 * The releases a monitor round rescans: per product and channel the newest recorded release (what
 * users download now). Older releases stay in the history; `absolve scan --release` still scans them.
 */
export function liveReleases(headers: readonly ReleaseHeader[]): ReleaseHeader[] {
  const newest = new Map<string, ReleaseHeader>();
  for (const h of [...headers].sort(compareReleases)) newest.set(`${h.product}\u0000${h.channel}`, h);
  return [...newest.values()].sort(compareReleases);
}
