/**
 * Is the other end still there? A connection must say `hello` within `helloTimeoutMs`; after
 * that the server pings every `pingIntervalMs` and a connection that lets two pings in a row go
 * unanswered is dead (a frozen laptop, Wi-Fi gone without a FIN). Any frame from the client
 * counts as an answer too.
 */
import type WebSocket from 'ws';

export interface LivenessHandlers {
  /** No hello in time: close with 4003. */
  helloTimeout(): void;
  /** Two pings missed: terminate; the connection is lost (R15/R16). */
  dead(): void;
}

export class Liveness {
  private helloTimer: NodeJS.Timeout | null;
  private readonly pingTimer: NodeJS.Timeout;
  private awaitingPong = false;
  private missed = 0;

  constructor(
    private readonly ws: WebSocket,
    options: { helloTimeoutMs: number; pingIntervalMs: number },
    private readonly handlers: LivenessHandlers,
  ) {
    this.helloTimer = setTimeout(() => {
      this.helloTimer = null;
      handlers.helloTimeout();
    }, options.helloTimeoutMs);
    this.pingTimer = setInterval(() => this.tick(), options.pingIntervalMs);
    // Neither timer keeps the process alive on its own.
    this.helloTimer.unref();
    this.pingTimer.unref();
    ws.on('pong', () => this.alive());
  }

  /** The client said something: it is alive. */
  alive(): void {
    this.awaitingPong = false;
    this.missed = 0;
  }

  helloDone(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
  }

  stop(): void {
    this.helloDone();
    clearInterval(this.pingTimer);
  }

  private tick(): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.awaitingPong && ++this.missed >= 2) {
      this.stop();
      this.handlers.dead();
      return;
    }
    this.awaitingPong = true;
    try {
      this.ws.ping();
    } catch {
      // the socket is going; its close event does the rest
    }
  }
}
