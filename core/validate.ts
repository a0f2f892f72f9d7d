/**
 * Checks every incoming frame against PROTOCOL.md before anything acts on it. A frame either
 * becomes a typed message or a `bad-message` error that names the offending field.
 */
import type { AgentMessage, CallerMessage, Role } from './protocol.js';
import { MAX_ID_LENGTH, MAX_SPLITS } from './protocol.js';

export const limits = {
  token: 4096,
  reason: 200,
  name: 100,
  queue: 64,
  target: 128,
  disposition: 64,
} as const;

export interface BadMessage {
  code: 'bad-message';
  /** The dotted path of the field at fault, or null for the frame as a whole. */
  field: string | null;
  message: string;
  /** The client's id when it could be read, so the error can answer it. */
  id: string | null;
}

export type Validated<T> = { ok: true; message: T } | { ok: false; error: BadMessage };

type Obj = Record<string, unknown>;

class Bad extends Error {
  constructor(
    readonly field: string | null,
    message: string,
  ) {
    super(message);
  }
}

function str(o: Obj, field: string, max: number, optional = false): string | undefined {
  const v = o[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new Bad(field, `${field} must be a string`);
  if (v.length === 0) throw new Bad(field, `${field} must not be empty`);
  if (v.length > max) throw new Bad(field, `${field} is longer than ${max} characters`);
  return v;
}

function int(o: Obj, field: string, min: number, max: number, optional = false): number | undefined {
  const v = o[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Bad(field, `${field} must be an integer`);
  if (v < min || v > max) throw new Bad(field, `${field} must be from ${min} to ${max}`);
  return v;
}

const split = (o: Obj) => int(o, 'split', 0, MAX_SPLITS - 1)!;

function transferTarget(o: Obj): { seat: string } | { queue: string } {
  const to = o['to'];
  if (typeof to !== 'object' || to === null || Array.isArray(to)) throw new Bad('to', 'to must be {"seat":"…"} or {"queue":"…"}');
  const t = to as Obj;
  if (t['seat'] !== undefined && t['queue'] !== undefined) throw new Bad('to', 'to names both a seat and a queue');
  if (t['seat'] !== undefined) {
    if (typeof t['seat'] !== 'string' || !t['seat'] || t['seat'].length > limits.target) throw new Bad('to.seat', 'to.seat must be a seat id');
    return { seat: t['seat'] };
  }
  if (typeof t['queue'] !== 'string' || !t['queue'] || t['queue'].length > limits.queue) throw new Bad('to.queue', 'to.queue must be a queue name');
  return { queue: t['queue'] };
}

function agent(type: string, id: string, o: Obj): AgentMessage {
  switch (type) {
    case 'hello':
      return { type, id, token: str(o, 'token', limits.token)!, splits: int(o, 'splits', 1, MAX_SPLITS)! };
    case 'ready':
    case 'bye':
    case 'ping':
      return { type, id };
    case 'not-ready': {
      const reason = o['reason'] === null ? undefined : str(o, 'reason', limits.reason, true);
      return reason === undefined ? { type, id } : { type, id, reason };
    }
    case 'answer':
    case 'reject':
    case 'hangup':
    case 'cancel-consult':
      return { type, id, split: split(o) };
    case 'wrapup-done': {
      // R22: optional; the engine checks it against the queue's codes.
      const disposition = o['disposition'] === null ? undefined : str(o, 'disposition', limits.disposition, true);
      return disposition === undefined ? { type, id, split: split(o) } : { type, id, split: split(o), disposition };
    }
    case 'focus':
      return { type, id, split: o['split'] === null ? null : split(o) };
    case 'dial':
    case 'consult':
      return { type, id, split: split(o), to: str(o, 'to', limits.target)! };
    case 'transfer':
      return { type, id, split: split(o), to: transferTarget(o) };
    default:
      throw new Bad('type', `unknown message type "${type}"`);
  }
}

function caller(type: string, id: string, o: Obj): CallerMessage {
  switch (type) {
    case 'hello':
      return { type, id, token: str(o, 'token', limits.token)! };
    case 'call': {
      const msg: CallerMessage = { type, id, queue: str(o, 'queue', limits.queue)! };
      const name = o['name'] === null ? undefined : str(o, 'name', limits.name, true);
      const priority = int(o, 'priority', 0, 9, true);
      if (name !== undefined) msg.name = name;
      if (priority !== undefined) msg.priority = priority;
      return msg;
    }
    case 'accept':
    case 'decline':
    case 'hangup':
    case 'callback':
    case 'ping':
      return { type, id };
    case 'attention':
      if (typeof o['on'] !== 'boolean') throw new Bad('on', 'on must be true or false');
      return { type, id, on: o['on'] };
    default:
      throw new Bad('type', `unknown message type "${type}"`);
  }
}

/** Validates an already parsed value as a message of that role. */
export function validateMessage(role: 'agent', value: unknown): Validated<AgentMessage>;
export function validateMessage(role: 'caller', value: unknown): Validated<CallerMessage>;
export function validateMessage(role: Role, value: unknown): Validated<AgentMessage | CallerMessage>;
export function validateMessage(role: Role, value: unknown): Validated<AgentMessage | CallerMessage> {
  let id: string | null = null;
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Bad(null, 'a message must be a JSON object');
    const o = value as Obj;
    if (typeof o['id'] === 'string' && o['id'].length > 0 && o['id'].length <= MAX_ID_LENGTH) id = o['id'];
    const type = o['type'];
    if (typeof type !== 'string') throw new Bad('type', 'type must be a string');
    str(o, 'id', MAX_ID_LENGTH);
    const message = role === 'agent' ? agent(type, id!, o) : caller(type, id!, o);
    return { ok: true, message };
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
    return { ok: false, error: { code: 'bad-message', field: e.field, message: e.message, id } };
  }
}

/** Parses a text frame and validates it. */
export function parseMessage(role: 'agent', text: string): Validated<AgentMessage>;
export function parseMessage(role: 'caller', text: string): Validated<CallerMessage>;
export function parseMessage(role: Role, text: string): Validated<AgentMessage | CallerMessage>;
export function parseMessage(role: Role, text: string): Validated<AgentMessage | CallerMessage> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'bad-message', field: null, message: 'the frame is not JSON', id: null } };
  }
  return validateMessage(role, value);
}
