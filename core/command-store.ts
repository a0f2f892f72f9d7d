/** A store whose commands go to a control client, one at a time per command key. */
import type { ControlClient, LocalErrorCode, Outgoing } from './control-client.js';
import { ProtocolError } from './control-client.js';
import type { AgentMessage, CallerMessage, ErrorCode } from './protocol.js';
import { Store } from './store.js';

export interface CommandState {
  /** Commands sent and not yet answered, by key, so a second click does nothing. */
  pending: Record<string, true>;
  /** The last command refused by the control center (local refusals are not recorded). */
  lastError: { code: ErrorCode | LocalErrorCode; message: string; command: string } | null;
}

export abstract class CommandStore<S extends CommandState, M extends AgentMessage | CallerMessage> extends Store<S> {
  constructor(
    readonly client: ControlClient<M>,
    initial: S,
  ) {
    super(initial);
  }

  /**
   * Sends one command. The same key while one is in flight is refused locally (a double click
   * must not answer twice — the control center refuses it as well), with code `locally-refused`.
   */
  protected async send(message: Outgoing<M>, key: string = message.type): Promise<void> {
    if (this.getState().pending[key]) throw new ProtocolError('locally-refused', `${message.type} is already in progress`);
    this.update({ pending: { ...this.getState().pending, [key]: true } } as Partial<S>);
    try {
      await this.client.request(message);
      this.update({ lastError: null } as Partial<S>);
    } catch (e) {
      const err = e instanceof ProtocolError ? e : new ProtocolError('internal', String(e));
      this.update({ lastError: { code: err.code, message: err.message, command: message.type } } as Partial<S>);
      throw err;
    } finally {
      const { [key]: _, ...rest } = this.getState().pending;
      this.update({ pending: rest } as Partial<S>);
    }
  }
}
