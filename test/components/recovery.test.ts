// A control-center outage as the elements meet it: the real WebSocket client over FakeSocket
// (the test plays the server, so it can close with 1012 or 1006 and come back with the same
// snapshot at version 1, as a restarted server does) and the fake media adapter. The media legs
// are Janus's business, not the control center's: they must live through the outage.
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import { WebSocketControlClient } from '../../components/control/ws-client.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import { CallerStore } from '../../core/caller-store.js';
import type { AgentMessage, CallView, CallerMessage, CustomerCallView, MediaInfo, SeatView } from '../../core/protocol.js';
import { SeatStore } from '../../core/seat-store.js';
import { FakeSocket, part, settle, splitEl, text, until } from './harness.js';

const room = (n: number): MediaInfo => ({ server: 'ws://janus.test', room: n, pin: 'p', token: `t-${n}` });
const since = 1_764_060_000_000;

function call(i: number): CallView {
  return {
    callId: `c-${i}`,
    kind: 'inbound',
    queue: 'claims',
    customer: { id: `cust-${i}`, name: `Customer ${i}` },
    virtualSeat: `seat-1:${i}`,
    since,
    media: room(100 + i),
    attention: null,
  };
}

/** seat-1 with a connected call on each split; a fresh object every time, as the wire gives. */
function seatView(version: number, opts: { idle?: number[] } = {}): SeatView {
  return {
    seatId: 'seat-1',
    version,
    ready: true,
    notReadyReason: null,
    focus: 0,
    splits: [0, 1].map((i) =>
      opts.idle?.includes(i)
        ? { index: i, channel: `seat-1:${i}`, state: 'idle' as const, call: null }
        : { index: i, channel: `seat-1:${i}`, state: 'connected' as const, call: call(i) },
    ),
  };
}

const fast = { initialMs: 5, maxMs: 20, jitter: 0, spreadMs: 0 };

/** The client's timers, held until the test lets them run: the outage lasts as long as it needs. */
class HeldTimers {
  private seq = 0;
  private readonly due = new Map<number, () => void>();
  setTimeout = (fn: () => void) => {
    this.due.set(++this.seq, fn);
    return this.seq;
  };
  clearTimeout = (h: unknown) => void this.due.delete(h as number);
  /** Runs what is due now (the reconnect; a liveness check finds no silence and waits again). */
  release(): void {
    const now = [...this.due.entries()];
    this.due.clear();
    for (const [, fn] of now) fn();
  }
}

/** The newest socket opens and its hello is answered: signed in. */
function signIn(): FakeSocket {
  const s = FakeSocket.last;
  s.open();
  s.acceptHello();
  return s;
}

/** Resolves once `video` presents a frame after now: its stream is still flowing. */
function nextFrame(video: HTMLVideoElement): () => boolean {
  let seen = false;
  video.requestVideoFrameCallback(() => (seen = true));
  return () => seen;
}

const CRM_EVENTS = ['seat-offer', 'seat-answer', 'seat-hangup', 'seat-focus', 'seat-transfer'] as const;

async function agentSeat() {
  FakeSocket.reset();
  const timers = new HeldTimers();
  const client = new WebSocketControlClient<AgentMessage>({ url: 'ws://cc.test', token: 'tok', role: 'agent', splits: 2, WebSocket: FakeSocket as never, backoff: fast, timers });
  const store = new SeatStore(client);
  const media = new FakeMediaAdapter({ audio: false });
  const el = await fixture<MultiSeat>(html`<multi-seat .store=${store} .mediaAdapter=${media} server="ws://cc.test" token="tok" ring="off" lang="en"></multi-seat>`);
  const first = signIn();
  first.reply({ type: 'seat', seat: seatView(7) });
  await settle(el);
  const videos = [0, 1].map((i) => splitEl(el, i));
  await until(() => videos.every((s) => part(s, 'remote-video')), 'the customers never showed');
  const crm: string[] = [];
  for (const name of CRM_EVENTS) el.addEventListener(name, () => crm.push(name));
  return { el, store, media, first, crm, timers };
}

const remoteVideo = (el: MultiSeat, i: number) => part(splitEl(el, i), 'remote-video') as HTMLVideoElement;

describe('recovery: a control-center outage keeps the calls on screen', () => {
  afterEach(() => FakeSocket.reset());

  for (const code of [1012, 1006]) {
    it(`<multi-seat>: through a ${code} and back, both legs keep playing, the bar says reconnecting, and the same snapshot (version 1) re-joins nothing`, async () => {
      const { el, media, first, crm, timers } = await agentSeat();
      const legs = [...media.joined];
      expect(legs).to.have.length(2);
      const videos = [remoteVideo(el, 0), remoteVideo(el, 1)];
      const streams = videos.map((v) => v.srcObject);

      first.serverClose(code);
      await settle(el);
      const bar = part(el, 'connection')!;
      expect(bar.dataset.state).to.equal('reconnecting');
      expect(text(bar), 'said to screen readers as well (the bar is a status region)').to.contain('Reconnecting');
      expect(bar.getAttribute('role')).to.equal('status');
      expect(media.legs.size, 'no leg closed').to.equal(2);
      expect(legs.map((l) => l.getState().status)).to.deep.equal(['live', 'live']);
      expect([remoteVideo(el, 0), remoteVideo(el, 1)], 'the same <video> elements').to.deep.equal(videos);
      const flowing = videos.map(nextFrame);
      await until(() => flowing.every((f) => f()), 'a video stopped during the outage');
      expect(el.store!.getState().connection.state, 'frames came while still away').to.not.equal('online');
      expect(splitEl(el, 0).dataset.state).to.equal('connected');

      timers.release();
      expect(FakeSocket.instances.length, 'reconnected').to.equal(2);
      await settle(el);
      expect(text(part(el, 'connection')), 'an attempt after a loss is not a first sign-in').to.equal('Reconnecting…');
      const second = signIn();
      expect(second.sent[0]).to.deep.include({ type: 'hello', splits: 2 });
      second.reply({ type: 'seat', seat: seatView(1) });
      await settle(el);
      expect(el.store!.getState().seat!.version, 'a new session: version 1 is taken').to.equal(1);
      expect(part(el, 'connection')!.dataset.state).to.equal('online');
      expect(media.joined.length, 'no new join').to.equal(2);
      expect(media.legs.size).to.equal(2);
      expect([remoteVideo(el, 0), remoteVideo(el, 1)]).to.deep.equal(videos);
      expect(videos.map((v) => v.srcObject)).to.deep.equal(streams);
      expect(crm, 'no screen pop again, no hang-up: the CRM saw nothing happen').to.deep.equal([]);
      expect(second.sent.map((m) => m.type), 'nothing answered again').to.deep.equal(['hello']);
      expect([0, 1].map((i) => splitEl(el, i).dataset.state)).to.deep.equal(['connected', 'connected']);
    });
  }

  it('<multi-seat>: the snapshot after hello is the truth: a call that ended while away leaves its pane, the other stays', async () => {
    const { el, media, first, crm, timers } = await agentSeat();
    const [leg0, leg1] = media.joined;
    const video0 = remoteVideo(el, 0);
    first.serverClose(1006);
    timers.release();
    signIn().reply({ type: 'seat', seat: seatView(1, { idle: [1] }) });
    await settle(el);
    expect(leg1!.getState().status, 'the ended call\'s leg is closed').to.equal('closed');
    expect(leg0!.getState().status).to.equal('live');
    expect(remoteVideo(el, 0)).to.equal(video0);
    expect(splitEl(el, 1).dataset.state).to.equal('idle');
    expect(crm).to.deep.equal(['seat-hangup']);
  });

  describe('<seat-caller>', () => {
    const connected = (): CustomerCallView => ({
      callId: 'c-0',
      state: 'connected',
      position: null,
      agent: { seat: 'seat-1', virtualSeat: 'seat-1:0' },
      media: room(100),
      endReason: null,
      focused: true,
      attention: null,
      kind: 'inbound',
    });

    async function customer() {
      FakeSocket.reset();
      const timers = new HeldTimers();
      const client = new WebSocketControlClient<CallerMessage>({ url: 'ws://cc.test', token: 'tok', role: 'caller', WebSocket: FakeSocket as never, backoff: fast, timers });
      const store = new CallerStore(client);
      const media = new FakeMediaAdapter({ audio: false });
      const el = await fixture<SeatCaller>(html`<seat-caller .store=${store} .mediaAdapter=${media} queue="claims" lang="en"></seat-caller>`);
      const first = signIn();
      first.reply({ type: 'call', call: connected() });
      await settle(el);
      await until(() => part(el, 'agent-video'), 'the agent never showed');
      return { el, media, first, timers };
    }

    it('through a 1012 and back with the same call: the agent video plays on, no new join; says reconnecting to screen readers', async () => {
      const { el, media, first, timers } = await customer();
      const video = part(el, 'agent-video') as HTMLVideoElement;
      first.serverClose(1012);
      await settle(el);
      const conn = part(el, 'connection')!;
      expect(conn.dataset.state).to.equal('reconnecting');
      expect(conn.getAttribute('role')).to.equal('status');
      expect(text(conn)).to.contain('Reconnecting');
      expect(el.dataset.state).to.equal('connected');
      const flowing = nextFrame(video);
      await until(flowing, 'the agent video stopped during the outage');
      timers.release();
      expect(FakeSocket.instances.length, 'reconnected').to.equal(2);
      await settle(el);
      expect(text(part(el, 'connection'))).to.equal('Reconnecting…');
      signIn().reply({ type: 'call', call: connected() });
      await settle(el);
      expect(part(el, 'connection')!.dataset.state).to.equal('online');
      expect(media.joined.length).to.equal(1);
      expect(media.joined[0]!.getState().status).to.equal('live');
      expect(part(el, 'agent-video')).to.equal(video);
    });

    it('back with no-call: the call is shown ended and its media closed, never "connected" forever', async () => {
      const { el, media, first, timers } = await customer();
      first.serverClose(1006);
      timers.release();
      signIn().reply({ type: 'no-call' });
      await settle(el);
      expect(el.dataset.state).to.equal('ended');
      expect(text(part(el, 'status'))).to.equal('The call has ended');
      expect(media.joined[0]!.getState().status).to.equal('closed');
      expect(part(el, 'agent-video')).to.equal(null);
      expect(part(el, 'call'), 'Call again is offered').to.exist;
    });
  });
});
