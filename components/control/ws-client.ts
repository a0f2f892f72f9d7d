import type { ClientEvent, ConnectionStatus, ControlClient, Outgoing } from '../../core/control-client.js';
import { ProtocolError } from '../../core/control-client.js';
import { CloseCode, MAX_FRAME_BYTES, type AgentMessage, type CallerMessage, type ServerMessage } from '../../core/protocol.js';

export interface Backoff {
  /** First delay before reconnecting, in ms (default 500). */
  initialMs?: number;
  /** Longest delay, in ms (default 10 000). */
  maxMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Random spread, 0–1 (default 0.2), so a floor of agents does not reconnect in step. */
  jitter?: number;
}

export interface WebSocketClientOptions {
  /**
   * The control center: `ws://host:port` (the role's path, `/v1/agent` or `/v1/caller`, is
   * added) or a full `ws://host:port/v1/agent` URL.
   */
  url: string;
  token: string;
  role: 'agent' | 'caller';
  /** Agents only: how many splits to sign in with (R1). */
  splits?: number;
  backoff?: Backoff;
  /** The WebSocket class to use (default: the browser's). */
  WebSocket?: { new (url: string): WebSocket };
  now?: () => number;
}

/** Resolves `server` to the endpoint of a role; throws a TypeError for anything but ws:/wss:. */
export function endpointFor(server: string, role: 'agent' | 'caller'): string {
  const url = new URL(server);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError(`not a ws:// or wss:// URL: ${server}`);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/v1/${role}`;
  return url.toString();
}

type Pending = { resolve: () => void; reject: (e: ProtocolError) => void };

/**
 * `ControlClient` over the browser's WebSocket, speaking PROTOCOL.md version 1. Sends `hello`
 * on every open (with `splits` for agents; the server restores a seat that comes back within
 * its grace period, R15), numbers requests and matches replies, and reconnects with
 * exponential backoff, showing `reconnecting` with `retryAt`. A refused token (close 4001) or
 * another window taking the seat (4002) ends in `offline` with the reason, without retrying.
 */
export class WebSocketControlClient<M extends AgentMessage | CallerMessage> implements ControlClient<M> {
  status: ConnectionStatus = { state: 'connecting', retryAt: null, error: null };
  private readonly listeners = new Set<(e: ClientEvent) => void>();
  private readonly pending = new Map<string, Pending>();
  private readonly url: string;
  private readonly Ws: { new (url: string): WebSocket };
  private readonly now: () => number;
  private readonly backoff: Required<Backoff>;
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;
  private helloId: string | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: WebSocketClientOptions) {
    this.url = endpointFor(options.url, options.role);
    const Ws = options.WebSocket ?? globalThis.WebSocket;
    if (!Ws) throw new TypeError('WebSocket is not available here');
    this.Ws = Ws;
    this.now = options.now ?? Date.now;
    this.backoff = { initialMs: 500, maxMs: 10_000, factor: 2, jitter: 0.2, ...options.backoff };
    this.open();
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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
      return this.lost(false, String(e));
    }
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      const hello: Record<string, unknown> = { type: 'hello', token: this.options.token };
      if (this.options.role === 'agent') hello.splits = this.options.splits ?? 2;
      this.helloId = String(++this.seq);
      socket.send(JSON.stringify({ ...hello, id: this.helloId }));
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failAll('the connection was lost');
      if (ev.code === CloseCode.unauthorized) return this.stop({ code: 'unauthorized', message: ev.reason || 'the token was refused' });
      if (ev.code === CloseCode.replaced) return this.stop({ code: 'replaced', message: ev.reason || 'another connection took this seat' });
      this.lost(opened, ev.reason);
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
    if ((m.type === 'ok' || m.type === 'error') && m.id !== null && m.id === this.helloId) {
      this.helloId = null;
      if (m.type === 'ok') {
        this.failures = 0;
        this.setStatus({ state: 'online', retryAt: null, error: null });
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

  /** The socket closed or never opened: try again after a while. */
  private lost(opened: boolean, reason: string): void {
    if (this.closed) return;
    this.failures++;
    const b = this.backoff;
    const base = Math.min(b.maxMs, b.initialMs * b.factor ** (this.failures - 1));
    const delay = Math.round(base * (1 + b.jitter * (Math.random() * 2 - 1)));
    const error = opened ? null : { code: 'unreachable' as const, message: reason || `cannot reach ${this.url}` };
    this.setStatus({ state: 'reconnecting', retryAt: this.now() + delay, error });
    this.timer = setTimeout(() => {
      if (this.closed) return;
      this.setStatus({ state: 'connecting', retryAt: null, error: this.status.error });
      this.open();
    }, delay);
  }

  /** Offline for good, with the reason. */
  private stop(error: ConnectionStatus['error']): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
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
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(new ProtocolError('not-signed-in', message));
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const l of [...this.listeners]) l({ type: 'status', status });
  }
}
