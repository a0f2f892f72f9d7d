/**
 * The engine's state as plain data: what a journal stores to bound a restart's replay. Bump
 * `SNAPSHOT_FORMAT` on any change of shape; a snapshot of another format is refused, never
 * guessed at.
 */
import type { Call, Counters, Customer, Seat } from './model.js';

export const SNAPSHOT_FORMAT = 1;

/** What an engine timer does when it fires. */
export type TimerAction =
  | { kind: 'ring'; callId: string }
  | { kind: 'reject'; callId: string; seatId: string }
  | { kind: 'wrapup'; seatId: string; split: number }
  | { kind: 'agent-grace'; seatId: string }
  | { kind: 'caller-grace'; customerId: string };

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
