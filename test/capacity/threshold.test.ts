import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../core/engine.js';
import type { EngineEvent } from '../../core/events.js';
import { getStrategy, strategyNames } from '../../core/strategies.js';

test('R5/R18: the threshold strategy offers only to a seat whose agent is free', () => {
  assert.ok(strategyNames().includes('threshold'));
  const e = new Engine({ config: { strategy: 'threshold', ringTimeoutMs: 1e9 } });
  assert.equal(e.strategy, getStrategy('threshold'));
  const ok = (ev: EngineEvent) => {
    const r = e.apply(ev);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
  };
  const ringing = () => e.seat('s')!.splits.filter((s) => s.state === 'ringing').map((s) => s.index);
  ok({ type: 'agent-hello', seatId: 's', splits: 3, now: 0 });
  ok({ type: 'agent-ready', seatId: 's', now: 0 });
  for (const id of ['a', 'b', 'c']) ok({ type: 'caller-hello', customerId: id, now: 0 });
  ok({ type: 'caller-call', customerId: 'a', queue: 'q', name: null, priority: 0, now: 1 });
  assert.deepEqual(ringing(), [0]);
  ok({ type: 'agent-answer', seatId: 's', split: 0, now: 2 });
  // Talking to a (split 0 in focus): b waits in the queue though two splits are idle.
  ok({ type: 'caller-call', customerId: 'b', queue: 'q', name: null, priority: 0, now: 3 });
  assert.deepEqual(ringing(), []);
  assert.equal(e.waiting, 1);
  // a goes off to upload and the agent takes focus off: b rings.
  ok({ type: 'agent-focus', seatId: 's', split: null, now: 4 });
  assert.deepEqual(ringing(), [1]);
  ok({ type: 'agent-answer', seatId: 's', split: 1, now: 5 });
  ok({ type: 'agent-focus', seatId: 's', split: null, now: 6 });
  // a asks for the agent back: c waits while the request is open, and rings once it is served
  // and the agent is free again.
  ok({ type: 'caller-attention', customerId: 'a', on: true, now: 7 });
  ok({ type: 'caller-call', customerId: 'c', queue: 'q', name: null, priority: 0, now: 8 });
  assert.deepEqual(ringing(), []);
  ok({ type: 'agent-focus', seatId: 's', split: 0, now: 9 });
  assert.deepEqual(ringing(), []);
  ok({ type: 'agent-hangup', seatId: 's', split: 0, now: 10 });
  assert.deepEqual(ringing(), [0]);
});
