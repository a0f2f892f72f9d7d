/**
 * Random sequences of everything clients can do, plus time passing, connections dropping and
 * rooms arriving late, over several seats with 1–8 splits. After every event the invariants of
 * DESIGN.md must hold, and a refused event must change nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Engine } from '../../core/engine.js';
import type { EngineEvent } from '../../core/events.js';
import { checkInvariants } from '../../core/invariants.js';
import { aimAt, drive, QUEUES, step, type Step } from './random-workload.js';

/** Runs one sequence; returns the first broken invariant, or null. */
function run(steps: Step[], wrapupMs: number, queues = false): string | null {
  const engine = new Engine({ config: { ringTimeoutMs: 5000, rejectDelayMs: 3000, wrapupMs, reconnectGraceMs: 4000, callerGraceMs: 4000, queues: queues ? QUEUES : null } });
  const timers = new Map<string, number>();
  const pendingRooms: string[] = [];
  const created = new Set<string>();
  const recorded = new Map<string, string>();
  const snapshot = () => JSON.stringify([[...engine.allSeats()], [...engine.liveCalls()], [...engine.allCustomers()], [...engine.queuedCalls()].map((c) => c.callId)]);

  const apply = (event: EngineEvent): string | null => {
    const before = snapshot();
    const r = engine.apply(event);
    if (!r.ok) return snapshot() === before ? null : `${event.type} was refused (${r.error.code}) but changed the state`;
    for (const e of r.effects) {
      if (e.type === 'timer-start') timers.set(e.key, e.at);
      else if (e.type === 'timer-cancel') timers.delete(e.key);
      else if (e.type === 'room-create') {
        created.add(e.key);
        pendingRooms.push(e.key);
      } else if (e.type === 'record') {
        if (recorded.has(e.record.callId)) return `call ${e.record.callId} was recorded twice`;
        if (!e.record.endReason) return `call ${e.record.callId} ended without a reason`;
        recorded.set(e.record.callId, e.record.endReason);
      }
    }
    const broken = checkInvariants(engine, event.now);
    if (broken.length) return `after ${event.type}: ${broken.join('; ')}`;
    // R19/R20: an offer made by this event goes to a seat skilled for the call.
    for (const seat of engine.allSeats())
      for (const split of seat.splits) {
        if (split.state !== 'ringing' || split.since !== event.now || !split.callId) continue;
        const call = engine.call(split.callId)!;
        if (!engine.skilledFor(call, seat.seatId)) return `R19: call ${call.callId} of queue ${call.queue} rings on ${seat.seatId}, which lacks the skills`;
      }
    const held = new Set(engine.heldRecords());
    for (const id of held) if (recorded.has(id)) return `call ${id} was recorded and is held for a code too`;
    for (const id of created) {
      if (held.has(id)) continue; // R22: ended, its record waits for the wrap-up code
      const live = engine.call(id) !== undefined;
      if (live === recorded.has(id)) return `call ${id} is ${live ? 'both live and ended' : 'lost: neither live nor ended'}`;
    }
    return null;
  };

  return drive(steps, timers, pendingRooms, apply, aimAt(engine));
}

const RUNS = 60;
const STEPS = 200;

test(`invariants hold after every one of ≥ ${RUNS * STEPS} random events (R2, R4, R10, no call lost)`, () => {
  let events = 0;
  fc.assert(
    fc.property(fc.array(step, { minLength: STEPS, maxLength: STEPS }), fc.constantFrom(0, 2000), (steps, wrapupMs) => {
      events += steps.length;
      const err = run(steps, wrapupMs);
      if (err) throw new Error(err);
    }),
    { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261125) },
  );
  assert.ok(events >= 10_000, `only ${events} events ran`);
});

test(`R19–R23: invariants hold with skills, overflow, callbacks, codes and the return policy (${RUNS} × ${STEPS} random events)`, () => {
  let dispatched = 0;
  fc.assert(
    fc.property(fc.array(step, { minLength: STEPS, maxLength: STEPS }), fc.constantFrom(0, 2000), (steps, wrapupMs) => {
      const err = run(steps, wrapupMs, true);
      if (err) throw new Error(err);
      dispatched++;
    }),
    { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261204) },
  );
  assert.equal(dispatched, RUNS);
});

test('the property test finds a planted R19 bug (skills ignored when a seat is chosen)', () => {
  const proto = Engine.prototype as unknown as { requirements(call: unknown): unknown[] };
  const original = proto.requirements;
  let planted = false;
  proto.requirements = function (this: unknown, call: unknown) {
    // Dispatch forgets the skills; the engine's own check (skilledFor) still knows them.
    return planted ? [] : original.call(this, call);
  };
  const choose = Engine.prototype as unknown as { chooseSeat(...args: unknown[]): string | null };
  const originalChoose = choose.chooseSeat;
  choose.chooseSeat = function (this: unknown, ...args: unknown[]) {
    planted = true;
    try {
      return originalChoose.apply(this, args);
    } finally {
      planted = false;
    }
  };
  try {
    const details = fc.check(
      fc.property(fc.array(step, { minLength: STEPS, maxLength: STEPS }), (steps) => {
        const err = run(steps, 0, true);
        if (err) throw new Error(err);
      }),
      { numRuns: RUNS, seed: 7 },
    );
    assert.equal(details.failed, true, 'the planted bug went unnoticed');
    assert.match(String(details.errorInstance), /R19: .* rings on \w+, which lacks the skills/);
  } finally {
    proto.requirements = original;
    choose.chooseSeat = originalChoose;
  }
});

test('the property test finds a planted R2 bug (seats eligible while a split rings)', () => {
  // Plant the bug: the eligibility check forgets that a ringing split makes a seat ineligible.
  const proto = Engine.prototype as unknown as { reindex(seat: unknown): void };
  const original = proto.reindex;
  proto.reindex = function (this: { seats: Map<string, unknown>; index: { set(id: string, key: number[] | null): void } }, seat: any) {
    const idle = seat.splits.some((s: { state: string }) => s.state === 'idle');
    const eligible = this.seats.has(seat.seatId) && seat.online && seat.ready && idle;
    this.index.set(seat.seatId, eligible ? [0, seat.signInSeq] : null);
  };
  try {
    const details = fc.check(
      fc.property(fc.array(step, { minLength: STEPS, maxLength: STEPS }), (steps) => {
        const err = run(steps, 0);
        if (err) throw new Error(err);
      }),
      { numRuns: RUNS, seed: 7 },
    );
    assert.equal(details.failed, true, 'the planted bug went unnoticed');
    assert.match(String(details.errorInstance), /R2: seat \w+ has \d ringing splits/);
  } finally {
    proto.reindex = original;
  }
});
