// Accessibility of the three elements: axe in each main state, every enabled control reachable
// with Tab and showing a visible focus ring (:focus-visible, --seat-focus-ring), and ringing
// announced through a live region that exists before the call arrives, in English and zh-CN.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { SeatStore } from '../../core/seat-store.js';
import type { Simulator } from '../../core/simulator.js';
import { button, newSim, placeCall, settle, splitEl, splitState, text, until } from './harness.js';

async function seat(sim: Simulator, lang = 'en', splits = '3'): Promise<{ wrap: HTMLElement; el: MultiSeat }> {
  const wrap = await fixture<HTMLDivElement>(html`<div>
    <button id="before">before</button>
    <multi-seat .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-1" splits=${splits} ring="off" lang=${lang}></multi-seat>
    <button id="after">after</button>
  </div>`);
  const el = wrap.querySelector('multi-seat') as MultiSeat;
  await settle(el);
  return { wrap, el };
}

async function caller(sim: Simulator, lang = 'en'): Promise<{ wrap: HTMLElement; el: SeatCaller }> {
  const wrap = await fixture<HTMLDivElement>(html`<div>
    <button id="before">before</button>
    <seat-caller .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="cust-a" queue="claims" name="Ann" lang=${lang}></seat-caller>
    <button id="after">after</button>
  </div>`);
  const el = wrap.querySelector('seat-caller') as SeatCaller;
  await settle(el);
  return { wrap, el };
}

/** Adds themes/dark.css to the page once; its tokens apply under `.seat-theme-dark`. */
let darkTheme: Promise<void> | null = null;
function loadDarkTheme(): Promise<void> {
  darkTheme ??= new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/themes/dark.css' });
    link.onload = () => resolve();
    link.onerror = () => reject(new Error('themes/dark.css did not load'));
    document.head.append(link);
  });
  return darkTheme;
}

function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** The enabled, rendered controls under `host`, through its shadow roots. */
function controls(host: Element): HTMLElement[] {
  const out: HTMLElement[] = [];
  const walk = (root: ShadowRoot) => {
    for (const c of root.querySelectorAll<HTMLElement>('button, select, input, [tabindex]')) {
      if (!(c as HTMLButtonElement).disabled && c.getClientRects().length) out.push(c);
    }
    for (const h of root.querySelectorAll('*')) if (h.shadowRoot) walk(h.shadowRoot);
  };
  walk(host.shadowRoot!);
  return out;
}

/** Tabs from #before to #after; every stop must show a focus ring. Returns the stops. */
async function tabThrough(wrap: HTMLElement): Promise<HTMLElement[]> {
  wrap.querySelector<HTMLButtonElement>('#before')!.focus();
  const stops: HTMLElement[] = [];
  for (let i = 0; i < 60; i++) {
    await sendKeys({ press: 'Tab' });
    const a = deepActive() as HTMLElement;
    if (a.id === 'after') return stops;
    stops.push(a);
    const style = getComputedStyle(a);
    const label = a.getAttribute('part') ?? a.outerHTML.slice(0, 60);
    expect(a.matches(':focus-visible'), `${label} is :focus-visible`).to.equal(true);
    expect(style.outlineStyle, `${label} has a focus outline`).to.not.equal('none');
    expect(parseFloat(style.outlineWidth), `${label} outline width`).to.be.at.least(2);
  }
  throw new Error('Tab never left the element');
}

describe('accessibility', () => {
  describe('<multi-seat>', () => {
    it('idle: axe; every control reachable by Tab with a focus ring; the live region is there before any call', async () => {
      const { wrap, el } = await seat(newSim());
      await expect(el).to.be.accessible();
      const want = controls(el);
      expect(want.length).to.be.at.least(5);
      const stops = await tabThrough(wrap);
      for (const c of want) expect(stops, `${c.getAttribute('part')} reachable by Tab`).to.include(c);
      const live = splitEl(el, 0).shadowRoot!.querySelector('[aria-live]')!;
      expect(live, 'the live region exists before the call').to.exist;
      expect(text(live)).to.equal('');
    });

    it('ringing and connected (with the dial form open): axe; every control reachable by Tab with a focus ring', async () => {
      const sim = newSim();
      const { wrap, el } = await seat(sim);
      await el.store!.ready();
      await placeCall(sim, 'cust-a', 'Ann');
      const s0 = await splitState(el, 0, 'ringing');
      await settle(s0);
      await expect(el).to.be.accessible();
      s0.answer();
      await splitState(el, 0, 'connected');
      await placeCall(sim, 'cust-b', 'Bo');
      await splitState(el, 1, 'ringing');
      button(splitEl(el, 2), 'dial')!.click();
      await settle(splitEl(el, 2));
      for (const i of [0, 1, 2]) await settle(splitEl(el, i));
      await expect(el).to.be.accessible();
      const want = controls(el);
      const stops = await tabThrough(wrap);
      for (const c of want) expect(stops, `${c.getAttribute('part')} reachable by Tab`).to.include(c);
      for (const p of ['focus', 'consult', 'transfer', 'hangup']) expect(stops, p).to.include(button(splitEl(el, 0), p));
      for (const p of ['answer', 'reject']) expect(stops, p).to.include(button(splitEl(el, 1), p));
    });

    for (const [lang, theme] of [['en', ''], ['zh-CN', ''], ['en', 'seat-theme-dark']] as const) {
      it(`every pane state passes axe in ${lang}${theme ? ' with themes/dark.css' : ''}: connected with a request, transfer form, consulting, media failure, wrap-up`, async () => {
        if (theme) await loadDarkTheme();
        const sim = newSim({ wrapupMs: 60_000 });
        const media = new FakeMediaAdapter({ audio: false, fail: (_m, _o, attempt) => (attempt === 1 ? 'ICE failed' : null) });
        const el = await fixture<MultiSeat>(
          html`<multi-seat class=${theme} .simulator=${sim} .mediaAdapter=${media} token="seat-1" splits="4" ring="off" preview="off" lang=${lang}></multi-seat>`,
        );
        const other = await fixture<MultiSeat>(html`<multi-seat .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-2" splits="1" ring="off" lang=${lang}></multi-seat>`);
        await settle(el);
        await el.store!.ready();
        const callers = [];
        for (const [i, name] of ['Ann', 'Bo', 'Cy'].entries()) {
          callers.push(await placeCall(sim, `cust-${i}`, name));
          await splitState(el, i, 'ringing');
          await el.store!.answer(i);
          await splitState(el, i, 'connected');
        }
        await other.store!.ready();
        await el.store!.consult(2, 'seat-2');
        button(splitEl(el, 1), 'transfer')!.click();
        await callers[0]!.attention(true);
        await until(() => splitEl(el, 0).hasAttribute('data-attention'));
        await until(() => splitEl(el, 0).dataset.media === 'failed' || splitEl(el, 0).dataset.media === 'connected');
        for (const i of [0, 1, 2, 3]) await settle(splitEl(el, i));
        if (theme) expect(getComputedStyle(splitEl(el, 0).shadowRoot!.querySelector('.pane')!).backgroundColor, 'the dark surface').to.equal('rgb(17, 24, 39)');
        await expect(el).to.be.accessible();
        await callers[1]!.hangup();
        await splitState(el, 1, 'wrapup');
        await settle(splitEl(el, 1));
        await expect(el).to.be.accessible();
      });
    }

    for (const [lang, want] of [
      ['en', 'Incoming call from Ann on split 1'],
      ['zh-CN', '分屏 1 有来电：李伟'],
    ] as const) {
      it(`ringing is announced through a live region (${lang})`, async () => {
        const sim = newSim();
        const { el } = await seat(sim, lang);
        await el.store!.ready();
        await placeCall(sim, 'cust-a', lang === 'en' ? 'Ann' : '李伟');
        const s0 = await splitState(el, 0, 'ringing');
        await settle(s0);
        const live = s0.shadowRoot!.querySelector<HTMLElement>('[aria-live]')!;
        expect(['assertive', 'polite']).to.include(live.getAttribute('aria-live'));
        expect(text(live)).to.equal(want);
        await expect(el).to.be.accessible();
        // Rejected, then a namesake rings: the region was emptied in between, so it speaks again.
        s0.reject();
        await until(() => el.store!.getState().seat!.splits[0]!.state !== 'ringing' || !el.store!.getState().pending['reject:0']);
        await until(() => text(live) === '', 'the announcement was not cleared after the ring');
        if (!el.store!.getState().seat!.ready) await el.store!.ready();
        await placeCall(sim, 'cust-a2', lang === 'en' ? 'Ann' : '李伟');
        await splitState(el, 0, 'ringing');
        await settle(s0);
        expect(text(live)).to.equal(want);
      });
    }
  });

  describe('<seat-caller>', () => {
    for (const lang of ['en', 'zh-CN']) it(`idle, queued, connected and ended (${lang}): axe; every control reachable by Tab with a focus ring`, async () => {
      const sim = newSim();
      const agent = new SeatStore(sim.agent('seat-1', 2));
      const { wrap, el } = await caller(sim, lang);
      await expect(el).to.be.accessible();
      expect(await tabThrough(wrap)).to.include(button(el, 'call'));

      button(el, 'call')!.click();
      await until(() => el.call?.state === 'queued');
      await settle(el);
      await expect(el).to.be.accessible();
      expect(await tabThrough(wrap)).to.include(button(el, 'hangup'));

      await agent.ready();
      await until(() => agent.getState().seat!.splits[0]!.state === 'ringing');
      await agent.answer(0);
      await until(() => el.call?.state === 'connected');
      await agent.focus(null);
      await until(() => button(el, 'attention'));
      await settle(el);
      await expect(el).to.be.accessible();
      const want = controls(el);
      const stops = await tabThrough(wrap);
      for (const c of want) expect(stops, `${c.getAttribute('part')} reachable by Tab`).to.include(c);
      expect(stops).to.include(button(el, 'attention'));

      await agent.hangup(0);
      await until(() => el.call?.state === 'ended');
      await settle(el);
      await expect(el).to.be.accessible();
      expect(await tabThrough(wrap)).to.include(button(el, 'call'));
    });
  });
});
