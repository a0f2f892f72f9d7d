/**
 * Random steps of everything clients can do, plus time passing, connections dropping and rooms
 * arriving late, over four seats and ten customers: the workload of the property tests.
 */
import fc from 'fast-check';
import type { EngineEvent } from '../../core/events.js';

export const SEATS = ['A', 'B', 'C', 'D'];
export const CUSTOMERS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'];

export const step = fc.record({
  kind: fc.nat(29),
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
      return { type: 'agent-hello', seatId, splits: s.splits, now };
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
      return { type: 'caller-call', customerId, queue: 'claims', name: null, priority: s.split % 3, now };
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
    default:
      return 'tick';
  }
}


/**
 * Feeds the steps to `apply` as events from t = 1,000,000 ms; a tick fires the timers due in
 * its span (in time order) before time moves on. Stops at the first error `apply` returns.
 */
export function drive(steps: Step[], timers: Map<string, number>, pendingRooms: string[], apply: (e: EngineEvent) => string | null): string | null {
  let now = 1_000_000;
  for (const s of steps) {
    const ev = toEvent(s, now, pendingRooms);
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
