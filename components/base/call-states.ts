/**
 * States exposed to the page's CSS as custom states (`seat-split:state(ringing)`), through
 * `ElementInternals.states`: the one mechanism of every element. A state belongs to a group, and a
 * group holds at most one state at a time (the call state of a pane; the connection of a seat);
 * a state of its own (`ringing`, `attention`) is a group of one, set or cleared with `toggle`.
 *
 * With `reflect`, every state is mirrored as a `data-<state>` attribute, for browsers without
 * `CustomStateSet` and for selectors that prefer attributes; elements with one call state
 * reflect it themselves as `data-state`. Without `CustomStateSet` the custom states are a no-op.
 * Not public API.
 * @internal
 */
export class CallStates {
  private readonly states: { add(s: string): void; delete(s: string): boolean } | null;
  /** The state each group holds now. */
  private readonly current = new Map<string, string>();

  constructor(
    private readonly host: HTMLElement,
    private readonly options: { reflect?: boolean } = {},
  ) {
    let states = null;
    try {
      states = (host.attachInternals() as ElementInternals & { states?: CallStates['states'] }).states ?? null;
    } catch {
      // attachInternals unavailable (old browser, or the element was not created as a custom element).
    }
    this.states = states;
  }

  /** Makes `state` the only state of `group` on the host (default: the call state); null clears the group. */
  set(state: string | null, group = 'call'): void {
    const was = this.current.get(group) ?? null;
    if (state === was) return;
    if (state) this.current.set(group, state);
    else this.current.delete(group);
    if (this.options.reflect) {
      if (was) this.host.removeAttribute(`data-${was}`);
      if (state) this.host.setAttribute(`data-${state}`, '');
    }
    if (!this.states) return;
    try {
      if (was) this.states.delete(was);
      if (state) this.states.add(state);
    } catch {
      // A browser that accepts only `--dashed` state names: the data attributes remain.
    }
  }

  /** Sets or clears a state that stands alone. */
  toggle(state: string, on: boolean): void {
    this.set(on ? state : null, state);
  }
}
