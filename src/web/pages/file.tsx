/** One file of a release: its signature, the verdicts that stand now, the timeline chart, its events and cases. */
import type { ReactNode } from 'react';
import { api, type MatrixVerdict } from '../api.ts';
import { href } from '../router.ts';
import { EventKind, TimelineChart } from '../timeline-chart.tsx';
import { Badge, baseName, formatTime, kindLabel, PageHeader, Show, SignatureBadge } from '../ui.tsx';
import { useData } from '../use-data.ts';
import { CaseList, cn } from './release.tsx';

function isHit(v: MatrixVerdict): boolean {
  return v.category === 'malicious' || v.category === 'suspicious';
}

/** The detections in a table; the engines that found nothing, or gave no answer, named in a line each. */
function Verdicts({ verdicts }: { verdicts: MatrixVerdict[] }): ReactNode {
  const hits = verdicts.filter(isHit);
  const clean = verdicts.filter((v) => v.category === 'undetected' || v.category === 'harmless');
  const other = verdicts.filter((v) => !isHit(v) && !clean.includes(v));
  return (
    <>
      {hits.length === 0 ? (
        <div className="empty">No engine flags this file now.</div>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Detections">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Engine</th>
                <th scope="col">Verdict</th>
                <th scope="col">Detection name</th>
                <th scope="col">Reading</th>
                <th scope="col">Scanned</th>
              </tr>
            </thead>
            <tbody>
              {hits.map((v) => {
                const label = kindLabel(v.kind, v.generic);
                return (
                  <tr key={`${v.via}-${v.engine}`}>
                    <td>{v.engine}</td>
                    <td>
                      <Badge tone="bad">{v.category}</Badge>
                    </td>
                    <td className="code">{v.result ?? '—'}</td>
                    <td>
                      {label.long}
                      {v.generic === true ? ' · generic' : ''}
                    </td>
                    <td className="small nowrap">{formatTime(v.scannedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {clean.length > 0 && (
        <p className="small">
          <Badge tone="ok">clean</Badge> {clean.length} engine{clean.length === 1 ? '' : 's'}: <span className="muted">{clean.map((v) => v.engine).join(', ')}</span>
        </p>
      )}
      {other.length > 0 && (
        <p className="small">
          <Badge tone="muted">no answer</Badge> <span className="muted">{other.map((v) => `${v.engine} (${v.category})`).join(', ')}</span>
        </p>
      )}
    </>
  );
}

export function FilePage({ product, version, sha256 }: { product: string; version: string; sha256: string }): ReactNode {
  const key = `${product}\u0000${version}\u0000${sha256}`;
  const [matrix] = useData(() => api.matrix(product, version), `matrix ${key}`);
  const [timeline] = useData(() => api.timeline(product, version, sha256), `timeline ${key}`);
  const [cases] = useData(() => api.cases({ product, version }), `cases ${key}`);
  const file = matrix.state === 'ready' ? matrix.data.files.find((f) => f.sha256 === sha256) : undefined;
  const title = file === undefined ? sha256.slice(0, 12) : baseName(file.path);
  return (
    <section>
      <PageHeader
        title={title}
        crumbs={[
          { label: 'Releases', href: href.releases() },
          { label: `${product} ${version}`, href: href.release(product, version) },
        ]}
      >
        {file !== undefined && (
          <dl className="facts">
            <div>
              <dt>Path</dt>
              <dd className="path">{file.path}</dd>
            </div>
            <div>
              <dt>SHA-256</dt>
              <dd className="code wrap">{file.sha256}</dd>
            </div>
            <div>
              <dt>Signature</dt>
              <dd>
                <SignatureBadge status={file.signature?.status ?? null} /> <span title={file.signature?.signer ?? undefined}>{file.signature?.signer == null ? '' : cn(file.signature.signer)}</span>
              </dd>
            </div>
            <div>
              <dt>Engines flagging now</dt>
              <dd className={file.flagged > 0 ? 'num bad' : 'num'}>{file.flagged}</dd>
            </div>
          </dl>
        )}
      </PageHeader>
      {matrix.state === 'ready' && file === undefined && <p className="error-box">This file is not part of {product} {version}.</p>}

      <h2>Engines flagging over time</h2>
      <Show data={timeline} what="the timeline">
        {(t) => (
          <>
            <TimelineChart timeline={t} label={file === undefined ? sha256.slice(0, 12) : baseName(file.path)} />
            <h2>Detection changes</h2>
            {t.events.length === 0 ? (
              <div className="empty">No detection change recorded for this file.</div>
            ) : (
              <ol className="event-list">
                {[...t.events].reverse().map((e) => (
                  <li key={e.id}>
                    <EventKind kind={e.kind} />{' '}
                    <time dateTime={e.at}>{formatTime(e.at)}</time> · {e.via}: {e.before.length} → {e.after.length} engines
                    {e.after.length > 0 && <span className="muted"> ({e.after.join(', ')})</span>}
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </Show>

      {file !== undefined && (
        <>
          <h2>Verdicts now</h2>
          {file.verdicts.length === 0 ? (
            <div className="empty">Not scanned yet.</div>
          ) : (
            <Verdicts verdicts={file.verdicts} />
          )}
        </>
      )}

      <h2>Cases for this file</h2>
      <Show data={cases} what="the cases">
        {(c) => <CaseList cases={c.cases.filter((k) => k.subject === sha256)} />}
      </Show>
    </section>
  );
}
