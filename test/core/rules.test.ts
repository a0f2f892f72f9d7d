import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Harness } from './harness.js';

describe('R1 fixed channels', () => {
  test('R1: split i of seat S uses channel S:i and N is fixed for the sign-in', () => {
    const h = new Harness();
    h.agent('seat-1', 3);
    assert.deepEqual(
      h.seat('seat-1').splits.map((s) => s.channel),
      ['seat-1:0', 'seat-1:1', 'seat-1:2'],
    );
    // A second hello (another tab) keeps the seat's N.
    h.do({ type: 'agent-hello', seatId: 'seat-1', splits: 5 });
    assert.equal(h.seat('seat-1').splits.length, 3);
  });

  test('R1: N must be 1 to 8', () => {
    const h = new Harness();
    h.refuse({ type: 'agent-hello', seatId: 's', splits: 0 }, 'bad-message');
    h.refuse({ type: 'agent-hello', seatId: 's', splits: 9 }, 'bad-message');
    h.refuse({ type: 'agent-hello', seatId: 's', splits: 1.5 }, 'bad-message');
    h.agent('s', 8);
    assert.equal(h.seat('s').splits.length, 8);
  });
});

describe('R2 one ringing', () => {
  test('R2: a second waiting call stays silent while split 0 rings, and rings split 1 after the answer', () => {
    const h = new Harness();
    h.agent('seat-1', 2);
    h.customer('a');
    h.customer('b');
    assert.deepEqual(h.states('seat-1'), ['ringing', 'idle']);
    assert.equal(h.customerState('b'), 'queued');
    assert.equal(h.engine.waiting, 1);
    h.answer('seat-1', 0);
    assert.deepEqual(h.states('seat-1'), ['connected', 'ringing']);
    assert.equal(h.customerState('b'), 'ringing');
  });
});

describe('R3 eligibility', () => {
  test('R3: a not-ready seat gets no offer; ready gets one', () => {
    const h = new Harness();
    h.agent('seat-1', 2, false);
    h.customer('a');
    assert.deepEqual(h.states('seat-1'), ['idle', 'idle']);
    h.do({ type: 'agent-ready', seatId: 'seat-1' });
    assert.deepEqual(h.states('seat-1'), ['ringing', 'idle']);
  });

  test('R3: a seat with every split busy gets no offer', () => {
    const h = new Harness();
    h.agent('seat-1', 1);
    h.customer('a');
    h.answer('seat-1', 0);
    h.customer('b');
    assert.equal(h.customerState('b'), 'queued');
    h.do({ type: 'caller-hangup', customerId: 'a' });
    assert.equal(h.customerState('b'), 'ringing');
  });

  test('R3: a seat that is gone (connection lost) gets no offer', () => {
    const h = new Harness();
    h.agent('seat-1', 2);
    h.do({ type: 'agent-lost', seatId: 'seat-1' });
    h.customer('a');
    assert.equal(h.customerState('a'), 'queued');
  });
});

describe('R4 queue order', () => {
  test('R4: higher priority first, then earlier arrival', () => {
    const h = new Harness();
    h.customer('low1', 'q', 0);
    h.now += 10;
    h.customer('high', 'q', 5);
    h.now += 10;
    h.customer('low2', 'q', 0);
    assert.equal(h.engine.customerView('high')!.position, 1);
    assert.equal(h.engine.customerView('low1')!.position, 2);
    assert.equal(h.engine.customerView('low2')!.position, 3);
    h.agent('seat-1', 1);
    assert.equal(h.customerState('high'), 'ringing');
  });

  test('R4: a call that comes back keeps its first arrival and goes to the head', () => {
    const h = new Harness();
    h.agent('seat-1', 1);
    h.customer('first');
    h.now += 100;
    h.customer('second');
    h.do({ type: 'agent-not-ready', seatId: 'seat-1', reason: 'break' }); // R17 withdraws
    assert.equal(h.engine.customerView('first')!.position, 1);
    assert.equal(h.engine.customerView('second')!.position, 2);
    h.do({ type: 'agent-ready', seatId: 'seat-1' });
    assert.equal(h.customerState('first'), 'ringing');
    assert.equal(h.engine.customerView('second')!.position, 1);
  });
});

describe('R5 seat choice', () => {
  test('R5: least-busy offers to the seat with fewest busy splits', () => {
    const h = new Harness();
    h.agent('busy', 2);
    h.customer('a');
    h.answer('busy', 0);
    h.agent('free', 2);
    h.customer('b');
    assert.equal(h.engine.customerView('b')!.state, 'ringing');
    assert.equal(h.engine.call(h.engine.customer('b')!.callId!)!.seatId, 'free');
  });

  test('R5: between equally busy seats, the one longest since its last offer', () => {
    const h = new Harness();
    h.agent('s1', 2);
    h.agent('s2', 2);
    const seatOf = (c: string) => h.engine.call(h.engine.customer(c)!.callId!)!.seatId;
    h.customer('a');
    assert.equal(seatOf('a'), 's1', 'never offered either: sign-in order breaks the tie');
    h.answer('s1', 0);
    h.do({ type: 'caller-hangup', customerId: 'a' });
    h.now += 1000;
    h.customer('b');
    assert.equal(seatOf('b'), 's2', 's2 was never offered, s1 was');
    h.answer('s2', 0);
    h.do({ type: 'caller-hangup', customerId: 'b' });
    h.now += 1000;
    h.customer('c');
    assert.equal(seatOf('c'), 's1', 's1 was offered longer ago than s2');
  });

  for (const [strategy, expected] of [
    ['fill-first', 'busy'],
    ['least-busy', 'free'],
  ] as const) {
    test(`R5: the ${strategy} strategy chooses the ${expected} seat`, () => {
      const h = new Harness({ config: { strategy } });
      h.agent('busy', 4);
      h.customer('a');
      h.answer('busy', 0);
      h.agent('free', 4);
      h.customer('b');
      assert.equal(h.engine.call(h.engine.customer('b')!.callId!)!.seatId, expected);
    });
  }

  test('R5: round-robin takes seats in turn', () => {
    const h = new Harness({ config: { strategy: 'round-robin' } });
    h.agent('s1', 4);
    h.agent('s2', 4);
    h.agent('s3', 4);
    const got: string[] = [];
    for (const c of ['a', 'b', 'c', 'd']) {
      h.customer(c);
      const call = h.engine.call(h.engine.customer(c)!.callId!)!;
      got.push(call.seatId!);
      h.answer(call.seatId!, call.split!);
    }
    assert.deepEqual(got, ['s1', 's2', 's3', 's1']);
  });

  test('R5: longest-idle prefers the seat whose last call ended longest ago', () => {
    const h = new Harness({ config: { strategy: 'longest-idle' } });
    h.agent('s1', 2);
    h.agent('s2', 2);
    h.customer('a');
    h.answer('s1', 0);
    h.now += 1000;
    h.do({ type: 'caller-hangup', customerId: 'a' }); // s1 idle again, but just now
    h.customer('b');
    assert.equal(h.engine.call(h.engine.customer('b')!.callId!)!.seatId, 's2');
  });

  test('R5: unknown strategy names are refused with the list of names', () => {
    assert.throws(() => new Harness({ config: { strategy: 'nope' } }), /least-busy/);
  });
});

describe('R6 split choice', () => {
  test('R6: the lowest-index idle split rings', () => {
    const h = new Harness();
    h.agent('s', 3);
    h.customer('a');
    h.answer('s', 0);
    h.customer('b');
    h.answer('s', 1);
    h.do({ type: 'caller-hangup', customerId: 'a' }); // split 0 free again
    h.customer('c');
    assert.deepEqual(h.states('s'), ['ringing', 'connected', 'idle']);
  });
});

describe('R7 ring timeout', () => {
  test('R7: an unanswered offer goes back to the queue and the seat turns not-ready (no-answer)', () => {
    const h = new Harness({ config: { ringTimeoutMs: 5000 } });
    h.agent('s', 2);
    h.customer('a');
    h.advance(4999);
    assert.equal(h.customerState('a'), 'ringing');
    h.advance(1);
    assert.equal(h.customerState('a'), 'queued');
    assert.equal(h.engine.customerView('a')!.position, 1);
    const seat = h.seat('s');
    assert.equal(seat.ready, false);
    assert.equal(seat.notReadyReason, 'no-answer');
    assert.deepEqual(h.states('s'), ['idle', 'idle']);
  });

  test('R7: the timed-out call rings another ready seat', () => {
    const h = new Harness({ config: { ringTimeoutMs: 1000 } });
    h.agent('s1', 1);
    h.customer('a');
    h.agent('s2', 1);
    h.advance(1000);
    assert.equal(h.engine.call(h.engine.customer('a')!.callId!)!.seatId, 's2');
  });
});

describe('R8 reject', () => {
  test('R8: a rejected call goes back and is not offered to that seat again for rejectDelayMs', () => {
    const h = new Harness({ config: { rejectDelayMs: 10_000 } });
    h.agent('s', 2);
    h.customer('a');
    h.do({ type: 'agent-reject', seatId: 's', split: 0 });
    assert.equal(h.customerState('a'), 'queued');
    assert.deepEqual(h.states('s'), ['idle', 'idle']);
    assert.equal(h.seat('s').ready, true, 'a reject keeps the seat ready');
    h.advance(9_999);
    assert.equal(h.customerState('a'), 'queued');
    h.advance(1);
    assert.equal(h.customerState('a'), 'ringing');
  });

  test('R8: a seat whose id is __proto__ waits out rejectDelayMs like any other (ids are Map keys, not object fields)', () => {
    const h = new Harness({ config: { rejectDelayMs: 10_000 } });
    h.agent('__proto__', 1);
    h.customer('a');
    h.do({ type: 'agent-reject', seatId: '__proto__', split: 0 });
    assert.equal(h.customerState('a'), 'queued', 'not re-offered at once');
    h.advance(9_999);
    assert.equal(h.customerState('a'), 'queued');
    h.advance(1);
    assert.equal(h.customerState('a'), 'ringing');
  });

  test('R8: while a rejected call waits, the seat gets the next call', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.customer('a');
    h.customer('b');
    h.do({ type: 'agent-reject', seatId: 's', split: 0 });
    assert.equal(h.customerState('b'), 'ringing');
    assert.equal(h.engine.customerView('a')!.position, 1);
  });

  test('R8: rejecting a split that is not ringing is refused', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.refuse({ type: 'agent-reject', seatId: 's', split: 0 }, 'invalid-state');
  });
});

describe('R9 answer', () => {
  test('R9: ringing → connected, the virtual seat is the channel, focus moves to it', () => {
    const h = new Harness();
    h.agent('seat-1', 2);
    h.customer('a');
    h.answer('seat-1', 0);
    const seat = h.seat('seat-1');
    assert.equal(seat.splits[0]!.state, 'connected');
    assert.equal(seat.splits[0]!.call!.virtualSeat, 'seat-1:0');
    assert.equal(seat.focus, 0);
    const view = h.engine.customerView('a')!;
    assert.equal(view.state, 'connected');
    assert.deepEqual(view.agent, { seat: 'seat-1', virtualSeat: 'seat-1:0' });
    assert.equal(view.focused, true);
    h.customer('b');
    h.answer('seat-1', 1);
    assert.equal(h.seat('seat-1').focus, 1);
    assert.equal(h.engine.customerView('a')!.focused, false);
  });

  test('R9: answering twice connects once; the second answer is refused and changes nothing', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.customer('a');
    h.answer('s', 0);
    h.refuse({ type: 'agent-answer', seatId: 's', split: 0 }, 'invalid-state');
    h.refuse({ type: 'agent-answer', seatId: 's', split: 1 }, 'invalid-state');
    h.refuse({ type: 'agent-answer', seatId: 's', split: 7 }, 'no-such-split');
  });

  test('R9: the ringing call already carries media for a muted preview', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.customer('a');
    assert.ok(h.seat('s').splits[0]!.call!.media);
  });
});

describe('R10 focus', () => {
  test('R10: only a connected split can have focus; null clears it', () => {
    const h = new Harness();
    h.agent('s', 3);
    h.customer('a');
    h.refuse({ type: 'agent-focus', seatId: 's', split: 0 }, 'invalid-state'); // ringing
    h.answer('s', 0);
    h.customer('b');
    h.answer('s', 1);
    h.do({ type: 'agent-focus', seatId: 's', split: 0 });
    assert.equal(h.seat('s').focus, 0);
    assert.equal(h.engine.customerView('a')!.focused, true);
    assert.equal(h.engine.customerView('b')!.focused, false);
    h.refuse({ type: 'agent-focus', seatId: 's', split: 2 }, 'invalid-state');
    h.do({ type: 'agent-focus', seatId: 's', split: null });
    assert.equal(h.seat('s').focus, null);
  });

  test('R10: when the focused call ends, no split has focus until the agent picks one', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.customer('a');
    h.answer('s', 0);
    h.customer('b');
    h.answer('s', 1);
    h.do({ type: 'caller-hangup', customerId: 'b' });
    assert.equal(h.seat('s').focus, null);
  });
});

describe('R11 hangup', () => {
  test('R11: either side hangs up; the call ends with a reason and is recorded', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.customer('a');
    h.answer('s', 0);
    h.do({ type: 'agent-hangup', seatId: 's', split: 0 });
    assert.equal(h.lastCallView('a')!.state, 'ended');
    assert.equal(h.lastCallView('a')!.endReason, 'agent-hangup');
    h.customer('b');
    h.answer('s', 0);
    h.do({ type: 'caller-hangup', customerId: 'b' });
    assert.equal(h.lastCallView('b')!.endReason, 'caller-hangup');
    assert.deepEqual(
      h.records.map((r) => r.endReason),
      ['agent-hangup', 'caller-hangup'],
    );
    assert.equal(h.records[0]!.seatId, 's');
    assert.equal(h.records[0]!.virtualSeat, 's:0');
  });

  test('R11: wrap-up holds the split for wrapupMs, then idle; the agent may end it early', () => {
    const h = new Harness({ config: { wrapupMs: 30_000 } });
    h.agent('s', 1);
    h.customer('a');
    h.answer('s', 0);
    h.do({ type: 'caller-hangup', customerId: 'a' });
    assert.deepEqual(h.states('s'), ['wrapup']);
    const wrap = h.seat('s').splits[0]!.call!;
    assert.equal(wrap.customer.id, 'a', 'wrap-up shows whose call it was');
    assert.equal(wrap.virtualSeat, 's:0');
    assert.equal(wrap.media, null, 'the room is gone');
    h.customer('b');
    assert.equal(h.customerState('b'), 'queued', 'no offer during wrap-up');
    h.advance(30_000);
    assert.equal(h.customerState('b'), 'ringing');
    h.answer('s', 0);
    h.do({ type: 'agent-hangup', seatId: 's', split: 0 });
    h.do({ type: 'agent-wrapup-done', seatId: 's', split: 0 });
    assert.deepEqual(h.states('s'), ['idle']);
    h.refuse({ type: 'agent-wrapup-done', seatId: 's', split: 0 }, 'invalid-state');
  });

  test('R11: with wrapupMs 0 the split goes straight to idle', () => {
    const h = new Harness();
    h.agent('s', 1);
    h.customer('a');
    h.answer('s', 0);
    h.do({ type: 'agent-hangup', seatId: 's', split: 0 });
    assert.deepEqual(h.states('s'), ['idle']);
  });

  test('R11: hanging up an idle split is refused', () => {
    const h = new Harness();
    h.agent('s', 1);
    h.refuse({ type: 'agent-hangup', seatId: 's', split: 0 }, 'invalid-state');
  });

  test('R11: a queued customer who hangs up leaves the queue', () => {
    const h = new Harness();
    h.customer('a');
    h.customer('b');
    h.do({ type: 'caller-hangup', customerId: 'a' });
    assert.equal(h.engine.waiting, 1);
    assert.equal(h.engine.customerView('b')!.position, 1);
  });
});

describe('R12 outbound', () => {
  test('R12: dial → dialing; the customer is alerted; accept → connected with the channel', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.do({ type: 'caller-hello', customerId: 'cust-9' });
    h.do({ type: 'agent-dial', seatId: 's', split: 1, to: 'cust-9' });
    assert.deepEqual(h.states('s'), ['idle', 'dialing']);
    const alert = h.engine.customerView('cust-9')!;
    assert.equal(alert.state, 'ringing');
    assert.equal(alert.kind, 'outbound');
    h.do({ type: 'caller-accept', customerId: 'cust-9' });
    assert.deepEqual(h.states('s'), ['idle', 'connected']);
    assert.equal(h.seat('s').splits[1]!.call!.virtualSeat, 's:1');
    assert.equal(h.engine.customerView('cust-9')!.state, 'connected');
  });

  test('R12: decline ends the call and frees the split', () => {
    const h = new Harness();
    h.agent('s', 1);
    h.do({ type: 'caller-hello', customerId: 'c' });
    h.do({ type: 'agent-dial', seatId: 's', split: 0, to: 'c' });
    h.do({ type: 'caller-decline', customerId: 'c' });
    assert.deepEqual(h.states('s'), ['idle']);
    assert.equal(h.lastCallView('c')!.endReason, 'declined');
  });

  test('R12: an unanswered dial ends with no-answer', () => {
    const h = new Harness({ config: { ringTimeoutMs: 3000 } });
    h.agent('s', 1);
    h.do({ type: 'caller-hello', customerId: 'c' });
    h.do({ type: 'agent-dial', seatId: 's', split: 0, to: 'c' });
    h.advance(3000);
    assert.deepEqual(h.states('s'), ['idle']);
    assert.equal(h.lastCallView('c')!.endReason, 'no-answer');
    assert.equal(h.seat('s').ready, true, 'an unanswered dial does not make the seat not-ready');
  });

  test('R12: dialing an unknown or busy customer, or from a busy split, is refused', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.refuse({ type: 'agent-dial', seatId: 's', split: 0, to: 'nobody' }, 'no-such-target');
    h.customer('busy');
    h.refuse({ type: 'agent-dial', seatId: 's', split: 1, to: 'busy' }, 'busy');
    h.do({ type: 'caller-hello', customerId: 'free' });
    h.refuse({ type: 'agent-dial', seatId: 's', split: 0, to: 'free' }, 'invalid-state'); // split 0 rings
  });

  test('R12: accept or decline without an alerting call is refused', () => {
    const h = new Harness();
    h.customer('a');
    h.refuse({ type: 'caller-accept', customerId: 'a' }, 'invalid-state');
    h.refuse({ type: 'caller-decline', customerId: 'a' }, 'invalid-state');
  });
});

describe('R13 consult', () => {
  function consulting() {
    const h = new Harness();
    h.agent('A', 2);
    h.customer('cust');
    h.answer('A', 0);
    h.agent('B', 2);
    h.do({ type: 'agent-consult', seatId: 'A', split: 0, to: 'B' });
    return h;
  }

  test('R13: the customer is held and a consult call rings the other seat', () => {
    const h = consulting();
    assert.deepEqual(h.states('A'), ['consulting', 'idle']);
    assert.equal(h.customerState('cust'), 'held');
    const b = h.seat('B').splits[0]!;
    assert.equal(b.state, 'ringing');
    assert.equal(b.call!.kind, 'consult');
    assert.deepEqual(b.call!.from, { seat: 'A', virtualSeat: 'A:0' });
    assert.equal(b.call!.customer.id, 'cust');
    assert.ok(b.call!.media, 'the consult has its own room');
    const consult = h.seat('A').splits[0]!.call!.consult!;
    assert.equal(consult.seat, 'B');
    assert.equal(consult.state, 'ringing');
    assert.notEqual(consult.media!.room, h.seat('A').splits[0]!.call!.media!.room);
  });

  test('R13: the consult rings under R2 — not while the other seat already rings', () => {
    const h = new Harness();
    h.agent('A', 2);
    h.customer('cust');
    h.answer('A', 0);
    h.agent('B', 2);
    h.customer('other'); // rings B
    h.do({ type: 'agent-consult', seatId: 'A', split: 0, to: 'B' });
    assert.deepEqual(h.states('B'), ['ringing', 'idle']);
    h.answer('B', 0);
    assert.deepEqual(h.states('B'), ['connected', 'ringing']);
    assert.equal(h.seat('B').splits[1]!.call!.kind, 'consult');
  });

  test('R13: warm transfer moves the customer to the consulted split, in the customer room', () => {
    const h = consulting();
    h.answer('B', 0);
    assert.equal(h.seat('A').splits[0]!.call!.consult!.state, 'connected');
    const room = h.seat('A').splits[0]!.call!.media!.room;
    const callId = h.callOn('A', 0);
    h.refuse({ type: 'agent-transfer', seatId: 'A', split: 0, to: { seat: 'C' } }, 'invalid-state');
    h.transfer('A', 0, { seat: 'B' });
    assert.deepEqual(h.states('A'), ['idle', 'idle']);
    const b = h.seat('B').splits[0]!;
    assert.equal(b.state, 'connected');
    assert.equal(b.call!.callId, callId);
    assert.equal(b.call!.kind, 'inbound');
    assert.equal(b.call!.media!.room, room);
    assert.equal(b.call!.virtualSeat, 'B:0');
    const view = h.engine.customerView('cust')!;
    assert.equal(view.state, 'connected');
    assert.deepEqual(view.agent, { seat: 'B', virtualSeat: 'B:0' });
    assert.equal(h.rooms.size, 1, 'the consult room is destroyed, the customer room lives');
  });

  test('R13: a consult waiting for its seat does not count in customers\' queue places', () => {
    const h = new Harness();
    h.agent('A', 1);
    h.customer('cust');
    h.answer('A', 0);
    h.agent('B', 1, false);
    h.do({ type: 'agent-consult', seatId: 'A', split: 0, to: 'B' }); // waits: B is not ready
    h.customer('next');
    assert.equal(h.engine.customerView('next')!.position, 1);
    assert.equal(h.engine.waiting, 1);
  });

  test('R13: warm transfer before the consulted seat answers is refused', () => {
    const h = consulting();
    h.refuse({ type: 'agent-transfer', seatId: 'A', split: 0, to: { seat: 'B' } }, 'invalid-state');
  });

  test('R13: cancel resumes the customer and ends the consult', () => {
    const h = consulting();
    h.answer('B', 0);
    h.do({ type: 'agent-cancel-consult', seatId: 'A', split: 0 });
    assert.deepEqual(h.states('A'), ['connected', 'idle']);
    assert.equal(h.seat('A').focus, 0);
    assert.equal(h.customerState('cust'), 'connected');
    assert.deepEqual(h.states('B'), ['idle', 'idle']);
    assert.equal(h.rooms.size, 1);
  });

  test('R13: a consulted seat that rejects ends the consult and the customer resumes', () => {
    const h = consulting();
    h.do({ type: 'agent-reject', seatId: 'B', split: 0 });
    assert.deepEqual(h.states('A'), ['connected', 'idle']);
    assert.equal(h.customerState('cust'), 'connected');
  });

  test('R13: consulting an unknown seat or oneself is refused', () => {
    const h = new Harness();
    h.agent('A', 2);
    h.customer('cust');
    h.answer('A', 0);
    h.refuse({ type: 'agent-consult', seatId: 'A', split: 0, to: 'ghost' }, 'no-such-target');
    h.refuse({ type: 'agent-consult', seatId: 'A', split: 0, to: 'A' }, 'invalid-state');
    h.refuse({ type: 'agent-consult', seatId: 'A', split: 1, to: 'A' }, 'invalid-state');
  });

  test('R13: the customer hanging up during a consult ends both legs', () => {
    const h = consulting();
    h.answer('B', 0);
    h.do({ type: 'caller-hangup', customerId: 'cust' });
    assert.deepEqual(h.states('A'), ['idle', 'idle']);
    assert.deepEqual(h.states('B'), ['idle', 'idle']);
    assert.equal(h.rooms.size, 0);
  });
});

describe('R14 blind transfer', () => {
  test('R14: to a seat — the split is freed and only that seat gets the call', () => {
    const h = new Harness();
    h.agent('A', 2);
    h.customer('cust');
    h.answer('A', 0);
    h.agent('B', 1, false);
    h.agent('C', 1);
    h.transfer('A', 0, { seat: 'B' });
    assert.deepEqual(h.states('A'), ['idle', 'idle']);
    assert.equal(h.customerState('cust'), 'queued');
    assert.deepEqual(h.states('C'), ['idle'], 'C may not take a call aimed at B');
    h.do({ type: 'agent-ready', seatId: 'B' });
    assert.deepEqual(h.states('B'), ['ringing']);
  });

  test('R14: to a queue — the call goes to the queue head with its first arrival', () => {
    const h = new Harness();
    h.agent('A', 1);
    h.customer('cust');
    h.answer('A', 0);
    h.now += 1000;
    h.customer('later');
    h.do({ type: 'agent-not-ready', seatId: 'A', reason: null });
    h.transfer('A', 0, { queue: 'billing' });
    assert.equal(h.engine.customerView('cust')!.position, 1);
    assert.equal(h.engine.call(h.engine.customer('cust')!.callId!)!.queue, 'billing');
  });

  test('R14: transfer to an unknown seat, or of a call that is not connected, is refused', () => {
    const h = new Harness();
    h.agent('A', 2);
    h.customer('cust');
    h.refuse({ type: 'agent-transfer', seatId: 'A', split: 0, to: { seat: 'B' } }, 'invalid-state');
    h.answer('A', 0);
    h.refuse({ type: 'agent-transfer', seatId: 'A', split: 0, to: { seat: 'nobody' } }, 'no-such-target');
    h.refuse({ type: 'agent-transfer', seatId: 'A', split: 0, to: { seat: 'A' } }, 'invalid-state');
  });
});

describe('R15 agent lost', () => {
  test('R15: a ringing offer is withdrawn at once', () => {
    const h = new Harness();
    h.agent('s', 2);
    h.customer('a');
    h.do({ type: 'agent-lost', seatId: 's' });
    assert.equal(h.customerState('a'), 'queued');
  });

  test('R15: back within the grace period, the seat is restored as it was', () => {
    const h = new Harness({ config: { reconnectGraceMs: 15_000 } });
    h.agent('s', 2);
    h.customer('a');
    h.answer('s', 0);
    h.do({ type: 'agent-lost', seatId: 's' });
    h.refuse({ type: 'agent-focus', seatId: 's', split: 0 }, 'not-signed-in');
    h.advance(14_000);
    h.do({ type: 'agent-hello', seatId: 's', splits: 4 });
    const seat = h.seat('s');
    assert.equal(seat.splits.length, 2, 'splits of the new hello are ignored');
    assert.equal(seat.splits[0]!.state, 'connected');
    assert.equal(seat.ready, true);
    assert.equal(h.customerState('a'), 'connected');
    h.advance(10_000);
    assert.equal(h.customerState('a'), 'connected', 'the grace timer was cancelled');
  });

  test('R15: not back in time — connected calls go to the queue head; no call is lost', () => {
    const h = new Harness({ config: { reconnectGraceMs: 15_000 } });
    h.agent('s', 2);
    h.customer('a');
    h.answer('s', 0);
    h.now += 10;
    h.customer('b');
    h.answer('s', 1);
    h.now += 10;
    h.customer('waiting');
    h.do({ type: 'agent-lost', seatId: 's' });
    h.advance(15_000);
    assert.equal(h.engine.seatView('s'), undefined);
    assert.equal(h.engine.customerView('a')!.position, 1);
    assert.equal(h.engine.customerView('b')!.position, 2);
    assert.equal(h.engine.customerView('waiting')!.position, 3);
    h.agent('t', 1);
    assert.equal(h.customerState('a'), 'ringing');
  });
});

describe('R16 caller lost', () => {
  test('R16: a customer gone longer than callerGraceMs ends the call with caller-lost', () => {
    const h = new Harness({ config: { callerGraceMs: 5000 } });
    h.agent('s', 1);
    h.customer('a');
    h.answer('s', 0);
    h.do({ type: 'caller-lost', customerId: 'a' });
    h.advance(4999);
    assert.deepEqual(h.states('s'), ['connected']);
    h.advance(1);
    assert.deepEqual(h.states('s'), ['idle']);
    assert.equal(h.records.at(-1)!.endReason, 'caller-lost');
  });

  test('R16: a customer back within the grace period keeps the call and is sent it at once', () => {
    const h = new Harness({ config: { callerGraceMs: 5000 } });
    h.customer('a');
    h.do({ type: 'caller-lost', customerId: 'a' });
    h.advance(3000);
    const effects = h.do({ type: 'caller-hello', customerId: 'a' });
    assert.ok(effects.some((e) => e.type === 'call' && e.customerId === 'a' && e.call.state === 'queued'));
    h.advance(10_000);
    assert.equal(h.customerState('a'), 'queued');
  });

  test('R16: a caller that is not signed in cannot act', () => {
    const h = new Harness();
    h.refuse({ type: 'caller-call', customerId: 'x', queue: 'q', name: null, priority: 0 }, 'not-signed-in');
    h.customer('a');
    h.refuse({ type: 'caller-call', customerId: 'a', queue: 'q', name: null, priority: 0 }, 'busy');
  });
});

describe('R17 not-ready', () => {
  test('R17: not-ready stops offers and withdraws a ringing offer; connected calls stay', () => {
    const h = new Harness();
    h.agent('s', 3);
    h.customer('a');
    h.answer('s', 0);
    h.customer('b');
    h.do({ type: 'agent-not-ready', seatId: 's', reason: 'lunch' });
    assert.deepEqual(h.states('s'), ['connected', 'idle', 'idle']);
    assert.equal(h.customerState('b'), 'queued');
    assert.equal(h.seat('s').notReadyReason, 'lunch');
    h.customer('c');
    assert.deepEqual(h.states('s'), ['connected', 'idle', 'idle']);
  });
});

describe('R18 attention', () => {
  function twoConnected() {
    const h = new Harness();
    h.agent('s', 3);
    h.customer('a');
    h.answer('s', 0);
    h.customer('b');
    h.answer('s', 1); // focus on 1
    return h;
  }

  test('R18: a customer not in focus asks for the agent; focus clears it and records the wait', () => {
    const h = twoConnected();
    h.do({ type: 'caller-attention', customerId: 'a', on: true });
    assert.deepEqual(h.seat('s').splits[0]!.call!.attention, { since: h.now });
    h.now += 42_000;
    h.do({ type: 'agent-focus', seatId: 's', split: 0 });
    assert.equal(h.seat('s').splits[0]!.call!.attention, null);
    h.do({ type: 'caller-hangup', customerId: 'a' });
    assert.deepEqual(h.records.at(-1)!.returnWaitsMs, [42_000]);
  });

  test('R18: a focused or unconnected customer cannot ask', () => {
    const h = twoConnected();
    h.refuse({ type: 'caller-attention', customerId: 'b', on: true }, 'invalid-state');
    h.customer('c');
    h.refuse({ type: 'caller-attention', customerId: 'c', on: true }, 'invalid-state');
  });

  test('R18: a request can be withdrawn; no return wait is recorded', () => {
    const h = twoConnected();
    h.do({ type: 'caller-attention', customerId: 'a', on: true });
    h.do({ type: 'caller-attention', customerId: 'a', on: false });
    h.do({ type: 'agent-focus', seatId: 's', split: 0 });
    h.do({ type: 'caller-hangup', customerId: 'a' });
    assert.deepEqual(h.records.at(-1)!.returnWaitsMs, []);
  });

  test('R18: the hold-on-request strategy holds back offers while a request is open', () => {
    const h = new Harness({ config: { strategy: 'hold-on-request' } });
    h.agent('s', 3);
    h.customer('a');
    h.answer('s', 0);
    h.customer('b');
    h.answer('s', 1);
    h.do({ type: 'caller-attention', customerId: 'a', on: true });
    h.customer('c');
    assert.equal(h.customerState('c'), 'queued');
    h.do({ type: 'agent-focus', seatId: 's', split: 0 });
    assert.equal(h.customerState('c'), 'ringing');
  });
});
