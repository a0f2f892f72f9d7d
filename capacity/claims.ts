/**
 * The default claims-survey workload of the README, for a Storybook story or the demo page:
 * `claimsChart()` plans it (about a second; no Node APIs, runs in the browser) and returns the
 * SVG string, e.g. `html\`${unsafeSVG(claimsChart())}\`` in Lit.
 */
import { capacityChart } from './chart.js';
import { plan, talkOnlyErlangs, type PlanOptions, type PlanRow } from './search.js';

export const claimsSurvey: PlanOptions = {
  ratePerHour: 120,
  talkMin: 2,
  uploadMin: 8,
  talk2Min: 1.5,
  dist: 'exp',
  splits: [1, 2, 3, 4, 5, 6, 7, 8],
  target: { level: 0.8, withinSec: 20 },
  hours: 8,
  seed: 1,
  strategy: 'least-busy',
};

export function claimsRows(overrides: Partial<PlanOptions> = {}): PlanRow[] {
  return plan({ ...claimsSurvey, ...overrides });
}

export function claimsChart(overrides: Partial<PlanOptions> = {}): string {
  const o = { ...claimsSurvey, ...overrides };
  const strategy = typeof o.strategy === 'string' ? o.strategy : o.strategy.name;
  return capacityChart(claimsRows(overrides), {
    subtitle: `Claims survey: ${o.ratePerHour} calls/h; talk ${o.talkMin} min, upload ${o.uploadMin} min, closing talk ${o.talk2Min} min; ${o.target.level * 100}% within ${o.target.withinSec} s; strategy ${strategy}`,
    talkOnlyErlangs: talkOnlyErlangs(o),
  });
}
