/**
 * R23 in the planner: `--return-pool-after S` plans with the return policy on, paired by default
 * with the strategy that serves it best (threshold), and every row tells how many returns the
 * customer's own agent served (`ownAgentShare`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCli } from '../../capacity/cli.js';
import { plan } from '../../capacity/search.js';
import { simulate } from '../../capacity/simulate.js';
import { RETURN_POLICY_STRATEGY } from '../../core/strategies.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const claims = { ratePerHour: 120, talkMin: 2, uploadMin: 8, talk2Min: 1.5, dist: 'exp' as const };

test('R23: --return-pool-after turns the policy on and makes threshold the default strategy (an explicit --strategy wins)', () => {
  const o = parseCli(['--return-pool-after', '45']);
  assert.ok(o !== 'help');
  assert.equal(o.returnPoolAfterSec, 45);
  assert.equal(o.strategy, RETURN_POLICY_STRATEGY);
  assert.equal(RETURN_POLICY_STRATEGY, 'threshold');
  const explicit = parseCli(['--return-pool-after', '45', '--strategy', 'least-busy']);
  assert.ok(explicit !== 'help');
  assert.equal(explicit.strategy, 'least-busy');
  const off = parseCli([]);
  assert.ok(off !== 'help');
  assert.equal(off.returnPoolAfterSec, undefined);
  assert.equal(off.strategy, 'least-busy');
  assert.throws(() => parseCli(['--return-pool-after', '0']), /return-pool-after/);
});

test('R23: with the policy some returns move to another agent, every call still completes, the invariants hold after every event', () => {
  const r = simulate({ ...claims, agents: 11, splits: 4, hours: 2, seed: 2, strategy: 'threshold', withinSec: 20, returnPoolAfterSec: 45, checkInvariants: true });
  assert.ok(r.calls > 150);
  assert.ok(r.ownAgentShare > 0.3 && r.ownAgentShare < 1, String(r.ownAgentShare));
  assert.ok(r.inServiceWaitP90Sec <= 60, String(r.inServiceWaitP90Sec));
  const without = simulate({ ...claims, agents: 11, splits: 4, hours: 2, seed: 2, strategy: 'threshold', withinSec: 20 });
  assert.equal(without.ownAgentShare, 1);
  assert.ok(without.inServiceWaitP90Sec > r.inServiceWaitP90Sec);
});

test('R23: the goal — claims workload, 4 splits, 80/20 and p90 return wait ≤ 60 s with at most 12 agents (several seeds)', () => {
  for (const seed of [1, 2]) {
    const [row] = plan({ ...claims, splits: [4], target: { level: 0.8, withinSec: 20, maxReturnWaitSec: 60 }, hours: 16, seed, strategy: RETURN_POLICY_STRATEGY, returnPoolAfterSec: 45 });
    assert.ok(row!.met, `seed ${seed}`);
    assert.ok(row!.agents <= 12, `seed ${seed}: ${row!.agents} agents`);
  }
});

test('R23: --json rows keep their fields and add ownAgentShare', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'capacity/cli.ts', '--splits', '2', '--hours', '2', '--return-pool-after', '45', '--json'], { cwd: root, encoding: 'utf8' });
  const [row] = JSON.parse(out) as Record<string, unknown>[];
  for (const k of ['splits', 'agents', 'serviceLevel', 'inServiceWaitP90Sec', 'occupancy', 'inServiceWaitMeanSec', 'waitMeanSec', 'customersPerAgent', 'met', 'calls', 'strategy', 'ownAgentShare'])
    assert.ok(k in row!, k);
  assert.equal(row!['strategy'], 'threshold');
  assert.equal(typeof row!['ownAgentShare'], 'number');
});
