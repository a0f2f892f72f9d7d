/** The HTTP side: health, stats and records for agents only, the demo's token mint and pages. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { split, startHarness, type Harness } from './helpers.js';

/** A raw GET, so paths like `/../x` reach the server unnormalised. */
function rawGet(url: string, path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('production mode', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('GET /healthz is open and says whether Janus is up', async () => {
    const r = await h.http('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body.ok, true);
    assert.equal(r.body.janus, 'down', 'no Janus configured');
  });

  test('/v1/stats and /v1/calls need an agent token', async () => {
    for (const path of ['/v1/stats', '/v1/calls']) {
      assert.equal((await h.http(path)).status, 401);
      assert.equal((await h.http(path, { token: await h.token('caller', 'x') })).status, 401);
      assert.equal((await h.http(path, { token: await h.token('agent', 'x', -5) })).status, 401);
      assert.equal((await h.http(path, { token: 'nonsense' })).status, 401);
      assert.equal((await h.http(path, { token: await h.token('agent', 'x') })).status, 200);
    }
  });

  test('stats count seats, queues, calls and what happened since start; calls lists records', async () => {
    const token = await h.token('agent', 'stats-seat');
    const a = await h.agent('stats-seat', 2);
    await a.ok({ type: 'ready' });
    const c1 = await h.caller('stats-c1');
    await c1.ok({ type: 'call', queue: 'claims', name: 'One' });
    await a.next('seat', (s) => split(s, 0).state === 'ringing');
    await a.ok({ type: 'answer', split: 0 });
    await a.ok({ type: 'not-ready' });
    const c2 = await h.caller('stats-c2');
    await c2.ok({ type: 'call', queue: 'claims' });
    const c3 = await h.caller('stats-c3');
    await c3.ok({ type: 'call', queue: 'billing' });
    const stats = (await h.http('/v1/stats', { token })).body;
    assert.deepEqual(stats.queues, { claims: 1, billing: 1 });
    assert.equal(stats.waiting, 2);
    assert.equal(stats.seats.signedIn, 1);
    assert.equal(stats.seats.ready, 0);
    assert.deepEqual(stats.calls, { connected: 1, queued: 2 });
    assert.equal(stats.counters.offered, 1);
    assert.equal(stats.counters.answered, 1);

    await c2.ok({ type: 'hangup' });
    await a.ok({ type: 'hangup', split: 0 });
    const later = (await h.http('/v1/stats', { token })).body;
    assert.equal(later.counters.abandoned, 1);
    assert.equal(later.counters.ended, 2);

    // Every seat's records need a supervisor (an agent token lists only its own seat's).
    const { body } = await h.http('/v1/calls?limit=2', { token: await h.token('supervisor', 'sup-1') });
    assert.equal(body.calls.length, 2);
    const [answered, abandoned] = body.calls;
    assert.equal(answered.customerId, 'stats-c1');
    assert.equal(answered.customerName, 'One');
    assert.equal(answered.queue, 'claims');
    assert.equal(answered.seatId, 'stats-seat');
    assert.equal(answered.virtualSeat, 'stats-seat:0');
    assert.equal(answered.endReason, 'agent-hangup');
    assert.equal(answered.kind, 'inbound');
    assert.equal(answered.requeues, 0);
    assert.deepEqual(answered.returnWaitsMs, []);
    assert.ok(answered.queuedAt <= answered.offeredAt && answered.offeredAt <= answered.answeredAt && answered.answeredAt <= answered.endedAt);
    assert.equal(abandoned.customerId, 'stats-c2');
    assert.equal(abandoned.endReason, 'caller-hangup');
    assert.equal(abandoned.answeredAt, null);
    assert.equal((await h.http('/v1/calls?limit=0', { token })).status, 400);
    assert.equal((await h.http('/v1/calls?limit=abc', { token })).status, 400);
    await c3.ok({ type: 'hangup' });
  });

  test('outside demo mode there is no dev-token and no static files', async () => {
    assert.equal((await h.http('/v1/dev-token', { method: 'POST', body: { role: 'agent', sub: 'a' } })).status, 404);
    assert.equal((await h.http('/')).status, 404);
  });

  test('WebSocket upgrades on other paths are refused', async () => {
    await assert.rejects(import('ws').then(({ default: WebSocket }) => new Promise((resolve, reject) => {
      const ws = new WebSocket(h.wsUrl + '/v1/other');
      ws.on('open', resolve);
      ws.on('error', reject);
    })));
  });
});

describe('demo mode', () => {
  let h: Harness;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'multi-seat-static-'));
    mkdirSync(join(root, 'demo'));
    mkdirSync(join(root, 'dist'));
    mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(root, 'demo', 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(root, 'demo', 'style.css'), 'body{}');
    writeFileSync(join(root, 'dist', 'index.js'), 'export {};');
    writeFileSync(join(root, 'node_modules', 'x', 'index.js'), 'secret');
    writeFileSync(join(root, 'package.json'), '{"secret":1}');
    symlinkSync(join(root, 'package.json'), join(root, 'demo', 'link.json'));
    h = await startHarness({ demo: true, staticRoot: root });
  });
  after(() => h.close());

  test('POST /v1/dev-token mints a token that signs in', async () => {
    const r = await h.http('/v1/dev-token', { method: 'POST', body: { role: 'agent', sub: 'demo-seat' } });
    assert.equal(r.status, 200);
    const a = await h.connect('/v1/agent');
    await a.ok({ type: 'hello', token: r.body.token, splits: 2 });
    assert.equal((await a.next('seat')).seatId, 'demo-seat');
    assert.equal((await h.http('/v1/dev-token', { method: 'POST', body: { role: 'root', sub: 'x' } })).status, 400);
    assert.equal((await h.http('/v1/dev-token', { method: 'POST', body: { role: 'agent' } })).status, 400);
    assert.equal((await h.http('/v1/dev-token', { method: 'POST', body: '{oops' })).status, 400);
    assert.equal((await h.http('/v1/dev-token')).status, 405);
  });

  test('serves demo/ at / and dist/ at /dist/ with the right content types', async () => {
    const index = await rawGet(h.url, '/');
    assert.equal(index.status, 200);
    assert.match(index.type!, /^text\/html/);
    assert.match(index.body, /<title>demo/);
    assert.match((await rawGet(h.url, '/style.css')).type!, /^text\/css/);
    const js = await rawGet(h.url, '/dist/index.js');
    assert.equal(js.status, 200);
    assert.match(js.type!, /^text\/javascript/);
  });

  test('nothing outside demo/ and dist/ is reachable', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/dist/../package.json', '/node_modules/x/index.js', '/package.json', '/dist/%2e%2e/node_modules/x/index.js', '/%00', '/link.json']) {
      const r = await rawGet(h.url, path);
      assert.ok(r.status === 404 || r.status === 400, `${path} → ${r.status}`);
      assert.ok(!r.body.includes('secret'), path);
    }
  });
});
