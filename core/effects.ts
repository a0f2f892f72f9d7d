/**
 * What the outside must do after an event. The engine only returns these as data; the control
 * center (or the in-browser simulator) performs them.
 */
import type { CustomerCallView, SeatView } from './protocol.js';
import type { CallRecord } from './model.js';

export type Effect =
  /** Send this snapshot to the seat's agent. */
  | { type: 'seat'; seatId: string; seat: SeatView }
  /** Send this call to its customer. */
  | { type: 'call'; customerId: string; call: CustomerCallView }
  /** A customer signed in with no live call: a page still showing one shows it ended. */
  | { type: 'no-call'; customerId: string }
  /** The number of waiting calls changed (agents are told, throttled by the sender). */
  | { type: 'queue'; waiting: number }
  /** Create a private media room; answer with a `room-ready` event carrying the same key. */
  | { type: 'room-create'; key: string }
  | { type: 'room-destroy'; key: string }
  /**
   * Who may be in the room of this call now: party ids `agent:<seatId>` and
   * `customer:<customerId>`. Sent whenever the set changes; a party no longer listed has lost
   * its right (offer withdrawn, rejected, timed out, transferred away, consult over).
   */
  | { type: 'room-access'; key: string; parties: string[] }
  /** Fire a `timer` event with this key at `at`; a new start with the same key replaces it. */
  | { type: 'timer-start'; key: string; at: number }
  | { type: 'timer-cancel'; key: string }
  /** Persist a finished call. */
  | { type: 'record'; record: CallRecord }
  /** The seat is gone (signed out, or its grace period ended). */
  | { type: 'seat-closed'; seatId: string };
