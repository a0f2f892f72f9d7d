import type { CallView } from '../../core/protocol.js';

/** What every call event carries, so a CRM can pop the customer's record. */
export interface SeatCallDetail {
  /** The split (pane) index, 0-based. */
  split: number;
  /** The call on that split (for a hang-up: the call as it last was). */
  call: CallView;
  /** The call's virtual seat (`seat-1:0`), or the split's channel while ringing. */
  virtualSeat: string;
}
