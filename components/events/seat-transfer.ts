import type { TransferTarget } from '../../core/protocol.js';
import type { SeatCallDetail } from './detail.js';

export interface SeatTransferDetail extends SeatCallDetail {
  /**
   * The seat or queue the call went to. Known for a warm transfer (the consulted seat) and for
   * any transfer asked for through this seat's store (a pane's button or `store.transfer()`).
   */
  to?: TransferTarget;
  /** `blind` (R14) or `warm` (completing a consult, R13). */
  mode: 'blind' | 'warm';
}

/**
 * A call left its split because this seat transferred it (R13, R14): derived from the seat's
 * snapshots, so it fires whoever asked — a pane's button or a headless `store.transfer()`.
 */
export type SeatTransferEvent = CustomEvent<SeatTransferDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-transfer': SeatTransferEvent;
  }
  interface HTMLElementEventMap {
    'seat-transfer': SeatTransferEvent;
  }
}
