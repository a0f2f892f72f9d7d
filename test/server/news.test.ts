/** What agents and queued customers are told about the queue, and how often. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCli, UsageError } from '../../server/cli.js';
import { sleep, startHarness } from './helpers.js';

test('agents hear the waiting count when it changes, at most twice a second', async () => {
  const h = await startHarness({ queueThrottleMs: 500 });
  try {
    const a = await h.agent('news-seat', 2);
    const b = await h.agent('news-seat-2', 2);
    const start = Date.now();
    const callers = await Promise.all(Array.from({ length: 10 }, (_, i) => h.caller(`news-c${i}`)));
    for (const c of callers) await c.ok({ type: 'call', queue: 'q' });
    assert.equal(await a.next('queue', (n) => n === 10), 10);
    assert.equal(await b.next('queue', (n) => n === 10), 10);
    const counts = a.all('queue').map((m) => m['waiting'] as number);
    const elapsed = Date.now() - start;
    // One at hello (0), then at most one per 500 ms: a burst of 10 calls is not 10 messages.
    assert.ok(counts.length - 1 <= 1 + Math.ceil(elapsed / 500), `too many queue messages: ${counts.join(',')} in ${elapsed} ms`);
    assert.ok(counts.length < 11, `one per call would flood: ${counts.join(',')}`);
    // Queued customers hear only their own place, and only when it changes.
    await callers[0]!.ok({ type: 'hangup' });
    await a.next('queue', (n) => n === 9);
    const last = callers[9]!;
    assert.equal((await last.next('call', (c) => c.position === 9)).state, 'queued');
    await sleep(700);
    const positions = last.all('call').map((m) => (m['call'] as { position: number }).position);
    assert.deepEqual(positions, [10, 9], 'told its place when placed, then once when it moved');
  } finally {
    await h.close();
  }
});

test('the CLI reads flags and MULTI_SEAT_* variables; a flag wins', () => {
  const o = parseCli(['--port', '9000', '--janus-url', 'none'], {
    MULTI_SEAT_PORT: '1234',
    MULTI_SEAT_SECRET: 's3cret',
    MULTI_SEAT_RING_TIMEOUT_MS: '5000',
    MULTI_SEAT_STRATEGY: 'round-robin',
    MULTI_SEAT_DEMO: 'false',
  });
  assert.ok(o !== 'help');
  assert.equal(o.port, 9000);
  assert.equal(o.secret, 's3cret');
  assert.equal(o.janusUrl, null);
  assert.equal(o.demo, false);
  assert.equal(o.engine?.ringTimeoutMs, 5000);
  assert.equal(o.engine?.strategy, 'round-robin');
  assert.equal(parseCli(['--help'], {}), 'help');
  assert.equal((parseCli([], { MULTI_SEAT_DEMO: '1' }) as { demo: boolean }).demo, true);
  for (const [argv, env] of [
    [['--strategy', 'random'], { MULTI_SEAT_SECRET: 'x' }],
    [['--port', '70000'], { MULTI_SEAT_SECRET: 'x' }],
    [['--janus-url', 'http://x'], { MULTI_SEAT_SECRET: 'x' }],
    [['--wrapup-ms', '-1'], { MULTI_SEAT_SECRET: 'x' }],
    [['--demo', 'extra'], {}],
    [[], { MULTI_SEAT_DEMO: 'maybe' }],
    [[], {}],
  ] as const) {
    assert.throws(() => parseCli([...argv], { ...env }), UsageError, JSON.stringify(argv));
  }
});
