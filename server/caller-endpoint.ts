/** `/v1/caller`: one customer per connection, the customer id taken from the token's `sub`. */
import type WebSocket from 'ws';
import { callerEvent } from '../core/message-events.js';
import type { CallerMessage } from '../core/protocol.js';
import { parseMessage } from '../core/validate.js';
import type { Identity } from './auth.js';
import { Connection, type EndpointDeps } from './connection.js';
import { customerParty } from './media-tokens.js';

export class CallerConnection extends Connection<CallerMessage> {
  private customerId: string | null = null;
  /** The signed claims: the name shown to agents, and the highest priority this customer may use. */
  private claims: { name: string | null; priority: number } = { name: null, priority: 0 };

  constructor(ws: WebSocket, deps: EndpointDeps) {
    super(ws, deps, 'caller');
  }

  signedOut(): void {
    this.customerId = null;
  }

  protected get signedIn(): boolean {
    return this.customerId !== null;
  }

  protected get party(): string | null {
    return this.customerId === null ? null : customerParty(this.customerId);
  }

  protected parse(text: string) {
    return parseMessage('caller', text);
  }

  protected hello(m: CallerMessage, identity: Identity): void {
    const customerId = identity.sub;
    // Same rule as agents: the newest tab speaks for the customer, the older one is closed.
    const previous = this.cc.customerOnline(customerId);
    if (previous && previous !== this) previous.replaced();
    this.cc.apply({ type: 'caller-hello', customerId, now: this.cc.now }, (o) => {
      if (!o.ok) {
        this.error(m.id, o.error.code, o.error.message);
        return this.helloSettled();
      }
      this.customerId = customerId;
      this.claims = { name: identity.name ?? null, priority: identity.priority ?? 0 };
      this.ok(m.id);
      this.cc.bindCustomer(customerId, this);
      this.helloSettled();
    }, this);
  }

  protected command(m: CallerMessage): void {
    if (m.type === 'hello' || m.type === 'ping' || this.customerId === null) return;
    const event = callerEvent(this.customerId, m, this.cc.now);
    if (event.type === 'caller-call') {
      // Per identity, over every connection of this customer (a reconnect does not reset it).
      if (!this.guard.call(this.customerId)) return this.error(m.id, 'rate-limited', 'too many calls; wait a minute');
      // Claims over messages: the token's priority is a ceiling the message may only lower, and
      // the token's name wins; a name the customer typed itself is marked unverified.
      event.priority = Math.min(m.type === 'call' && m.priority !== undefined ? m.priority : this.claims.priority, this.claims.priority);
      if (this.claims.name !== null) event.name = this.claims.name;
      else if (event.name !== null) event.verified = false;
    }
    this.cc.apply(event, this.answer(m.id), this);
  }

  protected gone(): void {
    if (this.customerId !== null) this.cc.customerGone(this.customerId, this);
    this.customerId = null;
  }
}
