// Layouts that fit (issue 13): the grid is chosen from the element's own box, every split on
// screen and none smaller than 180×135; `focus` makes the focused split large; a ringing split is
// scrolled into view where the panes scroll.
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../components/multi-seat/multi-seat.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import { fitGrid, MIN_PANE } from '../../components/multi-seat/grid-fit.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { newSim, placeCall, settle, splitEl, splitState, until } from './harness.js';

async function seat(splits: number, style: string, layout = 'grid', sim = newSim()): Promise<MultiSeat> {
  const el = await fixture<MultiSeat>(
    html`<multi-seat .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-1" splits=${splits} ring="off" lang="en" layout=${layout} style=${style}></multi-seat>`,
  );
  await settle(el);
  return el;
}

const rects = (el: MultiSeat) => [...el.shadowRoot!.querySelectorAll('seat-split')].map((s) => s.getBoundingClientRect());
const grid = (el: MultiSeat) => el.shadowRoot!.querySelector('.splits')!.getAttribute('data-grid');

describe('fitGrid (the arithmetic)', () => {
  it('the most even grid: 2×2 at 4, 4×2 at 8 in a wide box, 3×3 at 8 in a square one, one row at 2', () => {
    expect([fitGrid(4, 1000, 620), fitGrid(4, 1700, 900)].map((f) => `${f.cols}x${f.rows}`)).to.deep.equal(['2x2', '2x2']);
    expect(`${fitGrid(8, 1326, 628).cols}x${fitGrid(8, 1326, 628).rows}`).to.equal('4x2');
    expect(`${fitGrid(8, 900, 900).cols}x${fitGrid(8, 900, 900).rows}`).to.equal('3x3');
    expect(fitGrid(2, 1000, 600).cols).to.equal(2);
  });
  it('without a height: as square as the width allows, fewer columns when panes would be too narrow', () => {
    expect(fitGrid(8, 900, null).cols).to.equal(3);
    expect(fitGrid(8, 500, null).cols).to.equal(2);
    expect(fitGrid(8, 300, null).cols).to.equal(1);
  });
});

describe('<multi-seat> layouts', () => {
  beforeEach(() => setViewport({ width: 1366, height: 768 }));

  it('grid with a height: 8 splits all inside the element, none smaller than 180×135 (4×2 at a laptop size)', async () => {
    const el = await seat(8, 'display:block;width:1326px;height:640px');
    await until(() => grid(el) === '4x2', `grid ${grid(el)}`);
    const box = el.getBoundingClientRect();
    for (const [i, r] of rects(el).entries()) {
      expect(r.bottom, `split ${i} bottom inside`).to.be.at.most(box.bottom + 0.5);
      expect(r.right, `split ${i} right inside`).to.be.at.most(box.right + 0.5);
      expect(r.width, `split ${i} width`).to.be.at.least(MIN_PANE.width);
      expect(r.height, `split ${i} height`).to.be.at.least(MIN_PANE.height);
    }
  });

  it('grid follows its own box, not the viewport: the same 4 splits go 2×2 in a box and the tracks change when it resizes', async () => {
    const el = await seat(4, 'display:block;width:1700px;height:900px');
    await until(() => grid(el) === '2x2', `grid ${grid(el)}`);
    el.style.height = '260px';
    el.style.width = '1300px';
    await until(() => grid(el) === '4x1', `after the resize: ${grid(el)}`);
    for (const r of rects(el)) expect(r.bottom).to.be.at.most(el.getBoundingClientRect().bottom + 0.5);
  });

  it('grid without a height keeps 4:3 videos and is as square as the width allows', async () => {
    const el = await seat(4, 'display:block;width:1000px');
    await until(() => grid(el) === '2x2', `grid ${grid(el)}`);
    const stage = splitEl(el, 0).shadowRoot!.querySelector('.stage')!.getBoundingClientRect();
    expect(stage.width / stage.height).to.be.closeTo(4 / 3, 0.02);
  });

  it('focus: the focused split is large, the others in a strip', async () => {
    const sim = newSim();
    const el = await seat(3, 'display:block;width:1200px;height:700px', 'focus', sim);
    await el.store!.ready();
    await placeCall(sim, 'cust-a', 'Ann');
    await splitState(el, 0, 'ringing');
    await until(() => el.store!.getState().seat!.splits[0]!.call!.media, 'room');
    splitEl(el, 0).answer();
    await splitState(el, 0, 'connected');
    await until(() => splitEl(el, 0).hasAttribute('data-focused'));
    await settle(el);
    const [big, a, b] = rects(el);
    expect(big!.width).to.be.greaterThan(a!.width * 1.8);
    expect(big!.height).to.be.greaterThan(a!.height * 1.8);
    expect(a!.top).to.be.closeTo(b!.top, 1);
    expect(a!.top).to.be.greaterThan(big!.bottom - 1);
  });

  it('row: a ringing split out of view is scrolled into the row, not the page', async () => {
    const sim = newSim();
    const el = await seat(6, 'display:block;width:600px', 'row', sim);
    await el.store!.ready();
    // Split 0 is busy so the next call rings further along the row.
    for (const [i, name] of ['Ann', 'Bob', 'Cy', 'Di', 'Ed'].entries()) {
      await placeCall(sim, `cust-${name}`, name);
      await splitState(el, i, 'ringing');
      await until(() => el.store!.getState().seat!.splits[i]!.call!.media, 'room');
      splitEl(el, i).answer();
      await splitState(el, i, 'connected');
    }
    await placeCall(sim, 'cust-Fay', 'Fay');
    await splitState(el, 5, 'ringing');
    await settle(el);
    const box = el.shadowRoot!.querySelector('.splits')!.getBoundingClientRect();
    const ringing = splitEl(el, 5).getBoundingClientRect();
    expect(ringing.left).to.be.at.least(box.left - 0.5);
    expect(ringing.right).to.be.at.most(box.right + 0.5);
    expect(window.scrollX).to.equal(0);
  });
});
