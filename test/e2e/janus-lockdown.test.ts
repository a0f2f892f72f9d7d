// Issue 10, item 6, in Chromium with real WebRTC: the real control center (demo mode, started by
// web-test-runner.e2e.config.mjs) makes rooms that admit only a call's parties. A seat previewing
// a ringing call (subscribed to the customer's video) rejects it: Janus kicks it at once, its leg
// fails, and joining again with the media it was told is refused.
import { expect } from '@open-wc/testing';
import { JanusMediaAdapter } from '../../components/media/janus-adapter.js';
import type { CustomerCallView, SeatView } from '../../core/protocol.js';
import { provePlaying, remoteVideo, roomInfo, waitFor, waitStatus } from './janus-helpers.js';

async function get<T>(path: string): Promise<T> {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${body.error}`);
  return body as T;
}

/** A protocol client: sends messages, keeps every frame it hears. */
class Peer {
  readonly heard: any[] = [];
  private seq = 0;
  private constructor(private readonly ws: WebSocket) {
    ws.onmessage = (e) => this.heard.push(JSON.parse(String(e.data)));
  }
  static async open(url: string): Promise<Peer> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return new Peer(ws);
  }
  send(m: Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ id: String(++this.seq), ...m }));
  }
  last<T>(type: string, ok: (m: any) => boolean): T | null {
    for (let i = this.heard.length - 1; i >= 0; i--) if (this.heard[i].type === type && ok(this.heard[i])) return this.heard[i] as T;
    return null;
  }
  close(): void {
    this.ws.close();
  }
}

const adapters: JanusMediaAdapter[] = [];
const peers: Peer[] = [];
afterEach(async () => {
  peers.splice(0).forEach((p) => p.close());
  await Promise.all(adapters.splice(0).map((a) => a.dispose()));
});

describe('Janus lockdown (real control center, real Janus, real WebRTC)', () => {
  it('a seat that rejects the call it previews is kicked with its subscription and cannot join again', async () => {
    const { ws } = await get<{ ws: string }>('/__cc');
    const suffix = Math.random().toString(36).slice(2, 8);
    const seatId = `lk-seat-${suffix}`;
    const customerId = `lk-cust-${suffix}`;
    const agent = await Peer.open(`${ws}/v1/agent`);
    const caller = await Peer.open(`${ws}/v1/caller`);
    peers.push(agent, caller);
    agent.send({ type: 'hello', token: (await get<{ token: string }>(`/__cc/token?role=agent&sub=${seatId}`)).token, splits: 1 });
    caller.send({ type: 'hello', token: (await get<{ token: string }>(`/__cc/token?role=caller&sub=${customerId}`)).token });
    await waitFor(() => agent.last('seat', () => true), 'seat snapshot');
    agent.send({ type: 'ready' });
    caller.send({ type: 'call', queue: `lk-${suffix}` });

    const call = await waitFor(() => caller.last<{ call: CustomerCallView }>('call', (m) => m.call.media !== null), 'call with media');
    const media = call.call.media!;
    expect(media.party).to.equal(`customer:${customerId}`);
    expect(media.token, 'the customer is told its token').to.be.a('string');
    const customerLeg = new JanusMediaAdapter();
    adapters.push(customerLeg);
    const c = customerLeg.join(media, { display: 'customer', publish: true, focused: true });
    await waitStatus(c, 'live');

    const ring = await waitFor(
      () => agent.last<{ seat: SeatView }>('seat', (m) => m.seat.splits[0]?.state === 'ringing' && m.seat.splits[0].call?.media),
      'ringing with media',
    );
    const aMedia = ring.seat.splits[0]!.call!.media!;
    expect(aMedia.room).to.equal(media.room);
    expect(aMedia.token).to.not.equal(media.token);
    const seatAdapter = new JanusMediaAdapter();
    adapters.push(seatAdapter);
    const preview = seatAdapter.join(aMedia, { display: 'agent', publish: false, focused: false });
    await waitStatus(preview, 'live');
    const v = await provePlaying(await remoteVideo(preview));
    v.remove();
    const before = await roomInfo(media.room);
    expect(before.participants.map((p) => p.display).sort()).to.deep.equal([`agent:${seatId}`, `customer:${customerId}`]);

    agent.send({ type: 'reject', split: 0 });
    const failed = await waitStatus(preview, 'failed');
    expect(failed.error).to.match(/removed this party/);
    expect(failed.remote, 'no remote video after the kick').to.equal(null);
    await waitFor(async () => (await roomInfo(media.room)).participants.every((p) => p.display !== `agent:${seatId}`), 'the seat is out of the room');

    // The media it was told no longer opens the room (after the adapter's short retries).
    const again = seatAdapter.join(aMedia, { display: 'agent', publish: false, focused: false });
    const refused = await waitStatus(again, 'failed', 10_000);
    expect(refused.error).to.match(/not allowed|Unauthorized|cannot reach/);
    expect(c.getState().status, "the customer's leg is untouched").to.equal('live');
    caller.send({ type: 'hangup' });
  });
});
