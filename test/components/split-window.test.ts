// A split in a window of its own (issue 13, seed claim 5), the window.open path headless
// Chromium takes: the call goes on in the window with its styles, the seat shows where it went,
// the store keeps the window's handle, and closing the window brings the split back.
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatSplit } from '../../components/seat-split/seat-split.component.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { button, newSim, part, placeCall, settle, splitEl, splitState, text, until } from './harness.js';

describe('a split in its own window', () => {
  it('pops out with its call, keeps the handle in the store, and comes back when the window closes', async () => {
    const sim = newSim();
    const media = new FakeMediaAdapter({ audio: false });
    const el = await fixture<MultiSeat>(html`<multi-seat .simulator=${sim} .mediaAdapter=${media} token="seat-1" splits="2" ring="off" lang="en"></multi-seat>`);
    await settle(el);
    await el.store!.ready();
    await placeCall(sim, 'cust-ann', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    await until(() => el.store!.getState().seat!.splits[0]!.call!.media, 'room');
    s0.answer();
    await splitState(el, 0, 'connected');

    const popOut = button(s0, 'pop-out')!;
    expect(popOut.getAttribute('aria-label')).to.equal('Pop out split 1 into its own window');
    const handle = await el.popOut(0);
    expect(el.splitWindow(0)).to.equal(handle);
    expect(el.store!.getState().windows).to.deep.equal([0]);
    await settle(s0);
    expect(text(part(s0, 'placeholder'))).to.equal('Split 1 is in its own window');
    // The window's split shows the call, styled (its shadow styles are <style> elements there).
    const win = window.open('', 'multi-seat-split-seat-1-0')!;
    const twin = await (async () => {
      let found: SeatSplit | null = null;
      await until(() => (found = win.document.querySelector('seat-split')), 'the split in the window');
      return found!;
    })();
    await until(() => twin.shadowRoot?.querySelector('[part~="customer-name"]'), 'the call in the window');
    expect(text(twin.shadowRoot!.querySelector('[part~="customer-name"]'))).to.equal('Ann');
    expect(twin.shadowRoot!.querySelectorAll('style').length).to.be.greaterThan(0);
    expect(win.getComputedStyle(twin.shadowRoot!.querySelector('.pane')!).display).to.equal('flex');
    await until(() => [...media.legs].some((l) => l.getState().status === 'live'), 'media in the window');
    expect([...media.legs].length, 'one leg: the seat’s own split let go of its media').to.equal(1);

    handle.close();
    await until(() => el.store!.getState().windows.length === 0, 'the window closed');
    await settle(s0);
    expect(part(s0, 'placeholder')?.hasAttribute('data-window') ?? false).to.equal(false);
    await until(() => s0.shadowRoot!.querySelector('video[part~="remote-video"]'), 'the video back in the seat');
  });
});
