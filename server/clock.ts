/** The control center's clock: real time and Node timers. */
import type { Clock, TimerHandle } from '../core/clock.js';

export type { Clock, TimerHandle };

interface RealHandle extends TimerHandle {
  timeout: NodeJS.Timeout;
}

/** setTimeout caps delays at 2^31-1 ms; longer waits are re-armed in steps. */
const MAX_DELAY = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  at(time, fn) {
    const handle = { time } as RealHandle;
    const arm = () => {
      const delay = time - Date.now();
      handle.timeout = setTimeout(delay > MAX_DELAY ? arm : fn, Math.max(0, Math.min(delay, MAX_DELAY)));
    };
    arm();
    return handle;
  },
  cancel(handle) {
    clearTimeout((handle as RealHandle).timeout);
  },
};
