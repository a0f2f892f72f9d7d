import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { averageSpeedOfAnswer, erlangB, erlangC, erlangCAgents, serviceLevel } from '../../capacity/erlang.js';

const close = (actual: number, expected: number, tol: number) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

describe('Erlang C against published values', () => {
  test('Erlang B table: 5 Erlangs on 10 circuits blocks 1.84%', () => {
    close(erlangB(10, 5), 0.0184, 0.0001);
  });

  test('10 Erlangs on 11 agents: 68.2% of calls wait (the usual worked example)', () => {
    close(erlangC(11, 10), 0.6821, 0.0001);
  });

  test('6 Erlangs on 10 servers: a call waits with probability about 0.10 (textbook M/M/m exercise)', () => {
    close(erlangC(10, 6), 0.1013, 0.0001);
  });

  test('200 calls/h of 180 s at 80/20: 14 agents reach 88.9%, 13 only 79.6% (Call Centre Helper example)', () => {
    close(serviceLevel(14, 10, 20, 180), 0.889, 0.001);
    close(serviceLevel(13, 10, 20, 180), 0.796, 0.001);
    assert.equal(erlangCAgents({ ratePerHour: 200, ahtSec: 180, level: 0.8, withinSec: 20 }), 14);
  });

  test('250 calls/h of 330 s at 80/30 need 28 advisors (jonesthenet "Erlang uplift" example)', () => {
    assert.equal(erlangCAgents({ ratePerHour: 250, ahtSec: 330, level: 0.8, withinSec: 30 }), 28);
  });

  test('30 calls/h of 5 min: 6 agents for 90% not delayed (C(5) = 0.130, C(6) = 0.047)', () => {
    close(erlangC(5, 2.5), 0.1304, 0.0001);
    close(erlangC(6, 2.5), 0.0474, 0.0001);
  });

  test('unstable and empty queues', () => {
    assert.equal(erlangC(5, 5), 1);
    assert.equal(erlangC(4, 5), 1);
    assert.equal(serviceLevel(5, 5, 20, 180), 0);
    assert.equal(averageSpeedOfAnswer(5, 5, 180), Infinity);
    assert.equal(erlangC(3, 0), 0);
  });

  test('ASA = C × AHT / (N − A)', () => {
    close(averageSpeedOfAnswer(11, 10, 180), 0.6821 * 180, 0.05);
  });
});
