/**
 * The engine's own state: seats, splits, calls, customers and the queue. Views for the wire
 * are derived from it in views.ts; nothing here is sent as is.
 */
import type { CallKind, CallView, CustomerRef, EndReason, MediaInfo, SplitState } from './protocol.js';

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
}

export const defaultConfig: EngineConfig = {
  ringTimeoutMs: 20_000,
  rejectDelayMs: 10_000,
  wrapupMs: 0,
  reconnectGraceMs: 15_000,
  callerGraceMs: 15_000,
  strategy: 'least-busy',
};

export interface Split {
  index: number;
  state: SplitState;
  callId: string | null;
  since: number;
  /** In wrap-up: the call just finished, as it was, so the agent sees whose case it was. */
  wrapup?: CallView | null;
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
}
