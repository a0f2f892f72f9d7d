/**
 * `npm run cluster` from this checkout: Redis, three nodes, two locked Janus and HAProxy come
 * up; the demo's token mint and a call work through the proxy, with a room on one of the Janus;
 * Ctrl-C (SIGINT) stops every process it started.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, eventually, split } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('npm run cluster: a call through HAProxy across the nodes, with a room on one of the two Janus; SIGINT stops everything', { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, ['scripts/cluster.mjs', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await eventually(() => {
      const m = /haproxy\s+(http:\/\/[\d.:]+)/.exec(out);
      assert.ok(m, out);
      return m[1]!;
    }, 'the cluster to come up', 90_000);
    const janus = [...out.matchAll(/janus \d\s+(ws:\/\/[\d.:]+)/g)].map((m) => m[1]!);
    assert.equal(janus.length, 2);
    const pids = [...out.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    const token = async (role: string, sub: string) =>
      ((await (await fetch(`${url}/v1/dev-token`, { method: 'POST', body: JSON.stringify({ role, sub }) })).json()) as { token: string }).token;
    const ws = url.replace('http', 'ws');
    const agent = await Client.open(`${ws}/v1/agent`);
    await agent.ok({ type: 'hello', token: await token('agent', 'seat-1'), splits: 2 });
    await agent.ok({ type: 'ready' });
    const cust = await Client.open(`${ws}/v1/caller`);
    await cust.ok({ type: 'hello', token: await token('caller', 'cust-1') });
    await cust.ok({ type: 'call', queue: 'claims' });
    const seat = await agent.next('seat', (s) => split(s, 0).state === 'ringing' && split(s, 0).call?.media !== null);
    assert.ok(janus.includes(split(seat, 0).call!.media!.server), 'the room is on one of the pool');
    assert.ok(split(seat, 0).call!.media!.token, 'with this party\'s own token');
    await agent.ok({ type: 'answer', split: 0 });
    await cust.next('call', (c) => c.state === 'connected');
    agent.terminate();
    cust.terminate();
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), `process ${pid} was stopped`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
