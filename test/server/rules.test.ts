/**
 * The dispatch rules of DESIGN.md, end to end: agents and customers over real WebSockets, short
 * timeouts, and only what a user's client would see.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineConfig } from '../../core/model.js';
import { eventually, sleep, split, startHarness, type Harness } from './helpers.js';

async function withServer(engine: Partial<EngineConfig>, body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness({ engine });
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

const ringing = (i: number) => (s: { splits: { state: string }[] }) => s.splits[i]!.state === 'ringing';
const connected = (i: number) => (s: { splits: { state: string }[] }) => s.splits[i]!.state === 'connected';
const idle = (i: number) => (s: { splits: { state: string }[] }) => s.splits[i]!.state === 'idle';

test('R2: a second waiting call stays silent while split 0 rings', () =>
  withServer({}, async (h) => {
    const a = await h.agent('r2', 2);
    await a.ok({ type: 'ready' });
    const c1 = await h.caller('r2-c1');
    await c1.ok({ type: 'call', queue: 'q' });
    const c2 = await h.caller('r2-c2');
    await c2.ok({ type: 'call', queue: 'q' });
    const seat = await a.next('seat', ringing(0));
    assert.equal(split(seat, 1).state, 'idle');
    await c1.next('call', (c) => c.state === 'ringing');
    assert.equal((await c2.next('call')).state, 'queued');
    await sleep(150);
    assert.equal(a.seat!.splits.filter((s) => s.state === 'ringing').length, 1, 'never two ringing splits');
    assert.equal(c2.call!.state, 'queued');
    // Once split 0 is answered, the second call may ring on split 1.
    await a.ok({ type: 'answer', split: 0 });
    const after = await a.next('seat', ringing(1));
    assert.equal(split(after, 0).state, 'connected');
    assert.equal(split(after, 1).call!.customer.id, 'r2-c2');
    await c2.next('call', (c) => c.state === 'ringing');
  }));

test('R4: higher priority first, then earlier arrival; a call that comes back goes to the head', () =>
  withServer({}, async (h) => {
    const low1 = await h.caller('r4-low1');
    await low1.ok({ type: 'call', queue: 'q', priority: 0 });
    // Priority comes from the caller's token (a call message may lower it, never raise it).
    const high = await h.caller('r4-high', { priority: 5 });
    await high.ok({ type: 'call', queue: 'q', priority: 5 });
    const low2 = await h.caller('r4-low2');
    await low2.ok({ type: 'call', queue: 'q', priority: 0 });
    await low2.next('call', (c) => c.position === 3);
    await high.next('call', (c) => c.position === 1);
    await low1.next('call', (c) => c.position === 2);

    const a = await h.agent('r4-a', 1);
    await a.ok({ type: 'ready' });
    assert.equal(split(await a.next('seat', ringing(0)), 0).call!.customer.id, 'r4-high');
    await a.ok({ type: 'answer', split: 0 });
    await a.ok({ type: 'hangup', split: 0 });
    assert.equal(split(await a.next('seat', ringing(0)), 0).call!.customer.id, 'r4-low1');
    // Withdrawn (not-ready, R17): low1 keeps its first arrival and is first again.
    await a.ok({ type: 'not-ready' });
    assert.equal((await low1.next('call', (c) => c.state === 'queued')).position, 1);
    await low2.next('call', (c) => c.position === 2);
    const b = await h.agent('r4-b', 1);
    await b.ok({ type: 'ready' });
    assert.equal(split(await b.next('seat', ringing(0)), 0).call!.customer.id, 'r4-low1');
  }));

test('R7: an unanswered offer is withdrawn, back to the queue, seat not-ready (no-answer)', () =>
  withServer({ ringTimeoutMs: 300 }, async (h) => {
    const a = await h.agent('r7', 2);
    await a.ok({ type: 'ready' });
    const c = await h.caller('r7-c');
    await c.ok({ type: 'call', queue: 'q' });
    const offered = await a.next('seat', ringing(0));
    const seat = await a.next('seat', (s) => !s.ready);
    assert.equal(seat.notReadyReason, 'no-answer');
    assert.equal(split(seat, 0).state, 'idle');
    // Timers may fire a millisecond or two early against the wall clock; never a whole ring.
    assert.ok(Date.now() - split(offered, 0).call!.since >= 250, 'not withdrawn before the timeout');
    const back = await c.next('call', (x) => x.state === 'queued');
    assert.equal(back.position, 1);
    // The call is offered again once the agent is ready.
    await a.ok({ type: 'ready' });
    await a.next('seat', ringing(0));
  }));

test('R8: a rejected call goes back and is not offered to that seat again for rejectDelayMs', () =>
  withServer({ rejectDelayMs: 600 }, async (h) => {
    const a = await h.agent('r8-a', 2);
    await a.ok({ type: 'ready' });
    const c = await h.caller('r8-c');
    await c.ok({ type: 'call', queue: 'q' });
    const first = split(await a.next('seat', ringing(0)), 0).call!.callId;
    const rejectedAt = Date.now();
    await a.ok({ type: 'reject', split: 0 });
    await a.next('seat', idle(0));
    await c.next('call', (x) => x.state === 'queued');
    const again = await a.next('seat', ringing(0));
    assert.equal(split(again, 0).call!.callId, first);
    assert.ok(split(again, 0).call!.since - rejectedAt >= 600 - 50, 'offered again only after the delay');
    // Meanwhile another seat may take it at once.
    await a.ok({ type: 'reject', split: 0 });
    const b = await h.agent('r8-b', 1);
    await b.ok({ type: 'ready' });
    assert.equal(split(await b.next('seat', ringing(0)), 0).call!.callId, first);
  }));

test('R9: answer connects the call, its virtual seat is the channel, focus moves to it', () =>
  withServer({}, async (h) => {
    const a = await h.agent('r9', 2);
    await a.ok({ type: 'ready' });
    const c1 = await h.caller('r9-c1');
    await c1.ok({ type: 'call', queue: 'q', name: 'First' });
    await a.next('seat', ringing(0));
    await a.ok({ type: 'answer', split: 0 });
    const c2 = await h.caller('r9-c2');
    await c2.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(1));
    await a.ok({ type: 'answer', split: 1 });
    const seat = await a.next('seat', connected(1));
    assert.equal(seat.focus, 1);
    assert.equal(split(seat, 1).call!.virtualSeat, 'r9:1');
    assert.equal(split(seat, 0).call!.virtualSeat, 'r9:0');
    const view = await c2.next('call', (x) => x.state === 'connected' && x.focused);
    assert.deepEqual(view.agent, { seat: 'r9', virtualSeat: 'r9:1' });
    assert.equal((await c1.next('call', (x) => x.state === 'connected' && !x.focused)).agent!.virtualSeat, 'r9:0');
  }));

test('R12: outbound dial — accept connects, decline and timeout end the call and free the split', () =>
  withServer({ ringTimeoutMs: 400 }, async (h) => {
    const a = await h.agent('r12', 2);
    const c = await h.caller('r12-c');
    await a.ok({ type: 'dial', split: 1, to: 'r12-c' });
    assert.equal(split(await a.next('seat', (s) => split(s, 1).state === 'dialing'), 1).call!.kind, 'outbound');
    const alert = await c.next('call', (x) => x.state === 'ringing');
    assert.equal(alert.kind, 'outbound');
    await c.ok({ type: 'accept' });
    assert.equal(split(await a.next('seat', connected(1)), 1).call!.virtualSeat, 'r12:1');
    assert.deepEqual((await c.next('call', (x) => x.state === 'connected')).agent, { seat: 'r12', virtualSeat: 'r12:1' });
    await a.ok({ type: 'hangup', split: 1 });
    await c.next('call', (x) => x.state === 'ended');
    await a.error({ type: 'dial', split: 0, to: 'r12-nobody' }, 'no-such-target');

    await a.ok({ type: 'dial', split: 0, to: 'r12-c' });
    await c.next('call', (x) => x.state === 'ringing');
    await c.ok({ type: 'decline' });
    assert.equal((await c.next('call', (x) => x.state === 'ended')).endReason, 'declined');
    await a.next('seat', idle(0));

    await a.ok({ type: 'dial', split: 0, to: 'r12-c' });
    await c.next('call', (x) => x.state === 'ringing');
    assert.equal((await c.next('call', (x) => x.state === 'ended')).endReason, 'no-answer');
    await a.next('seat', idle(0));
  }));

test('R13: consult holds the customer, rings the other seat, then a warm transfer moves the customer', () =>
  withServer({}, async (h) => {
    const a = await h.agent('r13-a', 2);
    await a.ok({ type: 'ready' });
    const c = await h.caller('r13-c');
    await c.ok({ type: 'call', queue: 'q', name: 'Held' });
    await a.next('seat', ringing(0));
    await a.ok({ type: 'answer', split: 0 });
    await a.ok({ type: 'not-ready' });
    const b = await h.agent('r13-b', 2);
    await a.error({ type: 'consult', split: 0, to: 'r13-nobody' }, 'no-such-target');
    await a.ok({ type: 'consult', split: 0, to: 'r13-b' });
    const consulting = await a.next('seat', (s) => split(s, 0).state === 'consulting');
    assert.equal(split(consulting, 0).call!.consult!.seat, 'r13-b');
    assert.equal(split(consulting, 0).call!.consult!.state, 'ringing');
    await c.next('call', (x) => x.state === 'held');
    // B is not ready, yet a consult is aimed at it... it rings once B is ready (R2/R3).
    await b.ok({ type: 'ready' });
    const offered = split(await b.next('seat', ringing(0)), 0).call!;
    assert.equal(offered.kind, 'consult');
    assert.deepEqual(offered.from, { seat: 'r13-a', virtualSeat: 'r13-a:0' });
    assert.equal(offered.customer.id, 'r13-c');
    await a.error({ type: 'transfer', split: 0, to: { seat: 'r13-b' } }, 'invalid-state');
    await b.ok({ type: 'answer', split: 0 });
    await a.next('seat', (s) => split(s, 0).call?.consult?.state === 'connected');
    await a.ok({ type: 'transfer', split: 0, to: { seat: 'r13-b' } });
    await a.next('seat', idle(0));
    const bSeat = await b.next('seat', (s) => split(s, 0).call?.kind === 'inbound');
    assert.equal(split(bSeat, 0).state, 'connected');
    assert.equal(split(bSeat, 0).call!.customer.id, 'r13-c');
    const moved = await c.next('call', (x) => x.state === 'connected' && x.agent?.seat === 'r13-b');
    assert.equal(moved.agent!.virtualSeat, 'r13-b:0');
  }));

test('R13: cancel-consult resumes the customer on the consulting split', () =>
  withServer({}, async (h) => {
    const a = await h.agent('r13c-a', 1);
    await a.ok({ type: 'ready' });
    const b = await h.agent('r13c-b', 1);
    const c = await h.caller('r13c-c');
    await c.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(0));
    await a.ok({ type: 'answer', split: 0 });
    await a.ok({ type: 'consult', split: 0, to: 'r13c-b' });
    await c.next('call', (x) => x.state === 'held');
    await b.ok({ type: 'ready' });
    await b.next('seat', ringing(0));
    await a.ok({ type: 'cancel-consult', split: 0 });
    await b.next('seat', idle(0));
    assert.equal((await a.next('seat', connected(0))).focus, 0);
    await c.next('call', (x) => x.state === 'connected' && x.focused);
  }));

test('R14: blind transfer to a seat rings that seat; to a queue puts the call at its head', () =>
  withServer({}, async (h) => {
    const a = await h.agent('r14-a', 1);
    await a.ok({ type: 'ready' });
    const b = await h.agent('r14-b', 1);
    const c = await h.caller('r14-c');
    await c.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(0));
    await a.ok({ type: 'answer', split: 0 });
    await a.error({ type: 'transfer', split: 0, to: { seat: 'r14-nobody' } }, 'no-such-target');
    await a.ok({ type: 'not-ready' });
    await a.ok({ type: 'transfer', split: 0, to: { seat: 'r14-b' } });
    await a.next('seat', idle(0));
    await c.next('call', (x) => x.state === 'queued');
    await b.ok({ type: 'ready' });
    await b.next('seat', ringing(0));
    await b.ok({ type: 'answer', split: 0 });
    await c.next('call', (x) => x.state === 'connected' && x.agent?.seat === 'r14-b');

    const other = await h.caller('r14-other');
    await other.ok({ type: 'call', queue: 'billing' });
    await b.ok({ type: 'not-ready' });
    await b.ok({ type: 'transfer', split: 0, to: { queue: 'billing' } });
    const back = await c.next('call', (x) => x.state === 'queued');
    assert.equal(back.position, 1, 'an earlier arrival goes to the head');
    await other.next('call', (x) => x.position === 2);
  }));

test('R15: a lost agent loses its ringing offer at once and gets its seat back in time', () =>
  withServer({ reconnectGraceMs: 10_000 }, async (h) => {
    const a = await h.agent('r15', 2);
    await a.ok({ type: 'ready' });
    const c1 = await h.caller('r15-c1');
    await c1.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(0));
    await a.ok({ type: 'answer', split: 0 });
    const c2 = await h.caller('r15-c2');
    await c2.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(1));
    a.terminate();
    await c2.next('call', (x) => x.state === 'queued');
    await sleep(100);
    assert.equal(c1.call!.state, 'connected', 'the connected call waits for the agent');
    const back = await h.agent('r15', 8);
    const seat = back.seat!;
    assert.equal(seat.splits.length, 2, 'restored as it was');
    assert.equal(split(seat, 0).state, 'connected');
    assert.equal(split(seat, 0).call!.customer.id, 'r15-c1');
    assert.equal(seat.ready, true);
    // The withdrawn offer may ring again now that the seat is back.
    await eventually(() => assert.equal(split(back.seat!, 1).call?.customer.id, 'r15-c2'), 'the offer again');
  }));

test('R15: when the grace period ends, the lost agent\'s calls go back to the head of the queue', () =>
  withServer({ reconnectGraceMs: 300 }, async (h) => {
    const a = await h.agent('r15g', 1);
    await a.ok({ type: 'ready' });
    const c = await h.caller('r15g-c');
    await c.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(0));
    await a.ok({ type: 'answer', split: 0 });
    await c.next('call', (x) => x.state === 'connected');
    a.terminate();
    const back = await c.next('call', (x) => x.state === 'queued');
    assert.equal(back.position, 1);
    assert.equal(back.agent, null);
    const b = await h.agent('r15g-b', 1);
    await b.ok({ type: 'ready' });
    await b.next('seat', ringing(0));
  }));

test('R16: a customer gone longer than callerGraceMs ends the call with caller-lost; back in time keeps it', () =>
  withServer({ callerGraceMs: 300 }, async (h) => {
    const a = await h.agent('r16', 2);
    await a.ok({ type: 'ready' });
    const c = await h.caller('r16-c');
    await c.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(0));
    await a.ok({ type: 'answer', split: 0 });
    const callId = (await c.next('call', (x) => x.state === 'connected')).callId;
    c.terminate();
    const back = await h.caller('r16-c');
    const live = await back.next('call');
    assert.equal(live.callId, callId, 'sent its live call at once');
    assert.equal(live.state, 'connected');
    back.terminate();
    await a.next('seat', idle(0));
    const token = await h.token('agent', 'r16');
    const records = await eventually(async () => {
      const r = await h.http('/v1/calls?limit=5', { token });
      assert.equal(r.body.calls[0]?.callId, callId);
      return r.body.calls;
    }, 'the call record');
    assert.equal(records[0].endReason, 'caller-lost');
  }));

test('R18: a customer asks for the agent back; focus clears it and the return wait is recorded', () =>
  withServer({}, async (h) => {
    const a = await h.agent('r18', 2);
    await a.ok({ type: 'ready' });
    const c1 = await h.caller('r18-c1');
    await c1.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(0));
    await a.ok({ type: 'answer', split: 0 });
    const c2 = await h.caller('r18-c2');
    await c2.ok({ type: 'call', queue: 'q' });
    await a.next('seat', ringing(1));
    await a.ok({ type: 'answer', split: 1 });
    await c1.next('call', (x) => x.state === 'connected' && !x.focused);
    await c1.ok({ type: 'attention', on: true });
    const asked = await a.next('seat', (s) => split(s, 0).call?.attention != null);
    assert.equal(asked.focus, 1);
    assert.ok(split(asked, 0).call!.attention!.since > 0);
    await sleep(50);
    await a.ok({ type: 'focus', split: 0 });
    const focused = await a.next('seat', (s) => s.focus === 0);
    assert.equal(split(focused, 0).call!.attention, null);
    await c1.next('call', (x) => x.focused && x.attention === null);
    await c1.ok({ type: 'hangup' });
    const token = await h.token('agent', 'r18');
    const { body } = await h.http('/v1/calls?limit=1', { token });
    assert.equal(body.calls[0].customerId, 'r18-c1');
    assert.equal(body.calls[0].returnWaitsMs.length, 1);
    assert.ok(body.calls[0].returnWaitsMs[0] >= 40);
  }));
