/** Every agent message of PROTOCOL.md, with good and bad input, over a real WebSocket. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloseCode, MAX_FRAME_BYTES } from '../../core/protocol.js';
import { badlySigned, sleep, split, startHarness, type Harness } from './helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness({ rateLimit: { perSecond: 1000, burst: 1000 } });
});
after(() => h.close());

describe('hello', () => {
  test('signs the seat in with N splits, not ready, and sends the seat', async () => {
    const a = await h.connect('/v1/agent');
    await a.ok({ type: 'hello', token: await h.token('agent', 'hello-1'), splits: 3 });
    const seat = await a.next('seat');
    assert.equal(seat.seatId, 'hello-1');
    assert.equal(seat.ready, false);
    assert.deepEqual(
      seat.splits.map((s) => [s.index, s.channel, s.state]),
      [
        [0, 'hello-1:0', 'idle'],
        [1, 'hello-1:1', 'idle'],
        [2, 'hello-1:2', 'idle'],
      ],
    );
    assert.equal(await a.next('queue'), 0, 'the agent is told how many calls wait');
  });

  test('a command before hello is refused with not-signed-in', async () => {
    const a = await h.connect('/v1/agent');
    await a.error({ type: 'ready' }, 'not-signed-in');
  });

  test('a second hello on the same connection is refused', async () => {
    const a = await h.agent('hello-twice');
    await a.error({ type: 'hello', token: await h.token('agent', 'hello-twice'), splits: 2 }, 'invalid-state');
  });

  test('splits outside 1–8 is a bad-message', async () => {
    const a = await h.connect('/v1/agent');
    const token = await h.token('agent', 'hello-bad-splits');
    for (const splits of [0, 9, 1.5, '2', null]) {
      const e = await a.error({ type: 'hello', token, splits }, 'bad-message');
      assert.match(String(e['message']), /splits/);
    }
    await a.error({ type: 'hello', splits: 2 }, 'bad-message');
  });

  for (const [name, make] of [
    ['a badly signed token', async () => badlySigned(await h.token('agent', 'x'))],
    ['an expired token', () => h.token('agent', 'x', -10)],
    ['a caller token', () => h.token('caller', 'x')],
    ['a token signed with another secret', () => new (h.auth.constructor as any)('another-secret').sign({ role: 'agent', sub: 'x' })],
    ['garbage', async () => 'not.a.jwt'],
  ] as const) {
    test(`${name} → unauthorized and close 4001`, async () => {
      const a = await h.connect('/v1/agent');
      await a.error({ type: 'hello', token: await make(), splits: 2 }, 'unauthorized');
      assert.equal((await a.closed).code, CloseCode.unauthorized);
    });
  }

  test('a second connection for the seat replaces the first (4002) and gets the seat as it was', async () => {
    const first = await h.agent('replaced-seat', 2);
    await first.ok({ type: 'ready' });
    const second = await h.connect('/v1/agent');
    await second.ok({ type: 'hello', token: await h.token('agent', 'replaced-seat'), splits: 5 });
    assert.equal((await first.closed).code, CloseCode.replaced);
    const seat = await second.next('seat');
    assert.equal(seat.ready, true, 'the seat keeps its state');
    assert.equal(seat.splits.length, 2, 'splits of the takeover hello are ignored');
    await second.ok({ type: 'not-ready' });
  });
});

describe('frames', () => {
  test('malformed JSON, non-object, unknown type and missing id are bad-message; the connection stays open', async () => {
    const a = await h.agent('frames-1');
    for (const frame of ['{nope', '[1,2]', '42', 'null', '"hi"']) {
      a.raw(frame);
      const e = await a.next((m) => m.type === 'error', `error for ${frame}`);
      assert.equal(e['code'], 'bad-message');
      assert.equal(e['id'], null);
    }
    const unknown = await a.error({ type: 'dance' }, 'bad-message');
    assert.match(String(unknown['message']), /unknown message type/);
    a.raw(JSON.stringify({ type: 'ready' }));
    assert.equal((await a.next((m) => m.type === 'error', 'error for a missing id'))['code'], 'bad-message');
    a.raw(JSON.stringify({ type: 'ready', id: 'x'.repeat(65) }));
    assert.equal((await a.next((m) => m.type === 'error', 'error for a long id'))['code'], 'bad-message');
    a.raw(Buffer.from([1, 2, 3]));
    assert.equal((await a.next((m) => m.type === 'error', 'error for a binary frame'))['code'], 'bad-message');
    await a.ok({ type: 'ready', extra: { ignored: true } });
  });

  test('a frame over 64 KiB closes the connection with 1009', async () => {
    const a = await h.agent('frames-big');
    a.raw(JSON.stringify({ type: 'not-ready', id: '1', reason: 'x'.repeat(MAX_FRAME_BYTES) }));
    assert.equal((await a.closed).code, CloseCode.tooBig);
  });

  test('a flood is answered with rate-limited, every message still answered once', async () => {
    const limited = await startHarness({ rateLimit: { perSecond: 5, burst: 20 } });
    try {
      await flood(limited);
    } finally {
      await limited.close();
    }
  });
  async function flood(h: Harness) {
    const a = await h.agent('flood');
    const ids = Array.from({ length: 60 }, (_, i) => a.send({ type: 'focus', split: null, id: `f${i}` }));
    const replies = await Promise.all(ids.map((id) => a.next((m) => (m.type === 'ok' || m.type === 'error') && m['id'] === id, `reply ${id}`)));
    const limited = replies.filter((r) => r['code'] === 'rate-limited').length;
    assert.ok(limited > 0, 'some messages were rate-limited');
    assert.ok(replies.filter((r) => r.type === 'ok').length >= 19, 'the burst went through');
    await sleep(100);
    assert.equal(a.all('ok').length + a.all('error').length, 60 + 1, 'exactly one reply each (plus hello)');
  }
});

describe('commands', () => {
  test('ready and not-ready (with and without a reason) change the seat', async () => {
    const a = await h.agent('cmd-ready');
    await a.ok({ type: 'ready' });
    assert.equal((await a.next('seat', (s) => s.ready)).ready, true);
    await a.ok({ type: 'not-ready', reason: 'lunch' });
    assert.equal((await a.next('seat', (s) => !s.ready)).notReadyReason, 'lunch');
    await a.ok({ type: 'not-ready' });
    assert.equal((await a.next('seat', (s) => s.notReadyReason === null)).ready, false);
    await a.error({ type: 'not-ready', reason: 7 }, 'bad-message');
  });

  test('versions grow by one per snapshot', async () => {
    const a = await h.agent('cmd-version');
    const v0 = a.seat!.version;
    await a.ok({ type: 'ready' });
    await a.ok({ type: 'not-ready' });
    const s = await a.next('seat', (x) => x.version === v0 + 2);
    assert.equal(s.ready, false);
  });

  test('split commands check the split: mistyped → bad-message, absent → no-such-split, wrong state → invalid-state', async () => {
    const a = await h.agent('cmd-splits', 2);
    for (const type of ['answer', 'reject', 'hangup', 'cancel-consult', 'wrapup-done']) {
      await a.error({ type }, 'bad-message');
      await a.error({ type, split: 'zero' }, 'bad-message');
      await a.error({ type, split: -1 }, 'bad-message');
      await a.error({ type, split: 5 }, 'no-such-split');
      await a.error({ type, split: 0 }, 'invalid-state');
    }
    await a.error({ type: 'focus', split: 0 }, 'invalid-state');
    await a.error({ type: 'focus', split: 7 }, 'no-such-split');
    await a.error({ type: 'focus' }, 'bad-message');
    await a.ok({ type: 'focus', split: null });
    await a.error({ type: 'dial', split: 0 }, 'bad-message');
    await a.error({ type: 'dial', split: 0, to: 'nobody-online' }, 'no-such-target');
    await a.error({ type: 'consult', split: 0, to: 'seat-x' }, 'invalid-state');
    await a.error({ type: 'consult', split: 0, to: 5 }, 'bad-message');
    await a.error({ type: 'transfer', split: 0, to: 'seat-x' }, 'bad-message');
    await a.error({ type: 'transfer', split: 0, to: { seat: 'a', queue: 'b' } }, 'bad-message');
    await a.error({ type: 'transfer', split: 0, to: { queue: 'claims' } }, 'invalid-state');
  });

  test('a connected call: focus, hangup, wrap-up done, and bye refused while busy then accepted', async () => {
    const h2 = await startHarness({ engine: { wrapupMs: 60_000 } });
    try {
      const a = await h2.agent('cmd-flow', 2);
      await a.ok({ type: 'ready' });
      const c = await h2.caller('cmd-flow-cust');
      await c.ok({ type: 'call', queue: 'claims', name: 'Li Wei' });
      await a.next('seat', (s) => split(s, 0).state === 'ringing');
      await a.ok({ type: 'answer', split: 0 });
      const connected = await a.next('seat', (s) => split(s, 0).state === 'connected');
      assert.equal(connected.focus, 0);
      await a.ok({ type: 'focus', split: null });
      assert.equal((await a.next('seat', (s) => s.focus === null)).focus, null);
      await a.ok({ type: 'focus', split: 0 });
      await a.error({ type: 'bye' }, 'busy');
      await a.ok({ type: 'hangup', split: 0 });
      await a.next('seat', (s) => split(s, 0).state === 'wrapup');
      assert.equal((await c.next('call', (x) => x.state === 'ended')).endReason, 'agent-hangup');
      await a.error({ type: 'bye' }, 'busy');
      await a.ok({ type: 'wrapup-done', split: 0 });
      await a.next('seat', (s) => split(s, 0).state === 'idle');
      await a.ok({ type: 'bye' });
      await a.error({ type: 'ready' }, 'not-signed-in');
      // Signed out, the same connection may sign in again.
      await a.ok({ type: 'hello', token: await h2.token('agent', 'cmd-flow'), splits: 1 });
      assert.equal((await a.next('seat')).splits.length, 1);
    } finally {
      await h2.close();
    }
  });
});
