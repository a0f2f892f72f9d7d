/**
 * A small observable store: the one place components read state from. Framework-free, so a
 * CRM on React, Vue or plain DOM can subscribe to the same store the elements use.
 */
export type Listener<S> = (state: S, previous: S) => void;

export interface ReadableStore<S> {
  getState(): S;
  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: Listener<S>): () => void;
}

export class Store<S extends object> implements ReadableStore<S> {
  private state: S;
  private readonly listeners = new Set<Listener<S>>();

  constructor(initial: S) {
    this.state = initial;
  }

  getState(): S {
    return this.state;
  }

  subscribe(listener: Listener<S>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces the named fields; listeners hear of it only when something changed. */
  protected update(patch: Partial<S>): void {
    const previous = this.state;
    const keys = Object.keys(patch) as (keyof S)[];
    if (keys.every((k) => Object.is(previous[k], patch[k]))) return;
    this.state = { ...previous, ...patch };
    for (const listener of [...this.listeners]) listener(this.state, previous);
  }
}
