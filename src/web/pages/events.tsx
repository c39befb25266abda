/** The detection-change events feed, newest first (VT Monitor's tags), each linked to its file where the release is known. */
import type { ReactNode } from 'react';
import { api, type DetectionEvent } from '../api.ts';
import { href } from '../router.ts';
import { EventKind } from '../timeline-chart.tsx';
import { baseName, formatTime, PageHeader, shortHash, Show } from '../ui.tsx';
import { useData } from '../use-data.ts';

/** How many distinct scans are read to name the files of the events shown (newest first). */
const NAMED_SCANS = 25;
/** The feed: the last 90 days, newest 500 events. */
const FEED_DAYS = 90;
const FEED_MAX = 500;

interface NamedFile {
  product: string;
  version: string;
  path: string;
}

/** The events, newest first, with the release file each is about (from the scan that produced it), where known. */
async function loadEvents(): Promise<Array<DetectionEvent & { file: NamedFile | null }>> {
  const { events: newest } = await api.events(new Date(Date.now() - FEED_DAYS * 86_400_000).toISOString(), FEED_MAX);
  const scanIds = [...new Set(newest.map((e) => e.scanId))].slice(0, NAMED_SCANS);
  const names = new Map<string, NamedFile>();
  const scans = await Promise.all(scanIds.map((id) => api.scanFiles(id).catch(() => null)));
  for (const scan of scans) {
    if (scan === null || scan.release === null) continue;
    for (const f of scan.files) names.set(`${scan.id}\u0000${f.sha256}`, { product: scan.release.product, version: scan.release.version, path: f.path });
  }
  return newest.map((e) => ({ ...e, file: names.get(`${e.scanId}\u0000${e.sha256}`) ?? null }));
}

export function EventsPage(): ReactNode {
  const [data] = useData(loadEvents, 'events');
  return (
    <section>
      <PageHeader title="Events">
        <p className="muted">What changed between scans in the last {FEED_DAYS} days, newest first, per file and scanning service: new, increasing, decreasing, solved and swapped detections.</p>
      </PageHeader>
      <Show data={data} what="the events">
        {(events) =>
          events.length === 0 ? (
            <div className="empty">No detection change recorded yet. Events appear when a scan or monitor round sees a change.</div>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Events">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Change</th>
                    <th scope="col">File</th>
                    <th scope="col">Service</th>
                    <th scope="col">Engines</th>
                    <th scope="col">Detection names</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((e) => {
                    const added = e.after.filter((x) => !e.before.includes(x));
                    const removed = e.before.filter((x) => !e.after.includes(x));
                    return (
                      <tr key={e.id}>
                        <td className="small nowrap">
                          <time dateTime={e.at}>{formatTime(e.at)}</time>
                        </td>
                        <td>
                          <EventKind kind={e.kind} />
                        </td>
                        <td title={e.sha256}>
                          {e.file === null ? (
                            <span className="code">{shortHash(e.sha256)}</span>
                          ) : (
                            <>
                              <a href={href.file(e.file.product, e.file.version, e.sha256)}>{baseName(e.file.path)}</a>
                              <div className="small muted">
                                {e.file.product} {e.file.version}
                              </div>
                            </>
                          )}
                        </td>
                        <td>{e.via}</td>
                        <td>
                          {e.before.length} → {e.after.length}
                          {added.length > 0 && <div className="small bad">+ {added.join(', ')}</div>}
                          {removed.length > 0 && <div className="small ok-text">− {removed.join(', ')}</div>}
                        </td>
                        <td className="small">
                          {Object.entries(e.results)
                            .slice(0, 4)
                            .map(([engine, name]) => `${engine}: ${name}`)
                            .join('; ')}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </Show>
    </section>
  );
}
