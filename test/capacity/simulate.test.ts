import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { erlangCAgents } from '../../capacity/erlang.js';
import { plan, talkOnlyErlangs, type PlanOptions } from '../../capacity/search.js';
import { makeCustomers, simulate } from '../../capacity/simulate.js';

const claims = { ratePerHour: 120, talkMin: 2, uploadMin: 8, talk2Min: 1.5, dist: 'exp' as const };
const target = { level: 0.8, withinSec: 20 };

describe('simulation against Erlang C (one split, exponential times)', () => {
  // One exponential conversation per call: the M/M/c queue of Erlang C, through the real engine.
  for (const [rate, aht] of [
    [60, 5],
    [120, 4],
    [240, 5],
    [360, 3],
  ] as const) {
    test(`${rate} calls/h of ${aht} min: within one agent of Erlang C`, () => {
      const expected = erlangCAgents({ ratePerHour: rate, ahtSec: aht * 60, ...target });
      const [row] = plan({ ratePerHour: rate, talkMin: aht, uploadMin: 0, talk2Min: 0, dist: 'exp', splits: [1], target, hours: 48, seed: 1, strategy: 'least-busy' });
      assert.ok(row!.met);
      assert.ok(Math.abs(row!.agents - expected) <= 1, `simulated ${row!.agents}, Erlang C ${expected}`);
    });
  }

  test('the three-part claims call on one split is within one agent of Erlang C for the whole call', () => {
    const expected = erlangCAgents({ ratePerHour: 120, ahtSec: 11.5 * 60, ...target });
    const [row] = plan({ ...claims, splits: [1], target, hours: 48, seed: 1, strategy: 'least-busy' });
    assert.ok(Math.abs(row!.agents - expected) <= 1, `simulated ${row!.agents}, Erlang C ${expected}`);
    assert.equal(row!.inServiceWaitP90Sec, 0, 'with one split the agent is always free when the upload ends');
  });
});

describe('agents needed against splits', () => {
  const cases: [string, Omit<PlanOptions, 'splits' | 'target' | 'hours' | 'seed' | 'strategy'>][] = [
    ['claims survey', claims],
    ['short form fill', { ratePerHour: 60, talkMin: 3, uploadMin: 5, talk2Min: 2, dist: 'lognormal' }],
  ];
  for (const strategy of ['least-busy', 'threshold']) {
    for (const [name, w] of cases) {
      test(`${name}, ${strategy}: never rise with more splits, never below the talk-only bound`, () => {
        const rows = plan({ ...w, splits: [1, 2, 3, 4, 5, 6, 7, 8], target, hours: 24, seed: 7, strategy });
        const bound = Math.ceil(talkOnlyErlangs(w));
        for (const r of rows) {
          assert.ok(r.met, `${r.splits} splits: target not met`);
          assert.ok(r.agents >= bound, `${r.splits} splits: ${r.agents} agents is under the talk-only bound ${bound}`);
          assert.ok(r.serviceLevel >= target.level);
        }
        for (let i = 1; i < rows.length; i++) {
          assert.ok(rows[i]!.agents <= rows[i - 1]!.agents, `${rows[i]!.splits} splits need ${rows[i]!.agents}, more than ${rows[i - 1]!.agents} with ${rows[i - 1]!.splits}`);
        }
        assert.ok(rows.at(-1)!.agents < rows[0]!.agents, 'splits save agents on this workload');
      });
    }
  }

  test('--max-return-wait costs agents and is met', () => {
    const base = { ...claims, splits: [8], hours: 8, seed: 1, strategy: 'threshold' };
    const [free] = plan({ ...base, target });
    const [capped] = plan({ ...base, target: { ...target, maxReturnWaitSec: 60 } });
    assert.ok(capped!.met);
    assert.ok(capped!.inServiceWaitP90Sec <= 60);
    assert.ok(capped!.agents > free!.agents, `${capped!.agents} vs ${free!.agents}`);
  });
});

describe('the simulation itself', () => {
  const opts = { ...claims, agents: 10, splits: 8, hours: 8, seed: 3, strategy: 'threshold', withinSec: 20 };

  test('the same seed gives the same results; another seed other results', () => {
    assert.deepEqual(simulate(opts), simulate(opts));
    assert.deepEqual(plan({ ...claims, splits: [1, 4], target, hours: 4, seed: 9, strategy: 'least-busy' }), plan({ ...claims, splits: [1, 4], target, hours: 4, seed: 9, strategy: 'least-busy' }));
    assert.notDeepEqual(simulate(opts), simulate({ ...opts, seed: 4 }));
  });

  test('customers depend on the seed and workload only', () => {
    const a = makeCustomers(claims, 8, 30, 5);
    assert.deepEqual(a, makeCustomers(claims, 8, 30, 5));
    // About 120 an hour over 8.5 hours.
    assert.ok(a.length > 900 && a.length < 1150, String(a.length));
  });

  test('every measured call is answered, and talking time adds up', () => {
    const r = simulate(opts);
    assert.ok(r.calls > 900);
    // Occupancy is talk time over agent time: close to rate × (talk + talk2) / agents.
    const expected = (120 * 3.5) / 60 / 10;
    assert.ok(Math.abs(r.occupancy - expected) < 0.08, `${r.occupancy} vs ${expected}`);
    assert.ok(r.customersPerAgent > r.occupancy);
    assert.ok(r.inServiceWaitP90Sec >= r.inServiceWaitMeanSec * 0.5);
  });

  test('every strategy and agent order completes every call, with the engine invariants holding after every event', () => {
    for (const strategy of ['least-busy', 'longest-idle', 'round-robin', 'fill-first', 'hold-on-request', 'threshold']) {
      for (const agentOrder of ['ring-first', 'returns-first', 'fifo'] as const) {
        const r = simulate({ ...opts, hours: 2, agents: 14, strategy, agentOrder, checkInvariants: true });
        assert.ok(r.calls > 150, `${strategy}/${agentOrder}`);
      }
    }
  });
});
