/**
 * The dispatch engine under a saturated floor: every seat has all its splits busy and the
 * queue holds `waiting` calls. Each cycle a customer hangs up (a split frees: one dispatch
 * decision), the agent answers the new offer, and a new customer calls (nothing is free: it
 * waits). Only `engine.apply` is timed.
 */
import { Engine } from '../core/engine.js';
import type { EngineEvent } from '../core/events.js';

export interface DispatchFigures {
  seats: number;
  splits: number;
  waiting: number;
  events: number;
  decisions: number;
  decisionsPerSec: number;
  p50us: number;
  p99us: number;
  setupMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function benchDispatch(seats: number, splits: number, waiting: number, cycles: number): DispatchFigures {
  const engine = new Engine({ config: { ringTimeoutMs: 3_600_000 } });
  let now = 1_700_000_000_000;
  let customers = 0;
  const must = (e: EngineEvent) => {
    const r = engine.apply(e);
    if (!r.ok) throw new Error(`${e.type}: ${r.error.message}`);
    return r;
  };
  const call = () => {
    const customerId = `cust-${++customers}`;
    must({ type: 'caller-hello', customerId, now });
    must({ type: 'caller-call', customerId, queue: 'claims', name: null, priority: customers % 3 === 0 ? 1 : 0, now });
    return customerId;
  };

  const setupStart = performance.now();
  const seatIds = Array.from({ length: seats }, (_, i) => `seat-${i}`);
  for (const seatId of seatIds) {
    must({ type: 'agent-hello', seatId, splits, now });
    must({ type: 'agent-ready', seatId, now });
  }
  // Fill every split: answer offers until each seat has all splits connected but one ringing.
  for (let round = 0; round < splits; round++) {
    for (let i = 0; i < seats; i++) call();
    for (const seatId of seatIds) {
      const ringing = engine.seat(seatId)!.splits.find((s) => s.state === 'ringing');
      if (ringing && round < splits - 1) must({ type: 'agent-answer', seatId, split: ringing.index, now });
    }
  }
  for (let i = 0; i < waiting; i++) call();
  const setupMs = performance.now() - setupStart;

  const times = new Float64Array(cycles * 4);
  let n = 0;
  let decisions = 0;
  const timed = (e: EngineEvent) => {
    const t0 = performance.now();
    const r = engine.apply(e);
    times[n++] = performance.now() - t0;
    if (!r.ok) throw new Error(`${e.type}: ${r.error.message}`);
    for (const eff of r.effects) if (eff.type === 'timer-start' && eff.key.startsWith('ring:')) decisions++;
  };
  for (let c = 0; c < cycles; c++) {
    now += 10;
    const seatId = seatIds[(c * 7919) % seats]!;
    const seat = engine.seat(seatId)!;
    const ringing = seat.splits.find((s) => s.state === 'ringing');
    if (ringing) timed({ type: 'agent-answer', seatId, split: ringing.index, now });
    const connected = seat.splits.find((s) => s.state === 'connected')!;
    const customerId = engine.call(connected.callId!)!.customer.id;
    timed({ type: 'caller-hangup', customerId, now }); // frees a split: one dispatch decision
    const newcomer = `cust-${++customers}`;
    timed({ type: 'caller-hello', customerId: newcomer, now });
    timed({ type: 'caller-call', customerId: newcomer, queue: 'claims', name: null, priority: c % 3 === 0 ? 1 : 0, now });
  }
  const used = times.subarray(0, n);
  const total = used.reduce((a, b) => a + b, 0);
  const sorted = Float64Array.from(used).sort();
  if (engine.waiting < waiting * 0.9) throw new Error(`the queue drained to ${engine.waiting}: the floor was not saturated`);
  return {
    seats,
    splits,
    waiting: engine.waiting,
    events: n,
    decisions,
    decisionsPerSec: decisions / (total / 1000),
    p50us: percentile(sorted, 50) * 1000,
    p99us: percentile(sorted, 99) * 1000,
    setupMs,
  };
}
