/**
 * The simulated agent: what one person at a multi-split seat does, decided from the seat view
 * the engine sends it (the same SeatView a real agent's screen shows).
 *
 * - It talks to one customer at a time: the focused split (R10). While talking it does nothing
 *   else: a ringing offer waits, a customer asking for it back (R18) waits.
 * - When it is not talking it picks its next piece of work by its `order`:
 *   - `ring-first` (default): answer a ringing offer first (the offer times out and makes the
 *     seat not-ready, R7, so agents are drilled to answer), then the longest-waiting request;
 *   - `returns-first`: the longest-waiting request first, then a ringing offer;
 *   - `fifo`: whoever has waited longest, the ringing caller counted from its arrival in the queue.
 * - With nothing to do it takes focus off the split it just talked on (the customer is alone,
 *   uploading) and waits for the next ring or request.
 * The script of a call (first talk, upload, closing talk, hangup) is driven by the simulation.
 */
import type { SeatView } from '../core/protocol.js';

export type AgentOrder = 'ring-first' | 'returns-first' | 'fifo';
export const agentOrders: AgentOrder[] = ['ring-first', 'returns-first', 'fifo'];

export type AgentAction = { kind: 'answer'; split: number; customerId: string } | { kind: 'focus'; split: number; customerId: string };

export interface SimAgent {
  seatId: string;
  /** The last seat view the engine sent. */
  view: SeatView | null;
  /** The split the agent is talking on, or null when it is free. */
  talkingOn: number | null;
}

/**
 * The agent's next move when it is free, or null. `arrivedAt` gives a customer's arrival in the
 * queue (for `fifo`).
 */
export function nextAction(agent: SimAgent, order: AgentOrder, arrivedAt: (customerId: string) => number): AgentAction | null {
  const view = agent.view;
  if (agent.talkingOn !== null || !view) return null;
  let ring: AgentAction | null = null;
  let ringSince = Infinity;
  let request: AgentAction | null = null;
  let requestSince = Infinity;
  for (const s of view.splits) {
    if (!s.call) continue;
    if (s.state === 'ringing') {
      ring = { kind: 'answer', split: s.index, customerId: s.call.customer.id };
      ringSince = arrivedAt(s.call.customer.id);
    } else if (s.state === 'connected' && s.call.attention && s.call.attention.since < requestSince) {
      request = { kind: 'focus', split: s.index, customerId: s.call.customer.id };
      requestSince = s.call.attention.since;
    }
  }
  switch (order) {
    case 'ring-first':
      return ring ?? request;
    case 'returns-first':
      return request ?? ring;
    case 'fifo':
      return ringSince <= requestSince ? ring ?? request : request ?? ring;
  }
}
