/**
 * Random steps of everything clients can do, plus time passing, connections dropping and rooms
 * arriving late, over four seats and ten customers: the workload of the property tests.
 */
import fc from 'fast-check';
import type { Engine } from '../../core/engine.js';
import type { EngineEvent } from '../../core/events.js';
import { validateQueueConfig } from '../../core/queue-config.js';

export const SEATS = ['A', 'B', 'C', 'D'];
export const CUSTOMERS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'];

/**
 * R19–R23 in the workload: skilled queues with overflow (lowered levels, an added queue), a
 * callback offer, wrap-up codes and the return policy, timed to fire within a run.
 */
export const QUEUES = validateQueueConfig({
  queues: {
    claims: {
      skills: { claims: 2 },
      priority: 1,
      ringTimeoutMs: 4000,
      overflow: [{ afterMs: 3000, skills: { claims: 1 } }, { afterMs: 6000, addQueues: ['zh'] }],
      callbackAfterMs: 9000,
      wrapupCodes: ['done', 'later'],
      wrapupLimitMs: 5000,
      returnPoolAfterMs: 2500,
    },
    zh: { skills: { zh: 2 }, wrapupMs: 1000, returnPoolAfterMs: 4000, callbackAfterMs: 7000 },
    other: {},
  },
});

export const step = fc.record({
  kind: fc.nat(31),
  seat: fc.nat(SEATS.length - 1),
  customer: fc.nat(CUSTOMERS.length - 1),
  split: fc.nat(8),
  splits: fc.integer({ min: 1, max: 8 }),
  flag: fc.boolean(),
  ms: fc.nat(6000),
});
export type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

export function toEvent(s: Step, now: number, pendingRooms: string[]): EngineEvent | 'tick' {
  const seatId = SEATS[s.seat]!;
  const customerId = CUSTOMERS[s.customer]!;
  const split = s.split === 8 ? null : s.split;
  const sp = s.split;
  switch (s.kind) {
    case 0:
    case 1:
      return { type: 'agent-hello', seatId, splits: s.splits, skills: { claims: s.ms % 4, zh: (s.ms >> 2) % 3 }, now };
    case 2:
    case 3:
      return { type: 'agent-ready', seatId, now };
    case 4:
      return { type: 'agent-not-ready', seatId, reason: s.flag ? 'break' : null, now };
    case 5:
    case 6:
    case 7:
      return { type: 'agent-answer', seatId, split: sp, now };
    case 8:
      return { type: 'agent-reject', seatId, split: sp, now };
    case 9:
      return { type: 'agent-hangup', seatId, split: sp, now };
    case 10:
      return { type: 'agent-focus', seatId, split, now };
    case 11:
      return { type: 'agent-dial', seatId, split: sp, to: customerId, now };
    case 12:
      return { type: 'agent-consult', seatId, split: sp, to: SEATS[(s.seat + 1 + s.customer) % SEATS.length]!, now };
    case 13:
      return { type: 'agent-transfer', seatId, split: sp, to: s.flag ? { seat: SEATS[s.customer % SEATS.length]! } : { queue: 'other' }, now };
    case 14:
      return { type: 'agent-cancel-consult', seatId, split: sp, now };
    case 15:
      return { type: 'agent-wrapup-done', seatId, split: sp, now };
    case 16:
      return s.flag ? { type: 'agent-lost', seatId, now } : { type: 'agent-bye', seatId, now };
    case 17:
    case 18:
      return { type: 'caller-hello', customerId, now };
    case 19:
    case 20:
      return { type: 'caller-call', customerId, queue: s.flag && s.ms % 3 === 0 ? 'zh' : 'claims', name: null, priority: s.split % 3, now };
    case 21:
      return { type: s.flag ? 'caller-accept' : 'caller-decline', customerId, now };
    case 22:
      return { type: 'caller-hangup', customerId, now };
    case 23:
      return { type: 'caller-attention', customerId, on: s.flag, now };
    case 24:
      return { type: 'caller-lost', customerId, now };
    case 25: {
      const key = pendingRooms.splice(s.split % Math.max(1, pendingRooms.length), 1)[0];
      return key ? { type: 'room-ready', key, media: { server: 'ws://j', room: s.ms, pin: 'p' }, now } : 'tick';
    }
    case 30:
      return { type: 'caller-callback', customerId, now };
    case 31:
      return s.flag
        ? { type: 'agent-wrapup-done', seatId, split: sp, disposition: s.ms % 3 === 0 ? 'nope' : 'done', now }
        : { type: 'agent-wrapup-done', seatId, split: sp, now };
    default:
      return 'tick';
  }
}


/**
 * Aims most split commands at a split in the state they need (an answer at the ringing split, a
 * wrap-up code at the split in wrap-up, …), so runs get past ringing: without it hardly any
 * call is ever answered and the rules after the answer (R10, R11, R18, R22, R23) go untried.
 * Reads the engine before the event; the event itself stays plain data (replayable).
 */
export function aimAt(engine: Engine): (e: EngineEvent) => EngineEvent {
  const want: Partial<Record<EngineEvent['type'], string>> = {
    'agent-answer': 'ringing',
    'agent-reject': 'ringing',
    'agent-hangup': 'connected',
    'agent-focus': 'connected',
    'agent-wrapup-done': 'wrapup',
    'agent-transfer': 'connected',
  };
  const wantCall: Partial<Record<EngineEvent['type'], (v: NonNullable<ReturnType<Engine['customerView']>>) => boolean>> = {
    'caller-attention': (v) => v.state === 'connected' && !v.focused,
    'caller-accept': (v) => v.state === 'ringing' && v.kind === 'outbound',
    'caller-callback': (v) => v.callback === 'offered',
  };
  return (e) => {
    const pick = wantCall[e.type];
    if (pick && 'customerId' in e && e.now % 4 !== 0) {
      const from = CUSTOMERS.indexOf(e.customerId);
      for (let k = 0; k < CUSTOMERS.length; k++) {
        const customerId = CUSTOMERS[(from + k) % CUSTOMERS.length]!;
        const v = engine.customerView(customerId);
        if (v && pick(v)) return { ...e, customerId, ...(e.type === 'caller-attention' ? { on: e.now % 3 !== 0 } : {}) } as EngineEvent;
      }
      return e;
    }
    const state = want[e.type];
    if (!state || !('seatId' in e) || !('split' in e) || e.split === null || e.now % 4 === 0) return e;
    const from = SEATS.indexOf(e.seatId);
    for (let k = 0; k < SEATS.length; k++) {
      const seatId = SEATS[(from + k) % SEATS.length]!;
      const split = engine.seat(seatId)?.splits.find((s) => s.state === state);
      if (split) return { ...e, seatId, split: split.index } as EngineEvent;
    }
    return e;
  };
}

/**
 * Feeds the steps to `apply` as events from t = 1,000,000 ms; a tick fires the timers due in
 * its span (in time order) before time moves on. Stops at the first error `apply` returns.
 */
export function drive(
  steps: Step[],
  timers: Map<string, number>,
  pendingRooms: string[],
  apply: (e: EngineEvent) => string | null,
  aim: (e: EngineEvent) => EngineEvent = (e) => e,
): string | null {
  let now = 1_000_000;
  for (const s of steps) {
    const made = toEvent(s, now, pendingRooms);
    const ev = made === 'tick' ? made : aim(made);
    if (ev === 'tick') {
      const end = now + s.ms;
      for (;;) {
        let next: [string, number] | undefined;
        for (const t of timers) if (t[1] <= end && (!next || t[1] < next[1])) next = t;
        if (!next) break;
        now = Math.max(now, next[1]);
        timers.delete(next[0]);
        const err = apply({ type: 'timer', key: next[0], now });
        if (err) return err;
      }
      now = end;
      continue;
    }
    const err = apply(ev);
    if (err) return err;
    now += 1 + (s.ms % 50);
  }
  return null;
}
