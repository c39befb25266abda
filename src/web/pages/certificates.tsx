/** Signers per product over time: each certificate with the releases it signed (in release order) and its expiry. */
import type { ReactNode } from 'react';
import { api, type CertificateUsage } from '../api.ts';
import { href } from '../router.ts';
import { Badge, formatDate, PageHeader, Show } from '../ui.tsx';
import { useData } from '../use-data.ts';
import { cn } from './release.tsx';

const DAY = 86_400_000;

function expiry(notAfter: string, now: number): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  const left = Math.floor((Date.parse(notAfter) - now) / DAY);
  if (Number.isNaN(left)) return { tone: 'warn', text: 'expiry unknown' };
  if (left < 0) return { tone: 'bad', text: `expired ${formatDate(notAfter)}` };
  if (left <= 90) return { tone: 'warn', text: `expires in ${left} day${left === 1 ? '' : 's'}` };
  return { tone: 'ok', text: `valid until ${formatDate(notAfter)}` };
}

/**
 * The product's signers on one time axis: each certificate's validity as a bar (clipped to the
 * window), a tick for each release it signed, and today. The window runs from a year before the
 * first release to half a year after today, so a 20-year certificate does not flatten the picture.
 */
function SignerTimeline({ certificates, product, now }: { certificates: CertificateUsage[]; product: string; now: number }): ReactNode {
  const releases = certificates.flatMap((c) => c.releases.filter((r) => r.product === product).map((r) => Date.parse(r.createdAt)));
  if (releases.length === 0) return null;
  const start = Math.min(...releases) - 365 * DAY;
  const end = Math.max(now, ...releases) + 182 * DAY;
  const at = (t: number): number => Math.min(100, Math.max(0, ((t - start) / (end - start)) * 100));
  const years: number[] = [];
  for (let y = new Date(start).getUTCFullYear() + 1; Date.UTC(y, 0, 1) < end; y++) years.push(y);
  return (
    <div className="signer-timeline" aria-hidden="true">
      <div className="st-axis">
        {years.map((y) => (
          <span key={y} className="st-year" style={{ left: `${at(Date.UTC(y, 0, 1))}%` }}>
            {y}
          </span>
        ))}
      </div>
      {certificates.map((c) => {
        const from = at(Date.parse(c.certificate.notBefore));
        const to = at(Date.parse(c.certificate.notAfter));
        const e = expiry(c.certificate.notAfter, now);
        return (
          <div key={c.certificate.thumbprintSha256} className="st-row">
            <span className="st-label">{cn(c.certificate.subject)}</span>
            <div className="st-track">
              <div className={`st-bar st-${e.tone}`} style={{ left: `${from}%`, width: `${Math.max(0.5, to - from)}%` }} />
              {c.releases
                .filter((r) => r.product === product)
                .map((r) => (
                  <span key={r.version} className="st-tick" style={{ left: `${at(Date.parse(r.createdAt))}%` }} title={r.version} />
                ))}
              <span className="st-now" style={{ left: `${at(now)}%` }} />
            </div>
          </div>
        );
      })}
      <p className="st-legend">Bars: validity (green: valid, amber: expires within 90 days, red: expired). Ticks: releases signed. Dashed line: today.</p>
    </div>
  );
}

/** First signer first: by the earliest release each signed. */
function byFirstRelease(certificates: readonly CertificateUsage[]): CertificateUsage[] {
  return [...certificates].sort((a, b) => (a.releases[0]?.createdAt ?? '').localeCompare(b.releases[0]?.createdAt ?? ''));
}

function ProductCertificates({ product, now }: { product: string; now: number }): ReactNode {
  const [data] = useData(() => api.certificates(product), `certs ${product}`);
  return (
    <section className="card product-certs" aria-labelledby={`certs-${product}`}>
      <h2 id={`certs-${product}`}>{product}</h2>
      <Show data={data} what={`the certificates of ${product}`}>
        {({ certificates }) =>
          certificates.length === 0 ? (
            <p className="muted">No signed file in this product’s releases.</p>
          ) : (
            <>
              <SignerTimeline certificates={byFirstRelease(certificates)} product={product} now={now} />
              <ul className="cert-list">
                {byFirstRelease(certificates).map((c: CertificateUsage) => {
                  const e = expiry(c.certificate.notAfter, now);
                  const own = c.releases.filter((r) => r.product === product);
                  return (
                    <li key={c.certificate.thumbprintSha256} className="cert">
                      <div className="cert-head">
                        <strong title={c.certificate.subject}>{cn(c.certificate.subject)}</strong> <Badge tone={e.tone}>{e.text}</Badge>
                      </div>
                      <div className="small muted">
                        issued by {cn(c.certificate.issuer)} · {formatDate(c.certificate.notBefore)} – {formatDate(c.certificate.notAfter)} · {c.files} file{c.files === 1 ? '' : 's'}
                      </div>
                      <div className="small code wrap">SHA-256 {c.certificate.thumbprintSha256}</div>
                      <div className="chips" aria-label="Releases signed">
                        {own.map((r) => (
                          <a key={r.version} className="chip" href={href.release(r.product, r.version)} title={`recorded ${formatDate(r.createdAt)}`}>
                            {r.version}
                          </a>
                        ))}
                      </div>
                    </li>
                  );
                })}
              </ul>
            </>
          )
        }
      </Show>
    </section>
  );
}

export function CertificatesPage(): ReactNode {
  const [products] = useData(() => api.products(), 'products');
  const now = Date.now();
  return (
    <section>
      <PageHeader title="Certificates">
        <p className="muted">Signers per product in the order they first signed a release; certificates within 90 days of expiry are marked.</p>
      </PageHeader>
      <Show data={products} what="the products">
        {({ products: list }) => (list.length === 0 ? <div className="empty">No product is stored yet.</div> : list.map((p) => <ProductCertificates key={p.name} product={p.name} now={now} />))}
      </Show>
    </section>
  );
}
