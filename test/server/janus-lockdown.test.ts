/**
 * Issue 10, item 6 and the Janus half of item 5, against a real locked Janus started by this file
 * (scripts/janus.mjs `locked`: VideoRoom admin_key, token_auth): only a call's parties get into
 * its room. Browsers are played by raw Janus API clients over WebSocket (joining as a publisher
 * needs no WebRTC); the kick of a subscription is proven in Chromium (test/e2e).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startJanus } from '../../scripts/janus.mjs';
import type { MediaInfo } from '../../core/protocol.js';
import { JanusAdmin, ROOM_MARK } from '../../server/janus-admin.js';
import { MediaKeys, mediaPresenter } from '../../server/media-tokens.js';
import { Rooms } from '../../server/rooms.js';
import { sleep, split, startHarness, WAIT_MS } from './helpers.js';
import { JanusWs, type JanusMessage } from './janus-ws-client.js';

type Janus = Awaited<ReturnType<typeof startJanus>>;

/** Retries `probe` (every 50 ms, bounded) until it gives something truthy; a throw counts as no. */
async function eventually<T>(probe: () => T | Promise<T>, what: string, timeoutMs = WAIT_MS): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen${last ? `: ${(last as Error).message ?? last}` : ''}`);
    await sleep(50);
  }
}

let janus: Janus;
const keys = new MediaKeys('lockdown-test-secret');
const opened: JanusWs[] = [];
const stops: Array<() => Promise<void>> = [];

function admin(j: Janus): JanusAdmin {
  const a = new JanusAdmin({
    url: j.wsUrl,
    adminKey: j.roomAdminKey,
    adminUrl: j.adminUrl,
    adminSecret: j.adminSecret,
    token: keys.ownToken(),
    reconnectMinMs: 100,
    reconnectMaxMs: 400,
  });
  stops.push(() => a.stop());
  return a;
}

interface Made {
  rooms: Rooms;
  janus: JanusAdmin;
  ready: Map<string, MediaInfo>;
}

async function makeRooms(j: Janus = janus): Promise<Made> {
  const a = admin(j);
  const ready = new Map<string, MediaInfo>();
  const rooms = new Rooms(a, j.wsUrl, (key, media) => ready.set(key, media), () => {}, keys);
  a.start();
  await a.waitUp(5000);
  stops.push(() => rooms.drain());
  return { rooms, janus: a, ready };
}

const data = (m: JanusMessage) => ((m['plugindata'] as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<string, any>;

/** A browser as far as Janus can tell: a session (with a token, or none) and a VideoRoom handle. */
class Browser {
  private constructor(
    readonly ws: JanusWs,
    readonly session: number,
    readonly handle: number,
    readonly token: string | undefined,
  ) {}

  /** Opens a session; rejects with Janus's error when it refuses. */
  static async open(url: string, token?: string): Promise<Browser> {
    const ws = await JanusWs.open(url);
    opened.push(ws);
    const created = await ws.request({ janus: 'create', ...(token ? { token } : {}) });
    if (created.janus !== 'success') throw new Error(`create refused: ${JSON.stringify(created['error'])}`);
    const session = (created['data'] as { id: number }).id;
    const attached = await ws.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom', ...(token ? { token } : {}) });
    if (attached.janus !== 'success') throw new Error(`attach refused: ${JSON.stringify(attached['error'])}`);
    return new Browser(ws, session, (attached['data'] as { id: number }).id, token);
  }

  /** A VideoRoom request; resolves with the plugin's data, or the Janus error as `{janusError}`. */
  async send(body: Record<string, unknown>): Promise<Record<string, any>> {
    const reply = await this.ws.request({ janus: 'message', session_id: this.session, handle_id: this.handle, body, ...(this.token ? { token: this.token } : {}) });
    if (reply.janus === 'error') return { janusError: reply['error'] };
    return data(reply);
  }

  join(media: MediaInfo, extra: Record<string, unknown> = {}): Promise<Record<string, any>> {
    return this.send({ request: 'join', ptype: 'publisher', room: media.room, pin: media.pin, display: media.party, ...(media.token ? { token: media.token } : {}), ...extra });
  }

  kicked(): boolean {
    return this.ws.events.some((m) => data(m)['leaving'] === 'ok' && data(m)['reason'] === 'kicked');
  }
}

/** The media a party is told (as the presenter makes it for the agent or the customer). */
function mediaFor(media: MediaInfo, party: string): MediaInfo {
  return { ...media, token: keys.token(media.room, party), party };
}

async function participants(made: Made, room: number): Promise<string[]> {
  return (await made.janus.listParticipants(room)).map((p) => p.display ?? '?').sort();
}

before(async () => {
  janus = await startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, locked: true });
});
after(async () => {
  await Promise.all(opened.map((w) => w.close()));
  for (const s of stops.reverse()) await s().catch(() => {});
  await janus?.stop();
});

test('locked Janus: no token, no session; a bad token neither; nobody without the admin key makes a room', async () => {
  await assert.rejects(Browser.open(janus.wsUrl), /403/, 'no token: no session');
  await assert.rejects(Browser.open(janus.wsUrl, 'made-up-token'), /403/, 'an unknown token: no session');
  // Without a session nothing else can be asked: not `list`, not `listparticipants`.
  const ws = await JanusWs.open(janus.wsUrl);
  opened.push(ws);
  const list = await ws.request({ janus: 'message', session_id: 1, handle_id: 1, body: { request: 'list' } });
  assert.equal(list.janus, 'error');

  // A party with a right to one room still cannot make rooms.
  const m = await makeRooms();
  m.rooms.access('k-create', ['customer:c-0']);
  m.rooms.create('k-create');
  const media = await eventually(() => m.ready.get('k-create'), 'room ready');
  const customer = await Browser.open(janus.wsUrl, keys.token(media.room, 'customer:c-0'));
  const made = await customer.send({ request: 'create', room: 4242, is_private: true });
  assert.ok(made['error_code'], `create refused (${JSON.stringify(made)})`);
  const listed = await customer.send({ request: 'list' });
  assert.deepEqual(listed['list'], [], 'private rooms are not listed to a party');
  m.rooms.destroy('k-create');
});

test('the right parties join; a pin alone, or another room\'s token, admits nobody', async () => {
  const m = await makeRooms();
  m.rooms.access('k1', ['customer:c-1', 'agent:seat-A']);
  m.rooms.create('k1');
  const media = await eventually(() => m.ready.get('k1'), 'room ready');
  m.rooms.access('k2', ['customer:c-2']);
  m.rooms.create('k2');
  const other = await eventually(() => m.ready.get('k2'), 'room 2 ready');

  const customer = await Browser.open(janus.wsUrl, keys.token(media.room, 'customer:c-1'));
  const agent = await Browser.open(janus.wsUrl, keys.token(media.room, 'agent:seat-A'));
  assert.equal((await customer.join(mediaFor(media, 'customer:c-1')))['videoroom'], 'joined');
  assert.equal((await agent.join(mediaFor(media, 'agent:seat-A')))['videoroom'], 'joined');
  assert.deepEqual(await participants(m, media.room), ['agent:seat-A', 'customer:c-1']);

  // The customer of room 2 has a session, knows room 1's id and pin, but has no token for it.
  const stranger = await Browser.open(janus.wsUrl, keys.token(other.room, 'customer:c-2'));
  const pinOnly = await stranger.join({ ...media, party: 'customer:c-2' });
  assert.equal(pinOnly['error_code'], 433, 'the pin alone is refused');
  const wrongToken = await stranger.join({ ...media, party: 'customer:c-2', token: keys.token(other.room, 'customer:c-2') });
  assert.equal(wrongToken['error_code'], 433, "another room's token is refused");
  const spoofed = await stranger.join({ ...media, party: 'agent:seat-A', token: keys.token(media.room, 'agent:seat-B') });
  assert.equal(spoofed['error_code'], 433, 'a token of a party that has no right is refused');
  assert.deepEqual(await participants(m, media.room), ['agent:seat-A', 'customer:c-1']);

  m.rooms.destroy('k1');
  m.rooms.destroy('k2');
});

test('a seat that loses its right (offer rejected) is kicked, refused on the way back, and its session token is gone', async () => {
  const m = await makeRooms();
  m.rooms.access('k3', ['customer:c-3']);
  m.rooms.create('k3');
  const media = await eventually(() => m.ready.get('k3'), 'room ready');
  // Offered to seat-A: it rings there, and the ringing pane previews the customer.
  m.rooms.access('k3', ['customer:c-3', 'agent:seat-A']);
  const seatA = mediaFor(media, 'agent:seat-A');
  const a = await eventually(() => Browser.open(janus.wsUrl, seatA.token), "seat-A's session (its token reaches Janus)");
  const customer = await Browser.open(janus.wsUrl, keys.token(media.room, 'customer:c-3'));
  assert.equal((await customer.join(mediaFor(media, 'customer:c-3')))['videoroom'], 'joined');
  const joined = await eventually(async () => {
    const r = await a.join(seatA);
    return r['videoroom'] === 'joined' ? r : null;
  }, 'seat-A joins');
  assert.ok(joined['private_id'], 'a joined participant has a private id (needed to subscribe: require_pvtid)');

  // Seat-A rejects: the call goes back to the queue, and the next offer goes to seat-B.
  m.rooms.access('k3', ['customer:c-3']);
  await eventually(() => a.kicked() || null, 'seat-A hears it was kicked');
  await eventually(async () => (await participants(m, media.room)).join() === 'customer:c-3', 'seat-A is out of the room');
  // Its old token opens nothing any more: no session, and no join on the handle it had.
  await eventually(() => Browser.open(janus.wsUrl, seatA.token).then(() => null, () => true), 'session token removed');
  const again = await a.join(seatA);
  assert.ok(again['janusError'] || again['error_code'], `the old token is refused (${JSON.stringify(again)})`);

  m.rooms.access('k3', ['customer:c-3', 'agent:seat-B']);
  const b = await eventually(() => Browser.open(janus.wsUrl, keys.token(media.room, 'agent:seat-B')), "seat-B's session");
  const bJoined = await eventually(async () => {
    const r = await b.join(mediaFor(media, 'agent:seat-B'));
    return r['videoroom'] === 'joined' ? r : null;
  }, 'seat-B joins');
  assert.ok(bJoined);
  assert.deepEqual(await participants(m, media.room), ['agent:seat-B', 'customer:c-3']);
  assert.equal(a.kicked(), true);
  assert.equal(customer.kicked(), false);

  // A participant that claims no allowed party is kicked at the next change too.
  m.rooms.access('k3', ['customer:c-3']);
  await eventually(() => b.kicked() || null, 'seat-B kicked when its right ends');

  // The call ends: the room goes, and the customer's token with it.
  m.rooms.destroy('k3');
  await eventually(async () => ((await m.janus.exists(media.room)) ? null : true), 'room destroyed');
  await eventually(() => Browser.open(janus.wsUrl, keys.token(media.room, 'customer:c-3')).then(() => null, () => true), "the customer's token removed");
});

test('the presenter gives each party its own token, on the consult room too', () => {
  const present = mediaPresenter(keys);
  const media: MediaInfo = { server: 'ws://x', room: 77, pin: 'p' };
  const consult: MediaInfo = { server: 'ws://x', room: 78, pin: 'q' };
  const seat = present.seat(
    {
      seatId: 's1',
      version: 1,
      ready: true,
      notReadyReason: null,
      focus: 0,
      splits: [
        {
          index: 0,
          channel: 's1:0',
          state: 'consulting',
          call: {
            callId: 'c',
            kind: 'inbound',
            queue: 'q',
            customer: { id: 'cu', name: null },
            virtualSeat: 's1:0',
            since: 0,
            media,
            attention: null,
            consult: { seat: 's2', state: 'connected', media: consult },
          },
        },
        { index: 1, channel: 's1:1', state: 'idle', call: null },
      ],
    },
    's1',
  );
  const call = seat.splits[0]!.call!;
  assert.equal(call.media!.token, keys.token(77, 'agent:s1'));
  assert.equal(call.media!.party, 'agent:s1');
  assert.equal(call.consult!.media!.token, keys.token(78, 'agent:s1'));
  assert.equal(media.token, undefined, 'the engine view is not changed');
  const c = present.call(
    { callId: 'c', state: 'connected', position: null, agent: null, media, endReason: null, focused: true, attention: null, kind: 'inbound' },
    'cu',
  );
  assert.equal(c.media!.token, keys.token(77, 'customer:cu'));
  assert.notEqual(c.media!.token, call.media!.token);
  assert.equal(new MediaKeys('lockdown-test-secret').token(77, 'customer:cu'), c.media!.token, 'derived: the same after a restart');
  assert.notEqual(new MediaKeys('another-secret').token(77, 'customer:cu'), c.media!.token);
});

test('restore after a control-center restart: kept rooms stay (and can be destroyed), lost ones are made again, strays are destroyed', async () => {
  const first = await makeRooms();
  for (const [key, parties] of [
    ['r-kept', ['customer:k', 'agent:seat-Old']],
    ['r-lost', ['customer:l']],
    ['r-stray', ['customer:s']],
  ] as const) {
    first.rooms.access(key, [...parties]);
    first.rooms.create(key);
  }
  const kept = await eventually(() => first.ready.get('r-kept'), 'kept room');
  const lost = await eventually(() => first.ready.get('r-lost'), 'lost room');
  const stray = await eventually(() => first.ready.get('r-stray'), 'stray room');
  // The old control center dies without cleaning up; Janus loses one room meanwhile.
  await first.janus.destroyRoom({ room: lost.room, pin: lost.pin, secret: keys.roomSecret(lost.room) });
  await first.janus.stop();
  const listed = await (async () => {
    const m = await makeRooms();
    return { m, rooms: await m.janus.listRoomsDescribed() };
  })();
  assert.ok(listed.rooms.some((r) => r.room === stray.room && r.description === `${ROOM_MARK}r-stray`), 'rooms are marked with their key');

  const second = listed.m;
  // A seat of the kept call whose right ended with the restart (its ringing offer withdrawn).
  const old = await eventually(() => Browser.open(janus.wsUrl, keys.token(kept.room, 'agent:seat-Old')), 'old seat session');
  assert.equal((await old.join(mediaFor(kept, 'agent:seat-Old')))['videoroom'], 'joined');
  await second.rooms.restore([
    { key: 'r-kept', media: kept, parties: ['customer:k', 'agent:seat-R'] },
    { key: 'r-lost', media: lost, parties: ['customer:l'] },
    { key: 'r-new', media: null, parties: ['customer:n'] },
  ]);
  assert.equal(second.rooms.roomOf('r-kept'), kept.room, 'the room Janus still has is kept');
  assert.equal(second.ready.has('r-kept'), false, 'and not announced again');
  const remade = await eventually(() => second.ready.get('r-lost'), 'the lost room is made again');
  assert.notEqual(remade.room, lost.room);
  await eventually(() => second.ready.get('r-new'), 'a live call without media gets a room');
  await eventually(async () => ((await second.janus.exists(stray.room)) ? null : true), 'the stray room is destroyed');

  // Access is re-applied to the kept room: the seat that lost its right is kicked and its token
  // removed, the new agent gets in.
  await eventually(() => old.kicked() || null, 'the old seat is kicked');
  await eventually(() => Browser.open(janus.wsUrl, keys.token(kept.room, 'agent:seat-Old')).then(() => null, () => true), "the old seat's token removed");
  const agent = await eventually(() => Browser.open(janus.wsUrl, keys.token(kept.room, 'agent:seat-R')), 'agent session');
  assert.equal((await agent.join(mediaFor(kept, 'agent:seat-R')))['videoroom'], 'joined');
  // Parties of the restored call that the restart kept get in to the new room of a lost call.
  const l = await eventually(() => Browser.open(janus.wsUrl, keys.token(remade.room, 'customer:l')), 'customer session in the remade room');
  assert.equal((await l.join(mediaFor(remade, 'customer:l')))['videoroom'], 'joined');

  // The kept room's secret is derivable: destroying it works.
  second.rooms.destroy('r-kept');
  await eventually(async () => ((await second.janus.exists(kept.room)) ? null : true), 'kept room destroyed at the end of its call');
  second.rooms.destroy('r-lost');
  second.rooms.destroy('r-new');
});

test('the whole control center on a locked Janus: each party joins with the token it is told; the rejecting seat is kicked and refused', async () => {
  const h = await startHarness({
    janusUrl: janus.wsUrl,
    janusAdminKey: janus.roomAdminKey ?? null,
    janusAdminUrl: janus.adminUrl ?? null,
    janusAdminSecret: janus.adminSecret ?? null,
  });
  stops.push(() => h.close());
  assert.equal((await h.http('/healthz')).body.janus, 'up', 'the control center opens its session with its own token');
  const a = await h.agent('lk-A', 1);
  await a.ok({ type: 'ready' });
  const c = await h.caller('lk-cust');
  await c.ok({ type: 'call', queue: 'q' });
  const media = (await c.next('call', (x) => x.media !== null)).media!;
  assert.equal(media.party, 'customer:lk-cust');
  const ring = await a.next('seat', (s) => split(s, 0).state === 'ringing' && split(s, 0).call!.media !== null);
  const aMedia = split(ring, 0).call!.media!;
  assert.equal(aMedia.party, 'agent:lk-A');

  const customer = await eventually(() => Browser.open(janus.wsUrl, media.token), "the customer's session");
  assert.equal((await customer.join(media))['videoroom'], 'joined');
  const seatA = await eventually(() => Browser.open(janus.wsUrl, aMedia.token), "seat A's session");
  await eventually(async () => (await seatA.join(aMedia))['videoroom'] === 'joined', 'seat A previews the ringing call');

  const b = await h.agent('lk-B', 1);
  await b.ok({ type: 'ready' });
  await a.ok({ type: 'reject', split: 0 });
  await eventually(() => seatA.kicked() || null, 'seat A is kicked at once');
  await eventually(() => Browser.open(janus.wsUrl, aMedia.token).then(() => null, () => true), "seat A's Janus token removed");
  const again = await seatA.join(aMedia);
  assert.ok(again['janusError'] || again['error_code'], 'seat A cannot come back');

  const ringB = await b.next('seat', (s) => split(s, 0).state === 'ringing' && split(s, 0).call!.media !== null);
  const bMedia = split(ringB, 0).call!.media!;
  assert.equal(bMedia.room, media.room);
  const seatB = await eventually(() => Browser.open(janus.wsUrl, bMedia.token), "seat B's session");
  await eventually(async () => (await seatB.join(bMedia))['videoroom'] === 'joined', 'seat B joins');
  assert.equal(customer.kicked(), false);
  await c.ok({ type: 'hangup' });
  await eventually(() => Browser.open(janus.wsUrl, media.token).then(() => null, () => true), "the customer's token removed with the call");
  await a.ok({ type: 'not-ready' }).catch(() => {});
});
