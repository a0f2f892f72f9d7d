import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { capacityChart } from '../../capacity/chart.js';
import { parseCli, parseSplits } from '../../capacity/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('capacity CLI', () => {
  test('split lists and ranges', () => {
    assert.deepEqual(parseSplits('1-8'), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(parseSplits('4,1,2-3'), [1, 2, 3, 4]);
    assert.throws(() => parseSplits('0-3'));
    assert.throws(() => parseSplits('1-9'));
    assert.throws(() => parseSplits('x'));
  });

  test('flags', () => {
    const o = parseCli(['--rate', '90', '--talk', '3', '--upload', '0', '--talk2', '1', '--dist', 'lognormal', '--splits', '2,4', '--target', '90/15', '--max-return-wait', '45', '--hours', '2', '--seed', '5', '--strategy', 'threshold', '--json']);
    assert.notEqual(o, 'help');
    if (o === 'help') return;
    assert.equal(o.ratePerHour, 90);
    assert.equal(o.uploadMin, 0);
    assert.equal(o.dist, 'lognormal');
    assert.deepEqual(o.splits, [2, 4]);
    assert.deepEqual(o.target, { level: 0.9, withinSec: 15, maxReturnWaitSec: 45 });
    assert.equal(o.strategy, 'threshold');
    assert.equal(o.json, true);
    assert.throws(() => parseCli(['--target', '80']));
    assert.throws(() => parseCli(['--dist', 'gamma']));
    assert.throws(() => parseCli(['--strategy', 'nope']));
    assert.throws(() => parseCli(['--bogus']));
  });

  test('--json prints one row per split count with the documented fields', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'capacity/cli.ts', '--splits', '1-3', '--hours', '2', '--json'], { cwd: root, encoding: 'utf8' });
    const rows = JSON.parse(out) as Record<string, unknown>[];
    assert.deepEqual(rows.map((r) => r.splits), [1, 2, 3]);
    for (const r of rows) for (const k of ['agents', 'serviceLevel', 'inServiceWaitP90Sec', 'occupancy']) assert.equal(typeof r[k], 'number', k);
  });

  test('the chart is a self-contained SVG string with a bar per split count', () => {
    const svg = capacityChart(
      [
        { splits: 1, agents: 29, inServiceWaitP90Sec: 0 },
        { splits: 2, agents: 17, inServiceWaitP90Sec: 80, met: false },
      ],
      { subtitle: 'a <b> & "c"', talkOnlyErlangs: 7 },
    );
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<rect x=/g) ?? []).length, 2 + 1); // two bars and the legend swatch
    assert.ok(svg.includes('a &lt;b&gt; &amp; &quot;c&quot;'));
    assert.ok(!svg.includes('<b>'));
    assert.ok(svg.includes('talk-only bound 7'));
  });
});

test('claimsChart plans the default workload into an SVG string for a story', async () => {
  const { claimsChart } = await import('../../capacity/claims.js');
  const svg = claimsChart({ splits: [1, 4], hours: 2 });
  assert.match(svg, /^<svg /);
  assert.ok(svg.includes('strategy least-busy'));
});
