/**
 * Turns a validated protocol message into the engine event it asks for. `hello` is not here:
 * it needs the token checked first, which is the control center's job.
 */
import type { AgentEvent, CallerEvent } from './events.js';
import type { AgentMessage, CallerMessage } from './protocol.js';

export function agentEvent(seatId: string, m: Exclude<AgentMessage, { type: 'hello' | 'ping' }>, now: number): AgentEvent {
  switch (m.type) {
    case 'ready':
      return { type: 'agent-ready', seatId, now };
    case 'not-ready':
      return { type: 'agent-not-ready', seatId, reason: m.reason ?? null, now };
    case 'answer':
    case 'reject':
    case 'hangup':
    case 'cancel-consult':
      return { type: `agent-${m.type}`, seatId, split: m.split, now };
    case 'wrapup-done':
      return m.disposition === undefined
        ? { type: 'agent-wrapup-done', seatId, split: m.split, now }
        : { type: 'agent-wrapup-done', seatId, split: m.split, disposition: m.disposition, now };
    case 'focus':
      return { type: 'agent-focus', seatId, split: m.split, now };
    case 'dial':
    case 'consult':
      return { type: `agent-${m.type}`, seatId, split: m.split, to: m.to, now };
    case 'transfer':
      return { type: 'agent-transfer', seatId, split: m.split, to: m.to, now };
    case 'bye':
      return { type: 'agent-bye', seatId, now };
  }
}

export function callerEvent(customerId: string, m: Exclude<CallerMessage, { type: 'hello' | 'ping' }>, now: number): CallerEvent {
  switch (m.type) {
    case 'call':
      return { type: 'caller-call', customerId, queue: m.queue, name: m.name ?? null, priority: m.priority ?? 0, now };
    case 'accept':
    case 'decline':
    case 'hangup':
    case 'callback':
      return { type: `caller-${m.type}`, customerId, now };
    case 'attention':
      return { type: 'caller-attention', customerId, on: m.on, now };
  }
}
