/**
 * Seeded randomness for the simulation: the same seed gives the same customers, so two runs that
 * differ only in agents, splits or strategy see exactly the same traffic (common random numbers;
 * this is what makes "fewer agents with more splits" a comparison and not noise).
 */

/** mulberry32: small, fast, 32-bit state; plenty for a few million draws. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DistName = 'exp' | 'lognormal' | 'fixed';
export const distNames: DistName[] = ['exp', 'lognormal', 'fixed'];

/** Coefficient of variation of the lognormal durations (std / mean). */
export const LOGNORMAL_CV = 1;

/** A sampler of durations with the given mean (any unit). A mean of 0 always gives 0. */
export function sampler(dist: DistName, mean: number, rand: () => number): () => number {
  if (mean <= 0) return () => 0;
  switch (dist) {
    case 'fixed':
      return () => mean;
    case 'exp':
      return () => -mean * Math.log(1 - rand());
    case 'lognormal': {
      const sigma2 = Math.log(1 + LOGNORMAL_CV * LOGNORMAL_CV);
      const sigma = Math.sqrt(sigma2);
      const mu = Math.log(mean) - sigma2 / 2;
      return () => Math.exp(mu + sigma * normal(rand));
    }
  }
}

/** Standard normal by Box–Muller. */
function normal(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The p-quantile (0–1) of the values, nearest-rank; 0 for no values. Sorts a copy. */
export function quantile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1));
  return s[i]!;
}
