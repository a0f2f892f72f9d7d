/**
 * A control-center node of a cluster (DESIGN.md, "The cluster"). Every node terminates
 * WebSockets and forwards its clients' commands to the one dispatcher; every node follows the
 * journal into an engine of its own (a hot standby); the node holding the lease in Redis is the
 * dispatcher: it reads the commands, applies them through the effect host, and journals each
 * accepted event together with the messages it sends, in one fenced script. When the
 * dispatcher dies its lease expires, a follower takes it, finishes the replay and carries on:
 * the clients of the other nodes stay connected, the dead node's count as lost (R15/R16).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../../core/clock.js';
import { EffectHost, type JournalStatus, type Outbox, type Outcome } from '../../core/effect-host.js';
import { Engine, type EngineOptions } from '../../core/engine.js';
import type { EngineSnapshot } from '../../core/engine-snapshot.js';
import type { EngineEvent } from '../../core/events.js';
import type { CallRecord } from '../../core/model.js';
import type { ServerMessage } from '../../core/protocol.js';
import type { Presenter } from '../control-center.js';
import { nodeStats } from '../control-center.js';
import type { Floor, Peer } from '../floor.js';
import type { Rooms } from '../rooms.js';
import { ClusterJournal, type EntryBody } from './cluster-journal.js';
import { CLUSTER_FORMAT, clusterKeys, RELEASE, RENEW, SNAPSHOT, type ClusterKeys } from './keys.js';
import { Registry, type Origin } from './registry.js';

/** Where Redis is: a URL, or Sentinels that name the current master. */
export type RedisTarget = string | { sentinels: Array<{ host: string; port: number }>; name: string };

export interface ClusterOptions {
  redis: RedisTarget;
  /** This node's id (default host:port). */
  node: string;
  engine: EngineOptions;
  clock: Clock;
  rooms: Rooms;
  present?: Presenter;
  newCallId: () => string;
  queueThrottleMs: number;
  /** The lease expires this long after its last renewal (renewed every third of it). */
  leaseMs: number;
  /** A node whose heartbeat is older than this is dead (its clients are lost). */
  heartbeatMs: number;
  /** A snapshot every this many journaled events. */
  snapshotEvery: number;
  /** Hold each entry's messages until this many Redis replicas have it (0: do not wait). */
  waitReplicas?: number;
  /** A command not answered in this time fails with `internal`. */
  replyTimeoutMs?: number;
  prefix?: string;
  log: (message: string) => void;
}

/** What a node sends the dispatcher. */
interface Command {
  n: string;
  k: string;
  /** The request waiting for the verdict, or null when no one waits (a loss). */
  q: number | null;
  e: EngineEvent;
}

/** What the dispatcher sends a node. */
type Delivery =
  | { t: 'reply'; q: number; o: { ok: true } | { ok: false; code: string; message: string } }
  | { t: 'seat'; s: string; m: ServerMessage }
  | { t: 'call'; c: string; m: ServerMessage }
  | { t: 'all-agents'; m: ServerMessage }
  | { t: 'closed'; s: string }
  | { t: 'replaced'; r: 'agent' | 'caller'; id: string; k: string };

type Entries = Array<[string, string[]]>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ClusterNode implements Floor {
  /** The node's name (`--node`), as /healthz reports it. */
  readonly node: string;
  /**
   * This process: the name and a random incarnation. Messages, heartbeats and the registry use
   * it, so a node restarted under the same name is not taken for the one that died (whose
   * connections are lost).
   */
  readonly self: string;
  private readonly keys: ClusterKeys;
  private readonly redis: Redis;
  /** Blocking reads each need a connection of their own. */
  private readonly followConn: Redis;
  private readonly outConn: Redis;
  private readonly cmdConn: Redis;
  private current: Engine;
  private registry = new Registry();
  /** Where the follower is: the last journal entry applied and the command it came from. */
  private seq = 0;
  private cursor = '0-0';
  private host: EffectHost | null = null;
  private journal: ClusterJournal | null = null;
  private leaseValue: string | null = null;
  private readonly agents = new Map<string, Peer>();
  private readonly customers = new Map<string, Peer>();
  private readonly connIds = new WeakMap<Peer, string>();
  private connSeq = 0;
  private readonly pending = new Map<number, { accepted: (o: Outcome) => void; timer: NodeJS.Timeout }>();
  private reqSeq = 0;
  private stopped = false;
  private incompatible: string | null = null;
  private sinceSnapshot = 0;
  private readonly loops: Promise<void>[] = [];
  private liveNodes = new Set<string>();
  /** Lease changes this node saw (for /metrics). */
  leaseChanges = 0;

  private constructor(private readonly options: ClusterOptions) {
    this.node = options.node;
    this.self = `${options.node}#${randomBytes(4).toString('hex')}`;
    this.keys = clusterKeys(options.prefix);
    const common = { maxRetriesPerRequest: null, enableAutoPipelining: false };
    const target = options.redis;
    const connect = () => (typeof target === 'string' ? new Redis(target, common) : new Redis({ ...common, sentinels: target.sentinels, name: target.name }));
    this.redis = connect();
    this.followConn = connect();
    this.outConn = connect();
    this.cmdConn = connect();
    for (const c of [this.redis, this.followConn, this.outConn, this.cmdConn]) c.on('error', (e: Error) => options.log(`redis: ${e.message}`));
    this.current = new Engine(options.engine);
  }

  /** Joins the cluster: loads the journal, then follows it, competes for the lease, serves. */
  static async join(options: ClusterOptions): Promise<ClusterNode> {
    const node = new ClusterNode(options);
    await node.reload();
    await node.heartbeat();
    await node.redis.sadd(node.keys.nodes, node.self);
    node.loops.push(node.followLoop(), node.deliveryLoop(), node.leaseLoop(), node.heartbeatLoop());
    return node;
  }

  get now(): number {
    return this.options.clock.now();
  }

  get role(): 'leader' | 'follower' {
    return this.host ? 'leader' : 'follower';
  }

  get journalStatus(): JournalStatus {
    return this.incompatible ? 'full' : 'ok';
  }

  /** The engine this node holds: the dispatcher's, or a follower's copy a moment behind. */
  get engine(): Engine {
    return this.current;
  }

  /** For /metrics: lease changes in the whole cluster, and how far this node trails the journal. */
  async clusterFigures(): Promise<{ leaseChanges: number; journalLagEvents: number }> {
    const [changes, last] = await Promise.all([this.redis.get(this.keys.leaseChanges), this.redis.xrevrange(this.keys.journal, '+', '-', 'COUNT', 1)]);
    const head = last[0] ? Number(last[0][0].split('-')[0]) : this.seq;
    return { leaseChanges: Number(changes ?? 0), journalLagEvents: this.host ? 0 : Math.max(0, head - this.seq) };
  }

  // ---- the Floor, for this node's connections --------------------------------------------

  apply(event: EngineEvent, accepted?: (outcome: Outcome) => void, from?: Peer): void {
    let q: number | null = null;
    if (accepted) {
      q = ++this.reqSeq;
      const timer = setTimeout(() => {
        this.pending.delete(q!);
        accepted({ ok: false, error: Object.assign(new Error('the dispatcher did not answer in time'), { code: 'internal' as const }) } as Outcome);
      }, this.options.replyTimeoutMs ?? 10_000);
      timer.unref();
      this.pending.set(q, { accepted, timer });
    }
    const command: Command = { n: this.self, k: from ? this.connId(from) : '', q, e: event };
    this.redis.xadd(this.keys.commands, '*', 'x', JSON.stringify(command)).catch((e: Error) => this.options.log(`forwarding ${event.type} failed: ${e.message}`));
  }

  agentOnline(seatId: string): Peer | undefined {
    return this.agents.get(seatId);
  }

  bindAgent(seatId: string, peer: Peer): void {
    this.agents.set(seatId, peer);
  }

  agentGone(seatId: string, peer: Peer): void {
    if (this.agents.get(seatId) !== peer) return;
    this.agents.delete(seatId);
    if (!this.stopped) this.apply({ type: 'agent-lost', seatId, now: this.now }, undefined, peer);
  }

  customerOnline(customerId: string): Peer | undefined {
    return this.customers.get(customerId);
  }

  bindCustomer(customerId: string, peer: Peer): void {
    this.customers.set(customerId, peer);
  }

  customerGone(customerId: string, peer: Peer): void {
    if (this.customers.get(customerId) !== peer) return;
    this.customers.delete(customerId);
    this.host?.forgetCustomer(customerId);
    if (!this.stopped) this.apply({ type: 'caller-lost', customerId, now: this.now }, undefined, peer);
  }

  stats() {
    const stats = nodeStats(this.current, { agents: this.agents.size, customers: this.customers.size }, this.options.rooms, this.journalStatus);
    return { ...stats, node: this.node, role: this.role };
  }

  async recent(limit: number, seatId?: string): Promise<CallRecord[]> {
    const ids = await this.redis.lrange(seatId === undefined ? this.keys.recordOrder : this.keys.recordSeat(seatId), -limit, -1);
    if (ids.length === 0) return [];
    const rows = await this.redis.hmget(this.keys.records, ...ids.reverse());
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as CallRecord);
  }

  /** Leaves the cluster: lets go of the lease at once (a follower takes over), stops the loops. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const lease = this.leaseValue;
    this.demote('stopping');
    if (lease) await this.redis.eval(RELEASE, 1, this.keys.lease, lease).catch(() => {});
    await this.redis.del(this.keys.alive(this.self)).catch(() => {});
    for (const c of [this.followConn, this.outConn, this.cmdConn]) c.disconnect();
    // A blocking read on a closed connection may never settle: the stop must not hang on it.
    await Promise.race([Promise.allSettled(this.loops), sleep(1000)]);
    this.redis.disconnect();
  }

  // ---- following the journal ---------------------------------------------------------------

  /** The newest snapshot and every entry after it: a fresh engine and registry. */
  private async reload(): Promise<void> {
    const raw = await this.redis.get(this.keys.snapshot);
    if (raw) {
      const snap = JSON.parse(raw) as { seq: number; cursor: string; state: EngineSnapshot; registry: Array<[string, Origin]> };
      this.current = Engine.fromSnapshot(snap.state, this.options.engine);
      this.registry = Registry.from(snap.registry);
      this.seq = snap.seq;
      this.cursor = snap.cursor;
    } else {
      this.current = new Engine(this.options.engine);
      this.registry = new Registry();
      this.seq = 0;
      this.cursor = '0-0';
    }
    await this.catchUp();
  }

  /** Applies every entry after the last one applied. */
  private async catchUp(): Promise<void> {
    for (;;) {
      const entries = (await this.redis.xrange(this.keys.journal, `(${this.seq}-1`, '+', 'COUNT', 5000)) as Entries;
      if (entries.length === 0) return;
      for (const [id, fields] of entries) if (!this.follow(id, fields)) return this.reload();
    }
  }

  /** Applies one journal entry; false when the journal has moved past this node (reload). */
  private follow(id: string, fields: string[]): boolean {
    const seq = Number(id.split('-')[0]);
    if (seq <= this.seq) return true;
    if (seq !== this.seq + 1) return false;
    const body = JSON.parse(fields[1]!) as EntryBody;
    if (body.f > CLUSTER_FORMAT) {
      // A newer node wrote it: following on would guess at a shape this one does not know.
      this.incompatible ??= `journal entry ${seq} has format ${body.f}; this node reads up to ${CLUSTER_FORMAT}: upgrade it`;
      this.options.log(this.incompatible);
      return true;
    }
    const result = this.current.apply(body.e);
    if (!result.ok) this.options.log(`journal entry ${seq} (${body.e.type}) was refused on replay: ${result.error.message}`);
    this.registry.afterEvent(body.e, body.o, result.ok ? result.effects : []);
    this.seq = seq;
    this.cursor = body.c;
    return true;
  }

  private async followLoop(): Promise<void> {
    while (!this.stopped) {
      if (this.host || this.incompatible) {
        await sleep(100);
        continue;
      }
      try {
        const res = (await this.followConn.xread('COUNT', 2000, 'BLOCK', 200, 'STREAMS', this.keys.journal, `${this.seq}-1`)) as Array<[string, Entries]> | null;
        if (!res || this.host) continue;
        for (const [id, fields] of res[0]![1]) {
          if (this.host) break;
          if (!this.follow(id, fields)) {
            await this.reload();
            break;
          }
        }
      } catch (e) {
        if (!this.stopped) this.options.log(`following the journal: ${(e as Error).message}`);
        await sleep(200);
      }
    }
  }

  // ---- the lease -----------------------------------------------------------------------------

  private async leaseLoop(): Promise<void> {
    const every = Math.max(50, Math.floor(this.options.leaseMs / 3));
    while (!this.stopped) {
      try {
        if (this.leaseValue) {
          const kept = await this.redis.eval(RENEW, 1, this.keys.lease, this.leaseValue, String(this.options.leaseMs));
          if (kept !== 1) this.demote('the lease was lost');
        } else if (!this.incompatible && (await this.redis.exists(this.keys.lease)) === 0) {
          const epoch = await this.redis.incr(this.keys.epoch);
          const value = `${this.self}|${epoch}`;
          if ((await this.redis.set(this.keys.lease, value, 'PX', this.options.leaseMs, 'NX')) === 'OK') await this.promote(value);
        }
      } catch (e) {
        if (!this.stopped) this.options.log(`lease: ${(e as Error).message}`);
      }
      await sleep(every);
    }
  }

  /** This node holds the lease: finish the replay, then dispatch. */
  private async promote(value: string): Promise<void> {
    this.leaseValue = value;
    this.leaseChanges++;
    await this.redis.incr(this.keys.leaseChanges).catch(() => 0);
    await this.catchUp();
    if (this.leaseValue !== value) return;
    const journal = new ClusterJournal(this.redis, this.keys, value, { seq: this.seq, cursor: this.cursor }, (why) => this.demote(`a journal write was refused: ${why}`), this.options.waitReplicas ?? 0);
    this.journal = journal;
    this.host = new EffectHost({
      engine: this.current,
      clock: this.options.clock,
      outbox: this.outbox(journal),
      journal,
      throttleMs: this.options.queueThrottleMs,
      newCallId: this.options.newCallId,
      log: this.options.log,
    });
    this.host.rearm();
    this.options.rooms.restore([...this.current.liveCalls()].map((c) => ({ key: c.callId, media: c.media, parties: c.parties })));
    this.options.log(`${this.node} dispatches (lease ${value}, journal at ${this.seq})`);
    this.loops.push(this.dispatchLoop(value), this.deadNodeLoop(value));
  }

  /** Stops dispatching; the engine is rebuilt from Redis, where only fenced writes went. */
  private demote(why: string): void {
    if (!this.host) {
      this.leaseValue = null;
      return;
    }
    this.options.log(`${this.node} stops dispatching: ${why}`);
    this.host.stop();
    this.host = null;
    this.journal = null;
    this.leaseValue = null;
    if (!this.stopped) void this.reload().catch((e: Error) => this.options.log(`reload: ${e.message}`));
  }

  // ---- dispatching ---------------------------------------------------------------------------

  private async dispatchLoop(lease: string): Promise<void> {
    let cursor = this.journal!.cursor;
    while (!this.stopped && this.leaseValue === lease) {
      try {
        const res = (await this.cmdConn.xread('COUNT', 1000, 'BLOCK', 200, 'STREAMS', this.keys.commands, cursor)) as Array<[string, Entries]> | null;
        if (!res || this.leaseValue !== lease) continue;
        for (const [id, fields] of res[0]![1]) {
          cursor = id;
          if (this.leaseValue !== lease) break;
          this.dispatch(JSON.parse(fields[1]!) as Command, id);
        }
        this.maybeSnapshot(lease);
      } catch (e) {
        if (!this.stopped) this.options.log(`reading commands: ${(e as Error).message}`);
        await sleep(100);
      }
    }
  }

  private dispatch(command: Command, id: string): void {
    const host = this.host!;
    const journal = this.journal!;
    const event = command.e;
    // Time is the dispatcher's: every node's clock feeds one engine in one order.
    event.now = this.now;
    const origin: Origin | null = command.k ? { n: command.n, k: command.k } : null;
    journal.from(origin, id);
    if (event.type === 'agent-lost' && !this.registry.holds(Registry.agent(event.seatId), origin)) return;
    if (event.type === 'caller-lost' && !this.registry.holds(Registry.customer(event.customerId), origin)) return;
    const outcome = host.apply(event, (o) => {
      if (command.q !== null) {
        const verdict = o.ok ? { ok: true as const } : { ok: false as const, code: o.error.code, message: o.error.message };
        journal.send(this.keys.out(command.n), { t: 'reply', q: command.q, o: verdict } satisfies Delivery);
      }
      if (!o.ok || !origin) return;
      // Hellos and losses move the registry before the effects are sent, so they go to the new place.
      const key = event.type === 'agent-hello' ? Registry.agent(event.seatId) : event.type === 'caller-hello' ? Registry.customer(event.customerId) : null;
      if (key) {
        const before = this.registry.set(key, origin);
        if (before && (before.n !== origin.n || before.k !== origin.k)) {
          const r = event.type === 'agent-hello' ? 'agent' : 'caller';
          const who = event.type === 'agent-hello' ? event.seatId : (event as { customerId: string }).customerId;
          journal.send(this.keys.out(before.n), { t: 'replaced', r, id: who, k: before.k } satisfies Delivery);
        }
      }
    });
    if (outcome.ok) this.afterApplied(event);
  }

  /** Registry changes that follow the effects (the same ones followers make). */
  private afterApplied(event: EngineEvent): void {
    if (event.type === 'agent-lost' || event.type === 'agent-bye') this.registry.delete(Registry.agent(event.seatId));
    else if (event.type === 'caller-lost') this.registry.delete(Registry.customer(event.customerId));
    this.sinceSnapshot++;
  }

  private outbox(journal: ClusterJournal): Outbox {
    const present = this.options.present;
    const toAgent = (seatId: string, m: ServerMessage) => {
      const at = this.registry.get(Registry.agent(seatId));
      if (at) journal.send(this.keys.out(at.n), { t: 'seat', s: seatId, m } satisfies Delivery);
    };
    const toCustomer = (customerId: string, m: ServerMessage) => {
      const at = this.registry.get(Registry.customer(customerId));
      if (at) journal.send(this.keys.out(at.n), { t: 'call', c: customerId, m } satisfies Delivery);
    };
    return {
      seat: (seatId, view) => toAgent(seatId, { type: 'seat', seat: present ? present.seat(view, seatId) : view }),
      call: (customerId, view) => toCustomer(customerId, { type: 'call', call: present ? present.call(view, customerId) : view }),
      noCall: (customerId) => toCustomer(customerId, { type: 'no-call' }),
      waiting: (waiting) => {
        for (const n of this.liveNodes) journal.send(this.keys.out(n), { t: 'all-agents', m: { type: 'queue', waiting } } satisfies Delivery);
      },
      reaches: (customerId) => this.registry.get(Registry.customer(customerId)) !== undefined,
      roomCreate: (key) => this.options.rooms.create(key),
      roomDestroy: (key) => this.options.rooms.destroy(key),
      roomAccess: (key, parties) => this.options.rooms.access(key, parties),
      record: () => {},
      seatClosed: (seatId) => {
        const at = this.registry.get(Registry.agent(seatId));
        if (at) journal.send(this.keys.out(at.n), { t: 'closed', s: seatId } satisfies Delivery);
        this.registry.delete(Registry.agent(seatId));
      },
    };
  }

  private maybeSnapshot(lease: string): void {
    if (this.sinceSnapshot < this.options.snapshotEvery || !this.journal) return;
    this.sinceSnapshot = 0;
    // After the journal's own flush (queued first): then its seq numbers exactly the events
    // this engine has applied, and the script goes out after their appends on this connection.
    queueMicrotask(() => {
      if (!this.journal || this.leaseValue !== lease) return;
      const seq = this.journal.seq;
      const snap = JSON.stringify({ seq, cursor: this.journal.cursor, state: this.current.snapshot(), registry: this.registry.toJSON() });
      // Followers a little behind still find their next entry: the trim keeps a margin.
      const keepFrom = Math.max(0, seq - 10_000);
      this.redis
        .eval(SNAPSHOT, 4, this.keys.lease, this.keys.snapshot, this.keys.journal, this.keys.commands, lease, snap, `${keepFrom}-0`, this.journal?.cursor ?? '0-0')
        .catch((e: Error) => this.options.log(`snapshot: ${e.message}`));
    });
  }

  /** Nodes whose heartbeat is gone lose their connections (R15/R16 start for each). */
  private async deadNodeLoop(lease: string): Promise<void> {
    for (let first = true; !this.stopped && this.leaseValue === lease; first = false) {
      if (!first) await sleep(Math.max(100, Math.floor(this.options.heartbeatMs / 3)));
      try {
        const known = await this.redis.smembers(this.keys.nodes);
        const alive = new Set<string>();
        for (const n of known) if ((await this.redis.exists(this.keys.alive(n))) === 1) alive.add(n);
        this.liveNodes = alive;
        // Incarnations that hold no connection any more are forgotten.
        const holding = this.registry.nodes();
        for (const n of known) if (!alive.has(n) && !holding.has(n)) await this.redis.srem(this.keys.nodes, n);
        if (this.leaseValue !== lease || !this.host) return;
        for (const n of this.registry.nodes()) {
          if (alive.has(n)) continue;
          this.options.log(`node ${n} is gone: its connections are lost`);
          for (const [key, origin] of this.registry.on(n)) {
            const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
            const e: EngineEvent = kind === 'agent' ? { type: 'agent-lost', seatId: id, now: this.now } : { type: 'caller-lost', customerId: id, now: this.now };
            this.journal!.from(origin);
            if (this.host.apply(e).ok) this.afterApplied(e);
          }
        }
      } catch (e) {
        if (!this.stopped) this.options.log(`node check: ${(e as Error).message}`);
      }
    }
  }

  // ---- this node's clients ------------------------------------------------------------------

  private connId(peer: Peer): string {
    let id = this.connIds.get(peer);
    if (!id) this.connIds.set(peer, (id = String(++this.connSeq)));
    return id;
  }

  private async deliveryLoop(): Promise<void> {
    // A concrete id from the start: with '$' every read would skip what came between two reads.
    const tail = await this.redis.xrevrange(this.keys.out(this.self), '+', '-', 'COUNT', 1).catch(() => []);
    let last = tail[0]?.[0] ?? '0-0';
    while (!this.stopped) {
      try {
        const res = (await this.outConn.xread('COUNT', 2000, 'BLOCK', 200, 'STREAMS', this.keys.out(this.self), last)) as Array<[string, Entries]> | null;
        if (!res) continue;
        for (const [id, fields] of res[0]![1]) {
          last = id;
          this.deliver(JSON.parse(fields[1]!) as Delivery);
        }
      } catch (e) {
        if (!this.stopped) this.options.log(`deliveries: ${(e as Error).message}`);
        await sleep(100);
      }
    }
  }

  private deliver(d: Delivery): void {
    switch (d.t) {
      case 'reply': {
        const p = this.pending.get(d.q);
        if (!p) return;
        this.pending.delete(d.q);
        clearTimeout(p.timer);
        const outcome = d.o.ok ? { ok: true as const } : { ok: false as const, error: Object.assign(new Error(d.o.message), { code: d.o.code }) };
        p.accepted(outcome as Outcome);
        return;
      }
      case 'seat':
        return this.agents.get(d.s)?.send(d.m);
      case 'call':
        return this.customers.get(d.c)?.send(d.m);
      case 'all-agents':
        for (const peer of this.agents.values()) peer.send(d.m);
        return;
      case 'closed': {
        const peer = this.agents.get(d.s);
        this.agents.delete(d.s);
        peer?.signedOut();
        return;
      }
      case 'replaced': {
        const table = d.r === 'agent' ? this.agents : this.customers;
        const peer = table.get(d.id);
        if (peer && this.connIds.get(peer) === d.k) {
          table.delete(d.id);
          peer.replaced();
        }
        return;
      }
    }
  }

  private async heartbeat(): Promise<void> {
    await this.redis.set(this.keys.alive(this.self), String(this.now), 'PX', this.options.heartbeatMs);
  }

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopped) {
      await sleep(Math.max(50, Math.floor(this.options.heartbeatMs / 3)));
      if (this.stopped) return;
      await this.heartbeat().catch((e: Error) => this.options.log(`heartbeat: ${e.message}`));
    }
  }
}
