import type { SeatCallDetail } from './detail.js';

export type SeatBeforeHangupDetail = SeatCallDetail;

/** Cancelable: the agent asked to hang up. Call `preventDefault()` to veto (say, a form is unsaved). */
export type SeatBeforeHangupEvent = CustomEvent<SeatBeforeHangupDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-before-hangup': SeatBeforeHangupEvent;
  }
  interface HTMLElementEventMap {
    'seat-before-hangup': SeatBeforeHangupEvent;
  }
}
