/**
 * The seam between stores and the control center. The WebSocket client (components/) and the
 * in-browser simulator (simulator.ts) both implement it, so elements cannot tell them apart.
 */
import type { AgentMessage, CallerMessage, ErrorCode, ServerMessage } from './protocol.js';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

export interface ConnectionStatus {
  state: ConnectionState;
  /** While reconnecting: when the next attempt starts (ms since epoch). */
  retryAt: number | null;
  /**
   * Why the connection is offline or failing, if known: a protocol error code, `unreachable`
   * (the server cannot be reached), `replaced` (another connection took the seat, close 4002),
   * or `config` (the client was given a bad URL, token or split count).
   */
  error: { code: ErrorCode | 'unreachable' | 'replaced' | 'config'; message: string } | null;
}

export type ClientEvent = { type: 'status'; status: ConnectionStatus } | { type: 'message'; message: ServerMessage };

/** A message as a client sends it: the client picks the `id`, and `hello` is its own business. */
export type Outgoing<M> = M extends { type: 'hello' } ? never : M extends unknown ? Omit<M, 'id'> : never;

export interface ControlClient<M extends AgentMessage | CallerMessage> {
  /** Resolves on `ok`, rejects with a ProtocolError on `error`. */
  request(message: Outgoing<M>): Promise<void>;
  subscribe(listener: (event: ClientEvent) => void): () => void;
  readonly status: ConnectionStatus;
  /** Closes for good (a signed-in agent should send `bye` first). */
  close(): void;
}

/**
 * A code that never comes from the control center: `locally-refused`, a command the store refused
 * before sending it (the same command on the same split still in flight — a double click — or a
 * hang-up vetoed through `seat-before-hangup`). Nothing went wrong: elements report nothing.
 */
export type LocalErrorCode = 'locally-refused';

/** A refused command: the control center's error code, or a local one. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode | LocalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
