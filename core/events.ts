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
    | { type: 'agent-hello'; seatId: string; splits: number }
    | { type: 'agent-ready'; seatId: string }
    | { type: 'agent-not-ready'; seatId: string; reason: string | null }
    | { type: 'agent-answer'; seatId: string; split: number }
    | { type: 'agent-reject'; seatId: string; split: number }
    | { type: 'agent-hangup'; seatId: string; split: number }
    | { type: 'agent-focus'; seatId: string; split: number | null }
    | { type: 'agent-dial'; seatId: string; split: number; to: string }
    | { type: 'agent-consult'; seatId: string; split: number; to: string }
    | { type: 'agent-transfer'; seatId: string; split: number; to: TransferTarget }
    | { type: 'agent-cancel-consult'; seatId: string; split: number }
    | { type: 'agent-wrapup-done'; seatId: string; split: number }
    | { type: 'agent-bye'; seatId: string }
    /** The agent's connection dropped (R15). */
    | { type: 'agent-lost'; seatId: string }
  );

export type CallerEvent = At &
  (
    | { type: 'caller-hello'; customerId: string }
    | { type: 'caller-call'; customerId: string; queue: string; name: string | null; priority: number }
    | { type: 'caller-accept'; customerId: string }
    | { type: 'caller-decline'; customerId: string }
    | { type: 'caller-hangup'; customerId: string }
    | { type: 'caller-attention'; customerId: string; on: boolean }
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
  );

export type EngineEvent = AgentEvent | CallerEvent | SystemEvent;
