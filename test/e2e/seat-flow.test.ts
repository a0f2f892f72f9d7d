// End to end, issue 4: a real control center (server/server.ts, demo mode) and a real Janus,
// both started by web-test-runner.e2e.config.mjs; one <multi-seat splits="2"> and three
// <seat-caller>s on this page, real WebRTC through Janus with Chromium's fake camera and mic.
import { expect } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import type { SplitState } from '../../core/protocol.js';
import { roomInfo, waitFor } from './janus-helpers.js';

interface CC {
  url: string;
  ws: string;
}

async function cc(): Promise<CC> {
  const res = await fetch('/__cc');
  const body = await res.json();
  if (!res.ok) throw new Error(`control center did not start: ${body.error}`);
  return body;
}

async function token(role: 'agent' | 'caller', sub: string): Promise<string> {
  const res = await fetch(`/__cc/token?role=${role}&sub=${encodeURIComponent(sub)}`);
  const body = await res.json();
  if (!body.token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.token;
}

const made: HTMLElement[] = [];
afterEach(() => {
  made.splice(0).forEach((e) => e.remove());
});

function splitEl(seat: MultiSeat, i: number): HTMLElement {
  const s = seat.shadowRoot!.querySelectorAll('seat-split')[i] as HTMLElement | undefined;
  if (!s) throw new Error(`no seat-split ${i}`);
  return s;
}

function splitState(seat: MultiSeat, i: number): SplitState | undefined {
  return seat.store?.getState().seat?.splits[i]?.state;
}

/** The button with this part inside split i (or inside a caller). */
function button(host: HTMLElement, part: string): HTMLButtonElement | null {
  return host.shadowRoot!.querySelector<HTMLButtonElement>(`button[part~="${part}"]`);
}

async function click(host: HTMLElement, part: string): Promise<void> {
  const b = await waitFor(() => {
    const x = button(host, part);
    return x && !x.disabled ? x : null;
  }, `enabled button ${part} in <${host.localName}>`);
  b.click();
}

/** Proves a <video> decodes: videoWidth > 0 and currentTime advancing. */
async function decoding(v: () => HTMLVideoElement | null | undefined, what: string): Promise<HTMLVideoElement> {
  const video = await waitFor(() => {
    const x = v();
    return x && x.videoWidth > 0 ? x : null;
  }, `${what}: videoWidth > 0`, 15_000).catch((e) => {
    const x = v();
    throw new Error(
      `${e.message}; video: ${x ? `paused=${x.paused} muted=${x.muted} readyState=${x.readyState} tracks=${(x.srcObject as MediaStream | null)?.getTracks().map((t) => `${t.kind}:${t.readyState}:${t.muted ? 'muted' : 'unmuted'}`)}` : 'none'}`,
    );
  });
  const t0 = video.currentTime;
  await waitFor(() => video.currentTime > t0 + 0.1, `${what}: currentTime advancing`, 10_000);
  return video;
}

const remoteVideo = (seat: MultiSeat, i: number) => splitEl(seat, i).shadowRoot!.querySelector<HTMLVideoElement>('video[part~="remote-video"]');
const selfView = (seat: MultiSeat, i: number) => splitEl(seat, i).shadowRoot!.querySelector<HTMLVideoElement>('video[part~="self-view"]');
const micOf = (seat: MultiSeat, i: number) => (selfView(seat, i)?.srcObject as MediaStream | null)?.getAudioTracks()[0];

async function caller(server: string, name: string): Promise<SeatCaller> {
  const el = document.createElement('seat-caller') as SeatCaller;
  el.setAttribute('server', server);
  el.setAttribute('token', await token('caller', `cust-${name}-${Math.random().toString(36).slice(2, 8)}`));
  el.setAttribute('queue', 'claims');
  el.setAttribute('name', name);
  document.body.append(el);
  made.push(el);
  return el;
}

describe('issue 4 end to end: control center + Janus + <multi-seat splits="2"> + three <seat-caller>s', () => {
  it('rings one split at a time (R2), answers with live video, moves audio with focus (R10), hangs up and destroys the room', async function () {
    this.timeout(120_000);
    const { ws } = await cc();
    const seatId = `seat-e2e-${Math.random().toString(36).slice(2, 8)}`;
    const seat = document.createElement('multi-seat') as MultiSeat;
    seat.setAttribute('server', ws);
    seat.setAttribute('token', await token('agent', seatId));
    seat.setAttribute('splits', '2');
    seat.setAttribute('ring', 'off');
    document.body.append(seat);
    made.push(seat);
    await waitFor(() => seat.store?.getState().seat?.seatId === seatId, 'the seat signed in');
    await seat.store!.ready();
    await waitFor(() => seat.store!.getState().seat?.ready, 'seat ready');

    // First caller: split 0 rings alone.
    const c1 = await caller(ws, 'Ada');
    await click(c1, 'call');
    await waitFor(() => splitState(seat, 0) === 'ringing', 'split 0 ringing');
    expect(splitState(seat, 1)).to.equal('idle');

    // Second caller waits silently while split 0 rings (R2).
    const c2 = await caller(ws, 'Bo');
    await click(c2, 'call');
    await waitFor(() => c2.call?.state === 'queued', 'caller 2 queued');
    await waitFor(() => seat.store!.getState().waiting === 1, 'one call waiting');
    await new Promise((r) => setTimeout(r, 500));
    expect(splitState(seat, 1), 'R2: no second ringing split').to.equal('idle');
    expect(c2.call?.state).to.equal('queued');

    // Preview (on by default): the ringing pane already plays the customer, muted, and the agent
    // sends nothing yet.
    const preview = await decoding(() => remoteVideo(seat, 0), 'split 0 preview while ringing');
    expect(preview.muted, 'preview is muted').to.equal(true);
    expect(selfView(seat, 0), 'no camera while ringing').to.equal(null);

    // Answer split 0: connected, live customer video in the pane, and only then split 1 rings.
    await click(splitEl(seat, 0), 'answer');
    await waitFor(() => splitState(seat, 0) === 'connected', 'split 0 connected');
    await waitFor(() => splitState(seat, 1) === 'ringing', 'split 1 ringing after the answer');
    await decoding(() => remoteVideo(seat, 0), 'split 0 customer video').catch((e) => {
      const legs = [...((seat.mediaAdapter as any)?.legs ?? [])].map((l: any) => ({ st: l.getState(), media: l.media, opts: l.options }));
      const cl = [...((c1.mediaAdapter as any)?.legs ?? [])].map((l: any) => ({ st: l.getState(), media: l.media, opts: l.options }));
      throw new Error(`${e.message}\nstage: ${splitEl(seat, 0).shadowRoot!.querySelector('.stage')?.textContent}\nadapter: ${seat.mediaAdapter?.constructor.name} legs ${JSON.stringify(legs)}\ncaller adapter ${c1.mediaAdapter?.constructor.name} ${JSON.stringify(cl)} call ${JSON.stringify(c1.call)}`);
    });
    await waitFor(() => c1.call?.state === 'connected', 'caller 1 connected');
    await decoding(() => c1.shadowRoot!.querySelector<HTMLVideoElement>('video[part~="agent-video"]'), 'caller 1 sees the agent');
    expect(remoteVideo(seat, 0), 'answering keeps the preview <video>: no blink').to.equal(preview);
    expect(seat.store!.getState().seat?.focus, 'R9: focus on the answered split').to.equal(0);
    await waitFor(() => micOf(seat, 0)?.enabled === true, 'split 0 mic open');
    expect(remoteVideo(seat, 0)!.muted, 'split 0 heard').to.equal(false);

    // Third caller waits while split 1 rings.
    const c3 = await caller(ws, 'Cy');
    await click(c3, 'call');
    await waitFor(() => c3.call?.state === 'queued', 'caller 3 queued');

    // Answer split 1: focus and audio move to it; split 0's video keeps flowing.
    await click(splitEl(seat, 1), 'answer');
    await waitFor(() => splitState(seat, 1) === 'connected', 'split 1 connected');
    await decoding(() => remoteVideo(seat, 1), 'split 1 customer video');
    await waitFor(() => seat.store!.getState().seat?.focus === 1, 'focus on split 1');
    await waitFor(() => micOf(seat, 1)?.enabled === true && micOf(seat, 0)?.enabled === false, 'R10: mic moved to split 1');
    await waitFor(() => remoteVideo(seat, 0)!.muted && !remoteVideo(seat, 1)!.muted, 'R10: only split 1 heard');
    await decoding(() => remoteVideo(seat, 0), 'split 0 video still flowing while unfocused');
    await waitFor(() => c1.call?.focused === false && c2.call?.focused === true, 'callers told who has focus');

    // Focus back to split 0 through its focus control.
    await click(splitEl(seat, 0), 'focus');
    await waitFor(() => seat.store!.getState().seat?.focus === 0, 'focus back on split 0');
    await waitFor(() => micOf(seat, 0)?.enabled === true && micOf(seat, 1)?.enabled === false, 'R10: mic back on split 0');
    await waitFor(() => !remoteVideo(seat, 0)!.muted && remoteVideo(seat, 1)!.muted, 'R10: only split 0 heard');

    // Hang up split 0: the split is freed, the call's room is destroyed, and caller 3 rings there.
    const room = seat.store!.getState().seat!.splits[0].call!.media!.room;
    expect((await roomInfo(room)).exists).to.equal(true);
    await click(splitEl(seat, 0), 'hangup');
    await waitFor(() => c1.call?.state === 'ended', 'caller 1 ended');
    expect(c1.call?.endReason).to.equal('agent-hangup');
    await waitFor(async () => !(await roomInfo(room)).exists, 'the call room destroyed');
    await waitFor(() => splitState(seat, 0) === 'ringing' && seat.store!.getState().seat!.splits[0].call?.customer.name === 'Cy', 'caller 3 rings the freed split 0');
    expect(remoteVideo(seat, 1)?.srcObject, 'split 1 still has its video').to.be.instanceOf(MediaStream);

    // Clean up: the customers hang up.
    await click(c2, 'hangup');
    await click(c3, 'hangup');
    await waitFor(() => splitState(seat, 0) !== 'ringing' && splitState(seat, 1) !== 'connected', 'splits freed');
  });
});
