import type { SeatCallDetail } from './detail.js';

export interface SeatConsultDetail extends SeatCallDetail {
  /** The consulted seat. */
  to: string;
  /** started: ringing the other seat; answered: talking to it; ended: cancelled, declined or completed. */
  state: 'started' | 'answered' | 'ended';
}

/** A consult (R13) started, was answered, or ended. */
export type SeatConsultEvent = CustomEvent<SeatConsultDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-consult': SeatConsultEvent;
  }
  interface HTMLElementEventMap {
    'seat-consult': SeatConsultEvent;
  }
}
