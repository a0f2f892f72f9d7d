import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import type { Simulator } from '../../core/simulator.js';
import { button, newSim, part, placeCall, settle, splitEl, splitState, text, until } from './harness.js';

async function seat(sim: Simulator, attrs: { splits?: string } = {}, media = new FakeMediaAdapter({ audio: false })) {
  const el = await fixture<MultiSeat>(
    html`<multi-seat .simulator=${sim} .mediaAdapter=${media} splits=${attrs.splits ?? '2'} ring="off"></multi-seat>`,
  );
  await settle(el);
  return el;
}

describe('<multi-seat> on the simulator', () => {
  it('renders the seat bar and one pane per split, idle, and is accessible', async () => {
    const el = await seat(newSim(), { splits: '3' });
    expect(el.shadowRoot!.querySelectorAll('seat-split').length).to.equal(3);
    expect(text(part(el, 'seat-id'))).to.equal('seat-1');
    expect(text(part(el, 'connection'))).to.contain('Online');
    expect(button(el, 'ready-switch')!.getAttribute('aria-checked')).to.equal('false');
    expect(splitEl(el, 0).dataset.state).to.equal('idle');
    await expect(el).to.be.accessible();
  });

  it('R2: the first call rings split 0 alone; the second waits until the agent answers', async () => {
    const sim = newSim();
    const el = await seat(sim);
    const readyChange = oneEvent(el, 'seat-ready-change');
    button(el, 'ready-switch')!.click();
    expect((await readyChange).detail).to.deep.equal({ ready: true, reason: null });
    const offer = oneEvent(el, 'seat-offer');
    await placeCall(sim, 'cust-a', 'Ann');
    await placeCall(sim, 'cust-b', 'Bo');
    const ev = await offer;
    expect(ev.detail.split).to.equal(0);
    expect(ev.detail.call.customer.name).to.equal('Ann');
    const s0 = await splitState(el, 0, 'ringing');
    expect(splitEl(el, 1).dataset.state).to.equal('idle');
    await until(() => text(part(el, 'waiting')).includes('1 call waiting'));
    const answered = oneEvent(el, 'seat-answer');
    button(s0, 'answer')!.click();
    const a = await answered;
    expect(a.detail.virtualSeat).to.equal('seat-1:0');
    await splitState(el, 1, 'ringing');
  });
});
