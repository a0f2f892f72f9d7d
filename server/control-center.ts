/**
 * The authoritative control center: one Engine for every seat and customer behind the shared
 * effect host, with the connections it delivers to (one per seat, one per customer).
 *
 * Node runs this on one thread and `apply` never awaits, so events are serialised by
 * construction; everything asynchronous (Janus, timers) comes back as a new event.
 */
import type { Clock } from '../core/clock.js';
import { EffectHost, type JournalWriter, type Outbox, type Outcome } from '../core/effect-host.js';
import type { Engine } from '../core/engine.js';
import type { EngineEvent } from '../core/events.js';
import type { CallRecord, Counters } from '../core/model.js';
import type { CustomerCallView, SeatView } from '../core/protocol.js';
import type { Floor, Peer } from './floor.js';
import type { Records } from './records.js';
import type { Rooms } from './rooms.js';

export type { Outcome, Peer };

/** Fills in what each party alone may see (its own media token) before a view leaves. */
export interface Presenter {
  seat(view: SeatView, seatId: string): SeatView;
  call(view: CustomerCallView, customerId: string): CustomerCallView;
}

export type { Counters };

export interface ControlCenterOptions {
  engine: Engine;
  clock: Clock;
  records: Records;
  rooms: Rooms;
  queueThrottleMs: number;
  journal?: JournalWriter | null;
  newCallId?: () => string;
  present?: Presenter;
  log?: (message: string) => void;
}

/** The control center of a single node: it holds the engine and decides. */
export class ControlCenter implements Floor {
  readonly role = 'leader' as const;
  readonly engine: Engine;
  readonly host: EffectHost;
  private readonly clock: Clock;
  private readonly records: Records;
  private readonly rooms: Rooms;
  private readonly agents = new Map<string, Peer>();
  private readonly customers = new Map<string, Peer>();
  /** Set on a planned stop that keeps calls: connections closing then are not losses. */
  private quiet = false;

  constructor(options: ControlCenterOptions) {
    this.clock = options.clock;
    this.records = options.records;
    this.rooms = options.rooms;
    this.engine = options.engine;
    const present = options.present;
    const outbox: Outbox = {
      seat: (seatId, view) => this.agents.get(seatId)?.send({ type: 'seat', seat: present ? present.seat(view, seatId) : view }),
      call: (customerId, view) => this.customers.get(customerId)?.send({ type: 'call', call: present ? present.call(view, customerId) : view }),
      noCall: (customerId) => this.customers.get(customerId)?.send({ type: 'no-call' }),
      waiting: (waiting) => {
        for (const peer of this.agents.values()) peer.send({ type: 'queue', waiting });
      },
      reaches: (customerId) => this.customers.has(customerId),
      roomCreate: (key) => this.rooms.create(key),
      roomDestroy: (key) => this.rooms.destroy(key),
      roomAccess: (key, parties) => this.rooms.access(key, parties),
      record: (record) => this.records.add(record),
      seatClosed: (seatId) => {
        const peer = this.agents.get(seatId);
        this.agents.delete(seatId);
        peer?.signedOut();
      },
    };
    this.host = new EffectHost({
      engine: this.engine,
      clock: this.clock,
      outbox,
      journal: options.journal ?? null,
      throttleMs: options.queueThrottleMs,
      ...(options.newCallId ? { newCallId: options.newCallId } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  get now(): number {
    return this.clock.now();
  }

  get waiting(): number {
    return this.engine.waiting;
  }

  get journalStatus() {
    return this.host.journalStatus;
  }

  get counters(): Counters {
    return this.engine.counters;
  }

  agentOnline(seatId: string): Peer | undefined {
    return this.agents.get(seatId);
  }

  customerOnline(customerId: string): Peer | undefined {
    return this.customers.get(customerId);
  }

  /** See EffectHost.apply. */
  apply(event: EngineEvent, accepted?: (outcome: Outcome) => void): Outcome {
    return this.host.apply(event, accepted);
  }

  bindAgent(seatId: string, peer: Peer): void {
    this.agents.set(seatId, peer);
    peer.send({ type: 'queue', waiting: this.host.toldWaiting });
  }

  /** The agent's connection closed: R15 starts unless another connection took over. */
  agentGone(seatId: string, peer: Peer): void {
    if (this.agents.get(seatId) !== peer) return;
    this.agents.delete(seatId);
    if (!this.quiet) this.apply({ type: 'agent-lost', seatId, now: this.now });
  }

  bindCustomer(customerId: string, peer: Peer): void {
    this.customers.set(customerId, peer);
  }

  customerGone(customerId: string, peer: Peer): void {
    if (this.customers.get(customerId) !== peer) return;
    this.customers.delete(customerId);
    this.host.forgetCustomer(customerId);
    if (!this.quiet) this.apply({ type: 'caller-lost', customerId, now: this.now });
  }

  /** Stops taking calls and ends every live call with `server-shutdown`. */
  shutdown(): void {
    this.apply({ type: 'shutdown', now: this.now });
    this.host.stop();
  }

  /**
   * A planned stop that keeps every call: nothing more is applied, and the connections that
   * close now are not losses (the next start counts everyone as lost from then, R15/R16).
   */
  suspend(): void {
    this.quiet = true;
    this.host.stop();
  }

  recent(limit: number, seatId?: string): CallRecord[] {
    return this.records.recent(limit, seatId);
  }

  stats() {
    return nodeStats(this.engine, { agents: this.agents.size, customers: this.customers.size }, this.rooms, this.host.journalStatus);
  }
}

/** `/v1/stats` of one node: the floor as its engine has it, its own connections, its Janus view. */
export function nodeStats(engine: Engine, connected: { agents: number; customers: number }, rooms: Rooms, journal: string) {
  const floor = floorStats(engine);
  return {
    ...floor,
    seats: { ...floor.seats, connected: connected.agents },
    customers: { connected: connected.customers },
    janus: rooms.status,
    rooms: rooms.count,
    // Each Janus of the pool: status (up, down, lost), rooms, participants, our calls on it.
    janusServers: rooms.servers(),
    journal,
  };
}

/** What the engine says about the floor, for `/v1/stats` (every node of a cluster has an engine). */
export function floorStats(engine: Engine) {
  // Queue names come from clients: a null-prototype table keeps `__proto__` a plain key.
  const queues: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const call of engine.queuedCalls()) {
    if (call.kind === 'consult') continue;
    const q = call.queue ?? '';
    queues[q] = (queues[q] ?? 0) + 1;
  }
  let signedIn = 0;
  let ready = 0;
  for (const seat of engine.allSeats()) {
    signedIn++;
    if (seat.ready && seat.online) ready++;
  }
  const calls: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const call of engine.liveCalls()) {
    const seat = call.seatId ? engine.seat(call.seatId) : undefined;
    const state = call.place === 'queued' || !seat || call.split === null ? 'queued' : seat.splits[call.split]!.state;
    calls[state] = (calls[state] ?? 0) + 1;
  }
  const { queues: byQueue, ...counters } = engine.counters;
  const stats = { waiting: engine.waiting, queues, seats: { signedIn, ready }, calls, counters };
  const configured = engine.config.queues?.queues;
  if (!configured) return stats;
  // R19: with a queue configuration, each queue's service level since the journal began.
  const serviceLevel: Record<string, { targetMs: number; answered: number; withinTarget: number; share: number | null }> = Object.create(null);
  for (const [q, settings] of Object.entries(configured)) {
    const c = byQueue?.[q] ?? { answered: 0, withinTarget: 0 };
    serviceLevel[q] = { targetMs: settings.serviceLevelMs, ...c, share: c.answered ? c.withinTarget / c.answered : null };
  }
  return { ...stats, serviceLevel };
}
