/**
 * Issue 11, "In front": a real HAProxy (scripts/haproxy.mjs, the shape of deploy/haproxy.cfg) in
 * front of real control centers on 127.0.0.1. Clients use other loopback addresses
 * (127.0.0.2, 127.0.0.3 …, all local on Linux) as their source, so the proxy (127.0.0.1) and
 * each client have addresses of their own.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CloseCode } from '../../core/protocol.js';
import { forwardedFor, normalizeAddress, parseCidr, parseProxyHeader, parseTrustedProxies, TrustedProxies } from '../../server/client-address.js';
import { startHaproxy } from '../../scripts/haproxy.mjs';
import { parseCli, UsageError } from '../../server/cli.js';
import { Client, eventually, startHarness, type Harness } from './helpers.js';

type Proxy = Awaited<ReturnType<typeof startHaproxy>>;

/**
 * Opens a WebSocket from `from` with extra headers and says whether the server admitted it:
 * `ok` once a ping is answered, or the close code it was refused with.
 */
function admitted(url: string, from: string, headers: Record<string, string> = {}): Promise<{ ok: true; ws: WebSocket } | { ok: false; code: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, localAddress: from });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'ping', id: 'p' })));
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; id?: string };
      if (m.type === 'ok' && m.id === 'p') resolve({ ok: true, ws });
    });
    ws.once('close', (code) => resolve({ ok: false, code }));
    ws.once('unexpected-response', (_req, res) => resolve({ ok: false, code: res.statusCode ?? 0 }));
    ws.once('error', reject);
  });
}

async function nodeOf(url: string): Promise<string> {
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { node: string }).node;
}

/** An agent and a customer through the proxy: hello, call, ring, answer, both see connected. */
async function callThrough(h: Harness, wsUrl: string, tag: string): Promise<void> {
  const agent = await Client.open(`${wsUrl}/v1/agent`);
  const caller = await Client.open(`${wsUrl}/v1/caller`);
  try {
    await agent.ok({ type: 'hello', token: await h.token('agent', `seat-${tag}`), splits: 2 });
    await agent.next('seat');
    await agent.ok({ type: 'ready' });
    await caller.ok({ type: 'hello', token: await h.token('caller', `cust-${tag}`) });
    await caller.ok({ type: 'call', queue: 'claims' });
    const ringing = await agent.next('seat', (s) => s.splits.some((x) => x.state === 'ringing'));
    const i = ringing.splits.findIndex((x) => x.state === 'ringing');
    await agent.ok({ type: 'answer', split: i });
    await agent.next('seat', (s) => s.splits[i]!.state === 'connected');
    await caller.next('call', (c) => c.state === 'connected');
  } finally {
    agent.terminate();
    caller.terminate();
  }
}

describe('client address: X-Forwarded-For and PROXY headers (unit)', () => {
  const trusted = new TrustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);

  test('trusted proxies: addresses, CIDRs, IPv4-mapped IPv6; bad entries refused', () => {
    assert.ok(trusted.has('127.0.0.1'));
    assert.ok(trusted.has('::ffff:127.0.0.1'));
    assert.ok(trusted.has('10.200.3.4'));
    assert.ok(trusted.has('fd12::1'));
    assert.ok(!trusted.has('127.0.0.2'));
    assert.ok(!trusted.has('11.0.0.1'));
    assert.ok(!trusted.has('fe80::1'));
    assert.ok(!trusted.has('garbage'));
    assert.deepEqual(parseTrustedProxies(' 10.0.0.0/8, ::1 ,'), ['10.0.0.0/8', '::1']);
    assert.throws(() => parseTrustedProxies('10.0.0.0/33'));
    assert.throws(() => parseTrustedProxies('example.com'));
    assert.equal(parseCidr('::/0').prefix, 0);
    assert.ok(new TrustedProxies(['0.0.0.0/0']).has('8.8.8.8'));
    assert.equal(normalizeAddress('::FFFF:10.1.2.3'), '10.1.2.3');
  });

  test('flags: --trusted-proxies and --metrics-token (and their MULTI_SEAT_* variables) reach the options; bad values are usage errors', () => {
    const o = parseCli(['--demo', '--trusted-proxies', '127.0.0.1, 10.0.0.0/8', '--metrics-token', 'a-metrics-token-16+'], {});
    assert.ok(o !== 'help');
    assert.deepEqual(o.access?.trustedProxies, ['127.0.0.1', '10.0.0.0/8']);
    assert.equal(o.access?.metricsToken, 'a-metrics-token-16+');
    const env = parseCli(['--demo'], { MULTI_SEAT_TRUSTED_PROXIES: 'fd00::/8' });
    assert.ok(env !== 'help');
    assert.deepEqual(env.access?.trustedProxies, ['fd00::/8']);
    assert.throws(() => parseCli(['--demo', '--trusted-proxies', 'proxy.example.com'], {}), UsageError);
    assert.throws(() => parseCli(['--demo', '--metrics-token', 'short'], {}), UsageError);
  });

  test('X-Forwarded-For: read from the right, only through trusted hops; forged entries never win', () => {
    // No proxy trusted: the peer, whatever the header says.
    assert.equal(forwardedFor('203.0.113.9', '198.51.100.1', new TrustedProxies([])), '203.0.113.9');
    // An untrusted peer with a forged header: ignored.
    assert.equal(forwardedFor('203.0.113.9', '10.0.0.5, 198.51.100.1', trusted), '203.0.113.9');
    // The trusted proxy appended the real client; what the client wrote before it is ignored.
    assert.equal(forwardedFor('127.0.0.1', '198.51.100.1, 203.0.113.9', trusted), '203.0.113.9');
    // Two trusted hops, then the client.
    assert.equal(forwardedFor('127.0.0.1', '203.0.113.9, 10.1.1.1', trusted), '203.0.113.9');
    // Several headers as Node joins them, ports and brackets.
    assert.equal(forwardedFor('127.0.0.1', ['203.0.113.9:5555', '10.1.1.1'], trusted), '203.0.113.9');
    assert.equal(forwardedFor('127.0.0.1', '[2001:db8::7]:443', trusted), '2001:db8::7');
    // Garbage stops the walk at the last trusted hop (never reads further left).
    assert.equal(forwardedFor('127.0.0.1', '198.51.100.1, unknown', trusted), '127.0.0.1');
    // Every hop trusted: the leftmost.
    assert.equal(forwardedFor('127.0.0.1', '10.0.0.1', trusted), '10.0.0.1');
    assert.equal(forwardedFor('127.0.0.1', undefined, trusted), '127.0.0.1');
  });

  test('PROXY v1 and v2 headers: parsed with their length; partial, LOCAL, invalid and plain HTTP told apart', () => {
    const v1 = Buffer.from('PROXY TCP4 203.0.113.9 127.0.0.1 51000 8787\r\nGET / HTTP/1.1\r\n');
    assert.deepEqual(parseProxyHeader(v1), { kind: 'proxy', version: 1, address: '203.0.113.9', length: 45 });
    assert.deepEqual(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::7 ::1 1 2\r\n')), { kind: 'proxy', version: 1, address: '2001:db8::7', length: 32 });
    assert.deepEqual(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n')), { kind: 'proxy', version: 1, address: null, length: 15 });
    assert.equal(parseProxyHeader(Buffer.from('PROX')).kind, 'partial');
    assert.equal(parseProxyHeader(Buffer.from('PROXY TCP4 203.0.113.9')).kind, 'partial');
    assert.equal(parseProxyHeader(Buffer.from('PROXY TCP4 nonsense 1 2 3\r\n')).kind, 'invalid');
    assert.equal(parseProxyHeader(Buffer.from('GET / HTTP/1.1\r\n')).kind, 'none');

    const sig = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
    const v4 = Buffer.concat([sig, Buffer.from([0x21, 0x11, 0, 12, 203, 0, 113, 9, 127, 0, 0, 1, 0xc7, 0x38, 0x22, 0x53]), Buffer.from('GET')]);
    assert.deepEqual(parseProxyHeader(v4), { kind: 'proxy', version: 2, address: '203.0.113.9', length: 28 });
    const v6addr = Buffer.alloc(36);
    v6addr.writeUInt16BE(0x2001, 0);
    v6addr.writeUInt16BE(0x0db8, 2);
    v6addr.writeUInt16BE(7, 14);
    const v6 = Buffer.concat([sig, Buffer.from([0x21, 0x21, 0, 36]), v6addr]);
    assert.deepEqual(parseProxyHeader(v6), { kind: 'proxy', version: 2, address: '2001:db8::7', length: 52 });
    const local = Buffer.concat([sig, Buffer.from([0x20, 0x00, 0, 0])]);
    assert.deepEqual(parseProxyHeader(local), { kind: 'proxy', version: 2, address: null, length: 16 });
    assert.equal(parseProxyHeader(v4.subarray(0, 20)).kind, 'partial');
    assert.equal(parseProxyHeader(sig.subarray(0, 5)).kind, 'partial');
    assert.equal(parseProxyHeader(Buffer.concat([sig, Buffer.from([0x31, 0x11, 0, 0])])).kind, 'invalid');
  });
});

for (const proxyProtocol of [false, true]) {
  // Each on its own: the PROXY run has no X-Forwarded-For from the proxy.
  const how = proxyProtocol ? 'PROXY protocol v2 alone (send-proxy-v2, no forwardfor)' : 'X-Forwarded-For (option forwardfor)';
  describe(`behind HAProxy, client address by ${how}`, () => {
    let h: Harness;
    let proxy: Proxy;
    before(async () => {
      h = await startHarness({ access: { trustedProxies: ['127.0.0.1'] }, limits: { connectionsPerAddress: 2 } });
      proxy = await startHaproxy({ frontPort: 0, backends: [{ name: 'n1', host: '127.0.0.1', port: h.server.port }], proxyProtocol, forwardFor: !proxyProtocol, checkIntervalMs: 200 });
    });
    after(async () => {
      await proxy?.stop();
      await h?.close();
    });

    test('an agent and a customer through the proxy: hello, call, ring, answer', async () => {
      await eventually(async () => assert.equal((await proxy.servers())['n1'], 'UP'), 'the backend is up');
      assert.equal(await nodeOf(proxy.url), `127.0.0.1:${h.server.port}`);
      await callThrough(h, proxy.wsUrl, proxyProtocol ? 'pp' : 'xff');
    });

    test('the per-address limit counts the real client addresses, not the proxy; forged headers change nothing', async () => {
      const open: WebSocket[] = [];
      try {
        // Two from 127.0.0.2 fill its slots; the third from it is refused.
        for (let i = 0; i < 2; i++) {
          const r = await admitted(`${proxy.wsUrl}/v1/caller`, '127.0.0.2');
          assert.ok(r.ok, `connection ${i + 1} from 127.0.0.2 admitted`);
          open.push(r.ws);
        }
        const third = await admitted(`${proxy.wsUrl}/v1/caller`, '127.0.0.2');
        assert.deepEqual(third, { ok: false, code: CloseCode.rateLimited });
        // Another client behind the same proxy is not affected, whatever it claims to be: a
        // forged X-Forwarded-For naming the full address, or the trusted proxy itself.
        for (const forged of ['127.0.0.2', '127.0.0.1', '127.0.0.2, 127.0.0.1']) {
          const r = await admitted(`${proxy.wsUrl}/v1/caller`, '127.0.0.3', { 'X-Forwarded-For': forged });
          assert.ok(r.ok, `127.0.0.3 claiming ${forged} counts as 127.0.0.3`);
          r.ws.terminate();
          await eventually(async () => {
            const again = await admitted(`${proxy.wsUrl}/v1/caller`, '127.0.0.4');
            assert.ok(again.ok);
            again.ws.terminate();
          }, 'a slot is free again');
        }
        // Directly to the control center from an untrusted peer: its X-Forwarded-For is ignored,
        // so naming a fresh address does not get round the limit of its own.
        const d1 = await admitted(`${h.wsUrl}/v1/caller`, '127.0.0.5', { 'X-Forwarded-For': '198.51.100.1' });
        const d2 = await admitted(`${h.wsUrl}/v1/caller`, '127.0.0.5', { 'X-Forwarded-For': '198.51.100.2' });
        assert.ok(d1.ok && d2.ok);
        open.push(d1.ws, d2.ws);
        const d3 = await admitted(`${h.wsUrl}/v1/caller`, '127.0.0.5', { 'X-Forwarded-For': '198.51.100.3' });
        assert.deepEqual(d3, { ok: false, code: CloseCode.rateLimited });
      } finally {
        for (const ws of open) ws.terminate();
      }
    });
  });
}

describe('PROXY headers only from trusted peers', () => {
  test('an untrusted peer sending a PROXY line is not believed: the request fails', async () => {
    const h = await startHarness({ access: { trustedProxies: ['127.0.0.1'] } });
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const s = connect({ port: h.server.port, host: '127.0.0.1', localAddress: '127.0.0.2' });
        let text = '';
        s.on('data', (d) => (text += d.toString()));
        s.once('close', () => resolve(text));
        s.once('error', reject);
        s.write('PROXY TCP4 198.51.100.1 127.0.0.1 1000 8787\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      assert.match(reply, /^HTTP\/1\.1 400/);
      // The same from the trusted proxy is read, stripped, and the request served.
      const trusted = await new Promise<string>((resolve, reject) => {
        const s = connect({ port: h.server.port, host: '127.0.0.1', localAddress: '127.0.0.1' });
        let text = '';
        s.on('data', (d) => (text += d.toString()));
        s.once('close', () => resolve(text));
        s.once('error', reject);
        s.write('PROXY TCP4 198.51.100.1 127.0.0.1 1000 8787\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      assert.match(trusted, /^HTTP\/1\.1 200/);
    } finally {
      await h.close();
    }
  });
});

describe('behind HAProxy: health checks on /healthz', () => {
  test('a stopped control center is marked down and every connection goes to the live one', async () => {
    const a = await startHarness({ access: { trustedProxies: ['127.0.0.1'] } });
    const b = await startHarness({ access: { trustedProxies: ['127.0.0.1'] } });
    const nodeA = `127.0.0.1:${a.server.port}`;
    const nodeB = `127.0.0.1:${b.server.port}`;
    const proxy = await startHaproxy({
      frontPort: 0,
      backends: [
        { name: 'a', host: '127.0.0.1', port: a.server.port },
        { name: 'b', host: '127.0.0.1', port: b.server.port },
      ],
      checkIntervalMs: 200,
    });
    try {
      await eventually(async () => assert.deepEqual(await proxy.servers(), { a: 'UP', b: 'UP' }), 'both backends up');
      // Both nodes take traffic (leastconn picks in turn among equals).
      const seen = new Set<string>();
      for (let i = 0; i < 20 && seen.size < 2; i++) seen.add(await nodeOf(proxy.url));
      assert.deepEqual([...seen].sort(), [nodeA, nodeB].sort());

      await a.close();
      await eventually(async () => assert.equal((await proxy.servers())['a'], 'DOWN'), 'the stopped node is marked down');
      for (let i = 0; i < 10; i++) assert.equal(await nodeOf(proxy.url), nodeB, `request ${i} goes to the live node`);
      // WebSockets too: a call through the proxy, on the live node.
      await callThrough(b, proxy.wsUrl, 'after-down');
      assert.equal(b.server.cc.engine.seat('seat-after-down')?.seatId, 'seat-after-down');
    } finally {
      await proxy.stop();
      await a.close();
      await b.close();
    }
  });
});
