// Unit tests of WebSocketControlClient against an in-page fake socket (FakeSocket plays the
// server). They prove the client's own logic — hello, ids, replies, backoff, close codes — not
// interoperability with the real control center, which the end-to-end suite covers.
import { expect } from '@open-wc/testing';
import { WebSocketControlClient, endpointFor } from '../../components/control/ws-client.js';
import type { ClientEvent } from '../../core/control-client.js';
import { ProtocolError } from '../../core/control-client.js';
import type { AgentMessage } from '../../core/protocol.js';
import { FakeSocket, until } from './harness.js';

function client(backoff = { initialMs: 20, maxMs: 80, jitter: 0 }) {
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
});
