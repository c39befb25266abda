/** The cases board (one column per state, due follow-ups first) and one case with its detection and submission package. */
import { useState, type CSSProperties, type ReactNode } from 'react';
import { api, ApiError, type CaseState, type CaseView } from '../api.ts';
import { href } from '../router.ts';
import { Badge, baseName, ErrorBox, formatDate, formatTime, kindLabel, PageHeader, Show } from '../ui.tsx';
import { useData } from '../use-data.ts';
import { useCanWrite } from '../session.ts';

const COLUMNS: Array<{ state: CaseState; title: string }> = [
  { state: 'new', title: 'New' },
  { state: 'submitted', title: 'Submitted' },
  { state: 'acknowledged', title: 'Acknowledged' },
  { state: 'no-response', title: 'No response' },
  { state: 'rejected', title: 'Rejected' },
  { state: 'resolved', title: 'Resolved' },
];

/** The actions the dashboard offers (the others stay with `absolve cases update`). */
const ACTIONS: Array<{ state: CaseState; label: string; short: string }> = [
  { state: 'submitted', label: 'Mark submitted', short: 'submitted' },
  { state: 'acknowledged', label: 'Mark acknowledged', short: 'acknowledged' },
  { state: 'resolved', label: 'Mark resolved', short: 'resolved' },
];

function CaseActions({ item, onDone }: { item: CaseView; onDone: (message: string) => void }): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canWrite = useCanWrite();
  const available = ACTIONS.filter((a) => item.next.includes(a.state));
  if (available.length === 0) return null;
  if (!canWrite) return <p className="small muted">Read-only token: sign in with a write token to update cases.</p>;
  async function act(state: CaseState): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await api.setCaseState(item.id, state, item.state);
      onDone(`Case #${item.id} is now ${state}.`);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 403 ? 'This token is read-only: sign in with a write token to act.' : e instanceof Error ? e.message : 'the change failed');
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="actions">
      <span className="small muted" aria-hidden="true">
        Mark
      </span>
      {available.map((a) => (
        <button key={a.state} type="button" className="button button-small" disabled={busy} onClick={() => void act(a.state)} aria-label={`${a.label}: case ${item.id}`}>
          {a.short}
        </button>
      ))}
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function detectionLink(k: CaseView): string | null {
  return k.kind === 'false-positive' ? href.file(k.release.product, k.release.version, k.subject) : null;
}

function CaseCard({ item, onDone }: { item: CaseView; onDone: (message: string) => void }): ReactNode {
  const link = detectionLink(item);
  return (
    <li className={`card case-card${item.overdue ? ' overdue' : ''}`} data-case-id={item.id}>
      <div className="case-head">
        <a href={href.case(item.id)} className="case-title">
          #{item.id} {item.vendor}
        </a>
        {item.overdue && <Badge tone="bad">follow-up due</Badge>}
      </div>
      <div className="small">
        {item.path === null ? item.summary : <span className="path">{baseName(item.path)}</span>} · <a href={href.release(item.release.product, item.release.version)}>{item.release.product} {item.release.version}</a>
      </div>
      <div className="small muted names" title={item.detections.map((d) => `${d.engine}: ${d.result ?? d.category}`).join('\n')}>
        {item.detections.map((d) => d.result ?? d.category).slice(0, 2).join('; ')}
        {item.detections.length > 2 ? ` +${item.detections.length - 2}` : ''}
      </div>
      <div className="small links">
        {link !== null && <a href={link}>Detection</a>}
        <a href={`${href.case(item.id)}`}>Package</a>
        {item.dueAt !== null && <span className={item.overdue ? 'bad' : 'muted'}>due {formatDate(item.dueAt)}</span>}
      </div>
      <CaseActions item={item} onDone={onDone} />
    </li>
  );
}

export function CasesPage(): ReactNode {
  const [data, reload] = useData(() => api.cases(), 'cases');
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string): void => {
    setNotice(message);
    reload();
  };
  return (
    <section>
      <PageHeader title="Cases">
        <p className="muted">False-positive reports to vendors, from detection to answer.</p>
      </PageHeader>
      <p className="notice" role="status" aria-live="polite">
        {notice ?? ''}
      </p>
      <Show data={data} what="the cases">
        {({ cases }) => {
          const due = cases.filter((k) => k.overdue);
          return (
            <>
              {due.length > 0 && (
                <div className="card due-box">
                  <h2>Follow-ups due</h2>
                  <ul className="plain-list">
                    {due.map((k) => (
                      <li key={k.id}>
                        <a href={href.case(k.id)}>
                          #{k.id} {k.vendor}
                        </a>{' '}
                        — {k.state} since {formatDate(k.submittedAt)}, answer was due {formatDate(k.dueAt)}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {cases.length === 0 ? (
                <div className="empty">No case yet. Open cases from a scanned release with <code>absolve cases open --release product@version</code>.</div>
              ) : (
                <div className="board" style={{ '--cols': COLUMNS.map((col) => (cases.some((k) => k.state === col.state) ? 'minmax(0, 1.35fr)' : 'minmax(0, 0.75fr)')).join(' ') } as CSSProperties}>
                  {COLUMNS.map((col) => {
                    const items = cases.filter((k) => k.state === col.state);
                    return (
                      <section key={col.state} className="board-col" aria-labelledby={`col-${col.state}`} data-state={col.state}>
                        <h2 id={`col-${col.state}`}>
                          {col.title} <span className="count">{items.length}</span>
                        </h2>
                        <ul className="board-list">
                          {items.map((k) => (
                            <CaseCard key={k.id} item={k} onDone={done} />
                          ))}
                        </ul>
                      </section>
                    );
                  })}
                </div>
              )}
            </>
          );
        }}
      </Show>
    </section>
  );
}

export function CasePage({ id }: { id: number }): ReactNode {
  const [data, reload] = useData(() => api.caseDetail(id), `case ${id}`);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section>
      <PageHeader title={`Case #${id}`} crumbs={[{ label: 'Cases', href: href.cases() }]} />
      <p className="notice" role="status" aria-live="polite">
        {notice ?? ''}
      </p>
      <Show data={data} what="the case">
        {({ case: k, events, submissions, package: pkg }) => {
          const link = detectionLink(k);
          return (
            <>
              <dl className="facts">
                <div>
                  <dt>State</dt>
                  <dd>
                    <Badge tone={k.state === 'resolved' ? 'ok' : k.overdue ? 'bad' : 'info'}>{k.state}</Badge>
                    {k.overdue && <span className="bad"> follow-up due</span>}
                  </dd>
                </div>
                <div>
                  <dt>Vendor</dt>
                  <dd>{k.vendor}</dd>
                </div>
                <div>
                  <dt>Release</dt>
                  <dd>
                    <a href={href.release(k.release.product, k.release.version)}>
                      {k.release.product} {k.release.version}
                    </a>
                  </dd>
                </div>
                <div>
                  <dt>File</dt>
                  <dd className="path">{link === null ? (k.path ?? k.subject) : <a href={link}>{k.path ?? k.subject}</a>}</dd>
                </div>
                <div>
                  <dt>Opened · due</dt>
                  <dd>
                    {formatTime(k.openedAt)} · {formatTime(k.dueAt)}
                  </dd>
                </div>
                <div>
                  <dt>Reference</dt>
                  <dd>{k.reference ?? '—'}</dd>
                </div>
              </dl>
              <CaseActions
                item={k}
                onDone={(m) => {
                  setNotice(m);
                  reload();
                }}
              />

              <h2>Detections</h2>
              <ul className="plain-list">
                {k.detections.map((d) => {
                  const label = kindLabel(d.reading?.kind ?? null, d.reading?.generic ?? null);
                  return (
                    <li key={d.engine}>
                      <strong>{d.engine}</strong>: <span className="code">{d.result ?? d.category}</span> <Badge tone="muted">{label.long}</Badge>
                      {d.reading !== null && <div className="small muted">{d.reading.explanation}</div>}
                    </li>
                  );
                })}
              </ul>

              <h2 id="package">Submission package</h2>
              {pkg === null ? (
                <div className="empty">The release of this case is no longer stored.</div>
              ) : (
                <div className="card package">
                  <p>
                    For <strong>{pkg.vendorName}</strong>. Write it with <code>absolve submit {k.id} --out submissions</code> (add <code>--send</code> to mail it).
                  </p>
                  {pkg.archive !== null ? (
                    <p>
                      Archive <code>{pkg.archive.fileName}</code> ({pkg.archive.password === null ? 'no password' : `password ${pkg.archive.password}`}): {pkg.archive.members.map((m) => m.name).join(', ')}
                    </p>
                  ) : (
                    pkg.noArchiveReason !== null && <p className="muted">No archive: {pkg.noArchiveReason}</p>
                  )}
                  {pkg.forms.length > 0 && (
                    <p>
                      Web forms:{' '}
                      {pkg.forms.map((f) => (
                        <span key={f.address} className="code wrap">
                          {f.address}{' '}
                        </span>
                      ))}
                    </p>
                  )}
                  {pkg.mail !== null && (
                    <>
                      <p>
                        Email to <span className="code">{pkg.mail.to}</span>: {pkg.mail.subject}
                      </p>
                      <pre className="mail">{pkg.mail.text}</pre>
                    </>
                  )}
                  {pkg.warnings.map((w) => (
                    <p key={w} className="warn-text">
                      {w}
                    </p>
                  ))}
                </div>
              )}

              <h2>History</h2>
              <ol className="event-list">
                {events.map((e) => (
                  <li key={e.seq}>
                    <time dateTime={e.at}>{formatTime(e.at)}</time> · {e.kind}
                    {e.toState !== null && ` → ${e.toState}`}
                    {e.note !== null && <span className="muted"> ({e.note})</span>}
                  </li>
                ))}
              </ol>
              {submissions.length > 0 && (
                <>
                  <h2>Emails</h2>
                  <ul className="plain-list">
                    {submissions.map((s) => (
                      <li key={s.messageId}>
                        <span className="code">{s.messageId}</span> via {s.channel}: {s.state} {formatTime(s.sentAt)}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </Show>
      {data.state === 'error' && data.status === 404 && <ErrorBox message={`There is no case #${id}.`} />}
    </section>
  );
}
