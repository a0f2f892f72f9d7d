/**
 * Issue 10: hostile or dead clients cannot bring the control center down, jump the queue or read
 * what is not theirs. Each test names the finding it proves, over real sockets on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { CloseCode, MAX_FRAME_BYTES } from '../../core/protocol.js';
import { Auth } from '../../server/auth.js';
import type { StartOptions } from '../../server/server.js';
import { eventually, SECRET, sleep, split, startHarness, WAIT_MS, type Harness } from './helpers.js';
import { frame, rawConnect } from './raw-ws.js';

async function withServer(options: StartOptions, body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness(options);
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

const port = (h: Harness) => h.server.port;

/** Opens a ws connection with extra headers; resolves with the HTTP status it was refused with, or the open socket. */
function openWith(h: Harness, path: string, headers: Record<string, string>): Promise<{ status: number } | { ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(h.wsUrl + path, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

describe('backpressure (finding: a client that never reads grew the server to 1.6 GB)', () => {
  test('a signed-in agent that floods and never reads is closed (4004) and lost; the server stays bounded and serves others', async () => {
    await withServer({ rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } }, async (h) => {
      const raw = await rawConnect(port(h), '/v1/agent');
      raw.socket.write(frame(JSON.stringify({ type: 'hello', id: 'h', token: await h.token('agent', 'flooder'), splits: 1 })));
      await eventually(() => assert.ok(h.server.cc.agentOnline('flooder')), 'the flooder signs in');
      // Stop reading: from now on every reply stays on the server's side.
      raw.socket.removeAllListeners('data');
      raw.socket.pause();
      const rssBefore = process.memoryUsage().rss;
      const batch = Buffer.concat(Array.from({ length: 1000 }, () => frame('x')));
      // 1000 × 1000 tiny bad frames earn ~80 MB of error replies if nothing stops them.
      for (let i = 0; i < 1000 && !raw.isClosed(); i++) {
        if (!raw.socket.write(batch)) await new Promise<void>((r) => { raw.socket.once('drain', r); raw.socket.once('close', r); });
        if (i % 50 === 0) await sleep(1);
      }
      // Lost at once (R15 starts), whether or not the socket has gone yet.
      await eventually(() => assert.equal(h.server.cc.agentOnline('flooder'), undefined), 'the flooder is lost');
      const grown = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
      assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MiB`);
      const other = await h.agent('bystander', 1);
      await other.ok({ type: 'ready' });
      assert.equal((await h.http('/healthz')).status, 200);
      raw.socket.destroy();
    });
  });

  test('a client with no hello that floods and never reads has its connection closed', async () => {
    await withServer({ rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } }, async (h) => {
      const raw = await rawConnect(port(h), '/v1/caller', { read: false });
      const batch = Buffer.concat(Array.from({ length: 1000 }, () => frame('x')));
      for (let i = 0; i < 2000 && !raw.isClosed(); i++) {
        if (!raw.socket.write(batch)) await new Promise<void>((r) => { raw.socket.once('drain', r); raw.socket.once('close', r); });
        if (i % 50 === 0) await sleep(1);
      }
      // The server cut the socket: a paused socket notices when a write fails, so keep trickling.
      for (let i = 0; i < WAIT_MS / 50 && !raw.isClosed(); i++) {
        raw.socket.write(frame('x'));
        await sleep(50);
      }
      assert.ok(raw.isClosed(), 'the flooding connection was closed by the server');
      const c = await h.caller('served');
      await c.ok({ type: 'ping' });
    });
  });
});

describe('liveness (finding: idle sockets stayed open; a frozen agent kept its customers forever)', () => {
  test('no hello within --hello-timeout-ms closes the connection with 4003; one that said hello stays', async () => {
    await withServer({ limits: { helloTimeoutMs: 200 } }, async (h) => {
      const silent = await h.connect('/v1/caller');
      const pinger = await h.connect('/v1/agent');
      await pinger.ok({ type: 'ping' }); // a ping is not a hello
      const good = await h.agent('in-time', 1);
      assert.equal((await silent.closed).code, CloseCode.helloTimeout);
      assert.equal((await pinger.closed).code, CloseCode.helloTimeout);
      await sleep(300);
      await good.ok({ type: 'ready' });
    });
  });

  test('a SIGSTOPped agent process misses two pings, is lost, and R15 requeues its call after the grace', async () => {
    await withServer({ limits: { pingIntervalMs: 100 }, engine: { reconnectGraceMs: 300 } }, async (h) => {
      const script = fileURLToPath(new URL('./fixtures/answering-agent.mjs', import.meta.url));
      const child = spawn(process.execPath, [script, h.wsUrl + '/v1/agent', await h.token('agent', 'frozen')], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const customer = await h.caller('waits-for-frozen');
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (d: Buffer) => d.toString().includes('signed-in') && resolve());
          child.once('exit', (code) => reject(new Error(`the child agent exited with ${code}`)));
        });
        await customer.ok({ type: 'call', queue: 'q' });
        await customer.next('call', (c) => c.state === 'connected');
        child.kill('SIGSTOP');
        await eventually(() => assert.equal(h.server.cc.agentOnline('frozen'), undefined), 'the frozen agent is lost');
        // R15: the connected call waits out the grace, then goes back to the queue.
        await customer.next('call', (c) => c.state === 'queued');
        const rescuer = await h.agent('rescuer', 1);
        await rescuer.ok({ type: 'ready' });
        const seat = await rescuer.next('seat', (s) => split(s, 0).state === 'ringing');
        assert.equal(split(seat, 0).call!.customer.id, 'waits-for-frozen');
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
});

describe('limits (finding: 5,000 idle sockets from one address; 2,480 calls a second from one token)', () => {
  test('connections per address: one past the limit is closed with 4005; a slot freed admits the next', async () => {
    await withServer({ limits: { connectionsPerAddress: 3 } }, async (h) => {
      const open = [await h.connect('/v1/agent'), await h.connect('/v1/caller'), await h.connect('/v1/caller')];
      const fourth = await h.connect('/v1/caller');
      assert.equal((await fourth.closed).code, CloseCode.rateLimited);
      open[0]!.close();
      await open[0]!.closed;
      await eventually(async () => {
        const again = await h.connect('/v1/caller');
        try {
          await again.ok({ type: 'ping' });
        } finally {
          again.close();
        }
      }, 'a connection is admitted again');
    });
  });

  test('hellos per second per address: past the burst → rate-limited and close 4005', async () => {
    await withServer({ limits: { hellosPerSecondPerAddress: 0.001, helloBurstPerAddress: 2 } }, async (h) => {
      await h.caller('h1');
      await h.caller('h2');
      const third = await h.connect('/v1/caller');
      await third.error({ type: 'hello', token: await h.token('caller', 'h3') }, 'rate-limited');
      assert.equal((await third.closed).code, CloseCode.rateLimited);
    });
  });

  test('calls per minute per customer: the next call is rate-limited, also after reconnecting', async () => {
    await withServer({ limits: { callsPerMinutePerCustomer: 2 } }, async (h) => {
      const c = await h.caller('dialer');
      for (let i = 0; i < 2; i++) {
        await c.ok({ type: 'call', queue: 'q' });
        await c.ok({ type: 'hangup' });
      }
      await c.error({ type: 'call', queue: 'q' }, 'rate-limited');
      c.close();
      const again = await h.caller('dialer');
      await again.error({ type: 'call', queue: 'q' }, 'rate-limited');
      const other = await h.caller('someone-else');
      await other.ok({ type: 'call', queue: 'q' });
    });
  });
});

describe('claims over messages (finding: a customer set its own priority 9 and name "VIP")', () => {
  test("the token's priority is a ceiling the call may lower; the token's name wins; an unsigned name is verified:false", async () => {
    await withServer({}, async (h) => {
      const first = await h.caller('plain-first');
      await first.ok({ type: 'call', queue: 'q' });
      const cheat = await h.caller('cheat');
      await cheat.ok({ type: 'call', queue: 'q', priority: 9, name: 'VIP – account manager' });
      assert.equal((await cheat.next('call', (c) => c.position !== null)).position, 2, 'priority 9 from the message did not jump the queue');
      const signed = await h.caller('signed', { priority: 5, name: 'Ana Signed' });
      await signed.ok({ type: 'call', queue: 'q', name: 'Someone Else' });
      const lowered = await h.caller('lowered', { priority: 5 });
      await lowered.ok({ type: 'call', queue: 'q', priority: 2 });
      await signed.next('call', (c) => c.position === 1);
      await lowered.next('call', (c) => c.position === 2);

      const a = await h.agent('claims-a', 1);
      await a.ok({ type: 'ready' });
      const order: Array<{ id: string; name: string | null; verified?: boolean }> = [];
      for (let i = 0; i < 4; i++) {
        const s = await a.next('seat', (s) => split(s, 0).state === 'ringing');
        order.push(split(s, 0).call!.customer);
        await a.ok({ type: 'answer', split: 0 });
        await a.ok({ type: 'hangup', split: 0 });
      }
      assert.deepEqual(order.map((c) => c.id), ['signed', 'lowered', 'plain-first', 'cheat']);
      assert.equal(order[0]!.name, 'Ana Signed');
      assert.notEqual(order[0]!.verified, false);
      assert.equal(order[3]!.name, 'VIP – account manager');
      assert.equal(order[3]!.verified, false);
    });
  });

  test('a priority claim outside 0–9 is unauthorized', async () => {
    await withServer({}, async (h) => {
      const c = await h.connect('/v1/caller');
      await c.error({ type: 'hello', token: await h.token('caller', 'p10', undefined, { priority: 10 }) }, 'unauthorized');
    });
  });
});

describe('token age and key rotation (finding: a token with exp in 9999 was accepted)', () => {
  const hello = async (h: Harness, token: string) => {
    const c = await h.connect('/v1/agent');
    return c.request({ type: 'hello', token, splits: 1 });
  };

  test('older than --max-token-age from iat → unauthorized; without iat only while exp is closer than the age', async () => {
    await withServer({ limits: { maxTokenAgeMs: 3600_000 } }, async (h) => {
      const now = Math.floor(Date.now() / 1000);
      assert.equal((await hello(h, await h.token('agent', 'old', 600, { iat: now - 7200 }))).type, 'error');
      assert.equal((await hello(h, await h.token('agent', 'fresh', 600, { iat: now - 60 }))).type, 'ok');
      assert.equal((await hello(h, await h.token('agent', 'forever', (9999 - 1970) * 365 * 86400, { iat: null }))).type, 'error');
      assert.equal((await hello(h, await h.token('agent', 'short', 1800, { iat: null }))).type, 'ok');
    });
  });

  test('several secrets with a kid each: the header kid picks the key; --secret still checks tokens without kid', async () => {
    const secrets = [
      { kid: 'k1', secret: 'the-first-rotated-secret-long-enough' },
      { kid: 'k2', secret: 'the-second-rotated-secret-long-enough' },
    ];
    await withServer({ access: { secrets } }, async (h) => {
      const keys = new Auth(SECRET, { secrets });
      assert.equal((await hello(h, await keys.sign({ role: 'agent', sub: 'kid-1' }, 600, { kid: 'k1' }))).type, 'ok');
      assert.equal((await hello(h, await keys.sign({ role: 'agent', sub: 'kid-2' }, 600, { kid: 'k2' }))).type, 'ok');
      assert.equal((await hello(h, await h.token('agent', 'no-kid'))).type, 'ok');
      // A kid naming another key than the one that signed, and a kid nobody knows.
      const wrongKey = new Auth(secrets[1]!.secret, { secrets: [{ kid: 'k1', secret: secrets[1]!.secret }] });
      assert.equal((await hello(h, await wrongKey.sign({ role: 'agent', sub: 'kid-x' }, 600, { kid: 'k1' }))).type, 'error');
      const unknown = new Auth(SECRET, { secrets: [{ kid: 'k9', secret: SECRET }] });
      assert.equal((await hello(h, await unknown.sign({ role: 'agent', sub: 'kid-9' }, 600, { kid: 'k9' }))).type, 'error');
    });
  });
});

describe('origin allow-list (who may connect at all)', () => {
  test('a browser from another origin is refused with 403 before the upgrade; an allowed origin and no Origin connect', async () => {
    await withServer({ access: { allowedOrigins: ['https://crm.example.com'] } }, async (h) => {
      assert.deepEqual(await openWith(h, '/v1/agent', { Origin: 'https://evil.example' }), { status: 403 });
      const allowed = await openWith(h, '/v1/agent', { Origin: 'https://CRM.example.com:443' });
      assert.ok('ws' in allowed);
      allowed.ws.terminate();
      const bot = await openWith(h, '/v1/caller', {});
      assert.ok('ws' in bot);
      bot.ws.terminate();
    });
  });

  test('demo mode allows its own origin', async () => {
    await withServer({ demo: true, access: { allowedOrigins: ['https://crm.example.com'] } }, async (h) => {
      const own = await openWith(h, '/v1/agent', { Origin: `http://127.0.0.1:${port(h)}` });
      assert.ok('ws' in own);
      own.ws.terminate();
      assert.deepEqual(await openWith(h, '/v1/agent', { Origin: `http://127.0.0.1:${port(h) + 1}` }), { status: 403 });
    });
  });
});

describe('records by role (finding: any agent token read every customer of the floor)', () => {
  test('an agent lists only its seat’s calls; a supervisor token or the records token lists all; a caller gets 401', async () => {
    const recordsToken = 'records-token-for-the-test-0123456789';
    await withServer({ access: { recordsToken } }, async (h) => {
      for (const seat of ['rec-a', 'rec-b']) {
        const a = await h.agent(seat, 1);
        await a.ok({ type: 'ready' });
        const c = await h.caller(`cust-of-${seat}`);
        await c.ok({ type: 'call', queue: 'q' });
        await a.next('seat', (s) => split(s, 0).state === 'ringing');
        await a.ok({ type: 'answer', split: 0 });
        await a.ok({ type: 'hangup', split: 0 });
        await a.ok({ type: 'not-ready' });
      }
      const mine = (await h.http('/v1/calls', { token: await h.token('agent', 'rec-a') })).body.calls as { seatId: string }[];
      assert.deepEqual(mine.map((c) => c.seatId), ['rec-a']);
      const all = (await h.http('/v1/calls', { token: await h.token('supervisor', 'sup') })).body.calls as { seatId: string }[];
      assert.deepEqual(all.map((c) => c.seatId).sort(), ['rec-a', 'rec-b']);
      assert.equal((await h.http('/v1/calls', { token: recordsToken })).body.calls.length, 2);
      assert.equal((await h.http('/v1/calls', { token: await h.token('caller', 'cust-of-rec-a') })).status, 401);
      assert.equal((await h.http('/v1/calls', { token: 'records-token-for-the-test-WRONG12345' })).status, 401);
      assert.equal((await h.http('/v1/stats', { token: await h.token('agent', 'rec-a') })).status, 200);
    });
  });
});

describe('hygiene: frames before a close get their replies', () => {
  for (const [name, last, code] of [
    ['a frame over 64 KiB → 1009', frame(JSON.stringify({ type: 'ping', id: 'big', pad: 'x'.repeat(MAX_FRAME_BYTES) })), CloseCode.tooBig],
    ['invalid UTF-8 → 1007', frame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), CloseCode.invalidUtf8],
  ] as const) {
    test(`${name}, after the replies to every frame sent before it`, async () => {
      await withServer({}, async (h) => {
        const raw = await rawConnect(port(h), '/v1/agent');
        raw.socket.write(Buffer.concat([frame('{"type":"ping","id":"p1"}'), frame('not json'), frame('{"type":"ping","id":"p2"}'), last]));
        await raw.closed;
        const got = raw.frames.map((f) => (typeof f === 'string' ? JSON.parse(f) : f));
        assert.deepEqual(
          got.map((m) => ('close' in m ? `close ${m.close}` : `${m.type} ${m.id}`)),
          ['ok p1', 'error null', 'ok p2', `close ${code}`],
        );
      });
    });
  }
});

