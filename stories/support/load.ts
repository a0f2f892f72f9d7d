/**
 * The "four splits under load" scenario: simulated customers arrive at random, talk, upload on
 * their own, ask for the agent back (R18) and hang up, all on timers; an optional auto-agent
 * answers, takes the longest-waiting request and ends wrap-up, so the story runs unattended.
 */
import type { SeatState, SeatStore } from '../../core/seat-store.js';
import { QUEUE, type Scenario, until } from './scenario.js';

export interface LoadOptions {
  /** Mean seconds between arrivals (exponential). */
  arrivalSec: number;
  /** Seconds a customer uploads alone before asking for the agent back. */
  uploadSec: number;
  /** Seconds of the whole call, after which the customer hangs up. */
  callSec: number;
  /** Answer, refocus and end wrap-up by itself. */
  autoAgent: boolean;
  /** No new arrival while this many calls wait. */
  maxWaiting: number;
}

export const loadDefaults: LoadOptions = { arrivalSec: 5, uploadSec: 10, callSec: 40, autoAgent: true, maxWaiting: 3 };

const NAMES = ['Alice Chen', 'Bruno Díaz', 'Chidi Okafor', 'Dana Kowalski', 'Emil Larsen', 'Fatima Haddad', 'Gao Min', 'Hana Sato', 'Ivan Petrov', 'Jules Martin'];

/** Random around `mean` (±40%), in ms. */
const around = (mean: number) => mean * 1000 * (0.6 + Math.random() * 0.8);

export async function runLoad(sc: Scenario, seat: SeatStore, o: LoadOptions): Promise<void> {
  await until(seat, (s: SeatState) => !!s.seat);
  await seat.ready();
  let n = 0;

  const arrive = () => {
    if (!sc.active) return;
    if (seat.getState().waiting < o.maxWaiting) {
      const id = `load-${++n}`;
      const client = sc.customer(id);
      let connectedOnce = false;
      client.subscribe((e) => {
        if (e.type !== 'message' || e.message.type !== 'call') return;
        const call = e.message.call;
        if (call.state === 'connected' && !connectedOnce) {
          connectedOnce = true;
          // Talk, then upload alone; ask for the agent back; hang up at the end.
          sc.after(around(o.uploadSec), () => {
            const c = seat.getState().seat?.splits.find((s) => s.call?.customer.id === id);
            if (c && c.state === 'connected' && seat.getState().seat?.focus !== c.index) {
              client.request({ type: 'attention', on: true }).catch(() => {});
            }
          });
          sc.after(around(o.callSec), () => client.request({ type: 'hangup' }).catch(() => {}));
        }
        if (call.state === 'ended') sc.after(1000, () => sc.forget(id));
      });
      client.request({ type: 'call', queue: QUEUE, name: NAMES[(n - 1) % NAMES.length] }).catch(() => {});
    }
    sc.after(-Math.log(1 - Math.random()) * o.arrivalSec * 1000, arrive);
  };
  arrive();

  if (!o.autoAgent) return;
  let focusSince = Date.now();
  let lastFocus: number | null = null;
  const agent = () => {
    const s = seat.getState();
    const v = s.seat;
    if (v) {
      const now = Date.now();
      if (v.focus !== lastFocus) {
        lastFocus = v.focus;
        focusSince = now;
      }
      if (!v.ready && v.notReadyReason === 'no-answer') seat.ready().catch(() => {});
      for (const split of v.splits) {
        if (split.state === 'ringing' && split.call && now - split.call.since > 2000) seat.answer(split.index).catch(() => {});
        if (split.state === 'wrapup' && now - (split.call?.since ?? 0) > 2000) seat.wrapupDone(split.index).catch(() => {});
      }
      // R18: after a few seconds with the focused customer, turn to the longest-waiting request.
      const next = s.attention[0];
      if (next !== undefined && (v.focus === null || now - focusSince > 4000)) seat.focus(next).catch(() => {});
      else if (v.focus === null) {
        const talk = v.splits.find((x) => x.state === 'connected');
        if (talk) seat.focus(talk.index).catch(() => {});
      }
    }
    sc.after(500, agent);
  };
  agent();
}
