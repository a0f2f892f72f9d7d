import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/seat-caller/seat-caller.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { SeatStore } from '../../core/seat-store.js';
import type { Simulator } from '../../core/simulator.js';
import { button, newSim, part, settle, text, until } from './harness.js';

async function caller(sim: Simulator, o: { token?: string; queue?: string | null; lang?: string; media?: FakeMediaAdapter } = {}) {
  const media = o.media ?? new FakeMediaAdapter({ audio: false });
  const el = await fixture<SeatCaller>(
    html`<seat-caller
      .simulator=${sim}
      .mediaAdapter=${media}
      token=${o.token ?? 'cust-a'}
      queue=${o.queue === null ? '' : (o.queue ?? 'claims')}
      name="Ann"
      lang=${o.lang ?? 'en'}
    ></seat-caller>`,
  );
  await settle(el);
  return { el, media };
}

async function agent(sim: Simulator, splits = 2): Promise<SeatStore> {
  const s = new SeatStore(sim.agent('seat-1', splits));
  return s;
}

describe('<seat-caller>', () => {
  it('idle: a Call button with an accessible name, accessible', async () => {
    const { el } = await caller(newSim());
    expect(text(button(el, 'call'))).to.equal('Call');
    expect(button(el, 'call')!.getAttribute('aria-label')).to.equal('Call claims');
    expect(el.dataset.state).to.equal('none');
    await expect(el).to.be.accessible();
  });

  it('queued: shows the position and publishes into the call room at once', async () => {
    const sim = newSim();
    const { el, media } = await caller(sim);
    const change = oneEvent(el, 'seat-call-change');
    button(el, 'call')!.click();
    expect((await change).detail.call!.state).to.equal('queued');
    await until(() => text(part(el, 'status')) === 'You are number 1 in the queue');
    await until(() => media.joined.length === 1, 'did not join on queue');
    expect(media.joined[0]!.options.publish).to.equal(true);
    await until(() => el.shadowRoot!.querySelector('video[part~="self-view"]'));
    expect(button(el, 'hangup')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('connected and focused: the agent video, no hold notice; then held by focus elsewhere: the notice and "I\'m ready" (R18)', async () => {
    const sim = newSim();
    const seat = await agent(sim);
    await seat.ready();
    const { el, media } = await caller(sim);
    button(el, 'call')!.click();
    await until(() => seat.getState().seat!.splits[0]!.state === 'ringing');
    await seat.answer(0);
    await until(() => el.call?.state === 'connected' && el.call.focused);
    await until(() => el.shadowRoot!.querySelector('video[part~="agent-video"]'));
    await settle(el);
    expect(part(el, 'hold')).to.equal(null);
    expect(button(el, 'attention'), 'only when not in focus').to.equal(null);
    expect(media.joined[0]!.getState().focused).to.equal(true);
    // a second customer gets the agent's focus
    const { CallerStore } = await import('../../core/caller-store.js');
    await new CallerStore(sim.caller('cust-b')).call('claims', 'Bo');
    await until(() => seat.getState().seat!.splits[1]!.state === 'ringing');
    await seat.answer(1);
    await until(() => part(el, 'hold'));
    expect(text(part(el, 'hold'))).to.equal('Your agent will be right back');
    expect(el.hasAttribute('data-held')).to.equal(true);
    // The agent's video is muted here while held; the microphone stays open so that the agent's
    // split can light up when this customer speaks (the agent's page plays only its focused call).
    await until(() => el.shadowRoot!.querySelector<HTMLVideoElement>('video[part~="agent-video"]')?.muted === true);
    expect(media.joined[0]!.getState().focused).to.equal(true);
    expect(media.joined[0]!.options.simulcast, 'the customer publishes simulcast layers').to.equal(true);
    const ready = button(el, 'attention')!;
    expect(text(ready)).to.equal('I’m ready');
    await expect(el).to.be.accessible();
    ready.click();
    await until(() => seat.getState().attention.length === 1);
    await settle(el);
    expect(text(el.shadowRoot!.querySelector('.attention-sent'))).to.equal('Your agent has been told');
    await seat.focus(0);
    await until(() => !part(el, 'hold'));
  });

  it('zh-CN: 我已完成', async () => {
    const sim = newSim();
    const seat = await agent(sim);
    await seat.ready();
    const { el } = await caller(sim, { lang: 'zh-CN' });
    expect(text(button(el, 'call'))).to.equal('呼叫');
    button(el, 'call')!.click();
    await until(() => seat.getState().seat!.splits[0]!.state === 'ringing');
    await seat.answer(0);
    await seat.focus(null);
    await until(() => button(el, 'attention'));
    expect(text(button(el, 'attention'))).to.equal('我已完成');
    expect(text(part(el, 'hold'))).to.equal('您的座席马上回来');
  });

  it('R12: an agent calls: Accept / Decline; accepting connects', async () => {
    const sim = newSim();
    const seat = await agent(sim);
    const { el } = await caller(sim, { token: 'cust-z' });
    await seat.dial(0, 'cust-z');
    await until(() => button(el, 'accept'));
    expect(text(part(el, 'status'))).to.equal('An agent is calling you');
    await settle(el);
    expect(getComputedStyle(part(el, 'base')!).borderColor, 'rings in --seat-color-ring').to.equal('rgb(217, 119, 6)');
    expect(button(el, 'decline')).to.exist;
    await expect(el).to.be.accessible();
    button(el, 'accept')!.click();
    await until(() => el.call?.state === 'connected');
  });

  it('R12: declining ends the call and offers to call again', async () => {
    const sim = newSim();
    const seat = await agent(sim);
    const { el } = await caller(sim, { token: 'cust-z' });
    await seat.dial(0, 'cust-z');
    await until(() => button(el, 'decline'));
    button(el, 'decline')!.click();
    await until(() => el.call?.state === 'ended');
    await settle(el);
    expect(text(part(el, 'status'))).to.equal('You declined the call');
    expect(text(button(el, 'call'))).to.equal('Call again');
  });

  it('R11: hanging up ends the call and closes the media', async () => {
    const sim = newSim();
    const { el, media } = await caller(sim);
    button(el, 'call')!.click();
    await until(() => media.legs.size === 1);
    button(el, 'hangup')!.click();
    await until(() => el.call?.state === 'ended');
    await until(() => media.legs.size === 0);
    expect(text(part(el, 'status'))).to.equal('The call has ended');
  });

  it('no queue: a clear message, a disabled Call button and seat-error', async () => {
    const errors: CustomEvent[] = [];
    const record = (e: Event) => errors.push(e as CustomEvent);
    document.addEventListener('seat-error', record);
    const { el } = await caller(newSim(), { queue: null });
    document.removeEventListener('seat-error', record);
    expect(text(part(el, 'message'))).to.contain('“queue” is required');
    expect(button(el, 'call')!.disabled).to.equal(true);
    expect(errors[0]!.detail).to.include({ source: 'config' });
  });

  it('a server without a token shows a message', async () => {
    const el = await fixture<SeatCaller>(html`<seat-caller server="ws://127.0.0.1:9" queue="claims"></seat-caller>`);
    await settle(el);
    expect(text(part(el, 'message'))).to.contain('token is required');
  });

  it('without server or simulator: loads the page simulator and fake media on demand; updateComplete waits for them', async () => {
    const el = document.createElement('seat-caller');
    el.setAttribute('token', 'cust-lazy');
    el.setAttribute('queue', 'claims');
    document.body.append(el);
    try {
      await el.updateComplete;
      expect(el.store, 'the store exists once updateComplete resolves').to.exist;
      expect(el.mediaAdapter, 'and the fake media adapter').to.be.instanceOf(FakeMediaAdapter);
      await until(() => el.store!.getState().connection.state === 'online', 'never connected to the page simulator');
    } finally {
      el.remove();
    }
  });
});
