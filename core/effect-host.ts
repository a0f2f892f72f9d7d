/**
 * The one doer of the engine's effects, shared by the control center and the in-browser
 * simulator: it feeds events to the engine one at a time, writes accepted ones to the journal
 * before anything is performed, keeps the engine's timers, and tells agents the waiting count
 * and customers their place (throttled). Where a message goes is the host's business: an
 * `Outbox` per host (sockets in the server, fake clients in the simulator).
 */
import type { Clock, TimerHandle } from './clock.js';
import type { Effect } from './effects.js';
import type { Engine } from './engine.js';
import { EngineError } from './engine-error.js';
import { createsCall, type EngineEvent } from './events.js';
import type { CallRecord } from './model.js';
import type { CustomerCallView, SeatView } from './protocol.js';
import { Throttle } from './throttle.js';

/** Where the effects of accepted events go. */
export interface Outbox {
  seat(seatId: string, view: SeatView): void;
  call(customerId: string, view: CustomerCallView): void;
  /** The customer signed in and has no live call. */
  noCall(customerId: string): void;
  /** Every signed-in agent hears the number of waiting calls. */
  waiting(waiting: number): void;
  /** Whether this customer has a connection to tell its place to. */
  reaches(customerId: string): boolean;
  roomCreate(key: string): void;
  roomDestroy(key: string): void;
  roomAccess(key: string, parties: string[]): void;
  /** A finished call, for hosts without a journal (with one, records go in with the event). */
  record(record: CallRecord): void;
  seatClosed(seatId: string): void;
}

/** The write side of a journal, as the host needs it. */
export interface JournalWriter {
  /**
   * Durably appends one accepted event with the call records it produced (kept exactly once:
   * a record's call id is its key). Throws when it cannot (disk full, read-only).
   */
  append(event: EngineEvent, records: CallRecord[]): void;
}

export type Outcome = { ok: true } | { ok: false; error: EngineError };

/** `ok`, or `full` while appends fail: commands are refused, what is live keeps being served. */
export type JournalStatus = 'ok' | 'full' | 'off';

export interface EffectHostOptions {
  engine: Engine;
  clock: Clock;
  outbox: Outbox;
  journal?: JournalWriter | null;
  /** Waiting count and queue places go out at most this often (0: at once). */
  throttleMs: number;
  /** Ids for new calls, put into the event so a replay makes the same ones. */
  newCallId?: () => string;
  log?: (message: string) => void;
}

/** Events the control center itself causes; they are applied even while the journal is full. */
const SYSTEM = new Set<EngineEvent['type']>(['timer', 'room-ready', 'agent-lost', 'caller-lost', 'shutdown', 'restart']);

/** A bound on what is kept in memory while the journal cannot be written. */
const MAX_BACKLOG = 100_000;

export class EffectHost {
  readonly engine: Engine;
  private readonly clock: Clock;
  private readonly outbox: Outbox;
  private readonly journal: JournalWriter | null;
  private readonly newCallId: (() => string) | null;
  private readonly log: (message: string) => void;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly waitingNews: Throttle;
  private readonly positionNews: Throttle;
  private sentWaiting: number;
  /** The place each queued customer was last told; an entry lives only while its call waits. */
  private readonly toldPosition = new Map<string, number | null>();
  /** Accepted events that could not be journaled yet, oldest first. */
  private backlog: Array<{ event: EngineEvent; records: CallRecord[] }> = [];
  private applying = false;
  private stopped = false;

  constructor(options: EffectHostOptions) {
    this.engine = options.engine;
    this.clock = options.clock;
    this.outbox = options.outbox;
    this.journal = options.journal ?? null;
    this.newCallId = options.newCallId ?? null;
    this.log = options.log ?? (() => {});
    this.sentWaiting = this.engine.waiting;
    this.waitingNews = new Throttle(this.clock, options.throttleMs, () => this.tellWaiting());
    this.positionNews = new Throttle(this.clock, options.throttleMs, () => this.tellPositions());
  }

  get journalStatus(): JournalStatus {
    if (!this.journal) return 'off';
    return this.backlog.length > 0 ? 'full' : 'ok';
  }

  /** The waiting count agents were last told (a new agent connection starts from it). */
  get toldWaiting(): number {
    return this.sentWaiting;
  }

  /**
   * Applies one event. `accepted` runs between the engine's verdict and the effects, so a
   * client hears `ok` before what its command caused, and a new peer is bound before its first
   * snapshot goes out.
   */
  apply(event: EngineEvent, accepted?: (outcome: Outcome) => void): Outcome {
    if (this.applying) throw new Error(`re-entrant apply of ${event.type}`);
    const refused = this.refusal(event);
    if (refused) {
      const outcome: Outcome = { ok: false, error: refused };
      accepted?.(outcome);
      return outcome;
    }
    if (this.newCallId && createsCall(event) && event.callId === undefined) event.callId = this.newCallId();
    this.applying = true;
    let result;
    try {
      result = this.engine.apply(event);
    } finally {
      this.applying = false;
    }
    if (!result.ok) {
      accepted?.(result);
      return result;
    }
    const records: CallRecord[] = [];
    for (const e of result.effects) if (e.type === 'record') records.push(e.record);
    this.write(event, records);
    accepted?.({ ok: true });
    this.perform(result.effects);
    return { ok: true };
  }

  /** Arms every engine timer with the time it has left (after a restore). */
  rearm(): void {
    for (const [key, t] of this.engine.pendingTimers()) this.startTimer(key, t.at);
  }

  /** Stops every timer; nothing more is applied but `shutdown`. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.cancel(t);
    this.timers.clear();
    this.waitingNews.stop();
    this.positionNews.stop();
  }

  /** The customer's connection is gone: its place is no longer remembered. */
  forgetCustomer(customerId: string): void {
    this.toldPosition.delete(customerId);
  }

  private refusal(event: EngineEvent): EngineError | null {
    if (this.stopped && event.type !== 'shutdown') return new EngineError('invalid-state', 'the control center is shutting down');
    if (SYSTEM.has(event.type) || this.backlog.length === 0) return null;
    // The journal failed earlier: try again; until it takes the backlog, nothing new is accepted.
    this.drainBacklog();
    return this.backlog.length > 0 ? new EngineError('internal', 'the journal cannot be written (disk full or read-only); try again later') : null;
  }

  private write(event: EngineEvent, records: CallRecord[]): void {
    if (!this.journal) return;
    if (this.backlog.length === 0) {
      try {
        this.journal.append(event, records);
        return;
      } catch (e) {
        this.log(`journal append failed, refusing new commands until it recovers: ${(e as Error).message}`);
      }
    }
    if (this.backlog.length >= MAX_BACKLOG) this.backlog.shift();
    this.backlog.push({ event, records });
  }

  private drainBacklog(): void {
    while (this.backlog.length > 0) {
      const head = this.backlog[0]!;
      try {
        this.journal!.append(head.event, head.records);
      } catch {
        return;
      }
      this.backlog.shift();
    }
    this.log('journal writable again');
  }

  private perform(effects: Effect[]): void {
    let queueMoved = false;
    for (const e of effects) {
      try {
        switch (e.type) {
          case 'seat':
            this.outbox.seat(e.seatId, e.seat);
            break;
          case 'call':
            if (e.call.state === 'queued') this.toldPosition.set(e.customerId, e.call.position);
            else this.toldPosition.delete(e.customerId);
            this.outbox.call(e.customerId, e.call);
            queueMoved = true;
            break;
          case 'no-call':
            this.outbox.noCall(e.customerId);
            break;
          case 'queue':
            queueMoved = true;
            break;
          case 'room-create':
            this.outbox.roomCreate(e.key);
            break;
          case 'room-destroy':
            this.outbox.roomDestroy(e.key);
            break;
          case 'room-access':
            this.outbox.roomAccess(e.key, e.parties);
            break;
          case 'timer-start':
            this.startTimer(e.key, e.at);
            break;
          case 'timer-cancel':
            this.cancelTimer(e.key);
            break;
          case 'record':
            // With a journal the record went in with the event, exactly once.
            if (!this.journal) this.outbox.record(e.record);
            break;
          case 'seat-closed':
            this.outbox.seatClosed(e.seatId);
            break;
          default:
            assertNever(e);
        }
      } catch (err) {
        // One failed effect (a closed socket, a room call) must not stop the others.
        this.log(`effect ${e.type} failed: ${(err as Error).message}`);
      }
    }
    if (queueMoved && !this.stopped) {
      this.waitingNews.poke();
      this.positionNews.poke();
    }
  }

  private startTimer(key: string, at: number): void {
    this.cancelTimer(key);
    this.timers.set(
      key,
      this.clock.at(at, () => {
        this.timers.delete(key);
        this.apply({ type: 'timer', key, now: this.clock.now() });
      }),
    );
  }

  private cancelTimer(key: string): void {
    const t = this.timers.get(key);
    if (t) this.clock.cancel(t);
    this.timers.delete(key);
  }

  private tellWaiting(): void {
    const waiting = this.engine.waiting;
    if (waiting === this.sentWaiting) return;
    this.sentWaiting = waiting;
    this.outbox.waiting(waiting);
  }

  /**
   * The engine sends a call view only when the call itself changes; a customer whose place
   * moved because others left the queue hears it from here.
   */
  private tellPositions(): void {
    for (const call of this.engine.queuedCalls()) {
      if (call.kind === 'consult') continue;
      const id = call.customer.id;
      if (!this.outbox.reaches(id)) continue;
      const position = this.engine.position(call);
      if (this.toldPosition.get(id) === position) continue;
      const view = this.engine.customerView(id);
      if (!view) continue;
      this.toldPosition.set(id, view.position);
      this.outbox.call(id, view);
    }
  }
}

function assertNever(e: never): never {
  throw new Error(`unhandled effect ${(e as { type: string }).type}`);
}
