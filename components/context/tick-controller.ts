import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders its host once a second while `active()` says so (call timers, countdowns). */
export class TickController implements ReactiveController {
  private handle: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly active: () => boolean,
    private readonly periodMs = 1000,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const on = this.active();
    if (on && !this.handle) this.handle = setInterval(() => this.host.requestUpdate(), this.periodMs);
    if (!on && this.handle) this.stop();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    if (this.handle) clearInterval(this.handle);
    this.handle = null;
  }
}
