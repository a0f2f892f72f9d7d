/**
 * The call state exposed to the page's CSS as one custom state (`seat-split:state(ringing)`),
 * through `ElementInternals.states`. Elements also reflect it as `data-state` for browsers
 * without `CustomStateSet`; this helper is a no-op there. Not public API.
 * @internal
 */
export class CallStates {
  private readonly states: { add(s: string): void; delete(s: string): boolean } | null;
  private current: string | null = null;

  constructor(host: HTMLElement) {
    let states = null;
    try {
      states = (host.attachInternals() as ElementInternals & { states?: CallStates['states'] }).states ?? null;
    } catch {
      // attachInternals unavailable (old browser, or the element was not created as a custom element).
    }
    this.states = states;
  }

  /** Makes `state` the only call state set on the host. */
  set(state: string): void {
    if (!this.states || state === this.current) return;
    try {
      if (this.current) this.states.delete(this.current);
      this.states.add(state);
      this.current = state;
    } catch {
      // A browser that accepts only `--dashed` state names: the data-state attribute remains.
    }
  }
}
