/** `/v1/agent`: one seat per connection, the seat id taken from the token's `sub`. */
import type WebSocket from 'ws';
import { agentEvent } from '../core/message-events.js';
import type { AgentMessage } from '../core/protocol.js';
import { parseMessage } from '../core/validate.js';
import type { Identity } from './auth.js';
import { Connection, type EndpointDeps } from './connection.js';
import { agentParty } from './media-tokens.js';

export class AgentConnection extends Connection<AgentMessage> {
  private seatId: string | null = null;

  constructor(ws: WebSocket, deps: EndpointDeps) {
    super(ws, deps, 'agent');
  }

  signedOut(): void {
    this.seatId = null;
  }

  protected get signedIn(): boolean {
    return this.seatId !== null;
  }

  protected get party(): string | null {
    return this.seatId === null ? null : agentParty(this.seatId);
  }

  protected parse(text: string) {
    return parseMessage('agent', text);
  }

  protected hello(m: AgentMessage, identity: Identity): void {
    if (m.type !== 'hello') return;
    const seatId = identity.sub;
    // A second connection for the seat replaces the first (PROTOCOL.md: closed with 4002).
    const previous = this.cc.agentOnline(seatId);
    if (previous && previous !== this) previous.replaced();
    // R19: the token's skills travel in the event, so a replay gives the seat the same ones.
    this.cc.apply({ type: 'agent-hello', seatId, splits: m.splits, skills: identity.skills ?? {}, now: this.cc.now }, (o) => {
      if (!o.ok) {
        this.error(m.id, o.error.code, o.error.message);
        return this.helloSettled();
      }
      this.seatId = seatId;
      this.ok(m.id);
      this.cc.bindAgent(seatId, this);
      this.helloSettled();
    }, this);
  }

  protected command(m: AgentMessage): void {
    if (m.type === 'hello' || m.type === 'ping' || this.seatId === null) return;
    this.cc.apply(agentEvent(this.seatId, m, this.cc.now), this.answer(m.id), this);
  }

  protected gone(): void {
    if (this.seatId !== null) this.cc.agentGone(this.seatId, this);
    this.seatId = null;
  }
}
