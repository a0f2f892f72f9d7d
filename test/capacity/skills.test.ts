/** R19 in the planner: skills groups (`--group SKILL:CALLS%:AGENTS%`). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCli, parseGroups } from '../../capacity/cli.js';
import { plan } from '../../capacity/search.js';
import { simulate } from '../../capacity/simulate.js';

const claims = { ratePerHour: 120, talkMin: 2, uploadMin: 8, talk2Min: 1.5, dist: 'exp' as const };
const target = { level: 0.8, withinSec: 20 };

test('R19: --group SKILL:CALLS%:AGENTS%, repeatable; bad groups are refused with the form', () => {
  assert.deepEqual(parseGroups(['zh:20:25', 'en:10:50']), [
    { skill: 'zh', callShare: 0.2, agentShare: 0.25 },
    { skill: 'en', callShare: 0.1, agentShare: 0.5 },
  ]);
  const o = parseCli(['--group', 'zh:20:25']);
  assert.ok(o !== 'help');
  assert.deepEqual(o.groups, [{ skill: 'zh', callShare: 0.2, agentShare: 0.25 }]);
  assert.throws(() => parseGroups(['zh:20']), /SKILL:CALLS%:AGENTS%/);
  assert.throws(() => parseGroups(['zh:0:25']), /above 0/);
  assert.throws(() => parseGroups(['zh:60:25', 'en:50:25']), /more than 100/);
  assert.throws(() => parseGroups(['zh:10:25', 'zh:10:25']), /each skill once/);
});

test('R19: with a skills group every call completes and the engine invariants hold after every event', () => {
  const r = simulate({ ...claims, agents: 14, splits: 4, hours: 2, seed: 4, strategy: 'threshold', withinSec: 20, groups: [{ skill: 'zh', callShare: 0.3, agentShare: 0.2 }], checkInvariants: true });
  assert.ok(r.calls > 150);
});

test('R19: a scarce skill costs agents: 40 % of calls for 10 % of agents needs more than no groups', () => {
  const base = { ...claims, splits: [4], target, hours: 8, seed: 1, strategy: 'least-busy' };
  const [plain] = plan(base);
  const [scarce] = plan({ ...base, groups: [{ skill: 'zh', callShare: 0.4, agentShare: 0.1 }] });
  assert.ok(scarce!.agents > plain!.agents, `${scarce!.agents} vs ${plain!.agents}`);
});
