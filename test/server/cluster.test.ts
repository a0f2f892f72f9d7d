/**
 * The cluster on Redis (DESIGN.md, "The cluster"): real Redis, control-center nodes as real
 * processes, agents and customers over real WebSockets on different nodes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CustomerCallView } from '../../core/protocol.js';
import { startJanus } from '../../scripts/janus.mjs';
import { startRedis, startSentinel } from '../../scripts/redis.mjs';
import { agentOn, auth, callerOn, freePort, NodeProcess, startCluster } from './cluster-support.js';
import { Client, eventually, SECRET, split } from './helpers.js';

test('three nodes, one dispatcher: a customer on one node reaches an agent on another (R2, R9 across nodes)', { timeout: 60_000 }, async () => {
  const c = await startCluster(3);
  try {
    const leader = await c.leader();
    const [n1, n2, n3] = c.nodes as [typeof leader, typeof leader, typeof leader];
    assert.deepEqual((await Promise.all([n1, n2, n3].map((n) => n.health()))).map((h) => h.node), ['n1', 'n2', 'n3']);
    const agent = await agentOn(n1, 'cl-seat', 2);
    await agent.ok({ type: 'ready' });
    const cust = await callerOn(n3, 'cl-cust');
    await cust.ok({ type: 'call', queue: 'claims' });
    const ringing = await agent.next('seat', (s) => split(s, 0).state === 'ringing');
    assert.equal(split(ringing, 1).state, 'idle', 'one ringing split (R2)');
    await agent.ok({ type: 'answer', split: 0 });
    const call = await cust.next('call', (x) => x.state === 'connected');
    assert.equal(call.agent?.seat, 'cl-seat');
    // A second connection for the seat on another node replaces the first (4002).
    const again = await agentOn(n2, 'cl-seat', 2);
    assert.equal((await agent.closed).code, 4002);
    const seat = again.seat!;
    assert.equal(split(seat, 0).call?.callId, call.callId, 'the seat as it was');
    await again.ok({ type: 'hangup', split: 0 });
    // A client that sends hello and its first commands at once (no wait for ok) is served in order.
    const eager = await Client.open(n3.ws('/v1/agent'));
    const hello = eager.send({ type: 'hello', token: await auth.sign({ role: 'agent', sub: 'cl-eager' }), splits: 1 });
    const ready = eager.send({ type: 'ready' });
    for (const id of [hello, ready]) assert.equal((await eager.next((m) => m['id'] === id, `reply to ${id}`)).type, 'ok');
    assert.equal((await cust.next('call', (x) => x.state === 'ended')).endReason, 'agent-hangup');
  } finally {
    await c.stop();
  }
});

test('kill -9 the dispatcher: another node takes over, clients of the others stay connected, every call survives', { timeout: 90_000 }, async () => {
  const c = await startCluster(3);
  try {
    let leader = await c.leader();
    const others = () => c.nodes.filter((n) => n !== leader && n.running);
    const [a, b] = others() as [typeof leader, typeof leader];
    let agent = await agentOn(a, 'fo-seat', 3);
    await agent.ok({ type: 'ready' });
    const ids: string[] = [];
    const customers: Array<{ cust: Awaited<ReturnType<typeof callerOn>>; node: typeof leader }> = [];
    const killedNodes = new Set<typeof leader>();
    for (const [i, node] of [a, b].entries()) {
      const cust = await callerOn(node, `fo-c${i}`);
      customers.push({ cust, node });
      await cust.ok({ type: 'call', queue: 'claims' });
      await agent.next('seat', (s) => split(s, i).state === 'ringing');
      await agent.ok({ type: 'answer', split: i });
      ids.push((await cust.next('call', (x) => x.state === 'connected')).callId);
    }
    for (let round = 0; round < 3; round++) {
      const killed = leader;
      const t0 = Date.now();
      const agentNode = c.nodes.find((n) => agent.ws.url.includes(`:${n.port}/`))!;
      await killed.kill('SIGKILL');
      killedNodes.add(killed);
      leader = await c.leader();
      assert.notEqual(leader, killed);
      if (killed === agentNode) {
        // The agent was on the dead node: it reconnects to another within the grace (R15).
        await agent.closed;
        agent = await agentOn(leader, 'fo-seat', 3);
      }
      // The next offer after the kill: a new customer on a surviving node rings the agent.
      const late = await callerOn(others()[0] ?? leader, `fo-late-${round}`);
      await late.ok({ type: 'call', queue: 'claims' });
      const rang = await agent.next('seat', (s) => s.splits.some((x) => x.state === 'ringing'));
      const ms = Date.now() - t0;
      assert.ok(ms < 15_000, `next offer ${ms} ms after the kill`);
      const i = rang.splits.findIndex((x) => x.state === 'ringing');
      await agent.ok({ type: 'reject', split: i });
      await late.ok({ type: 'hangup' });
      // Connected calls are where they were, with the same ids.
      assert.deepEqual(
        agent.seat!.splits.slice(0, 2).map((x) => [x.state, x.call?.callId]),
        ids.map((id) => ['connected', id]),
      );
      await killed.start();
    }
    for (const [i, { cust, node }] of customers.entries()) {
      let live = cust;
      if (killedNodes.has(node)) {
        // Its node died under it: back on another node, the same call (R16).
        live = await callerOn(leader, `fo-c${i}`);
        const back = await live.next('call');
        assert.equal(back.callId, ids[i]);
        assert.equal(back.state, 'connected');
      } else assert.equal(cust.ws.readyState, cust.ws.OPEN, 'a customer on a surviving node stayed connected');
      await live.ok({ type: 'hangup' });
      assert.equal((await live.next('call', (x: CustomerCallView) => x.state === 'ended')).callId, ids[i]);
    }
  } finally {
    await c.stop();
  }
});

test('a stale dispatcher (SIGSTOP past its lease, then SIGCONT) cannot append or send anything', { timeout: 60_000 }, async () => {
  const c = await startCluster(2);
  try {
    const stale = await c.leader();
    const other = c.nodes.find((n) => n !== stale)!;
    const agent = await agentOn(other, 'st-seat', 2);
    await agent.ok({ type: 'ready' });
    stale.signal('SIGSTOP');
    // Its lease (1 s) runs out; the other node takes over.
    await eventually(async () => assert.equal((await other.health()).role, 'leader'), 'the other node to lead', 10_000);
    const cust = await callerOn(other, 'st-cust');
    await cust.ok({ type: 'call', queue: 'claims' });
    await agent.next('seat', (s) => split(s, 0).state === 'ringing');
    stale.signal('SIGCONT');
    await eventually(async () => assert.equal((await stale.health()).role, 'follower'), 'the stale node to step down', 10_000);
    await agent.ok({ type: 'answer', split: 0 });
    const call = await cust.next('call', (x) => x.state === 'connected');
    // Nothing the stale node might have decided reached anyone: one offer, one answer.
    assert.equal(agent.all('seat').filter((m) => (m['seat'] as { splits: Array<{ state: string }> }).splits[0]!.state === 'ringing').length, 1);
    assert.ok(call.callId);
    assert.match(stale.out, /stops dispatching/);
  } finally {
    await c.stop();
  }
});

test('through Redis Sentinel: a node finds the master by asking the Sentinel (--redis-sentinel)', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const sentinel = await startSentinel({ masterPort: redis.port });
  const node = new NodeProcess('s1', await freePort(), ['--secret', SECRET, '--janus-url', 'none', '--redis-sentinel', `127.0.0.1:${sentinel.port}`, '--lease-ms', '1000']);
  try {
    await node.start();
    await eventually(async () => assert.equal((await node.health()).role, 'leader'), 'the node to lead', 10_000);
    const agent = await agentOn(node, 'sn-seat', 1);
    await agent.ok({ type: 'ready' });
    const cust = await callerOn(node, 'sn-cust');
    await cust.ok({ type: 'call', queue: 'q' });
    await agent.next('seat', (s) => split(s, 0).state === 'ringing');
    assert.match(node.out, /cluster node s1 on the Sentinels' mymaster/);
  } finally {
    await node.kill();
    await sentinel.stop();
    await redis.stop();
  }
});

test('with --redis-wait-replicas 1 every answer waits for a replica to hold its journal entry, and the floor works', { timeout: 60_000 }, async () => {
  const redis = await startRedis();
  const replica = await startRedis({ replicaOf: redis.port });
  const { Redis } = await import('ioredis');
  const master = new Redis(redis.url);
  await eventually(async () => assert.match(await master.info('replication'), /slave0:.*state=online/), 'the replica to be in sync', 15_000);
  master.disconnect();
  const node = new NodeProcess('w1', await freePort(), ['--secret', SECRET, '--janus-url', 'none', '--redis', redis.url, '--redis-wait-replicas', '1', '--lease-ms', '1000']);
  try {
    await node.start();
    const agent = await agentOn(node, 'wr-seat', 1);
    await agent.ok({ type: 'ready' });
    const cust = await callerOn(node, 'wr-cust');
    await cust.ok({ type: 'call', queue: 'q' });
    await agent.next('seat', (s) => split(s, 0).state === 'ringing');
    // What the agent was told is on the replica too.
    const r = new Redis(`redis://127.0.0.1:${replica.port}`);
    try {
      assert.ok((await r.xlen('multi-seat:journal')) >= 4, 'the journal is on the replica');
    } finally {
      r.disconnect();
    }
  } finally {
    await node.kill();
    await replica.stop();
    await redis.stop();
  }
});

test('a cluster with a pool of two Janus: one Janus killed, then the dispatcher: every call keeps its id and split, its media moves once', { timeout: 90_000 }, async () => {
  const janus = [
    await startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, locked: true, rtpRange: '20400-20599' }),
    await startJanus({ wsPort: 0, httpPort: 0, adminPort: 0, locked: true, rtpRange: '20600-20799' }),
  ];
  const c = await startCluster(2, janus.flatMap((j) => j.serverArgs).concat('--janus-grace-ms', '1000'));
  try {
    let leader = await c.leader();
    const other = c.nodes.find((n) => n !== leader)!;
    const agent = await agentOn(other, 'jp-seat', 4);
    await agent.ok({ type: 'ready' });
    const calls: Array<{ id: string; server: string }> = [];
    const custs = [];
    for (let i = 0; i < 4; i++) {
      const cust = await callerOn(other, `jp-c${i}`);
      custs.push(cust);
      await cust.ok({ type: 'call', queue: 'q' });
      const seat = await agent.next('seat', (s) => split(s, i).state === 'ringing' && split(s, i).call?.media != null);
      calls.push({ id: split(seat, i).call!.callId, server: split(seat, i).call!.media!.server });
      await agent.ok({ type: 'answer', split: i });
    }
    assert.deepEqual(new Set(calls.map((x) => x.server)).size, 2, 'the calls spread over both Janus');
    const dead = janus[0]!;
    process.kill(dead.pid, 'SIGKILL');
    // The calls on the dead Janus get rooms on the other; both sides are told.
    const moved = await agent.next('seat', (s) => s.splits.every((x) => x.call?.media?.server === janus[1]!.wsUrl));
    assert.deepEqual(moved.splits.map((x) => [x.state, x.call?.callId]), calls.map((x) => ['connected', x.id]));
    for (const [i, cust] of custs.entries()) assert.equal((await cust.next('call', (x) => x.media?.server === janus[1]!.wsUrl)).callId, calls[i]!.id);
    // Then the dispatcher dies: the rooms stay where they are.
    await leader.kill('SIGKILL');
    leader = await c.leader();
    assert.equal(leader, other);
    await agent.ok({ type: 'focus', split: 2 });
    const after = await agent.next('seat', (s) => s.focus === 2);
    assert.deepEqual(after.splits.map((x) => [x.call?.callId, x.call?.media?.room]), moved.splits.map((x) => [x.call?.callId, x.call?.media?.room]));
  } finally {
    await c.stop();
    for (const j of janus) await j.stop().catch(() => {});
  }
});
