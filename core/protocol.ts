/**
 * The wire contract of PROTOCOL.md, version 1, as types. This file is the public contract:
 * change it only by adding optional fields.
 */

/** Error codes a server may answer with. An error changes nothing. */
export type ErrorCode =
  | 'bad-message'
  | 'unauthorized'
  | 'not-signed-in'
  | 'no-such-split'
  | 'no-such-target'
  | 'invalid-state'
  | 'busy'
  | 'rate-limited'
  | 'internal';

export type Role = 'agent' | 'caller';

export type SplitState = 'idle' | 'ringing' | 'dialing' | 'connected' | 'consulting' | 'wrapup';
export type CallKind = 'inbound' | 'outbound' | 'consult';
export type EndReason =
  | 'caller-hangup'
  | 'agent-hangup'
  | 'caller-lost'
  | 'declined'
  | 'no-answer'
  | 'transferred-away'
  | 'server-shutdown';

/** Where both sides meet: one private Janus VideoRoom room per call. */
export interface MediaInfo {
  server: string;
  room: number;
  pin: string;
  /**
   * This party's own join token for the room (VideoRoom `allowed` list). Rooms admit only the
   * parties of the call; a pin alone admits nobody. Absent where the server runs without it.
   */
  token?: string;
  /**
   * Who this party is in the room (`agent:<seatId>`, `customer:<customerId>`): clients join with
   * it as their VideoRoom `display`, which is how the server finds (and kicks) a party's
   * participants. Sent with `token`.
   */
  party?: string;
  /**
   * STUN/TURN servers for this party's PeerConnections to `server` (RTCIceServer's shape), when
   * the control center is given some (`--ice-servers`). TURN entries carry short-lived
   * credentials minted for this party (TURN REST style), fresh on every `hello`. Absent: the
   * client uses its own (none by default: Janus's host candidates only).
   */
  iceServers?: IceServer[];
}

/** One STUN or TURN server, as `RTCIceServer` (core has no DOM types). */
export interface IceServer {
  /** `stun:`, `stuns:`, `turn:` or `turns:` URLs, e.g. `turn:turn.example.com:3478?transport=udp`. */
  urls: string | string[];
  /** TURN only: for minted credentials `<expiry unix seconds>:<party>`. */
  username?: string;
  /** TURN only: the password (minted: base64 HMAC-SHA1 of `username` with the shared secret). */
  credential?: string;
}

export interface CustomerRef {
  id: string;
  name: string | null;
  /** `false` when the name came from the customer's own `call` message, not its signed token. */
  verified?: boolean;
}

export interface ConsultView {
  seat: string;
  state: 'ringing' | 'connected';
  media: MediaInfo | null;
}

/** A call as the agent sees it on one split. */
export interface CallView {
  callId: string;
  kind: CallKind;
  queue: string | null;
  customer: CustomerRef;
  virtualSeat: string | null;
  /** When the call entered the split's current state (ms since epoch). */
  since: number;
  media: MediaInfo | null;
  /** R18: the customer asked for the agent back. */
  attention: { since: number } | null;
  /** R13, on the consulting split. */
  consult?: ConsultView | null;
  /** R13, on the consulted seat. */
  from?: { seat: string; virtualSeat: string | null } | null;
  /** R22, in wrap-up: the codes the agent picks one of (`wrapup-done` `disposition`). */
  wrapupCodes?: string[];
  /** R23: a returning customer handed over from another agent (`from`: that seat, `since`: when). */
  returning?: { from: string; since: number } | null;
  /** R21: a callback the control center placed for the customer (the split is `dialing`). */
  callback?: boolean;
}

export interface SplitView {
  index: number;
  channel: string;
  state: SplitState;
  call: CallView | null;
}

export interface SeatView {
  seatId: string;
  version: number;
  ready: boolean;
  notReadyReason: string | null;
  focus: number | null;
  splits: SplitView[];
  /** R19: the seat's skills and levels, from its token (`{}` when none). */
  skills?: Record<string, number>;
}

export type CustomerCallState = 'queued' | 'ringing' | 'connected' | 'held' | 'ended';

/** A call as the customer sees it. */
export interface CustomerCallView {
  callId: string;
  state: CustomerCallState;
  /** 1-based place in the queue while queued, else null. */
  position: number | null;
  agent: { seat: string; virtualSeat: string | null } | null;
  media: MediaInfo | null;
  endReason: EndReason | null;
  /** While connected: whether the agent is talking to this customer now (R10). */
  focused: boolean;
  /** R18: the open request for the agent, if any. */
  attention: { since: number } | null;
  /** Inbound or outbound, so the page knows whether to offer accept/decline. */
  kind: 'inbound' | 'outbound';
  /**
   * R21: `offered` — the call waited the queue's longest and the customer may take a callback
   * (send `callback`); `requested` — taken, the customer is dialled when an agent is free;
   * `dialled` — that call is alerting now (accept/decline). Absent or null: none.
   */
  callback?: 'offered' | 'requested' | 'dialled' | null;
  /** R23: the call moved from one agent to another (a returning customer); null otherwise. */
  handover?: { from: string; to: string } | null;
}

export type TransferTarget = { seat: string } | { queue: string };

export type AgentMessage =
  | { type: 'hello'; id: string; token: string; splits: number }
  | { type: 'ready'; id: string }
  | { type: 'not-ready'; id: string; reason?: string }
  | { type: 'answer'; id: string; split: number }
  | { type: 'reject'; id: string; split: number }
  | { type: 'hangup'; id: string; split: number }
  | { type: 'focus'; id: string; split: number | null }
  | { type: 'dial'; id: string; split: number; to: string }
  | { type: 'consult'; id: string; split: number; to: string }
  | { type: 'transfer'; id: string; split: number; to: TransferTarget }
  | { type: 'cancel-consult'; id: string; split: number }
  | { type: 'wrapup-done'; id: string; split: number; disposition?: string }
  | { type: 'bye'; id: string }
  /** Liveness: answered with `ok`, allowed before and after `hello`. */
  | { type: 'ping'; id: string };

export type CallerMessage =
  | { type: 'hello'; id: string; token: string }
  | { type: 'call'; id: string; queue: string; name?: string; priority?: number }
  | { type: 'accept'; id: string }
  | { type: 'decline'; id: string }
  | { type: 'hangup'; id: string }
  | { type: 'attention'; id: string; on: boolean }
  /** R21: takes the callback offered. */
  | { type: 'callback'; id: string }
  /** Liveness: answered with `ok`, allowed before and after `hello`. */
  | { type: 'ping'; id: string };

export type ServerMessage =
  | { type: 'ok'; id: string }
  | { type: 'error'; id: string | null; code: ErrorCode; message: string }
  | { type: 'seat'; seat: SeatView }
  | { type: 'queue'; waiting: number }
  | { type: 'call'; call: CustomerCallView }
  /**
   * Sent to a customer right after its `hello` is answered when it has no live call: a page
   * that still shows a call (from before a lost connection or a restart) shows it as ended.
   */
  | { type: 'no-call' };

/** Close codes the server uses. */
export const CloseCode = {
  /** A frame that is not valid UTF-8. */
  invalidUtf8: 1007,
  tooBig: 1009,
  /** Planned stop or restart of the control center: reconnect at once (with jitter). */
  serviceRestart: 1012,
  unauthorized: 4001,
  replaced: 4002,
  /** No `hello` within 10 s of connecting. */
  helloTimeout: 4003,
  /** The client did not read: its unsent data passed the limit (1 MiB). */
  slowConsumer: 4004,
  /** Per-address or per-identity limit. */
  rateLimited: 4005,
} as const;

/** Largest frame a server accepts, in bytes. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const MAX_ID_LENGTH = 64;
export const MAX_SPLITS = 8;
