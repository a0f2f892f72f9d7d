/**
 * The control center in a box: the real engine behind the ControlClient seam, for Storybook,
 * unit tests and the offline demo. Rooms are fake (`sim://` media), timers come from an
 * injected scheduler so the core stays free of any host API.
 */
import type { ClientEvent, ConnectionStatus, ControlClient, Outgoing } from './control-client.js';
import { ProtocolError } from './control-client.js';
import type { Effect } from './effects.js';
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
  private readonly timers = new Map<string, unknown>();
  private rooms = 0;

  constructor(options: SimulatorOptions) {
    this.engine = new Engine(options);
    this.scheduler = options.scheduler;
    this.roomMedia = options.roomMedia ?? ((_key, n) => ({ server: 'sim://', room: n, pin: 'sim' }));
  }

  /** Signs a seat in with N splits and returns its client. */
  agent(seatId: string, splits: number): ControlClient<AgentMessage> & { setOnline(up: boolean): void } {
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
    this.apply({ type: 'agent-hello', seatId, splits, now: this.scheduler.now() });
    client.deliver({ type: 'queue', waiting: this.engine.waiting });
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
        if (this.callers.get(customerId) === client) this.apply({ type: 'caller-lost', customerId, now: this.scheduler.now() }, false);
      },
    );
    this.callers.set(customerId, client);
    this.apply({ type: 'caller-hello', customerId, now: this.scheduler.now() });
    return client;
  }

  /** Applies an event; a refused command throws the ProtocolError the client will see. */
  apply(event: EngineEvent, throws = true): void {
    const result = this.engine.apply(event);
    if (!result.ok) {
      if (throws) throw new ProtocolError(result.error.code, result.error.message);
      return;
    }
    this.perform(result.effects);
  }

  private perform(effects: Effect[]): void {
    for (const e of effects) {
      switch (e.type) {
        case 'seat':
          this.agents.get(e.seatId)?.deliver({ type: 'seat', seat: e.seat });
          break;
        case 'call':
          this.callers.get(e.customerId)?.deliver({ type: 'call', call: e.call });
          break;
        case 'queue':
          for (const a of this.agents.values()) a.deliver({ type: 'queue', waiting: e.waiting });
          this.sendPositions();
          break;
        case 'timer-start': {
          this.scheduler.clearTimeout(this.timers.get(e.key));
          const delay = Math.max(0, e.at - this.scheduler.now());
          this.timers.set(
            e.key,
            this.scheduler.setTimeout(() => {
              this.timers.delete(e.key);
              this.apply({ type: 'timer', key: e.key, now: this.scheduler.now() }, false);
            }, delay),
          );
          break;
        }
        case 'timer-cancel':
          this.scheduler.clearTimeout(this.timers.get(e.key));
          this.timers.delete(e.key);
          break;
        case 'room-create': {
          const media = this.roomMedia(e.key, ++this.rooms);
          this.scheduler.setTimeout(() => this.apply({ type: 'room-ready', key: e.key, media, now: this.scheduler.now() }, false), 0);
          break;
        }
        case 'record':
          this.records.push(e.record);
          break;
        case 'room-destroy':
        case 'seat-closed':
          break;
      }
    }
  }

  /** The engine leaves position-only changes to its host: tell every waiting customer. */
  private sendPositions(): void {
    for (const call of this.engine.queuedCalls()) {
      if (call.kind === 'consult') continue;
      const view = this.engine.customerView(call.customer.id);
      if (view) this.callers.get(call.customer.id)?.deliver({ type: 'call', call: view });
    }
  }
}
