/**
 * The dashboard's static files (the Vite build in dist/web), served by `absolve serve` itself at `/`.
 *
 * - Only files under the root are ever read: the URL path is decoded once, must not hold `..`
 *   segments, NUL or backslashes, and the resolved path must stay inside the root (symlinks
 *   included: the real path is checked).
 * - Vite's hashed assets (`/assets/name-HASH.js`) never change: cached for a year, immutable.
 *   index.html is `no-cache`, so a new build is picked up at once.
 * - A path that is not a file answers index.html (the SPA fallback for client routes), except a
 *   missing asset (under /assets, or a file type served here), which is a plain 404.
 * - Without a build, `/` answers a short page saying how to build it, instead of a bare 404.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { Readable } from 'node:stream';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Headers every dashboard answer carries: no framing by other sites, no sniffing, and nothing loaded
 * from elsewhere. Scripts and styles come from this origin only (no inline ones: React and uPlot set
 * styles through the CSSOM, which style-src does not govern).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

const MISSING_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Absolve</title>
<body>
<h1>The dashboard is not built</h1>
<p>The API is running under <code>/api/v1</code>, but the dashboard's files were not found.
Run <code>npm run build</code> in the Absolve checkout (npm ci runs it), then restart <code>absolve serve</code>.</p>
</body></html>`;

/**
 * A missing file under /assets or with a file type we serve is a 404; anything else is a client
 * route (`/releases/contoso/1.2.0` has an "extension" too) and gets the app.
 */
function looksLikeAsset(segments: readonly string[]): boolean {
  const last = segments[segments.length - 1];
  return segments[0] === 'assets' || (last !== undefined && extname(last).toLowerCase() in CONTENT_TYPES);
}

export interface StaticFiles {
  /** The root folder, or null when there is no build. */
  root: string | null;
  serve(path: string, method: string): Promise<Response | undefined>;
}

function answer(status: number, body: string | ReadableStream<Uint8Array> | null, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, ...headers } });
}

/** Creates the handler for `rootDir` (checked once: a missing build is reported through `log`). */
export async function staticFiles(rootDir: string, log: (line: string) => void = () => undefined): Promise<StaticFiles> {
  let root: string | null;
  try {
    root = await realpath(rootDir);
    if (!(await stat(join(root, 'index.html'))).isFile()) root = null;
  } catch {
    root = null;
  }
  if (root === null) log(`dashboard: no build at ${rootDir} (run 'npm run build'); serving the API only`);
  const base = root;

  async function fileAt(relative: string): Promise<{ path: string; size: number } | undefined> {
    if (base === null) return undefined;
    const full = join(base, relative);
    try {
      const real = await realpath(full);
      if (real !== base && !real.startsWith(base + sep)) return undefined;
      const s = await stat(real);
      return s.isFile() ? { path: real, size: s.size } : undefined;
    } catch {
      return undefined;
    }
  }

  function send(file: { path: string; size: number }, method: string, cache: string): Response {
    const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'content-length': String(file.size), 'cache-control': cache };
    if (method === 'HEAD') return answer(200, null, headers);
    return answer(200, Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>, headers);
  }

  return {
    root: base,
    async serve(urlPath, method) {
      if (method !== 'GET' && method !== 'HEAD') return undefined;
      let decoded: string;
      try {
        decoded = decodeURIComponent(urlPath);
      } catch {
        return answer(400, 'bad path', { 'content-type': 'text/plain; charset=utf-8' });
      }
      const segments = decoded.split('/').filter((s) => s !== '');
      if (decoded.includes('\0') || decoded.includes('\\') || segments.some((s) => s === '..' || s === '.')) {
        return answer(404, 'not found', { 'content-type': 'text/plain; charset=utf-8' });
      }
      if (base === null) {
        return !looksLikeAsset(segments) ? answer(503, method === 'HEAD' ? null : MISSING_PAGE, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }) : undefined;
      }
      const relative = segments.join('/');
      const file = relative === '' ? undefined : await fileAt(relative);
      if (file !== undefined) {
        const hashed = segments[0] === 'assets';
        return send(file, method, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
      if (looksLikeAsset(segments)) return answer(404, 'not found', { 'content-type': 'text/plain; charset=utf-8' });
      const index = await fileAt('index.html');
      return index === undefined ? undefined : send(index, method, 'no-cache');
    },
  };
}
