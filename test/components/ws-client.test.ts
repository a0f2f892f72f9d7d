// Unit tests of WebSocketControlClient against an in-page fake socket (FakeSocket plays the
// server). They prove the client's own logic — hello, ids, replies, backoff, close codes — not
// interoperability with the real control center, which the end-to-end suite covers.
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import { WebSocketControlClient, endpointFor, endpointsFor, type Backoff } from '../../components/control/ws-client.js';
import type { ClientEvent } from '../../core/control-client.js';
import { ProtocolError } from '../../core/control-client.js';
import type { AgentMessage } from '../../core/protocol.js';
import { FakeSocket, until } from './harness.js';

/** Time that moves only when the test says so: the client's clock and timers. */
class ManualClock {
  t = 1_000_000;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  readonly now = () => this.t;
  readonly timers = {
    setTimeout: (fn: () => void, ms: number) => {
      const id = ++this.seq;
      this.due.set(id, { at: this.t + ms, fn });
      return id;
    },
    clearTimeout: (h: unknown) => void this.due.delete(h as number),
  };
  get pending(): number {
    return this.due.size;
  }
  /** Moves the clock by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let i = 0; i < 1000; i++) {
      const next = [...this.due.entries()].filter(([, d]) => d.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
}

/** A client on a manual clock; `random` fixes the jitter (0.5: the middle of the spread). */
function clocked(options: { random?: number; pingIntervalMs?: number; role?: 'agent' | 'caller'; url?: string | string[] } = {}) {
  FakeSocket.reset();
  const clock = new ManualClock();
  const c = new WebSocketControlClient<AgentMessage>({
    url: options.url ?? 'ws://cc.test',
    token: 'tok',
    role: options.role ?? 'agent',
    splits: 2,
    WebSocket: FakeSocket as never,
    backoff: { initialMs: 500, maxMs: 8000, jitter: 0, spreadMs: 1000 },
    pingIntervalMs: options.pingIntervalMs ?? 10_000,
    now: clock.now,
    timers: clock.timers,
    random: () => options.random ?? 0.5,
  });
  const events: ClientEvent[] = [];
  c.subscribe((e) => events.push(e));
  return { c, clock, events };
}

/** Opens the newest socket and answers its hello: the client is online. */
function signIn(c: { status: { state: string } }): FakeSocket {
  const s = FakeSocket.last;
  s.open();
  s.acceptHello();
  expect(c.status.state).to.equal('online');
  return s;
}

const pings = (s: FakeSocket) => s.sent.filter((m) => m.type === 'ping');

function client(backoff: Backoff = { initialMs: 20, maxMs: 80, jitter: 0, spreadMs: 20 }) {
  FakeSocket.reset();
  const c = new WebSocketControlClient<AgentMessage>({ url: 'ws://cc.test', token: 'tok', role: 'agent', splits: 3, WebSocket: FakeSocket as never, backoff });
  const events: ClientEvent[] = [];
  c.subscribe((e) => events.push(e));
  return { c, events };
}

describe('WebSocketControlClient (unit, fake socket)', () => {
  afterEach(() => FakeSocket.reset());

  it('endpointFor adds the role path to a bare server URL and refuses other schemes', () => {
    expect(endpointFor('ws://h:8080', 'agent')).to.equal('ws://h:8080/v1/agent');
    expect(endpointFor('wss://h/', 'caller')).to.equal('wss://h/v1/caller');
    expect(endpointFor('ws://h/custom/agent', 'agent')).to.equal('ws://h/custom/agent');
    expect(() => endpointFor('http://h', 'agent')).to.throw(TypeError);
  });

  it('sends hello with token and splits on open and is online after ok', async () => {
    const { c } = client();
    expect(c.status.state).to.equal('connecting');
    const s = FakeSocket.last;
    expect(s.url).to.equal('ws://cc.test/v1/agent');
    s.open();
    expect(s.sent[0]).to.deep.include({ type: 'hello', token: 'tok', splits: 3 });
    expect(c.status.state, 'not before the ok').to.equal('connecting');
    s.acceptHello();
    await until(() => c.status.state === 'online');
  });

  it('numbers requests and matches replies; an error reply rejects with its ProtocolError', async () => {
    const { c, events } = client();
    FakeSocket.last.open();
    FakeSocket.last.acceptHello();
    await until(() => c.status.state === 'online');
    const a = c.request({ type: 'answer', split: 0 });
    const b = c.request({ type: 'ready' });
    const [ma, mb] = FakeSocket.last.sent.slice(1);
    expect(ma!.id).to.not.equal(mb!.id);
    FakeSocket.last.reply({ type: 'error', id: ma!.id, code: 'invalid-state', message: 'split 0 is not ringing' });
    FakeSocket.last.reply({ type: 'ok', id: mb!.id });
    await b;
    const err = await a.then(() => null, (e: ProtocolError) => e);
    expect(err).to.be.instanceOf(ProtocolError);
    expect(err!.code).to.equal('invalid-state');
    FakeSocket.last.reply({ type: 'queue', waiting: 4 });
    expect(events.at(-1)).to.deep.equal({ type: 'message', message: { type: 'queue', waiting: 4 } });
  });

  it('R15: a dropped connection reconnects with backoff (reconnecting + retryAt), says hello again, and fails requests in flight', async () => {
    const { c } = client();
    const first = FakeSocket.last;
    first.open();
    first.acceptHello();
    await until(() => c.status.state === 'online');
    const inFlight = c.request({ type: 'ready' });
    first.serverClose(1006);
    expect(c.status.state).to.equal('reconnecting');
    expect(c.status.retryAt).to.be.a('number');
    expect(c.status.error, 'it was reachable: no error').to.equal(null);
    expect((await inFlight.catch((e: ProtocolError) => e))!.code).to.equal('not-signed-in');
    expect((await c.request({ type: 'ready' }).catch((e: ProtocolError) => e))!.code).to.equal('not-signed-in');
    await until(() => FakeSocket.instances.length === 2, 'no second attempt');
    FakeSocket.last.open();
    expect(FakeSocket.last.sent[0]).to.deep.include({ type: 'hello', splits: 3 });
    FakeSocket.last.acceptHello();
    await until(() => c.status.state === 'online');
  });

  it('an unreachable server is reconnecting with an "unreachable" error, and the delay grows', async () => {
    const { c } = client({ initialMs: 10, maxMs: 1000, jitter: 0 });
    FakeSocket.last.serverClose(1006);
    expect(c.status.state).to.equal('reconnecting');
    expect(c.status.error!.code).to.equal('unreachable');
    const d1 = c.status.retryAt! - Date.now();
    await until(() => FakeSocket.instances.length === 2);
    FakeSocket.last.serverClose(1006);
    const d2 = c.status.retryAt! - Date.now();
    expect(d2).to.be.greaterThan(d1);
    c.close();
    expect(c.status.state).to.equal('offline');
  });

  it('an expired or bad token (close 4001) ends offline with "unauthorized", without retrying', async () => {
    const { c } = client();
    const s = FakeSocket.last;
    s.open();
    const hello = s.sent[0]!;
    s.reply({ type: 'error', id: hello.id, code: 'unauthorized', message: 'token expired' });
    s.serverClose(4001);
    expect(c.status.state).to.equal('offline');
    expect(c.status.error).to.deep.equal({ code: 'unauthorized', message: 'token expired' });
    await new Promise((r) => setTimeout(r, 60));
    expect(FakeSocket.instances.length).to.equal(1);
  });

  it('another window taking the seat (close 4002) ends offline with "replaced"', async () => {
    const { c } = client();
    FakeSocket.last.open();
    FakeSocket.last.acceptHello();
    await until(() => c.status.state === 'online');
    FakeSocket.last.serverClose(4002, 'replaced');
    expect(c.status.state).to.equal('offline');
    expect(c.status.error!.code).to.equal('replaced');
  });

  it('close() is for good: offline, socket closed, no reconnect', async () => {
    const { c } = client();
    FakeSocket.last.open();
    c.close();
    expect(c.status).to.deep.equal({ state: 'offline', retryAt: null, error: null });
    expect(FakeSocket.last.closedByClient).to.equal(1000);
    await new Promise((r) => setTimeout(r, 60));
    expect(FakeSocket.instances.length).to.equal(1);
  });

  describe('recovering', () => {
    for (const code of [1012, 1006, 1001]) {
      it(`a ${code} close of a signed-in connection reconnects at once, spread over the jitter window, and says hello again`, () => {
        const { c, clock } = clocked({ random: 0.25 });
        signIn(c);
        FakeSocket.last.serverClose(code);
        expect(c.status.state).to.equal('reconnecting');
        expect(c.status.error).to.equal(null);
        expect(c.status.retryAt! - clock.t, 'a quarter into the 1 s window').to.equal(250);
        clock.advance(249);
        expect(FakeSocket.instances.length).to.equal(1);
        clock.advance(1);
        expect(FakeSocket.instances.length).to.equal(2);
        FakeSocket.last.open();
        expect(FakeSocket.last.sent[0]).to.deep.include({ type: 'hello', token: 'tok', splits: 2 });
      });
    }

    it('when the prompt attempt fails too, it backs off exponentially; once signed in, the next restart is prompt again', () => {
      const { c, clock } = clocked({ random: 0 });
      signIn(c);
      FakeSocket.last.serverClose(1012);
      expect(c.status.retryAt! - clock.t).to.equal(0);
      clock.advance(0);
      const delays: number[] = [];
      for (let i = 0; i < 5; i++) {
        FakeSocket.last.serverClose(1006); // the server is not back yet: refused
        expect(c.status.error!.code).to.equal('unreachable');
        delays.push(c.status.retryAt! - clock.t);
        clock.advance(delays.at(-1)!);
      }
      expect(delays).to.deep.equal([500, 1000, 2000, 4000, 8000]);
      signIn(c);
      FakeSocket.last.serverClose(1012);
      expect(c.status.retryAt! - clock.t, 'prompt again after a sign-in').to.equal(0);
    });

    for (const code of [4003, 4004, 4005, 1007, 1011]) {
      it(`a ${code} close reconnects with backoff, not at once`, () => {
        const { c, clock } = clocked({ random: 0 });
        signIn(c);
        FakeSocket.last.serverClose(code);
        expect(c.status.state).to.equal('reconnecting');
        expect(c.status.retryAt! - clock.t).to.equal(500);
        clock.advance(499);
        expect(FakeSocket.instances.length).to.equal(1);
        clock.advance(1);
        expect(FakeSocket.instances.length).to.equal(2);
        FakeSocket.last.serverClose(code);
        expect(c.status.retryAt! - clock.t).to.equal(1000);
      });
    }

    it('a hello refused with rate-limited is tried again with backoff, not given up', () => {
      const { c, clock } = clocked({ random: 0 });
      const s = FakeSocket.last;
      s.open();
      s.reply({ type: 'error', id: s.sent[0]!.id, code: 'rate-limited', message: 'too many hellos' });
      expect(c.status.state).to.equal('reconnecting');
      expect(s.closedByClient).to.equal(1000);
      expect(c.status.retryAt! - clock.t).to.equal(500);
      clock.advance(500);
      signIn(c);
    });

    it('4001 and 4002 still stop for good, with no timer left behind', () => {
      for (const code of [4001, 4002]) {
        const { c, clock } = clocked();
        signIn(c);
        FakeSocket.last.serverClose(code);
        expect(c.status.state).to.equal('offline');
        expect(clock.pending, 'no reconnect, no ping timer').to.equal(0);
        clock.advance(60_000);
        expect(FakeSocket.instances.length).to.equal(1);
      }
    });
  });

  describe('liveness', () => {
    it('after an interval without a word from the server it sends ping; the ok is swallowed and silence starts over', () => {
      const { c, clock, events } = clocked();
      const s = signIn(c);
      clock.advance(9_999);
      expect(pings(s)).to.have.length(0);
      clock.advance(1);
      expect(pings(s)).to.have.length(1);
      const seen = events.length;
      s.reply({ type: 'ok', id: pings(s)[0]!.id });
      expect(events.length, 'listeners never see the ping\'s ok').to.equal(seen);
      clock.advance(9_999);
      expect(pings(s)).to.have.length(1);
      clock.advance(1);
      expect(pings(s)).to.have.length(2);
      expect(c.status.state).to.equal('online');
    });

    it('a connection that talks sends no pings', () => {
      const { c, clock } = clocked();
      const s = signIn(c);
      for (let i = 0; i < 10; i++) {
        clock.advance(6_000);
        s.reply({ type: 'queue', waiting: i });
      }
      expect(pings(s)).to.have.length(0);
      expect(c.status.state).to.equal('online');
    });

    it('pings before hello is answered too (the server allows it)', () => {
      const { clock } = clocked();
      const s = FakeSocket.last;
      s.open();
      clock.advance(10_000);
      expect(pings(s)).to.have.length(1);
    });

    it('two pings in a row met by silence: the connection is dead (half-open), closed by the client and reconnected at once', () => {
      const { c, clock } = clocked({ random: 0.5 });
      const s = signIn(c);
      const inFlight = c.request({ type: 'ready' });
      clock.advance(20_000);
      expect(pings(s)).to.have.length(2);
      expect(c.status.state, 'still hoping after two pings').to.equal('online');
      clock.advance(10_000);
      expect(s.closedByClient, 'the client closed it').to.not.equal(null);
      expect(c.status.state).to.equal('reconnecting');
      expect(c.status.retryAt! - clock.t).to.equal(500);
      clock.advance(500);
      expect(FakeSocket.instances.length).to.equal(2);
      signIn(c);
      return inFlight.then(
        () => expect.fail('a request on a dead connection must fail'),
        (e: ProtocolError) => expect(e.code).to.equal('not-signed-in'),
      );
    });

    it('a connect that never opens is given up after the same silence and retried as unreachable', () => {
      const { c, clock } = clocked({ random: 0 });
      clock.advance(30_000);
      expect(FakeSocket.instances[0]!.closedByClient).to.not.equal(null);
      expect(c.status.state).to.equal('reconnecting');
      expect(c.status.error!.code).to.equal('unreachable');
      expect(c.status.retryAt! - clock.t).to.equal(500);
    });

    it('close() clears every timer: no ping, no reconnect afterwards', () => {
      const { c, clock } = clocked();
      const s = signIn(c);
      c.close();
      expect(clock.pending).to.equal(0);
      clock.advance(100_000);
      expect(pings(s)).to.have.length(0);
      expect(FakeSocket.instances.length).to.equal(1);
    });

    it('a dropped connection leaves no ping timer running while it waits to reconnect', () => {
      const { c, clock } = clocked({ random: 0.5 });
      signIn(c);
      FakeSocket.last.serverClose(1006);
      expect(clock.pending, 'only the reconnect').to.equal(1);
    });
  });
  describe('several URLs (server="wss://a wss://b")', () => {
    const urls = () => FakeSocket.instances.map((s) => s.url);

    it('endpointsFor splits on spaces or takes an array, adds the role path, refuses an empty list or a bad URL', () => {
      expect(endpointsFor(' ws://a:1  wss://b/ ', 'agent')).to.deep.equal(['ws://a:1/v1/agent', 'wss://b/v1/agent']);
      expect(endpointsFor(['ws://a', 'ws://b ws://c'], 'caller')).to.deep.equal(['ws://a/v1/caller', 'ws://b/v1/caller', 'ws://c/v1/caller']);
      expect(() => endpointsFor('  ', 'agent')).to.throw(TypeError);
      expect(() => endpointsFor('ws://a http://b', 'agent')).to.throw(TypeError);
    });

    it('starts on the first; a failed connect moves to the next on the backoff delays, wrapping around', () => {
      const { c, clock } = clocked({ random: 0, url: 'ws://a ws://b ws://c' });
      expect(urls()).to.deep.equal(['ws://a/v1/agent']);
      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        FakeSocket.last.serverClose(1006); // never opened: unreachable
        expect(c.status.error!.code).to.equal('unreachable');
        delays.push(c.status.retryAt! - clock.t);
        clock.advance(delays.at(-1)!);
      }
      expect(delays).to.deep.equal([500, 1000, 2000, 4000]);
      expect(urls()).to.deep.equal(['ws://a/v1/agent', 'ws://b/v1/agent', 'ws://c/v1/agent', 'ws://a/v1/agent', 'ws://b/v1/agent']);
      signIn(c);
      expect(c.url).to.equal('ws://b/v1/agent');
    });

    for (const code of [1012, 1006, 1001]) {
      it(`a ${code} close of a signed-in connection goes to the next URL at once (with the jitter)`, () => {
        const { c, clock } = clocked({ random: 0.25, url: ['ws://a', 'ws://b'] });
        signIn(c);
        FakeSocket.last.serverClose(code);
        expect(c.status.retryAt! - clock.t).to.equal(250);
        clock.advance(250);
        expect(urls()).to.deep.equal(['ws://a/v1/agent', 'ws://b/v1/agent']);
        const s = signIn(c);
        expect(s.sent[0]).to.deep.include({ type: 'hello', token: 'tok', splits: 2 });
        // Lost again: back to the first, at once again since the sign-in succeeded.
        s.serverClose(code);
        expect(c.status.retryAt! - clock.t).to.equal(250);
        clock.advance(250);
        expect(FakeSocket.last.url).to.equal('ws://a/v1/agent');
      });
    }

    it('other closes (4003, 4005 …) go to the next URL with backoff; 4001 still stops for good', () => {
      const { c, clock } = clocked({ random: 0, url: 'ws://a ws://b' });
      signIn(c);
      FakeSocket.last.serverClose(4005);
      expect(c.status.retryAt! - clock.t).to.equal(500);
      clock.advance(500);
      expect(FakeSocket.last.url).to.equal('ws://b/v1/agent');
      FakeSocket.last.open();
      FakeSocket.last.serverClose(4001);
      expect(c.status.state).to.equal('offline');
      expect(clock.pending).to.equal(0);
    });

    it('the elements take a space-separated server list; one bad URL in it is a configuration error', async () => {
      const errors: Event[] = [];
      const record = (e: Event) => errors.push(e);
      document.addEventListener('seat-error', record);
      try {
        // Ports nothing listens on: the client is made (no config error), then finds them unreachable.
        const good = await fixture(html`<multi-seat server="ws://127.0.0.1:9 ws://127.0.0.1:7" token="t"></multi-seat>`);
        const caller = await fixture(html`<seat-caller server="ws://127.0.0.1:9  ws://127.0.0.1:7" token="t" queue="claims"></seat-caller>`);
        expect(errors.filter((e) => (e as CustomEvent).detail.source === 'config').map((e) => JSON.stringify((e as CustomEvent).detail))).to.deep.equal([]);
        const bad = await fixture(html`<multi-seat server="ws://127.0.0.1:9 http://example.test" token="t"></multi-seat>`);
        await until(() => errors.some((e) => e.target === bad && (e as CustomEvent).detail.source === 'config'));
        good.remove();
        caller.remove();
        bad.remove();
      } finally {
        document.removeEventListener('seat-error', record);
      }
    });

    it('a dead connection (two silent pings) is dropped and the next URL tried at once', () => {
      const { c, clock } = clocked({ random: 0, url: 'ws://a ws://b', pingIntervalMs: 1000 });
      signIn(c);
      clock.advance(3000);
      expect(FakeSocket.instances[0]!.closedByClient).to.not.equal(null);
      expect(c.status.state).to.equal('connecting');
      expect(FakeSocket.last.url).to.equal('ws://b/v1/agent');
    });
  });
});
