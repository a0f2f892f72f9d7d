import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import { WebSocketControlClient } from '../../components/control/ws-client.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { SeatElement } from '../../components/base/seat-element.js';
import { SeatStore } from '../../core/seat-store.js';
import type { AgentMessage } from '../../core/protocol.js';
import { FakeSocket, part, settle, text, until } from './harness.js';

/** Renders a seat whose seat-error is caught from the first update on. */
async function withError(template: ReturnType<typeof html>) {
  const errors: CustomEvent[] = [];
  const record = (e: Event) => errors.push(e as CustomEvent);
  document.addEventListener('seat-error', record);
  try {
    const el = await fixture<MultiSeat>(template);
    await settle(el);
    return { el, errors };
  } finally {
    document.removeEventListener('seat-error', record);
  }
}

function wsStore(): SeatStore {
  FakeSocket.reset();
  return new SeatStore(
    // A drop (1006) reconnects within the spread window; at the far end of it the countdown shows.
    new WebSocketControlClient<AgentMessage>({ url: 'ws://cc.test', token: 't', role: 'agent', WebSocket: FakeSocket as never, backoff: { initialMs: 3000, jitter: 0, spreadMs: 3000 }, random: () => 0.99 }),
  );
}

describe('bad configuration and connection states', () => {
  it('splits="12" shows a clear message and fires seat-error, never a blank box', async () => {
    const { el, errors } = await withError(html`<multi-seat splits="12"></multi-seat>`);
    expect(text(part(el, 'message'))).to.equal('“splits” must be a whole number from 1 to 8 (got “12”).');
    expect(errors[0]!.detail).to.include({ source: 'config', code: 'config' });
    expect(el.getBoundingClientRect().height).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
  });

  it('a server without a token shows a message and fires seat-error', async () => {
    const { el, errors } = await withError(html`<multi-seat server="ws://127.0.0.1:9"></multi-seat>`);
    expect(text(part(el, 'message'))).to.contain('token is required');
    expect(errors.length).to.equal(1);
  });

  it('a server that is not a ws:// URL shows a message', async () => {
    const { el } = await withError(html`<multi-seat server="http://example.test" token="t"></multi-seat>`);
    expect(text(part(el, 'message'))).to.contain('ws:// or wss://');
  });

  it('zh-CN configuration message', async () => {
    const { el } = await withError(html`<multi-seat splits="0" lang="zh-CN"></multi-seat>`);
    expect(text(part(el, 'message'))).to.contain('必须是 1 到 8 的整数');
  });

  it('an unreachable server: reconnecting countdown, a message, seat-error "unreachable"; media unavailable if the adapter fails to load', async () => {
    const errors: string[] = [];
    const record = (e: Event) => errors.push((e as CustomEvent).detail.code);
    document.addEventListener('seat-error', record);
    const el = await fixture<MultiSeat>(
      html`<multi-seat server="ws://127.0.0.1:9" token="t" .mediaAdapterFactory=${() => Promise.reject(new Error('janus.js did not load'))}></multi-seat>`,
    );
    await until(() => errors.includes('unreachable'), 'no unreachable error', 5000);
    await until(() => el.store!.getState().connection.state === 'reconnecting' && text(part(el, 'connection')).startsWith('Reconnecting in'), 'no countdown', 5000);
    await settle(el);
    const messages = [...el.shadowRoot!.querySelectorAll('[part~="message"]')].map(text);
    expect(messages).to.include('Cannot reach the control center. Retrying…');
    expect(messages.some((m) => m.startsWith('Media unavailable: janus.js did not load'))).to.equal(true);
    expect(errors).to.include('media');
    document.removeEventListener('seat-error', record);
    el.remove();
  });

  it('an expired token (close 4001): offline, "Sign-in refused", seat-error unauthorized', async () => {
    const store = wsStore();
    const el = await fixture<MultiSeat>(html`<multi-seat .store=${store} .mediaAdapter=${new FakeMediaAdapter({ audio: false })}></multi-seat>`);
    await settle(el);
    expect(text(part(el, 'connection'))).to.contain('Connecting');
    const err = oneEvent(el, 'seat-error');
    FakeSocket.last.open();
    FakeSocket.last.serverClose(4001, 'token expired');
    expect((await err).detail).to.include({ source: 'connection', code: 'unauthorized' });
    await settle(el);
    expect(text(part(el, 'connection'))).to.contain('Offline');
    expect(text(part(el, 'message'))).to.equal('Sign-in refused: the token is invalid or has expired.');
  });

  it('R15: reconnecting shows a countdown, then online again, with seat-connection-change events', async () => {
    const store = wsStore();
    const el = await fixture<MultiSeat>(html`<multi-seat .store=${store} .mediaAdapter=${new FakeMediaAdapter({ audio: false })}></multi-seat>`);
    const states: string[] = [];
    el.addEventListener('seat-connection-change', (e) => states.push(e.detail.state));
    FakeSocket.last.open();
    FakeSocket.last.acceptHello();
    FakeSocket.last.reply({ type: 'seat', seat: { seatId: 'seat-9', version: 1, ready: false, notReadyReason: null, focus: null, splits: [0, 1].map((i) => ({ index: i, channel: `seat-9:${i}`, state: 'idle', call: null })) } });
    await until(() => states.includes('online'));
    FakeSocket.last.serverClose(1006);
    await settle(el);
    expect(text(part(el, 'connection'))).to.match(/^Reconnecting in [23] s…/);
    // The countdown ticks every second; the status region must not be re-read each time.
    const spoken = (n: Node): string =>
      n instanceof Element && n.getAttribute('aria-hidden') === 'true' ? '' : n.nodeType === Node.TEXT_NODE ? n.textContent! : [...n.childNodes].map(spoken).join('');
    expect(part(el, 'connection')!.getAttribute('role')).to.equal('status');
    const heard = spoken(part(el, 'connection')!).replace(/\s+/g, ' ').trim();
    expect(heard, 'what a screen reader hears').to.match(/^Reconnecting…/);
    expect(heard, 'no ticking number in the live region').to.not.match(/\d/);
    expect(el.shadowRoot!.querySelectorAll('seat-split').length, 'the panes stay').to.equal(2);
    expect(states).to.deep.equal(['online', 'reconnecting']);
    expect(el.shadowRoot!.querySelector('[part~="message"]'), 'a drop is not an error message').to.equal(null);
    el.remove();
  });

  it('define() tolerates a second copy of the library', () => {
    class Another extends SeatElement {}
    expect(() => Another.define('multi-seat')).to.not.throw();
    expect(customElements.get('multi-seat')).to.not.equal(Another);
  });
});
