/** One release: gate, the detection matrix (files × engines), the release timeline, its cases and its audit findings. */
import { useState, type ReactNode } from 'react';
import { api, type CaseView, type Matrix, type MatrixFile, type MatrixVerdict, type ReleaseDetail } from '../api.ts';
import { TimelineChart } from '../timeline-chart.tsx';
import { href } from '../router.ts';
import { Badge, baseName, formatTime, GateBadge, kindLabel, PageHeader, Show, SignatureBadge } from '../ui.tsx';
import { useData } from '../use-data.ts';

/** Above this many files the matrix opens on the flagged ones. */
const MANY_FILES = 300;

function depthOf(path: string): number {
  return path.split('!/').length - 1;
}

function Cell({ verdict }: { verdict: MatrixVerdict | undefined }): ReactNode {
  if (verdict === undefined) return <td className="cell cell-none"><span className="sr-only">no answer</span></td>;
  if (verdict.category === 'malicious' || verdict.category === 'suspicious') {
    const label = kindLabel(verdict.kind, verdict.generic);
    const text = `${verdict.engine}: ${verdict.result ?? verdict.category} (${label.long}${verdict.generic === true ? ', generic' : ''})`;
    return (
      <td className={`cell cell-hit ${verdict.category === 'suspicious' ? 'cell-suspicious' : ''}`} title={text}>
        <span aria-hidden="true">{label.short}</span>
        <span className="sr-only">{text}</span>
      </td>
    );
  }
  const clean = verdict.category === 'undetected' || verdict.category === 'harmless';
  return (
    <td className={clean ? 'cell cell-clean' : 'cell cell-none'} title={`${verdict.engine}: ${verdict.category}`}>
      <span aria-hidden="true">{clean ? '·' : '–'}</span>
      <span className="sr-only">{verdict.category}</span>
    </td>
  );
}

export function DetectionMatrix({ matrix, product, version }: { matrix: Matrix; product: string; version: string }): ReactNode {
  const flaggingEngines = matrix.engines.filter((e) => matrix.files.some((f) => f.verdicts.some((v) => v.engine === e && (v.category === 'malicious' || v.category === 'suspicious'))));
  const [all, setAll] = useState(false);
  // A large release opens on its flagged files (and their containers): thousands of clean rows hide the few that matter.
  const [flaggedOnly, setFlaggedOnly] = useState(matrix.files.length > MANY_FILES);
  const engines = all ? matrix.engines : flaggingEngines;
  if (matrix.files.length === 0) return <div className="empty">This release has no files.</div>;
  const flaggedPaths = new Set(matrix.files.filter((f) => f.flagged > 0).map((f) => f.path));
  // The flagged files and every container above them (`a.msi!/b.cab!/c.exe` → a.msi, a.msi!/b.cab).
  const keep = new Set<string>();
  for (const p of flaggedPaths) {
    keep.add(p);
    for (let i = p.indexOf('!/'); i >= 0; i = p.indexOf('!/', i + 2)) keep.add(p.slice(0, i));
  }
  const shown = flaggedOnly ? matrix.files.filter((f) => keep.has(f.path)) : matrix.files;
  const scanned = matrix.files.some((f) => f.verdicts.length > 0);
  return (
    <div>
      <div className="toolbar">
        <p className="muted small">
          {flaggingEngines.length} of {matrix.engines.length} engine{matrix.engines.length === 1 ? '' : 's'} flag at least one file. Labels: ML machine learning, Heur heuristic, Rep reputation, Gen generic signature, PUP
          unwanted, Fam named family.
        </p>
        <div className="toolbar-buttons">
          <button type="button" className="button button-quiet" aria-pressed={flaggedOnly} onClick={() => setFlaggedOnly(!flaggedOnly)}>
            {flaggedOnly ? `All ${matrix.files.length} files` : `Only flagged files (${flaggedPaths.size})`}
          </button>
          {matrix.engines.length > flaggingEngines.length && (
            <button type="button" className="button button-quiet" aria-pressed={all} onClick={() => setAll(!all)}>
              {all ? 'Only flagging engines' : `All ${matrix.engines.length} engines`}
            </button>
          )}
        </div>
      </div>
      {!scanned && <p className="muted">Not scanned yet: run <code>absolve scan --release {product}@{version}</code>.</p>}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Detection matrix">
        <table className="matrix">
          <thead>
            <tr>
              <th scope="col" className="sticky-col">File</th>
              <th scope="col">Signature</th>
              <th scope="col" className="num">Flagged</th>
              {engines.map((e) => (
                <th key={e} scope="col" className="engine-col">
                  <span>{e}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((f: MatrixFile) => {
              const depth = depthOf(f.path);
              const byEngine = new Map(f.verdicts.map((v) => [v.engine, v]));
              return (
                <tr key={f.path} className={f.flagged > 0 ? 'row-flagged' : undefined}>
                  <th scope="row" className="sticky-col file-cell" style={{ paddingLeft: `${0.6 + depth * 1.1}rem` }}>
                    {depth > 0 && <span className="nest" aria-hidden="true">└ </span>}
                    <a href={href.file(product, version, f.sha256)} title={f.path}>
                      {baseName(f.path)}
                    </a>
                    {f.parentPath !== null && <span className="sr-only"> (in {f.parentPath})</span>}
                    {f.format !== 'pe' && f.format !== 'unknown' && <span className="fmt">{f.format}</span>}
                  </th>
                  <td className="sig-cell">
                    <SignatureBadge status={f.signature?.status ?? null} />
                    {f.signature?.signer != null && <div className="signer" title={f.signature.signer}>{cn(f.signature.signer)}</div>}
                  </td>
                  <td className={f.flagged > 0 ? 'num bad' : 'num'}>{f.flagged}</td>
                  {engines.map((e) => (
                    <Cell key={e} verdict={byEngine.get(e)} />
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The CN of a distinguished name, for compact display (the full name is in the title). */
export function cn(dn: string): string {
  return /(?:^|,)\s*CN=([^,]+)/.exec(dn)?.[1] ?? dn;
}

function Findings({ release }: { release: ReleaseDetail }): ReactNode {
  const rows = [
    ...release.findings.map((f) => ({ key: `r-${f.id}-${f.files.join()}`, id: f.id, severity: f.severity, file: f.files.join(', ') || '(release)', message: f.message, fix: null as string | null })),
    ...release.artifacts.flatMap((a) => a.findings.map((f, i) => ({ key: `${a.path}-${f.id}-${i}`, id: f.id, severity: f.severity, file: a.path, message: f.message, fix: f.fix ?? null }))),
  ];
  if (rows.length === 0) return <div className="empty">The audit found nothing to fix.</div>;
  const order = { error: 0, warning: 1, note: 2 } as Record<string, number>;
  rows.sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3));
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Audit findings">
      <table className="table findings">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Rule</th>
            <th scope="col">File</th>
            <th scope="col">Finding</th>
            <th scope="col">Fix</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>
                <Badge tone={r.severity === 'error' ? 'bad' : r.severity === 'warning' ? 'warn' : 'info'}>{r.severity}</Badge>
              </td>
              <td className="code">{r.id}</td>
              <td className="path">{r.file}</td>
              <td>{r.message}</td>
              <td>{r.fix ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CaseList({ cases }: { cases: CaseView[] }): ReactNode {
  if (cases.length === 0) return <div className="empty">No case yet. Open them with <code>absolve cases open</code>.</div>;
  return (
    <ul className="plain-list case-columns">
      {cases.map((k) => (
        <li key={k.id}>
          <a href={href.case(k.id)}>
            #{k.id} {k.vendor}
          </a>{' '}
          <Badge tone={k.state === 'resolved' ? 'ok' : k.state === 'new' ? 'warn' : 'info'}>{k.state}</Badge> <span className="muted small">{k.path ?? k.summary}</span>
        </li>
      ))}
    </ul>
  );
}

export function ReleasePage({ product, version }: { product: string; version: string }): ReactNode {
  const key = `${product}\u0000${version}`;
  const [release] = useData(() => api.release(product, version), `release ${key}`);
  const [gate] = useData(() => api.gate(product, version), `gate ${key}`);
  const [matrix] = useData(() => api.matrix(product, version), `matrix ${key}`);
  const [timeline] = useData(() => api.timeline(product, version), `timeline ${key}`);
  const [cases] = useData(() => api.cases({ product, version }), `cases ${key}`);
  return (
    <section>
      <PageHeader
        title={
          <>
            {product} <span className="version">{version}</span>
          </>
        }
        crumbs={[{ label: 'Releases', href: href.releases() }]}
      >
        <Show data={gate} what="the gate">
          {(g) => (
            <div className="gate-box">
              <GateBadge pass={g.pass} />
              {g.reasons.length === 0 ? (
                <span className="muted">Every rule of the gate policy holds.</span>
              ) : (
                <ul className="reasons">
                  {g.reasons.map((r) => (
                    <li key={r.code + r.message}>
                      <span className="code">{r.code}</span> {r.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </Show>
        <Show data={release} what="the release">
          {(r) => (
            <p className="muted small">
              {r.header.channel} · recorded {formatTime(r.header.createdAt)} · {r.header.files} files · {r.header.summary.valid} valid signatures, {r.header.summary.unsigned} unsigned
            </p>
          )}
        </Show>
      </PageHeader>

      <h2 id="matrix">Detection matrix</h2>
      <Show data={matrix} what="the detection matrix">
        {(m) => <DetectionMatrix matrix={m} product={product} version={version} />}
      </Show>

      <h2 id="timeline">Engines flagging over time</h2>
      <Show data={timeline} what="the timeline">
        {(t) => <TimelineChart timeline={t} label={`${product} ${version}, all files`} />}
      </Show>

      <div className="two-col">
        <div>
          <h2 id="cases">Cases</h2>
          <Show data={cases} what="the cases">
            {(c) => <CaseList cases={c.cases} />}
          </Show>
        </div>
      </div>

      <h2 id="findings">Audit findings</h2>
      <Show data={release} what="the audit findings">
        {(r) => <Findings release={r} />}
      </Show>
    </section>
  );
}
