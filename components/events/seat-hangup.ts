import type { SeatCallDetail } from './detail.js';

export interface SeatHangupDetail extends SeatCallDetail {
  /** `transferred` when this seat transferred the call away, else `ended`. */
  reason: 'ended' | 'transferred';
}

/** A connected (or dialing) call left its split: either side hung up, or it was transferred (R11). */
export type SeatHangupEvent = CustomEvent<SeatHangupDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-hangup': SeatHangupEvent;
  }
  interface HTMLElementEventMap {
    'seat-hangup': SeatHangupEvent;
  }
}
