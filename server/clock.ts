/**
 * The one source of time for the control center. The engine never reads a clock; every event
 * gets `now` from here and every engine timer runs through `at`, so tests can swap in short
 * timeouts (or a manual clock) without touching the rules.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` at `time` (ms since epoch), or at once if that has passed. */
  at(time: number, fn: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly time: number;
}

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
