/**
 * R5: how an eligible seat is chosen for a call. A strategy ranks seats by a key of numbers
 * (smaller first); the seat index keeps eligible seats ordered by it, so choosing a seat costs
 * O(log seats) instead of a scan. A strategy may also hold back offers from a seat (R18).
 */
import type { Seat } from './model.js';

export interface SeatFacts {
  /** Splits that are not idle. */
  busy: number;
  /** Connected calls on the seat whose customer asked for the agent (R18). */
  openRequests: number;
  /** Time of the oldest open request, or null. */
  oldestRequestSince: number | null;
}

export interface DispatchStrategy {
  readonly name: string;
  /** Smaller keys are offered first; compared element by element. */
  rank(seat: Seat, facts: SeatFacts): number[];
  /** When true the seat gets no new offer now, though R3 would allow one. */
  holdBack?(seat: Seat, facts: SeatFacts): boolean;
}

/** Fewest busy splits, then longest since the last offer (the default). */
export const leastBusy: DispatchStrategy = {
  name: 'least-busy',
  rank: (seat, f) => [f.busy, seat.lastOfferAt, seat.signInSeq],
};

/** Longest since the seat was last offered a call or last finished one, whatever its load. */
export const longestIdle: DispatchStrategy = {
  name: 'longest-idle',
  rank: (seat) => [seat.idleSince, seat.signInSeq],
};

/** Each seat in turn: the seat offered least recently, in offer order. */
export const roundRobin: DispatchStrategy = {
  name: 'round-robin',
  rank: (seat) => [seat.lastOfferSeq, seat.signInSeq],
};

/** Pack calls onto the busiest seat first, keeping other agents free. */
export const fillFirst: DispatchStrategy = {
  name: 'fill-first',
  rank: (seat, f) => [-f.busy, seat.signInSeq],
};

/**
 * Least-busy, but a seat whose customers are asking for the agent back gets no new offer
 * (R18): the agent first serves the people already in its care.
 */
export const holdOnRequest: DispatchStrategy = {
  name: 'hold-on-request',
  rank: leastBusy.rank,
  holdBack: (_seat, f) => f.openRequests > 0,
};

/**
 * A threshold policy: least-busy, but a seat gets an offer only while its agent has nothing to do
 * right now: no split in focus (the agent is talking, R10) and no open request (R18). Calls wait
 * in the queue for the first agent who is free instead of ringing beside a conversation, and
 * customers coming back from their upload go before new ones. The split count caps how many
 * customers an agent holds. Assumes agents take focus off a customer who goes off alone; an agent
 * who leaves focus on a silent split gets no offers. See the capacity planner (README).
 */
export const threshold: DispatchStrategy = {
  name: 'threshold',
  rank: leastBusy.rank,
  holdBack: (seat, f) => seat.focus !== null || f.openRequests > 0,
};

/**
 * R23: the strategy the return policy is paired with by default (server and planner) when a
 * queue turns it on; see the capacity planner's table in the README for why.
 */
export const RETURN_POLICY_STRATEGY = 'threshold';

const builtIn = new Map<string, DispatchStrategy>(
  [leastBusy, longestIdle, roundRobin, fillFirst, holdOnRequest, threshold].map((s) => [s.name, s]),
);

export function strategyNames(): string[] {
  return [...builtIn.keys()];
}

/** The strategy of that name; throws with the list of names when there is none. */
export function getStrategy(name: string): DispatchStrategy {
  const s = builtIn.get(name);
  if (!s) throw new Error(`unknown strategy "${name}" (one of: ${strategyNames().join(', ')})`);
  return s;
}
