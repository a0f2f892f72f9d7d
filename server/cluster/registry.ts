/**
 * Which node holds each signed-in agent's and customer's connection, so the dispatcher sends
 * each message where its addressee is. It is derived from the journal alone (every entry says
 * which node and connection its command came from), so every follower holds the same registry
 * and a new dispatcher starts with the right one.
 */
import type { Effect } from '../../core/effects.js';
import type { EngineEvent } from '../../core/events.js';

/** Where a command came from: a node and a connection on it. */
export interface Origin {
  n: string;
  k: string;
}

type Key = `agent:${string}` | `caller:${string}`;

export class Registry {
  private readonly where = new Map<Key, Origin>();

  static agent(seatId: string): Key {
    return `agent:${seatId}`;
  }
  static customer(customerId: string): Key {
    return `caller:${customerId}`;
  }

  get(key: Key): Origin | undefined {
    return this.where.get(key);
  }

  set(key: Key, origin: Origin): Origin | undefined {
    const before = this.where.get(key);
    this.where.set(key, origin);
    return before;
  }

  delete(key: Key): void {
    this.where.delete(key);
  }

  /** Whether a loss reported from `origin` is about the connection the floor knows. */
  holds(key: Key, origin: Origin | null): boolean {
    const at = this.where.get(key);
    return !!at && !!origin && at.n === origin.n && at.k === origin.k;
  }

  /** The connections held on one node. */
  on(node: string): Array<[Key, Origin]> {
    return [...this.where].filter(([, o]) => o.n === node);
  }

  nodes(): Set<string> {
    return new Set([...this.where.values()].map((o) => o.n));
  }

  /** What an accepted event does to the registry (followers and the dispatcher alike). */
  afterEvent(event: EngineEvent, origin: Origin | null, effects: Effect[]): void {
    if (event.type === 'agent-hello' && origin) this.set(Registry.agent(event.seatId), origin);
    else if (event.type === 'caller-hello' && origin) this.set(Registry.customer(event.customerId), origin);
    else if (event.type === 'agent-lost' || event.type === 'agent-bye') this.delete(Registry.agent(event.seatId));
    else if (event.type === 'caller-lost') this.delete(Registry.customer(event.customerId));
    else if (event.type === 'restart') this.where.clear();
    for (const e of effects) if (e.type === 'seat-closed') this.delete(Registry.agent(e.seatId));
  }

  toJSON(): Array<[string, Origin]> {
    return [...this.where];
  }

  static from(entries: Array<[string, Origin]>): Registry {
    const r = new Registry();
    for (const [k, o] of entries) r.where.set(k as Key, o);
    return r;
  }
}
