// Focus-aware media against a real control center and a real Janus (issue 13): three connected
// splits, customers publishing VP8 simulcast from a 1280×720 fake camera. The focused split
// decodes the customer's full layer, the others the low one; a focus change switches both. An
// unfocused customer who speaks lights its split (Janus's audio levels): Chromium's fake
// microphone beeps on every page, so the other customers' microphones are muted for that part.
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import { JanusMediaAdapter } from '../../components/media/janus-adapter.js';
import { SIMULCAST_CAPTURE } from '../../components/media/janus-quality.js';
import { waitFor } from './janus-helpers.js';
import { clickWhenEnabled, splitEl, splitVideo } from './live-floor.js';

async function cc(): Promise<{ ws: string }> {
  const res = await fetch('/__cc');
  const body = await res.json();
  if (!res.ok) throw new Error(`control center did not start: ${body.error}`);
  return body;
}

async function token(role: 'agent' | 'caller', sub: string): Promise<string> {
  const body = await (await fetch(`/__cc/token?role=${role}&sub=${encodeURIComponent(sub)}`)).json();
  if (!body.token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.token;
}

const made: HTMLElement[] = [];
afterEach(() => made.splice(0).forEach((e) => e.remove()));

/** The width of the frames split `i` decodes now (0 before the first). */
const width = (seat: MultiSeat, i: number) => splitVideo(seat, i)?.videoWidth ?? 0;

/** The customer's own microphone track as this page sends it (the leg's clone). */
function customerMic(c: SeatCaller): MediaStreamTrack | undefined {
  return (c.shadowRoot!.querySelector<HTMLVideoElement>('video[part~="self-view"]')?.srcObject as MediaStream | null)?.getAudioTracks()[0];
}

describe('issue 13: focus-aware media with a real Janus', () => {
  it('the focused split receives the high simulcast layer and the others the low; a focus change switches both; an unfocused customer who speaks lights the split', async function () {
    this.timeout(180_000);
    // Every element in view: Chromium decodes no frames of a video it does not show.
    await setViewport({ width: 1600, height: 1000 });
    const { ws } = await cc();
    const tag = Math.random().toString(36).slice(2, 8);
    const seatId = `seat-focus-${tag}`;
    const seat = document.createElement('multi-seat') as MultiSeat;
    seat.setAttribute('server', ws);
    seat.setAttribute('token', await token('agent', seatId));
    seat.setAttribute('splits', '3');
    seat.setAttribute('ring', 'off');
    seat.setAttribute('lang', 'en');
    seat.setAttribute('style', 'position:fixed;left:0;top:0;width:1000px');
    // One page holds the agent and the customers, and Chromium's fake camera is one device: opened
    // first at 640×480 by the agent, it would stay that size for the customers too, and 640×480
    // makes two simulcast layers, not three. On their own devices each side opens its own size.
    seat.mediaAdapter = new JanusMediaAdapter({ localStream: () => navigator.mediaDevices.getUserMedia({ audio: true, video: SIMULCAST_CAPTURE }) });
    document.body.append(seat);
    made.push(seat);
    await waitFor(() => seat.store?.getState().seat?.seatId === seatId, 'the seat signed in', 15_000);
    await seat.store!.ready();

    const callers: SeatCaller[] = [];
    for (const [i, name] of ['Ada', 'Bo', 'Cy'].entries()) {
      const c = document.createElement('seat-caller') as SeatCaller;
      c.setAttribute('server', ws);
      c.setAttribute('token', await token('caller', `cust-${name}-${tag}`));
      c.setAttribute('queue', 'claims');
      c.setAttribute('name', name);
      c.setAttribute('style', `position:fixed;right:0;top:${i * 330}px;width:560px;height:320px`);
      document.body.append(c);
      made.push(c);
      callers.push(c);
      await clickWhenEnabled(c, 'call');
      await waitFor(() => seat.store!.getState().seat?.splits[i]?.state === 'ringing', `split ${i} ringing`, 15_000);
      await clickWhenEnabled(splitEl(seat, i), 'answer');
      await waitFor(() => seat.store!.getState().seat?.splits[i]?.state === 'connected', `split ${i} connected`);
    }

    // Split 2 was answered last and has focus (R9): the full layer there, the low one elsewhere.
    // Simulcast layers ramp up as the customer's encoder warms, so wait for the widths to settle.
    const layers = () => [0, 1, 2].map((i) => width(seat, i));
    // On two cores the customers' encoders may drop their top layer for CPU: "high" is then the
    // middle one (640), still well above the low layer (320) the unfocused splits must get.
    const high = (i: number) => width(seat, i) >= 640;
    const low = (i: number) => width(seat, i) > 0 && width(seat, i) <= 320;
    await waitFor(() => high(2) && low(0) && low(1), 'split 2 high, 0 and 1 low', 60_000).catch((e) => {
      throw new Error(`${e.message}: decoded widths ${layers()}`);
    });

    // Focus to split 0: it goes up to the full layer, split 2 down to the low one.
    await seat.store!.focus(0);
    await waitFor(() => high(0) && low(2), 'focus to split 0: it goes high, split 2 low', 30_000).catch((e) => {
      throw new Error(`${e.message}: decoded widths ${layers()}`);
    });
    expect(low(1), 'split 1 stays low').to.equal(true);
    // And back, through the split's own control.
    await clickWhenEnabled(splitEl(seat, 2), 'focus');
    await waitFor(() => high(2) && low(0), 'focus back to split 2: it goes high, split 0 low', 30_000).catch((e) => {
      throw new Error(`${e.message}: decoded widths ${layers()}`);
    });

    // Only Bo (split 1, not in focus) speaks: the others' microphones are muted.
    for (const c of [callers[0]!, callers[2]!]) {
      const mic = await waitFor(() => customerMic(c), `${c.name}'s microphone`);
      mic.enabled = false;
    }
    const s1 = splitEl(seat, 1);
    // Ada may have spoken before her microphone was muted: wait for Bo's event.
    const talked = new Promise<CustomEvent>((resolve) =>
      seat.addEventListener('seat-talking', (e) => {
        if ((e as CustomEvent).detail.split === 1 && (e as CustomEvent).detail.talking) resolve(e as CustomEvent);
      }),
    );
    await waitFor(() => s1.hasAttribute('data-talking'), 'split 1 lights up while Bo speaks', 30_000);
    const e = await talked;
    expect([e.detail.split, e.detail.talking]).to.deep.equal([1, true]);
    expect(s1.shadowRoot!.querySelector('[part~="talking"]')?.textContent?.trim()).to.equal('Speaking');
    expect(splitEl(seat, 2).hasAttribute('data-talking'), 'a muted customer does not light up').to.equal(false);

    for (const c of callers) await clickWhenEnabled(c, 'hangup');
  });
});
