/**
 * The control center in a box: the real engine behind the ControlClient seam, for Storybook,
 * unit tests and the offline demo. Rooms are fake (`sim://` media), timers come from an
 * injected scheduler so the core stays free of any host API.
 */
import type { ClientEvent, ConnectionStatus, ControlClient, Outgoing } from './control-client.js';
import { ProtocolError } from './control-client.js';
import type { Clock, TimerHandle } from './clock.js';
import { EffectHost } from './effect-host.js';
import { Engine, type EngineOptions } from './engine.js';
import type { EngineEvent } from './events.js';
import { agentEvent, callerEvent } from './message-events.js';
import type { CallRecord } from './model.js';
import type { AgentMessage, CallerMessage, MediaInfo, ServerMessage } from './protocol.js';
import { validateMessage } from './validate.js';

export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SimulatorOptions extends EngineOptions {
  scheduler: Scheduler;
  /** The media a new room gets; by default a fake `sim://` room. */
  roomMedia?: (key: string, n: number) => MediaInfo;
}

const online: ConnectionStatus = { state: 'online', retryAt: null, error: null };
const offline: ConnectionStatus = { state: 'offline', retryAt: null, error: null };

class SimClient<M extends AgentMessage | CallerMessage> implements ControlClient<M> {
  status: ConnectionStatus = online;
  private readonly listeners = new Set<(e: ClientEvent) => void>();
  /** The latest seat / queue / call message, replayed to a late subscriber (as a server sends them after hello). */
  private readonly latest = new Map<ServerMessage['type'], ServerMessage>();

  constructor(
    private readonly role: 'agent' | 'caller',
    private readonly onRequest: (m: M) => void,
    private readonly onClose: () => void,
  ) {}

  async request(message: Outgoing<M>): Promise<void> {
    if (this.status.state !== 'online') throw new ProtocolError('not-signed-in', 'the connection is closed');
    // Same checks as the wire, so stories and tests meet the errors integrators will.
    const checked = validateMessage(this.role, { ...message, id: 'sim' });
    if (!checked.ok) throw new ProtocolError('bad-message', checked.error.message);
    this.onRequest(checked.message as M);
  }

  subscribe(listener: (e: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    // `agent()` signs in before anyone can subscribe: a store made from the client right after
    // still starts from the seat it was signed in with.
    for (const message of this.latest.values()) listener({ type: 'message', message });
    return () => this.listeners.delete(listener);
  }

  deliver(message: ServerMessage): void {
    if (message.type === 'seat' || message.type === 'queue' || message.type === 'call') this.latest.set(message.type, message);
    for (const l of [...this.listeners]) l({ type: 'message', message });
  }

  /** Simulates the connection dropping (R15, R16) or coming back. */
  setOnline(up: boolean): void {
    this.status = up ? online : offline;
    for (const l of [...this.listeners]) l({ type: 'status', status: this.status });
  }

  close(): void {
    if (this.status.state === 'offline') return;
    this.setOnline(false);
    this.onClose();
  }
}

export class Simulator {
  readonly engine: Engine;
  /** Every finished call, in order. */
  readonly records: CallRecord[] = [];
  private readonly scheduler: Scheduler;
  private readonly roomMedia: (key: string, n: number) => MediaInfo;
  private readonly agents = new Map<string, SimClient<AgentMessage>>();
  private readonly callers = new Map<string, SimClient<CallerMessage>>();
  private readonly host: EffectHost;
  private rooms = 0;

  constructor(options: SimulatorOptions) {
    this.engine = new Engine(options);
    this.scheduler = options.scheduler;
    this.roomMedia = options.roomMedia ?? ((_key, n) => ({ server: 'sim://', room: n, pin: 'sim' }));
    const scheduler = this.scheduler;
    const clock: Clock = {
      now: () => scheduler.now(),
      at: (time, fn) => ({ time, handle: scheduler.setTimeout(fn, Math.max(0, time - scheduler.now())) }) as TimerHandle,
      cancel: (t) => scheduler.clearTimeout((t as TimerHandle & { handle: unknown }).handle),
    };
    this.host = new EffectHost({
      engine: this.engine,
      clock,
      // The same host as the control center's, with fake clients and rooms on the other side.
      throttleMs: 0,
      outbox: {
        seat: (seatId, view) => this.agents.get(seatId)?.deliver({ type: 'seat', seat: view }),
        call: (customerId, view) => this.callers.get(customerId)?.deliver({ type: 'call', call: view }),
        noCall: (customerId) => this.callers.get(customerId)?.deliver({ type: 'no-call' }),
        waiting: (waiting) => {
          for (const a of this.agents.values()) a.deliver({ type: 'queue', waiting });
        },
        reaches: (customerId) => this.callers.has(customerId),
        roomCreate: (key) => {
          const media = this.roomMedia(key, ++this.rooms);
          scheduler.setTimeout(() => this.apply({ type: 'room-ready', key, media, now: scheduler.now() }, false), 0);
        },
        roomDestroy: () => {},
        roomAccess: () => {},
        record: (record) => this.records.push(record),
        seatClosed: () => {},
      },
    });
  }

  /** Signs a seat in with N splits (and R19 skills, as its token would carry) and returns its client. */
  agent(seatId: string, splits: number, skills?: Record<string, number>): ControlClient<AgentMessage> & { setOnline(up: boolean): void } {
    this.agents.get(seatId)?.close();
    const client: SimClient<AgentMessage> = new SimClient<AgentMessage>(
      'agent',
      (m) => {
        if (m.type === 'hello') throw new ProtocolError('invalid-state', 'already signed in');
        if (m.type === 'ping') return;
        this.apply(agentEvent(seatId, m, this.scheduler.now()));
      },
      () => {
        if (this.agents.get(seatId) === client) this.apply({ type: 'agent-lost', seatId, now: this.scheduler.now() }, false);
      },
    );
    this.agents.set(seatId, client);
    this.apply({ type: 'agent-hello', seatId, splits, ...(skills ? { skills } : {}), now: this.scheduler.now() });
    client.deliver({ type: 'queue', waiting: this.host.toldWaiting });
    return client;
  }

  /** Signs a customer in and returns its client. */
  caller(customerId: string): ControlClient<CallerMessage> & { setOnline(up: boolean): void } {
    this.callers.get(customerId)?.close();
    const client: SimClient<CallerMessage> = new SimClient<CallerMessage>(
      'caller',
      (m) => {
        if (m.type === 'hello') throw new ProtocolError('invalid-state', 'already signed in');
        if (m.type === 'ping') return;
        this.apply(callerEvent(customerId, m, this.scheduler.now()));
      },
      () => {
        if (this.callers.get(customerId) !== client) return;
        this.host.forgetCustomer(customerId);
        this.apply({ type: 'caller-lost', customerId, now: this.scheduler.now() }, false);
      },
    );
    this.callers.set(customerId, client);
    this.apply({ type: 'caller-hello', customerId, now: this.scheduler.now() });
    return client;
  }

  /** Applies an event; a refused command throws the ProtocolError the client will see. */
  apply(event: EngineEvent, throws = true): void {
    const outcome = this.host.apply(event);
    if (!outcome.ok && throws) throw new ProtocolError(outcome.error.code, outcome.error.message);
  }
}
