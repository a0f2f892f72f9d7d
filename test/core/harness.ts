/**
 * Drives an Engine the way a host does: keeps its timers, answers room requests, remembers
 * records, and lets a test move time forward.
 */
import assert from 'node:assert/strict';
import { Engine, type EngineOptions } from '../../core/engine.js';
import type { Effect } from '../../core/effects.js';
import type { EngineEvent } from '../../core/events.js';
import type { CallRecord } from '../../core/model.js';
import type { ErrorCode, SeatView, TransferTarget } from '../../core/protocol.js';

type Ev = EngineEvent extends infer E ? (E extends unknown ? Omit<E, 'now'> : never) : never;

export class Harness {
  readonly engine: Engine;
  now = 1_700_000_000_000;
  readonly timers = new Map<string, number>();
  readonly records: CallRecord[] = [];
  readonly rooms = new Set<string>();
  /** Every effect, in order, for tests that look at what was sent. */
  log: Effect[] = [];
  /** Answer room-create at once with fake media (as a host with a fast Janus would). */
  autoRooms = true;
  private roomSeq = 0;

  constructor(options: EngineOptions = {}) {
    this.engine = new Engine(options);
  }

  /** Applies an event that must succeed; returns its effects. */
  do(event: Ev): Effect[] {
    const r = this.engine.apply({ ...event, now: this.now } as EngineEvent);
    if (!r.ok) assert.fail(`${event.type} was refused: ${r.error.code} ${r.error.message}`);
    this.perform(r.effects);
    return r.effects;
  }

  /** Applies an event that must be refused with that code, and checks nothing changed. */
  refuse(event: Ev, code: ErrorCode): string {
    const before = this.snapshot();
    const r = this.engine.apply({ ...event, now: this.now } as EngineEvent);
    assert.equal(r.ok, false, `${event.type} should have been refused with ${code}`);
    if (r.ok) return '';
    assert.equal(r.error.code, code, r.error.message);
    assert.deepEqual(this.snapshot(), before, 'an error must change nothing');
    return r.error.message;
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: [string, number] | undefined;
      for (const t of this.timers) if (t[1] <= end && (!next || t[1] < next[1])) next = t;
      if (!next) break;
      this.now = Math.max(this.now, next[1]);
      this.timers.delete(next[0]);
      this.do({ type: 'timer', key: next[0] });
    }
    this.now = end;
  }

  private perform(effects: Effect[]): void {
    this.log.push(...effects);
    const pendingRooms: string[] = [];
    for (const e of effects) {
      if (e.type === 'timer-start') this.timers.set(e.key, e.at);
      else if (e.type === 'timer-cancel') this.timers.delete(e.key);
      else if (e.type === 'record') this.records.push(e.record);
      else if (e.type === 'room-create') {
        this.rooms.add(e.key);
        pendingRooms.push(e.key);
      } else if (e.type === 'room-destroy') this.rooms.delete(e.key);
    }
    if (this.autoRooms)
      for (const key of pendingRooms)
        if (this.engine.call(key)) this.do({ type: 'room-ready', key, media: { server: 'ws://janus', room: ++this.roomSeq, pin: `p${this.roomSeq}` } });
  }

  // ---- shorthands ------------------------------------------------------------------------

  agent(seatId: string, splits = 2, ready = true): void {
    this.do({ type: 'agent-hello', seatId, splits });
    if (ready) this.do({ type: 'agent-ready', seatId });
  }

  /** Signs a customer in and places a call; returns the call id. */
  customer(customerId: string, queue = 'claims', priority = 0): string {
    this.do({ type: 'caller-hello', customerId });
    this.do({ type: 'caller-call', customerId, queue, name: customerId.toUpperCase(), priority });
    return this.engine.customer(customerId)!.callId!;
  }

  answer(seatId: string, split: number): void {
    this.do({ type: 'agent-answer', seatId, split });
  }

  transfer(seatId: string, split: number, to: TransferTarget): void {
    this.do({ type: 'agent-transfer', seatId, split, to });
  }

  seat(seatId: string): SeatView {
    const v = this.engine.seatView(seatId);
    assert.ok(v, `seat ${seatId} is not signed in`);
    return v;
  }

  states(seatId: string): string[] {
    return this.seat(seatId).splits.map((s) => s.state);
  }

  callOn(seatId: string, split: number): string | undefined {
    return this.seat(seatId).splits[split]?.call?.callId;
  }

  customerState(customerId: string): string | undefined {
    return this.engine.customerView(customerId)?.state;
  }

  /** What the customer was last sent. */
  lastCallView(customerId: string) {
    for (let i = this.log.length - 1; i >= 0; i--) {
      const e = this.log[i]!;
      if (e.type === 'call' && e.customerId === customerId) return e.call;
    }
    return undefined;
  }

  /** The engine's whole state, as data, to compare before and after. */
  snapshot(): string {
    const e = this.engine;
    return JSON.stringify({
      seats: [...e.allSeats()],
      calls: [...e.liveCalls()],
      customers: [...e.allCustomers()],
      queue: [...e.queuedCalls()].map((c) => c.callId),
      timers: [...e.pendingTimers().keys()],
    });
  }
}
