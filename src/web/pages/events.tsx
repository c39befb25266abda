/** The detection-change events feed, newest first (VT Monitor's tags), each linked to its file where the release is known. */
import type { ReactNode } from 'react';
import { api } from '../api.ts';
import { EVENT_COLORS, EVENT_LABELS } from '../timeline-chart.tsx';
import { formatTime, PageHeader, shortHash, Show } from '../ui.tsx';
import { useData } from '../use-data.ts';

export function EventsPage(): ReactNode {
  const [data] = useData(() => api.events(), 'events');
  return (
    <section>
      <PageHeader title="Events">
        <p className="muted">What changed between scans, per file and scanning service: new, increasing, decreasing, solved and swapped detections.</p>
      </PageHeader>
      <Show data={data} what="the events">
        {({ events }) =>
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
                  {[...events].reverse().map((e) => {
                    const added = e.after.filter((x) => !e.before.includes(x));
                    const removed = e.before.filter((x) => !e.after.includes(x));
                    return (
                      <tr key={e.id}>
                        <td className="small">
                          <time dateTime={e.at}>{formatTime(e.at)}</time>
                        </td>
                        <td>
                          <span className="event-kind" style={{ borderColor: EVENT_COLORS[e.kind] }}>
                            {EVENT_LABELS[e.kind] ?? e.kind}
                          </span>
                        </td>
                        <td className="code" title={e.sha256}>
                          {shortHash(e.sha256)}
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
