/**
 * The cluster under load with its dispatcher killed again and again (DESIGN.md, "The
 * cluster"): 3 nodes on a real Redis, agents and customers spread over them, `kill -9` of the
 * dispatcher at random moments. R2 holds on every seat throughout; every call keeps its id and
 * its split; afterwards every call has exactly one record. Sizes are small here (CI); the
 * benchmark runs the full floor.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CustomerCallView, SeatView } from '../../core/protocol.js';
import { auth, startCluster, type NodeProcess } from './cluster-support.js';
import { Client, eventually } from './helpers.js';

const AGENTS = Number(process.env['CLUSTER_AGENTS'] ?? 60);
const CUSTOMERS = Number(process.env['CLUSTER_CUSTOMERS'] ?? 150);
const KILLS = Number(process.env['CLUSTER_KILLS'] ?? 5);
const RECORDS_TOKEN = 'records-token-for-the-cluster-load-test';

/** One agent or customer that comes back on another node when its node dies. */
class Party {
  client!: Client;
  /** R2: a snapshot with two ringing splits, if one was ever seen. */
  r2: string | null = null;
  calls = new Set<string>();
  constructor(
    readonly role: 'agent' | 'caller',
    readonly id: string,
    private readonly pick: () => NodeProcess,
  ) {}

  async connect(): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const node = this.pick();
      try {
        const c = await Client.open(node.ws(`/v1/${this.role}`));
        const token = await auth.sign({ role: this.role, sub: this.id });
        const reply = await c.request(this.role === 'agent' ? { type: 'hello', token, splits: 4 } : { type: 'hello', token });
        if (reply.type !== 'ok') throw new Error(JSON.stringify(reply));
        this.client = c;
        c.ws.on('message', (d) => this.watch(JSON.parse(d.toString()) as { type: string; seat?: SeatView; call?: CustomerCallView }));
        c.ws.on('close', () => void this.connect().catch(() => {}));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`${this.id} could not reconnect`);
  }

  private watch(m: { type: string; seat?: SeatView; call?: CustomerCallView }): void {
    if (m.type === 'seat' && m.seat) {
      const ringing = m.seat.splits.filter((s) => s.state === 'ringing');
      if (ringing.length > 1) this.r2 ??= JSON.stringify(m.seat);
      // The agent answers what rings, a moment later.
      for (const s of ringing) setTimeout(() => this.client.send({ type: 'answer', split: s.index }), 20 + Math.random() * 200);
    }
    if (m.type === 'call' && m.call) this.calls.add(m.call.callId);
  }
}

test(`cluster under load: ${AGENTS} agents × 4 splits and ${CUSTOMERS} customers over 3 nodes, the dispatcher killed ${KILLS} times: R2 holds, every call keeps its id and split, records complete and unique`, { timeout: 240_000 }, async () => {
  const open = ['--connections-per-address', '100000', '--hellos-per-second-per-address', '100000', '--hello-burst-per-address', '100000', '--records-token', RECORDS_TOKEN];
  const c = await startCluster(3, open);
  const parties: Party[] = [];
  try {
    const live = () => c.nodes.filter((n) => n.running);
    const random = () => {
      const l = live();
      return l[Math.floor(Math.random() * l.length)]!;
    };
    const agents = Array.from({ length: AGENTS }, (_, i) => new Party('agent', `ld-a${i}`, random));
    for (const a of agents) await a.connect();
    parties.push(...agents);
    for (const a of agents) a.client.send({ type: 'ready' });
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => new Party('caller', `ld-c${i}`, random));
    for (const cu of customers) await cu.connect();
    parties.push(...customers);

    // Calls come in while the dispatcher dies again and again.
    let placed = 0;
    const placing = (async () => {
      for (const cu of customers) {
        cu.client.send({ type: 'call', queue: 'claims' });
        placed++;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
      const leader = await c.leader();
      await leader.kill('SIGKILL');
      await c.leader();
      await leader.start();
    }
    await placing;
    assert.equal(placed, CUSTOMERS);

    // Every customer ends up connected, on one call id it had from the start.
    const firstIds = new Map<string, string>();
    await eventually(
      () => {
        for (const cu of customers) {
          const call = cu.client.call;
          if (!call || call.state !== 'connected') {
            // A call placed while the node died may have been lost before it was accepted: place it again.
            if (!call && cu.client.ws.readyState === cu.client.ws.OPEN) cu.client.send({ type: 'call', queue: 'claims' });
            throw new Error(`${cu.id}: ${call?.state ?? 'no call'}`);
          }
          firstIds.set(cu.id, call.callId);
        }
      },
      'every customer connected',
      60_000,
    );
    for (const cu of customers) assert.equal(cu.calls.size, 1, `${cu.id} saw one call id, not ${[...cu.calls].join(', ')}`);
    for (const a of agents) assert.equal(a.r2, null, `R2: ${a.id} had two ringing splits: ${a.r2}`);
    // Each connected call sits on exactly one split of one seat.
    const onSplits = agents.flatMap((a) => a.client.seat!.splits.filter((s) => s.state === 'connected').map((s) => s.call!.callId));
    assert.equal(new Set(onSplits).size, onSplits.length, 'no call on two splits');
    assert.deepEqual(new Set(onSplits), new Set(firstIds.values()));

    // Everyone hangs up: one record per call.
    for (const cu of customers) cu.client.send({ type: 'hangup' });
    const leader = await c.leader();
    await eventually(
      async () => {
        const res = await fetch(`${leader.url}/v1/calls?limit=1000`, { headers: { authorization: `Bearer ${RECORDS_TOKEN}` } });
        const { calls } = (await res.json()) as { calls: Array<{ callId: string }> };
        const ids = calls.map((r) => r.callId);
        assert.equal(new Set(ids).size, ids.length, 'no record twice');
        for (const id of firstIds.values()) assert.ok(ids.includes(id), `record of ${id}`);
      },
      'a record of every call',
      30_000,
    );
  } finally {
    for (const p of parties) {
      p.client?.ws.removeAllListeners('close');
      p.client?.terminate();
    }
    await c.stop();
  }
});
