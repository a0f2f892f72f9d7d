/**
 * A per-connection token bucket: short bursts pass, a client that keeps flooding gets
 * `rate-limited` answers instead of reaching the engine.
 */
export class RateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket has refilled to its burst (nothing to remember about this client). */
  full(): boolean {
    const t = this.now();
    return this.tokens + ((t - this.last) / 1000) * this.perSecond >= this.burst;
  }
}
