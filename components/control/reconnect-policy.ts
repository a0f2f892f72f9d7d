import { CloseCode } from '../../core/protocol.js';

export interface Backoff {
  /** First delay before reconnecting, in ms (default 500). */
  initialMs?: number;
  /** Longest delay, in ms (default 10 000). */
  maxMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Random spread, 0–1 (default 0.2), so a floor of agents does not reconnect in step. */
  jitter?: number;
  /**
   * The window, in ms, over which an immediate reconnect (after a restart or a crash of the
   * control center) is spread (default 1000): a whole floor comes back within it, not in one burst.
   */
  spreadMs?: number;
}

/** What a client does when its connection closes with `code`. */
export type CloseAction = 'stop' | 'at-once' | 'backoff';

/** Going away (1001), abnormal closure (1006: a crash or a network cut). */
const LOST = new Set<number>([1001, 1006, CloseCode.serviceRestart]);

/**
 * PROTOCOL.md "Recovering": a refused token (4001) or a seat taken by another window (4002)
 * stops; a restart (1012), a crash or a cut (1006, 1001) reconnects at once, spread by jitter;
 * anything else (4003 no hello in time, 4004 slow consumer, 4005 rate limited, 1007, 1009…)
 * reconnects with backoff, since trying again at once would meet the same answer.
 */
export function closeAction(code: number): CloseAction {
  if (code === CloseCode.unauthorized || code === CloseCode.replaced) return 'stop';
  return LOST.has(code) ? 'at-once' : 'backoff';
}

/**
 * The delays between attempts. Each signed-in session may come back once "at once" (within
 * `spreadMs`); every failure after that waits on an exponential backoff, until a sign-in
 * succeeds and `reset()` starts over.
 */
export class ReconnectPolicy {
  private readonly b: Required<Backoff>;
  private steps = 0;
  private quickUsed = false;

  constructor(
    backoff: Backoff = {},
    private readonly random: () => number = Math.random,
  ) {
    this.b = { initialMs: 500, maxMs: 10_000, factor: 2, jitter: 0.2, spreadMs: 1000, ...backoff };
  }

  /** The delay before the next attempt, in ms; `atOnce` when the close asks for a prompt return. */
  next(atOnce: boolean): number {
    if (atOnce && !this.quickUsed) {
      this.quickUsed = true;
      return Math.round(this.random() * this.b.spreadMs);
    }
    this.quickUsed = true;
    const base = Math.min(this.b.maxMs, this.b.initialMs * this.b.factor ** this.steps++);
    return Math.max(0, Math.round(base * (1 + this.b.jitter * (this.random() * 2 - 1))));
  }

  /** Signed in again: the next loss may come back at once. */
  reset(): void {
    this.steps = 0;
    this.quickUsed = false;
  }
}
