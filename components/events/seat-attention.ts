import type { SeatCallDetail } from './detail.js';

export interface SeatAttentionDetail extends SeatCallDetail {
  /** When the customer asked (ms since epoch). */
  since: number;
  /** Splits with open requests, longest-waiting first (R18). */
  order: number[];
}

/** A customer whose call is not in focus asked for the agent back (R18). */
export type SeatAttentionEvent = CustomEvent<SeatAttentionDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-attention': SeatAttentionEvent;
  }
  interface HTMLElementEventMap {
    'seat-attention': SeatAttentionEvent;
  }
}
