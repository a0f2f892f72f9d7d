// Theming as a CRM page sees it: text on the success / danger / ringing / accent colours comes
// from on-colour tokens and reaches 4.5:1 in the shipped theme and in themes/dark.css (contrast
// computed here from the computed colours, and axe's colour-contrast rule on both); the focus
// ring follows the accent; the call state can be styled from outside with :state(…) and data-state.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../components/multi-seat/multi-seat.js';
import '../../components/seat-caller/seat-caller.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import type { SeatSplit } from '../../components/seat-split/seat-split.component.js';
import '../../components/seat-split/seat-split.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { SeatStore } from '../../core/seat-store.js';
import type { Simulator } from '../../core/simulator.js';
import { WebSocketControlClient } from '../../components/control/ws-client.js';
import type { AgentMessage } from '../../core/protocol.js';
import { FakeSocket, button, newSim, part, placeCall, settle, splitEl, splitState, until } from './harness.js';

function rgb(color: string): [number, number, number] {
  const m = color.match(/rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)/);
  if (!m) throw new Error(`not an rgb colour: ${color}`);
  if (m[4] !== undefined && Number(m[4]) < 1) throw new Error(`translucent colour: ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of an element's text colour over its own background colour (or `under`'s). */
function contrast(el: Element, under: Element = el): number {
  const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(rgb(getComputedStyle(under).backgroundColor))].sort((x, y) => y - x);
  return (a! + 0.05) / (b! + 0.05);
}

const themesLoaded = new Map<string, Promise<void>>();
/** Adds themes/<name>.css to the page (once). */
function loadTheme(name: 'dark' | 'auto'): Promise<void> {
  let loaded = themesLoaded.get(name);
  if (!loaded) {
    loaded = new Promise((resolve, reject) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = `/themes/${name}.css`;
      link.onload = () => resolve();
      link.onerror = () => reject(new Error(`themes/${name}.css did not load`));
      document.head.append(link);
    });
    themesLoaded.set(name, loaded);
  }
  return loaded;
}
const loadDark = () => loadTheme('dark');

/** themes/auto.css under the browser's dark colour-scheme preference. */
async function autoDark(): Promise<void> {
  await loadTheme('auto');
  await emulateMedia({ colorScheme: 'dark' });
}

async function seat(sim: Simulator, cls: string, style = ''): Promise<MultiSeat> {
  const wrap = await fixture<HTMLDivElement>(html`<div class=${cls} style=${style}>
    <multi-seat .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-1" splits="3" ring="off" preview="off"></multi-seat>
  </div>`);
  const el = wrap.querySelector('multi-seat') as MultiSeat;
  await settle(el);
  return el;
}

async function caller(sim: Simulator, cls: string): Promise<SeatCaller> {
  const wrap = await fixture<HTMLDivElement>(html`<div class=${cls}>
    <seat-caller .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="cust-z" queue="claims" name="Zoe"></seat-caller>
  </div>`);
  const el = wrap.querySelector('seat-caller') as SeatCaller;
  await settle(el);
  return el;
}

describe('theming', () => {
  afterEach(async () => {
    // The auto theme's tests prefer dark; every other test runs with the default (light).
    await emulateMedia({ colorScheme: 'light' });
  });

  // `auto`: themes/auto.css with the browser preferring a dark scheme, and no class.
  for (const theme of ['shipped', 'dark', 'auto'] as const) {
    const cls = theme === 'dark' ? 'seat-theme-dark' : '';
    const load = theme === 'dark' ? loadDark : theme === 'auto' ? autoDark : async () => {};

    it(`${theme} theme: text on success, danger, ringing, accent and surfaces is at least 4.5:1; axe colour-contrast passes`, async () => {
      await load();
      const sim = newSim();
      const el = await seat(sim, cls);
      await el.store!.ready();
      await placeCall(sim, 'cust-a', 'Ann');
      const s0 = await splitState(el, 0, 'ringing');
      await el.store!.answer(0);
      await splitState(el, 0, 'connected');
      await placeCall(sim, 'cust-b', 'Bo');
      const s1 = await splitState(el, 1, 'ringing');
      for (const i of [0, 1, 2]) await settle(splitEl(el, i));
      await settle(el);

      if (theme !== 'shipped') {
        // The dark tokens really apply inside the shadow roots.
        expect(getComputedStyle(part(s0, 'pane')!).backgroundColor).to.equal('rgb(17, 24, 39)');
      }
      const pairs: [string, Element | null][] = [
        ['answer (on success)', button(s1, 'answer')],
        ['hang up (on danger)', button(s0, 'hangup')],
        ['ringing badge (on ring)', s1.shadowRoot!.querySelector('.state-badge[data-state="ringing"]')],
        ['connected badge (on success)', s0.shadowRoot!.querySelector('.state-badge[data-state="connected"]')],
        ['ready switch (on success)', part(el, 'ready-switch')],
        ['pane text (on surface)', part(s0, 'pane')],
      ];
      for (const [name, node] of pairs) {
        expect(node, name).to.exist;
        expect(contrast(node!), name).to.be.at.least(4.5);
      }
      const placeholders = [s0, s1].flatMap((sp) => [...sp.shadowRoot!.querySelectorAll('.placeholder')]);
      expect(placeholders.length, 'a pane shows text on the video background').to.be.at.least(1);
      for (const ph of placeholders) expect(contrast(ph, ph.closest('.stage')!), 'text on the video background').to.be.at.least(4.5);
      await expect(el).to.be.accessible();
    });

    it(`${theme} theme: <seat-caller> idle, queued and connected on hold pass axe colour-contrast; its buttons are at least 4.5:1`, async () => {
      await load();
      const sim = newSim();
      const agent = new SeatStore(sim.agent('seat-1', 2));
      const el = await caller(sim, cls);
      await expect(el).to.be.accessible();
      expect(contrast(button(el, 'call')!), 'call (on accent)').to.be.at.least(4.5);
      button(el, 'call')!.click();
      await until(() => el.call?.state === 'queued');
      await settle(el);
      expect(contrast(button(el, 'hangup')!), 'hang up (on danger)').to.be.at.least(4.5);
      await expect(el).to.be.accessible();
      await agent.ready();
      await until(() => agent.getState().seat!.splits[0]!.state === 'ringing');
      await agent.answer(0);
      await until(() => el.call?.state === 'connected');
      await agent.focus(null);
      await until(() => button(el, 'attention'));
      await settle(el);
      expect(contrast(button(el, 'attention')!), "I'm ready").to.be.at.least(4.5);
      expect(contrast(button(el, 'hangup')!), 'hang up (on danger)').to.be.at.least(4.5);
      await expect(el).to.be.accessible();
    });
  }

  it('auto theme: the shipped colours while the browser prefers light; exactly the dark theme\'s tokens while it prefers dark', async () => {
    await loadDark();
    await loadTheme('auto');
    const sim = newSim();
    const auto = await seat(sim, '');
    const dark = await seat(sim, 'seat-theme-dark');
    const pane = (el: MultiSeat) => part(splitEl(el, 0), 'pane')!;
    await settle(splitEl(auto, 0));
    expect(getComputedStyle(pane(auto)).backgroundColor, 'light preference: the shipped surface').to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    const tokens = [...(await (await fetch('/themes/dark.css')).text()).matchAll(/(--seat-[\w-]+):/g)].map((m) => m[1]!);
    expect(tokens.length, 'the dark theme has tokens').to.be.at.least(10);
    const style = (el: Element) => getComputedStyle(el);
    for (const t of tokens) {
      expect(style(auto).getPropertyValue(t), t).to.not.equal('');
      expect(style(auto).getPropertyValue(t), t).to.equal(style(dark).getPropertyValue(t));
    }
    expect(style(auto).colorScheme).to.equal('dark');
    expect(getComputedStyle(pane(auto)).backgroundColor).to.equal('rgb(17, 24, 39)');
    // A token the page sets on the element itself wins over the automatic theme.
    auto.style.setProperty('--seat-color-surface', 'rgb(1, 2, 3)');
    expect(getComputedStyle(pane(auto)).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('the control: #fff on the dark theme\'s green (the old fixed colour) is under 4.5:1 and axe reports it', async () => {
    await loadDark();
    const sim = newSim();
    const el = await seat(sim, 'seat-theme-dark', '--seat-color-on-success: #ffffff');
    await el.store!.ready();
    await placeCall(sim, 'cust-a', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    await settle(s0);
    expect(contrast(button(s0, 'answer')!)).to.be.below(4.5);
    let failure: Error | null = null;
    try {
      await expect(el).to.be.accessible();
    } catch (e) {
      failure = e as Error;
    }
    expect(failure?.message).to.match(/color-contrast/);
  });

  it('on-colour tokens set by the page colour the text on success and danger', async () => {
    const sim = newSim();
    const el = await seat(sim, '', '--seat-color-on-success: rgb(1, 2, 3); --seat-color-on-danger: rgb(4, 5, 6)');
    await el.store!.ready();
    await placeCall(sim, 'cust-a', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    await settle(s0);
    expect(getComputedStyle(button(s0, 'answer')!).color).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(button(s0, 'reject')!).color).to.not.equal('rgb(4, 5, 6)');
    await el.store!.answer(0);
    await splitState(el, 0, 'connected');
    await settle(s0);
    expect(getComputedStyle(button(s0, 'hangup')!).color).to.equal('rgb(4, 5, 6)');
  });

  it('the focus ring follows the accent, and --seat-focus-ring overrides it', async () => {
    const el = await seat(newSim(), '', '--seat-color-accent: rgb(10, 120, 30)');
    const sw = part(el, 'ready-switch')!;
    sw.focus();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ press: 'Tab' });
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    expect(active).to.equal(sw);
    expect(sw.matches(':focus-visible')).to.equal(true);
    let s = getComputedStyle(sw);
    expect(s.outlineColor).to.equal('rgb(10, 120, 30)');
    expect(parseFloat(s.outlineWidth)).to.be.at.least(2);
    el.style.setProperty('--seat-focus-ring', '4px dashed rgb(200, 0, 0)');
    s = getComputedStyle(sw);
    expect(s.outlineColor).to.equal('rgb(200, 0, 0)');
    expect(s.outlineStyle).to.equal('dashed');
  });

  describe('call state from outside CSS', () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`
      multi-seat::part(split):state(ringing) { outline: 3px solid rgb(1, 1, 1); }
      multi-seat::part(split):state(connected) { outline: 3px solid rgb(2, 2, 2); }
      seat-split:state(ringing) { outline: 3px solid rgb(5, 5, 5); }
      seat-split[data-state='connected'] { outline-offset: 7px; }
      seat-caller:state(queued) { outline: 3px solid rgb(3, 3, 3); }
      seat-caller:state(connected) { outline: 3px solid rgb(4, 4, 4); }
      seat-caller[data-state='queued'] { outline-offset: 9px; }
      multi-seat:state(ringing) { outline: 3px solid rgb(6, 6, 6); }
      multi-seat[data-attention] { outline-offset: 5px; }
      multi-seat:state(reconnecting) { outline: 3px dashed rgb(7, 7, 7); }
    `);
    before(() => {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    });
    after(() => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    });

    it('a pane inside <multi-seat> matches :state(idle|ringing|connected); multi-seat::part(split):state(…) styles it', async () => {
      const sim = newSim();
      const el = await seat(sim, '');
      const s0 = splitEl(el, 0);
      await settle(s0);
      expect(s0.matches(':state(idle)')).to.equal(true);
      expect(s0.dataset.state).to.equal('idle');
      await el.store!.ready();
      await placeCall(sim, 'cust-a', 'Ann');
      await splitState(el, 0, 'ringing');
      await settle(s0);
      expect(s0.matches(':state(ringing)')).to.equal(true);
      expect(s0.matches(':state(idle)')).to.equal(false);
      expect(getComputedStyle(s0).outlineColor).to.equal('rgb(1, 1, 1)');
      await el.store!.answer(0);
      await splitState(el, 0, 'connected');
      await settle(s0);
      expect(s0.matches(':state(connected)')).to.equal(true);
      expect(s0.matches(':state(ringing)')).to.equal(false);
      expect(s0.dataset.state).to.equal('connected');
      expect(getComputedStyle(s0).outlineColor).to.equal('rgb(2, 2, 2)');
      expect(getComputedStyle(splitEl(el, 1)).outlineStyle, 'an idle pane is not styled').to.equal('none');
    });

    it('<multi-seat> matches :state(online|ready|not-ready|ringing|attention), reflects each as data-…, and a page stylesheet styles it', async () => {
      const sim = newSim();
      const el = await seat(sim, '');
      const states = () => ['connecting', 'online', 'reconnecting', 'offline', 'ready', 'not-ready', 'ringing', 'attention'].filter((x) => el.matches(`:state(${x})`));
      const data = () => ['connecting', 'online', 'reconnecting', 'offline', 'ready', 'not-ready', 'ringing', 'attention'].filter((x) => el.hasAttribute(`data-${x}`));
      expect(states()).to.deep.equal(['online', 'not-ready']);
      expect(data(), 'the same as data attributes').to.deep.equal(['online', 'not-ready']);
      await el.store!.ready();
      await settle(el);
      expect(states()).to.deep.equal(['online', 'ready']);
      const ann = await placeCall(sim, 'cust-a', 'Ann');
      await splitState(el, 0, 'ringing');
      await settle(el);
      expect(states()).to.deep.equal(['online', 'ready', 'ringing']);
      expect(data()).to.deep.equal(['online', 'ready', 'ringing']);
      expect(getComputedStyle(el).outlineColor).to.equal('rgb(6, 6, 6)');
      await el.store!.answer(0);
      await splitState(el, 0, 'connected');
      await settle(el);
      expect(states(), 'no split rings any more').to.deep.equal(['online', 'ready']);
      expect(getComputedStyle(el).outlineStyle).to.equal('none');
      await el.store!.focus(null);
      await ann.attention(true);
      await until(() => el.store!.getState().attention.length === 1);
      await settle(el);
      expect(states()).to.deep.equal(['online', 'ready', 'attention']);
      expect(getComputedStyle(el).outlineOffset).to.equal('5px');
      await el.store!.focus(0);
      await until(() => el.store!.getState().attention.length === 0);
      await settle(el);
      expect(states(), 'focus clears the request').to.deep.equal(['online', 'ready']);
      expect(el.hasAttribute('data-attention')).to.equal(false);
    });

    it('<multi-seat> matches :state(reconnecting) while its connection is down, then :state(online) again', async () => {
      FakeSocket.reset();
      const store = new SeatStore(
        new WebSocketControlClient<AgentMessage>({ url: 'ws://cc.test', token: 't', role: 'agent', WebSocket: FakeSocket as never, backoff: { initialMs: 3000, jitter: 0, spreadMs: 3000 }, random: () => 0.99 }),
      );
      const el = await fixture<MultiSeat>(html`<multi-seat .store=${store} .mediaAdapter=${new FakeMediaAdapter({ audio: false })}></multi-seat>`);
      await settle(el);
      expect(el.matches(':state(connecting)')).to.equal(true);
      expect(el.matches(':state(ready)') || el.matches(':state(not-ready)'), 'no readiness before sign-in').to.equal(false);
      FakeSocket.last.open();
      FakeSocket.last.acceptHello();
      FakeSocket.last.reply({ type: 'seat', seat: { seatId: 'seat-9', version: 1, ready: true, notReadyReason: null, focus: null, splits: [0, 1].map((i) => ({ index: i, channel: `seat-9:${i}`, state: 'idle', call: null })) } });
      await until(() => el.store!.getState().connection.state === 'online');
      await settle(el);
      expect(el.matches(':state(online)') && el.matches(':state(ready)')).to.equal(true);
      FakeSocket.last.serverClose(1006);
      await settle(el);
      expect(el.matches(':state(reconnecting)')).to.equal(true);
      expect(el.matches(':state(online)')).to.equal(false);
      expect(el.hasAttribute('data-reconnecting')).to.equal(true);
      expect(getComputedStyle(el).outlineColor).to.equal('rgb(7, 7, 7)');
      el.remove();
      store.dispose();
    });

    it('a <seat-split> on the page is styled by seat-split:state(…) and by its data-state attribute', async () => {
      const sim = newSim();
      const store = new SeatStore(sim.agent('seat-9', 1));
      const split = await fixture<SeatSplit>(html`<seat-split .store=${store} .mediaAdapter=${null} index="0" ring="off" preview="off"></seat-split>`);
      await settle(split);
      expect(split.matches(':state(idle)')).to.equal(true);
      await store.ready();
      await placeCall(sim, 'cust-a', 'Ann');
      await until(() => store.getState().seat?.splits[0]?.state === 'ringing');
      await settle(split);
      expect(split.matches(':state(ringing)')).to.equal(true);
      expect(getComputedStyle(split).outlineColor).to.equal('rgb(5, 5, 5)');
      await store.answer(0);
      await until(() => store.getState().seat?.splits[0]?.state === 'connected');
      await settle(split);
      expect(split.matches(':state(connected)')).to.equal(true);
      expect(getComputedStyle(split).outlineOffset).to.equal('7px');
    });

    it('<seat-caller> matches :state(none|queued|connected) and reflects data-state; a page stylesheet styles it', async () => {
      const sim = newSim();
      const agent = new SeatStore(sim.agent('seat-1', 1));
      const el = await caller(sim, '');
      expect(el.matches(':state(none)')).to.equal(true);
      button(el, 'call')!.click();
      await until(() => el.call?.state === 'queued');
      await settle(el);
      expect(el.matches(':state(queued)')).to.equal(true);
      expect(el.matches(':state(none)')).to.equal(false);
      expect(el.dataset.state).to.equal('queued');
      expect(getComputedStyle(el).outlineColor).to.equal('rgb(3, 3, 3)');
      expect(getComputedStyle(el).outlineOffset).to.equal('9px');
      await agent.ready();
      await until(() => agent.getState().seat!.splits[0]!.state === 'ringing');
      await agent.answer(0);
      await until(() => el.call?.state === 'connected');
      await settle(el);
      expect(el.matches(':state(connected)')).to.equal(true);
      expect(el.matches(':state(queued)')).to.equal(false);
      expect(getComputedStyle(el).outlineColor).to.equal('rgb(4, 4, 4)');
    });
  });
});
