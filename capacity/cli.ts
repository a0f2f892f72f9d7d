/**
 * npm run capacity -- --rate 120 --talk 2 --upload 8 --talk2 1.5 --splits 1-8 --target 80/20
 *
 * For each split count, the fewest agents that meet the service level (and, with
 * --max-return-wait, the p90 in-service wait), found by simulating the real engine.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { strategyNames } from '../core/strategies.js';
import { agentOrders, type AgentOrder } from './agent-model.js';
import { capacityChart } from './chart.js';
import { distNames, type DistName } from './distributions.js';
import { plan, type PlanOptions, type PlanRow } from './search.js';
import type { SkillGroup } from './simulate.js';

/**
 * The strategy that serves the return policy best (README "Capacity planning"), the default
 * when it is on, in the planner and in the server (server/cli.ts).
 */
export { RETURN_POLICY_STRATEGY } from '../core/strategies.js';
import { RETURN_POLICY_STRATEGY } from '../core/strategies.js';

const HELP = `Usage: npm run capacity -- [options]

Workload (minutes are means; durations follow --dist, arrivals are Poisson)
  --rate N              calls per hour (default 120)
  --talk MIN            first conversation (default 2)
  --upload MIN          customer works alone: photos, forms (default 8; 0 for none)
  --talk2 MIN           closing conversation (default 1.5; 0 for none)
  --dist exp|lognormal|fixed   duration distribution (default exp; lognormal has CV 1)
Plan
  --splits LIST         split counts, e.g. 1-8 or 1,2,4 (default 1-8)
  --target P/S          service level: P% of calls answered within S seconds (default 80/20)
  --max-return-wait S   also keep the p90 in-service wait at or under S seconds
  --return-pool-after S plan every row with the return policy on (R23): a request that waited
                        S seconds while its own agent talks moves to a free agent; the strategy
                        then defaults to ${RETURN_POLICY_STRATEGY}
  --group SKILL:C:A     a skills group (R19): C% of the calls need SKILL, which A% of the agents
                        have (at least one); repeat for several groups
  --strategy NAME       dispatch strategy: ${strategyNames().join(', ')} (default least-busy)
  --agent-order NAME    what a free agent does first: ${agentOrders.join(', ')} (default ring-first)
  --hours H             simulated hours measured, after a 30-minute warm-up (default 8)
  --seed N              random seed (default 1)
  --compare             run every strategy and print one table per strategy
Output
  --json                rows as JSON
  --svg FILE            write the chart (agents and p90 in-service wait by splits) to FILE
  --help`;

export class UsageError extends Error {}

export interface CliOptions extends PlanOptions {
  json: boolean;
  svg: string | null;
  compare: boolean;
}

export function parseSplits(s: string): number[] {
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UsageError(`--splits: "${part}" is not N or N-M`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b > 8 || a > b) throw new UsageError(`--splits: ${part} must be within 1-8`);
    for (let i = a; i <= b; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

function num(name: string, v: string | undefined, dflt: number, min: number, max = Infinity): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min}${max < Infinity ? ` to ${max}` : ''}`);
  return n;
}

export function parseCli(argv: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      rate: { type: 'string' },
      talk: { type: 'string' },
      upload: { type: 'string' },
      talk2: { type: 'string' },
      dist: { type: 'string' },
      splits: { type: 'string' },
      target: { type: 'string' },
      'max-return-wait': { type: 'string' },
      'return-pool-after': { type: 'string' },
      group: { type: 'string', multiple: true },
      hours: { type: 'string' },
      seed: { type: 'string' },
      strategy: { type: 'string' },
      'agent-order': { type: 'string' },
      compare: { type: 'boolean' },
      json: { type: 'boolean' },
      svg: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const target = values.target ?? '80/20';
  const tm = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(target);
  if (!tm || Number(tm[1]) <= 0 || Number(tm[1]) >= 100) throw new UsageError('--target must be P/S, e.g. 80/20 (P% within S seconds, 0 < P < 100)');
  const dist = (values.dist ?? 'exp') as DistName;
  if (!distNames.includes(dist)) throw new UsageError(`--dist must be one of: ${distNames.join(', ')}`);
  const returnPool = values['return-pool-after'];
  const returnPoolAfterSec = returnPool === undefined ? undefined : num('return-pool-after', returnPool, 0, 0.001, 86_400);
  const strategy = values.strategy ?? (returnPoolAfterSec !== undefined ? RETURN_POLICY_STRATEGY : 'least-busy');
  if (!strategyNames().includes(strategy)) throw new UsageError(`--strategy must be one of: ${strategyNames().join(', ')}`);
  const agentOrder = (values['agent-order'] ?? 'ring-first') as AgentOrder;
  if (!agentOrders.includes(agentOrder)) throw new UsageError(`--agent-order must be one of: ${agentOrders.join(', ')}`);
  const maxReturn = values['max-return-wait'];
  const o: CliOptions = {
    ratePerHour: num('rate', values.rate, 120, 0.001),
    talkMin: num('talk', values.talk, 2, 0.001),
    uploadMin: num('upload', values.upload, 8, 0),
    talk2Min: num('talk2', values.talk2, 1.5, 0),
    dist,
    splits: parseSplits(values.splits ?? '1-8'),
    target: {
      level: Number(tm[1]) / 100,
      withinSec: Number(tm[2]),
      ...(maxReturn !== undefined ? { maxReturnWaitSec: num('max-return-wait', maxReturn, 0, 0) } : {}),
    },
    hours: num('hours', values.hours, 8, 0.1, 10_000),
    seed: Math.trunc(num('seed', values.seed, 1, 0)),
    strategy,
    agentOrder,
    ...(returnPoolAfterSec !== undefined ? { returnPoolAfterSec } : {}),
    ...(values.group?.length ? { groups: parseGroups(values.group) } : {}),
    json: values.json ?? false,
    svg: values.svg ?? null,
    compare: values.compare ?? false,
  };
  if (o.ratePerHour * o.hours > 2_000_000) throw new UsageError('--rate × --hours is too large (over 2 million calls)');
  return o;
}

/** `--group zh:20:25` → 20 % of calls need `zh`, 25 % of agents have it. */
export function parseGroups(list: string[]): SkillGroup[] {
  const groups = list.map((g) => {
    const m = /^([^:\s]{1,64}):(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(g.trim());
    if (!m) throw new UsageError(`--group must be SKILL:CALLS%:AGENTS%, e.g. zh:20:25, not "${g}"`);
    const callShare = Number(m[2]) / 100;
    const agentShare = Number(m[3]) / 100;
    if (callShare <= 0 || callShare > 1 || agentShare <= 0 || agentShare > 1) throw new UsageError(`--group ${g}: both shares must be above 0 and at most 100`);
    return { skill: m[1]!, callShare, agentShare };
  });
  if (new Set(groups.map((g) => g.skill)).size !== groups.length) throw new UsageError('--group: each skill once');
  if (groups.reduce((s, g) => s + g.callShare, 0) > 1) throw new UsageError('--group: the call shares add up to more than 100');
  return groups;
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export function jsonRow(r: PlanRow, strategy: string) {
  return {
    splits: r.splits,
    agents: r.agents,
    serviceLevel: r3(r.serviceLevel),
    inServiceWaitP90Sec: r1(r.inServiceWaitP90Sec),
    occupancy: r3(r.occupancy),
    inServiceWaitMeanSec: r1(r.inServiceWaitMeanSec),
    waitMeanSec: r1(r.waitMeanSec),
    customersPerAgent: r1(r.customersPerAgent),
    met: r.met,
    calls: r.calls,
    strategy,
    ownAgentShare: r3(r.ownAgentShare),
  };
}

export function table(rows: PlanRow[]): string {
  const head = ['splits', 'agents', 'service level', 'occupancy', 'in-service wait mean', 'p90', 'customers/agent', 'own agent'];
  const body = rows.map((r) => [
    String(r.splits),
    `${r.agents}${r.met ? '' : ' (not met)'}`,
    `${(r.serviceLevel * 100).toFixed(1)}%`,
    `${(r.occupancy * 100).toFixed(1)}%`,
    `${r.inServiceWaitMeanSec.toFixed(0)} s`,
    `${r.inServiceWaitP90Sec.toFixed(0)} s`,
    r.customersPerAgent.toFixed(1),
    `${(r.ownAgentShare * 100).toFixed(0)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

function describe(o: CliOptions): string {
  const t = o.target;
  return (
    `${o.ratePerHour} calls/h; talk ${o.talkMin} min, upload ${o.uploadMin} min, closing talk ${o.talk2Min} min (${o.dist}); ` +
    `target ${t.level * 100}% within ${t.withinSec} s${t.maxReturnWaitSec !== undefined ? `, p90 in-service wait ≤ ${t.maxReturnWaitSec} s` : ''}; ` +
    (o.returnPoolAfterSec !== undefined ? `return policy after ${o.returnPoolAfterSec} s; ` : '') +
    (o.groups?.length ? `skills groups ${o.groups.map((g) => `${g.skill} (${g.callShare * 100}% of calls, ${g.agentShare * 100}% of agents)`).join(', ')}; ` : '') +
    `${o.hours} h simulated, seed ${o.seed}`
  );
}

export function main(argv: string[]): number {
  let o: CliOptions | 'help';
  try {
    o = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(e as Error).message}\n\n${HELP}\n`);
      return 2;
    }
    throw e;
  }
  if (o === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const strategies = o.compare ? strategyNames() : [o.strategy as string];
  const results = strategies.map((strategy) => {
    const t0 = performance.now();
    const rows = plan({ ...o, strategy } as CliOptions);
    return { strategy, rows, ms: performance.now() - t0 };
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(results.flatMap((r) => r.rows.map((row) => jsonRow(row, r.strategy))))}\n`);
  } else {
    process.stdout.write(`${describe(o)}\n`);
    const first = results[0]!.rows[0];
    if (first) {
      process.stdout.write(
        `talk-only bound ${first.talkOnlyErlangs.toFixed(1)} agents; Erlang C for the whole call on one split: ${first.erlangCAgents} agents\n`,
      );
    }
    for (const r of results) {
      process.stdout.write(`\nstrategy ${r.strategy}, agent order ${o.agentOrder} (${(r.ms / 1000).toFixed(2)} s)\n${table(r.rows)}\n`);
    }
  }
  if (o.svg) {
    const r = results[0]!;
    const svg = capacityChart(r.rows, {
      subtitle: `${describe(o)}; strategy ${r.strategy}`,
      ...(r.rows[0] ? { talkOnlyErlangs: r.rows[0].talkOnlyErlangs } : {}),
    });
    writeFileSync(o.svg, svg);
    if (!o.json) process.stdout.write(`\nchart written to ${o.svg}\n`);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('capacity/cli.ts')) {
  process.exitCode = main(process.argv.slice(2));
}
