/**
 * What the stories share: a Scenario (a fresh in-browser simulator per rendered story, simulated
 * customers and seats, timers that stop when the story goes away) and the scripts that play the
 * protocol to reach each state. No server, no Janus: everything runs on core/simulator.ts and
 * the fake media adapter.
 */
import type { ClientEvent, ConnectionStatus, ControlClient, Outgoing } from '../../core/control-client.js';
import type { EngineConfig } from '../../core/model.js';
import type { AgentMessage, CallerMessage } from '../../core/protocol.js';
import { SeatStore, type SeatState } from '../../core/seat-store.js';
import type { Simulator } from '../../core/simulator.js';
import { createSimulator } from '../../components/control/page-simulator.js';

export const QUEUE = 'claims';

/** Customers of the claims-survey demo, in arrival order. */
export const CUSTOMERS = [
  { id: 'cust-1', name: 'Alice Chen' },
  { id: 'cust-2', name: 'Bruno Díaz' },
  { id: 'cust-3', name: 'Chidi Okafor' },
  { id: 'cust-4', name: 'Dana Kowalski' },
  { id: 'cust-5', name: 'Emil Larsen' },
  { id: 'cust-6', name: 'Fatima Haddad' },
  { id: 'cust-7', name: 'Gao Min' },
  { id: 'cust-8', name: 'Hana Sato' },
] as const;

/** Long enough that a story stays in its state while a designer looks at it. */
const HOUR = 3_600_000;

/** Engine settings for still stories: nothing times out on its own. */
export const stillConfig: Partial<EngineConfig> = {
  ringTimeoutMs: HOUR,
  wrapupMs: HOUR,
  reconnectGraceMs: HOUR,
  callerGraceMs: HOUR,
};

type CallerClient = ControlClient<CallerMessage> & { setOnline(up: boolean): void };

/**
 * One rendered story's world. `watch(host)` ties its life to an element: once the element has
 * been in the page and leaves it (the story changed, or the docs page re-rendered), every timer
 * stops and every simulated client closes.
 */
export class Scenario {
  readonly sim: Simulator;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly callers = new Map<string, CallerClient>();
  private readonly stores = new Set<SeatStore>();
  private stopped = false;

  constructor(config: Partial<EngineConfig> = stillConfig) {
    this.sim = createSimulator(config);
  }

  get active(): boolean {
    return !this.stopped;
  }

  /** Stops the scenario when `host` has been connected and then leaves the page. */
  watch(host: Element): this {
    let seen = false;
    const check = () => {
      if (this.stopped) return;
      if (host.isConnected) seen = true;
      else if (seen) return this.stop();
      this.after(500, check);
    };
    this.after(0, check);
    return this;
  }

  after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  /** Waits `ms`; rejects once the scenario stopped, so a script ends quietly. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** A simulated customer, signed in (not calling yet). */
  customer(id: string): CallerClient {
    let c = this.callers.get(id);
    if (!c) {
      c = this.sim.caller(id);
      this.callers.set(id, c);
    }
    return c;
  }

  /** A customer places a call to the queue. */
  async call(id: string, name: string, queue = QUEUE): Promise<void> {
    await this.customer(id).request({ type: 'call', queue, name });
  }

  /** Sends a customer message (`attention`, `hangup`, `accept`, `decline`). */
  async say(id: string, message: Outgoing<CallerMessage>): Promise<void> {
    await this.customer(id).request(message);
  }

  /** A seat signed in to this scenario's simulator, driven headless (another seat, or a lone `<seat-split>`). */
  seat(seatId: string, splits: number): SeatStore {
    const store = new SeatStore(this.sim.agent(seatId, splits));
    this.stores.add(store);
    return store;
  }

  /** Forgets a customer (after it hung up) so its id can call again. */
  forget(id: string): void {
    this.callers.get(id)?.close();
    this.callers.delete(id);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.callers.values()) c.close();
    this.callers.clear();
    for (const s of this.stores) s.dispose();
    this.stores.clear();
  }
}

/** Resolves when `pred` holds for the store's state (checked now and on every change). */
export function until<S>(
  store: { getState(): S; subscribe(listener: (s: S) => void): () => void },
  pred: (s: S) => boolean,
  timeoutMs = 5000,
): Promise<S> {
  return new Promise((resolve, reject) => {
    if (pred(store.getState())) return resolve(store.getState());
    const timer = setTimeout(() => {
      stop();
      reject(new Error('story script: the store did not reach the expected state in time'));
    }, timeoutMs);
    const stop = store.subscribe((s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      stop();
      resolve(s);
    });
  });
}

/** Waits until an element has made its store (it does so on its first update in the page). */
export function storeOf<T>(el: { store?: T }, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (el.store) return resolve(el.store);
      if (Date.now() - started > timeoutMs) return reject(new Error('story script: the element made no store'));
      setTimeout(poll, 20);
    };
    poll();
  });
}

const splitIs = (i: number, state: string) => (s: SeatState): boolean => s.seat?.splits[i]?.state === state;

/** The states a seat (and each of its panes) can be shown in, as scripts over the protocol. */
export type SeatStateName =
  | 'signed-in'
  | 'ready'
  | 'ringing'
  | 'connected-focus'
  | 'connected-background'
  | 'attention'
  | 'dialing'
  | 'consulting'
  | 'consult-answered'
  | 'wrapup'
  | 'full';

/** Plays the events that bring `seat` (already signed in on `sc.sim`) to `state`. */
export async function playSeat(sc: Scenario, seat: SeatStore, state: SeatStateName): Promise<void> {
  await until(seat, (s: SeatState) => !!s.seat);
  if (state === 'signed-in') return;
  await seat.ready();
  if (state === 'ready') return;
  const [a, b, c] = CUSTOMERS;
  if (state === 'dialing') {
    sc.customer(a.id);
    await seat.dial(0, a.id);
    await until(seat, splitIs(0, 'dialing'));
    return;
  }
  await sc.call(a.id, a.name);
  await until(seat, splitIs(0, 'ringing'));
  if (state === 'ringing') {
    // Two more waiting: the bar counts them and R2 keeps them silent.
    await sc.call(b.id, b.name);
    await sc.call(c.id, c.name);
    return;
  }
  await seat.answer(0);
  await until(seat, splitIs(0, 'connected'));
  if (state === 'connected-focus') return;
  if (state === 'wrapup') {
    await sc.say(a.id, { type: 'hangup' });
    await until(seat, splitIs(0, 'wrapup'));
    return;
  }
  if (state === 'consulting' || state === 'consult-answered') {
    const other = sc.seat('seat-2', 2);
    await until(other, (s) => !!s.seat);
    await other.ready();
    await seat.consult(0, 'seat-2');
    await until(seat, splitIs(0, 'consulting'));
    if (state === 'consult-answered') {
      await until(other, splitIs(0, 'ringing'));
      await other.answer(0);
      await until(seat, (s) => s.seat?.splits[0]?.call?.consult?.state === 'connected');
    }
    return;
  }
  // A second customer: answering moves focus (R9), split 1 keeps its video in the background.
  await sc.call(b.id, b.name);
  await until(seat, splitIs(1, 'ringing'));
  await seat.answer(1);
  await until(seat, splitIs(1, 'connected'));
  if (state === 'connected-background') return;
  if (state === 'attention') {
    // R18: the customer in the background has finished uploading and asks for the agent back.
    await sc.say(a.id, { type: 'attention', on: true });
    await until(seat, (s) => s.attention.includes(0));
    return;
  }
  // full: every split busy, one more customer waiting.
  for (let i = 2; i < (seat.getState().seat?.splits.length ?? 0); i++) {
    const cu = CUSTOMERS[i]!;
    await sc.call(cu.id, cu.name);
    await until(seat, splitIs(i, 'ringing'));
    await seat.answer(i);
    await until(seat, splitIs(i, 'connected'));
  }
  const next = CUSTOMERS[seat.getState().seat?.splits.length ?? 2] ?? { id: 'cust-9', name: 'Ivan Petrov' };
  await sc.call(next.id, next.name);
}

/**
 * A control client that can pretend to lose the control center: the seat keeps its state while
 * the connection bar counts down to the next attempt. Wraps a simulator client.
 */
export class FlakyClient implements ControlClient<AgentMessage> {
  private override: ConnectionStatus | null = null;
  private readonly listeners = new Set<(e: ClientEvent) => void>();

  constructor(private readonly inner: ControlClient<AgentMessage>) {}

  get status(): ConnectionStatus {
    return this.override ?? this.inner.status;
  }

  request(message: Outgoing<AgentMessage>): Promise<void> {
    return this.inner.request(message);
  }

  subscribe(listener: (e: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    const off = this.inner.subscribe((e) => {
      if (e.type !== 'status' || !this.override) listener(e);
    });
    return () => {
      off();
      this.listeners.delete(listener);
    };
  }

  /** Shows `reconnecting`, the next attempt `inMs` from now, for the given reason. */
  drop(inMs: number, message = 'the control center cannot be reached'): void {
    this.override = { state: 'reconnecting', retryAt: Date.now() + inMs, error: { code: 'unreachable', message } };
    this.emit(this.override);
  }

  restore(): void {
    this.override = null;
    this.emit(this.inner.status);
  }

  close(): void {
    this.inner.close();
  }

  private emit(status: ConnectionStatus): void {
    for (const l of [...this.listeners]) l({ type: 'status', status });
  }
}
