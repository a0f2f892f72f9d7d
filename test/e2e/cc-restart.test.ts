// End to end, "never lose a call": a control center in a child process (test/support/
// cc-process-wtr.mjs) with a --db file, a real Janus, <multi-seat splits="2"> and two
// <seat-caller>s with live video. The control center is killed (SIGKILL by pid: a crash, no
// 1012) and started again on the same file and port. The media never went through it, so every
// video keeps presenting frames throughout, and the panes come back connected with the same
// calls, the same <video> elements and streams, and no second answer.
import { expect } from '@open-wc/testing';
import { waitFor } from './janus-helpers.js';
import { agentVideo, frameCounter, post, seatWithTwoCalls, splitVideo } from './live-floor.js';

interface Proc {
  id: number;
  url: string;
  ws: string;
  pid: number;
}

const made: HTMLElement[] = [];
let proc: Proc | null = null;
afterEach(async () => {
  made.splice(0).forEach((e) => e.remove());
  if (proc) await post(`/__ccproc/${proc.id}/stop`);
  proc = null;
});

const pauses = new WeakMap<HTMLVideoElement, string[]>();
/** Notes when and why a video paused (the page or the browser), for a failure message. */
function watchPauses(v: HTMLVideoElement, state: () => string): void {
  pauses.set(v, []);
  v.addEventListener('pause', () => pauses.get(v)?.push(`${Math.round(performance.now())}ms ${state()} muted=${v.muted}`));
}

/** What a <video> is doing, for a failure message. */
function describeVideo(v: HTMLVideoElement): string {
  const tracks = (v.srcObject as MediaStream | null)?.getTracks().map((t) => `${t.kind}:${t.readyState}${t.muted ? ':muted' : ''}`) ?? [];
  return `in page=${v.isConnected} muted=${v.muted} paused=${v.paused} pauses=${JSON.stringify(pauses.get(v) ?? [])} t=${v.currentTime.toFixed(2)} ready=${v.readyState} tracks=[${tracks.join(' ')}]`;
}

/** Waits until every counter has moved on by `n` frames from now. */
async function framesAdvance(counters: Map<string, () => number>, n: number, when: string, videos: Map<string, HTMLVideoElement>): Promise<void> {
  const start = new Map([...counters].map(([k, c]) => [k, c()]));
  const behind = () => [...counters].filter(([k, c]) => c() < start.get(k)! + n).map(([k]) => k);
  await waitFor(() => behind().length === 0, `${when}: frames advancing on every video`, 15_000).catch((e: Error) => {
    throw new Error(`${e.message}; stalled: ${behind().map((k) => `${k} (${describeVideo(videos.get(k)!)})`).join('; ')}`);
  });
}

describe('control center crash and restart (SIGKILL, same --db and port) with two live calls', () => {
  it('both split videos and both callers keep playing through the outage; the panes come back connected with the same calls, no re-answer', async function () {
    this.timeout(180_000);
    // Every video stays in view whatever messages appear: Chromium pauses a muted video that
    // autoplays off screen, and presents no frames of one it does not show.
    proc = await post<Proc>('/__ccproc');
    const p = proc;
    const { seat, callers } = await seatWithTwoCalls('ccproc', p, 'seat-restart', made);

    const videos = new Map<string, HTMLVideoElement>();
    for (const i of [0, 1]) videos.set(`split ${i}`, await waitFor(() => { const v = splitVideo(seat, i); return v && v.videoWidth > 0 ? v : null; }, `split ${i} video decoding`, 20_000));
    for (const c of callers) videos.set(`caller ${c.getAttribute('name')}`, await waitFor(() => { const v = agentVideo(c); return v && v.videoWidth > 0 ? v : null; }, `caller ${c.getAttribute('name')} video decoding`, 20_000));
    const streams = new Map([...videos].map(([k, v]) => [k, v.srcObject]));
    const counters = new Map([...videos].map(([k, v]) => [k, frameCounter(v)]));
    for (const v of videos.values()) watchPauses(v, () => seat.store?.getState().connection.state ?? 'gone');
    await framesAdvance(counters, 10, 'before the crash', videos);

    const callIds = seat.store!.getState().seat!.splits.map((s) => s.call?.callId);
    const callerCallIds = callers.map((c) => c.call!.callId);
    const roomsOf = () => seat.store!.getState().seat!.splits.map((s) => s.call?.media && `${s.call.media.server}#${s.call.media.room}`);
    const rooms = roomsOf();
    expect(callIds.every(Boolean)).to.equal(true);
    const crm: string[] = [];
    for (const name of ['seat-answer', 'seat-offer', 'seat-hangup'] as const) seat.addEventListener(name, () => crm.push(name));
    const callerEnds: string[] = [];
    for (const c of callers) c.addEventListener('seat-call-change', (e) => e.detail.call?.state === 'ended' && callerEnds.push(c.getAttribute('name')!));

    const killedAt = Math.round(performance.now());
    await post(`/__ccproc/${p.id}/kill`);
    await waitFor(() => seat.store!.getState().connection.state !== 'online', 'the seat noticed the crash');
    await waitFor(() => callers.every((c) => c.store!.getState().connection.state !== 'online'), 'the callers noticed the crash');
    const bar = seat.shadowRoot!.querySelector<HTMLElement>('[part~="connection"]')!;
    expect(['reconnecting', 'connecting']).to.include(bar.dataset.state);
    // The control center is down until the test starts it again: every frame counted here came without it.
    await framesAdvance(counters, 20, `while the control center is down (killed at ${killedAt}ms)`, videos);
    expect(seat.store!.getState().seat!.splits.map((s) => s.state), 'the panes still show their calls').to.deep.equal(['connected', 'connected']);

    await post(`/__ccproc/${p.id}/start`);
    await waitFor(() => seat.store!.getState().connection.state === 'online', 'the seat is back online', 30_000);
    await waitFor(() => callers.every((c) => c.store!.getState().connection.state === 'online'), 'the callers are back online', 30_000);
    await waitFor(() => seat.store!.getState().seat!.splits.every((s) => s.state === 'connected'), 'both splits connected again', 15_000);
    expect(seat.store!.getState().seat!.splits.map((s) => s.call?.callId), 'the same calls').to.deep.equal(callIds);
    expect(callers.map((c) => c.call?.callId)).to.deep.equal(callerCallIds);
    expect(roomsOf(), 'the same media rooms (Janus kept them; the restarted control center must not make new ones)').to.deep.equal(rooms);
    expect(callers.map((c) => c.call?.state)).to.deep.equal(['connected', 'connected']);
    await framesAdvance(counters, 20, 'after the restart', videos);

    for (const [i, key] of ['split 0', 'split 1'].entries()) {
      expect(splitVideo(seat, i), `${key}: the same <video>`).to.equal(videos.get(key));
      expect(splitVideo(seat, i)!.srcObject, `${key}: the same stream, not a new subscription`).to.equal(streams.get(key));
    }
    for (const c of callers) {
      const key = `caller ${c.getAttribute('name')}`;
      expect(agentVideo(c), `${key}: the same <video>`).to.equal(videos.get(key));
      expect(agentVideo(c)!.srcObject, `${key}: the same stream`).to.equal(streams.get(key));
    }
    expect(crm, 'no second answer, offer or hang-up').to.deep.equal([]);
    expect(callerEnds).to.deep.equal([]);
    expect(bar.dataset.state).to.equal('online');
  });
});
