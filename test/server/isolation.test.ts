/** Nobody sees or acts on what is not theirs: identity comes only from the token. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sleep, split, startHarness, type Harness } from './helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

test("a customer cannot see or act on another customer's call", async () => {
  const a = await h.agent('iso-seat', 2);
  await a.ok({ type: 'ready' });
  const alice = await h.caller('iso-alice');
  await alice.ok({ type: 'call', queue: 'q', name: 'Alice' });
  await a.next('seat', (s) => split(s, 0).state === 'ringing');
  await a.ok({ type: 'answer', split: 0 });
  await alice.next('call', (c) => c.state === 'connected');

  const mallory = await h.caller('iso-mallory');
  // Ids in the message are ignored: the token says who is speaking.
  await mallory.error({ type: 'hangup', callId: alice.call!.callId, customer: 'iso-alice' }, 'invalid-state');
  await mallory.error({ type: 'attention', on: true }, 'invalid-state');
  await mallory.ok({ type: 'call', queue: 'q' });
  await mallory.next('call', (c) => c.state !== 'connected');
  await a.ok({ type: 'focus', split: null });
  await alice.next('call', (c) => !c.focused);
  await sleep(100);
  assert.ok(
    mallory.all('call').every((m) => (m['call'] as { callId: string }).callId !== alice.call!.callId),
    "Mallory never received Alice's call",
  );
  assert.equal(alice.call!.state, 'connected', "Alice's call is untouched");
  await mallory.ok({ type: 'hangup' });
  assert.equal(alice.call!.state, 'connected');
});

test('an agent cannot act on another seat', async () => {
  const owner = await h.agent('iso-owner', 1);
  await owner.ok({ type: 'ready' });
  const c = await h.caller('iso-cust');
  await c.ok({ type: 'call', queue: 'iso' });
  await owner.next('seat', (s) => split(s, 0).state === 'ringing');
  const other = await h.agent('iso-other', 1);
  // The other seat's split 0 is idle: the ringing call is not its to answer.
  await other.error({ type: 'answer', split: 0, seatId: 'iso-owner' }, 'invalid-state');
  await other.error({ type: 'hangup', split: 0 }, 'invalid-state');
  await sleep(100);
  assert.ok(other.all('seat').every((m) => (m['seat'] as { seatId: string }).seatId === 'iso-other'), 'only its own seat is sent');
  assert.equal(split(owner.seat!, 0).state, 'ringing');
  assert.equal(c.call!.state, 'ringing');
});
