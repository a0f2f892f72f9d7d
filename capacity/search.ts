/**
 * The planner: for each split count, the fewest agents whose simulated day meets the target(s).
 *
 * Every trial of one plan uses the same customers (same seed), so a trial with one agent more
 * faces exactly the same traffic. The search starts from bounds no staffing can beat:
 * - the talk-only bound: agents ≥ rate × (talk + closing talk), the Erlangs of conversation
 *   alone, since an agent talks to one customer at a time (R10);
 * - the split bound: agents × splits ≥ rate × (whole call), since a split holds one call;
 * and from Erlang C for the whole call on one split as a first upper guess, then bisects.
 */
import { erlangCAgents } from './erlang.js';
import { makeCustomers, simulate, type Customer, type SimOptions, type SimResult, type SkillGroup, type Workload } from './simulate.js';
import type { AgentOrder } from './agent-model.js';
import type { DispatchStrategy } from '../core/strategies.js';

export interface Target {
  /** Fraction of calls to answer in time, 0–1. */
  level: number;
  withinSec: number;
  /** Optional: the p90 in-service wait must also stay at or under this many seconds. */
  maxReturnWaitSec?: number;
}

export interface PlanOptions extends Workload {
  splits: number[];
  target: Target;
  hours: number;
  warmupMin?: number;
  seed: number;
  strategy: string | DispatchStrategy;
  agentOrder?: AgentOrder;
  /** R23: plan with the return policy on, after this many seconds (undefined: off). */
  returnPoolAfterSec?: number;
  /** R19: skills groups (a share of calls needs a skill a share of agents has). */
  groups?: SkillGroup[];
}

export interface PlanRow extends SimResult {
  /** Whether the target was met (false: `agents` is the largest tried, and it fell short). */
  met: boolean;
  /** The talk-only bound, in agents (fractional Erlangs). */
  talkOnlyErlangs: number;
  /** Erlang C's agents for the whole call on one split (the no-splits baseline). */
  erlangCAgents: number;
  /** Simulations this row took. */
  trials: number;
}

export function talkOnlyErlangs(w: Workload): number {
  return (w.ratePerHour * (w.talkMin + w.talk2Min)) / 60;
}

export function wholeCallErlangs(w: Workload): number {
  return (w.ratePerHour * (w.talkMin + w.uploadMin + w.talk2Min)) / 60;
}

export function meets(r: SimResult, t: Target): boolean {
  return r.serviceLevel >= t.level && (t.maxReturnWaitSec === undefined || r.inServiceWaitP90Sec <= t.maxReturnWaitSec);
}

/** The fewest agents for one split count. */
export function planSplits(o: PlanOptions, splits: number, customers?: Customer[]): PlanRow {
  const list = customers ?? makeCustomers(o, o.hours, o.warmupMin ?? 30, o.seed);
  const aTalk = talkOnlyErlangs(o);
  const aAll = wholeCallErlangs(o);
  const baseline = erlangCAgents({ ratePerHour: o.ratePerHour, ahtSec: (o.talkMin + o.uploadMin + o.talk2Min) * 60, level: o.target.level, withinSec: o.target.withinSec });
  const tried = new Map<number, SimResult>();
  const trial = (agents: number): SimResult => {
    let r = tried.get(agents);
    if (!r) {
      const sim: SimOptions = { ...o, agents, splits, withinSec: o.target.withinSec };
      r = simulate(sim, list);
      tried.set(agents, r);
    }
    return r;
  };
  let lo = Math.max(1, Math.ceil(aTalk), Math.ceil(aAll / splits)); // may fail
  // Beyond this many agents each seat rarely has two customers at once: more would not help.
  const cap = Math.max(baseline, Math.ceil(aAll)) * 2 + 10;
  let hi = Math.max(lo, Math.min(baseline, cap));
  while (!meets(trial(hi), o.target) && hi < cap) {
    lo = hi + 1;
    hi = Math.min(cap, hi + Math.max(2, Math.ceil(hi / 2)));
  }
  const met = meets(trial(hi), o.target);
  if (met) {
    // Invariant: hi meets; everything below lo is known or bound to fail.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (meets(trial(mid), o.target)) hi = mid;
      else lo = mid + 1;
    }
  }
  return { ...trial(hi), met, talkOnlyErlangs: aTalk, erlangCAgents: baseline, trials: tried.size };
}

export function plan(o: PlanOptions): PlanRow[] {
  const customers = makeCustomers(o, o.hours, o.warmupMin ?? 30, o.seed);
  return o.splits.map((s) => planSplits(o, s, customers));
}
