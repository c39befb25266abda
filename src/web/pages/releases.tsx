/** Releases, newest first: gate verdict with its reasons, detections that stand now, signatures, open cases. */
import type { ReactNode } from 'react';
import { api } from '../api.ts';
import { href } from '../router.ts';
import { Badge, formatTime, GateBadge, PageHeader, Show } from '../ui.tsx';
import { useData } from '../use-data.ts';

export function ReleasesPage(): ReactNode {
  const [data] = useData(() => api.releaseStatus(), 'releases');
  return (
    <section>
      <PageHeader title="Releases">
        <p className="muted">Newest first. The gate says whether a release may roll out under the server’s policy.</p>
      </PageHeader>
      <Show data={data} what="releases">
        {({ releases }) =>
          releases.length === 0 ? (
            <div className="empty">
              No release is stored yet. Record one with <code>absolve release add &lt;product&gt; &lt;version&gt; &lt;folder&gt;</code>.
            </div>
          ) : (
            <ul className="release-list" aria-label="Releases">
              {releases.map((r) => (
                <li key={`${r.product}\u0000${r.version}`} className="card release-row">
                  <div className="release-name">
                    <a href={href.release(r.product, r.version)} className="release-link">
                      {r.product} <span className="version">{r.version}</span>
                    </a>
                    <div className="muted small">
                      {r.channel} · recorded {formatTime(r.createdAt)} · {r.files} file{r.files === 1 ? '' : 's'}
                    </div>
                  </div>
                  <div className="release-gate">
                    <GateBadge pass={r.gate.pass} />
                    {r.gate.reasons.length > 0 && (
                      <ul className="reasons">
                        {r.gate.reasons.map((reason) => (
                          <li key={reason.code + reason.message}>
                            <span className="code">{reason.code}</span> {reason.message}
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                  <dl className="release-stats">
                    <div>
                      <dt>Flagged files</dt>
                      <dd className={r.detections.flaggedFiles > 0 ? 'num bad' : 'num'}>{r.detections.flaggedFiles}</dd>
                    </div>
                    <div>
                      <dt>Engines</dt>
                      <dd className={r.detections.engines.length > 0 ? 'num bad' : 'num'} title={r.detections.engines.join(', ')}>
                        {r.detections.engines.length}
                      </dd>
                    </div>
                    <div>
                      <dt>Open cases</dt>
                      <dd className="num">{r.openCases}</dd>
                    </div>
                    <div>
                      <dt>Signatures</dt>
                      <dd>
                        <Badge tone={r.signatures.invalid + r.signatures.malformed + r.signatures.unsigned > 0 ? 'warn' : 'ok'}>
                          {r.signatures.valid} valid
                          {r.signatures.unsigned > 0 ? `, ${r.signatures.unsigned} unsigned` : ''}
                          {r.signatures.invalid + r.signatures.malformed > 0 ? `, ${r.signatures.invalid + r.signatures.malformed} bad` : ''}
                        </Badge>
                      </dd>
                    </div>
                  </dl>
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </section>
  );
}
