/**
 * What both WebSocket endpoints share: one reply per client message, in order, rate limited,
 * with `hello` (and its token check) before anything else. Subclasses say what a hello binds
 * and what a command does.
 *
 * Every frame is handled synchronously as it arrives (the token check is synchronous), so
 * nothing queues on the way in, and a frame that arrived before the frame that made ws close
 * the connection (1009 too big, 1007 invalid UTF-8) has had its reply written before the close.
 * On the way out, a client that does not read is closed with 4004 once its unsent data passes
 * `limits.maxBufferedBytes`, and is lost (R15/R16).
 */
import type WebSocket from 'ws';
import type { ErrorCode, Role, ServerMessage } from '../core/protocol.js';
import { CloseCode, MAX_ID_LENGTH } from '../core/protocol.js';
import type { Auth, Identity } from './auth.js';
import type { Outcome } from '../core/effect-host.js';
import type { Floor, Peer } from './floor.js';
import type { IceServers } from './ice-servers.js';
import { defaultLimits, Guard } from './limits.js';
import { Liveness } from './liveness.js';
import { RateLimit } from './rate-limit.js';

export interface EndpointDeps {
  cc: Floor;
  auth: Auth;
  rateLimit: { perSecond: number; burst: number };
  log: (message: string) => void;
  /** The server's shared per-address and per-identity limits (a private default when absent). */
  guard?: Guard;
  /** `--ice-servers`: added to every `media` this connection is sent, TURN credentials minted for its party. */
  ice?: IceServers;
}

/** Frames a connection may send while its `hello` waits for the verdict. */
const MAX_HELD = 64;
/** After a 4004/4005 close frame, how long a peer that does not read gets before the socket is cut. */
const CLOSE_GRACE_MS = 2000;
/** How long a client over its message rate is not read from. */
const READ_PAUSE_MS = 250;

export abstract class Connection<M extends { type: string; id: string }> implements Peer {
  protected readonly cc: Floor;
  private readonly auth: Auth;
  private readonly limiter: RateLimit;
  private readonly log: (message: string) => void;
  protected readonly guard: Guard;
  private readonly liveness: Liveness;
  /** Adds this party's ICE servers to the `media` of outgoing snapshots; null without any. */
  private readonly withIce: ((m: ServerMessage) => ServerMessage) | null;
  protected closed = false;
  private readPaused = false;
  /** Lost (4004): never read from again; the socket is cut shortly. */
  private silenced = false;

  constructor(
    protected readonly ws: WebSocket,
    deps: EndpointDeps,
    private readonly role: Role,
  ) {
    this.cc = deps.cc;
    this.auth = deps.auth;
    this.log = deps.log;
    this.guard = deps.guard ?? new Guard(defaultLimits());
    this.limiter = new RateLimit(deps.rateLimit.perSecond, deps.rateLimit.burst);
    // Wall time, not the floor's clock: coturn checks a credential's expiry against its own clock.
    // One minter per connection: every new connection (a reconnect) gets fresh credentials.
    this.withIce = deps.ice && !deps.ice.empty ? deps.ice.forConnection(() => this.party, () => Date.now()) : null;
    const limits = this.guard.limits;
    this.liveness = new Liveness(ws, limits, {
      helloTimeout: () => {
        if (!this.signedIn && !this.closed) this.close(CloseCode.helloTimeout, 'no hello in time');
      },
      dead: () => {
        this.log(`${this.role} missed two pings: lost`);
        this.closed = true;
        ws.terminate();
      },
    });
    ws.on('message', (data, isBinary) => {
      this.liveness.alive();
      const allowed = this.limiter.take();
      // Over its message rate: stop reading from this client for a moment, so a flood waits in
      // its own TCP buffers instead of being parsed (and answered) here ahead of everyone else.
      if (!allowed && !this.readPaused && !this.closed) {
        this.readPaused = true;
        ws.pause();
        setTimeout(() => {
          this.readPaused = false;
          if (!this.silenced) ws.resume();
        }, READ_PAUSE_MS).unref();
      }
      try {
        this.receive(isBinary ? null : data.toString(), allowed);
      } catch (e) {
        this.log(`${this.role} message failed: ${(e as Error).stack ?? (e as Error).message}`);
      }
    });
    ws.on('close', () => {
      this.closed = true;
      this.liveness.stop();
      this.gone();
    });
    ws.on('error', (e) => this.log(`${this.role} socket error: ${e.message}`));
  }

  send(message: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(this.withIce ? this.withIce(message) : message));
    // Backpressure: what the client has not read stays in our memory; past the limit it is lost.
    if (this.ws.bufferedAmount > this.guard.limits.maxBufferedBytes) {
      this.log(`${this.role} does not read (${this.ws.bufferedAmount} bytes unsent): closing 4004`);
      this.lose(CloseCode.slowConsumer, 'slow consumer');
    }
  }

  abstract signedOut(): void;

  /** Closes this connection because another one took over the same identity. */
  replaced(): void {
    this.signedOut();
    this.close(CloseCode.replaced, 'replaced by a newer connection');
  }

  close(code: number, reason: string): void {
    this.closed = true;
    this.liveness.stop();
    this.ws.close(code, reason);
    // Read again if a read pause was on: the client's close frame must get in for the closing
    // handshake to end (else the client sees its close only when ws gives up, 30 s later).
    this.ws.resume();
  }

  /**
   * Closes with `code` and counts the connection as lost now (R15/R16 start), without waiting
   * for a client that may never read the close frame; its socket is cut shortly after.
   */
  protected lose(code: number, reason: string): void {
    if (this.closed) return;
    this.close(code, reason);
    // Read nothing more from it: a flooder's frames would only be parsed to be dropped.
    this.silenced = true;
    this.ws.pause();
    this.gone();
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  protected abstract parse(text: string): { ok: true; message: M } | { ok: false; error: { message: string; id: string | null } };
  /** The token is good: bind this connection to that identity. */
  protected abstract hello(message: M, identity: Identity): void;
  protected abstract command(message: M): void;
  protected abstract get signedIn(): boolean;
  /** Who this connection is in a media room (`agent:<seatId>`, `customer:<id>`), once signed in. */
  protected abstract get party(): string | null;
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

  /**
   * Frames that came while this connection's `hello` waited for its verdict (in a cluster the
   * dispatcher answers a moment later): handled in order once it comes, as a client that sends
   * `hello` and its first commands at once expects. Bounded.
   */
  private held: Array<[string | null, boolean]> | null = null;

  private receive(text: string | null, allowed: boolean): void {
    if (this.closed) return;
    if (this.held) {
      if (this.held.length >= MAX_HELD) return this.error(text === null ? null : readId(text), 'rate-limited', 'wait for the answer to hello');
      this.held.push([text, allowed]);
      return;
    }
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
    if (!this.guard.hello(this.ws)) {
      this.error(m.id, 'rate-limited', 'too many hellos from this address; retry later');
      return this.close(CloseCode.rateLimited, 'too many hellos from this address');
    }
    const verified = this.auth.check((m as unknown as { token: string }).token, this.role);
    if (!verified.ok) {
      this.error(m.id, 'unauthorized', verified.reason);
      return this.close(CloseCode.unauthorized, 'unauthorized');
    }
    this.held = [];
    this.hello(m, verified.identity);
  }

  /** The subclass calls this once its `hello` has its verdict: held frames go on in order. */
  protected helloSettled(): void {
    if (this.signedIn) this.liveness.helloDone();
    const held = this.held ?? [];
    this.held = null;
    for (const [text, allowed] of held) this.receive(text, allowed);
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
