/**
 * What both WebSocket endpoints share: one reply per client message, in order, rate limited,
 * with `hello` (and its token check) before anything else. Subclasses say what a hello binds
 * and what a command does.
 */
import type WebSocket from 'ws';
import type { ErrorCode, Role, ServerMessage } from '../core/protocol.js';
import { CloseCode, MAX_ID_LENGTH } from '../core/protocol.js';
import type { Auth, Identity } from './auth.js';
import type { ControlCenter, Outcome, Peer } from './control-center.js';
import { RateLimit } from './rate-limit.js';

export interface EndpointDeps {
  cc: ControlCenter;
  auth: Auth;
  rateLimit: { perSecond: number; burst: number };
  log: (message: string) => void;
}

export abstract class Connection<M extends { type: string; id: string }> implements Peer {
  protected readonly cc: ControlCenter;
  private readonly auth: Auth;
  private readonly limiter: RateLimit;
  private readonly log: (message: string) => void;
  /** Messages are handled one after another: a hello's token check is asynchronous. */
  private chain: Promise<void> = Promise.resolve();
  protected closed = false;

  constructor(
    protected readonly ws: WebSocket,
    deps: EndpointDeps,
    private readonly role: Role,
  ) {
    this.cc = deps.cc;
    this.auth = deps.auth;
    this.log = deps.log;
    this.limiter = new RateLimit(deps.rateLimit.perSecond, deps.rateLimit.burst);
    ws.on('message', (data, isBinary) => {
      // The bucket is read on arrival, so a burst is judged by when it came, not when handled.
      const allowed = this.limiter.take();
      const text = isBinary ? null : data.toString();
      this.chain = this.chain
        .then(() => this.receive(text, allowed))
        .catch((e: Error) => this.log(`${this.role} message failed: ${e.stack ?? e.message}`));
    });
    ws.on('close', () => {
      this.closed = true;
      this.gone();
    });
    ws.on('error', (e) => this.log(`${this.role} socket error: ${e.message}`));
  }

  send(message: ServerMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  abstract signedOut(): void;

  /** Closes this connection because another one took over the same identity. */
  replaced(): void {
    this.signedOut();
    this.close(CloseCode.replaced, 'replaced by a newer connection');
  }

  close(code: number, reason: string): void {
    this.closed = true;
    this.ws.close(code, reason);
  }

  protected abstract parse(text: string): { ok: true; message: M } | { ok: false; error: { message: string; id: string | null } };
  /** The token is good: bind this connection to that identity. */
  protected abstract hello(message: M, identity: Identity): void;
  protected abstract command(message: M): void;
  protected abstract get signedIn(): boolean;
  protected abstract gone(): void;

  protected ok(id: string): void {
    this.send({ type: 'ok', id });
  }

  protected error(id: string | null, code: ErrorCode, message: string): void {
    this.send({ type: 'error', id, code, message });
  }

  /** Answers a command with the engine's verdict. */
  protected answer(id: string): (outcome: Outcome) => void {
    return (o) => (o.ok ? this.ok(id) : this.error(id, o.error.code, o.error.message));
  }

  private async receive(text: string | null, allowed: boolean): Promise<void> {
    if (this.closed) return;
    if (text === null) return this.error(null, 'bad-message', 'frames must be JSON text');
    if (!allowed) return this.error(readId(text), 'rate-limited', 'too many messages; slow down');
    const parsed = this.parse(text);
    if (!parsed.ok) return this.error(parsed.error.id, 'bad-message', parsed.error.message);
    const m = parsed.message;
    // Liveness for page scripts, which cannot see WebSocket pings: answered before or after hello.
    if (m.type === 'ping') return this.ok(m.id);
    if (m.type !== 'hello') {
      if (!this.signedIn) return this.error(m.id, 'not-signed-in', 'say hello first');
      return this.command(m);
    }
    if (this.signedIn) return this.error(m.id, 'invalid-state', 'this connection has already said hello');
    const verified = await this.auth.verify((m as unknown as { token: string }).token, this.role);
    if (this.closed) return;
    if (!verified.ok) {
      this.error(m.id, 'unauthorized', verified.reason);
      return this.close(CloseCode.unauthorized, 'unauthorized');
    }
    this.hello(m, verified.identity);
  }
}

/** The client's id, if the frame has a readable one (for errors before validation). */
function readId(text: string): string | null {
  try {
    const v = JSON.parse(text) as unknown;
    const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
    return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : null;
  } catch {
    return null;
  }
}
