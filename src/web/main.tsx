/** The Absolve dashboard: sign in with an API token, then releases, cases, certificates and events. */
import { StrictMode, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { api, getToken, setToken } from './api.ts';
import { SessionContext } from './session.ts';
import { useData } from './use-data.ts';
import { CasePage, CasesPage } from './pages/cases.tsx';
import { CertificatesPage } from './pages/certificates.tsx';
import { EventsPage } from './pages/events.tsx';
import { FilePage } from './pages/file.tsx';
import { ReleasePage } from './pages/release.tsx';
import { ReleasesPage } from './pages/releases.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { href, useRoute, type Route } from './router.ts';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

function useToken(): string | null {
  const [token, set] = useState(getToken);
  useEffect(() => {
    const onChange = (): void => set(getToken());
    window.addEventListener('absolve-token', onChange);
    return () => window.removeEventListener('absolve-token', onChange);
  }, []);
  return token;
}

function Page({ route }: { route: Route }): ReactNode {
  switch (route.page) {
    case 'releases':
      return <ReleasesPage />;
    case 'release':
      return <ReleasePage product={route.product} version={route.version} />;
    case 'file':
      return <FilePage product={route.product} version={route.version} sha256={route.sha256} />;
    case 'cases':
      return <CasesPage />;
    case 'case':
      return <CasePage id={route.id} />;
    case 'certificates':
      return <CertificatesPage />;
    case 'events':
      return <EventsPage />;
    case 'not-found':
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page at <code>{route.path}</code>. <a href={href.releases()}>Go to the releases.</a>
          </p>
        </section>
      );
  }
}

const NAV: Array<{ label: string; href: string; pages: Route['page'][] }> = [
  { label: 'Releases', href: href.releases(), pages: ['releases', 'release', 'file'] },
  { label: 'Cases', href: href.cases(), pages: ['cases', 'case'] },
  { label: 'Certificates', href: href.certificates(), pages: ['certificates'] },
  { label: 'Events', href: href.events(), pages: ['events'] },
];

function App(): ReactNode {
  const token = useToken();
  return token === null ? <SignIn /> : <SignedIn token={token} />;
}

function SignedIn({ token }: { token: string }): ReactNode {
  const route = useRoute();
  const [session] = useData(() => api.session(), `session ${token}`);
  const who = session.state === 'ready' ? session.data : null;
  useEffect(() => {
    // A new page starts at the top, with the focus on the main region for keyboard and screen-reader users.
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [route]);
  return (
    <SessionContext.Provider value={who}>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={href.releases()}>
          <span className="brand-mark" aria-hidden="true">A</span> Absolve
        </a>
        <nav aria-label="Main" className="mainnav">
          {NAV.map((n) => (
            <a key={n.href} href={n.href} aria-current={n.pages.includes(route.page) ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        {who !== null && (
          <span className="who" title={`token ${who.name}`}>
            {who.name} · {who.role}
          </span>
        )}
        <button type="button" className="button button-quiet signout" onClick={() => setToken(null)}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </SessionContext.Provider>
  );
}

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
