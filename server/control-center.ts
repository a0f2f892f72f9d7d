/**
 * The authoritative control center: one Engine for every seat and customer, fed one event at a
 * time, and the doer of everything the engine asks for (messages, rooms, timers, records).
 *
 * Node runs this on one thread and `apply` never awaits, so events are serialised by
 * construction; everything asynchronous (Janus, timers) comes back as a new event.
 */
import type { Effect } from '../core/effects.js';
import { Engine, type ApplyResult } from '../core/engine.js';
import { EngineError } from '../core/engine-error.js';
import type { EngineEvent } from '../core/events.js';
import type { CallRecord, EngineConfig } from '../core/model.js';
import type { CustomerCallState, ServerMessage } from '../core/protocol.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Records } from './records.js';
import type { Rooms } from './rooms.js';
import { Throttle } from './throttle.js';

/** One client connection, as the control center needs it. */
export interface Peer {
  send(message: ServerMessage): void;
  /** The seat or customer this peer spoke for is gone (signed out, grace over). */
  signedOut(): void;
  /** A newer connection took over this identity: close with 4002. */
  replaced(): void;
}

export type Outcome = { ok: true } | { ok: false; error: EngineError };

export interface Counters {
  offered: number;
  answered: number;
  abandoned: number;
  requeued: number;
  ended: number;
}

export interface ControlCenterOptions {
  engine: EngineConfig;
  clock: Clock;
  records: Records;
  rooms: Rooms;
  queueThrottleMs: number;
  newCallId?: (seq: number) => string;
  log?: (message: string) => void;
}

export class ControlCenter {
  readonly engine: Engine;
  private readonly clock: Clock;
  private readonly records: Records;
  private readonly rooms: Rooms;
  private readonly log: (message: string) => void;
  private readonly agents = new Map<string, Peer>();
  private readonly customers = new Map<string, Peer>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly queueNews: Throttle;
  private readonly positionNews: Throttle;
  private sentWaiting = 0;
  /** The place each queued customer was last told, to send only changes. */
  private readonly toldPosition = new Map<string, number | null>();
  /** The last state each customer call was in, for the counters. */
  private readonly callStates = new Map<string, CustomerCallState>();
  readonly counters: Counters = { offered: 0, answered: 0, abandoned: 0, requeued: 0, ended: 0 };
  private applying = false;
  private stopped = false;

  constructor(options: ControlCenterOptions) {
    this.clock = options.clock;
    this.records = options.records;
    this.rooms = options.rooms;
    this.log = options.log ?? (() => {});
    this.engine = new Engine({ config: options.engine, ...(options.newCallId ? { newCallId: options.newCallId } : {}) });
    this.queueNews = new Throttle(this.clock, options.queueThrottleMs, () => this.tellWaiting());
    this.positionNews = new Throttle(this.clock, options.queueThrottleMs, () => this.tellPositions());
  }

  get now(): number {
    return this.clock.now();
  }

  get waiting(): number {
    return this.engine.waiting;
  }

  agentOnline(seatId: string): Peer | undefined {
    return this.agents.get(seatId);
  }

  customerOnline(customerId: string): Peer | undefined {
    return this.customers.get(customerId);
  }

  /**
   * Applies one event. `accepted` runs between the engine's verdict and the effects, so a
   * client hears `ok` before what its command caused, and a new peer is bound before its
   * first snapshot goes out.
   */
  apply(event: EngineEvent, accepted?: (outcome: Outcome) => void): Outcome {
    if (this.applying) throw new Error(`re-entrant apply of ${event.type}`);
    if (this.stopped && event.type !== 'shutdown') {
      const outcome: Outcome = { ok: false, error: stoppedError() };
      accepted?.(outcome);
      return outcome;
    }
    this.applying = true;
    let result: ApplyResult;
    try {
      result = this.engine.apply(event);
    } finally {
      this.applying = false;
    }
    const outcome: Outcome = result.ok ? { ok: true } : { ok: false, error: result.error };
    accepted?.(outcome);
    if (result.ok) this.perform(result.effects);
    return outcome;
  }

  bindAgent(seatId: string, peer: Peer): void {
    this.agents.set(seatId, peer);
    peer.send({ type: 'queue', waiting: this.sentWaiting });
  }

  /** The agent's connection closed: R15 starts unless another connection took over. */
  agentGone(seatId: string, peer: Peer): void {
    if (this.agents.get(seatId) !== peer) return;
    this.agents.delete(seatId);
    if (!this.stopped) this.apply({ type: 'agent-lost', seatId, now: this.now });
  }

  bindCustomer(customerId: string, peer: Peer): void {
    this.customers.set(customerId, peer);
  }

  customerGone(customerId: string, peer: Peer): void {
    if (this.customers.get(customerId) !== peer) return;
    this.customers.delete(customerId);
    this.toldPosition.delete(customerId);
    if (!this.stopped) this.apply({ type: 'caller-lost', customerId, now: this.now });
  }

  /** Stops taking calls and ends every live call with `server-shutdown`. */
  shutdown(): void {
    if (this.stopped) return;
    this.apply({ type: 'shutdown', now: this.now });
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.cancel(t);
    this.timers.clear();
    this.queueNews.stop();
    this.positionNews.stop();
  }

  recent(limit: number): CallRecord[] {
    return this.records.recent(limit);
  }

  stats() {
    const queues: Record<string, number> = {};
    for (const call of this.engine.queuedCalls()) {
      if (call.kind === 'consult') continue;
      const q = call.queue ?? '';
      queues[q] = (queues[q] ?? 0) + 1;
    }
    let signedIn = 0;
    let ready = 0;
    for (const seat of this.engine.allSeats()) {
      signedIn++;
      if (seat.ready && seat.online) ready++;
    }
    const calls: Record<string, number> = {};
    for (const call of this.engine.liveCalls()) {
      const seat = call.seatId ? this.engine.seat(call.seatId) : undefined;
      const state = call.place === 'queued' || !seat || call.split === null ? 'queued' : seat.splits[call.split]!.state;
      calls[state] = (calls[state] ?? 0) + 1;
    }
    return {
      waiting: this.engine.waiting,
      queues,
      seats: { signedIn, ready, connected: this.agents.size },
      customers: { connected: this.customers.size },
      calls,
      counters: { ...this.counters },
      janus: this.rooms.status,
      rooms: this.rooms.count,
    };
  }

  // ---- effects ----------------------------------------------------------------------------

  private perform(effects: Effect[]): void {
    let queueMoved = false;
    for (const e of effects) {
      try {
        switch (e.type) {
          case 'seat':
            this.agents.get(e.seatId)?.send({ type: 'seat', seat: e.seat });
            break;
          case 'call':
            this.count(e.call.callId, e.call.state);
            this.toldPosition.set(e.customerId, e.call.position);
            this.customers.get(e.customerId)?.send({ type: 'call', call: e.call });
            queueMoved = true;
            break;
          case 'queue':
            queueMoved = true;
            break;
          case 'room-create':
            this.rooms.create(e.key);
            break;
          case 'room-destroy':
            this.rooms.destroy(e.key);
            break;
          case 'timer-start':
            this.startTimer(e.key, e.at);
            break;
          case 'timer-cancel':
            this.cancelTimer(e.key);
            break;
          case 'record':
            this.record(e.record);
            break;
          case 'seat-closed': {
            const peer = this.agents.get(e.seatId);
            this.agents.delete(e.seatId);
            peer?.signedOut();
            break;
          }
        }
      } catch (err) {
        // One failed effect (a closed socket, a full disk) must not stop the others.
        this.log(`effect ${e.type} failed: ${(err as Error).message}`);
      }
    }
    if (queueMoved && !this.stopped) {
      this.queueNews.poke();
      this.positionNews.poke();
    }
  }

  private startTimer(key: string, at: number): void {
    this.cancelTimer(key);
    this.timers.set(
      key,
      this.clock.at(at, () => {
        this.timers.delete(key);
        this.apply({ type: 'timer', key, now: this.now });
      }),
    );
  }

  private cancelTimer(key: string): void {
    const t = this.timers.get(key);
    if (t) this.clock.cancel(t);
    this.timers.delete(key);
  }

  private record(record: CallRecord): void {
    if (record.kind !== 'consult') {
      this.counters.ended++;
      const gaveUp = record.endReason === 'caller-hangup' || record.endReason === 'caller-lost';
      if (record.kind === 'inbound' && record.answeredAt === null && gaveUp) this.counters.abandoned++;
    }
    this.records.add(record);
  }

  /** Counts offers, answers and re-queues from the customer's view of each call. */
  private count(callId: string, state: CustomerCallState): void {
    const before = this.callStates.get(callId);
    if (state === 'ended') this.callStates.delete(callId);
    else this.callStates.set(callId, state);
    if (state === before) return;
    if (state === 'ringing') this.counters.offered++;
    else if (state === 'connected' && before !== 'held') this.counters.answered++;
    else if (state === 'queued' && before !== undefined) this.counters.requeued++;
  }

  private tellWaiting(): void {
    const waiting = this.engine.waiting;
    if (waiting === this.sentWaiting) return;
    this.sentWaiting = waiting;
    for (const peer of this.agents.values()) peer.send({ type: 'queue', waiting });
  }

  /**
   * The engine sends a call view only when the call itself changes; a customer whose place
   * moved because others left the queue hears it from here.
   */
  private tellPositions(): void {
    for (const call of this.engine.queuedCalls()) {
      if (call.kind === 'consult') continue;
      const id = call.customer.id;
      const peer = this.customers.get(id);
      if (!peer) continue;
      const position = this.engine.position(call);
      if (this.toldPosition.get(id) === position) continue;
      const view = this.engine.customerView(id);
      if (!view) continue;
      this.toldPosition.set(id, view.position);
      peer.send({ type: 'call', call: view });
    }
  }
}

function stoppedError(): EngineError {
  return new EngineError('invalid-state', 'the control center is shutting down');
}
