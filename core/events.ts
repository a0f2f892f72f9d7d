/**
 * Everything that can happen to the engine. Each event carries `now` (ms since epoch): the
 * engine never reads a clock, so the same events always give the same state and effects.
 */
import type { MediaInfo, TransferTarget } from './protocol.js';

interface At {
  now: number;
}

export type AgentEvent = At &
  (
    /** `skills`: R19, from the agent's token (the newest hello's count; absent keeps them). */
    | { type: 'agent-hello'; seatId: string; splits: number; skills?: Record<string, number> }
    | { type: 'agent-ready'; seatId: string }
    | { type: 'agent-not-ready'; seatId: string; reason: string | null }
    | { type: 'agent-answer'; seatId: string; split: number }
    | { type: 'agent-reject'; seatId: string; split: number }
    | { type: 'agent-hangup'; seatId: string; split: number }
    | { type: 'agent-focus'; seatId: string; split: number | null }
    /** `callId`: the new call's id, chosen by the host (random, so never reused and not guessable). */
    | { type: 'agent-dial'; seatId: string; split: number; to: string; callId?: string }
    /** `callId`: the consult leg's id, chosen by the host. */
    | { type: 'agent-consult'; seatId: string; split: number; to: string; callId?: string }
    | { type: 'agent-transfer'; seatId: string; split: number; to: TransferTarget }
    | { type: 'agent-cancel-consult'; seatId: string; split: number }
    /** `disposition`: R22, one of the queue's wrap-up codes. */
    | { type: 'agent-wrapup-done'; seatId: string; split: number; disposition?: string }
    | { type: 'agent-bye'; seatId: string }
    /** The agent's connection dropped (R15). */
    | { type: 'agent-lost'; seatId: string }
  );

export type CallerEvent = At &
  (
    | { type: 'caller-hello'; customerId: string }
    /**
     * `callId`: chosen by the host. `verified: false` marks a name the customer typed itself
     * rather than one from its signed token.
     */
    | { type: 'caller-call'; customerId: string; queue: string; name: string | null; priority: number; callId?: string; verified?: boolean }
    | { type: 'caller-accept'; customerId: string }
    | { type: 'caller-decline'; customerId: string }
    | { type: 'caller-hangup'; customerId: string }
    | { type: 'caller-attention'; customerId: string; on: boolean }
    /** R21: the customer takes the callback offered instead of waiting on. */
    | { type: 'caller-callback'; customerId: string }
    /** The customer's connection dropped (R16). */
    | { type: 'caller-lost'; customerId: string }
  );

export type SystemEvent = At &
  (
    /** A timer started by a `timer-start` effect fired. */
    | { type: 'timer'; key: string }
    /** A room asked for by a `room-create` effect exists. */
    | { type: 'room-ready'; key: string; media: MediaInfo }
    /** The control center is stopping: every live call ends with `server-shutdown`. */
    | { type: 'shutdown' }
    /**
     * The control center came back (after a replay): every seat and customer counts as lost
     * from now, so R15 and R16 give each the grace to reconnect to exactly what it had.
     */
    | { type: 'restart' }
  );

export type EngineEvent = AgentEvent | CallerEvent | SystemEvent;

/** Events that make a new call, and so carry the id the host chose for it. */
export type CallCreatingEvent = Extract<EngineEvent, { callId?: string }>;

export function createsCall(e: EngineEvent): e is CallCreatingEvent {
  return e.type === 'caller-call' || e.type === 'agent-dial' || e.type === 'agent-consult';
}
