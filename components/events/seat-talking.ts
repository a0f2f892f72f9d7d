import type { SeatCallDetail } from './detail.js';

export interface SeatTalkingDetail extends SeatCallDetail {
  /** True when the customer started speaking, false when they stopped. */
  talking: boolean;
}

/**
 * The customer on a split not in focus started (or stopped) speaking, by the media server's
 * audio levels: a customer who speaks up is seen at once, without pressing R18's button.
 * Not fired for the focused split, whose customer the agent already hears.
 */
export type SeatTalkingEvent = CustomEvent<SeatTalkingDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-talking': SeatTalkingEvent;
  }
  interface HTMLElementEventMap {
    'seat-talking': SeatTalkingEvent;
  }
}
