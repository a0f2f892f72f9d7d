import type { ClientEvent, ConnectionStatus, ControlClient, Outgoing } from '../../core/control-client.js';
import { ProtocolError } from '../../core/control-client.js';
import { CloseCode, MAX_FRAME_BYTES, type AgentMessage, type CallerMessage, type ServerMessage } from '../../core/protocol.js';
import { Liveness, browserTimers, type Timers } from './liveness.js';
import { ReconnectPolicy, closeAction, type Backoff } from './reconnect-policy.js';

export type { Backoff } from './reconnect-policy.js';
export type { Timers } from './liveness.js';

export interface WebSocketClientOptions {
  /**
   * The control center: `ws://host:port` (the role's path, `/v1/agent` or `/v1/caller`, is
   * added) or a full `ws://host:port/v1/agent` URL. Several (an array, or one string separated
   * by spaces: `"wss://a wss://b"`) are tried in turn: after a failed connect or a lost
   * connection the next one is tried, wrapping around, on the same reconnect delays.
   */
  url: string | readonly string[];
  token: string;
  role: 'agent' | 'caller';
  /** Agents only: how many splits to sign in with (R1). */
  splits?: number;
  backoff?: Backoff;
  /**
   * After this long without hearing from the server, in ms, send a `ping`; two unanswered in a
   * row and the connection is taken for dead, closed and reconnected (default 10 000, as the
   * server's own ping interval; 0 turns it off).
   */
  pingIntervalMs?: number;
  /** The WebSocket class to use (default: the browser's). */
  WebSocket?: { new (url: string): WebSocket };
  /** The clock (default `Date.now`). */
  now?: () => number;
  /** The timers (default the page's), for tests that drive time themselves. */
  timers?: Timers;
  /** A number in [0, 1) (default `Math.random`): the jitter of reconnect delays. */
  random?: () => number;
}

/** Resolves `server` to the endpoint of a role; throws a TypeError for anything but ws:/wss:. */
export function endpointFor(server: string, role: 'agent' | 'caller'): string {
  const url = new URL(server);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError(`not a ws:// or wss:// URL: ${server}`);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/v1/${role}`;
  return url.toString();
}

/**
 * Resolves `server` (one URL, several separated by spaces, or an array of them) to the endpoints
 * of a role, in order; throws a TypeError for an empty list or any URL but ws:/wss:.
 */
export function endpointsFor(server: string | readonly string[], role: 'agent' | 'caller'): string[] {
  const list = (typeof server === 'string' ? [server] : [...server]).flatMap((s) => s.split(/\s+/)).filter(Boolean);
  if (list.length === 0) throw new TypeError('no control-center URL');
  return list.map((u) => endpointFor(u, role));
}

type Pending = { resolve: () => void; reject: (e: ProtocolError) => void };

/**
 * `ControlClient` over the browser's WebSocket, speaking PROTOCOL.md version 1. Sends `hello`
 * on every open (with `splits` for agents; the server restores a seat that comes back within
 * its grace period, R15), numbers requests and matches replies, and reconnects, showing
 * `reconnecting` with `retryAt`: at once (spread over `backoff.spreadMs`) after a restart
 * (1012), a crash or a cut (1006, 1001) or a connection found dead by its pings, else with
 * exponential backoff. A refused token (close 4001) or another window taking the seat (4002)
 * ends in `offline` with the reason, without retrying. With several URLs, every attempt after a
 * failed connect or a lost connection goes to the next one (wrapping around), on those delays.
 */
export class WebSocketControlClient<M extends AgentMessage | CallerMessage> implements ControlClient<M> {
  status: ConnectionStatus = { state: 'connecting', retryAt: null, error: null };
  private readonly listeners = new Set<(e: ClientEvent) => void>();
  private readonly pending = new Map<string, Pending>();
  private readonly urls: string[];
  /** The URL of the current (or next) attempt. */
  private index = 0;
  private readonly Ws: { new (url: string): WebSocket };
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly policy: ReconnectPolicy;
  private readonly liveness: Liveness;
  private socket: WebSocket | null = null;
  private timer: unknown = null;
  private seq = 0;
  private helloId: string | null = null;
  /** Ids of pings in flight: their `ok` is the client's business, not the listeners'. */
  private readonly pings = new Set<string>();
  private closed = false;

  constructor(private readonly options: WebSocketClientOptions) {
    this.urls = endpointsFor(options.url, options.role);
    const Ws = options.WebSocket ?? globalThis.WebSocket;
    if (!Ws) throw new TypeError('WebSocket is not available here');
    this.Ws = Ws;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? browserTimers;
    this.policy = new ReconnectPolicy(options.backoff, options.random);
    this.liveness = new Liveness(
      options.pingIntervalMs ?? 10_000,
      this.now,
      this.timers,
      () => this.ping(),
      () => this.dead(),
    );
    this.open();
  }

  /** The endpoint the client is connected to, or tries next. */
  get url(): string {
    return this.urls[this.index]!;
  }

  request(message: Outgoing<M>): Promise<void> {
    if (this.status.state !== 'online' || !this.socket) {
      return Promise.reject(new ProtocolError('not-signed-in', `not connected (${this.status.state})`));
    }
    return this.send(message as Record<string, unknown>);
  }

  subscribe(listener: (e: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    if (s) {
      this.detach(s);
      s.close(1000, 'bye');
    }
    this.failAll('the connection was closed');
    this.setStatus({ state: 'offline', retryAt: null, error: null });
  }

  private send(message: Record<string, unknown>): Promise<void> {
    const id = String(++this.seq);
    const frame = JSON.stringify({ ...message, id });
    if (frame.length > MAX_FRAME_BYTES) return Promise.reject(new ProtocolError('bad-message', 'message too large'));
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket!.send(frame);
    });
  }

  private open(): void {
    this.timer = null;
    let opened = false;
    let socket: WebSocket;
    try {
      socket = new this.Ws(this.url);
    } catch (e) {
      return this.lost('backoff', false, String(e));
    }
    this.socket = socket;
    this.liveness.start();
    socket.onopen = () => {
      opened = true;
      this.liveness.heard();
      const hello: Record<string, unknown> = { type: 'hello', token: this.options.token };
      if (this.options.role === 'agent') hello.splits = this.options.splits ?? 2;
      this.helloId = String(++this.seq);
      socket.send(JSON.stringify({ ...hello, id: this.helloId }));
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.liveness.stop();
      this.failAll('the connection was lost');
      if (ev.code === CloseCode.unauthorized) return this.stop({ code: 'unauthorized', message: ev.reason || 'the token was refused' });
      if (ev.code === CloseCode.replaced) return this.stop({ code: 'replaced', message: ev.reason || 'another connection took this seat' });
      const action = closeAction(ev.code);
      // A connection that never opened is an unreachable server: backoff, whatever the code.
      this.lost(opened && action === 'at-once' ? 'at-once' : 'backoff', opened, ev.reason);
    };
    socket.onerror = () => {
      /* a close event follows */
    };
  }

  private receive(data: unknown): void {
    let m: ServerMessage;
    try {
      m = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    if (!m || typeof m !== 'object') return;
    this.liveness.heard();
    if ((m.type === 'ok' || m.type === 'error') && m.id !== null && this.pings.delete(m.id)) return;
    if ((m.type === 'ok' || m.type === 'error') && m.id !== null && m.id === this.helloId) {
      this.helloId = null;
      if (m.type === 'ok') {
        this.policy.reset();
        this.setStatus({ state: 'online', retryAt: null, error: null });
      } else if (m.code === 'rate-limited' || m.code === 'internal') {
        // Refused for now, not for good: the same hello may pass a little later.
        this.drop('backoff');
      } else {
        // The server closes with 4001 on `unauthorized`; for any other refusal, stop here too:
        // retrying the same hello would be refused again.
        this.stop({ code: m.code, message: m.message });
      }
      return;
    }
    if ((m.type === 'ok' || m.type === 'error') && m.id !== null && this.pending.has(m.id)) {
      const p = this.pending.get(m.id)!;
      this.pending.delete(m.id);
      if (m.type === 'ok') p.resolve();
      else p.reject(new ProtocolError(m.code, m.message));
      return;
    }
    for (const l of [...this.listeners]) l({ type: 'message', message: m });
  }

  /** The socket closed or never opened: try again, at once or after a while. */
  private lost(action: 'at-once' | 'backoff', opened: boolean, reason: string): void {
    if (this.closed) return;
    const delay = this.policy.next(action === 'at-once');
    const error = opened ? null : { code: 'unreachable' as const, message: reason || `cannot reach ${this.url}` };
    // With several URLs, the next attempt goes to the next one.
    this.index = (this.index + 1) % this.urls.length;
    this.setStatus({ state: 'reconnecting', retryAt: this.now() + delay, error });
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (this.closed) return;
      this.setStatus({ state: 'connecting', retryAt: null, error: this.status.error });
      this.open();
    }, delay);
  }

  /** Gives up on the current socket without waiting for its close event, and reconnects. */
  private drop(action: 'at-once' | 'backoff'): void {
    const s = this.socket;
    this.socket = null;
    this.liveness.stop();
    if (s) {
      this.detach(s);
      // A dead peer never completes the closing handshake: the browser frees the socket later.
      s.close(1000);
    }
    this.failAll('the connection was lost');
    this.lost(action, true, '');
  }

  /** Two pings met by silence: the server is gone or the path to it is half-open. */
  private dead(): void {
    const s = this.socket;
    // A socket that never opened (a connect hanging in SYN) is an unreachable server.
    if (s && s.readyState !== 1) {
      this.socket = null;
      this.detach(s);
      s.close();
      this.failAll('the connection was lost');
      return this.lost('backoff', false, `no answer from ${this.url}`);
    }
    this.drop('at-once');
  }

  private ping(): void {
    const s = this.socket;
    if (!s || s.readyState !== 1) return;
    const id = String(++this.seq);
    this.pings.add(id);
    s.send(JSON.stringify({ type: 'ping', id }));
  }

  private clearTimers(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.liveness.stop();
  }

  /** Offline for good, with the reason. */
  private stop(error: ConnectionStatus['error']): void {
    this.closed = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    if (s) {
      this.detach(s);
      s.close(1000);
    }
    this.failAll('the connection was closed');
    this.setStatus({ state: 'offline', retryAt: null, error });
  }

  private detach(s: WebSocket): void {
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
  }

  private failAll(message: string): void {
    this.pings.clear();
    this.helloId = null;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(new ProtocolError('not-signed-in', message));
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const l of [...this.listeners]) l({ type: 'status', status });
  }
}
