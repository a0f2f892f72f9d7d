import type { CustomerCallView } from '../../core/protocol.js';

export interface SeatCallChangeDetail {
  call: CustomerCallView | null;
  previous: CustomerCallView | null;
}

/** On <seat-caller>: the customer's call changed (queued, ringing, connected, held, ended). */
export type SeatCallChangeEvent = CustomEvent<SeatCallChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-call-change': SeatCallChangeEvent;
  }
  interface HTMLElementEventMap {
    'seat-call-change': SeatCallChangeEvent;
  }
}
