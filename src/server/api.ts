/**
 * The HTTP API (`/api/v1`) over the same use cases as the CLI, with its OpenAPI document generated
 * from the route schemas (`/api/v1/openapi.json`, Hono + @hono/zod-openapi). Every route except
 * `GET /health` needs `Authorization: Bearer <token>`; a route names the least role it needs (read,
 * write, admin). Errors are `{ error: { code, message } }`. Tokens are looked up by their SHA-256
 * and never logged; the request log has method, path, status and time only.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { gzipSync } from 'node:zlib';
import { hashToken, roleAllows, type TokenRecord, type TokenRole } from '../core/access/tokens.ts';
import { AbsolveError } from '../core/errors.ts';
import { evaluateGate, type GatePolicy } from '../core/gate/release-gate.ts';
import { compareText } from '../core/releases/release.types.ts';
import type { OpenedStore } from '../core/releases/ports.ts';
import { isDetection } from '../core/scans/scan.types.ts';
import { requireRelease } from '../core/scans/release-roots.ts';
import { summarizeScan } from '../core/scans/scan-report.ts';
import { CASE_STATES, CASE_TRANSITIONS, DEFAULT_DUE_DAYS, isOpenState, type CaseRecord } from '../core/cases/case.types.ts';
import { planSubmission, releaseSubmissionFiles, submissionFileOf, type SubmissionFile } from '../core/cases/submission-plan.ts';
import { EMPTY_CASE_SETTINGS, type SubmissionProfile } from '../core/cases/settings.ts';
import { buildVendorDirectory, type VendorDirectory } from '../core/vendors/index.ts';

/** JSON request bodies are small (actions, settings): anything larger is refused before it is read. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export interface ApiDeps {
  store: OpenedStore;
  version: string;
  now(): Date;
  gatePolicy: GatePolicy;
  /** One line per request (never headers or tokens). */
  log?: (line: string) => void;
  /** Starts a scan of a stored release in the background (the job runner); returns the scan id. */
  startReleaseScan?: (product: string, version: string) => Promise<{ jobId: string; scanId: string }>;
  /** The vendor directory (with the config's overrides) for submission packages; default: the shipped one. */
  directory?: VendorDirectory;
  /** The publisher's submission profile (submission.* in the config) and days until an answer is due. */
  submission?: SubmissionProfile;
  /**
   * Serves the dashboard's static files for GET requests outside /api and /health (src/server/static-files.ts);
   * undefined: no dashboard.
   */
  staticFiles?: (path: string, method: string) => Promise<Response | undefined>;
}

type Env = { Variables: { token: TokenRecord } };

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).openapi('Error');
const errors = {
  401: { description: 'No valid token', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'The token’s role is too weak', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
};
const AnyObject = z.record(z.string(), z.unknown());

/** A route's responses: its JSON success and the error answers every protected route shares. */
function json<C extends 200 | 202, S extends z.ZodType>(status: C, description: string, schema: S): Record<C, { description: string; content: { 'application/json': { schema: S } } }> & typeof errors {
  return { [status]: { description, content: { 'application/json': { schema } } }, ...errors } as Record<C, { description: string; content: { 'application/json': { schema: S } } }> & typeof errors;
}
const ReleaseParams = z.object({
  product: z.string().min(1).max(200).openapi({ param: { name: 'product', in: 'path' }, example: 'contoso-app' }),
  version: z.string().min(1).max(200).openapi({ param: { name: 'version', in: 'path' }, example: '1.2.0' }),
});

/** JSON answers at least this long are gzipped for a client that accepts it; smaller ones gain too little. */
export const GZIP_MIN_BYTES = 8 * 1024;

/** Whether an Accept-Encoding header (RFC 9110 §12.5.3) accepts gzip: `gzip`, `x-gzip` or `*`, with a q-value above 0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const item of header.split(',')) {
    const [name = '', ...params] = item.split(';').map((p) => p.trim().toLowerCase());
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/**
 * A large JSON answer (the matrix is ~1 MiB for 100 files × 70 engines), gzipped when the client accepts it: level 1
 * (measured on the bench's matrix: 1 MiB in ~1 ms to 25 KiB, against ~3 ms to 18 KiB at the default 6). On the
 * event loop: zlib's thread pool (async gzip) added ~7 ms at p50 in-process on the busy two-core machine, waiting
 * for a thread, against ~1 ms/MiB spent here. `Vary` tells caches the answer depends on Accept-Encoding.
 */
/** How stale a token's "last used" time may be (`absolve tokens list`): touched at most once per this many ms. */
const TOKEN_LAST_USED_RESOLUTION_MS = 60_000;

function largeJson(c: Context, value: unknown): Response {
  const text = JSON.stringify(value);
  const headers = { 'content-type': 'application/json', vary: 'Accept-Encoding' };
  if (text.length < GZIP_MIN_BYTES || !acceptsGzip(c.req.header('accept-encoding'))) return c.body(text, 200, headers);
  return c.body(gzipSync(text, { level: 1 }), 200, { ...headers, 'content-encoding': 'gzip' });
}

function problem(status: 400 | 401 | 403 | 404 | 409 | 413 | 500 | 503, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Bearer realm="absolve"' } : {}), ...(status === 503 ? { 'retry-after': '5' } : {}) },
  });
}

const STATUS_OF_CODE: Record<string, 400 | 404 | 409 | 503> = {
  CASE_NOT_FOUND: 404,
  CASE_TRANSITION_INVALID: 409,
  CASE_STATE_CONFLICT: 409,
  USAGE: 400,
  RELEASE_INVALID: 400,
  RELEASE_NOT_FOUND: 404,
  PRODUCT_NOT_FOUND: 404,
  SCAN_NOT_FOUND: 404,
  ENGINE_CONFIG_INVALID: 400,
  // The database is down or restarting (src/store/postgres.ts): the next request reconnects.
  STORE_UNAVAILABLE: 503,
};

function requireRole(role: TokenRole): MiddlewareHandler<Env> {
  return async (c, next) => {
    const token = c.get('token');
    if (!roleAllows(token.role, role)) return problem(403, 'FORBIDDEN', `this route needs a ${role} token; this one is ${token.role}`);
    await next();
    return undefined;
  };
}

/** The flagged files and every container above them (`a.msi!/b.cab!/c.exe` keeps a.msi and a.msi!/b.cab), in release order. */
export function flaggedWithContainers<F extends { path: string; flagged: number }>(files: readonly F[]): F[] {
  const keep = new Set<string>();
  for (const f of files) {
    if (f.flagged === 0) continue;
    keep.add(f.path);
    for (let at = f.path.indexOf('!/'); at !== -1; at = f.path.indexOf('!/', at + 2)) keep.add(f.path.slice(0, at));
  }
  return files.filter((f) => keep.has(f.path));
}

export function createApi(deps: ApiDeps): OpenAPIHono<Env> {
  const app = new OpenAPIHono<Env>({
    defaultHook: (result) => {
      if (!result.success) return problem(400, 'USAGE', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return undefined;
    },
  });
  const { store } = deps;

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.log?.(`${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`);
  });
  app.use('*', bodyLimit({ maxSize: MAX_JSON_BODY_BYTES, onError: () => problem(413, 'PAYLOAD_TOO_LARGE', `request bodies are limited to ${MAX_JSON_BODY_BYTES} bytes`) }));
  app.onError((error) => {
    if (error instanceof AbsolveError) {
      const status = STATUS_OF_CODE[error.code];
      if (status !== undefined) return problem(status, error.code, error.message);
    }
    deps.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    return problem(500, 'INTERNAL', 'internal error (see the server log)');
  });
  app.notFound(async (c) => {
    const path = new URL(c.req.url).pathname;
    if (deps.staticFiles !== undefined && path !== '/api' && !path.startsWith('/api/')) {
      const served = await deps.staticFiles(path, c.req.method);
      if (served !== undefined) return served;
    }
    return problem(404, 'NOT_FOUND', 'no such route (see /api/v1/openapi.json)');
  });

  app.get('/health', (c) => c.json({ status: 'ok', version: deps.version }));

  // Authentication for everything under /api/v1 (the OpenAPI document included).
  app.use('/api/v1/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined) return problem(401, 'UNAUTHORIZED', 'send Authorization: Bearer <token> (create one with `absolve tokens create`)');
    const token = await store.tokens.findTokenByHash(hashToken(match[1]));
    if (token === undefined || token.revokedAt !== null) return problem(401, 'UNAUTHORIZED', 'the token is unknown or revoked');
    c.set('token', token);
    // "Last used" to the minute: a write per request would be a database write on every read of the dashboard.
    const now = deps.now();
    if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) >= TOKEN_LAST_USED_RESOLUTION_MS) await store.tokens.touchToken(token.id, now.toISOString());
    return next();
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  const security = [{ Bearer: [] }];

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/products', security, middleware: [requireRole('read')] as const, responses: json(200, 'Products with their release counts', z.object({ products: z.array(z.object({ name: z.string(), releases: z.number(), latest: z.string() })) })) }),
    async (c) => {
      const byProduct = new Map<string, { releases: number; latest: string }>();
      for (const h of await store.store.listReleases()) byProduct.set(h.product, { releases: (byProduct.get(h.product)?.releases ?? 0) + 1, latest: h.version });
      return c.json({ products: [...byProduct].sort(([a], [b]) => compareText(a, b)).map(([name, v]) => ({ name, ...v })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/releases',
      security,
      middleware: [requireRole('read')] as const,
      request: { query: z.object({ product: z.string().max(200).optional() }) },
      responses: json(200, 'Release headers in recording order', z.object({ releases: z.array(AnyObject) })),
    }),
    async (c) => {
      const { product } = c.req.valid('query');
      return c.json({ releases: (await store.store.listReleases(product)) as unknown as Array<Record<string, unknown>> }, 200);
    },
  );

  const loadRelease = (product: string, version: string) => requireRelease({ store: store.store, location: 'the store' }, { product, version });

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/products/{product}/releases/{version}', security, middleware: [requireRole('read')] as const, request: { params: ReleaseParams }, responses: json(200, 'The stored audit of the release (schema absolve.release/v1)', AnyObject) }),
    async (c) => {
      const { product, version } = c.req.valid('param');
      const release = await loadRelease(product, version);
      return c.json({ schema: 'absolve.release/v1', ...release } as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/products/{product}/releases/{version}/gate',
      security,
      middleware: [requireRole('read')] as const,
      request: { params: ReleaseParams },
      responses: json(200, 'Whether the release may roll out (schema absolve.gate/v1)', z.object({ pass: z.boolean(), reasons: z.array(z.object({ code: z.string(), message: z.string(), files: z.array(z.string()) })) }).passthrough()),
    }),
    async (c) => {
      const { product, version } = c.req.valid('param');
      const release = await loadRelease(product, version);
      const verdicts = await store.scans.currentVerdicts(release.artifacts.map((a) => a.sha256));
      return c.json(evaluateGate({ release, verdicts }, deps.gatePolicy), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/products/{product}/releases/{version}/matrix',
      security,
      middleware: [requireRole('read')] as const,
      request: {
        params: ReleaseParams,
        query: z.object({
          files: z.enum(['all', 'flagged']).optional().openapi({ description: 'flagged: only the files some engine flags and the containers above them (engines still lists every engine that answered); default all' }),
        }),
      },
      responses: json(200, 'Files × engines: each file of the release (members nested by parentPath) with its signature and the verdicts that stand now; gzipped when the client accepts it', z.object({ engines: z.array(z.string()), files: z.array(AnyObject) })),
    }),
    async (c) => {
      const { product, version } = c.req.valid('param');
      const onlyFlagged = c.req.valid('query').files === 'flagged';
      const release = await loadRelease(product, version);
      const verdicts = await store.scans.currentVerdicts(release.artifacts.map((a) => a.sha256));
      const engines = new Set<string>();
      const files = release.artifacts.map((a) => {
        const standing = verdicts.get(a.sha256) ?? [];
        // One pass per file (7,000 verdicts per answer at 100 files × 70 engines).
        let flagged = 0;
        const cells = new Array<Record<string, unknown>>(standing.length);
        for (let i = 0; i < standing.length; i++) {
          const v = standing[i] as (typeof standing)[number];
          engines.add(v.engine);
          if (isDetection(v.category)) flagged++;
          cells[i] = { engine: v.engine, via: v.via, category: v.category, result: v.result, kind: v.classification?.kind ?? null, generic: v.classification?.generic ?? null, scannedAt: v.scannedAt };
        }
        return {
          path: a.path,
          parentPath: a.path.includes('!/') ? a.path.slice(0, a.path.lastIndexOf('!/')) : null,
          sha256: a.sha256,
          format: a.format,
          signature: a.signature === null ? null : { status: a.signature.status, signer: a.signature.signer?.subject ?? null, thumbprintSha256: a.signature.signer?.thumbprintSha256 ?? null },
          flagged,
          verdicts: cells,
        };
      });
      return largeJson(c, { engines: [...engines].sort(compareText), files: onlyFlagged ? flaggedWithContainers(files) : files }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/scans',
      security,
      middleware: [requireRole('read')] as const,
      request: { query: z.object({ product: z.string().max(200).optional(), version: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }) },
      responses: json(200, 'Stored scans, newest first', z.object({ scans: z.array(AnyObject) })),
    }),
    async (c) => {
      const q = c.req.valid('query');
      const release = q.product !== undefined && q.version !== undefined ? { product: q.product, version: q.version } : undefined;
      const scans = await store.scans.listScans({ ...(release === undefined ? {} : { release }), limit: q.limit ?? 100 });
      return c.json({ scans: scans as unknown as Array<Record<string, unknown>> }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/scans/{id}',
      security,
      middleware: [requireRole('read')] as const,
      request: { params: z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: json(200, 'One scan with every verdict (schema absolve.scan/v1)', AnyObject),
    }),
    async (c) => {
      const detail = await store.scans.getScan(c.req.valid('param').id);
      if (detail === undefined) throw new AbsolveError('SCAN_NOT_FOUND', 'no such scan');
      return c.json({ schema: 'absolve.scan/v1', ...detail, summary: summarizeScan(detail.files) } as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/events',
      security,
      middleware: [requireRole('read')] as const,
      request: {
        query: z.object({
          since: z.string().datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(10000).optional(),
          order: z.enum(['oldest', 'newest']).optional().openapi({ description: 'oldest (default): the first `limit` events from `since` on, oldest first; newest: the last `limit`, newest first' }),
        }),
      },
      responses: json(200, 'Detection-change events, oldest first (or newest first with order=newest)', z.object({ events: z.array(AnyObject) })),
    }),
    async (c) => {
      const q = c.req.valid('query');
      const events = await store.events.listEvents({ ...(q.since === undefined ? {} : { since: new Date(q.since).toISOString() }), newestFirst: q.order === 'newest', limit: q.limit ?? 1000 });
      return largeJson(c, { events }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/certificates',
      security,
      middleware: [requireRole('read')] as const,
      request: { query: z.object({ product: z.string().max(200).optional() }) },
      responses: json(200, 'Every signing certificate seen, with the releases it signed', z.object({ certificates: z.array(AnyObject) })),
    }),
    async (c) => c.json({ certificates: (await store.store.certificateUsage(c.req.valid('query').product)) as unknown as Array<Record<string, unknown>> }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/products/{product}/releases/{version}/scans',
      security,
      middleware: [requireRole('write')] as const,
      request: { params: ReleaseParams },
      responses: json(202, 'A scan of the stored release was started; follow it at /api/v1/scans/{scanId} (finishedAt is set when it is done)', z.object({ jobId: z.string(), scanId: z.string() })),
    }),
    async (c) => {
      const { product, version } = c.req.valid('param');
      await loadRelease(product, version);
      if (deps.startReleaseScan === undefined) throw new AbsolveError('USAGE', 'this server runs no scan jobs');
      return c.json(await deps.startReleaseScan(product, version), 202);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/tokens', security, middleware: [requireRole('admin')] as const, responses: json(200, 'API tokens (never their text)', z.object({ tokens: z.array(z.object({ id: z.string(), name: z.string(), role: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })) })) }),
    async (c) => c.json({ tokens: (await store.tokens.listTokens()).map(({ hash: _hash, ...t }) => t) }, 200),
  );

  // ---- Dashboard routes (issue #11): release status, timelines, cases and their submission packages. ----

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/session',
      security,
      middleware: [requireRole('read')] as const,
      responses: json(200, 'The token this request came with: its name and role (never its text), so a client can offer only what the role may do', z.object({ id: z.string(), name: z.string(), role: z.string() })),
    }),
    (c) => {
      const { id, name, role } = tokenOf(c);
      return c.json({ id, name, role }, 200);
    },
  );

  const GateReasonSchema = z.object({ code: z.string(), message: z.string(), files: z.array(z.string()) });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/release-status',
      security,
      middleware: [requireRole('read')] as const,
      request: { query: z.object({ product: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(500).optional() }) },
      responses: json(
        200,
        'The newest releases (newest first) with their gate verdict and the detections that stand now',
        z.object({
          releases: z.array(
            z.object({
              product: z.string(),
              version: z.string(),
              channel: z.string(),
              createdAt: z.string(),
              files: z.number(),
              signatures: z.object({ valid: z.number(), invalid: z.number(), untrusted: z.number(), unsigned: z.number(), malformed: z.number() }),
              gate: z.object({ pass: z.boolean(), reasons: z.array(GateReasonSchema) }),
              detections: z.object({ flaggedFiles: z.number(), engines: z.array(z.string()), detections: z.number() }),
              openCases: z.number(),
            }),
          ),
        }),
      ),
    }),
    async (c) => {
      const q = c.req.valid('query');
      // Each release is read whole (audit + standing verdicts): 50 by default bounds the work of one request.
      const headers = (await store.store.listReleases(q.product)).reverse().slice(0, q.limit ?? 50);
      const open = (await store.cases.listCases({})).filter((k) => isOpenState(k.state));
      const releases = [];
      for (const h of headers) {
        const release = await loadRelease(h.product, h.version);
        const verdicts = await store.scans.currentVerdicts(release.artifacts.map((a) => a.sha256));
        const gate = evaluateGate({ release, verdicts }, deps.gatePolicy);
        const engines = new Set<string>();
        let flaggedFiles = 0;
        let detections = 0;
        for (const a of release.artifacts) {
          const flagged = (verdicts.get(a.sha256) ?? []).filter((v) => isDetection(v.category));
          if (flagged.length > 0) flaggedFiles++;
          detections += flagged.length;
          for (const v of flagged) engines.add(v.engine);
        }
        const s = h.summary;
        releases.push({
          product: h.product,
          version: h.version,
          channel: h.channel,
          createdAt: h.createdAt,
          files: h.files,
          signatures: { valid: s.valid, invalid: s.invalid, untrusted: s.untrusted, unsigned: s.unsigned, malformed: s.malformed },
          gate: { pass: gate.pass, reasons: gate.reasons },
          detections: { flaggedFiles, engines: [...engines].sort(compareText), detections },
          openCases: open.filter((k) => k.release.product === h.product && k.release.version === h.version).length,
        });
      }
      return c.json({ releases }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/products/{product}/releases/{version}/timeline',
      security,
      middleware: [requireRole('read')] as const,
      request: {
        params: ReleaseParams,
        query: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional().openapi({ description: 'One file of the release; default: every file' }), limit: z.coerce.number().int().min(1).max(500).optional() }),
      },
      responses: json(
        200,
        'Per scan of the release (oldest first), the engines that flagged the file (or any file) in it, and the detection-change events',
        z.object({
          engines: z.array(z.string()),
          scans: z.array(z.object({ id: z.string(), at: z.string(), trigger: z.string(), flagging: z.array(z.string()), answered: z.number() })),
          events: z.array(AnyObject),
        }),
      ),
    }),
    async (c) => {
      const { product, version } = c.req.valid('param');
      const q = c.req.valid('query');
      const release = await loadRelease(product, version);
      const wanted = q.sha256 === undefined ? new Set(release.artifacts.map((a) => a.sha256)) : new Set([q.sha256.toLowerCase()]);
      // Each scan is read whole (the scan port has no per-file history): the newest 60 by default bound the work.
      const headers = (await store.scans.listScans({ release: { product, version }, limit: q.limit ?? 60 })).reverse();
      const engines = new Set<string>();
      const scans = [];
      for (const h of headers) {
        const detail = await store.scans.getScan(h.id);
        if (detail === undefined) continue;
        const flagging = new Set<string>();
        const answeredEngines = new Set<string>();
        for (const f of detail.files) {
          if (!wanted.has(f.sha256)) continue;
          for (const v of f.verdicts) {
            if (v.category === 'failure' || v.category === 'timeout' || v.category === 'type-unsupported') continue;
            answeredEngines.add(v.engine);
            if (isDetection(v.category)) flagging.add(v.engine);
          }
        }
        for (const e of flagging) engines.add(e);
        scans.push({ id: h.id, at: h.startedAt, trigger: h.trigger, flagging: [...flagging].sort(compareText), answered: answeredEngines.size });
      }
      // The release's own events, selected by the store (sha256 IN …, in chunks), not the oldest 10,000 of every release filtered here.
      const events = await store.events.listEvents({ sha256In: [...wanted], limit: 10000 });
      return c.json({ engines: [...engines].sort(compareText), scans, events: events as unknown as Array<Record<string, unknown>> }, 200);
    },
  );

  const CaseStateSchema = z.enum(CASE_STATES as unknown as [string, ...string[]]);
  const dueDays = deps.submission?.dueDays ?? DEFAULT_DUE_DAYS;
  const caseView = (k: CaseRecord) => ({ ...k, next: [...CASE_TRANSITIONS[k.state]], overdue: (k.state === 'submitted' || k.state === 'acknowledged') && k.dueAt !== null && k.dueAt <= deps.now().toISOString() });
  const CaseIdParams = z.object({ id: z.coerce.number().int().min(1).openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cases',
      security,
      middleware: [requireRole('read')] as const,
      request: { query: z.object({ product: z.string().max(200).optional(), version: z.string().max(200).optional(), state: CaseStateSchema.optional() }) },
      responses: json(200, 'False-positive cases, oldest first; `overdue` when a submitted case’s answer is due', z.object({ cases: z.array(AnyObject) })),
    }),
    async (c) => {
      const q = c.req.valid('query');
      const list = await store.cases.listCases({
        ...(q.product !== undefined && q.version !== undefined ? { release: { product: q.product, version: q.version } } : {}),
        ...(q.state === undefined ? {} : { state: q.state as CaseRecord['state'] }),
      });
      const filtered = q.product !== undefined && q.version === undefined ? list.filter((k) => k.release.product === q.product) : list;
      return c.json({ cases: filtered.map(caseView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/cases/{id}',
      security,
      middleware: [requireRole('read')] as const,
      request: { params: CaseIdParams },
      responses: json(
        200,
        'One case with its history, its submissions and its submission package (what `absolve submit` would write for it alone: archive plan, email, forms)',
        z.object({ case: AnyObject, events: z.array(AnyObject), submissions: z.array(AnyObject), package: AnyObject.nullable(), next: z.array(z.string()) }),
      ),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const k = await store.cases.getCase(id);
      if (k === undefined) throw new AbsolveError('CASE_NOT_FOUND', `no case ${id}`);
      const release = await store.store.getRelease(k.release);
      let pkg: Record<string, unknown> | null = null;
      if (release !== undefined) {
        const files = k.kind === 'false-positive' ? [submissionFileOf(release, k.subject, k.path)].filter((f): f is SubmissionFile => f !== undefined) : [];
        const releaseFiles = releaseSubmissionFiles(release);
        const directory = deps.directory ?? buildVendorDirectory();
        const profile = deps.submission ?? EMPTY_CASE_SETTINGS.submission;
        pkg = planSubmission({ vendor: k.vendor, entry: directory.find(k.vendor), cases: [k], release: release.header, files, releaseFiles, profile, from: profile.contactEmail }) as unknown as Record<string, unknown>;
      }
      return c.json(
        {
          case: caseView(k),
          events: (await store.cases.events(id)) as unknown as Array<Record<string, unknown>>,
          submissions: (await store.cases.submissions(id)) as unknown as Array<Record<string, unknown>>,
          package: pkg,
          next: [...CASE_TRANSITIONS[k.state]],
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/cases/{id}/state',
      security,
      middleware: [requireRole('write')] as const,
      request: {
        params: CaseIdParams,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                state: CaseStateSchema,
                expected: CaseStateSchema.optional().openapi({ description: 'The state the caller saw: 409 CASE_STATE_CONFLICT when another change came first' }),
                reference: z.string().min(1).max(200).optional(),
                note: z.string().min(1).max(2000).optional(),
              }),
            },
          },
        },
      },
      responses: json(200, 'The case after the change (409 when the transition is not allowed or the state changed meanwhile)', AnyObject),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const current = await store.cases.getCase(id);
      if (current === undefined) throw new AbsolveError('CASE_NOT_FOUND', `no case ${id}`);
      const at = deps.now().toISOString();
      const state = body.state as CaseRecord['state'];
      const updated = await store.cases.updateCase(
        id,
        {
          at,
          state,
          ...(body.reference === undefined ? {} : { reference: body.reference }),
          ...(body.note === undefined ? {} : { note: body.note }),
          ...(state === 'submitted' && current.state !== 'submitted' ? { dueAt: new Date(Date.parse(at) + dueDays * 86_400_000).toISOString() } : {}),
        },
        (body.expected as CaseRecord['state'] | undefined) ?? current.state,
      );
      deps.log?.(`case ${id}: ${current.state} -> ${updated.state} by token ${tokenOf(c).id}`);
      return c.json(caseView(updated) as unknown as Record<string, unknown>, 200);
    },
  );

  app.doc('/api/v1/openapi.json', { openapi: '3.0.3', info: { title: 'Absolve API', version: deps.version, description: 'Releases, audits, scans, detection events and the release gate.' } });
  return app;
}

/** For handlers that need the token (e.g. auditing who acted). */
export function tokenOf(c: Context<Env>): TokenRecord {
  return c.get('token');
}
