/**
 * The engine's own state: seats, splits, calls, customers and the queue. Views for the wire
 * are derived from it in views.ts; nothing here is sent as is.
 */
import type { CallKind, CallView, CustomerRef, EndReason, MediaInfo, SplitState } from './protocol.js';
import type { QueueConfig, Skills } from './queue-config.js';

export interface EngineConfig {
  /** R7: how long an offer rings before it is withdrawn. */
  ringTimeoutMs: number;
  /** R8: how long a rejected call stays away from the seat that rejected it. */
  rejectDelayMs: number;
  /** R11: how long a split stays in wrap-up after a call; 0 goes straight to idle. */
  wrapupMs: number;
  /** R15: how long an agent's connected calls wait for it to come back. */
  reconnectGraceMs: number;
  /** R16: how long a customer may be gone before its call ends. */
  callerGraceMs: number;
  /** R5: the dispatch strategy's name (see strategies.ts). */
  strategy: string;
  /**
   * R19–R23: the queue configuration (`--queues`). Null: any queue name, no skills, no
   * overflow, no codes, no return policy (the behaviour before it existed).
   */
  queues: QueueConfig | null;
}

export const defaultConfig: EngineConfig = {
  ringTimeoutMs: 20_000,
  rejectDelayMs: 10_000,
  wrapupMs: 0,
  reconnectGraceMs: 15_000,
  callerGraceMs: 15_000,
  strategy: 'least-busy',
  queues: null,
};

export interface Split {
  index: number;
  state: SplitState;
  callId: string | null;
  since: number;
  /** In wrap-up: the call just finished, as it was, so the agent sees whose case it was. */
  wrapup?: CallView | null;
  /**
   * R22: in a wrap-up that waits for a code: the call it is for, and its record when the call
   * ended (held back until a code is picked or the limit passes).
   */
  coded?: { callId: string; record: CallRecord | null } | null;
}

export interface Seat {
  seatId: string;
  splits: Split[];
  ready: boolean;
  notReadyReason: string | null;
  focus: number | null;
  /** R3: the most splits that may be busy at once (default N). */
  cap: number;
  /** Version of the last snapshot sent. */
  version: number;
  /** False while the agent's connection is lost and the grace period runs (R15). */
  online: boolean;
  /** Order of sign-in, for stable tie-breaks. */
  signInSeq: number;
  /** R5: when the seat was last offered a call (-Infinity before the first). */
  lastOfferAt: number;
  /** Monotonic offer counter of the last offer, for round-robin. */
  lastOfferSeq: number;
  /** When the seat last had a split go idle or was offered: longest-idle orders on it. */
  idleSince: number;
  /** R19: skill → level, from the agent's token (empty: no skills). */
  skills?: Skills;
}

/** Where a call is: exactly one of these at any time (the first invariant). */
export type CallPlace = 'queued' | 'split' | 'ended';

export interface Consult {
  /** The consult call offered to the other seat. */
  callId: string;
}

export interface Call {
  callId: string;
  kind: CallKind;
  queue: string | null;
  customer: CustomerRef;
  priority: number;
  /** R4: first arrival; kept when the call comes back to the queue. */
  arrivedAt: number;
  /** Arrival order, the last tie-break of R4. */
  seq: number;
  place: CallPlace;
  seatId: string | null;
  split: number | null;
  /** R14/R13: a call that only the named seat may take. */
  targetSeat: string | null;
  virtualSeat: string | null;
  media: MediaInfo | null;
  /** R8: seat id → time until which that seat is not offered this call again. */
  rejectedUntil: Map<string, number>;
  /** Who may be in this call's room, as last announced by a `room-access` effect. */
  parties: string[];
  /** R18 */
  attention: { since: number } | null;
  /** R13: on the customer's call while its agent consults. */
  consult: Consult | null;
  /** R13: on a consult call, the call whose customer is being consulted about. */
  consultFor: string | null;
  /** R13: on a consult call, who asked. */
  from: { seat: string; virtualSeat: string | null } | null;
  queuedAt: number;
  offeredAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  requeues: number;
  returnWaits: number[];
  /** The seats that answered this call, in order (a transfer adds one). */
  seats: string[];
  /** R4: the queue's priority (R19 configuration), before the customer's own; consult legs 100. */
  queuePriority?: number;
  /** R20: how many overflow steps of its queue have passed. */
  overflowStep?: number;
  /** R21: the callback offered, asked for by the customer, or being dialled. */
  callback?: 'offered' | 'requested' | 'dialled' | null;
  /** R23: the call moved to another agent after its request waited; from whom, and when. */
  returning?: { from: string; since: number } | null;
  /** R23: its attention request waited past the queue's `returnPoolAfterMs`. */
  returnDue?: boolean;
  /** R22: the code picked at the last wrap-up for this call while it still lived. */
  disposition?: string | null;
}

/** Since the engine's first event (kept across restarts): the figures of `/v1/stats`. */
export interface Counters {
  /** Offers made to seats and outbound calls placed (consult legs not counted). */
  offered: number;
  answered: number;
  /** Inbound calls whose customer left before any answer. */
  abandoned: number;
  requeued: number;
  ended: number;
  /**
   * R19: per configured queue, inbound calls answered and those answered within the queue's
   * service-level target (`serviceLevelMs`, from first arrival to first answer).
   */
  queues?: Record<string, { answered: number; withinTarget: number }>;
}

export interface Customer {
  id: string;
  online: boolean;
  callId: string | null;
}

/** A finished call, as the control center records it. */
export interface CallRecord {
  callId: string;
  kind: CallKind;
  queue: string | null;
  customerId: string;
  customerName: string | null;
  seatId: string | null;
  virtualSeat: string | null;
  queuedAt: number;
  offeredAt: number | null;
  answeredAt: number | null;
  endedAt: number;
  endReason: EndReason;
  requeues: number;
  returnWaitsMs: number[];
  /** R22: the wrap-up code the agent picked (null: none asked, or the limit passed). */
  disposition?: string | null;
  /** Every seat that answered the call, in order (a transfer or a return handover adds one). */
  seats?: string[];
}
