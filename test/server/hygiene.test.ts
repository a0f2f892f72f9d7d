/**
 * Tables keyed by what clients send, and state for customers who are gone (issue "hostile or
 * dead clients", hygiene): `__proto__` and `constructor` are plain names, and nothing is kept for
 * a customer who left.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from './helpers.js';

test('queue names __proto__ and constructor are counted in /v1/stats like any other', async () => {
  const h = await startHarness();
  try {
    for (const [i, queue] of ['__proto__', 'constructor', '__proto__'].entries()) {
      const c = await h.caller(`hy-${i}`);
      await c.ok({ type: 'call', queue });
    }
    const stats = await h.http('/v1/stats', { token: await h.token('agent', 'hy-seat') });
    assert.equal(stats.status, 200);
    // JSON.parse makes __proto__ an own key, as the server's JSON has it (a literal would set the prototype).
    assert.deepEqual(stats.body.queues, JSON.parse('{"__proto__":2,"constructor":1}'));
    assert.equal(stats.body.waiting, 3);
  } finally {
    await h.close();
  }
});

test('nothing is kept for customers who waited and left the queue: the places told are forgotten', async () => {
  const h = await startHarness();
  try {
    const open = [];
    for (let i = 0; i < 30; i++) {
      const c = await h.caller(`gone-${i}`);
      await c.ok({ type: 'call', queue: 'q' });
      await c.next('call');
      // Half hang up and keep their page open; half close it (R16 grace, nobody to tell).
      await c.ok({ type: 'hangup' });
      if (i % 2) open.push(c);
      else {
        c.close();
        await c.closed;
      }
    }
    const told = (h.server.cc.host as unknown as { toldPosition: Map<string, unknown> }).toldPosition;
    assert.equal(told.size, 0, `still remembered: ${[...told.keys()].join(', ')}`);
    assert.equal(open.length, 15);
  } finally {
    await h.close();
  }
});
