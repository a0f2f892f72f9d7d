/** The timers a client runs on; injected by tests that drive time themselves. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Notices a connection that has gone quiet. Page scripts cannot see the server's WebSocket
 * pings, and a half-open TCP connection (a laptop that slept, a NAT that forgot us, a server
 * that died without a FIN) never fires `close`; so after one interval of silence the client
 * sends the protocol's `ping`, and after two pings in a row met by silence it calls `dead`.
 * Anything heard (a reply, a snapshot) counts: a busy connection sends no pings at all.
 * One timer per interval, not one per message, so a chatty floor costs nothing.
 */
export class Liveness {
  private lastHeard = 0;
  private unanswered = 0;
  private timer: unknown = null;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly timers: Timers,
    /** Sends one ping (does nothing while the socket is still opening). */
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {}

  /** Starts watching a new socket (also one still opening: a connect that hangs is dead too). */
  start(): void {
    this.stop();
    if (!(this.intervalMs > 0) || !Number.isFinite(this.intervalMs)) return;
    this.lastHeard = this.now();
    this.unanswered = 0;
    this.schedule(this.intervalMs);
  }

  heard(): void {
    this.lastHeard = this.now();
    this.unanswered = 0;
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.timer = this.timers.setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    this.timer = null;
    const silent = this.now() - this.lastHeard;
    if (silent < this.intervalMs) return this.schedule(this.intervalMs - silent);
    if (this.unanswered >= 2) return this.dead();
    this.unanswered++;
    this.ping();
    this.schedule(this.intervalMs);
  }
}
