/**
 * Hash routing (`#/releases/contoso/1.2.0`): every page is a real link, the browser's back and
 * forward work, and the server needs no knowledge of client routes (it still falls back to
 * index.html for history-style paths).
 */
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'releases' }
  | { page: 'release'; product: string; version: string }
  | { page: 'file'; product: string; version: string; sha256: string }
  | { page: 'cases' }
  | { page: 'case'; id: number }
  | { page: 'certificates' }
  | { page: 'events' }
  | { page: 'not-found'; path: string };

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter((p) => p !== '').map(decode);
  const [a, b, c, d, e] = parts;
  if (parts.length === 0 || (a === 'releases' && parts.length === 1)) return { page: 'releases' };
  if (a === 'releases' && b !== undefined && c !== undefined && parts.length === 3) return { page: 'release', product: b, version: c };
  if (a === 'releases' && b !== undefined && c !== undefined && d === 'files' && e !== undefined && /^[0-9a-f]{64}$/i.test(e) && parts.length === 5) return { page: 'file', product: b, version: c, sha256: e.toLowerCase() };
  if (a === 'cases' && parts.length === 1) return { page: 'cases' };
  if (a === 'cases' && b !== undefined && /^\d{1,9}$/.test(b) && parts.length === 2) return { page: 'case', id: Number(b) };
  if (a === 'certificates' && parts.length === 1) return { page: 'certificates' };
  if (a === 'events' && parts.length === 1) return { page: 'events' };
  return { page: 'not-found', path };
}

const e = encodeURIComponent;
export const href = {
  releases: (): string => '#/releases',
  release: (product: string, version: string): string => `#/releases/${e(product)}/${e(version)}`,
  file: (product: string, version: string, sha256: string): string => `#/releases/${e(product)}/${e(version)}/files/${sha256}`,
  cases: (): string => '#/cases',
  case: (id: number): string => `#/cases/${id}`,
  certificates: (): string => '#/certificates',
  events: (): string => '#/events',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
