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
export function button(split: Element, part: string): HTMLButtonElement | null {
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

/**
 * An in-page stand-in for the browser's WebSocket, for unit tests of the client: the test plays
 * the server by reading `sent` and calling `open()`, `reply()` and `serverClose()`.
 */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  static reset(): void {
    FakeSocket.instances = [];
  }
  readonly sent: Record<string, unknown>[] = [];
  readyState = 0;
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  closedByClient: number | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  static get last(): FakeSocket {
    return FakeSocket.instances[FakeSocket.instances.length - 1]!;
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000): void {
    this.closedByClient = code;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  reply(message: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
  /** Answers the last `hello` with ok. */
  acceptHello(): void {
    const hello = [...this.sent].reverse().find((m) => m.type === 'hello')!;
    this.reply({ type: 'ok', id: hello.id });
  }
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code, reason }));
  }
}
