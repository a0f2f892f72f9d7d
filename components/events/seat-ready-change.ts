export interface SeatReadyChangeDetail {
  ready: boolean;
  /** Why the seat is not ready (`no-answer` after a ring timeout, R7), if it is not. */
  reason: string | null;
}

/** The seat turned ready or not ready (R3, R7, R17). */
export type SeatReadyChangeEvent = CustomEvent<SeatReadyChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-ready-change': SeatReadyChangeEvent;
  }
  interface HTMLElementEventMap {
    'seat-ready-change': SeatReadyChangeEvent;
  }
}
