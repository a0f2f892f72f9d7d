import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableStore } from '../../core/store.js';

/** Equal when both are the same, or objects/arrays whose own keys hold the same values. */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && Object.is((a as never)[k], (b as never)[k]));
}

/**
 * Selects a slice of a store and re-renders its host only when the slice changes (shallow
 * equality). The store can be swapped at any time with `setStore` (say, when a context
 * arrives); `onChange` sees every new slice with the previous one, to derive events.
 */
export class SelectController<S, T> implements ReactiveController {
  private store: ReadableStore<S> | undefined;
  private unsubscribe: (() => void) | null = null;
  private connected = false;
  value: T;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly selector: (state: S) => T,
    private readonly empty: T,
    private readonly onChange?: (value: T, previous: T) => void,
    private readonly equals: (a: T, b: T) => boolean = shallowEqual,
  ) {
    this.value = empty;
    host.addController(this);
  }

  /**
   * Uses `store`. The same store again re-reads the slice: the selector may read the host's own
   * fields (a pane's `index`), which changed while the store did not.
   */
  setStore(store: ReadableStore<S> | undefined): void {
    if (store === this.store) {
      if (this.connected) this.set(store ? this.selector(store.getState()) : this.empty);
      return;
    }
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.store = store;
    if (this.connected) this.listen();
  }

  hostConnected(): void {
    this.connected = true;
    this.listen();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private listen(): void {
    if (this.unsubscribe) return;
    this.set(this.store ? this.selector(this.store.getState()) : this.empty);
    if (!this.store) return;
    this.unsubscribe = this.store.subscribe((state) => this.set(this.selector(state)));
  }

  private set(next: T): void {
    if (this.equals(next, this.value)) return;
    const previous = this.value;
    this.value = next;
    this.host.requestUpdate();
    this.onChange?.(next, previous);
  }
}
