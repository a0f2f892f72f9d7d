/**
 * The HTTP side: health for load balancers, stats for agents, call records by role (an agent
 * its own seat's, a supervisor or the `--records-token` every one), and in demo mode a token
 * mint plus the demo pages. Everything else is 404.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Role } from '../core/protocol.js';
import type { Auth } from './auth.js';
import type { Floor } from './floor.js';
import { METRICS_CONTENT_TYPE, nodeMetrics, renderMetrics, type MetricsInput } from './metrics.js';
import type { Rooms } from './rooms.js';

export interface HttpDeps {
  cc: Floor;
  auth: Auth;
  rooms: Rooms;
  demo: boolean;
  staticRoot: string;
  log: (message: string) => void;
  /** This node's id, as /healthz reports it. */
  node: string;
  /** `/metrics`: open connections by endpoint (limits.ts Guard). */
  guard?: { openByRole(): { agent: number; caller: number } };
  /** `/metrics` requires this bearer when set (`--metrics-token`). */
  metricsToken?: string | null;
  /** `/metrics` input; default: this node's own figures (metrics.ts nodeMetrics). A cluster member sets it. */
  metrics?: () => MetricsInput | Promise<MetricsInput>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const MAX_BODY = 4096;
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 50;

export function httpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(deps, req, res).catch((e: Error) => {
      deps.log(`http ${req.method} ${req.url} failed: ${e.stack ?? e.message}`);
      if (!res.headersSent) json(res, 500, { error: 'internal' });
      else res.destroy();
    });
  };
}

async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (path === '/healthz') {
    if (!only(method, ['GET', 'HEAD'], res)) return;
    // With media off there is no Janus to be up; the extra field says why it is "down".
    const status = deps.rooms.status;
    // `journal: "full"` while appends fail: new commands are refused, live calls go on.
    const journal = deps.cc.journalStatus;
    return json(res, 200, {
      ok: true,
      janus: status === 'up' ? 'up' : 'down',
      ...(status === 'none' ? { media: 'off' } : {}),
      journal,
      // A single node always decides; a cluster node is a follower until it holds the lease.
      role: deps.cc.role,
      node: deps.node,
    });
  }
  if (path === '/metrics') {
    if (!only(method, ['GET'], res)) return;
    // Open like /healthz unless --metrics-token is set (then only with that bearer).
    if (deps.metricsToken && !sameSecret(/^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '', deps.metricsToken))
      return unauthorized(res, 'the metrics token is required');
    const input = deps.metrics ? await deps.metrics() : nodeMetrics(deps as Parameters<typeof nodeMetrics>[0]);
    const text = renderMetrics(input);
    res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    return void res.end(text);
  }
  if (path === '/v1/stats') {
    if (!only(method, ['GET'], res)) return;
    const who = bearer(deps, req);
    if (!who || who === 'caller') return unauthorized(res, 'an agent token is required');
    return json(res, 200, deps.cc.stats());
  }
  if (path === '/v1/calls') {
    if (!only(method, ['GET'], res)) return;
    // Records by role: an agent sees its own seat's calls; everything needs a supervisor.
    const who = bearer(deps, req);
    if (!who || who === 'caller') return unauthorized(res, 'an agent or supervisor token is required');
    const raw = url.searchParams.get('limit');
    const limit = raw === null ? DEFAULT_LIMIT : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return json(res, 400, { error: `limit must be an integer from 1 to ${MAX_LIMIT}` });
    return json(res, 200, { calls: await (who === 'all' ? deps.cc.recent(limit) : deps.cc.recent(limit, who.seat)) });
  }
  if (deps.demo && path === '/v1/dev-token') {
    if (!only(method, ['POST'], res)) return;
    return devToken(deps, req, res);
  }
  if (deps.demo && (method === 'GET' || method === 'HEAD')) return serveStatic(deps.staticRoot, path, method, res);
  json(res, 404, { error: 'not found' });
}

function only(method: string, allowed: string[], res: ServerResponse): boolean {
  if (allowed.includes(method)) return true;
  res.setHeader('Allow', allowed.join(', '));
  json(res, 405, { error: 'method not allowed' });
  return false;
}

/** Who the bearer is: `all` (a supervisor token or the records token), an agent's seat, a caller, or nobody. */
function bearer(deps: HttpDeps, req: IncomingMessage): 'all' | { seat: string } | 'caller' | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  if (deps.auth.isRecordsToken(m[1]!)) return 'all';
  const v = deps.auth.checkAny(m[1]!);
  if (!v.ok) return null;
  return v.role === 'supervisor' ? 'all' : v.role === 'agent' ? { seat: v.sub } : 'caller';
}

/** Compares without leaking where the first difference is. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function unauthorized(res: ServerResponse, error: string): void {
  res.setHeader('WWW-Authenticate', 'Bearer');
  json(res, 401, { error });
}

async function devToken(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (e) {
    return json(res, 400, { error: (e as Error).message === 'too large' ? 'body too large' : 'body must be JSON' });
  }
  const { role, sub } = (typeof body === 'object' && body !== null ? body : {}) as { role?: unknown; sub?: unknown };
  if (role !== 'agent' && role !== 'caller') return json(res, 400, { error: 'role must be "agent" or "caller"' });
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128) return json(res, 400, { error: 'sub must be a non-empty string' });
  json(res, 200, { token: await deps.auth.sign({ role: role as Role, sub }) });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `demo/` at `/`, the built bundle at `/dist/`; nothing else of the checkout is reachable. */
async function serveStatic(root: string, path: string, method: string, res: ServerResponse): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return json(res, 400, { error: 'bad path' });
  }
  if (decoded.includes('\0') || decoded.split('/').includes('..')) return json(res, 404, { error: 'not found' });
  const [base, rest] = decoded.startsWith('/dist/') ? [join(root, 'dist'), decoded.slice('/dist/'.length)] : [join(root, 'demo'), decoded.slice(1)];
  let file = normalize(join(base, rest));
  if (file !== base && !file.startsWith(base + sep)) return json(res, 404, { error: 'not found' });
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return json(res, 404, { error: 'not found' });
  // A symlink inside demo/ must not lead out of it either.
  const [realFile, realBase] = await Promise.all([realpath(file), realpath(base)]);
  if (!realFile.startsWith(realBase + sep)) return json(res, 404, { error: 'not found' });
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  if (method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
