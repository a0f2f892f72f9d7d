/**
 * Issue 11, item 3: a pool of Janus servers, against two real locked Janus (VideoRoom admin_key,
 * token_auth; as `npm start` runs one) started by this file, with the control center speaking to
 * both and clients over real WebSockets. Rooms go to the least-loaded server (Janus's own counts
 * and ours); a Janus killed with SIGKILL under live calls has their rooms made again on the
 * other, both sides are told the new media (same call ids, same splits, records unaffected); a
 * restarted control center finds each call's room on its own server, and gives the calls of a
 * Janus that died meanwhile rooms on the other.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startJanus } from '../../scripts/janus.mjs';
import type { CustomerCallView, MediaInfo, SeatView } from '../../core/protocol.js';
import { JanusAdmin } from '../../server/janus-admin.js';
import { MediaKeys } from '../../server/media-tokens.js';
import { eventually, SECRET, split, startHarness, type Client, type Harness } from './helpers.js';
import { JanusWs } from './janus-ws-client.js';

type Janus = Awaited<ReturnType<typeof startJanus>>;

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

let rtpBase = 21000;
async function twoJanus(): Promise<[Janus, Janus]> {
  const start = () => {
    const rtpRange = `${rtpBase}-${rtpBase + 99}`;
    rtpBase += 100;
    return startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, locked: true, rtpRange });
  };
  const a = await start();
  cleanups.push(() => a.stop());
  const b = await start();
  cleanups.push(() => b.stop());
  return [a, b];
}

const serverOf = (j: Janus) => ({ url: j.wsUrl, adminKey: j.roomAdminKey ?? null, adminUrl: j.adminUrl ?? null, adminSecret: j.adminSecret ?? null });

async function pooled(js: Janus[], extra: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness({
    janusServers: js.map(serverOf),
    janusGraceMs: 1000,
    janusReconnectMinMs: 100,
    janusReconnectMaxMs: 300,
    janusStartWaitMs: 5000,
    ...extra,
  });
  cleanups.push(() => h.close());
  return h;
}

/**
 * A party's browser as far as Janus can tell: opens a session with its token and joins as a
 * publisher (the connection stays open, so the participant stays in the room).
 */
async function joins(media: MediaInfo): Promise<boolean> {
  const ws = await JanusWs.open(media.server);
  cleanups.push(() => ws.close());
  {
    const created = await ws.request({ janus: 'create', token: media.token });
    if (created.janus !== 'success') return false;
    const session = (created['data'] as { id: number }).id;
    const attached = await ws.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom', token: media.token });
    if (attached.janus !== 'success') return false;
    const handle = (attached['data'] as { id: number }).id;
    const reply = await ws.request({
      janus: 'message',
      session_id: session,
      handle_id: handle,
      token: media.token,
      body: { request: 'join', ptype: 'publisher', room: media.room, pin: media.pin, display: media.party, token: media.token },
    });
    const data = (reply['plugindata'] as { data?: Record<string, unknown> } | undefined)?.data ?? {};
    return data['videoroom'] === 'joined';
  }
}

/** Answers every offer the seat gets until `n` splits are connected. */
async function answerUntil(a: Client, n: number): Promise<SeatView> {
  for (;;) {
    const seat = await a.next('seat', (s) => s.splits.some((x) => x.state === 'ringing' && x.call?.media) || s.splits.filter((x) => x.state === 'connected').length >= n);
    if (seat.splits.filter((x) => x.state === 'connected').length >= n) return seat;
    const i = seat.splits.findIndex((x) => x.state === 'ringing');
    await a.ok({ type: 'answer', split: i });
  }
}

interface Live {
  customer: Client;
  customerId: string;
  view: CustomerCallView;
}

async function call(h: Harness, customerId: string): Promise<Live> {
  const customer = await h.caller(customerId);
  await customer.ok({ type: 'call', queue: 'q' });
  const view = await customer.next('call', (x) => x.media !== null);
  return { customer, customerId, view };
}

test('rooms go to the least-loaded Janus: spread over both, and away from one that Janus itself says is busy; /v1/stats shows each', async () => {
  const [A, B] = await twoJanus();
  const h = await pooled([A, B], { janusLoadEveryMs: 0 });
  const calls: Live[] = [];
  for (let i = 0; i < 4; i++) calls.push(await call(h, `spread-${i}`));
  const on = (url: string) => calls.filter((c) => c.view.media!.server === url).length;
  assert.equal(on(A.wsUrl), 2, 'two calls on A');
  assert.equal(on(B.wsUrl), 2, 'two calls on B');
  for (const c of calls) assert.equal(h.server.rooms.serverOf(c.view.callId), c.view.media!.server);
  // Every party's token works where its room is.
  for (const c of calls) assert.equal(await joins(c.view.media!), true, `the customer of ${c.view.callId} joins on ${c.view.media!.server}`);

  const agentToken = await h.token('agent', 'stats-reader');
  await h.server.pool!.refresh();
  const stats = (await h.http('/v1/stats', { token: agentToken })).body;
  assert.deepEqual(
    stats.janusServers.map((j: { server: string; status: string; rooms: number; participants: number; calls: number }) => [j.server, j.status, j.rooms, j.participants, j.calls]),
    [
      [A.wsUrl, 'up', 2, 2, 2],
      [B.wsUrl, 'up', 2, 2, 2],
    ],
    'rooms and participants per Janus, from Janus',
  );
  for (const c of calls) await c.customer.ok({ type: 'hangup' });

  // Someone else's rooms on A (Janus counts them, whoever made them): the next calls go to B.
  const other = new JanusAdmin({ url: A.wsUrl, adminKey: A.roomAdminKey, adminUrl: A.adminUrl, adminSecret: A.adminSecret, token: new MediaKeys(SECRET).ownToken() });
  other.start();
  cleanups.push(() => other.stop());
  await other.waitUp(5000);
  for (let i = 0; i < 4; i++) await other.createRoom({ key: 'not-a-call' });
  await h.server.pool!.refresh();
  await eventually(() => assert.equal(h.server.rooms.count, 0), 'the ended calls’ rooms destroyed');
  await h.server.pool!.refresh();
  const next = [await call(h, 'busy-0'), await call(h, 'busy-1'), await call(h, 'busy-2')];
  assert.deepEqual(
    next.map((c) => c.view.media!.server),
    [B.wsUrl, B.wsUrl, B.wsUrl],
    'A has 4 rooms by its own count: B takes the next three',
  );
  const s2 = (await h.http('/v1/stats', { token: agentToken })).body;
  assert.equal(s2.janusServers[0].rooms, 4);
  assert.equal(s2.janusServers[1].calls, 3);
});

test('a Janus killed under live calls: their rooms are made on the other, both sides get the new media; ids, splits and records unaffected', async () => {
  const [A, B] = await twoJanus();
  const h = await pooled([A, B]);
  const agents = [await h.agent('kill-a1', 2), await h.agent('kill-a2', 2)];
  for (const a of agents) await a.ok({ type: 'ready' });
  const calls: Live[] = [];
  for (let i = 0; i < 4; i++) calls.push(await call(h, `kill-c${i}`));
  const seats = await Promise.all(agents.map((a) => answerUntil(a, 2)));
  // Where each call is: seat, split, server.
  const where = new Map<string, { seat: number; split: number; server: string; room: number }>();
  seats.forEach((s, si) =>
    s.splits.forEach((x) => {
      if (x.call) where.set(x.call.callId, { seat: si, split: x.index, server: x.call.media!.server, room: x.call.media!.room });
    }),
  );
  assert.equal(where.size, 4);
  const onA = [...where].filter(([, w]) => w.server === A.wsUrl).map(([id]) => id);
  assert.equal(onA.length, 2, 'two live calls on A');
  const agentToken = await h.token('agent', 'stats-reader');

  process.kill(A.pid, 'SIGKILL');
  await A.exited;

  // The customers of A's calls are told a new room on B; the others hear nothing new.
  for (const c of calls) {
    if (!onA.includes(c.view.callId)) continue;
    const now = await c.customer.next('call', (x) => x.media?.server === B.wsUrl);
    assert.equal(now.callId, c.view.callId, 'the same call');
    assert.equal(now.state, 'connected');
    assert.notEqual(now.media!.room, c.view.media!.room);
    assert.equal(await joins(now.media!), true, 'the customer gets into the new room on B');
  }
  // Each seat sees every call on B, on the split it was on.
  for (const [si, a] of agents.entries()) {
    // The newest snapshot (the seat may have had nothing to be told: all its calls were on B).
    const seat = await eventually(() => {
      assert.ok(a.seat!.splits.every((x) => x.call?.media?.server === B.wsUrl));
      return a.seat!;
    }, `seat ${si} sees every call on B`);
    for (const x of seat.splits) {
      const w = where.get(x.call!.callId)!;
      assert.ok(w, 'the same call ids');
      assert.deepEqual([w.seat, w.split], [si, x.index], 'on the same seat and split');
      assert.equal(x.state, 'connected');
      if (w.server === B.wsUrl) assert.equal(x.call!.media!.room, w.room, "B's calls keep their rooms");
      else assert.equal(await joins(x.call!.media!), true, 'the agent gets into the new room on B');
    }
  }
  const stats = (await h.http('/v1/stats', { token: agentToken })).body;
  assert.deepEqual(
    stats.janusServers.map((j: { server: string; status: string; calls: number }) => [j.server, j.status, j.calls]),
    [
      [A.wsUrl, 'lost', 0],
      [B.wsUrl, 'up', 4],
    ],
  );
  assert.equal(stats.janus, 'up');
  assert.equal(stats.counters.ended ?? 0, 0, 'no call ended');

  // The calls end as usual, one record each.
  for (const c of calls) await c.customer.ok({ type: 'hangup' });
  const { body } = await h.http('/v1/calls?limit=10', { token: await h.token('supervisor', 'sup') });
  const ids = body.calls.map((r: { callId: string }) => r.callId).sort();
  assert.deepEqual(ids, [...where.keys()].sort(), 'one record per call');
  for (const r of body.calls) assert.equal(r.endReason, 'caller-hangup');
});

test('a restarted control center finds each room on its own Janus; the calls of a Janus that died meanwhile get rooms on the other', async () => {
  const [A, B] = await twoJanus();
  const dir = mkdtempSync(join(tmpdir(), 'janus-pool-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'calls.db');
  const first = await pooled([A, B], { db, janusLoadEveryMs: 0 });
  const calls = [await call(first, 'rs-0'), await call(first, 'rs-1')];
  const byServer = new Map(calls.map((c) => [c.view.media!.server, c.view]));
  assert.equal(byServer.size, 2, 'one call on each Janus');
  await first.close();

  // Both Janus alive: every room is kept where it is.
  const second = await pooled([A, B], { db });
  for (const c of calls) {
    await eventually(() => assert.equal(second.server.rooms.roomOf(c.view.callId), c.view.media!.room), `${c.view.callId} keeps its room`);
    assert.equal(second.server.rooms.serverOf(c.view.callId), c.view.media!.server);
  }
  await second.close();

  // A dies while no control center runs: its call gets a room on B, B's keeps its own.
  process.kill(A.pid, 'SIGKILL');
  await A.exited;
  const third = await pooled([A, B], { db, janusStartWaitMs: 1500 });
  const wasA = byServer.get(A.wsUrl)!;
  const wasB = byServer.get(B.wsUrl)!;
  await eventually(() => assert.equal(third.server.rooms.serverOf(wasA.callId), B.wsUrl), "A's call moves to B");
  assert.equal(third.server.rooms.roomOf(wasB.callId), wasB.media!.room, "B's call keeps its room");
  const back = await third.caller(calls.find((c) => c.view.callId === wasA.callId)!.customerId);
  const view = await back.next('call', (x) => x.media?.server === B.wsUrl);
  assert.equal(view.callId, wasA.callId, 'the customer comes back to the same call');
  assert.equal(await joins(view.media!), true, 'and gets into its new room');
});

test('flags: --janus-url repeated (or a comma list in MULTI_SEAT_JANUS_URL) with per-server settings; one server as before', async () => {
  const { parseCli, UsageError } = await import('../../server/cli.js');
  const { resolveConfig } = await import('../../server/config.js');
  const o = parseCli(
    [
      '--demo',
      ...['--janus-url', 'ws://10.0.0.1:8188', '--janus-url', 'ws://10.0.0.2:8188'],
      ...['--janus-public-url', 'wss://a.example/janus', '--janus-public-url', 'wss://b.example/janus'],
      ...['--janus-admin-url', 'http://10.0.0.1:7088/admin', '--janus-admin-url', 'http://10.0.0.2:7088/admin'],
      ...['--janus-admin-secret', 'same-for-both', '--janus-admin-key', 'k1', '--janus-admin-key', 'k2', '--janus-grace-ms', '2500'],
    ],
    {},
  );
  assert.notEqual(o, 'help');
  const c = resolveConfig(o as Exclude<typeof o, 'help'>);
  assert.deepEqual(c.janusServers, [
    { url: 'ws://10.0.0.1:8188', publicUrl: 'wss://a.example/janus', apiSecret: null, adminKey: 'k1', adminUrl: 'http://10.0.0.1:7088/admin', adminSecret: 'same-for-both' },
    { url: 'ws://10.0.0.2:8188', publicUrl: 'wss://b.example/janus', apiSecret: null, adminKey: 'k2', adminUrl: 'http://10.0.0.2:7088/admin', adminSecret: 'same-for-both' },
  ]);
  assert.equal(c.janusGraceMs, 2500);
  assert.equal(c.janusUrl, 'ws://10.0.0.1:8188', 'the first server is also the single one');

  const fromEnv = resolveConfig(parseCli(['--demo'], { MULTI_SEAT_JANUS_URL: 'ws://a:1,ws://b:2', MULTI_SEAT_JANUS_ADMIN_KEY: 'k' }) as Exclude<ReturnType<typeof parseCli>, 'help'>);
  assert.deepEqual(
    fromEnv.janusServers.map((j) => [j.url, j.publicUrl, j.adminKey]),
    [
      ['ws://a:1', 'ws://a:1', 'k'],
      ['ws://b:2', 'ws://b:2', 'k'],
    ],
  );
  const single = resolveConfig(parseCli(['--demo', '--janus-url', 'ws://x:1', '--janus-public-url', 'wss://x.example'], {}) as Exclude<ReturnType<typeof parseCli>, 'help'>);
  assert.deepEqual(single.janusServers.map((j) => [j.url, j.publicUrl]), [['ws://x:1', 'wss://x.example']]);
  assert.equal(resolveConfig(parseCli(['--demo', '--janus-url', 'none'], {}) as Exclude<ReturnType<typeof parseCli>, 'help'>).janusServers.length, 0);

  assert.throws(() => parseCli(['--demo', '--janus-url', 'ws://a:1', '--janus-url', 'ws://b:1', '--janus-admin-key', 'a', '--janus-admin-key', 'b', '--janus-admin-key', 'c'], {}), UsageError);
  assert.throws(() => parseCli(['--demo', '--janus-url', 'ws://a:1', '--janus-url', 'ws://b:1', '--janus-public-url', 'wss://one'], {}), UsageError);
  assert.throws(() => parseCli(['--demo', '--janus-url', 'ws://a:1', '--janus-url', 'none'], {}), UsageError);
  assert.throws(() => resolveConfig({ demo: true, janusServers: [{ url: 'ws://a:1', publicUrl: 'wss://same' }, { url: 'ws://b:1', publicUrl: 'wss://same' }] }));
});
