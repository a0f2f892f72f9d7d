/**
 * `kill -9` with the floor in every state (DESIGN.md, "The journal"; R4, R15, R16): the control
 * center runs as a child process on a fixed port and a --db file, agents and customers speak
 * over real WebSockets; after the kill and a restart every party reconnects and finds its call
 * where it was (a ringing offer back at the head of the queue), and every call ever made is
 * either live or has exactly one record.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { CustomerCallView, SeatView } from '../../core/protocol.js';
import { Auth } from '../../server/auth.js';
import { Client, eventually, SECRET, split } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const auth = new Auth(SECRET);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

class ServerProcess {
  child!: ChildProcess;
  private exited!: Promise<void>;
  constructor(
    readonly port: number,
    readonly db: string,
  ) {}

  async start(): Promise<void> {
    const args = ['bin/multi-seat-server.js', '--secret', SECRET, '--janus-url', 'none', '--port', String(this.port), '--db', this.db];
    args.push('--wrapup-ms', '600000', '--ring-timeout-ms', '600000', '--reject-delay-ms', '600000', '--reconnect-grace-ms', '600000', '--caller-grace-ms', '600000');
    this.child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    let out = '';
    this.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => assert.match(out, /control center on/), `the server to start (${out})`, 20_000);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.child.kill(signal);
    await this.exited;
  }

  ws(path: string): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }
}

async function agent(srv: ServerProcess, seatId: string, splits: number): Promise<Client> {
  const c = await Client.open(srv.ws('/v1/agent'));
  await c.ok({ type: 'hello', token: await auth.sign({ role: 'agent', sub: seatId }), splits });
  await c.next('seat');
  return c;
}

async function caller(srv: ServerProcess, customerId: string): Promise<Client> {
  const c = await Client.open(srv.ws('/v1/caller'));
  await c.ok({ type: 'hello', token: await auth.sign({ role: 'caller', sub: customerId }) });
  return c;
}

const states = (s: SeatView) => s.splits.map((x) => x.state);
const callOn = (s: SeatView, i: number) => split(s, i).call?.callId ?? null;

test('kill -9 with the floor in every state: after the restart every call is where it was', { timeout: 120_000 }, async () => {
  const srv = new ServerProcess(await freePort(), join(mkdtempSync(join(tmpdir(), 'multi-seat-crash-')), 'calls.db'));
  await srv.start();
  const clients: Client[] = [];
  try {
    const A = await agent(srv, 'A', 4);
    const B = await agent(srv, 'B', 3);
    clients.push(A, B);
    await A.ok({ type: 'ready' });
    const c: Record<string, Client> = {};
    const place = async (id: string) => {
      c[id] = await caller(srv, id);
      clients.push(c[id]);
      await c[id].ok({ type: 'call', queue: 'claims' });
      return (await c[id].next('call')).callId;
    };
    const answer = async (who: Client, i: number) => {
      await who.next('seat', (s) => split(s, i).state === 'ringing');
      await who.ok({ type: 'answer', split: i });
    };
    const ids: Record<string, string> = {};
    ids.c1 = await place('c1');
    await answer(A, 0);
    ids.c2 = await place('c2');
    await answer(A, 1);
    ids.c3 = await place('c3');
    await answer(A, 2);
    await A.ok({ type: 'hangup', split: 2 }); // A2: wrap-up
    await B.ok({ type: 'ready' });
    await A.ok({ type: 'consult', split: 1, to: 'B' }); // A1: consulting, the leg rings on B0
    await answer(B, 0);
    await A.ok({ type: 'transfer', split: 0, to: { seat: 'B' } }); // c1 transferred to B1; A0: wrap-up
    await answer(B, 1);
    ids.c6 = await place('c6'); // least busy: B2
    await answer(B, 2);
    await c.c1!.ok({ type: 'attention', on: true }); // B1 not in focus: R18 open
    ids.c7 = await place('c7'); // A3 rings
    await A.next('seat', (s) => split(s, 3).state === 'ringing');
    ids.c8 = await place('c8');
    ids.c9 = await place('c9');
    await eventually(() => assert.equal(split(A.seat!, 3).state, 'ringing'), 'A3 to ring');
    const aBefore = A.seat!;
    const bBefore = await B.next('seat', (s) => split(s, 1).call?.attention != null);
    assert.deepEqual(states(aBefore), ['wrapup', 'consulting', 'wrapup', 'ringing']);
    assert.deepEqual(states(bBefore), ['connected', 'connected', 'connected']);

    await srv.kill();
    for (const cl of clients) await cl.closed;
    clients.length = 0;
    await srv.start();

    const A2 = await Client.open(srv.ws('/v1/agent'));
    const B2 = await Client.open(srv.ws('/v1/agent'));
    clients.push(A2, B2);
    await B2.ok({ type: 'hello', token: await auth.sign({ role: 'agent', sub: 'B' }), splits: 1 });
    const b = await B2.next('seat');
    assert.deepEqual(states(b), ['connected', 'connected', 'connected'], 'B: the consult leg, the transferred call, the new call');
    assert.deepEqual([0, 1, 2].map((i) => callOn(b, i)), [callOn(bBefore, 0), ids.c1, ids.c6]);
    assert.ok(split(b, 1).call!.attention, 'the open request (R18) is still open');
    assert.equal(b.focus, 2);
    await A2.ok({ type: 'hello', token: await auth.sign({ role: 'agent', sub: 'A' }), splits: 4 });
    const a = await A2.next('seat');
    assert.deepEqual(states(a).slice(0, 3), ['wrapup', 'consulting', 'wrapup']);
    assert.equal(callOn(a, 1), ids.c2);
    // The ringing offer was withdrawn at the restart and, back at the head (R4, R15), rings again first.
    assert.equal(split(a, 3).state, 'ringing');
    assert.equal(callOn(a, 3), ids.c7);

    const expect: Array<[string, CustomerCallView['state'], number | null]> = [
      ['c1', 'connected', null],
      ['c2', 'held', null],
      ['c6', 'connected', null],
      ['c7', 'ringing', null],
      ['c8', 'queued', 1],
      ['c9', 'queued', 2],
    ];
    for (const [id, state, position] of expect) {
      const cl = await caller(srv, id);
      clients.push(cl);
      const call = await cl.next('call');
      assert.equal(call.callId, ids[id], `${id}: same call`);
      assert.equal(call.state, state, `${id}: ${call.state}`);
      assert.equal(call.position, position, `${id}: place in the queue`);
    }
    const c3 = await caller(srv, 'c3');
    clients.push(c3);
    await c3.next((m) => m.type === 'no-call', 'no-call for the customer whose call had ended');

    // Random kills under traffic: whatever was accepted is kept, whatever was not is not half-done.
    const seen = new Set<string>(Object.values(ids));
    let agents = { A: A2, B: B2 };
    for (let round = 0; round < 2; round++) {
      const traffic: Client[] = [];
      for (let i = 0; i < 12; i++) {
        const cl = await caller(srv, `t${round}-${i}`);
        traffic.push(cl);
        clients.push(cl);
        cl.send({ type: 'call', queue: 'claims' });
        if (i % 3 === 0) cl.send({ type: 'hangup' });
      }
      agents.B.send({ type: 'hangup', split: 2 });
      agents.A.send({ type: 'answer', split: 3 });
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 200)));
      for (const cl of traffic) for (const m of cl.all('call')) seen.add((m['call'] as CustomerCallView).callId);
      await srv.kill();
      for (const cl of clients) await cl.closed;
      clients.length = 0;
      await srv.start();
      agents = { A: await agent(srv, 'A', 4), B: await agent(srv, 'B', 3) };
      clients.push(agents.A, agents.B);
      for (let i = 0; i < 12; i++) {
        const cl = await caller(srv, `t${round}-${i}`);
        clients.push(cl);
        const m = await cl.next((x) => x.type === 'call' || x.type === 'no-call', 'the call or no-call');
        if (m.type === 'call') seen.add((m['call'] as CustomerCallView).callId);
      }
    }

    await srv.kill('SIGTERM');
    const file = new Database(srv.db, { readonly: true });
    try {
      const records = file.prepare('SELECT call_id FROM calls').all() as Array<{ call_id: string }>;
      const recorded = new Set(records.map((r) => r.call_id));
      assert.equal(recorded.size, records.length, 'no record written twice');
      const snap = JSON.parse((file.prepare('SELECT state FROM snapshots ORDER BY seq DESC LIMIT 1').get() as { state: string }).state) as {
        calls: Array<{ callId: string }>;
      };
      const live = new Set(snap.calls.map((x) => x.callId));
      for (const id of seen) assert.ok(live.has(id) !== recorded.has(id), `call ${id} is ${live.has(id) ? 'both live and recorded' : 'lost: neither live nor recorded'}`);
    } finally {
      file.close();
    }
  } finally {
    for (const cl of clients) cl.terminate();
    if (srv.child.exitCode === null && srv.child.signalCode === null) await srv.kill();
  }
});
