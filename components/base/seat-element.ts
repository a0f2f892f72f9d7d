import { LitElement } from 'lit';
import type {} from '../events/events.js';

/**
 * The base of every element in the suite: a typed `emit()` and a `define()` that tolerates a
 * second copy of the library on the page (CRM pages often load scripts twice).
 * Not public API beyond `emit` and `define`.
 */
export class SeatElement extends LitElement {
  /**
   * Fires a `CustomEvent` from the host that bubbles and crosses shadow roots. Returns the
   * event, so a caller can read `defaultPrevented` on a cancelable one.
   */
  emit<K extends keyof GlobalEventHandlersEventMap>(
    name: K,
    options?: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? { detail: D; cancelable?: boolean } : never,
  ): GlobalEventHandlersEventMap[K] {
    const event = new CustomEvent(name, {
      bubbles: true,
      composed: true,
      cancelable: options?.cancelable ?? false,
      detail: options?.detail,
    });
    this.dispatchEvent(event);
    return event as unknown as GlobalEventHandlersEventMap[K];
  }

  /** Work loaded on demand (chunks, adapters) that `updateComplete` waits for. @internal */
  private readonly loading = new Set<Promise<unknown>>();

  /**
   * Resolves after the pending update and once every on-demand load started with `track()`
   * (without `server`: the simulator and the fake media adapter) has settled and rendered.
   * @internal
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.loading.size) {
      await Promise.allSettled([...this.loading]);
      done = await super.getUpdateComplete();
    }
    return done;
  }

  /** Tracks an on-demand load for `updateComplete`. @internal */
  protected track<T>(p: Promise<T>): Promise<T> {
    this.loading.add(p);
    const drop = () => void this.loading.delete(p);
    p.then(drop, drop);
    return p;
  }

  /**
   * Registers the class under `name` unless that name is taken. A second copy of the library
   * (another version, or the same file loaded twice) keeps the first registration and warns
   * only when the two classes differ, instead of throwing `NotSupportedError`.
   */
  static define(name: string, ctor: CustomElementConstructor = this): void {
    if (typeof customElements === 'undefined') return;
    const existing = customElements.get(name);
    if (!existing) {
      customElements.define(name, ctor);
      return;
    }
    if (existing !== ctor) {
      console.warn(`multi-seat: <${name}> is already defined by another copy of the library; keeping that one.`);
    }
  }
}
