/** The CLI's flags for the journal, the cluster and the message rate, as an operator types them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envName, parseCli, UsageError } from '../../server/cli.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const o = parseCli(['--demo', ...argv], env);
  assert.notEqual(o, 'help');
  return o as Exclude<typeof o, 'help'>;
};

test('journal flags: --no-journal, --snapshot-every, --end-calls-on-stop (and their variables)', () => {
  assert.equal(parse(['--no-journal']).journal, false);
  assert.equal(parse([]).journal, undefined, 'on by default');
  assert.equal(parse(['--snapshot-every', '500']).snapshotEvery, 500);
  assert.equal(parse([], { [envName('end-calls-on-stop')]: 'true' }).endCallsOnStop, true);
});

test('cluster flags: --redis, or --redis-sentinel with a master name; --node, lease, heartbeat, replicas', () => {
  const o = parse(['--redis', 'redis://10.0.0.2:6379', '--node', 'cc-1', '--lease-ms', '1500', '--heartbeat-ms', '4000', '--redis-wait-replicas', '1']);
  assert.deepEqual([o.redis, o.node, o.leaseMs, o.heartbeatMs, o.redisWaitReplicas], ['redis://10.0.0.2:6379', 'cc-1', 1500, 4000, 1]);
  const s = parse(['--redis-sentinel', 's1:26379,s2:26380', '--redis-master-name', 'floor']);
  assert.deepEqual(s.redisSentinels, [
    { host: 's1', port: 26379 },
    { host: 's2', port: 26380 },
  ]);
  assert.equal(s.redisMasterName, 'floor');
  assert.throws(() => parse(['--redis', 'http://x']), UsageError);
  assert.throws(() => parse(['--redis-sentinel', 's1']), /host:port/);
  assert.throws(() => parse(['--redis', 'redis://a:1', '--redis-sentinel', 's1:1']), /not both/);
});

test('the per-connection message rate: --messages-per-second, --message-burst; 0 is refused', () => {
  assert.deepEqual(parse(['--messages-per-second', '50', '--message-burst', '80']).rateLimit, { perSecond: 50, burst: 80 });
  assert.throws(() => parse(['--messages-per-second', '0']), /above 0/);
});
