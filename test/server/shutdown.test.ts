/** Planned stops: with --end-calls-on-stop every call ends with `server-shutdown`, rooms go, records stay. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startJanus } from '../../scripts/janus.mjs';
import { openDatabase } from '../../server/database.js';
import { Records } from '../../server/records.js';
import { Client, eventually, split, startHarness } from './helpers.js';
import { JanusWs } from './janus-ws-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('close({endCalls}) ends queued, ringing and connected calls with server-shutdown and keeps their records', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'multi-seat-db-')), 'calls.db');
  const h = await startHarness({ db });
  const a = await h.agent('sd-seat', 2);
  await a.ok({ type: 'ready' });
  const talking = await h.caller('sd-talking');
  await talking.ok({ type: 'call', queue: 'q' });
  await a.next('seat', (s) => split(s, 0).state === 'ringing');
  await a.ok({ type: 'answer', split: 0 });
  const ringing = await h.caller('sd-ringing');
  await ringing.ok({ type: 'call', queue: 'q' });
  await ringing.next('call', (c) => c.state === 'ringing');
  const queued = await h.caller('sd-queued');
  await queued.ok({ type: 'call', queue: 'q' });
  await queued.next('call', (c) => c.state === 'queued');

  // The server's own close, as SIGTERM runs it (the harness' close would drop the clients first).
  await h.server.close({ endCalls: true });
  for (const c of [talking, ringing, queued]) {
    const ended = await c.next('call', (x) => x.state === 'ended');
    assert.equal(ended.endReason, 'server-shutdown');
  }
  const seat = await a.next('seat', (s) => s.splits.every((x) => x.state === 'idle'));
  assert.equal(seat.focus, null);
  assert.equal((await a.closed).code, 1001);

  const file = openDatabase(db);
  try {
    const recent = new Records(file).recent(10);
    assert.deepEqual(recent.map((r) => r.customerId).sort(), ['sd-queued', 'sd-ringing', 'sd-talking']);
    assert.ok(recent.every((r) => r.endReason === 'server-shutdown'));
  } finally {
    file.close();
  }
});

test('close({endCalls}) destroys the rooms of live calls on Janus', async () => {
  const janus = await startJanus({ wsPort: 0, httpPort: 0, adminPort: false });
  try {
    const h = await startHarness({ janusUrl: janus.wsUrl });
    const c = await h.caller('sd-room');
    await c.ok({ type: 'call', queue: 'q' });
    const room = (await c.next('call', (x) => x.media !== null)).media!.room;
    await h.server.close({ endCalls: true });
    assert.equal((await c.next('call', (x) => x.state === 'ended')).endReason, 'server-shutdown');
    const ws = await JanusWs.open(janus.wsUrl);
    try {
      const session = ((await ws.request({ janus: 'create' }))['data'] as { id: number }).id;
      const handle = ((await ws.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom' }))['data'] as { id: number }).id;
      const reply = await ws.request({ janus: 'message', session_id: session, handle_id: handle, body: { request: 'exists', room } });
      assert.equal((reply['plugindata'] as { data: { exists: boolean } }).data.exists, false);
    } finally {
      await ws.close();
    }
  } finally {
    await janus.stop();
  }
});

function runCli(args: string[]) {
  const child = spawn(process.execPath, [join(root, 'bin/multi-seat-server.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

test('the CLI: --help exits 0, a bad flag exits 2 with a clear message', async () => {
  // Each start pays for tsx's compile, so the four run side by side.
  const [help, bad, noSecret, badNumber] = [['--help'], ['--no-such-flag'], ['--janus-url', 'none'], ['--demo', '--ring-timeout-ms', 'soon']].map(runCli) as [
    ReturnType<typeof runCli>,
    ReturnType<typeof runCli>,
    ReturnType<typeof runCli>,
    ReturnType<typeof runCli>,
  ];
  assert.equal(await help.exited, 0);
  assert.match(help.out(), /--janus-url/);
  assert.match(help.out(), /MULTI_SEAT_SECRET/);
  assert.equal(await bad.exited, 2);
  assert.match(bad.err(), /no-such-flag/);
  assert.equal(await noSecret.exited, 2);
  assert.match(noSecret.err(), /--secret/);
  assert.equal(await badNumber.exited, 2);
  assert.match(badNumber.err(), /--ring-timeout-ms/);
});

test('the CLI with --end-calls-on-stop: SIGTERM ends calls with server-shutdown and exits 0', async () => {
  const run = runCli(['--demo', '--janus-url', 'none', '--port', '0', '--db', ':memory:', '--end-calls-on-stop']);
  try {
    const url = await eventually(() => {
      const m = / on (http:\/\/[^\s;]+)/.exec(run.out());
      assert.ok(m, `no URL yet: ${run.out()} ${run.err()}`);
      return m[1]!;
    }, 'the server to start', 15_000);
    const { token } = (await (await fetch(`${url}/v1/dev-token`, { method: 'POST', body: JSON.stringify({ role: 'caller', sub: 'cli-cust' }) })).json()) as { token: string };
    const c = await Client.open(url.replace('http', 'ws') + '/v1/caller');
    await c.ok({ type: 'hello', token });
    await c.ok({ type: 'call', queue: 'q' });
    await c.next('call');
    run.child.kill('SIGTERM');
    assert.equal((await c.next('call', (x) => x.state === 'ended')).endReason, 'server-shutdown');
    assert.equal(await run.exited, 0);
  } finally {
    run.child.kill('SIGKILL');
  }
});

test('the CLI on SIGTERM keeps calls: clients closed with 1012, exit 0, the restart has the call', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'multi-seat-db-')), 'calls.db');
  const start = async () => {
    const run = runCli(['--demo', '--janus-url', 'none', '--port', '0', '--db', db]);
    const url = await eventually(() => {
      const m = / on (http:\/\/[^\s;]+)/.exec(run.out());
      assert.ok(m, `no URL yet: ${run.out()} ${run.err()}`);
      return m[1]!;
    }, 'the server to start', 15_000);
    return { run, url };
  };
  const first = await start();
  let second: Awaited<ReturnType<typeof start>> | null = null;
  try {
    // The demo secret is kept in the --db file, so the token outlives the restart.
    const { token } = (await (await fetch(`${first.url}/v1/dev-token`, { method: 'POST', body: JSON.stringify({ role: 'caller', sub: 'keep-cust' }) })).json()) as { token: string };
    const c = await Client.open(first.url.replace('http', 'ws') + '/v1/caller');
    await c.ok({ type: 'hello', token });
    await c.ok({ type: 'call', queue: 'q' });
    const callId = (await c.next('call')).callId;
    first.run.child.kill('SIGTERM');
    assert.equal((await c.closed).code, 1012);
    assert.equal(await first.run.exited, 0);
    assert.equal(c.all('call').filter((m) => (m['call'] as { state: string }).state === 'ended').length, 0, 'the call was not ended');
    second = await start();
    const back = await Client.open(second.url.replace('http', 'ws') + '/v1/caller');
    await back.ok({ type: 'hello', token });
    const call = await back.next('call');
    assert.equal(call.callId, callId);
    assert.equal(call.state, 'queued');
    back.close();
  } finally {
    first.run.child.kill('SIGKILL');
    second?.run.child.kill('SIGKILL');
  }
});
