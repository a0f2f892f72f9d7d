/**
 * The queue configuration on a real server process (R19–R23): `--queues` checked at start (an
 * invalid file stops it with the field named and exit code 2), skills from the agent's token in
 * its snapshot and in routing, wrap-up codes over `wrapup-done`, and the bad inputs refused
 * without changing anything. The server runs as a child process, spoken to over WebSockets.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SeatView } from '../../core/protocol.js';
import { Auth } from '../../server/auth.js';
import { parseCli } from '../../server/cli.js';
import { validateQueueConfig } from '../../core/queue-config.js';
import { Client, eventually, SECRET, split, startHarness } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const auth = new Auth(SECRET);
const dir = mkdtempSync(join(tmpdir(), 'multi-seat-queues-'));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function queueFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Runs the server with these flags until it exits; its exit code and what it printed. */
function runToExit(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['bin/multi-seat-server.js', '--secret', SECRET, '--janus-url', 'none', '--db', ':memory:', '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}

describe('--queues at start', () => {
  const invalid: Array<[string, unknown, RegExp]> = [
    ['a skill level above 10', { queues: { claims: { skills: { zh: 11 } } } }, /queues\.claims\.skills\.zh: must be a whole number from 0 to 10/],
    ['an overflow step that raises a level', { queues: { claims: { skills: { claims: 2 }, overflow: [{ afterMs: 1000, skills: { claims: 3 } }] } } }, /queues\.claims\.overflow\[0\]\.skills\.claims/],
    ['an unknown setting', { queues: { claims: { ringTimeout: 5 } } }, /queues\.claims\.ringTimeout: is not a known setting/],
    ['text that is not JSON', '{"queues":', /\(file\): is not JSON/],
  ];
  for (const [what, content, message] of invalid)
    test(`an invalid file (${what}) stops the server with exit code 2 and the field named`, { timeout: 30_000 }, async () => {
      const path = queueFile(`bad-${what.replace(/\W+/g, '-')}.json`, content);
      const { code, out } = await runToExit(['--queues', path]);
      assert.equal(code, 2, out);
      assert.match(out, new RegExp(`--queues ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      assert.match(out, message);
      assert.doesNotMatch(out, /control center on/);
    });

  test('a file that cannot be read stops the server with exit code 2', { timeout: 30_000 }, async () => {
    const { code, out } = await runToExit(['--queues', join(dir, 'missing.json')]);
    assert.equal(code, 2, out);
    assert.match(out, /--queues .*missing\.json: cannot be read \(ENOENT\)/);
  });
});

test('R23: with a queue that turns the return policy on, the strategy defaults to threshold; --strategy still wins; without it least-busy', () => {
  const on = queueFile('return.json', { queues: { claims: { returnPoolAfterMs: 60_000 } } });
  const off = queueFile('plain.json', { queues: { claims: {} } });
  const engine = (argv: string[]) => {
    const o = parseCli(['--demo', ...argv], {});
    assert.ok(o !== 'help');
    return o.engine!;
  };
  assert.equal(engine(['--queues', on]).strategy, 'threshold');
  assert.equal(engine(['--queues', on, '--strategy', 'least-busy']).strategy, 'least-busy');
  assert.equal(engine(['--queues', off]).strategy, undefined);
  assert.equal(engine([]).strategy, undefined);
  assert.equal(engine(['--queues', on]).queues?.queues['claims']?.returnPoolAfterMs, 60_000);
});

describe('a server with a queue file', () => {
  let child: ChildProcess;
  let exited: Promise<void>;
  let port = 0;
  const clients: Client[] = [];

  before(async () => {
    port = await freePort();
    const path = queueFile('queues.json', {
      queues: {
        claims: { skills: { claims: 3 }, priority: 1, wrapupCodes: ['resolved', 'escalated'], wrapupLimitMs: 600_000 },
        zh: { skills: { zh: 2 } },
      },
    });
    child = spawn(process.execPath, ['bin/multi-seat-server.js', '--secret', SECRET, '--janus-url', 'none', '--db', ':memory:', '--port', String(port), '--queues', path], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => assert.match(out, /control center on/), `the server to start (${out})`, 20_000);
  });

  after(async () => {
    for (const c of clients) c.terminate();
    child.kill('SIGKILL');
    await exited;
  });

  const ws = (path: string) => `ws://127.0.0.1:${port}${path}`;

  async function agent(seatId: string, skills?: Record<string, number>): Promise<{ c: Client; seat: SeatView }> {
    const c = await Client.open(ws('/v1/agent'));
    clients.push(c);
    await c.ok({ type: 'hello', token: await auth.sign({ role: 'agent', sub: seatId }, 3600, skills ? { skills } : {}), splits: 2 });
    const seat = await c.next('seat');
    return { c, seat };
  }

  async function caller(customerId: string): Promise<Client> {
    const c = await Client.open(ws('/v1/caller'));
    clients.push(c);
    await c.ok({ type: 'hello', token: await auth.sign({ role: 'caller', sub: customerId }) });
    return c;
  }

  test("R19: the seat's skills come from its token and are in its snapshot", { timeout: 30_000 }, async () => {
    const { seat } = await agent('skills-1', { claims: 5, zh: 3 });
    assert.deepEqual(seat.skills, { claims: 5, zh: 3 });
    const { seat: none } = await agent('skills-2');
    assert.deepEqual(none.skills, {});
  });

  test('R19: a token whose skills claim is not usable is refused as unauthorized (4001)', { timeout: 30_000 }, async () => {
    const c = await Client.open(ws('/v1/agent'));
    clients.push(c);
    const reply = await c.error({ type: 'hello', token: await auth.sign({ role: 'agent', sub: 'bad-skills' }, 3600, { skills: { zh: 'fluent' } }), splits: 2 }, 'unauthorized');
    assert.match(String(reply['message']), /skills claim is not usable: skills\.zh: must be a whole number/);
  });

  test('R19: a call goes to the seat with the skills, not to the one without; a queue not in the file is no-such-target', { timeout: 30_000 }, async () => {
    const junior = await agent('junior', { claims: 1 });
    const senior = await agent('senior', { claims: 4 });
    await junior.c.ok({ type: 'ready' });
    await senior.c.ok({ type: 'ready' });
    const cust = await caller('cust-r19');
    const refused = await cust.error({ type: 'call', queue: 'unknown' }, 'no-such-target');
    assert.match(String(refused['message']), /queue "unknown" is not configured \(one of: claims, zh\)/);
    await cust.ok({ type: 'call', queue: 'claims' });
    const offered = await senior.c.next('seat', (s) => split(s, 0).state === 'ringing');
    assert.equal(split(offered, 0).call!.queue, 'claims');
    assert.deepEqual(
      junior.c.all('seat').map((m) => (m['seat'] as SeatView).splits[0]!.state),
      junior.c.all('seat').map(() => 'idle'),
      'the seat without the skill was never offered the call',
    );
    await senior.c.ok({ type: 'answer', split: 0 });
    await senior.c.ok({ type: 'hangup', split: 0 });
    await senior.c.next('seat', (s) => split(s, 0).state === 'wrapup');
    // Out of the next tests' way.
    await senior.c.ok({ type: 'not-ready' });
    await junior.c.ok({ type: 'not-ready' });
  });

  test('R22: wrap-up waits for a code; unknown, missing or mistyped codes are refused and change nothing; the record carries the code', { timeout: 30_000 }, async () => {
    const a = await agent('coder', { claims: 3 });
    await a.c.ok({ type: 'ready' });
    const cust = await caller('cust-r22');
    await cust.ok({ type: 'call', queue: 'claims' });
    await a.c.next('seat', (s) => split(s, 0).state === 'ringing');
    await a.c.ok({ type: 'answer', split: 0 });
    const callId = (await a.c.next('seat', (s) => split(s, 0).state === 'connected')).splits[0]!.call!.callId;
    await cust.ok({ type: 'hangup' });
    const wrap = await a.c.next('seat', (s) => split(s, 0).state === 'wrapup');
    assert.deepEqual(split(wrap, 0).call!.wrapupCodes, ['resolved', 'escalated']);

    const seatsBefore = a.c.all('seat').length;
    const unknown = await a.c.error({ type: 'wrapup-done', split: 0, disposition: 'lost' }, 'bad-message');
    assert.match(String(unknown['message']), /disposition "lost" is not one of resolved, escalated/);
    const missing = await a.c.error({ type: 'wrapup-done', split: 0 }, 'bad-message');
    assert.match(String(missing['message']), /disposition is required: one of resolved, escalated/);
    const mistyped = await a.c.error({ type: 'wrapup-done', split: 0, disposition: 7 }, 'bad-message');
    assert.match(String(mistyped['message']), /disposition must be a string/);
    const long = await a.c.error({ type: 'wrapup-done', split: 0, disposition: 'x'.repeat(65) }, 'bad-message');
    assert.match(String(long['message']), /disposition is longer than 64 characters/);
    assert.equal(a.c.all('seat').length, seatsBefore, 'a refused wrapup-done sends no snapshot: nothing changed');

    await a.c.ok({ type: 'wrapup-done', split: 0, disposition: 'escalated' });
    await a.c.next('seat', (s) => split(s, 0).state === 'idle');
    const token = await auth.sign({ role: 'agent', sub: 'coder' });
    const records = await eventually(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/v1/calls?limit=10`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await r.json()) as { calls?: Array<{ callId: string; disposition?: string; seats?: string[] }> } | Array<{ callId: string; disposition?: string; seats?: string[] }>;
      const list = Array.isArray(body) ? body : (body.calls ?? []);
      const rec = list.find((x) => x.callId === callId);
      assert.ok(rec, `record of ${callId}`);
      return rec;
    }, 'the record');
    assert.equal(records.disposition, 'escalated');
    assert.deepEqual(records.seats, ['coder']);
  });

  test("R19: /v1/stats gives each configured queue's service level", { timeout: 30_000 }, async () => {
    const token = await auth.sign({ role: 'agent', sub: 'coder' });
    const r = await fetch(`http://127.0.0.1:${port}/v1/stats`, { headers: { authorization: `Bearer ${token}` } });
    const stats = (await r.json()) as { serviceLevel: Record<string, { targetMs: number; answered: number; withinTarget: number; share: number | null }> };
    assert.deepEqual(stats.serviceLevel['claims'], { targetMs: 20_000, answered: 2, withinTarget: 2, share: 1 });
    assert.deepEqual(stats.serviceLevel['zh'], { targetMs: 20_000, answered: 0, withinTarget: 0, share: null });
  });
});

describe('returning customers and callbacks over the wire (in-process server, real WebSockets)', () => {
  test("R23: the customer's call tells of the handover; the new agent's offer carries returning and the case", { timeout: 30_000 }, async () => {
    const queues = validateQueueConfig({ queues: { claims: { returnPoolAfterMs: 300 } } });
    const h = await startHarness({ engine: { queues } });
    try {
      const A = await h.agent('ret-A', 2);
      await A.ok({ type: 'ready' });
      const a = await h.caller('ret-a');
      await a.ok({ type: 'call', queue: 'claims' });
      await A.next('seat', (s) => split(s, 0).state === 'ringing');
      await A.ok({ type: 'answer', split: 0 });
      const b = await h.caller('ret-b');
      await b.ok({ type: 'call', queue: 'claims' });
      await A.next('seat', (s) => split(s, 1).state === 'ringing');
      await A.ok({ type: 'answer', split: 1 }); // A talks to b now
      await a.next('call', (c) => c.state === 'connected' && !c.focused);
      const C = await h.agent('ret-C', 2);
      await C.ok({ type: 'ready' });
      await a.ok({ type: 'attention', on: true });
      const offer = await C.next('seat', (s) => split(s, 0).state === 'ringing');
      const call = split(offer, 0).call!;
      assert.equal(call.customer.id, 'ret-a');
      assert.equal(call.queue, 'claims');
      assert.equal(call.returning?.from, 'ret-A');
      const told = await a.next('call', (c) => c.handover != null);
      assert.deepEqual(told.handover, { from: 'ret-A', to: 'ret-C' });
      assert.equal(told.state, 'ringing');
      await A.next('seat', (s) => split(s, 0).state === 'idle');
      await C.ok({ type: 'answer', split: 0 });
      const now = await a.next('call', (c) => c.state === 'connected');
      assert.equal(now.agent?.seat, 'ret-C');
    } finally {
      await h.close();
    }
  });

  test('R21: a callback offered, taken with `callback`, then dialled to the customer when an agent is free; `callback` when none is offered is invalid-state', { timeout: 30_000 }, async () => {
    const queues = validateQueueConfig({ queues: { claims: { callbackAfterMs: 300 } } });
    const h = await startHarness({ engine: { queues } });
    try {
      const a = await h.caller('cb-a');
      await a.ok({ type: 'call', queue: 'claims' });
      await a.error({ type: 'callback' }, 'invalid-state');
      await a.next('call', (c) => c.callback === 'offered');
      await a.ok({ type: 'callback' });
      await a.next('call', (c) => c.callback === 'requested');
      const A = await h.agent('cb-A', 2);
      await A.ok({ type: 'ready' });
      const dialling = await A.next('seat', (s) => split(s, 0).state === 'dialing');
      assert.equal(split(dialling, 0).call!.callback, true);
      const alert = await a.next('call', (c) => c.callback === 'dialled');
      assert.equal(alert.state, 'ringing');
      assert.equal(alert.kind, 'outbound');
      await a.ok({ type: 'accept' });
      await A.next('seat', (s) => split(s, 0).state === 'connected');
    } finally {
      await h.close();
    }
  });
});
