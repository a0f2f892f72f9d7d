/**
 * What the browser tests against a real control center share: a control center started by a
 * web-test-runner plugin (`/__<name>` routes: start, token, stop), the elements' videos and
 * buttons, and a seat with two answered calls, each customer in its own <seat-caller>.
 */
import { setViewport } from '@web/test-runner-commands';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import { waitFor } from './janus-helpers.js';

/** A control center a plugin started: `ws` for the elements, `id` for its routes. */
export interface Started {
  id: number;
  ws: string;
}

export async function post<T>(path: string): Promise<T> {
  const res = await fetch(path, { method: 'POST' });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${body.error}`);
  return body as T;
}

/** A token from the plugin at `/__<route>/<id>/token`. */
export async function token(route: string, p: Started, role: 'agent' | 'caller', sub: string): Promise<string> {
  const res = await fetch(`/__${route}/${p.id}/token?role=${role}&sub=${encodeURIComponent(sub)}`);
  const body = await res.json();
  if (!body.token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.token;
}

export const splitEl = (seat: MultiSeat, i: number) => seat.shadowRoot!.querySelectorAll('seat-split')[i] as HTMLElement;
const inShadow = (host: HTMLElement | undefined, sel: string) => host?.shadowRoot?.querySelector<HTMLVideoElement>(sel) ?? null;
export const splitVideo = (seat: MultiSeat, i: number) => inShadow(splitEl(seat, i), 'video[part~="remote-video"]');
export const agentVideo = (c: SeatCaller) => inShadow(c, 'video[part~="agent-video"]');

export async function clickWhenEnabled(host: HTMLElement, part: string): Promise<void> {
  const b = await waitFor(() => {
    const x = host.shadowRoot!.querySelector<HTMLButtonElement>(`button[part~="${part}"]`);
    return x && !x.disabled ? x : null;
  }, `enabled ${part} in <${host.localName}>`, 15_000);
  b.click();
}

/** Counts the frames a <video> presents, for as long as the page lives. */
export function frameCounter(video: HTMLVideoElement): () => number {
  let frames = 0;
  const next = () =>
    video.requestVideoFrameCallback(() => {
      frames++;
      next();
    });
  next();
  return () => frames;
}

/**
 * A seat with two splits on the left and two customers on the right, both calls answered and
 * connected. Every element stays in view: Chromium pauses a muted video that autoplays off
 * screen, and presents no frames of one it does not show.
 */
export async function seatWithTwoCalls(route: string, p: Started, seatPrefix: string, made: HTMLElement[]): Promise<{ seat: MultiSeat; callers: SeatCaller[]; tag: string }> {
  await setViewport({ width: 1400, height: 1000 });
  const place = (el: HTMLElement, css: string) => el.setAttribute('style', `position:fixed;${css}`);
  const tag = Math.random().toString(36).slice(2, 8);
  const seatId = `${seatPrefix}-${tag}`;
  const seat = document.createElement('multi-seat') as MultiSeat;
  seat.setAttribute('server', p.ws);
  seat.setAttribute('token', await token(route, p, 'agent', seatId));
  seat.setAttribute('splits', '2');
  seat.setAttribute('ring', 'off');
  seat.setAttribute('lang', 'en');
  place(seat, 'left:0;top:0;width:900px');
  document.body.append(seat);
  made.push(seat);
  await waitFor(() => seat.store?.getState().seat?.seatId === seatId, 'the seat signed in', 15_000);
  await seat.store!.ready();

  const callers: SeatCaller[] = [];
  for (const [i, name] of ['Ada', 'Bo'].entries()) {
    const c = document.createElement('seat-caller') as SeatCaller;
    c.setAttribute('server', p.ws);
    c.setAttribute('token', await token(route, p, 'caller', `cust-${name}-${tag}`));
    c.setAttribute('queue', 'claims');
    c.setAttribute('name', name);
    place(c, `right:0;top:${i * 500}px;width:420px`);
    document.body.append(c);
    made.push(c);
    callers.push(c);
    await clickWhenEnabled(c, 'call');
    await waitFor(() => seat.store!.getState().seat?.splits[i]?.state === 'ringing', `split ${i} ringing`, 15_000);
    await clickWhenEnabled(splitEl(seat, i), 'answer');
    await waitFor(() => seat.store!.getState().seat?.splits[i]?.state === 'connected', `split ${i} connected`);
    await waitFor(() => c.call?.state === 'connected', `caller ${name} connected`);
  }
  return { seat, callers, tag };
}
