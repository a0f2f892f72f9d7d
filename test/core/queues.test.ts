/**
 * R19–R23: skills and the queue configuration, overflow, the callback offer, dispositions and
 * the return policy. Each test names the rule it proves.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../../core/engine.js';
import { checkInvariants } from '../../core/invariants.js';
import { parseQueueConfig, QueueConfigError, validateQueueConfig, type QueueConfig } from '../../core/queue-config.js';
import { Harness } from './harness.js';

function config(queues: Record<string, unknown>): QueueConfig {
  return validateQueueConfig({ queues });
}

function harness(queues: Record<string, unknown>, more: Record<string, unknown> = {}): Harness {
  return new Harness({ config: { queues: config(queues), ringTimeoutMs: 20_000, ...more } });
}

function skilled(h: Harness, seatId: string, skills: Record<string, number>, splits = 2): void {
  h.do({ type: 'agent-hello', seatId, splits, skills });
  h.do({ type: 'agent-ready', seatId });
}

function refusedConfig(value: unknown): QueueConfigError {
  try {
    validateQueueConfig(value);
  } catch (e) {
    assert.ok(e instanceof QueueConfigError, String(e));
    return e;
  }
  assert.fail('the configuration should have been refused');
}

describe('R19 queue configuration: validation names the field', () => {
  test('R19: a valid file parses, with defaults', () => {
    const c = parseQueueConfig('{"queues":{"claims":{"skills":{"claims":3}},"general":{}}}');
    assert.deepEqual(c.queues['claims']!.skills, { claims: 3 });
    assert.equal(c.queues['claims']!.priority, 0);
    assert.equal(c.queues['general']!.returnPoolAfterMs, null);
    assert.deepEqual(c.queues['general']!.wrapupCodes, []);
  });

  const bad: Array<[string, unknown, string]> = [
    ['not an object', [], '(file)'],
    ['unknown top-level field', { queues: { a: {} }, extra: 1 }, 'extra'],
    ['no queues', { queues: {} }, 'queues'],
    ['a level above 10', { queues: { a: { skills: { zh: 11 } } } }, 'queues.a.skills.zh'],
    ['a level that is not a whole number', { queues: { a: { skills: { zh: 1.5 } } } }, 'queues.a.skills.zh'],
    ['priority out of range', { queues: { a: { priority: 10 } } }, 'queues.a.priority'],
    ['unknown setting', { queues: { a: { ringTimeout: 5 } } }, 'queues.a.ringTimeout'],
    ['negative ring timeout', { queues: { a: { ringTimeoutMs: -1 } } }, 'queues.a.ringTimeoutMs'],
    ['overflow not a list', { queues: { a: { overflow: {} } } }, 'queues.a.overflow'],
    ['overflow step that does nothing', { queues: { a: { overflow: [{ afterMs: 1000 }] } } }, 'queues.a.overflow[0]'],
    ['overflow steps out of order', { queues: { a: { skills: { x: 3 }, overflow: [{ afterMs: 2000, skills: { x: 2 } }, { afterMs: 1000, skills: { x: 1 } }] } } }, 'queues.a.overflow[1].afterMs'],
    ['overflow that raises a level', { queues: { a: { skills: { x: 2 }, overflow: [{ afterMs: 1000, skills: { x: 3 } }] } } }, 'queues.a.overflow[0].skills.x'],
    ['overflow that adds a skill', { queues: { a: { skills: { x: 2 }, overflow: [{ afterMs: 1000, skills: { y: 1 } }] } } }, 'queues.a.overflow[0].skills.y'],
    ['overflow adding an unknown queue', { queues: { a: { overflow: [{ afterMs: 1000, addQueues: ['nope'] }] } } }, 'queues.a.overflow[0].addQueues[0]'],
    ['callback before the last step', { queues: { a: { skills: { x: 2 }, overflow: [{ afterMs: 5000, skills: { x: 1 } }], callbackAfterMs: 4000 } } }, 'queues.a.callbackAfterMs'],
    ['a code listed twice', { queues: { a: { wrapupCodes: ['x', 'x'] } } }, 'queues.a.wrapupCodes'],
    ['an empty code', { queues: { a: { wrapupCodes: [''] } } }, 'queues.a.wrapupCodes'],
    ['a wrap-up limit without codes', { queues: { a: { wrapupLimitMs: 1000 } } }, 'queues.a.wrapupLimitMs'],
    ['return policy of zero', { queues: { a: { returnPoolAfterMs: 0 } } }, 'queues.a.returnPoolAfterMs'],
  ];
  for (const [what, value, field] of bad)
    test(`R19: refused, naming ${field}: ${what}`, () => {
      const e = refusedConfig(value);
      assert.equal(e.field, field, e.message);
      assert.ok(e.message.startsWith(`${field}: `), e.message);
    });

  test('R19: text that is not JSON is refused as the file', () => {
    assert.throws(() => parseQueueConfig('{"queues":'), (e: unknown) => e instanceof QueueConfigError && e.field === '(file)');
  });
});

describe('R19 skills', () => {
  test('R19: without a configuration any queue name works and skills change nothing (the behaviour before)', () => {
    const h = new Harness();
    h.do({ type: 'agent-hello', seatId: 'A', splits: 2, skills: { zh: 1 } });
    h.do({ type: 'agent-ready', seatId: 'A' });
    h.customer('a', 'anything');
    assert.equal(h.states('A')[0], 'ringing');
    assert.deepEqual(h.seat('A').skills, { zh: 1 });
  });

  test('R19: a call goes only to a seat whose skills meet every minimum level', () => {
    const h = harness({ claims: { skills: { claims: 3, zh: 2 } } });
    skilled(h, 'low', { claims: 2, zh: 5 });
    skilled(h, 'nolang', { claims: 5 });
    h.customer('a', 'claims');
    assert.equal(h.customerState('a'), 'queued');
    skilled(h, 'ok', { claims: 3, zh: 2 });
    assert.equal(h.states('ok')[0], 'ringing');
    assert.deepEqual(h.states('low'), ['idle', 'idle']);
    assert.deepEqual(checkInvariants(h.engine, h.now), []);
  });

  test('R19: among skilled seats the best fit goes first, then the strategy (R5)', () => {
    const h = harness({ claims: { skills: { claims: 1 } } });
    skilled(h, 'fit1', { claims: 1 });
    skilled(h, 'fit5', { claims: 5 });
    skilled(h, 'fit3', { claims: 3 });
    h.customer('a', 'claims');
    assert.equal(h.states('fit5')[0], 'ringing');
    h.answer('fit5', 0);
    h.customer('b', 'claims');
    // fit5 is busier now, but skill comes first: least-busy only breaks ties of fit.
    assert.equal(h.states('fit5')[1], 'ringing');
  });

  test('R19: a call to a queue not in the configuration is refused with no-such-target, and nothing changes', () => {
    const h = harness({ claims: {} });
    h.do({ type: 'caller-hello', customerId: 'a' });
    const msg = h.refuse({ type: 'caller-call', customerId: 'a', queue: 'other', name: null, priority: 0 }, 'no-such-target');
    assert.match(msg, /queue "other" is not configured \(one of: claims\)/);
  });

  test('R19: a blind transfer to a queue not in the configuration is refused, and nothing changes', () => {
    const h = harness({ claims: {} });
    skilled(h, 'A', {});
    h.customer('a', 'claims');
    h.answer('A', 0);
    h.refuse({ type: 'agent-transfer', seatId: 'A', split: 0, to: { queue: 'other' } }, 'no-such-target');
  });

  test('R19: skills that are not whole levels 0–10 are refused with bad-message', () => {
    const h = harness({ claims: {} });
    h.refuse({ type: 'agent-hello', seatId: 'A', splits: 2, skills: { zh: 11 } }, 'bad-message');
    h.refuse({ type: 'agent-hello', seatId: 'A', splits: 2, skills: { zh: 'high' } as never }, 'bad-message');
  });

  test('R19: a queue of higher priority is offered first (R4), then the customer priority', () => {
    const h = harness({ low: { priority: 0 }, high: { priority: 5 } });
    h.customer('a', 'low', 9);
    h.now += 10;
    h.customer('b', 'high', 0);
    skilled(h, 'A', {}, 1);
    assert.equal(h.callOn('A', 0), h.engine.customer('b')!.callId);
  });

  test("R19: the queue's ring timeout and wrap-up replace the engine's", () => {
    const h = harness({ fast: { ringTimeoutMs: 3000, wrapupMs: 5000 } }, { wrapupMs: 0 });
    skilled(h, 'A', {});
    h.customer('a', 'fast');
    h.advance(3000);
    assert.equal(h.customerState('a'), 'queued', 'R7 after the queue\'s 3 s');
    h.do({ type: 'agent-ready', seatId: 'A' });
    h.answer('A', 0);
    h.do({ type: 'agent-hangup', seatId: 'A', split: 0 });
    assert.equal(h.states('A')[0], 'wrapup');
    h.advance(5000);
    assert.equal(h.states('A')[0], 'idle');
  });
});

describe('R19 service level', () => {
  test("R19: first answers within the queue's serviceLevelMs are counted per queue (kept in snapshots)", () => {
    const h = harness({ claims: { serviceLevelMs: 10_000 } });
    h.customer('a', 'claims');
    h.customer('b', 'claims');
    skilled(h, 'A', {}, 2);
    h.answer('A', 0);
    h.advance(10_001);
    h.answer('A', 1);
    assert.deepEqual(h.engine.counters.queues, { claims: { answered: 2, withinTarget: 1 } });
    const copy = Engine.fromSnapshot(JSON.parse(JSON.stringify(h.engine.snapshot())), { config: h.engine.config });
    assert.deepEqual(copy.counters.queues, { claims: { answered: 2, withinTarget: 1 } });
  });
});

describe('R20 overflow', () => {
  test('R20: after the step the minimum level is lowered and a less skilled seat gets the call', () => {
    const h = harness({ claims: { skills: { claims: 4 }, overflow: [{ afterMs: 30_000, skills: { claims: 2 } }] } });
    skilled(h, 'junior', { claims: 2 });
    h.customer('a', 'claims');
    h.advance(29_999);
    assert.equal(h.customerState('a'), 'queued');
    h.advance(1);
    assert.equal(h.states('junior')[0], 'ringing');
  });

  test("R20: after the step seats skilled for an added queue may take the call", () => {
    const h = harness({ zh: { skills: { zh: 3 }, overflow: [{ afterMs: 10_000, addQueues: ['en'] }] }, en: { skills: { en: 3 } } });
    skilled(h, 'english', { en: 5 });
    h.customer('a', 'zh');
    h.advance(9_000);
    assert.equal(h.customerState('a'), 'queued');
    h.advance(1_000);
    assert.equal(h.states('english')[0], 'ringing');
  });

  test('R20: overflow steps count from the first arrival, and a call back in the queue keeps its step', () => {
    const h = harness({ claims: { skills: { claims: 4 }, overflow: [{ afterMs: 10_000, skills: { claims: 1 } }] } });
    skilled(h, 'senior', { claims: 5 });
    h.customer('a', 'claims');
    h.advance(10_000);
    h.do({ type: 'agent-reject', seatId: 'senior', split: 0 });
    skilled(h, 'junior', { claims: 1 });
    assert.equal(h.states('junior')[0], 'ringing');
  });

  test('R20: a call blind-transferred to a queue (R14) gets that queue\'s steps, counted from the transfer', () => {
    const h = harness({ front: {}, claims: { skills: { claims: 4 }, overflow: [{ afterMs: 10_000, skills: { claims: 1 } }] } });
    skilled(h, 'A', { claims: 1 }, 2);
    h.customer('a', 'front');
    h.answer('A', 0);
    h.advance(60_000);
    h.transfer('A', 0, { queue: 'claims' });
    assert.equal(h.customerState('a'), 'queued', 'A lacks claims 4');
    h.advance(9_999);
    assert.equal(h.customerState('a'), 'queued');
    h.advance(1);
    assert.equal(h.customerState('a'), 'ringing');
    assert.equal(h.callOn('A', 0), h.engine.customer('a')!.callId);
  });

  test('R20: the overflow timers are engine timers, cancelled when the call is answered', () => {
    const h = harness({ claims: { overflow: [{ afterMs: 10_000, addQueues: ['b'] }], callbackAfterMs: 20_000 }, b: {} });
    h.customer('a', 'claims');
    const id = h.engine.customer('a')!.callId!;
    assert.ok(h.timers.has(`overflow:${id}:0`));
    assert.ok(h.timers.has(`callback:${id}`));
    skilled(h, 'A', {});
    h.answer('A', 0);
    assert.ok(!h.timers.has(`overflow:${id}:0`));
    assert.ok(!h.timers.has(`callback:${id}`));
  });
});

describe('R21 callback', () => {
  test('R21: past the longest wait the customer is offered a callback; taken, it is dialled (R12) when an agent is free', () => {
    const h = harness({ claims: { skills: { claims: 1 }, callbackAfterMs: 60_000 } });
    h.customer('a', 'claims');
    h.advance(60_000);
    assert.equal(h.lastCallView('a')!.callback, 'offered');
    h.do({ type: 'caller-callback', customerId: 'a' });
    assert.equal(h.lastCallView('a')!.callback, 'requested');
    skilled(h, 'A', { claims: 1 });
    assert.equal(h.states('A')[0], 'dialing');
    assert.equal(h.seat('A').splits[0]!.call!.callback, true);
    const view = h.lastCallView('a')!;
    assert.equal(view.state, 'ringing');
    assert.equal(view.kind, 'outbound');
    h.do({ type: 'caller-accept', customerId: 'a' });
    assert.equal(h.states('A')[0], 'connected');
  });

  test('R21: taking a callback that was not offered is refused, and nothing changes', () => {
    const h = harness({ claims: { callbackAfterMs: 60_000 } });
    h.customer('a', 'claims');
    h.refuse({ type: 'caller-callback', customerId: 'a' }, 'invalid-state');
  });

  test('R21: a callback is not dialled while its customer is disconnected', () => {
    const h = harness({ claims: { callbackAfterMs: 1000 } });
    h.customer('a', 'claims');
    h.advance(1000);
    h.do({ type: 'caller-callback', customerId: 'a' });
    h.do({ type: 'caller-lost', customerId: 'a' });
    skilled(h, 'A', {});
    assert.deepEqual(h.states('A'), ['idle', 'idle']);
    assert.deepEqual(checkInvariants(h.engine, h.now), []);
    h.do({ type: 'caller-hello', customerId: 'a' });
    assert.equal(h.states('A')[0], 'dialing');
  });
});

describe('R22 dispositions', () => {
  const codes = { claims: { wrapupCodes: ['resolved', 'escalated'], wrapupLimitMs: 60_000 } };

  test('R22: a queue with codes keeps the split in wrap-up until a code is picked, whatever wrapupMs says; the record carries it', () => {
    const h = harness(codes, { wrapupMs: 0 });
    skilled(h, 'A', {});
    h.customer('a', 'claims');
    h.answer('A', 0);
    h.do({ type: 'caller-hangup', customerId: 'a' });
    assert.equal(h.states('A')[0], 'wrapup');
    assert.deepEqual(h.seat('A').splits[0]!.call!.wrapupCodes, ['resolved', 'escalated']);
    assert.equal(h.records.length, 0, 'the record waits for the code');
    h.do({ type: 'agent-wrapup-done', seatId: 'A', split: 0, disposition: 'escalated' });
    assert.equal(h.states('A')[0], 'idle');
    assert.equal(h.records.length, 1);
    assert.equal(h.records[0]!.disposition, 'escalated');
  });

  test('R22: the wrap-up limit ends it without a code', () => {
    const h = harness(codes);
    skilled(h, 'A', {});
    h.customer('a', 'claims');
    h.answer('A', 0);
    h.do({ type: 'agent-hangup', seatId: 'A', split: 0 });
    h.advance(60_000);
    assert.equal(h.states('A')[0], 'idle');
    assert.equal(h.records[0]!.disposition, null);
  });

  test('R22: an unknown code, a missing code, or a code where the queue has none is refused with bad-message, and nothing changes', () => {
    const h = harness({ ...codes, plain: {} }, { wrapupMs: 10_000 });
    skilled(h, 'A', {});
    h.customer('a', 'claims');
    h.answer('A', 0);
    h.do({ type: 'agent-hangup', seatId: 'A', split: 0 });
    assert.match(h.refuse({ type: 'agent-wrapup-done', seatId: 'A', split: 0, disposition: 'lost' }, 'bad-message'), /"lost" is not one of resolved, escalated/);
    assert.match(h.refuse({ type: 'agent-wrapup-done', seatId: 'A', split: 0 }, 'bad-message'), /disposition is required/);
    h.customer('b', 'plain');
    h.answer('A', 1);
    h.do({ type: 'agent-hangup', seatId: 'A', split: 1 });
    assert.match(h.refuse({ type: 'agent-wrapup-done', seatId: 'A', split: 1, disposition: 'resolved' }, 'bad-message'), /no wrap-up codes/);
    h.do({ type: 'agent-wrapup-done', seatId: 'A', split: 1 });
  });

  test('R22: a code picked after a transfer goes with the live call into its record', () => {
    const h = harness(codes);
    skilled(h, 'A', {});
    skilled(h, 'B', {});
    h.customer('a', 'claims');
    const first = h.seat('A').splits[0]!.state === 'ringing' ? 'A' : 'B';
    const other = first === 'A' ? 'B' : 'A';
    h.answer(first, 0);
    h.transfer(first, 0, { seat: other });
    h.do({ type: 'agent-wrapup-done', seatId: first, split: 0, disposition: 'resolved' });
    h.answer(other, 0);
    h.do({ type: 'caller-hangup', customerId: 'a' });
    h.do({ type: 'agent-wrapup-done', seatId: other, split: 0, disposition: 'escalated' });
    assert.equal(h.records[0]!.disposition, 'escalated');
    assert.deepEqual(h.records[0]!.seats, [first, other]);
  });

  test('R22: a seat gone in wrap-up still writes its held record (no call lost)', () => {
    const h = harness({ claims: { wrapupCodes: ['x'] } }, { reconnectGraceMs: 1000 });
    skilled(h, 'A', {});
    h.customer('a', 'claims');
    h.answer('A', 0);
    h.do({ type: 'caller-hangup', customerId: 'a' });
    h.do({ type: 'agent-lost', seatId: 'A' });
    h.advance(1000);
    assert.equal(h.records.length, 1);
    assert.equal(h.records[0]!.disposition, null);
  });
});

describe('R23 return policy', () => {
  const policy = { claims: { returnPoolAfterMs: 60_000 } };

  /** A talks to b (focused) while a waits with an open request; C is free. */
  function busyOwnAgent(h: Harness): void {
    skilled(h, 'A', {}, 3);
    h.customer('a', 'claims');
    h.answer('A', 0);
    h.customer('b', 'claims');
    h.answer('A', 1); // focus moves to b
    skilled(h, 'C', {}, 2);
    h.do({ type: 'caller-attention', customerId: 'a', on: true });
  }

  test('R23: a request that waited returnPoolAfterMs while its own agent is busy moves to a free agent, flagged returning', () => {
    const h = harness(policy);
    busyOwnAgent(h);
    h.advance(59_999);
    assert.equal(h.states('C')[0], 'idle');
    h.advance(1);
    assert.equal(h.states('A')[0], 'idle');
    assert.equal(h.states('C')[0], 'ringing');
    const offered = h.seat('C').splits[0]!.call!;
    assert.deepEqual(offered.returning, { from: 'A', since: h.now });
    assert.equal(offered.customer.id, 'a');
    assert.deepEqual(h.lastCallView('a')!.handover, { from: 'A', to: 'C' });
    h.answer('C', 0);
    h.do({ type: 'caller-hangup', customerId: 'a' });
    const rec = h.records.find((r) => r.customerId === 'a')!;
    assert.deepEqual(rec.seats, ['A', 'C']);
    assert.equal(rec.returnWaitsMs[0], 60_000);
  });

  test('R23: off by default: without the policy the customer waits for their own agent', () => {
    const h = harness({ claims: {} });
    busyOwnAgent(h);
    h.advance(600_000);
    assert.equal(h.states('A')[0], 'connected');
    assert.deepEqual(h.states('C'), ['idle', 'idle']);
  });

  test('R23: no move while the own agent is free (no focus): they come back to their customer', () => {
    const h = harness(policy);
    busyOwnAgent(h);
    h.do({ type: 'agent-focus', seatId: 'A', split: null });
    h.advance(60_000);
    assert.equal(h.states('A')[0], 'connected');
    assert.equal(h.states('C')[0], 'idle');
  });

  test('R23: a free agent is one with no focus and no open request; the move waits for one', () => {
    const h = harness(policy);
    busyOwnAgent(h);
    h.customer('c', 'claims');
    h.answer('C', 0); // C is talking now
    h.advance(60_000);
    assert.equal(h.states('A')[0], 'connected');
    h.do({ type: 'agent-focus', seatId: 'C', split: null });
    assert.equal(h.states('A')[0], 'idle');
    assert.equal(h.states('C')[1], 'ringing');
  });

  test('R23: focus before the limit clears the request and its timer', () => {
    const h = harness(policy);
    busyOwnAgent(h);
    h.do({ type: 'agent-focus', seatId: 'A', split: 0 });
    const id = h.engine.customer('a')!.callId!;
    assert.ok(!h.timers.has(`return:${id}`));
  });
});

describe('R19–R23 and the journal', () => {
  test('R19–R23: a snapshot of format 1 (before the queue fields) still loads', () => {
    const e = new Engine();
    const snap = e.snapshot();
    const old = { ...JSON.parse(JSON.stringify(snap)), format: 1 };
    assert.doesNotThrow(() => Engine.fromSnapshot(old));
    assert.throws(() => Engine.fromSnapshot({ ...old, format: 99 }), /another version/);
  });
});
