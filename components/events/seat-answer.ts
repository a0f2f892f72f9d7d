import type { SeatCallDetail } from './detail.js';

export type SeatAnswerDetail = SeatCallDetail;

/** A call became connected on a split (R9, R12), whoever answered it. */
export type SeatAnswerEvent = CustomEvent<SeatAnswerDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-answer': SeatAnswerEvent;
  }
  interface HTMLElementEventMap {
    'seat-answer': SeatAnswerEvent;
  }
}
