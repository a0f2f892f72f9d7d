/** Every customer message of PROTOCOL.md, with good and bad input, over a real WebSocket. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloseCode, MAX_FRAME_BYTES } from '../../core/protocol.js';
import { badlySigned, split, startHarness, type Harness } from './helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness({ rateLimit: { perSecond: 1000, burst: 1000 } });
});
after(() => h.close());

describe('hello', () => {
  test('a customer without a call is signed in and sent no call', async () => {
    const c = await h.caller('c-hello');
    await c.error({ type: 'hangup' }, 'invalid-state');
    assert.equal(c.all('call').length, 0);
  });

  test('commands before hello are refused with not-signed-in', async () => {
    const c = await h.connect('/v1/caller');
    await c.error({ type: 'call', queue: 'claims' }, 'not-signed-in');
  });

  for (const [name, make] of [
    ['an agent token', () => h.token('agent', 'c-x')],
    ['an expired token', () => h.token('caller', 'c-x', -5)],
    ['a badly signed token', async () => badlySigned(await h.token('caller', 'c-x'))],
  ] as const) {
    test(`${name} → unauthorized and close 4001`, async () => {
      const c = await h.connect('/v1/caller');
      await c.error({ type: 'hello', token: await make() }, 'unauthorized');
      assert.equal((await c.closed).code, CloseCode.unauthorized);
    });
  }

  test('a missing or mistyped token is a bad-message', async () => {
    const c = await h.connect('/v1/caller');
    await c.error({ type: 'hello' }, 'bad-message');
    await c.error({ type: 'hello', token: 12 }, 'bad-message');
  });

  test('a second connection for the customer replaces the first (4002) and gets the live call', async () => {
    const first = await h.caller('c-replaced');
    await first.ok({ type: 'call', queue: 'claims' });
    const callId = (await first.next('call')).callId;
    const second = await h.connect('/v1/caller');
    await second.ok({ type: 'hello', token: await h.token('caller', 'c-replaced') });
    assert.equal((await first.closed).code, CloseCode.replaced);
    const call = await second.next('call');
    assert.equal(call.callId, callId);
    assert.equal(call.state, 'queued');
    await second.ok({ type: 'hangup' });
  });
});

describe('frames', () => {
  test('malformed JSON, non-object and unknown type are bad-message; the connection stays open', async () => {
    const c = await h.caller('c-frames');
    for (const frame of ['}{', '[]', 'true']) {
      c.raw(frame);
      assert.equal((await c.next((m) => m.type === 'error', `error for ${frame}`))['code'], 'bad-message');
    }
    await c.error({ type: 'shout' }, 'bad-message');
    await c.ok({ type: 'call', queue: 'claims', whatever: 1 });
    await c.ok({ type: 'hangup' });
  });

  test('a frame over 64 KiB closes with 1009', async () => {
    const c = await h.caller('c-big');
    c.raw(JSON.stringify({ type: 'call', id: '1', queue: 'q', name: 'n'.repeat(MAX_FRAME_BYTES) }));
    assert.equal((await c.closed).code, CloseCode.tooBig);
  });

  test('a flood is rate-limited', async () => {
    const limited = await startHarness({ rateLimit: { perSecond: 2, burst: 5 } });
    try {
      const c = await limited.caller('c-flood');
      const ids = Array.from({ length: 20 }, (_, i) => c.send({ type: 'attention', on: true, id: `a${i}` }));
      const replies = await Promise.all(ids.map((id) => c.next((m) => m['id'] === id, `reply ${id}`)));
      assert.ok(replies.some((r) => r['code'] === 'rate-limited'));
      assert.ok(replies.some((r) => r['code'] === 'invalid-state'), 'the first ones reached the engine');
    } finally {
      await limited.close();
    }
  });
});

describe('call', () => {
  test('places an inbound call: queued with a position, no agent, media null without Janus', async () => {
    const c = await h.caller('c-call');
    await c.ok({ type: 'call', queue: 'claims', name: 'Ana', priority: 3 });
    const call = await c.next('call');
    assert.equal(call.state, 'queued');
    assert.equal(call.position, 1);
    assert.equal(call.agent, null);
    assert.equal(call.media, null);
    assert.equal(call.kind, 'inbound');
    await c.error({ type: 'call', queue: 'claims' }, 'busy');
    await c.ok({ type: 'hangup' });
    assert.equal((await c.next('call', (x) => x.state === 'ended')).endReason, 'caller-hangup');
  });

  test('bad call fields are bad-message', async () => {
    const c = await h.caller('c-call-bad');
    await c.error({ type: 'call' }, 'bad-message');
    await c.error({ type: 'call', queue: '' }, 'bad-message');
    await c.error({ type: 'call', queue: 7 }, 'bad-message');
    await c.error({ type: 'call', queue: 'q', priority: 10 }, 'bad-message');
    await c.error({ type: 'call', queue: 'q', priority: 'high' }, 'bad-message');
    await c.error({ type: 'call', queue: 'q', name: 5 }, 'bad-message');
    assert.equal(c.all('call').length, 0, 'an error changes nothing');
  });

  test('accept, decline, hangup and attention without a fitting call are invalid-state', async () => {
    const c = await h.caller('c-nocall');
    await c.error({ type: 'accept' }, 'invalid-state');
    await c.error({ type: 'decline' }, 'invalid-state');
    await c.error({ type: 'hangup' }, 'invalid-state');
    await c.error({ type: 'attention', on: true }, 'invalid-state');
    await c.error({ type: 'attention' }, 'bad-message');
    await c.error({ type: 'attention', on: 'yes' }, 'bad-message');
    await c.ok({ type: 'call', queue: 'q' });
    await c.error({ type: 'accept' }, 'invalid-state');
    await c.error({ type: 'attention', on: true }, 'invalid-state');
    await c.ok({ type: 'hangup' });
  });

  test('queued customers hear their place move up when someone ahead leaves', async () => {
    const first = await h.caller('c-pos-1');
    await first.ok({ type: 'call', queue: 'pos' });
    const second = await h.caller('c-pos-2');
    await second.ok({ type: 'call', queue: 'pos' });
    const before = await second.next('call');
    await first.ok({ type: 'hangup' });
    const afterLeave = await second.next('call', (x) => x.position === before.position! - 1);
    assert.equal(afterLeave.state, 'queued');
    await second.ok({ type: 'hangup' });
  });

  test('attention on and off while connected and not focused', async () => {
    const a = await h.agent('c-att-seat', 2);
    await a.ok({ type: 'ready' });
    const c = await h.caller('c-att');
    await c.ok({ type: 'call', queue: 'att' });
    await a.next('seat', (s) => split(s, 0).state === 'ringing');
    await a.ok({ type: 'answer', split: 0 });
    assert.equal((await c.next('call', (x) => x.state === 'connected')).focused, true);
    await c.error({ type: 'attention', on: true }, 'invalid-state');
    await a.ok({ type: 'focus', split: null });
    await c.next('call', (x) => !x.focused);
    await c.ok({ type: 'attention', on: true });
    assert.ok((await c.next('call', (x) => x.attention !== null)).attention!.since > 0);
    await c.ok({ type: 'attention', on: false });
    await c.next('call', (x) => x.attention === null);
    await c.ok({ type: 'hangup' });
    await a.next('seat', (s) => split(s, 0).state === 'idle');
  });
});
