// Shared helpers for the component tests: a fresh simulator per test, callers, and a small
// harness that finds a pane's parts without the tests knowing the shadow DOM's shape.
import { waitUntil } from '@open-wc/testing';
import { CallerStore } from '../../core/caller-store.js';
import type { Simulator } from '../../core/simulator.js';
import { createSimulator } from '../../components/control/page-simulator.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatSplit } from '../../components/seat-split/seat-split.component.js';
import type { EngineConfig } from '../../core/model.js';

export function newSim(config: Partial<EngineConfig> = {}): Simulator {
  return createSimulator({ ringTimeoutMs: 60_000, ...config });
}

/** A customer who places a call on the simulator; resolves once the call is queued. */
export async function placeCall(sim: Simulator, id: string, name = id, queue = 'claims'): Promise<CallerStore> {
  const store = new CallerStore(sim.caller(id));
  await store.call(queue, name);
  return store;
}

export function splitEl(seat: MultiSeat, index: number): SeatSplit {
  const el = seat.shadowRoot!.querySelectorAll<SeatSplit>('seat-split')[index];
  if (!el) throw new Error(`no split ${index}`);
  return el;
}

/** A button by its specific part name (`answer`, `hangup`…), or null. */
export function button(split: SeatSplit | MultiSeat, part: string): HTMLButtonElement | null {
  return split.shadowRoot!.querySelector<HTMLButtonElement>(`button[part~="${part}"]`);
}

export function part(host: Element, name: string): HTMLElement | null {
  return host.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

export function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export async function settle(el: { updateComplete: Promise<boolean> }): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
}

export async function splitState(seat: MultiSeat, index: number, state: string, timeout = 2000): Promise<SeatSplit> {
  await waitUntil(() => seat.store?.getState().seat?.splits[index]?.state === state, `split ${index} never became ${state}`, { timeout });
  const el = splitEl(seat, index);
  await el.updateComplete;
  return el;
}

/** Waits for a pane to render something. */
export async function until(cond: () => unknown, message = 'condition never held', timeout = 2000): Promise<void> {
  await waitUntil(cond, message, { timeout, interval: 10 });
}
