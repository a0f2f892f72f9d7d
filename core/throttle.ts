/**
 * Runs a job at most once per interval: the first poke runs it at once, later pokes within the
 * interval fold into one run at the interval's end. Used so a busy queue cannot flood clients.
 */
import type { Clock, TimerHandle } from './clock.js';

export class Throttle {
  private last = -Infinity;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly job: () => void,
  ) {}

  poke(): void {
    if (this.timer) return;
    const due = this.last + this.intervalMs;
    if (this.clock.now() >= due) return this.run();
    this.timer = this.clock.at(due, () => {
      this.timer = null;
      this.run();
    });
  }

  stop(): void {
    if (this.timer) this.clock.cancel(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.last = this.clock.now();
    this.job();
  }
}
