// End to end, a pool of two Janus (test/support/janus-pool-wtr.mjs, both locked): <multi-seat
// splits="2"> and two <seat-caller>s with live video; the two calls' rooms are on different
// Janus. The Janus of split 0's call is killed (SIGKILL by pid): after the grace its room is
// made on the other, both sides are told, the pane and the caller re-join there and the video
// comes back; the other call never stops; same calls, same splits, nobody answers again.
import { expect } from '@open-wc/testing';
import { waitFor } from './janus-helpers.js';
import { agentVideo, frameCounter, post, seatWithTwoCalls, splitVideo } from './live-floor.js';

interface Pool {
  id: number;
  url: string;
  ws: string;
  janus: [string, string];
}

const made: HTMLElement[] = [];
let pool: Pool | null = null;
afterEach(async () => {
  made.splice(0).forEach((e) => e.remove());
  if (pool) await post(`/__pool/${pool.id}/stop`);
  pool = null;
});

async function framesAdvance(count: () => number, n: number, what: string): Promise<void> {
  const start = count();
  await waitFor(() => count() >= start + n, `${what}: frames advancing`, 20_000);
}

/** A video that decodes, with a stream other than `not` (a re-joined leg). */
async function decoding(get: () => HTMLVideoElement | null, what: string, not: MediaProvider | null = null): Promise<HTMLVideoElement> {
  return waitFor(() => {
    const v = get();
    return v && v.videoWidth > 0 && v.srcObject && v.srcObject !== not ? v : null;
  }, what, 30_000);
}

describe('a pool of two Janus, one killed under a live call', () => {
  it('the call moves to the other Janus: the split and its caller get the new media and the video comes back; the other call never stops', async function () {
    this.timeout(180_000);
    pool = await post<Pool>('/__pool');
    const p = pool;
    const { seat, callers } = await seatWithTwoCalls('pool', p, 'seat-pool', made);
    const serverOf = (i: number) => seat.store!.getState().seat!.splits[i]!.call!.media!.server;
    expect([serverOf(0), serverOf(1)].sort(), 'one call on each Janus').to.deep.equal([...p.janus].sort());
    const dying = serverOf(0);
    const other = serverOf(1);

    const split0 = await decoding(() => splitVideo(seat, 0), 'split 0 video decoding');
    const caller0 = await decoding(() => agentVideo(callers[0]!), 'caller Ada video decoding');
    const split1 = await decoding(() => splitVideo(seat, 1), 'split 1 video decoding');
    const caller1 = await decoding(() => agentVideo(callers[1]!), 'caller Bo video decoding');
    const staying = [frameCounter(split1), frameCounter(caller1)];
    const steady = [split1.srcObject, caller1.srcObject];
    const old = [split0.srcObject, caller0.srcObject];
    const callIds = seat.store!.getState().seat!.splits.map((s) => s.call!.callId);
    const oldRoom = seat.store!.getState().seat!.splits[0]!.call!.media!.room;
    const crm: string[] = [];
    for (const name of ['seat-answer', 'seat-offer', 'seat-hangup'] as const) seat.addEventListener(name, () => crm.push(name));

    await post(`/__pool/${p.id}/kill?janus=${encodeURIComponent(dying)}`);

    await waitFor(() => serverOf(0) === other, "split 0's call is told its new room on the other Janus", 20_000);
    await waitFor(() => callers[0]!.call?.media?.server === other, 'the caller is told too', 20_000);
    expect(seat.store!.getState().seat!.splits[0]!.call!.media!.room).to.not.equal(oldRoom);
    const split0b = await decoding(() => splitVideo(seat, 0), "split 0's video back from the other Janus", old[0]);
    const caller0b = await decoding(() => agentVideo(callers[0]!), "the caller's video back from the other Janus", old[1]);
    await framesAdvance(frameCounter(split0b), 10, 'split 0 after the move');
    await framesAdvance(frameCounter(caller0b), 10, 'caller Ada after the move');
    for (const [k, c] of staying.entries()) await framesAdvance(c, 10, `the call that stayed (${k})`);

    expect(seat.store!.getState().seat!.splits.map((s) => s.call?.callId), 'the same calls on the same splits').to.deep.equal(callIds);
    expect(seat.store!.getState().seat!.splits.map((s) => s.state)).to.deep.equal(['connected', 'connected']);
    expect(callers.map((c) => c.call?.state)).to.deep.equal(['connected', 'connected']);
    expect(splitVideo(seat, 1)!.srcObject, 'split 1 kept its stream').to.equal(steady[0]);
    expect(agentVideo(callers[1]!)!.srcObject, 'caller Bo kept its stream').to.equal(steady[1]);
    expect(crm, 'no second answer, offer or hang-up').to.deep.equal([]);
  });
});
