/**
 * Restart = replay (DESIGN.md, "The journal"): an engine rebuilt from its latest snapshot and
 * the journal after it is the engine that never stopped. Random workloads run on two engines
 * side by side; the second one "crashes" at random events and is rebuilt from what a journal
 * would hold. After every event both must be in the same state, give the same effects, and
 * keep the invariants.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Engine, type EngineOptions } from '../../core/engine.js';
import type { EngineSnapshot } from '../../core/engine-snapshot.js';
import type { EngineEvent } from '../../core/events.js';
import { checkInvariants } from '../../core/invariants.js';
import { aimAt, drive, QUEUES, step, type Step } from './random-workload.js';

const plain: EngineOptions = { config: { ringTimeoutMs: 5000, rejectDelayMs: 3000, wrapupMs: 2000, reconnectGraceMs: 4000, callerGraceMs: 4000 } };
/** R19–R23: overflow, callback and return timers are engine timers, so the journal replays them. */
const queued: EngineOptions = { config: { ...plain.config, queues: QUEUES } };

/** What surviving a crash means: the state as JSON, the only form a journal keeps. */
const stored = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function run(steps: Step[], crashes: Set<number>, snapshotEvery: number, options: EngineOptions = plain): string | null {
  const live = new Engine(options);
  let twin = new Engine(options);
  const journal: EngineEvent[] = [];
  let snapshot: { seq: number; state: EngineSnapshot } = { seq: 0, state: stored(twin.snapshot()) };
  const timers = new Map<string, number>();
  const pendingRooms: string[] = [];
  let index = 0;

  const apply = (event: EngineEvent): string | null => {
    const a = live.apply(stored(event));
    const b = twin.apply(stored(event));
    if (a.ok !== b.ok) return `${event.type}: accepted by one engine, refused by the other`;
    if (JSON.stringify(a.effects) !== JSON.stringify(b.effects)) return `${event.type}: the rebuilt engine gave other effects`;
    if (a.ok) {
      journal.push(stored(event));
      for (const e of a.effects) {
        if (e.type === 'timer-start') timers.set(e.key, e.at);
        else if (e.type === 'timer-cancel') timers.delete(e.key);
        else if (e.type === 'room-create') pendingRooms.push(e.key);
      }
      if (journal.length % snapshotEvery === 0) snapshot = { seq: journal.length, state: stored(twin.snapshot()) };
    }
    if (crashes.has(index++)) {
      // kill -9: all that is left is the newest snapshot and the events after it.
      twin = Engine.fromSnapshot(stored(snapshot.state), options);
      for (const e of journal.slice(snapshot.seq)) {
        const r = twin.apply(stored(e));
        if (!r.ok) return `replaying ${e.type} was refused: ${r.error.message}`;
      }
    }
    if (JSON.stringify(live.snapshot()) !== JSON.stringify(twin.snapshot())) return `after ${event.type} the rebuilt engine's state differs`;
    const broken = checkInvariants(twin, event.now);
    return broken.length ? `after ${event.type}: ${broken.join('; ')}` : null;
  };

  return drive(steps, timers, pendingRooms, apply, aimAt(live));
}

const RUNS = 40;
const STEPS = 200;

test(`a crash and replay at random events leaves the same state and effects as no crash (${RUNS} × ${STEPS} events)`, () => {
  fc.assert(
    fc.property(
      fc.array(step, { minLength: STEPS, maxLength: STEPS }),
      fc.uniqueArray(fc.nat(STEPS * 2), { maxLength: 8 }),
      fc.integer({ min: 1, max: 60 }),
      (steps, crashes, every) => {
        const err = run(steps, new Set(crashes), every);
        if (err) throw new Error(err);
      },
    ),
    { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261204) },
  );
});

test(`R19–R23: with skills, overflow, callbacks, codes and returns, a crash and replay changes nothing (${RUNS} × ${STEPS} events)`, () => {
  fc.assert(
    fc.property(
      fc.array(step, { minLength: STEPS, maxLength: STEPS }),
      fc.uniqueArray(fc.nat(STEPS * 2), { maxLength: 8 }),
      fc.integer({ min: 1, max: 60 }),
      (steps, crashes, every) => {
        const err = run(steps, new Set(crashes), every, queued);
        if (err) throw new Error(err);
      },
    ),
    { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261205) },
  );
});

test('the replay property finds a snapshot that forgets something (planted: timers left out)', () => {
  const proto = Engine.prototype as unknown as { snapshot(): EngineSnapshot };
  const original = proto.snapshot;
  proto.snapshot = function (this: Engine) {
    return { ...original.call(this), timers: [] };
  };
  try {
    const details = fc.check(
      fc.property(fc.array(step, { minLength: STEPS, maxLength: STEPS }), (steps) => {
        const err = run(steps, new Set([STEPS / 2]), 10);
        if (err) throw new Error(err);
      }),
      { numRuns: RUNS, seed: 11, endOnFailure: true },
    );
    assert.equal(details.failed, true, 'a snapshot without its timers went unnoticed');
  } finally {
    proto.snapshot = original;
  }
});

test('restart: every seat and customer is lost from that moment; a ringing offer goes back to the head of the queue (R15, R4)', () => {
  const engine = new Engine(plain);
  const t = 1_000_000;
  engine.apply({ type: 'agent-hello', seatId: 'S', splits: 2, now: t });
  engine.apply({ type: 'agent-ready', seatId: 'S', now: t });
  for (const c of ['c1', 'c2', 'c3']) {
    engine.apply({ type: 'caller-hello', customerId: c, now: t });
    engine.apply({ type: 'caller-call', customerId: c, queue: 'q', name: null, priority: 0, now: t + 1 });
  }
  engine.apply({ type: 'agent-answer', seatId: 'S', split: 0, now: t + 2 });
  assert.equal(engine.seat('S')!.splits[1]!.state, 'ringing');
  const rebuilt = Engine.fromSnapshot(stored(engine.snapshot()), plain);
  const r = rebuilt.apply({ type: 'restart', now: t + 10 });
  assert.ok(r.ok);
  const seat = rebuilt.seat('S')!;
  assert.equal(seat.online, false);
  assert.deepEqual(
    seat.splits.map((s) => s.state),
    ['connected', 'idle'],
  );
  assert.deepEqual(
    [...rebuilt.queuedCalls()].map((c) => c.customer.id),
    ['c2', 'c3'],
    'the withdrawn offer is back at the head, before the later caller',
  );
  assert.ok(rebuilt.pendingTimers().has('agent-grace:S'));
  for (const c of ['c1', 'c2', 'c3']) assert.equal(rebuilt.customer(c)!.online, false);
  assert.equal(rebuilt.pendingTimers().get('agent-grace:S')!.at, t + 10 + 4000, 'R15 grace runs from the restart');
  // The agent back within the grace gets exactly its seat: same call on the same split.
  rebuilt.apply({ type: 'agent-hello', seatId: 'S', splits: 5, now: t + 20 });
  assert.equal(rebuilt.seat('S')!.splits.length, 2);
  assert.equal(rebuilt.seat('S')!.splits[0]!.callId, engine.seat('S')!.splits[0]!.callId);
});

test('a snapshot of another format is refused, not guessed at', () => {
  const snap = stored(new Engine(plain).snapshot());
  assert.throws(() => Engine.fromSnapshot({ ...snap, format: 99 }, plain), /format 99/);
});
