/**
 * The one source of time for an effect host. The engine never reads a clock; every event gets
 * `now` from here and every engine timer runs through `at`, so tests can swap in short timeouts
 * (or a manual clock) without touching the rules.
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
