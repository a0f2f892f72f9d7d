/** The customer's side: the customer's one call and the commands of PROTOCOL.md's customer messages. */
import { CommandStore, type CommandState } from './command-store.js';
import type { ConnectionStatus, ControlClient } from './control-client.js';
import type { CallerMessage, CustomerCallView } from './protocol.js';

export interface CallerState extends CommandState {
  connection: ConnectionStatus;
  /**
   * The customer's current or last call. After a `no-call` (signed in again with no live call:
   * it ended while the page was away, or the control center lost it) a call still shown live
   * turns `ended`, with `endReason` null when the reason is unknown.
   */
  call: CustomerCallView | null;
}

export class CallerStore extends CommandStore<CallerState, CallerMessage> {
  private readonly stop: () => void;

  constructor(client: ControlClient<CallerMessage>) {
    super(client, { connection: client.status, call: null, pending: {}, lastError: null });
    this.stop = client.subscribe((e) => {
      if (e.type === 'status') this.update({ connection: e.status });
      else if (e.message.type === 'call') this.update({ call: e.message.call });
      else if (e.message.type === 'no-call') this.endShownCall();
    });
  }

  /** Never leave a page saying "connected" or "queued #1" for a call the server no longer has. */
  private endShownCall(): void {
    const call = this.getState().call;
    if (!call || call.state === 'ended') return;
    this.update({ call: { ...call, state: 'ended', position: null, focused: false, attention: null, endReason: null } });
  }

  call = (queue: string, name?: string, priority?: number) =>
    this.send({ type: 'call', queue, ...(name ? { name } : {}), ...(priority !== undefined ? { priority } : {}) });
  accept = () => this.send({ type: 'accept' });
  decline = () => this.send({ type: 'decline' });
  hangup = () => this.send({ type: 'hangup' });
  attention = (on: boolean) => this.send({ type: 'attention', on });
  /** R21: takes the callback offered (`call.callback === 'offered'`). */
  callback = () => this.send({ type: 'callback' });

  dispose(): void {
    this.stop();
    this.client.close();
  }
}
