/**
 * The queue configuration (`--queues queues.json`): per queue, the skills a seat needs, the
 * priority, ring timeout, wrap-up, service-level target, overflow steps, the callback offer,
 * wrap-up codes and the return policy (R19–R23 of DESIGN.md). Plain data, validated here with
 * errors that name the field; the engine reads it, never the file.
 *
 * Without a configuration the engine behaves as before: any queue name, no skills.
 */

/** Skill name → level (a whole number from 0 to MAX_SKILL_LEVEL). */
export type Skills = Record<string, number>;

export const MAX_SKILL_LEVEL = 10;
export const MAX_SKILL_NAME = 64;
export const MAX_SKILLS = 32;
export const MAX_QUEUES = 500;
export const MAX_WRAPUP_CODES = 50;
export const MAX_OVERFLOW_STEPS = 10;
const MAX_MS = 24 * 3600 * 1000;
const QUEUE_NAME = /^[^\s].{0,63}$/u;

/** R20: after `afterMs` of waiting (from the call's first arrival), the call's reach widens. */
export interface OverflowStep {
  afterMs: number;
  /** New minimum levels for the queue's own skills (each at most the base level). */
  skills?: Skills;
  /** Seats that may take these queues' calls may take this one too. */
  addQueues?: string[];
}

export interface QueueSettings {
  /** R19: minimum levels a seat needs to be offered this queue's calls. */
  skills: Skills;
  /** R4: higher goes first, before the customer's own priority (0–9). */
  priority: number;
  /** R7 for this queue's offers (default: the engine's `ringTimeoutMs`). */
  ringTimeoutMs: number | null;
  /** R11 for this queue's calls (default: the engine's `wrapupMs`). */
  wrapupMs: number | null;
  /** A call answered within this is within the service level (stats only). */
  serviceLevelMs: number;
  /** R20, in `afterMs` order. */
  overflow: OverflowStep[];
  /** R21: past this wait the customer is offered a callback (null: never). */
  callbackAfterMs: number | null;
  /** R22: codes the agent picks one of at wrap-up (empty: no disposition asked). */
  wrapupCodes: string[];
  /** R22: with codes, how long wrap-up may last at most (null: until a code is picked). */
  wrapupLimitMs: number | null;
  /** R23: an attention request (R18) that waited this long may move to a free agent (null: off). */
  returnPoolAfterMs: number | null;
}

export interface QueueConfig {
  queues: Record<string, QueueSettings>;
}

export class QueueConfigError extends Error {
  constructor(
    /** The dotted path of the field at fault (`queues.claims.overflow[0].afterMs`). */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function ms(v: unknown, field: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_MS) throw new QueueConfigError(field, `must be a whole number of milliseconds from ${min} to ${MAX_MS}`);
  return v;
}

function optMs(o: Obj, key: string, path: string, min = 0): number | null {
  return o[key] === undefined || o[key] === null ? null : ms(o[key], `${path}.${key}`, min);
}

/** Checks a `skills` map (a token claim or a queue's requirement). */
export function validateSkills(v: unknown, field: string): Skills {
  if (!isObj(v)) throw new QueueConfigError(field, 'must be an object of skill name → level, like {"claims":3}');
  const keys = Object.keys(v);
  if (keys.length > MAX_SKILLS) throw new QueueConfigError(field, `has more than ${MAX_SKILLS} skills`);
  const out: Skills = Object.create(null) as Skills;
  for (const k of keys.sort()) {
    if (k.length === 0 || k.length > MAX_SKILL_NAME) throw new QueueConfigError(field, `skill names are 1–${MAX_SKILL_NAME} characters, not "${k}"`);
    const level = v[k];
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > MAX_SKILL_LEVEL)
      throw new QueueConfigError(`${field}.${k}`, `must be a whole number from 0 to ${MAX_SKILL_LEVEL}`);
    out[k] = level;
  }
  return { ...out };
}

const KNOWN = new Set(['skills', 'priority', 'ringTimeoutMs', 'wrapupMs', 'serviceLevelMs', 'overflow', 'callbackAfterMs', 'wrapupCodes', 'wrapupLimitMs', 'returnPoolAfterMs']);

/** Checks a parsed queue file; throws QueueConfigError naming the first field at fault. */
export function validateQueueConfig(v: unknown): QueueConfig {
  if (!isObj(v)) throw new QueueConfigError('(file)', 'must be a JSON object {"queues":{…}}');
  for (const k of Object.keys(v)) if (k !== 'queues') throw new QueueConfigError(k, 'is not a known field (only "queues")');
  const qs = v['queues'];
  if (!isObj(qs)) throw new QueueConfigError('queues', 'must be an object of queue name → settings');
  const names = Object.keys(qs);
  if (names.length === 0) throw new QueueConfigError('queues', 'must name at least one queue');
  if (names.length > MAX_QUEUES) throw new QueueConfigError('queues', `has more than ${MAX_QUEUES} queues`);
  const queues: Record<string, QueueSettings> = {};
  for (const name of names) {
    const path = `queues.${name}`;
    if (!QUEUE_NAME.test(name)) throw new QueueConfigError(path, 'a queue name is 1–64 characters and does not start with a space');
    queues[name] = queueSettings(qs[name], path);
  }
  for (const name of names)
    queues[name]!.overflow.forEach((s, i) =>
      s.addQueues?.forEach((q, j) => {
        if (!(q in queues)) throw new QueueConfigError(`queues.${name}.overflow[${i}].addQueues[${j}]`, `names queue "${q}", which is not in the file`);
        if (q === name) throw new QueueConfigError(`queues.${name}.overflow[${i}].addQueues[${j}]`, 'a queue cannot add itself');
      }),
    );
  return { queues };
}

function queueSettings(v: unknown, path: string): QueueSettings {
  if (!isObj(v)) throw new QueueConfigError(path, 'must be an object of settings');
  for (const k of Object.keys(v)) if (!KNOWN.has(k)) throw new QueueConfigError(`${path}.${k}`, `is not a known setting (one of: ${[...KNOWN].join(', ')})`);
  const skills = v['skills'] === undefined ? {} : validateSkills(v['skills'], `${path}.skills`);
  const priority = v['priority'] ?? 0;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 9) throw new QueueConfigError(`${path}.priority`, 'must be a whole number from 0 to 9');
  const overflowRaw = v['overflow'] ?? [];
  if (!Array.isArray(overflowRaw)) throw new QueueConfigError(`${path}.overflow`, 'must be a list of steps [{"afterMs":…, "skills"|"addQueues":…}]');
  if (overflowRaw.length > MAX_OVERFLOW_STEPS) throw new QueueConfigError(`${path}.overflow`, `has more than ${MAX_OVERFLOW_STEPS} steps`);
  let last = 0;
  const overflow = overflowRaw.map((raw, i): OverflowStep => {
    const p = `${path}.overflow[${i}]`;
    if (!isObj(raw)) throw new QueueConfigError(p, 'must be an object {"afterMs":…}');
    for (const k of Object.keys(raw)) if (!['afterMs', 'skills', 'addQueues'].includes(k)) throw new QueueConfigError(`${p}.${k}`, 'is not a known field (afterMs, skills, addQueues)');
    const afterMs = ms(raw['afterMs'], `${p}.afterMs`, 1);
    if (afterMs <= last) throw new QueueConfigError(`${p}.afterMs`, 'must be later than the step before it');
    last = afterMs;
    const step: OverflowStep = { afterMs };
    if (raw['skills'] !== undefined) {
      const lowered = validateSkills(raw['skills'], `${p}.skills`);
      for (const [k, level] of Object.entries(lowered)) {
        if (!(k in skills)) throw new QueueConfigError(`${p}.skills.${k}`, `is not one of the queue's skills (${Object.keys(skills).join(', ') || 'none'}): a step can only lower levels`);
        if (level > skills[k]!) throw new QueueConfigError(`${p}.skills.${k}`, `${level} is above the queue's level ${skills[k]}: a step can only lower levels`);
      }
      step.skills = lowered;
    }
    if (raw['addQueues'] !== undefined) {
      const aq = raw['addQueues'];
      if (!Array.isArray(aq) || aq.length === 0 || aq.some((q) => typeof q !== 'string' || q.length === 0))
        throw new QueueConfigError(`${p}.addQueues`, 'must be a non-empty list of queue names');
      step.addQueues = [...(aq as string[])];
    }
    if (!step.skills && !step.addQueues) throw new QueueConfigError(p, 'must lower skills or add queues (give "skills" or "addQueues")');
    return step;
  });
  const codesRaw = v['wrapupCodes'] ?? [];
  if (!Array.isArray(codesRaw) || codesRaw.some((c) => typeof c !== 'string' || c.length === 0 || c.length > 64))
    throw new QueueConfigError(`${path}.wrapupCodes`, 'must be a list of codes, each 1–64 characters');
  if (codesRaw.length > MAX_WRAPUP_CODES) throw new QueueConfigError(`${path}.wrapupCodes`, `has more than ${MAX_WRAPUP_CODES} codes`);
  if (new Set(codesRaw).size !== codesRaw.length) throw new QueueConfigError(`${path}.wrapupCodes`, 'lists a code twice');
  const wrapupLimitMs = optMs(v, 'wrapupLimitMs', path, 1);
  if (wrapupLimitMs !== null && codesRaw.length === 0) throw new QueueConfigError(`${path}.wrapupLimitMs`, 'needs wrapupCodes (it bounds the wait for a code)');
  const callbackAfterMs = optMs(v, 'callbackAfterMs', path, 1);
  if (callbackAfterMs !== null && overflow.length > 0 && callbackAfterMs <= overflow.at(-1)!.afterMs)
    throw new QueueConfigError(`${path}.callbackAfterMs`, 'must be later than the last overflow step');
  return {
    skills,
    priority,
    ringTimeoutMs: optMs(v, 'ringTimeoutMs', path, 1),
    wrapupMs: optMs(v, 'wrapupMs', path),
    serviceLevelMs: optMs(v, 'serviceLevelMs', path, 1) ?? 20_000,
    overflow,
    callbackAfterMs,
    wrapupCodes: [...(codesRaw as string[])],
    wrapupLimitMs,
    returnPoolAfterMs: optMs(v, 'returnPoolAfterMs', path, 1),
  };
}

/** Parses and checks the text of a queue file. */
export function parseQueueConfig(text: string): QueueConfig {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new QueueConfigError('(file)', `is not JSON: ${(e as Error).message}`);
  }
  return validateQueueConfig(v);
}

/** R19: whether a seat's skills meet every minimum level. */
export function meets(seat: Skills, required: Skills): boolean {
  for (const k in required) if ((seat[k] ?? 0) < required[k]!) return false;
  return true;
}

/** R19: how well a seat fits (the sum of its levels in the required skills; higher first). */
export function fit(seat: Skills, required: Skills): number {
  let sum = 0;
  for (const k in required) sum += seat[k] ?? 0;
  return sum;
}
