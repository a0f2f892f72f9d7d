/** The agent's side: one seat's state and the commands of PROTOCOL.md's agent messages. */
import { CommandStore, type CommandState } from './command-store.js';
import { ProtocolError, type ConnectionStatus, type ControlClient, type Outgoing } from './control-client.js';
import type { AgentMessage, CallView, SeatView, TransferTarget } from './protocol.js';

/** What a before-hangup hook is asked about: the split, its call and the call's virtual seat. */
export interface HangupRequest {
  split: number;
  call: CallView;
  virtualSeat: string;
}

/** Returns false to veto the hang-up (`<multi-seat>` returns what `seat-before-hangup` listeners decided). */
export type BeforeHangup = (request: HangupRequest) => boolean;

export interface SeatState extends CommandState {
  connection: ConnectionStatus;
  /** The latest seat snapshot; older versions are dropped. */
  seat: SeatView | null;
  /** Calls waiting in the queue. */
  waiting: number;
  /** R18: splits whose customer asked for the agent, longest-waiting first. */
  attention: number[];
  /** Splits shown in a window of their own (see SplitWindowHandle), in index order. */
  windows: number[];
}

/**
 * A split moved into a window of its own, as the seed patent's claim 5 has it: the seat controls
 * its split windows by their handles. The elements make the window; the store keeps the handles,
 * so a CRM (or a keyboard map) can bring a split's window forward, give its call focus, or close
 * it (the split comes back into the seat) without knowing how it was made.
 */
export interface SplitWindowHandle {
  readonly index: number;
  /** Gives the split's call focus (R10), when it has a connected call, and brings its window forward. */
  focus(): void;
  /** Brings the window forward, focus unchanged. */
  raise(): void;
  /** Closes the window; the split comes back into the seat. */
  close(): void;
}

export function attentionOrder(seat: SeatView | null): number[] {
  if (!seat) return [];
  return seat.splits
    .filter((s) => s.state === 'connected' && s.call?.attention)
    .sort((a, b) => a.call!.attention!.since - b.call!.attention!.since || a.index - b.index)
    .map((s) => s.index);
}

export class SeatStore extends CommandStore<SeatState, AgentMessage> {
  private readonly stop: () => void;
  private resync = false;
  /** Transfers asked for through this store, by call id, until the call leaves its split. */
  private readonly transfers = new Map<string, TransferTarget>();
  private readonly beforeHangup = new Set<BeforeHangup>();
  private readonly windowHandles = new Map<number, SplitWindowHandle>();

  constructor(client: ControlClient<AgentMessage>) {
    super(client, { connection: client.status, seat: null, waiting: 0, attention: [], windows: [], pending: {}, lastError: null });
    this.stop = client.subscribe((e) => {
      if (e.type === 'status') {
        // A new connection starts a new hello, whose snapshot is the truth even if its version
        // is lower (a restarted control center counts again from 1).
        if (e.status.state !== 'online') this.resync = true;
        return this.update({ connection: e.status });
      }
      const m = e.message;
      if (m.type === 'seat') {
        const current = this.getState().seat;
        const stale = current && current.seatId === m.seat.seatId && m.seat.version <= current.version;
        if (stale && !this.resync) return;
        this.resync = false;
        this.update({ seat: m.seat, attention: attentionOrder(m.seat) });
        // Listeners have seen the call leave; forget transfers of calls no longer being talked on.
        for (const callId of this.transfers.keys()) {
          if (!m.seat.splits.some((s) => s.call?.callId === callId && (s.state === 'connected' || s.state === 'consulting'))) this.transfers.delete(callId);
        }
      } else if (m.type === 'queue') this.update({ waiting: m.waiting });
    });
  }

  ready = () => this.send({ type: 'ready' });
  notReady = (reason?: string) => this.send(reason ? { type: 'not-ready', reason } : { type: 'not-ready' });
  answer = (split: number) => this.send({ type: 'answer', split });
  reject = (split: number) => this.send({ type: 'reject', split });
  /**
   * Hangs up the split's call, once every before-hangup hook agreed (the elements wire
   * `seat-before-hangup` here, so a button, a shortcut and this call are vetoed alike). A veto
   * rejects with `locally-refused` and sends nothing.
   */
  hangup = (split: number): Promise<void> => {
    const view = this.getState().seat?.splits[split];
    if (view?.call) {
      const request: HangupRequest = { split, call: view.call, virtualSeat: view.call.virtualSeat ?? view.channel };
      for (const hook of [...this.beforeHangup]) {
        if (hook(request) === false) return Promise.reject(new ProtocolError('locally-refused', `the hang-up of split ${split} was vetoed`));
      }
    }
    return this.send({ type: 'hangup', split });
  };

  /** Adds a hook asked before every hang-up; returning false vetoes it. Returns the function that removes it. */
  onBeforeHangup(hook: BeforeHangup): () => void {
    this.beforeHangup.add(hook);
    return () => this.beforeHangup.delete(hook);
  }
  focus = (split: number | null) => this.send({ type: 'focus', split });
  dial = (split: number, to: string) => this.send({ type: 'dial', split, to });
  consult = (split: number, to: string) => this.send({ type: 'consult', split, to });
  transfer = (split: number, to: TransferTarget): Promise<void> => {
    const callId = this.getState().seat?.splits[split]?.call?.callId;
    if (callId) this.transfers.set(callId, to);
    return this.send({ type: 'transfer', split, to }).catch((e: unknown) => {
      if (callId && this.transfers.get(callId) === to) this.transfers.delete(callId);
      throw e;
    });
  };
  cancelConsult = (split: number) => this.send({ type: 'cancel-consult', split });
  /** R11; `disposition` (R22): one of `call.wrapupCodes` of the split in wrap-up, when it lists any. */
  wrapupDone = (split: number, disposition?: string) => this.send({ type: 'wrapup-done', split, ...(disposition !== undefined ? { disposition } : {}) });
  bye = () => this.send({ type: 'bye' });

  /**
   * Where a transfer asked for through this store sends `callId`, while the call is still on
   * its split or the snapshot that frees the split is being delivered; else undefined.
   */
  transferTarget(callId: string): TransferTarget | undefined {
    return this.transfers.get(callId);
  }

  /** The handle of split `index`'s own window, while it has one. */
  splitWindow(index: number): SplitWindowHandle | undefined {
    return this.windowHandles.get(index);
  }

  /** Records a split's window (replacing an older one of the same split); the elements call it. */
  addSplitWindow(handle: SplitWindowHandle): void {
    this.windowHandles.set(handle.index, handle);
    this.update({ windows: [...this.windowHandles.keys()].sort((a, b) => a - b) });
  }

  /** Forgets split `index`'s window once it closed; the split shows in the seat again. */
  removeSplitWindow(index: number, handle?: SplitWindowHandle): void {
    if (!this.windowHandles.has(index) || (handle && this.windowHandles.get(index) !== handle)) return;
    this.windowHandles.delete(index);
    this.update({ windows: [...this.windowHandles.keys()].sort((a, b) => a - b) });
  }

  /** Commands on a split are keyed by split, so answering split 0 twice is refused locally. */
  protected override send(message: Outgoing<AgentMessage>): Promise<void> {
    return super.send(message, 'split' in message ? `${message.type}:${message.split}` : message.type);
  }

  /** Stops listening to the client and closes it. */
  dispose(): void {
    for (const w of [...this.windowHandles.values()]) w.close();
    this.stop();
    this.client.close();
  }
}
