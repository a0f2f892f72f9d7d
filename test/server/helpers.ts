/**
 * Test side of the protocol: a real server on port 0 and clients that speak PROTOCOL.md over
 * real WebSockets. `request` sends with a fresh id and resolves with the one reply to it;
 * `next` waits for the next message of a type that matches, so tests read like a user's view.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { CustomerCallView, SeatView, ServerMessage } from '../../core/protocol.js';
import { Auth } from '../../server/auth.js';
import { startServer, type RunningServer, type StartOptions } from '../../server/server.js';

export const SECRET = 'test-secret-that-is-long-enough-for-hs256';
/** How long a test waits for something that should happen; generous for a loaded machine. */
export const WAIT_MS = 5000;

export type Msg = ServerMessage & Record<string, unknown>;

export interface Harness {
  server: RunningServer;
  url: string;
  wsUrl: string;
  auth: Auth;
  /** `claims`: a caller's signed `name` and `priority`, a `kid`, or `iat: null` for a token without iat. */
  token(role: 'agent' | 'caller' | 'supervisor', sub: string, ttlSeconds?: number, claims?: TokenClaims): Promise<string>;
  /** A connection that has not said hello. */
  connect(path: '/v1/agent' | '/v1/caller'): Promise<Client>;
  /** A signed-in agent whose first seat snapshot has arrived. */
  agent(seatId: string, splits?: number): Promise<Client>;
  /** A signed-in customer (with signed `name`/`priority` claims if given). */
  caller(customerId: string, claims?: TokenClaims): Promise<Client>;
  /** GET/POST as JSON with an optional bearer token. */
  http(path: string, init?: { method?: string; token?: string; body?: unknown }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export type TokenClaims = { name?: string; priority?: number; iat?: number | null; kid?: string };

export async function startHarness(options: StartOptions = {}): Promise<Harness> {
  const server = await startServer({
    port: 0,
    secret: SECRET,
    db: ':memory:',
    janusUrl: null,
    // Position and queue-size news is throttled; a shorter beat keeps tests quick.
    queueThrottleMs: 100,
    log: () => {},
    ...options,
    engine: {
      ringTimeoutMs: 60_000,
      rejectDelayMs: 60_000,
      reconnectGraceMs: 60_000,
      callerGraceMs: 60_000,
      ...options.engine,
    },
  });
  const auth = new Auth(SECRET);
  const wsUrl = server.url.replace(/^http/, 'ws');
  const clients = new Set<Client>();
  const h: Harness = {
    server,
    url: server.url,
    wsUrl,
    auth,
    token: (role, sub, ttl, claims) => auth.sign({ role, sub }, ttl, claims),
    async connect(path) {
      const c = await Client.open(wsUrl + path);
      clients.add(c);
      return c;
    },
    async agent(seatId, splits = 2) {
      const c = await h.connect('/v1/agent');
      await c.ok({ type: 'hello', token: await h.token('agent', seatId), splits });
      await c.next('seat');
      return c;
    },
    async caller(customerId, claims) {
      const c = await h.connect('/v1/caller');
      await c.ok({ type: 'hello', token: await h.token('caller', customerId, undefined, claims) });
      return c;
    },
    async http(path, init = {}) {
      const headers: Record<string, string> = {};
      if (init.token) headers['authorization'] = `Bearer ${init.token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(server.url + path, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body, headers: res.headers };
    },
    async close() {
      for (const c of clients) c.terminate();
      await server.close();
    },
  };
  return h;
}

let idSeq = 0;

export class Client {
  private readonly messages: { msg: Msg; used: boolean }[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The newest seat snapshot seen, whether or not a test read it. */
  seat: SeatView | null = null;
  /** The newest call view seen. */
  call: CustomerCallView | null = null;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Msg;
      if (msg.type === 'seat') this.seat = msg.seat;
      if (msg.type === 'call') this.call = msg.call;
      this.messages.push({ msg, used: false });
      this.wake();
    });
    ws.on('close', () => this.wake());
    ws.on('error', () => {});
  }

  static open(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }

  /** Sends a raw frame. */
  raw(data: string | Buffer): void {
    this.ws.send(data);
  }

  send(msg: Record<string, unknown>): string {
    const id = (msg['id'] as string | undefined) ?? `m${++idSeq}`;
    this.ws.send(JSON.stringify({ ...msg, id }));
    return id;
  }

  /** Sends and resolves with the one `ok` or `error` that answers it. */
  async request(msg: Record<string, unknown>): Promise<Msg> {
    const id = this.send(msg);
    return this.next((m) => (m.type === 'ok' || m.type === 'error') && m['id'] === id, `reply to ${String(msg['type'])} ${id}`);
  }

  async ok(msg: Record<string, unknown>): Promise<void> {
    const reply = await this.request(msg);
    assert.equal(reply.type, 'ok', `${String(msg['type'])} was refused: ${JSON.stringify(reply)}`);
  }

  async error(msg: Record<string, unknown>, code: string): Promise<Msg> {
    const reply = await this.request(msg);
    assert.equal(reply.type, 'error', `${String(msg['type'])} should have failed with ${code}`);
    assert.equal(reply['code'], code, `${String(msg['type'])}: ${String(reply['message'])}`);
    return reply;
  }

  /**
   * The next unread message of this type that matches; earlier unread messages of the same type
   * are passed over (a newer snapshot supersedes them).
   */
  next(type: 'seat', pred?: (s: SeatView) => boolean): Promise<SeatView>;
  next(type: 'call', pred?: (c: CustomerCallView) => boolean): Promise<CustomerCallView>;
  next(type: 'queue', pred?: (waiting: number) => boolean): Promise<number>;
  next(pred: (m: Msg) => boolean, what: string): Promise<Msg>;
  async next(a: string | ((m: Msg) => boolean), b?: unknown): Promise<any> {
    const type = typeof a === 'string' ? a : null;
    const pred: (v: any) => boolean = (typeof a === 'function' ? a : (b as ((v: any) => boolean) | undefined)) ?? (() => true);
    const what = type ?? String(b);
    const payload = (m: Msg): any => (type === 'seat' ? m['seat'] : type === 'call' ? m['call'] : type === 'queue' ? m['waiting'] : m);
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      for (let i = 0; i < this.messages.length; i++) {
        const entry = this.messages[i]!;
        if (entry.used || (type !== null && entry.msg.type !== type)) continue;
        if (!pred(payload(entry.msg))) continue;
        if (type !== null) for (let j = 0; j < i; j++) if (this.messages[j]!.msg.type === type) this.messages[j]!.used = true;
        entry.used = true;
        return payload(entry.msg);
      }
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`connection closed while waiting for ${what}; got ${this.dump()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.dump()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Every message of this type received so far, read or not. */
  all(type: string): Msg[] {
    return this.messages.filter((e) => e.msg.type === type).map((e) => e.msg);
  }

  close(): void {
    this.ws.close();
  }

  terminate(): void {
    this.ws.terminate();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private dump(): string {
    return JSON.stringify(this.messages.slice(-8).map((e) => e.msg));
  }
}

/** Resolves after `ms`; only for letting something *not* happen, never to wait for something. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The split of a seat snapshot. */
export const split = (seat: SeatView, i: number) => seat.splits[i]!;

/** Polls until `check` passes (for state seen only over HTTP or Janus). */
/**
 * The same token with one signature character changed. The first character of the signature
 * carries six bits of it (the last one only four: changing that can leave the bytes equal).
 */
export function badlySigned(token: string): string {
  const dot = token.lastIndexOf('.') + 1;
  const c = token[dot] === 'A' ? 'B' : 'A';
  return token.slice(0, dot) + c + token.slice(dot + 1);
}

export async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen: ${(last as Error)?.message ?? last}`);
    await sleep(50);
  }
}
