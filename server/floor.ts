/**
 * What the WebSocket endpoints and the HTTP side need from the control center: one node on its
 * own (`ControlCenter`) or a member of a cluster (`ClusterNode`, which forwards commands to the
 * dispatcher and delivers what comes back).
 */
import type { JournalStatus, Outcome } from '../core/effect-host.js';
import type { EngineEvent } from '../core/events.js';
import type { CallRecord } from '../core/model.js';
import type { ServerMessage } from '../core/protocol.js';

/** One client connection, as the control center needs it. */
export interface Peer {
  send(message: ServerMessage): void;
  /** The seat or customer this peer spoke for is gone (signed out, grace over). */
  signedOut(): void;
  /** A newer connection took over this identity: close with 4002. */
  replaced(): void;
}

export interface Floor {
  readonly now: number;
  /**
   * Applies one event. `accepted` gets the verdict before anything the event caused reaches a
   * client (at once on a single node, when the dispatcher answers in a cluster). `from` is the
   * connection that asked, so a cluster knows where its answers go.
   */
  apply(event: EngineEvent, accepted?: (outcome: Outcome) => void, from?: Peer): void;
  agentOnline(seatId: string): Peer | undefined;
  bindAgent(seatId: string, peer: Peer): void;
  /** The agent's connection closed: R15 starts unless another connection took over. */
  agentGone(seatId: string, peer: Peer): void;
  customerOnline(customerId: string): Peer | undefined;
  bindCustomer(customerId: string, peer: Peer): void;
  customerGone(customerId: string, peer: Peer): void;
  /** The figures of `/v1/stats`. */
  stats(): object;
  /** Call records, newest first; only that seat's with `seatId`. */
  recent(limit: number, seatId?: string): CallRecord[] | Promise<CallRecord[]>;
  readonly journalStatus: JournalStatus;
  /** `leader` decides; a cluster node is a `follower` until it holds the lease. */
  readonly role: 'leader' | 'follower';
}
