/**
 * Erlang C: the M/M/c queue that contact-center staffing has used for a century. Here it is the
 * yardstick the simulation is checked against (one split, exponential times), and the planner's
 * first guess of the upper bound of its search.
 *
 * a = offered load in Erlangs (arrival rate × mean handling time), n = agents.
 */

/** Erlang B blocking probability by the stable recursion B(k) = a·B(k−1) / (k + a·B(k−1)). */
export function erlangB(n: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Probability that an arriving call waits at all (1 when the queue is unstable, n ≤ a). */
export function erlangC(n: number, a: number): number {
  if (a <= 0) return 0;
  if (n <= a) return 1;
  const b = erlangB(n, a);
  return (n * b) / (n - a * (1 - b));
}

/** Fraction of calls answered within `t` (same unit as `aht`). */
export function serviceLevel(n: number, a: number, t: number, aht: number): number {
  if (n <= a) return 0;
  return 1 - erlangC(n, a) * Math.exp((-(n - a) * t) / aht);
}

/** Mean wait in queue (average speed of answer), in the unit of `aht`. */
export function averageSpeedOfAnswer(n: number, a: number, aht: number): number {
  if (n <= a) return Infinity;
  return (erlangC(n, a) * aht) / (n - a);
}

export interface ErlangTarget {
  /** Calls per hour. */
  ratePerHour: number;
  /** Mean handling time, seconds. */
  ahtSec: number;
  /** Wanted fraction answered within `withinSec`, 0–1. */
  level: number;
  withinSec: number;
}

/** The fewest agents for which Erlang C meets the service level. */
export function erlangCAgents({ ratePerHour, ahtSec, level, withinSec }: ErlangTarget): number {
  const a = (ratePerHour * ahtSec) / 3600;
  let n = Math.max(1, Math.floor(a) + 1);
  while (serviceLevel(n, a, withinSec, ahtSec) < level) n++;
  return n;
}
