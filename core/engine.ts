/**
 * The dispatch engine: state + event → state + effects, for every rule R1–R18 of DESIGN.md.
 *
 * The engine owns its state and changes it in place (copying 20,000 seats per event would cost
 * more than the dispatch itself), but it is deterministic: time comes in with each event, ids
 * come from a counter or an injected generator, and the same events give the same effects.
 * An event that is refused throws before anything is touched, so an error changes nothing.
 */
import { CallQueue } from './call-queue.js';
import type { Effect } from './effects.js';
import { EngineError } from './engine-error.js';
import type { EngineSnapshot, TimerAction } from './engine-snapshot.js';
import { READABLE_FORMATS, SNAPSHOT_FORMAT } from './engine-snapshot.js';
import type { EngineEvent } from './events.js';
import { defaultConfig, type Call, type CallRecord, type Counters, type Customer, type EngineConfig, type Seat, type Split } from './model.js';
import type { EndReason, MediaInfo, TransferTarget } from './protocol.js';
import { MAX_SPLITS } from './protocol.js';
import { fit, meets, validateSkills, type QueueSettings, type Skills } from './queue-config.js';
import { SeatIndex } from './seat-index.js';
import { getStrategy, type DispatchStrategy, type SeatFacts } from './strategies.js';
import { callView, channelOf, customerCallView, seatView, type ViewSource } from './views.js';

export type ApplyResult = { ok: true; effects: Effect[] } | { ok: false; error: EngineError; effects: [] };

/** Consult legs go before customers waiting for the same seat: a colleague is on hold. */
const CONSULT_PRIORITY = 10;
/** R4 with R19: consult legs also go before every queue's priority (0–9). */
const CONSULT_QUEUE_PRIORITY = 100;

export interface EngineOptions {
  config?: Partial<EngineConfig>;
  /** A strategy object overrides `config.strategy`. */
  strategy?: DispatchStrategy;
  /** Makes call ids; the default `c-<n>` is deterministic. */
  newCallId?: (seq: number) => string;
}

export class Engine implements ViewSource {
  readonly config: EngineConfig;
  readonly strategy: DispatchStrategy;
  private readonly seats = new Map<string, Seat>();
  private readonly calls = new Map<string, Call>();
  private readonly customers = new Map<string, Customer>();
  private readonly queue = new CallQueue();
  private readonly index = new SeatIndex();
  /** R23: calls whose attention request waited past their queue's `returnPoolAfterMs`. */
  private readonly returnsDue = new Set<Call>();
  /** Every pending timer with the time it fires: a restart re-arms each with what is left. */
  private readonly timers = new Map<string, { at: number; action: TimerAction }>();
  readonly counters: Counters = { offered: 0, answered: 0, abandoned: 0, requeued: 0, ended: 0 };
  private readonly newCallId: (seq: number) => string;
  private seq = 0;
  private offerSeq = 0;
  private signInSeq = 0;
  private queuedConsults = 0;
  private lastWaiting = 0;
  private stopping = false;

  // Per-event scratch: what the event touched, flushed into effects at its end.
  private out: Effect[] = [];
  private dirtySeats = new Set<Seat>();
  private dirtyCalls = new Set<Call>();

  constructor(options: EngineOptions = {}) {
    this.config = { ...defaultConfig, ...options.config };
    this.strategy = options.strategy ?? getStrategy(this.config.strategy);
    this.newCallId = options.newCallId ?? ((n) => `c-${n}`);
  }

  // ---- reading ----------------------------------------------------------------------------

  seat(seatId: string): Seat | undefined {
    return this.seats.get(seatId);
  }
  call(callId: string): Call | undefined {
    return this.calls.get(callId);
  }
  customer(customerId: string): Customer | undefined {
    return this.customers.get(customerId);
  }
  /** A customer's place among waiting customers (consult legs, always ahead, do not count). */
  position(call: Call): number | null {
    const p = this.queue.position(call);
    return p === null || call.kind === 'consult' ? p : p - this.queuedConsults;
  }
  allSeats(): IterableIterator<Seat> {
    return this.seats.values();
  }
  allCustomers(): IterableIterator<Customer> {
    return this.customers.values();
  }
  liveCalls(): IterableIterator<Call> {
    return this.calls.values();
  }
  queuedCalls(): Iterable<Call> {
    return this.queue;
  }
  /** Customer calls waiting in the queue (consult legs between agents are not counted). */
  get waiting(): number {
    return this.queue.size - this.queuedConsults;
  }
  /** Whether R3 and the strategy let this seat get an offer now. */
  isEligible(seatId: string): boolean {
    return this.index.has(seatId);
  }
  seatView(seatId: string) {
    const seat = this.seats.get(seatId);
    return seat ? seatView(seat, this) : undefined;
  }
  customerView(customerId: string) {
    const c = this.customers.get(customerId);
    const call = c?.callId ? this.calls.get(c.callId) : undefined;
    return call ? customerCallView(call, call.seatId ? this.seats.get(call.seatId) : undefined, this) : undefined;
  }
  /** R22: calls that ended but whose record waits on a split for a wrap-up code. */
  *heldRecords(): IterableIterator<string> {
    for (const seat of this.seats.values()) for (const split of seat.splits) if (split.coded?.record) yield split.coded.callId;
  }
  /** Pending timers by key, with the time each fires. */
  pendingTimers(): ReadonlyMap<string, { readonly at: number }> {
    return this.timers;
  }

  // ---- snapshots --------------------------------------------------------------------------

  /**
   * The whole state as plain JSON-safe data. With the events after it, it rebuilds this engine
   * exactly (`fromSnapshot`), which is how a restart bounds its replay.
   */
  snapshot(): EngineSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      seats: [...this.seats.values()].map((seat) => structuredCloneJson(seat)),
      calls: [...this.calls.values()].map((call) => ({ ...structuredCloneJson({ ...call, rejectedUntil: null }), rejectedUntil: [...call.rejectedUntil] })),
      customers: [...this.customers.values()].map((c) => ({ ...c })),
      timers: [...this.timers].map(([key, t]) => ({ key, at: t.at, action: { ...t.action } })),
      counters: structuredCloneJson(this.counters),
      seq: this.seq,
      offerSeq: this.offerSeq,
      signInSeq: this.signInSeq,
      lastWaiting: this.lastWaiting,
      stopping: this.stopping,
    };
  }

  /** An engine in the state a snapshot holds; throws on a snapshot of another format. */
  static fromSnapshot(snap: EngineSnapshot, options: EngineOptions = {}): Engine {
    if (!READABLE_FORMATS.includes(snap.format)) throw new Error(`snapshot format ${snap.format} is not ${SNAPSHOT_FORMAT}: written by another version`);
    const engine = new Engine(options);
    for (const s of snap.seats) engine.seats.set(s.seatId, structuredCloneJson(s));
    for (const c of snap.calls) {
      const call: Call = { ...structuredCloneJson({ ...c, rejectedUntil: null }), rejectedUntil: new Map(c.rejectedUntil) };
      engine.calls.set(call.callId, call);
      if (call.place === 'queued') engine.enqueue(call);
      if (call.returnDue) engine.returnsDue.add(call);
    }
    for (const c of snap.customers) engine.customers.set(c.id, { ...c });
    for (const t of snap.timers) engine.timers.set(t.key, { at: t.at, action: { ...t.action } });
    Object.assign(engine.counters, structuredCloneJson(snap.counters));
    engine.seq = snap.seq;
    engine.offerSeq = snap.offerSeq;
    engine.signInSeq = snap.signInSeq;
    engine.lastWaiting = snap.lastWaiting;
    engine.stopping = snap.stopping;
    // -Infinity does not survive JSON: a seat never offered a call comes back as null.
    for (const seat of engine.seats.values()) {
      seat.lastOfferAt ??= -Infinity;
      engine.reindex(seat);
    }
    return engine;
  }

  // ---- applying ---------------------------------------------------------------------------

  apply(event: EngineEvent): ApplyResult {
    this.out = [];
    this.dirtySeats.clear();
    this.dirtyCalls.clear();
    try {
      this.handle(event);
    } catch (e) {
      if (e instanceof EngineError) return { ok: false, error: e, effects: [] };
      throw e;
    }
    this.dispatch(event.now);
    return { ok: true, effects: this.flush() };
  }

  /** Every event type has its case here; a new one that none covers does not compile. */
  private handle(e: EngineEvent): void {
    switch (e.type) {
      case 'timer':
        return this.onTimer(e.key, e.now);
      case 'room-ready':
        return this.onRoomReady(e.key, e.media);
      case 'shutdown':
        return this.onShutdown(e.now);
      case 'restart':
        return this.onRestart(e.now);
      case 'agent-hello':
        return this.onAgentHello(e.seatId, e.splits, e.skills, e.now);
      case 'agent-lost':
        return this.onAgentLost(e.seatId, e.now);
      case 'agent-ready': {
        const seat = this.signedIn(e.seatId);
        seat.ready = true;
        seat.notReadyReason = null;
        return this.touchSeat(seat);
      }
      case 'agent-not-ready':
        return this.notReady(this.signedIn(e.seatId), e.reason, e.now);
      case 'agent-answer': {
        const seat = this.signedIn(e.seatId);
        return this.answer(seat, this.splitOf(seat, e.split), e.now);
      }
      case 'agent-reject': {
        const seat = this.signedIn(e.seatId);
        return this.reject(seat, this.splitOf(seat, e.split), e.now);
      }
      case 'agent-hangup': {
        const seat = this.signedIn(e.seatId);
        return this.agentHangup(seat, this.splitOf(seat, e.split), e.now);
      }
      case 'agent-focus': {
        const seat = this.signedIn(e.seatId);
        return this.focus(seat, e.split === null ? null : this.splitOf(seat, e.split), e.now);
      }
      case 'agent-dial': {
        const seat = this.signedIn(e.seatId);
        return this.dial(seat, this.splitOf(seat, e.split), e.to, e.callId, e.now);
      }
      case 'agent-consult': {
        const seat = this.signedIn(e.seatId);
        return this.consult(seat, this.splitOf(seat, e.split), e.to, e.callId, e.now);
      }
      case 'agent-transfer': {
        const seat = this.signedIn(e.seatId);
        return this.transfer(seat, this.splitOf(seat, e.split), e.to, e.now);
      }
      case 'agent-cancel-consult': {
        const split = this.splitOf(this.signedIn(e.seatId), e.split);
        if (split.state !== 'consulting') throw invalid(`split ${split.index} is not consulting`);
        return this.endConsult(this.callOn(split), e.now, 'agent-hangup');
      }
      case 'agent-wrapup-done': {
        const seat = this.signedIn(e.seatId);
        const split = this.splitOf(seat, e.split);
        if (split.state !== 'wrapup') throw invalid(`split ${split.index} is not in wrap-up`);
        const disposition = this.checkDisposition(split, e.disposition);
        this.cancelTimer(`wrapup:${seat.seatId}:${split.index}`);
        return this.setIdle(seat, split, e.now, disposition);
      }
      case 'agent-bye': {
        const seat = this.signedIn(e.seatId);
        if (seat.splits.some((s) => s.state !== 'idle')) throw new EngineError('busy', 'every split must be idle to sign out');
        return this.removeSeat(seat, e.now);
      }
      case 'caller-hello':
        return this.onCallerHello(e.customerId);
      case 'caller-lost':
        return this.onCallerLost(e.customerId, e.now);
      case 'caller-call':
        return this.onCallerCall(e.customerId, e.queue, e.name, e.priority, e.verified ?? true, e.callId, e.now);
      case 'caller-accept': {
        const { call, seat, split } = this.callerCall(e.customerId);
        if ((call.kind !== 'outbound' && call.callback !== 'dialled') || split?.state !== 'dialing') throw invalid('no outbound call is alerting you');
        return this.connect(seat!, split, call, e.now);
      }
      case 'caller-decline': {
        const { call, split } = this.callerCall(e.customerId);
        if ((call.kind !== 'outbound' && call.callback !== 'dialled') || split?.state !== 'dialing') throw invalid('no outbound call is alerting you');
        return this.endCall(call, 'declined', e.now);
      }
      case 'caller-callback': {
        // R21: the customer takes the callback offered; the call is dialled when an agent is free.
        const { call } = this.callerCall(e.customerId);
        if (call.place !== 'queued' || call.callback !== 'offered') throw invalid('no callback is offered to you');
        call.callback = 'requested';
        return this.touchCall(call);
      }
      case 'caller-hangup':
        return this.endCall(this.callerCall(e.customerId).call, 'caller-hangup', e.now);
      case 'caller-attention': {
        const { call, seat, split } = this.callerCall(e.customerId);
        if (split?.state !== 'connected') throw invalid('your call is not connected');
        if (seat!.focus === split.index) throw invalid('the agent is already talking to you');
        if (e.on && !call.attention) {
          call.attention = { since: e.now };
          const after = this.settingsOf(call)?.returnPoolAfterMs;
          if (after != null) this.startTimer(`return:${call.callId}`, e.now + after, { kind: 'return', callId: call.callId });
        } else if (!e.on) this.clearAttention(call);
        this.touchCall(call);
        return this.touchSeat(seat!);
      }
      default:
        return assertNever(e);
    }
  }

  /** The signed-in customer's live call, with the seat and split it is on, if any. */
  private callerCall(customerId: string): { call: Call; seat: Seat | undefined; split: Split | undefined } {
    const customer = this.customers.get(customerId);
    if (!customer?.online) throw new EngineError('not-signed-in', 'say hello first');
    const call = customer.callId ? this.calls.get(customer.callId) : undefined;
    if (!call) throw invalid('you have no call');
    const seat = call.seatId ? this.seats.get(call.seatId) : undefined;
    const split = seat && call.split !== null ? seat.splits[call.split] : undefined;
    return { call, seat, split };
  }

  // ---- agents -----------------------------------------------------------------------------

  private onAgentHello(seatId: string, splits: number, skillsGiven: Skills | undefined, now: number): void {
    let skills: Skills = {};
    if (skillsGiven !== undefined) {
      try {
        skills = validateSkills(skillsGiven, 'skills');
      } catch (e) {
        throw new EngineError('bad-message', (e as Error).message);
      }
    }
    const known = this.seats.get(seatId);
    if (known) {
      // R19: the newest token's skills count.
      if (skillsGiven !== undefined) known.skills = skills;
      // R15: back within the grace period (or a second tab taking over): the seat as it was.
      if (!known.online) {
        known.online = true;
        this.cancelTimer(`agent-grace:${seatId}`);
      }
      return this.touchSeat(known);
    }
    if (!Number.isInteger(splits) || splits < 1 || splits > MAX_SPLITS)
      throw new EngineError('bad-message', `splits must be an integer from 1 to ${MAX_SPLITS}`);
    const seat: Seat = {
      seatId,
      splits: Array.from({ length: splits }, (_, index) => ({ index, state: 'idle' as const, callId: null, since: now })),
      ready: false,
      notReadyReason: null,
      focus: null,
      cap: splits,
      version: 0,
      online: true,
      signInSeq: ++this.signInSeq,
      lastOfferAt: -Infinity,
      lastOfferSeq: 0,
      idleSince: now,
      skills,
    };
    this.seats.set(seatId, seat);
    this.touchSeat(seat);
  }

  private onAgentLost(seatId: string, now: number): void {
    const seat = this.seats.get(seatId);
    if (!seat?.online) return;
    seat.online = false;
    // R15: a ringing offer is withdrawn at once; connected calls wait for the agent.
    for (const split of seat.splits) if (split.state === 'ringing') this.withdraw(seat, split, now);
    this.startTimer(`agent-grace:${seatId}`, now + this.config.reconnectGraceMs, { kind: 'agent-grace', seatId });
    this.touchSeat(seat);
  }

  private notReady(seat: Seat, reason: string | null, now: number): void {
    seat.ready = false;
    seat.notReadyReason = reason;
    // R17: no new offers, and a ringing one goes back; connected calls stay.
    for (const split of seat.splits) if (split.state === 'ringing') this.withdraw(seat, split, now);
    this.touchSeat(seat);
  }

  private answer(seat: Seat, split: Split, now: number): void {
    if (split.state !== 'ringing') throw invalid(`split ${split.index} is not ringing`);
    const call = this.callOn(split);
    this.cancelTimer(`ring:${call.callId}`);
    this.connect(seat, split, call, now);
    if (call.consultFor) {
      const original = this.calls.get(call.consultFor);
      if (original) this.touchCallSeat(original);
    }
  }

  /** R9 / R12: the call is connected on this split and has the agent's attention. */
  private connect(seat: Seat, split: Split, call: Call, now: number): void {
    this.cancelTimer(`ring:${call.callId}`);
    this.cancelOverflow(call);
    split.state = 'connected';
    split.since = now;
    call.virtualSeat = channelOf(seat.seatId, split.index);
    if (call.kind !== 'consult') this.counters.answered++;
    const settings = this.settingsOf(call);
    if (settings && call.kind === 'inbound' && call.answeredAt === null) {
      // R19: the queue's service level counts first answers within its target.
      const queues = (this.counters.queues ??= {});
      const q = (queues[call.queue!] ??= { answered: 0, withinTarget: 0 });
      q.answered++;
      if (now - call.queuedAt <= settings.serviceLevelMs) q.withinTarget++;
    }
    call.answeredAt ??= now;
    call.seats.push(seat.seatId);
    this.setFocus(seat, split.index, now);
    this.touchCall(call);
    this.touchSeat(seat);
  }

  private reject(seat: Seat, split: Split, now: number): void {
    if (split.state !== 'ringing') throw invalid(`split ${split.index} is not ringing`);
    const call = this.callOn(split);
    if (call.kind === 'consult') return this.endConsultLeg(call, 'declined', now);
    // R8: back to the queue, and away from this seat for a while.
    const until = now + this.config.rejectDelayMs;
    call.rejectedUntil.set(seat.seatId, until);
    this.startTimer(`reject:${call.callId}:${seat.seatId}`, until, { kind: 'reject', callId: call.callId, seatId: seat.seatId });
    this.withdraw(seat, split, now);
  }

  private agentHangup(seat: Seat, split: Split, now: number): void {
    switch (split.state) {
      case 'connected':
      case 'dialing': {
        const call = this.callOn(split);
        if (call.kind === 'consult') return this.endConsultLeg(call, 'agent-hangup', now);
        return this.endCall(call, 'agent-hangup', now);
      }
      case 'consulting':
        return this.endCall(this.callOn(split), 'agent-hangup', now);
      default:
        throw invalid(`split ${split.index} has no call to hang up (${split.state})`);
    }
  }

  private focus(seat: Seat, split: Split | null, now: number): void {
    if (split && split.state !== 'connected') throw invalid(`split ${split.index} is not connected`);
    this.setFocus(seat, split ? split.index : null, now);
    this.touchSeat(seat);
  }

  /** R10 and R18: one focused connected split; focusing clears its customer's request. */
  private setFocus(seat: Seat, index: number | null, now: number): void {
    const before = seat.focus;
    seat.focus = index;
    for (const i of [before, index]) {
      if (i === null) continue;
      const id = seat.splits[i]?.callId;
      const call = id ? this.calls.get(id) : undefined;
      if (call) this.touchCall(call);
    }
    if (index === null) return;
    const call = this.calls.get(seat.splits[index]!.callId!);
    if (call?.attention) {
      call.returnWaits.push(now - call.attention.since);
      this.clearAttention(call);
    }
  }

  private dial(seat: Seat, split: Split, to: string, callId: string | undefined, now: number): void {
    if (this.stopping) throw invalid('the control center is shutting down');
    if (split.state !== 'idle') throw invalid(`split ${split.index} is not idle`);
    const customer = this.customers.get(to);
    if (!customer?.online) throw new EngineError('no-such-target', `customer ${to} is not reachable`);
    if (customer.callId) throw new EngineError('busy', `customer ${to} is already in a call`);
    const call = this.newCall('outbound', null, { id: to, name: null }, 0, callId, now);
    this.counters.offered++;
    call.place = 'split';
    call.seatId = seat.seatId;
    call.split = split.index;
    call.offeredAt = now;
    customer.callId = call.callId;
    split.state = 'dialing';
    split.callId = call.callId;
    split.since = now;
    this.startTimer(`ring:${call.callId}`, now + this.config.ringTimeoutMs, { kind: 'ring', callId: call.callId });
    this.touchCall(call);
    this.touchSeat(seat);
  }

  private consult(seat: Seat, split: Split, to: string, callId: string | undefined, now: number): void {
    if (split.state !== 'connected') throw invalid(`split ${split.index} is not connected`);
    const call = this.callOn(split);
    if (call.kind === 'consult') throw invalid('a consult call cannot itself be consulted on');
    if (to === seat.seatId) throw invalid('a seat cannot consult itself');
    if (!this.seats.get(to)?.online) throw new EngineError('no-such-target', `seat ${to} is not signed in`);
    const leg = this.newCall('consult', null, { ...call.customer }, CONSULT_PRIORITY, callId, now);
    leg.queuePriority = CONSULT_QUEUE_PRIORITY;
    leg.targetSeat = to;
    leg.consultFor = call.callId;
    leg.from = { seat: seat.seatId, virtualSeat: call.virtualSeat };
    call.consult = { callId: leg.callId };
    this.clearAttention(call);
    split.state = 'consulting';
    split.since = now;
    if (seat.focus === split.index) this.setFocus(seat, null, now);
    this.enqueue(leg);
    this.touchCall(call);
    this.touchSeat(seat);
  }

  private transfer(seat: Seat, split: Split, to: TransferTarget, now: number): void {
    if (split.state === 'consulting') return this.warmTransfer(seat, split, to, now);
    if (split.state !== 'connected') throw invalid(`split ${split.index} is not connected`);
    const call = this.callOn(split);
    if (call.kind === 'consult') throw invalid('a consult call cannot be transferred');
    if ('seat' in to) {
      if (to.seat === seat.seatId) throw invalid('a call cannot be transferred to its own seat');
      if (!this.seats.get(to.seat)?.online) throw new EngineError('no-such-target', `seat ${to.seat} is not signed in`);
    } else if (!to.queue) throw new EngineError('no-such-target', 'the queue name is empty');
    else this.checkQueue(to.queue);
    // R14: the split is freed and the call goes back to dispatch, keeping its first arrival.
    this.release(seat, split, now, true);
    if ('seat' in to) call.targetSeat = to.seat;
    else {
      call.queue = to.queue;
      call.targetSeat = null;
      // R19/R20: the new queue's priority and overflow, its steps counted from now.
      call.queuePriority = this.settingsOf(call)?.priority ?? 0;
      this.cancelOverflow(call);
      call.overflowStep = 0;
      call.callback = null;
    }
    this.requeue(call);
    if ('queue' in to) this.armOverflow(call, now);
  }

  /** R13: the customer moves to the consulted seat's split, where the consult leg was. */
  private warmTransfer(seat: Seat, split: Split, to: TransferTarget, now: number): void {
    const call = this.callOn(split);
    const leg = call.consult ? this.calls.get(call.consult.callId) : undefined;
    if (!leg || !('seat' in to) || leg.targetSeat !== to.seat)
      throw invalid('complete the consult to the consulted seat, or cancel it first');
    if (leg.answeredAt === null || leg.place !== 'split') throw invalid('the consulted seat has not answered yet');
    const other = this.seats.get(leg.seatId!)!;
    const otherSplit = other.splits[leg.split!]!;
    // The leg's split keeps going, now carrying the customer's call and room.
    leg.place = 'ended';
    this.finish(leg, 'transferred-away', now);
    call.consult = null;
    this.release(seat, split, now, true);
    call.place = 'split';
    call.seatId = other.seatId;
    call.split = otherSplit.index;
    call.virtualSeat = channelOf(other.seatId, otherSplit.index);
    call.seats.push(other.seatId);
    otherSplit.callId = call.callId;
    otherSplit.since = now;
    this.touchCall(call);
    this.touchSeat(other);
  }

  /** R13: the consult is over; the customer comes back to the consulting split. */
  private endConsult(call: Call, now: number, reason: EndReason): void {
    const leg = call.consult ? this.calls.get(call.consult.callId) : undefined;
    if (leg) this.endCall(leg, reason, now);
    else this.resume(call, now);
  }

  /** The consult leg ended from the consulted side (hangup, reject, timeout, lost). */
  private endConsultLeg(leg: Call, reason: EndReason, now: number): void {
    this.endCall(leg, reason, now);
  }

  private resume(call: Call, now: number): void {
    call.consult = null;
    const seat = call.seatId ? this.seats.get(call.seatId) : undefined;
    const split = seat && call.split !== null ? seat.splits[call.split] : undefined;
    if (!seat || split?.state !== 'consulting') return;
    split.state = 'connected';
    split.since = now;
    if (seat.focus === null && seat.online) this.setFocus(seat, split.index, now);
    this.touchCall(call);
    this.touchSeat(seat);
  }

  private removeSeat(seat: Seat, now: number): void {
    for (const split of seat.splits) if (split.coded) this.setIdle(seat, split, now);
    this.seats.delete(seat.seatId);
    this.index.set(seat.seatId, null);
    this.cancelTimer(`agent-grace:${seat.seatId}`);
    for (const split of seat.splits) this.cancelTimer(`wrapup:${seat.seatId}:${split.index}`);
    this.dirtySeats.delete(seat);
    // Calls aimed at this seat lose their aim: transfers go to anyone, consults end.
    for (const call of [...this.queue]) {
      if (call.targetSeat !== seat.seatId) continue;
      if (call.kind === 'consult') this.endCall(call, 'no-answer', now);
      else {
        call.targetSeat = null;
        this.touchCall(call);
      }
    }
    this.out.push({ type: 'seat-closed', seatId: seat.seatId });
  }

  // ---- customers --------------------------------------------------------------------------

  private onCallerHello(customerId: string): void {
    const known = this.customers.get(customerId);
    if (!known) {
      this.customers.set(customerId, { id: customerId, online: true, callId: null });
      this.out.push({ type: 'no-call', customerId });
      return;
    }
    if (!known.online) {
      known.online = true;
      this.cancelTimer(`caller-grace:${customerId}`);
    }
    // R16: the customer is sent its live call at once.
    const call = known.callId ? this.calls.get(known.callId) : undefined;
    if (call) this.touchCall(call);
    else this.out.push({ type: 'no-call', customerId });
  }

  private onCallerLost(customerId: string, now: number): void {
    const customer = this.customers.get(customerId);
    if (!customer?.online) return;
    customer.online = false;
    if (customer.callId) this.startTimer(`caller-grace:${customerId}`, now + this.config.callerGraceMs, { kind: 'caller-grace', customerId });
    else this.customers.delete(customerId);
  }

  private onCallerCall(customerId: string, queue: string, name: string | null, priority: number, verified: boolean, callId: string | undefined, now: number): void {
    const customer = this.customers.get(customerId);
    if (!customer?.online) throw new EngineError('not-signed-in', 'say hello first');
    if (this.stopping) throw invalid('the control center is shutting down');
    if (customer.callId) throw new EngineError('busy', 'you already have a call');
    if (!queue) throw new EngineError('bad-message', 'queue must not be empty');
    if (!Number.isInteger(priority) || priority < 0 || priority > 9) throw new EngineError('bad-message', 'priority must be an integer from 0 to 9');
    const settings = this.checkQueue(queue);
    const customerRef: Call['customer'] = verified || name === null ? { id: customerId, name } : { id: customerId, name, verified: false };
    const call = this.newCall('inbound', queue, customerRef, priority, callId, now);
    call.queuePriority = settings?.priority ?? 0;
    customer.callId = call.callId;
    this.enqueue(call);
    this.armOverflow(call, now);
    this.touchCall(call);
  }

  // ---- queues (R19–R23) ----------------------------------------------------------------------

  /** The call's queue settings, or null (no configuration, or a queue it does not name). */
  private settingsOf(call: Call): QueueSettings | null {
    return (call.queue !== null && this.config.queues?.queues[call.queue]) || null;
  }

  /** R19: with a configuration only its queues exist. */
  private checkQueue(queue: string): QueueSettings | null {
    const qs = this.config.queues?.queues;
    if (!qs) return null;
    const settings = Object.hasOwn(qs, queue) ? qs[queue] : undefined;
    if (!settings) throw new EngineError('no-such-target', `queue "${queue}" is not configured (one of: ${Object.keys(qs).join(', ')})`);
    return settings;
  }

  /** R20/R21: the overflow steps and the callback offer, timed from `from`. */
  private armOverflow(call: Call, from: number): void {
    const settings = this.settingsOf(call);
    if (!settings || call.kind !== 'inbound') return;
    settings.overflow.forEach((step, i) => {
      if (i >= (call.overflowStep ?? 0)) this.startTimer(`overflow:${call.callId}:${i}`, from + step.afterMs, { kind: 'overflow', callId: call.callId, step: i });
    });
    if (settings.callbackAfterMs !== null && !call.callback) this.startTimer(`callback:${call.callId}`, from + settings.callbackAfterMs, { kind: 'callback', callId: call.callId });
  }

  private cancelOverflow(call: Call): void {
    const steps = this.settingsOf(call)?.overflow.length ?? 0;
    for (let i = 0; i < steps; i++) this.cancelTimer(`overflow:${call.callId}:${i}`);
    this.cancelTimer(`callback:${call.callId}`);
  }

  /** R18/R23: the request is over (focus, withdrawn, moved, ended). */
  private clearAttention(call: Call): void {
    call.attention = null;
    call.returnDue = false;
    this.returnsDue.delete(call);
    this.cancelTimer(`return:${call.callId}`);
  }

  /**
   * R19/R20: the skills a seat needs for this call now: the queue's levels as lowered by the
   * steps passed, or any queue a step added. Empty: any seat.
   */
  private requirements(call: Call): Skills[] {
    const settings = this.settingsOf(call);
    if (!settings || call.kind === 'consult') return [];
    let own: Skills = settings.skills;
    const more: Skills[] = [];
    for (const step of settings.overflow.slice(0, call.overflowStep ?? 0)) {
      if (step.skills) own = { ...own, ...step.skills };
      for (const q of step.addQueues ?? []) {
        const other = this.config.queues!.queues[q];
        if (other) more.push(other.skills);
      }
    }
    return [own, ...more];
  }

  /** R19: how well the seat fits the call, or -1 when it may not take it. */
  private fitOf(seat: Seat, reqs: Skills[]): number {
    if (reqs.length === 0) return 0;
    const skills = seat.skills ?? {};
    let best = -1;
    for (const r of reqs) if (meets(skills, r)) best = Math.max(best, fit(skills, r));
    return best;
  }

  /**
   * Whether this seat may be offered this call now: eligible (R3, strategy), aimed at (R13,
   * R14), not rejected lately (R8), skilled (R19/R20), and for a callback the customer is there
   * to be dialled (R21).
   */
  canTake(call: Call, seatId: string, now: number): boolean {
    if (!this.index.has(seatId)) return false;
    if (call.targetSeat && call.targetSeat !== seatId) return false;
    if (call.rejectedUntil.get(seatId)! > now) return false;
    if (call.callback === 'requested' && !this.customers.get(call.customer.id)?.online) return false;
    if (call.targetSeat) return true;
    return this.fitOf(this.seats.get(seatId)!, this.requirements(call)) >= 0;
  }

  /** R19/R20: whether the seat's skills let it take this call now (aimed and consult calls: always). */
  skilledFor(call: Call, seatId: string): boolean {
    const seat = this.seats.get(seatId);
    if (!seat) return false;
    return call.targetSeat !== null || call.returning != null || this.fitOf(seat, this.requirements(call)) >= 0;
  }

  /** R5 with R19: among the seats that may take the call, the best fit, then the strategy's order. */
  private chooseSeat(call: Call, now: number, unmet: Set<string>): string | null {
    if (call.callback === 'requested' && !this.customers.get(call.customer.id)?.online) return null;
    if (call.targetSeat)
      return this.index.has(call.targetSeat) && !(call.rejectedUntil.get(call.targetSeat)! > now) ? call.targetSeat : null;
    const signature = `${call.queue}#${call.overflowStep ?? 0}`;
    if (unmet.has(signature)) return null;
    const reqs = this.requirements(call);
    const allowed = (id: string) => !(call.rejectedUntil.get(id)! > now);
    if (reqs.length === 0) return this.index.best(allowed);
    let skilled = false;
    let best: { id: string; fit: number; key: number[] } | null = null;
    for (const [id, key] of this.index.entries()) {
      const f = this.fitOf(this.seats.get(id)!, reqs);
      if (f < 0) continue;
      skilled = true;
      if (!allowed(id)) continue;
      if (!best || f > best.fit || (f === best.fit && SeatIndex.before(id, key, best.id, best.key))) best = { id, fit: f, key };
    }
    if (!skilled) unmet.add(signature);
    return best?.id ?? null;
  }

  /**
   * R23: a customer whose request waited past the queue's `returnPoolAfterMs` while their own
   * agent talks to someone else moves to a free agent (an idle split, no focus, no open
   * request of their own, skilled for the queue): the new split rings with the case.
   */
  private dispatchReturns(now: number): void {
    if (this.returnsDue.size === 0) return;
    const due = [...this.returnsDue].sort((a, b) => a.attention!.since - b.attention!.since || a.seq - b.seq);
    for (const call of due) {
      const own = call.seatId ? this.seats.get(call.seatId) : undefined;
      const ownSplit = own && call.split !== null ? own.splits[call.split] : undefined;
      if (!own || ownSplit?.state !== 'connected' || !call.attention) continue;
      if (own.focus === null) continue; // the own agent is free: they come back to their customer
      const reqs = this.requirements(call);
      let best: { id: string; fit: number; key: number[] } | null = null;
      for (const [id, key] of this.index.entries()) {
        if (id === own.seatId || call.rejectedUntil.get(id)! > now) continue;
        const seat = this.seats.get(id)!;
        if (seat.focus !== null || this.facts(seat).openRequests > 0) continue;
        const f = this.fitOf(seat, reqs);
        if (f < 0) continue;
        if (!best || f > best.fit || (f === best.fit && SeatIndex.before(id, key, best.id, best.key))) best = { id, fit: f, key };
      }
      if (!best) continue;
      const to = this.seats.get(best.id)!;
      // Warm handover: the own agent's split is freed; the call rings on the free agent's split.
      this.returnsDue.delete(call);
      call.returnDue = false;
      call.returning = { from: own.seatId, since: now };
      this.release(own, ownSplit, now, false);
      this.reindex(own);
      this.offer(call, to, now);
    }
  }

  // ---- system -----------------------------------------------------------------------------

  private onTimer(key: string, now: number): void {
    const action = this.timers.get(key)?.action;
    if (!action) return; // cancelled meanwhile: nothing to do
    this.timers.delete(key);
    switch (action.kind) {
      case 'ring': {
        const call = this.calls.get(action.callId);
        const seat = call?.seatId ? this.seats.get(call.seatId) : undefined;
        const split = seat && call?.split != null ? seat.splits[call.split] : undefined;
        if (!call || !seat || !split) return;
        if (split.state === 'dialing') return this.endCall(call, 'no-answer', now); // R12
        if (split.state !== 'ringing') return;
        // R7: withdrawn, back to the queue, and the seat is made not-ready.
        seat.ready = false;
        seat.notReadyReason = 'no-answer';
        if (call.kind === 'consult') this.endConsultLeg(call, 'no-answer', now);
        else this.withdraw(seat, split, now);
        return this.touchSeat(seat);
      }
      case 'reject': {
        const call = this.calls.get(action.callId);
        call?.rejectedUntil.delete(action.seatId);
        return;
      }
      case 'wrapup': {
        const seat = this.seats.get(action.seatId);
        const split = seat?.splits[action.split];
        if (seat && split?.state === 'wrapup') this.setIdle(seat, split, now);
        return;
      }
      case 'agent-grace': {
        const seat = this.seats.get(action.seatId);
        if (!seat || seat.online) return;
        // R15: the agent did not come back. Every call goes on without it; none is lost.
        for (const split of seat.splits) {
          const call = split.callId ? this.calls.get(split.callId) : undefined;
          if (!call) continue;
          if (call.kind === 'consult') this.endConsultLeg(call, 'agent-hangup', now);
          else if (split.state === 'dialing') this.endCall(call, 'no-answer', now);
          else {
            if (call.consult) {
              const leg = this.calls.get(call.consult.callId);
              if (leg) this.finishLeg(leg, 'agent-hangup', now);
              call.consult = null;
            }
            this.release(seat, split, now, false);
            this.requeue(call);
          }
        }
        return this.removeSeat(seat, now);
      }
      case 'overflow': {
        // R20: the call's reach widens; dispatch runs after this event.
        const call = this.calls.get(action.callId);
        if (call) call.overflowStep = Math.max(call.overflowStep ?? 0, action.step + 1);
        return;
      }
      case 'callback': {
        // R21: waited the queue's longest: the customer is offered a callback instead.
        const call = this.calls.get(action.callId);
        if (!call || call.place !== 'queued' || call.callback) return;
        call.callback = 'offered';
        return this.touchCall(call);
      }
      case 'return': {
        // R23: the request waited long enough; dispatch moves it when a free agent exists.
        const call = this.calls.get(action.callId);
        if (!call?.attention || call.place !== 'split') return;
        call.returnDue = true;
        this.returnsDue.add(call);
        return this.touchCall(call);
      }
      case 'caller-grace': {
        const customer = this.customers.get(action.customerId);
        if (!customer || customer.online) return;
        const call = customer.callId ? this.calls.get(customer.callId) : undefined;
        if (call) this.endCall(call, 'caller-lost', now);
        this.customers.delete(customer.id);
        return;
      }
    }
  }

  private onRoomReady(key: string, media: MediaInfo): void {
    const call = this.calls.get(key);
    if (!call) {
      // The call ended before its room was made: the room must not outlive it.
      this.out.push({ type: 'room-destroy', key });
      return;
    }
    call.media = media;
    this.touchCallSeat(call);
    if (call.consultFor) {
      const original = this.calls.get(call.consultFor);
      if (original) this.touchCallSeat(original);
    }
  }

  /** Every seat and customer is lost as of now (R15, R16); whoever reconnects in time resumes. */
  private onRestart(now: number): void {
    this.stopping = false;
    for (const seat of [...this.seats.values()]) this.onAgentLost(seat.seatId, now);
    for (const customer of [...this.customers.values()]) this.onCallerLost(customer.id, now);
  }

  private onShutdown(now: number): void {
    this.stopping = true;
    for (const call of [...this.calls.values()]) if (call.place !== 'ended') this.endCall(call, 'server-shutdown', now);
  }

  // ---- calls ------------------------------------------------------------------------------

  private newCall(kind: Call['kind'], queue: string | null, customer: Call['customer'], priority: number, callId: string | undefined, now: number): Call {
    const id = callId ?? this.newCallId(this.seq + 1);
    // A replayed or forged id must never alias a live call (checked before anything changes).
    if (this.calls.has(id)) throw new EngineError('internal', `call id ${id} is already in use`);
    const seq = ++this.seq;
    const call: Call = {
      callId: id,
      kind,
      queue,
      customer,
      priority,
      arrivedAt: now,
      seq,
      place: 'queued',
      seatId: null,
      split: null,
      targetSeat: null,
      virtualSeat: null,
      media: null,
      rejectedUntil: new Map(),
      parties: [],
      attention: null,
      consult: null,
      consultFor: null,
      from: null,
      queuedAt: now,
      offeredAt: null,
      answeredAt: null,
      endedAt: null,
      endReason: null,
      requeues: 0,
      returnWaits: [],
      seats: [],
      queuePriority: 0,
      overflowStep: 0,
      callback: null,
      returning: null,
      returnDue: false,
      disposition: null,
    };
    this.calls.set(call.callId, call);
    this.out.push({ type: 'room-create', key: call.callId });
    this.touchCall(call);
    return call;
  }

  private enqueue(call: Call): void {
    call.place = 'queued';
    this.queue.insert(call);
    if (call.kind === 'consult') this.queuedConsults++;
  }

  private dequeue(call: Call): void {
    if (this.queue.remove(call) && call.kind === 'consult') this.queuedConsults--;
  }

  /** R4: the call waits again, keeping its first arrival so it goes back to the head. */
  private requeue(call: Call): void {
    call.requeues++;
    if (call.kind !== 'consult') this.counters.requeued++;
    call.seatId = null;
    call.split = null;
    call.virtualSeat = null;
    this.clearAttention(call);
    this.enqueue(call);
    this.touchCall(call);
  }

  /** Takes a ringing offer back from a split (R7, R8, R15, R17). */
  private withdraw(seat: Seat, split: Split, now: number): void {
    const call = this.callOn(split);
    this.cancelTimer(`ring:${call.callId}`);
    this.release(seat, split, now, false);
    this.requeue(call);
  }

  /** Frees a split of its call: to wrap-up after a conversation, else straight to idle. */
  private release(seat: Seat, split: Split, now: number, wrap: boolean): void {
    if (seat.focus === split.index) this.setFocus(seat, null, now);
    const call = split.callId ? this.calls.get(split.callId) : undefined;
    split.callId = null;
    split.since = now;
    const settings = call ? this.settingsOf(call) : null;
    const codes = settings?.wrapupCodes.length ? settings.wrapupCodes : null;
    // R22: a queue with codes keeps the split in wrap-up until one is picked or its limit passes.
    const wrapupMs = codes ? settings!.wrapupLimitMs : (settings?.wrapupMs ?? this.config.wrapupMs);
    if (wrap && (codes || wrapupMs! > 0)) {
      // The call goes on elsewhere or ends; wrap-up keeps how it looked, without its room.
      split.wrapup = call ? { ...callView(call, now, this), media: null, attention: null, consult: null } : null;
      if (split.wrapup && codes) split.wrapup.wrapupCodes = [...codes];
      split.coded = codes && call ? { callId: call.callId, record: null } : null;
      split.state = 'wrapup';
      if (wrapupMs !== null) this.startTimer(`wrapup:${seat.seatId}:${split.index}`, now + wrapupMs, { kind: 'wrapup', seatId: seat.seatId, split: split.index });
    } else this.setIdle(seat, split, now);
    this.touchSeat(seat);
  }

  /**
   * The split is idle again. R22: a record held for a code goes out now, with the code picked
   * (or none: the limit passed, or the seat is gone); a call still live keeps the code.
   */
  private setIdle(seat: Seat, split: Split, now: number, disposition: string | null = null): void {
    const coded = split.coded;
    if (coded) {
      if (coded.record) this.out.push({ type: 'record', record: { ...coded.record, disposition } });
      else {
        const call = this.calls.get(coded.callId);
        if (call && disposition !== null) call.disposition = disposition;
      }
    }
    split.coded = null;
    split.state = 'idle';
    split.wrapup = null;
    split.since = now;
    seat.idleSince = now;
    this.touchSeat(seat);
  }

  /** R22: the code given with `wrapup-done`, checked against the queue's list. */
  private checkDisposition(split: Split, disposition: string | undefined): string | null {
    const codes = split.wrapup?.wrapupCodes ?? [];
    if (codes.length === 0) {
      if (disposition !== undefined) throw new EngineError('bad-message', `disposition: this call's queue has no wrap-up codes`);
      return null;
    }
    if (disposition === undefined) throw new EngineError('bad-message', `disposition is required: one of ${codes.join(', ')}`);
    if (!codes.includes(disposition)) throw new EngineError('bad-message', `disposition "${disposition}" is not one of ${codes.join(', ')}`);
    return disposition;
  }

  /** R11: the call ends with a reason, wherever it is; its consult leg ends with it. */
  private endCall(call: Call, reason: EndReason, now: number): void {
    if (call.place === 'ended') return;
    if (call.consult) {
      const leg = this.calls.get(call.consult.callId);
      call.consult = null;
      if (leg) this.finishLeg(leg, reason, now);
    }
    if (call.place === 'queued') this.dequeue(call);
    const seat = call.seatId ? this.seats.get(call.seatId) : undefined;
    const split = seat && call.split !== null ? seat.splits[call.split] : undefined;
    if (seat && split && split.callId === call.callId) {
      const talked = split.state === 'connected' || split.state === 'consulting';
      this.release(seat, split, now, talked && reason !== 'server-shutdown');
    }
    call.place = 'ended';
    this.finish(call, reason, now);
    if (call.consultFor) {
      const original = this.calls.get(call.consultFor);
      if (original) this.resume(original, now);
    }
  }

  /** Ends a consult leg whose consulting side is going away, without resuming anyone. */
  private finishLeg(leg: Call, reason: EndReason, now: number): void {
    leg.consultFor = null;
    this.endCall(leg, reason, now);
  }

  /** The bookkeeping of an ended call: timers, room, record, customer. */
  private finish(call: Call, reason: EndReason, now: number): void {
    call.endReason = reason;
    call.endedAt = now;
    this.cancelTimer(`ring:${call.callId}`);
    for (const seatId of call.rejectedUntil.keys()) this.cancelTimer(`reject:${call.callId}:${seatId}`);
    this.cancelOverflow(call);
    this.clearAttention(call);
    this.calls.delete(call.callId);
    this.out.push({ type: 'room-destroy', key: call.callId });
    // R22: a record whose split waits for a code is held there until one is picked.
    const seat = call.seatId ? this.seats.get(call.seatId) : undefined;
    const split = seat && call.split !== null ? seat.splits[call.split] : undefined;
    if (split?.coded?.callId === call.callId) split.coded.record = toRecord(call, now, reason);
    else this.out.push({ type: 'record', record: toRecord(call, now, reason) });
    if (call.kind !== 'consult') {
      this.counters.ended++;
      const gaveUp = reason === 'caller-hangup' || reason === 'caller-lost';
      if (call.kind === 'inbound' && call.answeredAt === null && gaveUp) this.counters.abandoned++;
      const customer = this.customers.get(call.customer.id);
      if (customer?.callId === call.callId) {
        customer.callId = null;
        if (!customer.online) {
          this.cancelTimer(`caller-grace:${customer.id}`);
          this.customers.delete(customer.id);
        }
      }
      this.touchCall(call);
    }
  }

  // ---- dispatch (R2–R6) -------------------------------------------------------------------

  /**
   * Offers waiting calls in queue order (R4), each to the best eligible seat that may take it
   * (R5), on that seat's lowest idle split (R6). A seat with a ringing split is not eligible,
   * so no seat ever rings twice (R2).
   */
  private dispatch(now: number): void {
    for (const seat of this.dirtySeats) this.reindex(seat);
    if (this.index.size === 0) return;
    this.dispatchReturns(now);
    // R19: skill requirements no eligible seat meets, found this pass (seats only leave the index
    // during a pass), so a long queue of calls nobody can take costs one scan, not one per call.
    const unmet = new Set<string>();
    for (let i = 0; i < this.queue.size && this.index.size > 0; ) {
      const call = this.queue.at(i);
      const seatId = this.chooseSeat(call, now, unmet);
      if (seatId === null) i++;
      else if (call.callback === 'requested') this.dialBack(call, this.seats.get(seatId)!, now);
      else this.offer(call, this.seats.get(seatId)!, now);
    }
  }

  /** R21: the callback asked for is placed as an outbound call (R12) on the chosen seat's idle split. */
  private dialBack(call: Call, seat: Seat, now: number): void {
    const split = seat.splits.find((s) => s.state === 'idle')!;
    this.dequeue(call);
    call.place = 'split';
    call.seatId = seat.seatId;
    call.split = split.index;
    call.callback = 'dialled';
    call.offeredAt ??= now;
    this.counters.offered++;
    split.state = 'dialing';
    split.callId = call.callId;
    split.since = now;
    seat.lastOfferAt = now;
    seat.lastOfferSeq = ++this.offerSeq;
    seat.idleSince = now;
    this.startTimer(`ring:${call.callId}`, now + this.ringTimeoutOf(call), { kind: 'ring', callId: call.callId });
    this.touchCall(call);
    this.touchSeat(seat);
    this.reindex(seat);
  }

  private ringTimeoutOf(call: Call): number {
    return this.settingsOf(call)?.ringTimeoutMs ?? this.config.ringTimeoutMs;
  }

  private offer(call: Call, seat: Seat, now: number): void {
    const split = seat.splits.find((s) => s.state === 'idle')!;
    this.dequeue(call);
    call.place = 'split';
    call.seatId = seat.seatId;
    call.split = split.index;
    call.offeredAt ??= now;
    if (call.kind !== 'consult') this.counters.offered++;
    split.state = 'ringing';
    split.callId = call.callId;
    split.since = now;
    seat.lastOfferAt = now;
    seat.lastOfferSeq = ++this.offerSeq;
    seat.idleSince = now;
    this.startTimer(`ring:${call.callId}`, now + this.ringTimeoutOf(call), { kind: 'ring', callId: call.callId });
    this.touchCall(call);
    this.touchSeat(seat);
    this.reindex(seat);
  }

  private facts(seat: Seat): SeatFacts {
    let busy = 0;
    let openRequests = 0;
    let oldest: number | null = null;
    for (const s of seat.splits) {
      if (s.state === 'idle') continue;
      busy++;
      const att = s.callId ? this.calls.get(s.callId)?.attention : null;
      if (att) {
        openRequests++;
        if (oldest === null || att.since < oldest) oldest = att.since;
      }
    }
    return { busy, openRequests, oldestRequestSince: oldest };
  }

  /** R3, plus the strategy's hold-back. */
  private reindex(seat: Seat): void {
    if (!this.seats.has(seat.seatId)) return this.index.set(seat.seatId, null);
    const f = this.facts(seat);
    const eligible =
      !this.stopping &&
      seat.online &&
      seat.ready &&
      f.busy < seat.cap &&
      seat.splits.some((s) => s.state === 'idle') &&
      !seat.splits.some((s) => s.state === 'ringing') &&
      !this.strategy.holdBack?.(seat, f);
    this.index.set(seat.seatId, eligible ? this.strategy.rank(seat, f) : null);
  }

  // ---- effects ----------------------------------------------------------------------------

  private flush(): Effect[] {
    for (const seat of this.dirtySeats) {
      if (!this.seats.has(seat.seatId)) continue;
      seat.version++;
      this.out.push({ type: 'seat', seatId: seat.seatId, seat: seatView(seat, this) });
    }
    for (const call of this.dirtyCalls) {
      if (call.place !== 'ended') this.announceParties(call);
      if (call.kind === 'consult') continue;
      const seat = call.seatId ? this.seats.get(call.seatId) : undefined;
      this.out.push({ type: 'call', customerId: call.customer.id, call: customerCallView(call, seat, this) });
    }
    if (this.waiting !== this.lastWaiting) {
      this.lastWaiting = this.waiting;
      this.out.push({ type: 'queue', waiting: this.waiting });
    }
    const out = this.out;
    this.out = [];
    this.dirtySeats.clear();
    this.dirtyCalls.clear();
    return out;
  }

  /** Who may be in the call's room now; announced only when it changes. */
  private announceParties(call: Call): void {
    const parties: string[] = [];
    if (call.kind === 'consult') {
      if (call.from) parties.push(`agent:${call.from.seat}`);
    } else parties.push(`customer:${call.customer.id}`);
    if (call.place === 'split' && call.seatId) parties.push(`agent:${call.seatId}`);
    if (parties.length === call.parties.length && parties.every((p, i) => p === call.parties[i])) return;
    call.parties = parties;
    this.out.push({ type: 'room-access', key: call.callId, parties });
  }

  private touchSeat(seat: Seat): void {
    this.dirtySeats.add(seat);
  }

  private touchCall(call: Call): void {
    this.dirtyCalls.add(call);
  }

  private touchCallSeat(call: Call): void {
    this.touchCall(call);
    const seat = call.seatId ? this.seats.get(call.seatId) : undefined;
    if (seat) this.touchSeat(seat);
  }

  private startTimer(key: string, at: number, action: TimerAction): void {
    this.timers.set(key, { at, action });
    this.out.push({ type: 'timer-start', key, at });
  }

  private cancelTimer(key: string): void {
    if (this.timers.delete(key)) this.out.push({ type: 'timer-cancel', key });
  }

  // ---- lookups that refuse --------------------------------------------------------------

  private signedIn(seatId: string): Seat {
    const seat = this.seats.get(seatId);
    if (!seat?.online) throw new EngineError('not-signed-in', `seat ${seatId} is not signed in`);
    return seat;
  }

  private splitOf(seat: Seat, index: number): Split {
    const split = Number.isInteger(index) ? seat.splits[index] : undefined;
    if (!split) throw new EngineError('no-such-split', `seat ${seat.seatId} has no split ${index}`);
    return split;
  }

  private callOn(split: Split): Call {
    const call = split.callId ? this.calls.get(split.callId) : undefined;
    if (!call) throw new EngineError('internal', `split ${split.index} lost its call`);
    return call;
  }
}

function assertNever(e: never): never {
  throw new EngineError('bad-message', `unknown event ${(e as { type: string }).type}`);
}

/** A deep copy through JSON: snapshots must hold plain data only, never live references. */
function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function invalid(message: string): EngineError {
  return new EngineError('invalid-state', message);
}

function toRecord(call: Call, now: number, reason: EndReason): CallRecord {
  return {
    callId: call.callId,
    kind: call.kind,
    queue: call.queue,
    customerId: call.customer.id,
    customerName: call.customer.name,
    seatId: call.seats.at(-1) ?? null,
    virtualSeat: call.virtualSeat,
    queuedAt: call.queuedAt,
    offeredAt: call.offeredAt,
    answeredAt: call.answeredAt,
    endedAt: now,
    endReason: reason,
    requeues: call.requeues,
    returnWaitsMs: [...call.returnWaits],
    disposition: call.disposition ?? null,
    seats: [...call.seats],
  };
}
