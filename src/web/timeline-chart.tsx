/**
 * The timeline: how many engines flag the file (or any file of the release) at each scan, as a
 * step chart (uPlot on a canvas), with the detection-change events marked where they happened
 * (VT Monitor's tags: new, increasing, decreasing, solved, swapped), and below it one lane per
 * engine showing at which scans it flagged. The "25 vendors → 1" picture of a false-positive storm
 * clearing up as submissions are answered.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import type { Timeline } from './api.ts';
import { formatTime } from './ui.tsx';

export const EVENT_COLORS: Record<string, string> = {
  'new-detections': '#c62828',
  'increasing-detections': '#e65100',
  'decreasing-detections': '#43a047',
  'solved-detections': '#1565c0',
  'swapped-detections': '#6a1b9a',
};

export const EVENT_LABELS: Record<string, string> = {
  'new-detections': 'new',
  'increasing-detections': 'increasing',
  'decreasing-detections': 'decreasing',
  'solved-detections': 'solved',
  'swapped-detections': 'swapped',
};

/** A detection-change kind as the chart marks it: its colour and short label (events feed, file page). */
export function EventKind({ kind }: { kind: string }): ReactNode {
  return (
    <span className="event-kind" style={{ borderColor: EVENT_COLORS[kind] }}>
      {EVENT_LABELS[kind] ?? kind}
    </span>
  );
}

function seconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

export function TimelineChart({ timeline, label }: { timeline: Timeline; label: string }): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const scans = timeline.scans;

  useEffect(() => {
    const el = host.current;
    if (el === null || scans.length === 0) return undefined;
    const xs = scans.map((s) => seconds(s.at));
    const flagging = scans.map((s) => s.flagging.length);
    const answered = scans.map((s) => s.answered);
    const events = timeline.events.map((e) => ({ x: seconds(e.at), kind: e.kind }));
    const maxY = Math.max(1, ...answered, ...flagging);
    const markEvents = (u: uPlot): void => {
      const { ctx } = u;
      const { top, height } = u.bbox;
      ctx.save();
      for (const e of events) {
        const x = Math.round(u.valToPos(e.x, 'x', true));
        ctx.strokeStyle = EVENT_COLORS[e.kind] ?? '#555';
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = 2 * uPlot.pxRatio;
        ctx.setLineDash([4 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.arc(x, top + 6 * uPlot.pxRatio, 5 * uPlot.pxRatio, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.restore();
    };
    const width = (): number => Math.max(280, Math.floor(el.clientWidth));
    const opts: uPlot.Options = {
      width: width(),
      height: 260,
      title: undefined,
      scales: { x: { time: true, range: (_u, min, max) => (min === max ? [min - 86_400, max + 86_400] : [min - (max - min) * 0.02, max + (max - min) * 0.04]) }, y: { range: [0, maxY + 1] } },
      series: [
        { label: 'Scan', value: (_u, v) => (v == null ? '—' : formatTime(new Date(v * 1000).toISOString())) },
        { label: 'Engines flagging', stroke: '#c62828', fill: 'rgba(198, 40, 40, 0.14)', width: 2, paths: uPlot.paths.stepped?.({ align: 1 }), points: { size: 7, fill: '#c62828' } },
        { label: 'Engines answering', stroke: '#90a4ae', width: 1.5, dash: [6, 4], paths: uPlot.paths.stepped?.({ align: 1 }), points: { show: false } },
      ],
      axes: [{ stroke: '#4a5560', grid: { stroke: '#e6e9ee' } }, { stroke: '#4a5560', grid: { stroke: '#e6e9ee' }, label: 'engines', size: 50 }],
      legend: { live: true },
      hooks: { draw: [markEvents] },
    };
    const chart = new uPlot(opts, [xs, flagging, answered], el);
    const observer = new ResizeObserver(() => chart.setSize({ width: width(), height: 260 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [scans, timeline.events]);

  if (scans.length === 0) return <div className="empty">No scan of this release yet: the timeline starts with the first scan.</div>;
  const peak = scans.reduce((a, b) => (b.flagging.length > a.flagging.length ? b : a), scans[0] ?? { flagging: [], at: '' });
  const last = scans[scans.length - 1];
  return (
    <figure className="card chart-card">
      <figcaption>
        <strong>{label}</strong>:{' '}
        {last !== undefined && (
          <span>
            {peak.flagging.length} engine{peak.flagging.length === 1 ? '' : 's'} flagging at the peak ({formatTime(peak.at)}), {last.flagging.length} at the latest scan ({formatTime(last.at)}); {scans.length} scan
            {scans.length === 1 ? '' : 's'} in all.
          </span>
        )}
      </figcaption>
      <div ref={host} className="chart-host" role="img" aria-label={`Number of engines flagging ${label} per scan`} data-testid="timeline-chart" />
      <ul className="event-legend" aria-label="Event kinds">
        {Object.entries(EVENT_LABELS).map(([kind, text]) => (
          <li key={kind}>
            <span className="swatch" style={{ background: EVENT_COLORS[kind] }} aria-hidden="true" /> {text}
          </li>
        ))}
      </ul>
      {timeline.engines.length > 0 && <EngineLanes timeline={timeline} />}
    </figure>
  );
}

/** One row per engine that ever flagged, one cell per scan: filled where the engine flagged. */
function EngineLanes({ timeline }: { timeline: Timeline }): ReactNode {
  const recent = timeline.scans.slice(-60);
  return (
    <div className="table-scroll lanes-box" tabIndex={0} role="region" aria-label="Detections per engine over the scans">
      <table className="lanes">
        <caption className="sr-only">Detections per engine per scan</caption>
        <thead>
          <tr>
            <th scope="col">Engine</th>
            {recent.map((s) => (
              <th key={s.id} scope="col" title={formatTime(s.at)}>
                {s.at.slice(5, 10)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {timeline.engines.map((engine) => (
            <tr key={engine}>
              <th scope="row">{engine}</th>
              {recent.map((s) => {
                const hit = s.flagging.includes(engine);
                return (
                  <td key={s.id} className={hit ? 'lane lane-hit' : 'lane'} title={`${engine} at ${formatTime(s.at)}: ${hit ? 'flagged' : 'not flagged'}`}>
                    <span className="sr-only">{hit ? 'flagged' : 'clean'}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
