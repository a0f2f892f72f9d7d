/**
 * Never lose a call (DESIGN.md, "The journal"): a restart on the same --db gives every agent and
 * customer exactly what they had; the file refuses what would corrupt it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { startServer } from '../../server/server.js';
import { Client, SECRET, split, startHarness, type Harness } from './helpers.js';

const tmpDb = () => join(mkdtempSync(join(tmpdir(), 'multi-seat-journal-')), 'calls.db');

/** A floor: split 0 connected, split 1 ringing, two customers queued behind. */
async function floor(h: Harness) {
  const agent = await h.agent('dur-seat', 2);
  await agent.ok({ type: 'ready' });
  const talking = await h.caller('dur-c1');
  await talking.ok({ type: 'call', queue: 'claims' });
  await agent.next('seat', (s) => split(s, 0).state === 'ringing');
  await agent.ok({ type: 'answer', split: 0 });
  const ringing = await h.caller('dur-c2');
  await ringing.ok({ type: 'call', queue: 'claims' });
  const seat = await agent.next('seat', (s) => split(s, 1).state === 'ringing');
  const q3 = await h.caller('dur-c3');
  await q3.ok({ type: 'call', queue: 'claims' });
  const q4 = await h.caller('dur-c4');
  await q4.ok({ type: 'call', queue: 'claims' });
  await q4.next('call', (c) => c.position === 2);
  return { agent, talking, ringing, q3, q4, seat };
}

test('a planned stop keeps every call; after the restart each party gets exactly what it had (R15, R16, R4)', async () => {
  const db = tmpDb();
  const h1 = await startHarness({ db });
  const before = await floor(h1);
  const connectedId = split(before.seat, 0).call!.callId;
  const ringingId = split(before.seat, 1).call!.callId;
  const q3Id = (await before.q3.next('call')).callId;
  assert.doesNotMatch(connectedId, /^c-\d+$/, 'call ids are not a guessable counter');
  assert.notEqual(connectedId, ringingId);

  await h1.server.close();
  for (const c of [before.agent, before.talking, before.ringing, before.q3, before.q4]) assert.equal((await c.closed).code, 1012, 'service restart');
  // Nobody was told their call ended.
  assert.equal(before.talking.all('call').filter((m) => (m['call'] as { state: string }).state === 'ended').length, 0);

  const h2 = await startHarness({ db });
  try {
    assert.ok(h2.server.recovered?.resumed);
    const agent = await h2.connect('/v1/agent');
    await agent.ok({ type: 'hello', token: await h2.token('agent', 'dur-seat'), splits: 4 });
    const seat = await agent.next('seat');
    assert.equal(seat.splits.length, 2, 'the same splits, whatever the new hello asks');
    assert.equal(split(seat, 0).state, 'connected');
    assert.equal(split(seat, 0).call!.callId, connectedId);
    assert.equal(split(seat, 0).call!.virtualSeat, 'dur-seat:0');
    assert.equal(seat.ready, true);
    // The ringing offer was withdrawn at the restart (R15) and went back to the head (R4): it rings again first.
    assert.equal(split(seat, 1).state, 'ringing');
    assert.equal(split(seat, 1).call!.callId, ringingId);

    const talking = await h2.caller('dur-c1');
    const call = await talking.next('call');
    assert.equal(call.callId, connectedId);
    assert.equal(call.state, 'connected');
    assert.deepEqual(call.agent, { seat: 'dur-seat', virtualSeat: 'dur-seat:0' });
    const q3 = await h2.caller('dur-c3');
    const waiting = await q3.next('call');
    assert.equal(waiting.callId, q3Id);
    assert.equal(waiting.position, 1, 'same queue order');
    const stats = await h2.http('/v1/stats', { token: await h2.token('agent', 'dur-seat') });
    assert.ok(stats.body.counters.offered >= 3, 'counters survive the restart');
  } finally {
    await h2.close();
  }
});

test('a second server on the same --db refuses to start; the first keeps serving', async () => {
  const db = tmpDb();
  const h = await startHarness({ db });
  try {
    await assert.rejects(startServer({ port: 0, secret: SECRET, db, janusUrl: null, log: () => {} }), /in use by another control center/);
    const c = await h.caller('lock-c');
    await c.ok({ type: 'call', queue: 'q' });
  } finally {
    await h.close();
  }
});

test('a torn last record is dropped and logged; everything before it is recovered', async () => {
  const db = tmpDb();
  const h1 = await startHarness({ db });
  const c = await h1.caller('torn-c');
  await c.ok({ type: 'call', queue: 'q' });
  const callId = (await c.next('call')).callId;
  await h1.server.close();
  // A write cut short: the last row holds half an event.
  const file = new Database(db);
  const last = (file.prepare('SELECT MAX(seq) AS s FROM snapshots').get() as { s: number }).s;
  file.prepare('INSERT INTO journal (seq, event) VALUES (?, ?)').run(last + 1, '{"type":"caller-hangup","customerId":"torn-c","no');
  file.close();

  const logs: string[] = [];
  const h2 = await startHarness({ db, log: (m) => logs.push(m) });
  try {
    assert.ok(logs.some((m) => /dropped 1 event/.test(m)), logs.join('\n'));
    const back = await h2.caller('torn-c');
    const call = await back.next('call');
    assert.equal(call.callId, callId);
    assert.equal(call.state, 'queued');
  } finally {
    await h2.close();
  }
});

test('a file written by a newer version is refused, saying so', async () => {
  const db = tmpDb();
  const h = await startHarness({ db });
  await h.close();
  const file = new Database(db);
  file.prepare("UPDATE meta SET value = '99' WHERE key = 'format'").run();
  file.close();
  await assert.rejects(startServer({ port: 0, secret: SECRET, db, janusUrl: null, log: () => {} }), /newer multi-seat/);
});

test('a full disk: new commands are refused with internal, /healthz says journal full, live connections are still served', async () => {
  const db = tmpDb();
  const logs: string[] = [];
  const h = await startHarness({ db, dbMaxPages: 40, log: (m) => logs.push(m) });
  try {
    const agent = await h.agent('full-seat', 1);
    let refused: Client | null = null;
    let refusedMsg: Record<string, unknown> | null = null;
    // Each call and hangup is journaled; the file may not grow past 40 pages.
    for (let i = 0; i < 2000 && !refused; i++) {
      const c = await h.connect('/v1/caller');
      for (const msg of [{ type: 'hello', token: await h.token('caller', `full-${i}`) }, { type: 'call', queue: 'q' }, { type: 'hangup' }]) {
        const reply = await c.request(msg);
        if (reply.type === 'ok') continue;
        assert.equal(reply['code'], 'internal', JSON.stringify(reply));
        refused = c;
        refusedMsg = msg;
        break;
      }
      if (!refused) c.close();
    }
    assert.ok(refused, 'the journal never filled up');
    const health = await h.http('/healthz');
    assert.equal(health.body.ok, true);
    assert.equal(health.body.journal, 'full');
    const pong = await agent.request({ type: 'ping' });
    assert.equal(pong.type, 'ok', JSON.stringify(pong));
    // The same command again (which one filled the file depends on the size of what is written).
    const again = refusedMsg!['type'] === 'hello' ? { type: 'hello', token: await h.token('caller', 'full-late') } : refusedMsg!;
    assert.equal((await refused.request(again))['code'], 'internal', 'still refused');
    assert.ok(logs.some((m) => /journal append failed/.test(m)));
  } finally {
    await h.close();
  }
});
