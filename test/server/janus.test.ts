/**
 * Rooms on a real Janus started by this file (free ports, so a developer's Janus on 8188 is
 * untouched): a room lives exactly as long as its call, and Janus may go away and come back.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startJanus } from '../../scripts/janus.mjs';
import { eventually, split, startHarness, type Harness } from './helpers.js';
import { JanusWs } from './janus-ws-client.js';

type Janus = Awaited<ReturnType<typeof startJanus>>;

let janus: Janus;
let h: Harness;

const ROOM_ADMIN_KEY = 'test-room-admin-key';

/** Asks Janus itself, on a session of our own, which rooms exist (`list` with the admin key shows private ones). */
async function listRooms(url: string): Promise<number[]> {
  const ws = await JanusWs.open(url);
  try {
    const session = ((await ws.request({ janus: 'create' }))['data'] as { id: number }).id;
    const handle = ((await ws.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom' }))['data'] as { id: number }).id;
    const reply = await ws.request({ janus: 'message', session_id: session, handle_id: handle, body: { request: 'list', admin_key: ROOM_ADMIN_KEY } });
    const data = (reply['plugindata'] as { data: { list?: { room: number }[] } }).data;
    await ws.request({ janus: 'destroy', session_id: session });
    return (data.list ?? []).map((r) => r.room);
  } finally {
    await ws.close();
  }
}

async function roomExists(url: string, room: number): Promise<boolean> {
  return (await listRooms(url)).includes(room);
}

before(async () => {
  janus = await startJanus({ wsPort: 0, httpPort: 0, adminPort: false, roomAdminKey: ROOM_ADMIN_KEY });
  h = await startHarness({
    janusUrl: janus.wsUrl,
    janusPublicUrl: 'ws://media.example:8188',
    janusAdminKey: ROOM_ADMIN_KEY,
    janusReconnectMinMs: 100,
    janusReconnectMaxMs: 400,
    janusKeepaliveMs: 1000,
  });
});
after(async () => {
  await h?.close();
  await janus?.stop();
});

test('each call has its own private room while it lives, and the room is gone after', async () => {
  assert.equal((await h.http('/healthz')).body.janus, 'up');
  const a = await h.agent('jr-seat', 2);
  await a.ok({ type: 'ready' });
  const c = await h.caller('jr-cust');
  await c.ok({ type: 'call', queue: 'q' });
  const withMedia = await c.next('call', (x) => x.media !== null);
  const media = withMedia.media!;
  assert.equal(media.server, 'ws://media.example:8188', 'browsers are told the public URL');
  assert.ok(Number.isSafeInteger(media.room) && media.room > 0);
  assert.ok(media.pin.length >= 12, 'a random pin');
  assert.equal(await roomExists(janus.wsUrl, media.room), true);
  // The ringing offer already carries the room, so the agent can preview the customer.
  const ring = await a.next('seat', (s) => split(s, 0).state === 'ringing' && split(s, 0).call!.media !== null);
  const seen = split(ring, 0).call!.media!;
  assert.deepEqual({ server: seen.server, room: seen.room, pin: seen.pin }, { server: media.server, room: media.room, pin: media.pin });
  // Each party is told its own join token and party id (the lockdown): never the other's.
  assert.equal(media.party, 'customer:jr-cust');
  assert.equal(seen.party, 'agent:jr-seat');
  assert.ok(media.token && seen.token && media.token !== seen.token);

  // A second call gets a different room.
  const c2 = await h.caller('jr-cust2');
  await c2.ok({ type: 'call', queue: 'q' });
  const media2 = (await c2.next('call', (x) => x.media !== null)).media!;
  assert.notEqual(media2.room, media.room);
  assert.notEqual(media2.pin, media.pin);

  await c.ok({ type: 'hangup' });
  await c2.ok({ type: 'hangup' });
  await eventually(async () => assert.equal(await roomExists(janus.wsUrl, media.room), false), 'room 1 destroyed');
  await eventually(async () => assert.equal(await roomExists(janus.wsUrl, media2.room), false), 'room 2 destroyed');
  await a.ok({ type: 'not-ready' });
});

test('a consult gets its own room; a warm transfer keeps the customer in theirs', async () => {
  const a = await h.agent('jc-a', 1);
  await a.ok({ type: 'ready' });
  const b = await h.agent('jc-b', 1);
  const c = await h.caller('jc-cust');
  await c.ok({ type: 'call', queue: 'q' });
  const media = (await c.next('call', (x) => x.media !== null)).media!;
  await a.next('seat', (s) => split(s, 0).state === 'ringing');
  await a.ok({ type: 'answer', split: 0 });
  await a.ok({ type: 'consult', split: 0, to: 'jc-b' });
  await b.ok({ type: 'ready' });
  const offer = await b.next('seat', (s) => split(s, 0).state === 'ringing' && split(s, 0).call!.media !== null);
  const consultRoom = split(offer, 0).call!.media!.room;
  assert.notEqual(consultRoom, media.room);
  assert.equal(await roomExists(janus.wsUrl, consultRoom), true);
  await b.ok({ type: 'answer', split: 0 });
  await a.next('seat', (s) => split(s, 0).call?.consult?.state === 'connected');
  await a.ok({ type: 'transfer', split: 0, to: { seat: 'jc-b' } });
  const moved = await b.next('seat', (s) => split(s, 0).call?.kind === 'inbound');
  const movedMedia = split(moved, 0).call!.media!;
  assert.equal(movedMedia.room, media.room, "the consulted agent joins the customer's room");
  assert.equal(movedMedia.party, 'agent:jc-b');
  await eventually(async () => assert.equal(await roomExists(janus.wsUrl, consultRoom), false), 'consult room destroyed');
  assert.equal(await roomExists(janus.wsUrl, media.room), true);
  await c.ok({ type: 'hangup' });
  await eventually(async () => assert.equal(await roomExists(janus.wsUrl, media.room), false), 'customer room destroyed');
  await a.ok({ type: 'not-ready' });
  await b.ok({ type: 'not-ready' });
});

test('Janus going down and coming back: calls queue with media null, healthz says down, rooms come back', async () => {
  const before = await h.caller('jd-before');
  await before.ok({ type: 'call', queue: 'down' });
  const oldMedia = (await before.next('call', (x) => x.media !== null)).media!;

  const wsPort = janus.wsPort;
  await janus.stop();
  await eventually(async () => assert.equal((await h.http('/healthz')).body.janus, 'down'), 'healthz down');

  const during = await h.caller('jd-during');
  await during.ok({ type: 'call', queue: 'down' });
  const queued = await during.next('call');
  assert.equal(queued.state, 'queued');
  assert.equal(queued.media, null);

  janus = await startJanus({ wsPort, httpPort: 0, adminPort: false, roomAdminKey: ROOM_ADMIN_KEY });
  await eventually(async () => assert.equal((await h.http('/healthz')).body.janus, 'up'), 'healthz up');
  const late = (await during.next('call', (x) => x.media !== null)).media!;
  assert.equal(await roomExists(janus.wsUrl, late.room), true);
  // The restarted Janus lost the older call's room: it is made again and re-announced.
  const remade = (await before.next('call', (x) => x.media !== null && x.media.room !== oldMedia.room)).media!;
  assert.equal(await roomExists(janus.wsUrl, remade.room), true);

  await during.ok({ type: 'hangup' });
  await before.ok({ type: 'hangup' });
  await eventually(async () => assert.equal(await roomExists(janus.wsUrl, late.room), false), 'room destroyed');
});

test('a Janus that requires an api_secret and a VideoRoom admin_key: rooms are made with both', async () => {
  const locked = await startJanus({ wsPort: 0, httpPort: 0, adminPort: false, roomAdminKey: 'room-key', apiSecret: 'api-secret' });
  const wrong = await startHarness({ janusUrl: locked.wsUrl, janusApiSecret: 'not-it', janusAdminKey: 'room-key', janusReconnectMinMs: 100, janusReconnectMaxMs: 400 });
  const right = await startHarness({ janusUrl: locked.wsUrl, janusApiSecret: 'api-secret', janusAdminKey: 'room-key' });
  try {
    await eventually(async () => assert.equal((await right.http('/healthz')).body.janus, 'up'), 'healthz up with the right secret');
    const c = await right.caller('sec-cust');
    await c.ok({ type: 'call', queue: 'q' });
    const media = (await c.next('call', (x) => x.media !== null)).media!;
    assert.ok(media.room > 0);
    // Without the secret Janus refuses the session: no room, the call waits without media.
    assert.equal((await wrong.http('/healthz')).body.janus, 'down');
    const w = await wrong.caller('sec-wrong');
    await w.ok({ type: 'call', queue: 'q' });
    assert.equal((await w.next('call')).media, null);
    await c.ok({ type: 'hangup' });
    await w.ok({ type: 'hangup' });
  } finally {
    await wrong.close();
    await right.close();
    await locked.stop();
  }
});
