/**
 * The engine's state as plain data: what a journal stores to bound a restart's replay. Bump
 * `SNAPSHOT_FORMAT` on any change of shape; a snapshot of another format is refused, never
 * guessed at.
 */
import type { Call, Counters, Customer, Seat } from './model.js';

export const SNAPSHOT_FORMAT = 2;
/** Formats this version reads: 1 lacks the fields of R19–R23, which then take their defaults. */
export const READABLE_FORMATS: readonly number[] = [1, 2];

/** What an engine timer does when it fires. */
export type TimerAction =
  | { kind: 'ring'; callId: string }
  | { kind: 'reject'; callId: string; seatId: string }
  | { kind: 'wrapup'; seatId: string; split: number }
  | { kind: 'agent-grace'; seatId: string }
  | { kind: 'caller-grace'; customerId: string }
  /** R20: the call's queue widens to its next overflow step. */
  | { kind: 'overflow'; callId: string; step: number }
  /** R21: the call waited its queue's longest: the customer is offered a callback. */
  | { kind: 'callback'; callId: string }
  /** R23: the attention request waited `returnPoolAfterMs`. */
  | { kind: 'return'; callId: string };

export interface EngineSnapshot {
  format: number;
  seats: Seat[];
  /** `rejectedUntil` as `[seatId, until]` pairs. */
  calls: Array<Omit<Call, 'rejectedUntil'> & { rejectedUntil: Array<[string, number]> }>;
  customers: Customer[];
  timers: Array<{ key: string; at: number; action: TimerAction }>;
  counters: Counters;
  seq: number;
  offerSeq: number;
  signInSeq: number;
  lastWaiting: number;
  stopping: boolean;
}
