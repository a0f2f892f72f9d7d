/**
 * A discrete-event simulation in virtual time that drives the real dispatch engine: simulated
 * customers arrive (Poisson), queue, talk, upload alone, ask for the agent back (R18), talk again
 * and leave; simulated agents (agent-model.ts) answer, focus and hang up. Every step is an event
 * applied to `Engine`, and the engine's own timers are fired at their virtual time, so the rules
 * measured are the rules that ship.
 *
 * Time 0 is the start of a warm-up; calls arriving in the following `hours` are measured (the
 * warm-up only fills the system so that the measured hours do not start empty).
 */
import { Engine } from '../core/engine.js';
import type { Effect } from '../core/effects.js';
import type { EngineEvent } from '../core/events.js';
import { Heap } from '../core/heap.js';
import { checkInvariants } from '../core/invariants.js';
import { validateQueueConfig } from '../core/queue-config.js';
import type { DispatchStrategy } from '../core/strategies.js';
import { nextAction, type AgentOrder, type SimAgent } from './agent-model.js';
import { prng, quantile, sampler, type DistName } from './distributions.js';

export interface Workload {
  /** Calls per hour. */
  ratePerHour: number;
  /** Mean minutes of the first conversation. */
  talkMin: number;
  /** Mean minutes the customer works alone (photos, forms); 0 for none. */
  uploadMin: number;
  /** Mean minutes of the closing conversation; 0 for none. */
  talk2Min: number;
  dist: DistName;
}

export interface SimOptions extends Workload {
  agents: number;
  splits: number;
  /** Simulated hours measured. */
  hours: number;
  /** Simulated minutes run before the measured hours. */
  warmupMin?: number;
  seed: number;
  strategy: string | DispatchStrategy;
  /** The service-level threshold: a call answered within this many seconds counts as in time. */
  withinSec: number;
  agentOrder?: AgentOrder;
  /** Check the engine's invariants (core/invariants.ts) after every event; slow, for tests. */
  checkInvariants?: boolean;
  /**
   * R23, the return policy: a request (R18) that waited this many seconds while the customer's
   * own agent talks to someone else moves to a free agent. Undefined: off.
   */
  returnPoolAfterSec?: number;
  /**
   * Skills groups (R19): a share of the calls needs a skill (their queue requires it at level 1)
   * that only a share of the agents has. Other calls go to any agent.
   */
  groups?: SkillGroup[];
}

export interface SkillGroup {
  skill: string;
  /** Share of calls, 0–1, that need the skill. */
  callShare: number;
  /** Share of agents, 0–1, that have it (at least one agent). */
  agentShare: number;
}

export interface SimResult {
  agents: number;
  splits: number;
  /** Measured calls (those that arrived in the measured hours). */
  calls: number;
  /** Fraction of measured calls answered within `withinSec`, 0–1. */
  serviceLevel: number;
  /** Mean and p90 of queue wait (arrival to answer), seconds. */
  waitMeanSec: number;
  waitP90Sec: number;
  /** Mean and p90 of the in-service wait: a customer's request (R18) until the agent's focus. */
  inServiceWaitMeanSec: number;
  inServiceWaitP90Sec: number;
  /** Fraction of agent time spent talking, in the measured hours. */
  occupancy: number;
  /** Mean customers connected per agent (talking, uploading or waiting for it). */
  customersPerAgent: number;
  /** Engine events applied. */
  events: number;
  /** Share (0–1) of returns (R18 requests answered) served by the customer's own agent (R23). */
  ownAgentShare: number;
}

export interface Customer {
  id: string;
  arriveMs: number;
  talkMs: number;
  uploadMs: number;
  talk2Ms: number;
}

const MIN = 60_000;
const HOUR = 3_600_000;
/** Far beyond any simulated day: simulated agents never let an offer time out (R7). */
const RING_TIMEOUT_MS = 1e12;

/**
 * The customers of a run: arrivals and their durations, from the seed alone. Two runs with the
 * same workload, hours and seed get the same customers whatever the agents, splits or strategy.
 */
export function makeCustomers(w: Workload, hours: number, warmupMin: number, seed: number): Customer[] {
  const arrivals = prng(seed * 2 + 1);
  const durations = prng(seed * 2 + 2);
  const gap = sampler('exp', HOUR / w.ratePerHour, arrivals);
  const talk = sampler(w.dist, w.talkMin * MIN, durations);
  const upload = sampler(w.dist, w.uploadMin * MIN, durations);
  const talk2 = sampler(w.dist, w.talk2Min * MIN, durations);
  const end = warmupMin * MIN + hours * HOUR;
  const out: Customer[] = [];
  for (let t = gap(); t < end; t += gap()) {
    out.push({ id: `k${out.length}`, arriveMs: t, talkMs: Math.max(1, talk()), uploadMs: upload(), talk2Ms: talk2() });
  }
  return out;
}

type Ev =
  | { at: number; seq: number; kind: 'arrive'; customer: Customer }
  | { at: number; seq: number; kind: 'timer'; key: string; gen: number }
  | { at: number; seq: number; kind: 'talk-end'; agent: Agent }
  | { at: number; seq: number; kind: 'upload-end'; customer: Customer };

interface Agent extends SimAgent {
  /** The call being talked: whose, and which of its two conversations. */
  talk: { customer: Customer; phase: 1 | 2; startedAt: number } | null;
}

export function simulate(opts: SimOptions, customers?: Customer[]): SimResult {
  const warmupMs = (opts.warmupMin ?? 30) * MIN;
  const windowEnd = warmupMs + opts.hours * HOUR;
  const list = customers ?? makeCustomers(opts, opts.hours, opts.warmupMin ?? 30, opts.seed);
  const byId = new Map(list.map((c) => [c.id, c]));
  const order = opts.agentOrder ?? 'ring-first';
  // R23: the claims queue with the return policy on; R19: one queue per skills group.
  const groups = opts.groups ?? [];
  const policy = opts.returnPoolAfterSec === undefined ? {} : { returnPoolAfterMs: Math.max(1, Math.round(opts.returnPoolAfterSec * 1000)) };
  const queues =
    opts.returnPoolAfterSec === undefined && groups.length === 0
      ? null
      : validateQueueConfig({ queues: Object.fromEntries([['claims', policy], ...groups.map((g) => [`claims-${g.skill}`, { ...policy, skills: { [g.skill]: 1 } }])]) });
  // Which calls need which group's skill: drawn from the seed alone, in arrival order.
  const pick = prng(opts.seed * 2 + 3);
  const queueOf = new Map<string, string>();
  for (const c of list) {
    let u = pick();
    let queue = 'claims';
    for (const g of groups) {
      if (u < g.callShare) {
        queue = `claims-${g.skill}`;
        break;
      }
      u -= g.callShare;
    }
    queueOf.set(c.id, queue);
  }
  const engine = new Engine({
    config: { ringTimeoutMs: RING_TIMEOUT_MS, wrapupMs: 0, queues, ...(typeof opts.strategy === 'string' ? { strategy: opts.strategy } : {}) },
    ...(typeof opts.strategy === 'string' ? {} : { strategy: opts.strategy }),
  });

  let seq = 0;
  const heap = new Heap<Ev>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  const timerGen = new Map<string, number>();
  const agents: Agent[] = [];
  const agentById = new Map<string, Agent>();
  const woken = new Set<Agent>();

  // Measures.
  let measured = 0;
  let inTime = 0;
  const waits: number[] = [];
  const returnWaits: number[] = [];
  let returns = 0;
  let ownReturns = 0;
  /** Customers past their first conversation: a returning offer (R23) is their closing talk. */
  const talkedOnce = new Set<string>();
  let talkMs = 0;
  let connectedMs = 0;
  let ended = 0;
  let events = 0;
  const withinMs = opts.withinSec * 1000;
  const clip = (from: number, to: number) => Math.max(0, Math.min(to, windowEnd) - Math.max(from, warmupMs));

  const apply = (e: EngineEvent) => {
    events++;
    const r = engine.apply(e);
    if (!r.ok) throw new Error(`engine refused ${e.type}: ${r.error.message}`);
    if (opts.checkInvariants) {
      const broken = checkInvariants(engine, e.now);
      if (broken.length) throw new Error(`after ${e.type} at ${e.now}: ${broken.join('; ')}`);
    }
    for (const eff of r.effects) effect(eff);
  };

  const effect = (eff: Effect) => {
    switch (eff.type) {
      case 'timer-start': {
        const gen = (timerGen.get(eff.key) ?? 0) + 1;
        timerGen.set(eff.key, gen);
        if (eff.at < RING_TIMEOUT_MS / 2) heap.push({ at: eff.at, seq: seq++, kind: 'timer', key: eff.key, gen });
        return;
      }
      case 'timer-cancel':
        timerGen.delete(eff.key);
        return;
      case 'seat': {
        const agent = agentById.get(eff.seatId);
        if (agent) {
          agent.view = eff.seat;
          woken.add(agent);
        }
        return;
      }
      case 'record': {
        const rec = eff.record;
        if (rec.kind !== 'inbound') return;
        ended++;
        const c = byId.get(rec.customerId)!;
        if (rec.answeredAt !== null) connectedMs += clip(rec.answeredAt, rec.endedAt);
        if (c.arriveMs < warmupMs || c.arriveMs >= windowEnd) return;
        measured++;
        const wait = (rec.answeredAt ?? rec.endedAt) - rec.queuedAt;
        waits.push(wait);
        if (rec.answeredAt !== null && wait <= withinMs) inTime++;
        for (const w of rec.returnWaitsMs) returnWaits.push(w);
        if (rec.returnWaitsMs.length > 0) {
          returns++;
          if ((rec.seats?.length ?? 1) <= 1) ownReturns++;
        }
        return;
      }
      default:
        return; // rooms, queue counts, customer views: nothing a simulated person needs
    }
  };

  const startTalk = (agent: Agent, customer: Customer, phase: 1 | 2, split: number, now: number) => {
    agent.talkingOn = split;
    agent.talk = { customer, phase, startedAt: now };
    heap.push({ at: now + (phase === 1 ? customer.talkMs : customer.talk2Ms), seq: seq++, kind: 'talk-end', agent });
  };

  const endTalk = (agent: Agent, now: number) => {
    const t = agent.talk!;
    talkMs += clip(t.startedAt, now);
    agent.talk = null;
    agent.talkingOn = null;
  };

  /** Free agents act on what their seat shows, until nobody has anything left to do now. */
  const settle = (now: number) => {
    while (woken.size > 0) {
      const agent = woken.values().next().value as Agent;
      woken.delete(agent);
      const action = nextAction(agent, order, (id) => byId.get(id)!.arriveMs);
      if (!action) continue;
      const customer = byId.get(action.customerId)!;
      if (action.kind === 'answer') apply({ type: 'agent-answer', seatId: agent.seatId, split: action.split, now });
      else apply({ type: 'agent-focus', seatId: agent.seatId, split: action.split, now });
      // An answered offer is a first talk, unless it is a returning customer handed over (R23).
      startTalk(agent, customer, action.kind === 'answer' && !talkedOnce.has(customer.id) ? 1 : 2, action.split, now);
    }
  };

  // Sign everyone in at time 0.
  for (let i = 0; i < opts.agents; i++) {
    const agent: Agent = { seatId: `a${i}`, view: null, talkingOn: null, talk: null };
    agents.push(agent);
    agentById.set(agent.seatId, agent);
    // R19: the first ⌈share × agents⌉ agents have a group's skill.
    const skills: Record<string, number> = {};
    for (const g of groups) if (i < Math.max(1, Math.ceil(g.agentShare * opts.agents))) skills[g.skill] = 1;
    apply({ type: 'agent-hello', seatId: agent.seatId, splits: opts.splits, skills, now: 0 });
    apply({ type: 'agent-ready', seatId: agent.seatId, now: 0 });
  }
  woken.clear();
  for (const c of list) heap.push({ at: c.arriveMs, seq: seq++, kind: 'arrive', customer: c });

  while (ended < list.length) {
    const ev = heap.pop();
    if (!ev) throw new Error('simulation stalled with calls still open');
    const now = ev.at;
    switch (ev.kind) {
      case 'arrive':
        apply({ type: 'caller-hello', customerId: ev.customer.id, now });
        apply({ type: 'caller-call', customerId: ev.customer.id, queue: queueOf.get(ev.customer.id)!, name: null, priority: 0, now });
        break;
      case 'timer':
        if (timerGen.get(ev.key) !== ev.gen) break;
        timerGen.delete(ev.key);
        apply({ type: 'timer', key: ev.key, now });
        break;
      case 'upload-end':
        apply({ type: 'caller-attention', customerId: ev.customer.id, on: true, now });
        break;
      case 'talk-end': {
        const agent = ev.agent;
        const { customer, phase } = agent.talk!;
        const split = agent.talkingOn!;
        endTalk(agent, now);
        talkedOnce.add(customer.id);
        if (phase === 1 && customer.uploadMs > 0) {
          // The customer goes off to upload; the agent is free and looks at its seat.
          heap.push({ at: now + customer.uploadMs, seq: seq++, kind: 'upload-end', customer });
          const next = nextAction(agent, order, (id) => byId.get(id)!.arriveMs);
          if (!next) apply({ type: 'agent-focus', seatId: agent.seatId, split: null, now });
          woken.add(agent);
        } else if (phase === 1 && customer.talk2Ms > 0) {
          startTalk(agent, customer, 2, split, now); // no upload: straight on to the closing talk
        } else {
          apply({ type: 'agent-hangup', seatId: agent.seatId, split, now });
          woken.add(agent);
        }
        break;
      }
    }
    settle(now);
  }

  const agentMs = opts.agents * (windowEnd - warmupMs);
  return {
    agents: opts.agents,
    splits: opts.splits,
    calls: measured,
    serviceLevel: measured ? inTime / measured : 1,
    waitMeanSec: mean(waits) / 1000,
    waitP90Sec: quantile(waits, 0.9) / 1000,
    inServiceWaitMeanSec: mean(returnWaits) / 1000,
    inServiceWaitP90Sec: quantile(returnWaits, 0.9) / 1000,
    occupancy: talkMs / agentMs,
    customersPerAgent: connectedMs / agentMs,
    events,
    ownAgentShare: returns ? ownReturns / returns : 1,
  };
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length ? s / xs.length : 0;
}
