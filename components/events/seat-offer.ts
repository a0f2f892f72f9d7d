import type { SeatCallDetail } from './detail.js';

export type SeatOfferDetail = SeatCallDetail;

/** A call starts ringing on a split (R2, R6), or an outbound call starts dialing. */
export type SeatOfferEvent = CustomEvent<SeatOfferDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-offer': SeatOfferEvent;
  }
  interface HTMLElementEventMap {
    'seat-offer': SeatOfferEvent;
  }
}
