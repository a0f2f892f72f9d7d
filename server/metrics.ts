/**
 * `GET /metrics`: Prometheus text exposition (format 0.0.4) of one node. `renderMetrics` is a
 * pure function of a small input, so a single node and a cluster member feed it the same way;
 * `floorFigures` reads what it needs from an engine (the leader's, or a follower's hot copy).
 *
 * Every metric is prefixed `multi_seat_`. Gauges are what is true now; `_total` counters only
 * grow (the engine's counters are kept in the journal, so they survive restarts and fail-overs).
 */
import type { JournalStatus } from '../core/effect-host.js';
import type { Engine } from '../core/engine.js';
import type { Counters } from '../core/model.js';
import type { SplitState } from '../core/protocol.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const SPLIT_STATES: readonly SplitState[] = ['idle', 'ringing', 'dialing', 'connected', 'consulting', 'wrapup'];

/** What the engine says about the floor. */
export interface FloorFigures {
  seats: {
    /** Seats the engine holds (signed in, including those within their reconnect grace). */
    signedIn: number;
    /** Signed in, online and ready for offers. */
    ready: number;
    /** Signed in with a live connection (not within R15's grace). */
    online: number;
  };
  /** Splits of signed-in seats by state. */
  splits: Record<SplitState, number>;
  /** Waiting customer calls by queue (`""`: no queue named), with the longest wait from first arrival. */
  queues: Record<string, { waiting: number; longestWaitMs: number }>;
  counters: Counters;
}

export interface JanusFigures {
  /** The server's name or URL (a label). */
  server: string;
  up: boolean;
  /** Rooms on the server (Janus's own count, all control centers'). */
  rooms: number;
  /** Participants in its rooms, when known. */
  participants?: number;
  /** Rooms of this control center's live calls on it. */
  calls?: number;
}

export interface MetricsInput {
  /** This node's id (host:port): a label on `multi_seat_node_info`. */
  node: string;
  /** `leader` decides; a follower follows the journal (a single node is always leader). */
  role: 'leader' | 'follower';
  /** Open WebSocket connections on this node, by endpoint, signed in or not. */
  connections: { agent: number; caller: number };
  /** Connections on this node that speak for a seat or a customer (after `hello`). */
  signedIn: { agent: number; caller: number };
  /** null when this node has no view of the engine. */
  floor: FloorFigures | null;
  journal: JournalStatus;
  janus: JanusFigures[];
  /** Cluster figures; absent on a single node (the lease never changes hands, no lag). */
  cluster?: {
    /** Times the dispatcher lease changed hands since this node started. */
    leaseChanges: number;
    /** Journal events this node has not applied yet (0 on the leader). */
    journalLagEvents: number;
    /** Extra gauges the cluster wants to show (name without prefix → value). */
    extra?: Record<string, number>;
  };
}

/** The floor as the engine holds it at `now` (ms, the engine's clock). */
export function floorFigures(engine: Engine, now: number): FloorFigures {
  const splits = Object.fromEntries(SPLIT_STATES.map((s) => [s, 0])) as Record<SplitState, number>;
  let signedIn = 0;
  let ready = 0;
  let online = 0;
  for (const seat of engine.allSeats()) {
    signedIn++;
    if (seat.online) online++;
    if (seat.ready && seat.online) ready++;
    for (const split of seat.splits) splits[split.state] = (splits[split.state] ?? 0) + 1;
  }
  // Queue names come from clients: a null-prototype table keeps `__proto__` a plain key.
  const queues = Object.create(null) as FloorFigures['queues'];
  for (const call of engine.queuedCalls()) {
    if (call.kind === 'consult') continue;
    const q = (queues[call.queue ?? ''] ??= { waiting: 0, longestWaitMs: 0 });
    q.waiting++;
    q.longestWaitMs = Math.max(q.longestWaitMs, now - call.arrivedAt);
  }
  return { seats: { signedIn, ready, online }, splits, queues, counters: { ...engine.counters } };
}

/** What a node knows of itself, as `server.ts` wires it (the HTTP side's deps). */
export interface NodeSources {
  node: string;
  /** The control center (`Floor`): its role, journal and `stats()`; an `engine` when it has one. */
  cc: { role: 'leader' | 'follower'; journalStatus: JournalStatus; now: number; stats(): object; engine?: Engine };
  rooms: { servers(): Array<{ server: string; status: string; rooms: number; participants: number; calls: number }> };
  /** Open connections by endpoint (limits.ts Guard). */
  guard?: { openByRole(): { agent: number; caller: number } };
}

/** The input of one node from what it holds; a cluster member adds `cluster` (or builds its own). */
export function nodeMetrics(src: NodeSources): MetricsInput {
  const stats = src.cc.stats() as { seats?: { connected?: number }; customers?: { connected?: number } };
  return {
    node: src.node,
    role: src.cc.role,
    connections: src.guard?.openByRole() ?? { agent: 0, caller: 0 },
    signedIn: { agent: stats.seats?.connected ?? 0, caller: stats.customers?.connected ?? 0 },
    floor: src.cc.engine ? floorFigures(src.cc.engine, src.cc.now) : null,
    journal: src.cc.journalStatus,
    janus: src.rooms.servers().map((j) => ({ server: j.server, up: j.status === 'up', rooms: j.rooms, participants: j.participants, calls: j.calls })),
  };
}

/** The exposition text. */
export function renderMetrics(input: MetricsInput): string {
  const out = new Exposition();
  out.metric('multi_seat_node_info', 'gauge', 'This node (always 1; the labels say which).', [[{ node: input.node, role: input.role }, 1]]);
  out.metric('multi_seat_leader', 'gauge', '1 while this node holds the dispatcher lease and decides, 0 as a follower.', [[{}, input.role === 'leader' ? 1 : 0]]);
  out.metric('multi_seat_connections', 'gauge', 'Open WebSocket connections on this node, by endpoint.', [
    [{ role: 'agent' }, input.connections.agent],
    [{ role: 'caller' }, input.connections.caller],
  ]);
  out.metric('multi_seat_connections_signed_in', 'gauge', 'Connections on this node that said hello and speak for a seat or a customer.', [
    [{ role: 'agent' }, input.signedIn.agent],
    [{ role: 'caller' }, input.signedIn.caller],
  ]);
  out.metric('multi_seat_journal_ok', 'gauge', '1 while the journal takes writes (or there is none), 0 while it is full.', [[{}, input.journal === 'full' ? 0 : 1]]);
  out.metric('multi_seat_journal_status', 'gauge', 'The journal status as a label (ok, full, off).', [[{ status: input.journal }, 1]]);
  out.metric('multi_seat_lease_changes_total', 'counter', 'Times the dispatcher lease changed hands since this node started.', [[{}, input.cluster?.leaseChanges ?? 0]]);
  out.metric('multi_seat_journal_lag_events', 'gauge', 'Journal events this node has not applied yet (0 on the leader and on a single node).', [
    [{}, input.cluster?.journalLagEvents ?? 0],
  ]);
  for (const [name, value] of Object.entries(input.cluster?.extra ?? {})) out.metric(`multi_seat_${name}`, 'gauge', 'Cluster figure.', [[{}, value]]);
  out.metric('multi_seat_janus_up', 'gauge', '1 while the control center is connected to this Janus.', input.janus.map((j) => [{ janus: j.server }, j.up ? 1 : 0]));
  out.metric('multi_seat_janus_rooms', 'gauge', 'Rooms on this Janus (its own count).', input.janus.map((j) => [{ janus: j.server }, j.rooms]));
  const withParticipants = input.janus.filter((j) => j.participants !== undefined);
  if (withParticipants.length)
    out.metric('multi_seat_janus_participants', 'gauge', 'Participants in the rooms on this Janus.', withParticipants.map((j) => [{ janus: j.server }, j.participants!]));
  const withCalls = input.janus.filter((j) => j.calls !== undefined);
  if (withCalls.length) out.metric('multi_seat_janus_calls', 'gauge', "Rooms of this control center's live calls on this Janus.", withCalls.map((j) => [{ janus: j.server }, j.calls!]));

  const f = input.floor;
  if (f) {
    out.metric('multi_seat_seats', 'gauge', 'Seats signed in (state=signed_in, including those within their reconnect grace), online, and ready.', [
      [{ state: 'signed_in' }, f.seats.signedIn],
      [{ state: 'online' }, f.seats.online],
      [{ state: 'ready' }, f.seats.ready],
    ]);
    out.metric('multi_seat_splits', 'gauge', 'Splits of signed-in seats, by state.', SPLIT_STATES.map((s) => [{ state: s }, f.splits[s] ?? 0]));
    const queues = Object.keys(f.queues).sort();
    out.metric('multi_seat_queue_waiting', 'gauge', 'Customer calls waiting, by queue.', queues.map((q) => [{ queue: q }, f.queues[q]!.waiting]));
    out.metric(
      'multi_seat_queue_longest_wait_seconds',
      'gauge',
      "The longest wait in the queue now, from the customer's first arrival (kept across re-queues).",
      queues.map((q) => [{ queue: q }, f.queues[q]!.longestWaitMs / 1000]),
    );
    const c = f.counters;
    out.metric('multi_seat_calls_offered_total', 'counter', 'Offers made to seats and outbound calls placed (consult legs not counted).', [[{}, c.offered]]);
    out.metric('multi_seat_calls_answered_total', 'counter', 'Calls answered.', [[{}, c.answered]]);
    out.metric('multi_seat_calls_abandoned_total', 'counter', 'Inbound calls whose customer left before any answer.', [[{}, c.abandoned]]);
    out.metric('multi_seat_calls_requeued_total', 'counter', 'Calls that went back to the queue (ring timeout, reject, agent lost, transfer to a queue).', [[{}, c.requeued]]);
    out.metric('multi_seat_calls_ended_total', 'counter', 'Calls ended.', [[{}, c.ended]]);
  }
  return out.text();
}

type Labels = Record<string, string>;

class Exposition {
  private readonly lines: string[] = [];

  metric(name: string, type: 'gauge' | 'counter', help: string, samples: Array<[Labels, number]>): void {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) return;
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) this.lines.push(`${name}${labelText(labels)} ${numberText(value)}`);
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}
