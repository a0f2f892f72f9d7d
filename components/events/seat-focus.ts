import type { CallView } from '../../core/protocol.js';

export interface SeatFocusDetail {
  /** The focused split, or null when no split has focus (R10). */
  split: number | null;
  call: CallView | null;
  virtualSeat: string | null;
}

/** Focus moved (R10): the agent now talks to this split's customer, or to nobody. */
export type SeatFocusEvent = CustomEvent<SeatFocusDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-focus': SeatFocusEvent;
  }
  interface HTMLElementEventMap {
    'seat-focus': SeatFocusEvent;
  }
}
