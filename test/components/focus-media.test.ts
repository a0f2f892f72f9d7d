// Focus-aware media on the agent's seat, with the fake adapter: which quality each split's leg
// is asked for as focus moves (R10), and the "speaking" cue of a customer not in focus.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import { FakeMediaAdapter, type FakeLeg } from '../../components/media/fake-adapter.js';
import type { Simulator } from '../../core/simulator.js';
import { newSim, part, placeCall, settle, splitEl, splitState, text, until } from './harness.js';

async function seat(sim: Simulator, quality?: string): Promise<MultiSeat> {
  const el = await fixture<MultiSeat>(
    html`<multi-seat .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-1" splits="3" ring="off" lang="en" quality=${quality ?? 'focus'}></multi-seat>`,
  );
  await settle(el);
  await el.store!.ready();
  return el;
}

/** Connects one call per name, answered in order: the last answered has focus (R9). */
async function connect(sim: Simulator, el: MultiSeat, names: string[]): Promise<void> {
  for (const [i, name] of names.entries()) {
    await placeCall(sim, `cust-${name}`, name);
    const s = await splitState(el, i, 'ringing');
    await until(() => el.store!.getState().seat!.splits[i]!.call!.media, 'room never ready');
    s.answer();
    await splitState(el, i, 'connected');
  }
}

/** The open leg of split `i` (one leg per split: a preview turns into the answered leg). */
function leg(el: MultiSeat, i: number): FakeLeg {
  const room = el.store!.getState().seat!.splits[i]!.call!.media!.room;
  const found = [...(el.mediaAdapter as FakeMediaAdapter).legs].find((l) => l.media.room === room);
  if (!found) throw new Error(`no open leg for split ${i}`);
  return found;
}

describe('focus-aware media', () => {
  it('R10: the focused call gets high quality, the others low; moving focus switches both', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connect(sim, el, ['Ann', 'Bob', 'Cy']);
    await until(() => leg(el, 2).quality === 'high' && leg(el, 0).quality === 'low' && leg(el, 1).quality === 'low', 'split 2 (focused) high, 0 and 1 low');
    await el.store!.focus(0);
    await until(() => leg(el, 0).quality === 'high' && leg(el, 2).quality === 'low', 'focus to split 0 moves the high quality with it');
    expect(leg(el, 1).quality).to.equal('low');
  });

  it('quality="all": every connected call gets high quality whatever the focus', async () => {
    const sim = newSim();
    const el = await seat(sim, 'all');
    await connect(sim, el, ['Ann', 'Bob']);
    await until(() => leg(el, 0).quality === 'high' && leg(el, 1).quality === 'high', 'both high');
  });

  it('a customer not in focus who speaks lights the split, is announced and fires seat-talking; the focused one does not', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connect(sim, el, ['Ann', 'Bob']);
    const s0 = splitEl(el, 0);
    const started = oneEvent(el, 'seat-talking');
    leg(el, 0).talk(true);
    const e = await started;
    expect([e.detail.split, e.detail.talking, e.detail.call.customer.name]).to.deep.equal([0, true, 'Ann']);
    await s0.updateComplete;
    expect(text(part(s0, 'talking'))).to.equal('Speaking');
    expect(s0.hasAttribute('data-talking')).to.equal(true);
    expect(text(s0.shadowRoot!.querySelector('[role="status"]'))).to.equal('Ann on split 1 is speaking');

    const stopped = oneEvent(el, 'seat-talking');
    leg(el, 0).talk(false);
    expect((await stopped).detail.talking).to.equal(false);
    await s0.updateComplete;
    expect(part(s0, 'talking')).to.equal(null);

    // The focused customer is heard already: no cue, no event.
    let fired = 0;
    el.addEventListener('seat-talking', () => fired++);
    leg(el, 1).talk(true);
    await splitEl(el, 1).updateComplete;
    expect(part(splitEl(el, 1), 'talking')).to.equal(null);
    expect(fired).to.equal(0);
  });
});
