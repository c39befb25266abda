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
            <ul className="cert-list">
              {[...certificates]
                .sort((a, b) => (a.releases[0]?.createdAt ?? '').localeCompare(b.releases[0]?.createdAt ?? ''))
                .map((c: CertificateUsage) => {
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
