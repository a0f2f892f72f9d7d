import type { TransferTarget } from '../../core/protocol.js';
import type { SeatCallDetail } from './detail.js';

export interface SeatTransferDetail extends SeatCallDetail {
  to: TransferTarget;
  /** `blind` (R14) or `warm` (completing a consult, R13). */
  mode: 'blind' | 'warm';
}

/** The control center accepted a transfer from this seat (R13, R14). */
export type SeatTransferEvent = CustomEvent<SeatTransferDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-transfer': SeatTransferEvent;
  }
}
