/**
 * The dispatcher's journal on a Redis Stream. The effect host appends each accepted event
 * before performing its effects; here the event waits, with the call records it finished and
 * every message its effects send to clients, until the end of the current turn, then goes to
 * Redis as one fenced script: the event is in the journal and its messages are on their way,
 * or (the lease lost) neither. Entries go out in order on one connection, so appends pipeline.
 */
import type { Redis } from 'ioredis';
import type { JournalWriter } from '../../core/effect-host.js';
import type { EngineEvent } from '../../core/events.js';
import type { CallRecord } from '../../core/model.js';
import { APPEND, CLUSTER_FORMAT, type ClusterKeys } from './keys.js';
import type { Origin } from './registry.js';

/** What a journal entry holds besides the event. */
export interface EntryBody {
  f: number;
  e: EngineEvent;
  /** The node and connection the command came from, if a client sent it. */
  o: Origin | null;
  /** The last command read from the commands stream when this entry was made. */
  c: string;
}

interface Pending {
  event: EngineEvent | null;
  origin: Origin | null;
  /** The command cursor once this entry's command is handled. */
  cursor: string;
  records: CallRecord[];
  messages: Array<[string, string]>;
}

export class ClusterJournal implements JournalWriter {
  /** The seq of the last entry appended (or read, before this node dispatched). */
  seq: number;
  /** The last command handled. */
  cursor: string;
  private pending: Pending[] = [];
  private origin: Origin | null = null;
  private scheduled = false;
  private fenced = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    private readonly leaseValue: string,
    start: { seq: number; cursor: string },
    private readonly onFenced: (why: string) => void,
    /**
     * With replicas: an entry's messages (the `ok`, the snapshots) go out only once this many
     * replicas have the entry (`WAIT`), so a Redis fail-over loses nothing anyone was told.
     */
    private readonly waitReplicas = 0,
    private readonly waitMs = 1000,
  ) {
    this.seq = start.seq;
    this.cursor = start.cursor;
  }

  /** The next events come from this command (null: the dispatcher's own timers and rooms). */
  from(origin: Origin | null, cursor?: string): void {
    this.origin = origin;
    if (cursor) this.cursor = cursor;
    this.pending.push({ event: null, origin, cursor: this.cursor, records: [], messages: [] });
    this.schedule();
  }

  append(event: EngineEvent, records: CallRecord[]): void {
    const last = this.pending.at(-1);
    if (last && last.event === null && last.messages.length === 0) {
      last.event = event;
      last.records = records;
    } else this.pending.push({ event, origin: this.origin, cursor: this.cursor, records, messages: [] });
    this.origin = null;
    this.schedule();
  }

  /** A message for a node's clients, sent with the entry it belongs to. */
  send(stream: string, payload: unknown): void {
    let last = this.pending.at(-1);
    if (!last) {
      last = { event: null, origin: null, cursor: this.cursor, records: [], messages: [] };
      this.pending.push(last);
    }
    last.messages.push([stream, JSON.stringify(payload)]);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    for (const p of batch) {
      if (this.fenced) return;
      if (p.event === null && p.messages.length === 0) continue;
      const args: string[] = [this.leaseValue];
      if (p.event) {
        const body: EntryBody = { f: CLUSTER_FORMAT, e: p.event, o: p.origin, c: p.cursor };
        args.push(`${++this.seq}-1`, JSON.stringify(body));
      } else args.push('', '');
      args.push(String(p.records.length));
      for (const r of p.records) args.push(r.callId, r.seatId ?? '', JSON.stringify(r));
      const messages = p.messages.flat();
      if (this.waitReplicas > 0 && p.event) {
        // In order, one entry at a time: the entry, the replicas' confirmation, then what it says.
        // Unconfirmed, nothing is said and this node stops deciding (its Redis may be going).
        const seq = this.seq;
        this.chain = this.chain.then(async () => {
          if (this.fenced) return;
          await this.redis.eval(APPEND, 4, this.keys.lease, this.keys.journal, this.keys.records, this.keys.recordOrder, ...args);
          const n = await this.redis.wait(this.waitReplicas, this.waitMs);
          if (n < this.waitReplicas) throw new Error(`only ${n} of ${this.waitReplicas} replicas confirmed journal entry ${seq}`);
          if (messages.length) await this.redis.eval(APPEND, 4, this.keys.lease, this.keys.journal, this.keys.records, this.keys.recordOrder, this.leaseValue, '', '', '0', ...messages);
        }).catch((e: Error) => this.fence(e.message));
      } else this.run([...args, ...messages]);
    }
  }

  private chain: Promise<void> = Promise.resolve();

  private fence(why: string): void {
    if (this.fenced) return;
    this.fenced = true;
    this.onFenced(why);
  }

  private run(args: string[]): void {
    this.redis.eval(APPEND, 4, this.keys.lease, this.keys.journal, this.keys.records, this.keys.recordOrder, ...args).catch((e: Error) => this.fence(e.message));
  }
}
