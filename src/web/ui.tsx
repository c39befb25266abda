/** Small shared pieces: status badges, time formatting, loading and error states, detection labels. */
import type { ReactNode } from 'react';
import type { Loaded } from './use-data.ts';

export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function formatDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  return iso.slice(0, 10);
}

export function shortHash(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}

/** The last segment of a release path (a container member's own name). */
export function baseName(path: string): string {
  const member = path.lastIndexOf('!/');
  const own = member < 0 ? path : path.slice(member + 2);
  return own.slice(own.lastIndexOf('/') + 1) || path;
}

export function Badge({ tone, children, title }: { tone: 'ok' | 'bad' | 'warn' | 'info' | 'muted'; children: ReactNode; title?: string }): ReactNode {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function GateBadge({ pass }: { pass: boolean }): ReactNode {
  return <Badge tone={pass ? 'ok' : 'bad'}>{pass ? 'Gate: pass' : 'Gate: fail'}</Badge>;
}

const SIGNATURE_TONE: Record<string, 'ok' | 'bad' | 'warn' | 'muted'> = { valid: 'ok', invalid: 'bad', malformed: 'bad', untrusted: 'warn', unsigned: 'warn' };

export function SignatureBadge({ status }: { status: string | null }): ReactNode {
  if (status === null) return <Badge tone="muted">not signable</Badge>;
  return <Badge tone={SIGNATURE_TONE[status] ?? 'muted'}>{status}</Badge>;
}

/** The detection-name classifier's kinds (src/core/detections), as short labels for the matrix. */
export const KIND_LABELS: Record<string, { short: string; long: string }> = {
  ml: { short: 'ML', long: 'machine-learning verdict' },
  heuristic: { short: 'Heur', long: 'heuristic / behaviour' },
  reputation: { short: 'Rep', long: 'reputation / prevalence' },
  'generic-signature': { short: 'Gen', long: 'generic signature' },
  pup: { short: 'PUP', long: 'potentially unwanted' },
  family: { short: 'Fam', long: 'named malware family' },
  unknown: { short: '?', long: 'unrecognised name' },
};

export function kindLabel(kind: string | null, generic: boolean | null): { short: string; long: string } {
  const base = KIND_LABELS[kind ?? 'unknown'] ?? { short: '?', long: kind ?? 'unknown' };
  return generic === true && kind !== 'ml' && kind !== 'heuristic' && kind !== 'reputation' && kind !== 'generic-signature' ? { short: base.short, long: `${base.long} (generic)` } : base;
}

export function Loading({ what }: { what: string }): ReactNode {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorBox({ message }: { message: string }): ReactNode {
  return (
    <div className="error-box" role="alert">
      {message}
    </div>
  );
}

/** Renders a Loaded<T>: spinner text, the error, or the content. */
export function Show<T>({ data, what, children }: { data: Loaded<T>; what: string; children: (value: T) => ReactNode }): ReactNode {
  if (data.state === 'loading') return <Loading what={what} />;
  if (data.state === 'error') return <ErrorBox message={`Could not load ${what}: ${data.message}`} />;
  return <>{children(data.data)}</>;
}

export function PageHeader({ title, children, crumbs }: { title: ReactNode; children?: ReactNode; crumbs?: Array<{ label: string; href: string }> }): ReactNode {
  return (
    <header className="page-header">
      {crumbs !== undefined && crumbs.length > 0 && (
        <nav aria-label="Breadcrumb" className="crumbs">
          {crumbs.map((c, i) => (
            <span key={c.href}>
              {i > 0 && <span aria-hidden="true"> / </span>}
              <a href={c.href}>{c.label}</a>
            </span>
          ))}
        </nav>
      )}
      <h1>{title}</h1>
      {children}
    </header>
  );
}
