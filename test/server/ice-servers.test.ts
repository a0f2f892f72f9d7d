/**
 * `--ice-servers`, `--turn-secret`, `--turn-ttl` (server/ice-servers.ts): TURN REST credentials
 * as coturn checks them, what each party is told in its `media`, and the checks at start (exit 2
 * naming the field). The media part runs against a real Janus (a call needs a room for `media`).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CustomerCallView, IceServer, SeatView, ServerMessage } from '../../core/protocol.js';
import { envName, parseCli, UsageError } from '../../server/cli.js';
import { resolveConfig } from '../../server/config.js';
import { IceServers, parseIceServers, turnCredential } from '../../server/ice-servers.js';
import { startJanus } from '../../scripts/janus.mjs';
import { SECRET, startHarness, type Harness } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const STUN = { urls: 'stun:stun.example.com:3478' };
const TURN = { urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349?transport=tcp'] };
const OWN = { urls: 'turn:static.example.com', username: 'fixed', credential: 'pw' };

describe('TURN REST credentials', () => {
  test('credential = base64(HMAC-SHA1(secret, username)), as coturn computes it', () => {
    // Computed with: printf %s '1700000000:agent:seat-1' | openssl dgst -sha1 -hmac north -binary | base64
    assert.equal(turnCredential('north', '1700000000:agent:seat-1'), 'JZS2J7XCLZ6KIHdQmMMEXOFg2tM=');
  });

  test('each party gets "<expiry>:<party>" on TURN entries without credentials; STUN and entries with their own are kept', () => {
    const ice = new IceServers([STUN, TURN, OWN], { secret: 'north', ttlS: 3600 });
    const now = 1_700_000_000_500;
    const { servers, expiresAt } = ice.forParty('customer:cust-7', now);
    assert.equal(expiresAt, (1_700_000_000 + 3600) * 1000);
    assert.deepEqual(servers[0], STUN);
    assert.deepEqual(servers[2], OWN);
    const turn = servers[1]!;
    assert.deepEqual(turn.urls, TURN.urls);
    assert.equal(turn.username, '1700003600:customer:cust-7');
    assert.equal(turn.credential, createHmac('sha1', 'north').update('1700003600:customer:cust-7').digest('base64'));
    // Another party, another credential.
    const agent = ice.forParty('agent:seat-1', now).servers[1]!;
    assert.equal(agent.username, '1700003600:agent:seat-1');
    assert.notEqual(agent.credential, turn.credential);
    // Without anything minted, nothing expires.
    assert.equal(new IceServers([STUN, OWN], { secret: null, ttlS: 3600 }).forParty('agent:a', now).expiresAt, Infinity);
  });
});

describe('what a connection is sent', () => {
  const media = { server: 'ws://j', room: 1, pin: 'p', token: 't', party: 'agent:seat-1' };
  const seat = (consult: boolean): ServerMessage => ({
    type: 'seat',
    seat: {
      seatId: 'seat-1',
      version: 1,
      ready: true,
      notReadyReason: null,
      focus: 0,
      splits: [
        {
          index: 0,
          channel: 'seat-1:0',
          state: 'connected',
          call: {
            callId: 'c-1',
            kind: 'inbound',
            queue: 'q',
            customer: { id: 'x', name: null },
            virtualSeat: 'seat-1:0',
            since: 0,
            media,
            attention: null,
            ...(consult ? { consult: { seat: 'seat-2', state: 'connected' as const, media: { ...media, room: 2 } } } : {}),
          },
        },
        { index: 1, channel: 'seat-1:1', state: 'idle', call: null },
      ],
    },
  });

  test('every media of a seat snapshot (and its consult) and of a customer call gets the servers; nothing else changes', () => {
    let t = 1_700_000_000_000;
    const decorate = new IceServers([STUN, TURN], { secret: 's', ttlS: 600 }).forConnection(() => 'agent:seat-1', () => t);
    const m = decorate(seat(true)) as Extract<ServerMessage, { type: 'seat' }>;
    const call = m.seat.splits[0]!.call!;
    assert.equal(call.media!.iceServers!.length, 2);
    assert.equal(call.media!.token, 't', 'the other fields are kept');
    assert.equal(call.consult!.media!.iceServers![1]!.username, '1700000600:agent:seat-1');
    assert.equal(m.seat.splits[1]!.call, null);
    const original = seat(false);
    decorate(original);
    assert.equal((original as { seat: SeatView }).seat.splits[0]!.call!.media!.iceServers, undefined, 'the shared message is not changed');
    const queue: ServerMessage = { type: 'queue', waiting: 2 };
    assert.equal(decorate(queue), queue);
    const noMedia: ServerMessage = { type: 'call', call: { callId: 'c', state: 'queued', position: 1, agent: null, media: null, endReason: null, focused: false, attention: null, kind: 'inbound' } };
    assert.equal(decorate(noMedia), noMedia);
    const cm = decorate({ type: 'call', call: { ...(noMedia as { call: CustomerCallView }).call, media } }) as { call: CustomerCallView };
    assert.equal(cm.call.media!.iceServers!.length, 2);
    void t;
  });

  test('the same credentials while they are fresh; new ones once half the TTL has passed', () => {
    let t = 1_700_000_000_000;
    const decorate = new IceServers([TURN], { secret: 's', ttlS: 600 }).forConnection(() => 'agent:seat-1', () => t);
    const user = () => ((decorate(seat(false)) as { seat: SeatView }).seat.splits[0]!.call!.media!.iceServers![0] as IceServer).username;
    assert.equal(user(), '1700000600:agent:seat-1');
    t += 299_000;
    assert.equal(user(), '1700000600:agent:seat-1', 'kept before half the TTL');
    t += 1000;
    assert.equal(user(), '1700000900:agent:seat-1', 'minted again at half the TTL');
  });

  test('a connection not signed in yet adds nothing', () => {
    const decorate = new IceServers([TURN], { secret: 's', ttlS: 600 }).forConnection(() => null, () => 0);
    const m = decorate(seat(false)) as { seat: SeatView };
    assert.equal(m.seat.splits[0]!.call!.media!.iceServers, undefined);
  });
});

describe('--ice-servers, --turn-secret, --turn-ttl', () => {
  const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const o = parseCli(['--demo', ...argv], env);
    assert.notEqual(o, 'help');
    return o as Exclude<typeof o, 'help'>;
  };

  test('read from the flags or MULTI_SEAT_ICE_SERVERS / _TURN_SECRET / _TURN_TTL', () => {
    const o = parse(['--ice-servers', JSON.stringify([STUN, TURN]), '--turn-secret', 'north', '--turn-ttl', '3600']);
    assert.deepEqual(o.iceServers, [STUN, TURN]);
    assert.equal(o.turnSecret, 'north');
    assert.equal(o.turnTtlS, 3600);
    const e = parse([], { [envName('ice-servers')]: JSON.stringify([TURN]), [envName('turn-secret')]: 'south' });
    assert.deepEqual([e.iceServers, e.turnSecret, e.turnTtlS], [[TURN], 'south', undefined]);
    assert.equal(envName('ice-servers'), 'MULTI_SEAT_ICE_SERVERS');
    // STUN alone, or TURN with its own credentials, needs no secret.
    assert.deepEqual(parse(['--ice-servers', JSON.stringify([STUN, OWN])]).iceServers, [STUN, OWN]);
    assert.equal(resolveConfig({ demo: true }).turnTtlS, 86_400, 'a day by default');
    assert.deepEqual(resolveConfig({ demo: true }).iceServers, []);
  });

  const invalid: Array<[string, string[], RegExp]> = [
    ['not JSON', ['--ice-servers', '[{urls:'], /^--ice-servers: is not JSON/],
    ['not an array', ['--ice-servers', JSON.stringify(STUN)], /^--ice-servers: must be a JSON array/],
    ['the old "url"', ['--ice-servers', '[{"url":"stun:a"}]'], /^--ice-servers\[0\]\.url: is the old name: use "urls"/],
    ['an unknown field', ['--ice-servers', '[{"urls":"stun:a","password":"x"}]'], /^--ice-servers\[0\]\.password: is not a field/],
    ['no urls', ['--ice-servers', '[{}]'], /^--ice-servers\[0\]\.urls: must be a URL or a non-empty array/],
    ['an http URL', ['--ice-servers', '[{"urls":["stun:a","http://b"]}]'], /^--ice-servers\[0\]\.urls\[1\]: must be a stun:, stuns:, turn: or turns: URL, not "http:\/\/b"/],
    ['a username without credential', ['--ice-servers', '[{"urls":"turn:a","username":"u"}]'], /^--ice-servers\[0\]: gives one of username and credential/],
    ['a TURN server without credentials or secret', ['--ice-servers', JSON.stringify([STUN, TURN])], /^--ice-servers\[1\]: is a TURN server without username and credential: give them, or --turn-secret/],
    ['a secret with nothing to mint for', ['--ice-servers', JSON.stringify([STUN]), '--turn-secret', 's'], /^--turn-secret is given but no --ice-servers entry is a turn: or turns: server without/],
    ['a secret without servers', ['--turn-secret', 's'], /^--turn-secret is given/],
    ['a TTL without secret', ['--ice-servers', JSON.stringify([OWN]), '--turn-ttl', '600'], /^--turn-ttl .* needs --turn-secret/],
    ['a TTL under a minute', ['--ice-servers', JSON.stringify([TURN]), '--turn-secret', 's', '--turn-ttl', '59'], /^--turn-ttl must be at least 60/],
    ['a TTL that is not a number', ['--ice-servers', JSON.stringify([TURN]), '--turn-secret', 's', '--turn-ttl', '1d'], /^--turn-ttl must be a whole number/],
  ];
  for (const [what, argv, message] of invalid)
    test(`refused: ${what}`, () => {
      assert.throws(() => parse(argv), (e: Error) => e instanceof UsageError && message.test(e.message));
    });

  test('the same checks for code that starts the server (StartOptions)', () => {
    assert.throws(() => resolveConfig({ demo: true, iceServers: [TURN] }), /iceServers\[0\]: is a TURN server without/);
    assert.throws(() => resolveConfig({ demo: true, iceServers: [STUN], turnSecret: 's' }), /turnSecret is given/);
    assert.throws(() => resolveConfig({ demo: true, iceServers: [TURN], turnSecret: 's', turnTtlS: 10 }), /turnTtlS/);
    assert.deepEqual(parseIceServers(JSON.stringify([TURN]), true), [TURN]);
  });

  test('the server stops at start with exit code 2 and the field named', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['bin/multi-seat-server.js', '--secret', SECRET, '--janus-url', 'none', '--db', ':memory:', '--port', '0', '--ice-servers', '[{"urls":"turn:turn.example.com"}]'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    assert.equal(code, 2, out);
    assert.match(out, /--ice-servers\[0\]: is a TURN server without username and credential/);
    assert.doesNotMatch(out, /control center on/);
  });
});

describe('on the wire, with a real Janus', () => {
  let janus: Awaited<ReturnType<typeof startJanus>>;
  let h: Harness;
  before(async () => {
    janus = await startJanus({ wsPort: 0, httpPort: 0, adminPort: false });
    h = await startHarness({ janusUrl: janus.wsUrl, iceServers: [STUN, TURN, OWN], turnSecret: 'north', turnTtlS: 7200 });
  });
  after(async () => {
    await h?.close();
    await janus?.stop();
  });

  const check = (servers: IceServer[] | undefined, party: string, from: number) => {
    assert.ok(servers, 'media carries iceServers');
    assert.deepEqual(servers[0], STUN);
    assert.deepEqual(servers[2], OWN);
    const [expiry, ...rest] = servers[1]!.username!.split(':');
    assert.equal(rest.join(':'), party);
    assert.ok(Number(expiry) >= Math.floor(from / 1000) + 7200 && Number(expiry) <= Math.ceil(Date.now() / 1000) + 7200, `expiry ${expiry}`);
    assert.equal(servers[1]!.credential, turnCredential('north', servers[1]!.username!));
  };

  test("each party's media carries the servers with credentials minted for that party; a reconnect gets fresh ones", { timeout: 30_000 }, async () => {
    const t0 = Date.now();
    const a = await h.agent('ice-seat', 1);
    await a.ok({ type: 'ready' });
    const c = await h.caller('ice-cust');
    await c.ok({ type: 'call', queue: 'q' });
    const call = await c.next('call', (x) => x.media !== null);
    check(call.media!.iceServers, 'customer:ice-cust', t0);
    const ringing = await a.next('seat', (s) => s.splits[0]?.call?.media != null);
    check(ringing.splits[0]!.call!.media!.iceServers, 'agent:ice-seat', t0);

    // The customer comes back on a new connection, a second later: a later expiry.
    await new Promise((r) => setTimeout(r, 1100));
    const first = call.media!.iceServers![1]!.username!;
    c.close();
    const t1 = Date.now();
    const again = await h.caller('ice-cust');
    const back = await again.next('call', (x) => x.media !== null);
    check(back.media!.iceServers, 'customer:ice-cust', t1);
    assert.ok(Number(back.media!.iceServers![1]!.username!.split(':')[0]) > Number(first.split(':')[0]), 'fresh credentials after the reconnect');
  });
});
