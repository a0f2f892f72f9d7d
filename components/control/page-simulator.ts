import type { EngineConfig } from '../../core/model.js';
import { Simulator, type Scheduler } from '../../core/simulator.js';

/** The browser's clock and timers, for the simulator. */
export const browserScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

let page: Simulator | null = null;

/**
 * The one simulator of a page: every `<multi-seat>` and `<seat-caller>` without a `server`
 * meets in it, so an offline demo page can have a seat and callers side by side.
 */
export function pageSimulator(config?: Partial<EngineConfig>): Simulator {
  page ??= new Simulator({ scheduler: browserScheduler, config });
  return page;
}

/** A fresh simulator on the browser's timers (stories and tests that want isolation). */
export function createSimulator(config?: Partial<EngineConfig>): Simulator {
  return new Simulator({ scheduler: browserScheduler, config });
}
