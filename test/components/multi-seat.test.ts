import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import { FakeMediaAdapter, type FakeMediaOptions } from '../../components/media/fake-adapter.js';
import type { SeatSplit } from '../../components/seat-split/seat-split.component.js';
import type { CallerStore } from '../../core/caller-store.js';
import type { Simulator } from '../../core/simulator.js';
import { button, newSim, part, placeCall, settle, splitEl, splitState, text, until } from './harness.js';

interface Opts {
  splits?: string;
  ring?: string;
  keyboard?: string;
  preview?: string;
  lang?: string;
  token?: string;
  media?: FakeMediaOptions;
}

async function seat(sim: Simulator, o: Opts = {}): Promise<MultiSeat> {
  const media = new FakeMediaAdapter({ audio: false, ...o.media });
  const el = await fixture<MultiSeat>(
    html`<multi-seat
      .simulator=${sim}
      .mediaAdapter=${media}
      token=${o.token ?? 'seat-1'}
      splits=${o.splits ?? '2'}
      ring=${o.ring ?? 'off'}
      keyboard=${o.keyboard ?? 'on'}
      preview=${o.preview ?? 'on'}
      lang=${o.lang ?? 'en'}
    ></multi-seat>`,
  );
  await settle(el);
  return el;
}

async function ready(el: MultiSeat): Promise<void> {
  await el.store!.ready();
  await settle(el);
}

/** A seat with one connected call per given customer, answered in order (the last answered has focus). */
async function connected(sim: Simulator, el: MultiSeat, names: string[]): Promise<CallerStore[]> {
  await ready(el);
  const callers: CallerStore[] = [];
  for (const [i, name] of names.entries()) {
    callers.push(await placeCall(sim, `cust-${name}`, name));
    const s = await splitState(el, i, 'ringing');
    await until(() => el.store!.getState().seat!.splits[i]!.call!.media, 'room never ready');
    s.answer();
    await splitState(el, i, 'connected');
  }
  return callers;
}

function fakeMedia(el: MultiSeat): FakeMediaAdapter {
  return el.mediaAdapter as FakeMediaAdapter;
}

function video(split: SeatSplit, name: string): HTMLVideoElement | null {
  return split.shadowRoot!.querySelector<HTMLVideoElement>(`video[part~="${name}"]`);
}

describe('<multi-seat> and <seat-split>', () => {
  it('idle: renders the seat bar and one pane per split, and is accessible', async () => {
    const el = await seat(newSim(), { splits: '3' });
    expect(el.shadowRoot!.querySelectorAll('seat-split').length).to.equal(3);
    expect(text(part(el, 'seat-id'))).to.equal('seat-1');
    expect(text(part(el, 'connection'))).to.contain('Online');
    expect(text(part(el, 'waiting'))).to.equal('0 calls waiting');
    expect(button(el, 'ready-switch')!.getAttribute('aria-checked')).to.equal('false');
    const s0 = splitEl(el, 0);
    expect(s0.dataset.state).to.equal('idle');
    expect(text(part(s0, 'state-badge'))).to.equal('Idle');
    expect(button(s0, 'dial')).to.exist;
    expect(el.store!.getState().seat!.splits.length, 'the headless store is the same').to.equal(3);
    await expect(el).to.be.accessible();
  });

  it('R1: splits defaults to 2; layout reflects', async () => {
    const el = await fixture<MultiSeat>(html`<multi-seat .simulator=${newSim()} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} layout="row"></multi-seat>`);
    await settle(el);
    expect(el.shadowRoot!.querySelectorAll('seat-split').length).to.equal(2);
    expect(el.getAttribute('layout')).to.equal('row');
  });

  it('splits changes while every split is idle: the seat signs in again with the new count', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await ready(el);
    const errors: unknown[] = [];
    el.addEventListener('seat-error', (e) => errors.push(e.detail));
    el.splits = 4;
    await until(() => el.shadowRoot!.querySelectorAll('seat-split').length === 4, 'the seat kept its old panes');
    expect(el.store!.getState().seat!.splits.length).to.equal(4);
    expect(sim.engine.seat('seat-1')!.splits.length, 'the control center has the new count').to.equal(4);
    el.setAttribute('splits', '1');
    await until(() => el.shadowRoot!.querySelectorAll('seat-split').length === 1, 'the attribute did not apply');
    expect(errors).to.deep.equal([]);
  });

  it('splits changes while every split is idle: the seat keeps its readiness (ready stays ready and gets calls; a not-ready reason stays)', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await ready(el);
    const changes: boolean[] = [];
    el.addEventListener('seat-ready-change', (e) => changes.push(e.detail.ready));
    el.splits = 3;
    await until(() => el.shadowRoot!.querySelectorAll('seat-split').length === 3, 'the seat kept its old panes');
    await until(() => el.store!.getState().seat?.ready === true, 'the seat came back not ready');
    expect(sim.engine.seat('seat-1')!.ready, 'ready at the control center').to.equal(true);
    await settle(el);
    expect(button(el, 'ready-switch')!.getAttribute('aria-checked')).to.equal('true');
    expect(changes.every((r) => r), 'never shown not ready on the way').to.equal(true);
    await placeCall(sim, 'cust-a', 'Ann');
    await splitState(el, 0, 'ringing');
    await el.store!.reject(0);
    await el.store!.notReady('meeting');
    el.splits = 2;
    await until(() => el.shadowRoot!.querySelectorAll('seat-split').length === 2, 'the seat kept its old panes');
    await until(() => el.store!.getState().seat?.notReadyReason === 'meeting', 'the not-ready reason was lost');
    expect(el.store!.getState().seat!.ready).to.equal(false);
  });

  it('splits changes during a call: refused with a clear seat-error, the attribute reflects the live count, the call goes on', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connected(sim, el, ['Ann']);
    const err = oneEvent(el, 'seat-error');
    el.setAttribute('splits', '4');
    const { detail } = await err;
    expect(detail).to.include({ source: 'config', code: 'splits-busy' });
    expect(detail.message).to.contain('4').and.to.contain('2');
    await settle(el);
    expect(el.getAttribute('splits')).to.equal('2');
    expect(String(el.splits)).to.equal('2');
    expect(el.shadowRoot!.querySelectorAll('seat-split').length).to.equal(2);
    expect(el.store!.getState().seat!.splits[0]!.state).to.equal('connected');
    expect(text(part(el, 'message'))).to.contain('4');
  });

  it('splits: signing in again within the grace with another count gets a clear seat-error; the seat keeps its splits and its call', async () => {
    const sim = newSim();
    const first = await seat(sim);
    await connected(sim, first, ['Ann']);
    first.remove(); // a reload: the seat is lost, its grace period runs
    await settle(first);
    const errors: { code: string; message: string }[] = [];
    const onError = (e: Event) => errors.push((e as CustomEvent).detail);
    document.addEventListener('seat-error', onError);
    try {
      const el = await seat(sim, { splits: '4' });
      await until(() => errors.length > 0, 'no seat-error');
      expect(errors[0]).to.include({ code: 'splits-kept' });
      expect(errors[0]!.message).to.contain('4').and.to.contain('2');
      await settle(el);
      expect(el.getAttribute('splits')).to.equal('2');
      expect(el.shadowRoot!.querySelectorAll('seat-split').length).to.equal(2);
      expect(el.store!.getState().seat!.splits[0]!.state, 'the call is still there').to.equal('connected');
      expect(errors.length).to.equal(1);
    } finally {
      document.removeEventListener('seat-error', onError);
    }
  });

  it('R3/R17: the ready switch turns the seat ready and back with a reason', async () => {
    const el = await seat(newSim());
    const on = oneEvent(el, 'seat-ready-change');
    button(el, 'ready-switch')!.click();
    expect((await on).detail).to.deep.equal({ ready: true, reason: null });
    await settle(el);
    expect(button(el, 'ready-switch')!.getAttribute('aria-checked')).to.equal('true');
    const off = oneEvent(el, 'seat-ready-change');
    button(el, 'ready-switch')!.click();
    expect((await off).detail).to.deep.equal({ ready: false, reason: 'break' });
  });

  it('R2: the first call rings split 0 alone; the second waits silently until the agent answers', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await ready(el);
    const offer = oneEvent(el, 'seat-offer');
    await placeCall(sim, 'cust-a', 'Ann');
    await placeCall(sim, 'cust-b', 'Bo');
    const ev = await offer;
    expect(ev.detail.split).to.equal(0);
    expect(ev.detail.call.customer.name).to.equal('Ann');
    expect(ev.detail.virtualSeat).to.equal('seat-1:0');
    const s0 = await splitState(el, 0, 'ringing');
    expect(splitEl(el, 1).dataset.state).to.equal('idle');
    await until(() => text(part(el, 'waiting')) === '1 call waiting');
    const answered = oneEvent(el, 'seat-answer');
    button(s0, 'answer')!.click();
    const a = await answered;
    expect(a.detail).to.include({ split: 0, virtualSeat: 'seat-1:0' });
    expect(a.detail.call.customer.name).to.equal('Ann');
    await splitState(el, 1, 'ringing');
  });

  it('ringing: animated border state, customer name, Answer/Reject with accessible names, ARIA announcement', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await ready(el);
    await placeCall(sim, 'cust-a', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    expect(s0.dataset.state).to.equal('ringing');
    expect(getComputedStyle(part(s0, 'pane')!).animationName).to.equal('ring');
    expect(text(part(s0, 'customer-name'))).to.equal('Ann');
    expect(button(s0, 'answer')!.getAttribute('aria-label')).to.equal('Answer Ann (split 1)');
    expect(text(button(s0, 'reject'))).to.equal('Reject');
    expect(text(s0.shadowRoot!.querySelector('[aria-live="assertive"]'))).to.equal('Incoming call from Ann on split 1');
    await expect(el).to.be.accessible();
  });

  it('R8: Reject sends the call back to the queue', async () => {
    const sim = newSim();
    const el = await seat(sim, { splits: '1' });
    await ready(el);
    await placeCall(sim, 'cust-a', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    button(s0, 'reject')!.click();
    await splitState(el, 0, 'idle');
    await until(() => text(part(el, 'waiting')) === '1 call waiting');
  });

  it('preview: a ringing call shows the customer video muted, subscribe only; answering publishes on the same leg', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await ready(el);
    await placeCall(sim, 'cust-a', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    await until(() => video(s0, 'remote-video'), 'no preview video');
    const leg = [...fakeMedia(el).legs][0]!;
    expect(leg.options.publish).to.equal(false);
    expect(video(s0, 'remote-video')!.muted).to.equal(true);
    expect(video(s0, 'self-view')).to.equal(null);
    s0.answer();
    await splitState(el, 0, 'connected');
    await until(() => video(s0, 'self-view'), 'no self-view after answer');
    expect(fakeMedia(el).joined.length, 'no second join: the preview leg publishes').to.equal(1);
    expect(leg.publishing).to.equal(true);
    expect(video(s0, 'remote-video')!.muted, 'focused: heard').to.equal(false);
  });

  it('preview="off": nothing is joined while ringing; answering joins and publishes', async () => {
    const sim = newSim();
    const el = await seat(sim, { preview: 'off' });
    await ready(el);
    await placeCall(sim, 'cust-a', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    await until(() => el.store!.getState().seat!.splits[0]!.call!.media);
    await settle(s0);
    expect(fakeMedia(el).joined.length).to.equal(0);
    s0.answer();
    await until(() => video(s0, 'self-view'));
    expect(fakeMedia(el).joined[0]!.options.publish).to.equal(true);
  });

  it('R9: answering twice (a double click) answers once', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await ready(el);
    await placeCall(sim, 'cust-a', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    let answers = 0;
    let errors = 0;
    el.addEventListener('seat-answer', () => answers++);
    el.addEventListener('seat-error', () => errors++);
    const b = button(s0, 'answer')!;
    b.click();
    b.click();
    s0.answer();
    await splitState(el, 0, 'connected');
    await settle(el);
    expect(answers).to.equal(1);
    expect(errors, 'the repeats are dropped quietly').to.equal(0);
    expect(sim.engine.call(el.store!.getState().seat!.splits[0]!.call!.callId)!.seats).to.deep.equal(['seat-1']);
  });

  it('connected: focused and background panes, timer, virtual seat, buttons; R10 only the focused call is heard', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connected(sim, el, ['Ann', 'Bo']);
    const [s0, s1] = [splitEl(el, 0), splitEl(el, 1)];
    await until(() => video(s0, 'remote-video') && video(s1, 'remote-video'));
    await settle(s0);
    expect(s1.hasAttribute('data-focused'), 'the last answered has focus (R9)').to.equal(true);
    expect(s0.hasAttribute('data-focused')).to.equal(false);
    expect(text(part(s1, 'focus-badge'))).to.equal('In focus');
    expect(part(s0, 'focus-badge')).to.equal(null);
    expect(text(part(s0, 'virtual-seat'))).to.equal('seat-1:0');
    expect(text(part(s0, 'timer'))).to.match(/^0:0\d$/);
    expect(button(s1, 'focus')!.getAttribute('aria-pressed')).to.equal('true');
    expect(button(s0, 'focus')!.getAttribute('aria-pressed')).to.equal('false');
    for (const p of ['consult', 'transfer', 'hangup']) expect(button(s0, p), p).to.exist;
    expect(video(s0, 'remote-video')!.muted, 'background: not heard').to.equal(true);
    expect(video(s1, 'remote-video')!.muted, 'focused: heard').to.equal(false);
    const legs = fakeMedia(el).joined;
    expect(legs.map((l) => l.getState().focused)).to.deep.equal([false, true]);
    await expect(el).to.be.accessible();
  });

  it('R10: clicking a connected pane gives it focus', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connected(sim, el, ['Ann', 'Bo']);
    const s0 = splitEl(el, 0);
    const focus = oneEvent(el, 'seat-focus');
    part(s0, 'stage')!.click();
    const ev = await focus;
    expect(ev.detail.split).to.equal(0);
    expect(ev.detail.virtualSeat).to.equal('seat-1:0');
    expect(ev.detail.call!.customer.name).to.equal('Ann');
    await settle(s0);
    expect(s0.hasAttribute('data-focused')).to.equal(true);
    expect(fakeMedia(el).joined.map((l) => l.getState().focused)).to.deep.equal([true, false]);
  });

  it('R10: the focus button gives focus too', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connected(sim, el, ['Ann', 'Bo']);
    const focus = oneEvent(el, 'seat-focus');
    button(splitEl(el, 0), 'focus')!.click();
    expect((await focus).detail.split).to.equal(0);
  });

  it('R10: Talk is a toggle — pressed (not a primary call to action) on the focused split, reachable, and pressing it again releases focus', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connected(sim, el, ['Ann', 'Bo']);
    const [s0, s1] = [splitEl(el, 0), splitEl(el, 1)];
    await settle(s1);
    const on = button(s1, 'focus')!;
    const off = button(s0, 'focus')!;
    expect(on.getAttribute('aria-pressed')).to.equal('true');
    expect(on.classList.contains('primary'), 'the focused split does not invite a click').to.equal(false);
    expect(getComputedStyle(on).backgroundColor, 'not filled like a primary button').to.not.equal(getComputedStyle(off).backgroundColor);
    expect(on.disabled, 'still reachable by Tab').to.equal(false);
    expect(on.tabIndex).to.equal(0);
    expect(off.getAttribute('aria-pressed')).to.equal('false');
    expect(off.classList.contains('primary'), 'the background split invites the agent to talk').to.equal(true);
    const released = oneEvent(el, 'seat-focus');
    on.click();
    expect((await released).detail.split, 'un-pressing the toggle releases focus').to.equal(null);
    await settle(s1);
    expect(button(s1, 'focus')!.getAttribute('aria-pressed')).to.equal('false');
    const back = oneEvent(el, 'seat-focus');
    button(s1, 'focus')!.click();
    expect((await back).detail.split).to.equal(1);
  });

  it('ring: a tone while the agent is free, a soft beep while talking in another split, none with ring="off"', async () => {
    const sim = newSim();
    const el = await seat(sim, { ring: 'auto' });
    await ready(el);
    await placeCall(sim, 'cust-a', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    expect(s0.dataset.ring).to.equal('tone');
    expect(s0.ringSound).to.equal('tone');
    s0.answer();
    await placeCall(sim, 'cust-b', 'Bo');
    const s1 = await splitState(el, 1, 'ringing');
    expect(s1.dataset.ring).to.equal('beep');
    await settle(s0);
    expect(s0.dataset.ring, 'only the ringing pane sounds').to.equal(undefined);
    el.ring = 'off';
    await settle(el);
    await settle(s1);
    expect(s1.ringSound).to.equal('off');
    s1.answer();
  });

  it('R11: seat-before-hangup can veto; otherwise the call ends and seat-hangup fires', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connected(sim, el, ['Ann']);
    const s0 = splitEl(el, 0);
    const veto = (e: Event) => e.preventDefault();
    el.addEventListener('seat-before-hangup', veto);
    button(s0, 'hangup')!.click();
    await settle(el);
    expect(el.store!.getState().seat!.splits[0]!.state).to.equal('connected');
    el.removeEventListener('seat-before-hangup', veto);
    const before = oneEvent(el, 'seat-before-hangup');
    const hangup = oneEvent(el, 'seat-hangup');
    button(s0, 'hangup')!.click();
    expect((await before).detail.call.customer.name).to.equal('Ann');
    const ev = await hangup;
    expect(ev.detail).to.include({ split: 0, reason: 'ended', virtualSeat: 'seat-1:0' });
    await splitState(el, 0, 'idle');
    await until(() => fakeMedia(el).legs.size === 0, 'the leg was not closed on hang-up');
  });

  it('R11: the veto holds for every path: store.hangup() and Alt+H fire seat-before-hangup too, and a veto keeps the call without a seat-error', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connected(sim, el, ['Ann']);
    const errors: unknown[] = [];
    el.addEventListener('seat-error', (e) => errors.push(e.detail));
    const asked: string[] = [];
    const veto = (e: CustomEvent<{ call: { customer: { name?: string } } }>) => {
      asked.push(e.detail.call.customer.name ?? '');
      e.preventDefault();
    };
    el.addEventListener('seat-before-hangup', veto as EventListener);
    let code = '';
    await el.store!.hangup(0).catch((e: { code: string }) => (code = e.code));
    expect(code).to.equal('locally-refused');
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyH', altKey: true }));
    await settle(el);
    expect(asked).to.deep.equal(['Ann', 'Ann']);
    expect(el.store!.getState().seat!.splits[0]!.state).to.equal('connected');
    expect(text(part(splitEl(el, 0), 'state-badge'))).to.equal('Connected');
    expect(errors).to.deep.equal([]);
    el.removeEventListener('seat-before-hangup', veto as EventListener);
    const hangup = oneEvent(el, 'seat-hangup');
    await el.store!.hangup(0);
    expect((await hangup).detail.split).to.equal(0);
  });

  it('R11: the customer hanging up fires seat-hangup too (derived from the snapshot)', async () => {
    const sim = newSim();
    const el = await seat(sim);
    const [ann] = await connected(sim, el, ['Ann']);
    const hangup = oneEvent(el, 'seat-hangup');
    const focus = oneEvent(el, 'seat-focus');
    await ann!.hangup();
    expect((await hangup).detail.call.customer.name).to.equal('Ann');
    expect((await focus).detail.split, 'R10: nobody has focus').to.equal(null);
  });

  it('R11: wrap-up shows the finished call (customer, virtual seat, wrap-up timer) and Done, which frees the split', async () => {
    const sim = newSim({ wrapupMs: 60_000 });
    const el = await seat(sim);
    const [ann] = await connected(sim, el, ['Ann']);
    const hangup = oneEvent(el, 'seat-hangup');
    await ann!.hangup();
    expect((await hangup).detail, 'the call left the split for wrap-up').to.include({ split: 0, reason: 'ended', virtualSeat: 'seat-1:0' });
    const s0 = await splitState(el, 0, 'wrapup');
    expect(text(part(s0, 'state-badge'))).to.equal('Wrap-up');
    expect(text(part(s0, 'customer-name'))).to.equal('Ann');
    expect(text(part(s0, 'virtual-seat'))).to.equal('seat-1:0');
    expect(text(part(s0, 'timer'))).to.match(/^0:0\d$/);
    expect(part(s0, 'timer')!.getAttribute('aria-label')).to.match(/^Wrap-up time 0:0\d$/);
    const placeholder = text(part(s0, 'placeholder'));
    expect(placeholder).to.contain('Ann');
    expect(placeholder, 'not the idle placeholder').to.not.contain('Idle');
    expect(placeholder, 'wrap-up never has a room: no "video off" warning').to.not.contain('Video off');
    expect(button(s0, 'done')!.getAttribute('aria-label')).to.equal('Done with Ann (split 1)');
    expect(fakeMedia(el).legs.size, 'no media in wrap-up').to.equal(0);
    await expect(el).to.be.accessible();
    button(s0, 'done')!.click();
    await splitState(el, 0, 'idle');
  });

  it('R12: Dial from an idle split; the customer accepts; the pane connects', async () => {
    const sim = newSim();
    const el = await seat(sim);
    const { CallerStore } = await import('../../core/caller-store.js');
    const cust = new CallerStore(sim.caller('cust-z'));
    const s0 = splitEl(el, 0);
    button(s0, 'dial')!.click();
    await settle(s0);
    const input = s0.shadowRoot!.querySelector<HTMLInputElement>('input[part~="target"]')!;
    expect(input.labels?.[0]?.textContent).to.contain('Customer id');
    input.value = 'cust-z';
    button(s0, 'submit')!.click();
    await splitState(el, 0, 'dialing');
    expect(text(part(s0, 'state-badge'))).to.equal('Dialing');
    expect(button(s0, 'hangup')).to.exist;
    await until(() => cust.getState().call?.state === 'ringing');
    const answer = oneEvent(el, 'seat-answer');
    await cust.accept();
    expect((await answer).detail.call.kind).to.equal('outbound');
  });

  for (const [lang, want] of [['en', 'Calling cust-1…'], ['zh-CN', '正在呼叫 cust-1…']] as const) {
    it(`R12 (${lang}): the dialing pane says whom it calls, not the raw id as if it were a name`, async () => {
      const sim = newSim();
      const el = await seat(sim, { lang });
      const { CallerStore } = await import('../../core/caller-store.js');
      new CallerStore(sim.caller('cust-1'));
      await el.store!.dial(0, 'cust-1');
      const s0 = await splitState(el, 0, 'dialing');
      expect(el.store!.getState().seat!.splits[0]!.call!.customer.name, 'outbound calls carry no name').to.equal(null);
      expect(text(part(s0, 'customer-name'))).to.equal(want);
      expect(text(part(s0, 'placeholder'))).to.equal(want);
      expect(part(s0, 'pane')!.getAttribute('aria-label')).to.contain(want);
    });
  }

  it('R13: consult another seat, then complete the warm transfer', async () => {
    const sim = newSim();
    const a = await seat(sim, { token: 'seat-1' });
    const b = await seat(sim, { token: 'seat-2' });
    await connected(sim, a, ['Ann']);
    await b.store!.ready();
    const s0 = splitEl(a, 0);
    const started = oneEvent(a, 'seat-consult');
    button(s0, 'consult')!.click();
    await settle(s0);
    s0.shadowRoot!.querySelector<HTMLInputElement>('input[part~="target"]')!.value = 'seat-2';
    button(s0, 'submit')!.click();
    expect((await started).detail).to.include({ to: 'seat-2', state: 'started' });
    await splitState(a, 0, 'consulting');
    expect(text(part(s0, 'state-badge'))).to.equal('Consulting');
    expect(button(s0, 'complete-transfer')!.disabled, 'not before the other seat answers').to.equal(true);
    expect(button(s0, 'cancel-consult')).to.exist;
    await expect(a).to.be.accessible();
    const b0 = await splitState(b, 0, 'ringing');
    expect(text(part(b0, 'customer'))).to.contain('Consult from seat-1');
    const answered = oneEvent(a, 'seat-consult');
    b0.answer();
    expect((await answered).detail.state).to.equal('answered');
    await until(() => !button(s0, 'complete-transfer')?.disabled);
    const transfer = oneEvent(a, 'seat-transfer');
    const hangup = oneEvent(a, 'seat-hangup');
    button(s0, 'complete-transfer')!.click();
    expect((await transfer).detail).to.deep.include({ to: { seat: 'seat-2' }, mode: 'warm' });
    expect((await hangup).detail.reason).to.equal('transferred');
    await splitState(a, 0, 'idle');
  });

  it('R13: cancel consult resumes the customer', async () => {
    const sim = newSim();
    const a = await seat(sim, { token: 'seat-1' });
    await seat(sim, { token: 'seat-2' });
    await connected(sim, a, ['Ann']);
    await a.store!.consult(0, 'seat-2');
    const s0 = await splitState(a, 0, 'consulting');
    const ended = oneEvent(a, 'seat-consult');
    button(s0, 'cancel-consult')!.click();
    expect((await ended).detail.state).to.equal('ended');
    await splitState(a, 0, 'connected');
  });

  it('R14: blind transfer to a queue through the inline form', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await connected(sim, el, ['Ann']);
    const s0 = splitEl(el, 0);
    button(s0, 'transfer')!.click();
    await settle(s0);
    const kind = s0.shadowRoot!.querySelector<HTMLSelectElement>('select[part~="transfer-kind"]')!;
    kind.value = 'queue';
    kind.dispatchEvent(new Event('change'));
    await settle(s0);
    s0.shadowRoot!.querySelector<HTMLInputElement>('input[part~="target"]')!.value = 'vip';
    const transfer = oneEvent(el, 'seat-transfer');
    const hangup = oneEvent(el, 'seat-hangup');
    let transfers = 0;
    el.addEventListener('seat-transfer', () => transfers++);
    button(s0, 'submit')!.click();
    expect((await transfer).detail).to.deep.include({ to: { queue: 'vip' }, mode: 'blind' });
    expect((await hangup).detail.reason).to.equal('transferred');
    await new Promise((r) => setTimeout(r, 50));
    await settle(el);
    expect(transfers, 'once per transfer').to.equal(1);
  });

  it('R14: seat-transfer fires for a headless store.transfer() too, into wrap-up, with the detail the pane gave', async () => {
    const sim = newSim({ wrapupMs: 60_000 });
    const el = await seat(sim);
    await connected(sim, el, ['Ann']);
    const events: string[] = [];
    el.addEventListener('seat-transfer', () => events.push('transfer'));
    el.addEventListener('seat-hangup', (e) => events.push(`hangup:${e.detail.reason}`));
    const transfer = oneEvent(el, 'seat-transfer');
    await el.store!.transfer(0, { queue: 'vip' });
    const ev = await transfer;
    expect(ev.detail).to.deep.include({ split: 0, virtualSeat: 'seat-1:0', mode: 'blind', to: { queue: 'vip' } });
    expect(ev.detail.call.customer.name).to.equal('Ann');
    expect(ev.bubbles && ev.composed).to.equal(true);
    await splitState(el, 0, 'wrapup');
    await settle(el);
    expect(events).to.deep.equal(['transfer', 'hangup:transferred']);
  });

  it('R13: completing a consult headless fires a warm seat-transfer to the consulted seat', async () => {
    const sim = newSim();
    const a = await seat(sim, { token: 'seat-1' });
    const b = await seat(sim, { token: 'seat-2' });
    await connected(sim, a, ['Ann']);
    await b.store!.ready();
    await a.store!.consult(0, 'seat-2');
    await splitState(b, 0, 'ringing');
    await b.store!.answer(0);
    await until(() => a.store!.getState().seat!.splits[0]!.call?.consult?.state === 'connected');
    const transfer = oneEvent(a, 'seat-transfer');
    await a.store!.transfer(0, { seat: 'seat-2' });
    expect((await transfer).detail).to.deep.include({ split: 0, mode: 'warm', to: { seat: 'seat-2' } });
  });

  it('R18: a customer asking for the agent shows a badge with its waiting time, longest first, and focus clears it', async () => {
    const sim = newSim();
    const el = await seat(sim, { splits: '3' });
    const [ann, bo] = await connected(sim, el, ['Ann', 'Bo', 'Cy']);
    const attention = oneEvent(el, 'seat-attention');
    await bo!.attention(true);
    const ev = await attention;
    expect(ev.detail).to.include({ split: 1 });
    expect(ev.detail.order).to.deep.equal([1]);
    await new Promise((r) => setTimeout(r, 5));
    await ann!.attention(true);
    const [s0, s1] = [splitEl(el, 0), splitEl(el, 1)];
    await until(() => part(s0, 'attention'));
    await settle(s1);
    expect(text(part(s1, 'attention'))).to.match(/^Asked for you 0:0\d ago · 1\/2$/);
    expect(part(s1, 'attention')!.hasAttribute('data-first')).to.equal(true);
    expect(text(part(s0, 'attention'))).to.contain('2/2');
    expect(s1.hasAttribute('data-attention')).to.equal(true);
    expect(text(s1.shadowRoot!.querySelector('[aria-live="assertive"]'))).to.equal('Bo on split 2 asks for you');
    button(s1, 'focus')!.click();
    await until(() => !part(s1, 'attention'));
    await settle(s0);
    expect(text(part(s0, 'attention'))).to.not.contain('/');
  });

  it('keyboard: Alt+A answers the ringing split, Alt+1…8 focus a split, Alt+H hangs up the focused split', async () => {
    const sim = newSim();
    const el = await seat(sim);
    await ready(el);
    const key = (code: string) => window.dispatchEvent(new KeyboardEvent('keydown', { code, altKey: true, bubbles: true }));
    await placeCall(sim, 'cust-a', 'Ann');
    await splitState(el, 0, 'ringing');
    key('KeyA');
    await splitState(el, 0, 'connected');
    await placeCall(sim, 'cust-b', 'Bo');
    await splitState(el, 1, 'ringing');
    key('KeyA');
    await splitState(el, 1, 'connected');
    key('Digit1');
    await until(() => el.store!.getState().seat!.focus === 0);
    await settle(splitEl(el, 0));
    expect(splitEl(el, 0).shadowRoot!.activeElement, 'keyboard focus moved into the pane').to.exist;
    const hangup = oneEvent(el, 'seat-hangup');
    key('KeyH');
    expect((await hangup).detail.split).to.equal(0);
  });

  it('keyboard, two seats on one page: only the seat holding the focus reacts, else the first on the page', async () => {
    const [simA, simB] = [newSim(), newSim()];
    const wrap = await fixture<HTMLDivElement>(html`<div>
      <button id="outside">outside</button>
      <multi-seat .simulator=${simA} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-a" ring="off" lang="en"></multi-seat>
      <multi-seat .simulator=${simB} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-b" ring="off" lang="en"></multi-seat>
    </div>`);
    const [a, b] = [...wrap.querySelectorAll('multi-seat')] as MultiSeat[];
    await settle(a!);
    await settle(b!);
    await ready(a!);
    await ready(b!);
    await placeCall(simA, 'cust-a', 'Ann');
    await placeCall(simB, 'cust-b', 'Bo');
    await splitState(a!, 0, 'ringing');
    await splitState(b!, 0, 'ringing');
    // A real key goes to the focused element and bubbles, composed, to the window.
    const altA = (target: Element) => target.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyA', key: 'a', altKey: true, bubbles: true, composed: true }));
    const states = () => [a!, b!].map((s) => s.store!.getState().seat!.splits[0]!.state);

    // Focus in neither seat: the first one on the page answers, the second keeps ringing.
    const outside = wrap.querySelector<HTMLButtonElement>('#outside')!;
    outside.focus();
    altA(outside);
    await splitState(a!, 0, 'connected');
    await settle(b!);
    expect(states()).to.deep.equal(['connected', 'ringing']);

    // Focus inside the second seat: only it answers (the first has a new call ringing on split 1).
    await placeCall(simA, 'cust-c', 'Cy');
    await splitState(a!, 1, 'ringing');
    const inB = button(b!, 'ready-switch')!;
    inB.focus();
    altA(inB);
    await splitState(b!, 0, 'connected');
    await settle(a!);
    expect(a!.store!.getState().seat!.splits[1]!.state, 'the other seat ignores it').to.equal('ringing');

    // Focus inside a pane of the first seat (two shadow roots deep), even if the key reaches the window alone.
    await placeCall(simB, 'cust-d', 'Di');
    await splitState(b!, 1, 'ringing');
    const deep = button(splitEl(a!, 1), 'answer')!;
    deep.focus();
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyA', key: 'a', altKey: true }));
    await splitState(a!, 1, 'connected');
    await settle(b!);
    expect(b!.store!.getState().seat!.splits[1]!.state).to.equal('ringing');
  });

  it('keyboard: keys typed in an editable field (input, textarea, select, contenteditable, also inside a shadow root) are text, not shortcuts', async () => {
    const sim = newSim();
    const wrap = await fixture<HTMLDivElement>(html`<div>
      <textarea id="notes"></textarea><input id="name" /><select id="pick"><option>a</option></select>
      <div id="rich" contenteditable="true"><b id="bold">x</b></div>
      <div id="host"></div>
      <multi-seat .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-1" splits="2" ring="off" lang="en"></multi-seat>
    </div>`);
    const el = wrap.querySelector<MultiSeat>('multi-seat')!;
    await settle(el);
    const shadowInput = wrap.querySelector('#host')!.attachShadow({ mode: 'open' }).appendChild(document.createElement('input'));
    await ready(el);
    await placeCall(sim, 'cust-a', 'Ann');
    await splitState(el, 0, 'ringing');
    const targets = [...wrap.querySelectorAll<HTMLElement>('#notes, #name, #pick, #bold'), shadowInput];
    for (const t of targets) {
      t.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyA', key: 'å', altKey: true, bubbles: true, composed: true }));
    }
    await settle(el);
    expect(el.store!.getState().seat!.splits[0]!.state, 'Alt+A typed in a field answered the call').to.equal('ringing');
    wrap.querySelector('#host')!.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyA', altKey: true, bubbles: true, composed: true }));
    await splitState(el, 0, 'connected');
  });

  it('keyboard="off": the shortcuts do nothing', async () => {
    const sim = newSim();
    const el = await seat(sim, { keyboard: 'off' });
    await ready(el);
    await placeCall(sim, 'cust-a', 'Ann');
    await splitState(el, 0, 'ringing');
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyA', altKey: true }));
    await settle(el);
    expect(el.store!.getState().seat!.splits[0]!.state).to.equal('ringing');
  });

  it('accessible names: every control in every state has one, and shows a focus ring', async () => {
    const sim = newSim();
    const el = await seat(sim, { splits: '3' });
    await connected(sim, el, ['Ann']);
    await placeCall(sim, 'cust-b', 'Bo');
    await splitState(el, 1, 'ringing');
    await settle(splitEl(el, 2));
    const controls = [el, ...el.shadowRoot!.querySelectorAll('seat-split')].flatMap((h) => [...h.shadowRoot!.querySelectorAll<HTMLElement>('button, select, input')]);
    expect(controls.length).to.be.at.least(8);
    for (const c of controls) {
      const name = c.getAttribute('aria-label') || text(c) || (c as HTMLInputElement).labels?.[0]?.textContent;
      expect(name, c.outerHTML).to.be.ok;
    }
    const b = button(splitEl(el, 0), 'hangup')!;
    b.focus();
    // :focus-visible is set for keyboard focus; check the rule exists with an outline
    const rules = [...(splitEl(el, 0).shadowRoot!.adoptedStyleSheets ?? [])].flatMap((s) => [...s.cssRules]).map((r) => r.cssText);
    expect(rules.some((r) => r.includes('focus-visible') && r.includes('outline'))).to.equal(true);
  });

  it('zh-CN: the strings follow lang', async () => {
    const sim = newSim();
    const el = await seat(sim, { lang: 'zh-CN' });
    await ready(el);
    await placeCall(sim, 'cust-a', '李伟');
    const s0 = await splitState(el, 0, 'ringing');
    expect(text(button(s0, 'answer'))).to.equal('应答');
    expect(text(button(s0, 'reject'))).to.equal('拒接');
    expect(text(part(s0, 'index'))).to.equal('分屏 1');
    expect(text(button(el, 'ready-switch'))).to.equal('就绪');
    el.lang = 'en';
    await settle(el);
    await settle(s0);
    expect(text(button(s0, 'answer'))).to.equal('Answer');
  });

  it('zh-CN: a refused command and a media failure are told in Chinese, not with the English detail inside', async () => {
    const sim = newSim();
    const el = await seat(sim, { lang: 'zh-CN', preview: 'off', media: { fail: () => 'cannot reach the media server at ws://127.0.0.1:9: timeout' } });
    await connected(sim, el, ['李伟']);
    const s0 = splitEl(el, 0);
    await until(() => part(s0, 'media-status')?.dataset.status === 'failed');
    const media = text(part(s0, 'media-status'));
    expect(media).to.contain('视频失败').and.to.contain('无法连接媒体服务器');
    expect(media).to.not.contain('cannot reach');

    const err = oneEvent(el, 'seat-error');
    button(s0, 'transfer')!.click();
    await settle(s0);
    s0.shadowRoot!.querySelector<HTMLInputElement>('input[part~="target"]')!.value = 'seat-404';
    s0.shadowRoot!.querySelector<HTMLFormElement>('form')!.requestSubmit();
    const { detail } = await err;
    expect(detail.source).to.equal('command');
    await settle(el);
    const shown = [...el.shadowRoot!.querySelectorAll('[part~="message"]')].map(text).join(' ');
    expect(shown).to.contain('控制中心拒绝了操作');
    expect(shown, 'the English detail is translated').to.not.match(/[a-z]{4,}/);
  });

  it('media failure: the pane shows the error and a Retry that keeps the call', async () => {
    const sim = newSim();
    const el = await seat(sim, { preview: 'off', media: { fail: (_m, _o, attempt) => (attempt === 1 ? 'ICE failed' : null) } });
    await connected(sim, el, ['Ann']);
    const s0 = splitEl(el, 0);
    const err = oneEvent(el, 'seat-error');
    await until(() => part(s0, 'media-status')?.dataset.status === 'failed');
    expect((await err).detail).to.include({ source: 'media', split: 0 });
    expect(text(part(s0, 'media-status'))).to.contain('Video failed: ICE failed');
    expect(s0.dataset.media).to.equal('failed');
    button(s0, 'retry')!.click();
    await until(() => video(s0, 'remote-video'));
    expect(el.store!.getState().seat!.splits[0]!.state).to.equal('connected');
  });

  it('an ordinary end of call: the room closing before the snapshot that ends the call is no seat-error and no "Video failed"', async () => {
    const sim = newSim();
    const el = await seat(sim, { preview: 'off' });
    const [ann] = await connected(sim, el, ['Ann']);
    const s0 = splitEl(el, 0);
    await until(() => video(s0, 'remote-video'));
    const errors: unknown[] = [];
    el.addEventListener('seat-error', (e) => errors.push(e.detail));
    // The control center destroys the room on hang-up; its event beats the seat snapshot.
    [...fakeMedia(el).legs][0]!.roomClosed();
    await settle(s0);
    expect(text(part(s0, 'media-status'))).to.not.contain('Video failed');
    expect(s0.dataset.media).to.not.equal('failed');
    const hangup = oneEvent(el, 'seat-hangup');
    await ann!.hangup();
    await hangup;
    await settle(s0);
    expect(errors).to.deep.equal([]);
  });

  it('a standalone <seat-split> whose index changes shows the other split at once (same store)', async () => {
    const sim = newSim();
    const el = await seat(sim, { preview: 'off' });
    await connected(sim, el, ['Ann', 'Bo']);
    const pane = await fixture<SeatSplit>(html`<seat-split .store=${el.store} index="0" lang="en" ring="off"></seat-split>`);
    expect(text(part(pane, 'customer-name'))).to.equal('Ann');
    pane.index = 1;
    await pane.updateComplete;
    expect(text(part(pane, 'customer-name'))).to.equal('Bo');
    expect(text(part(pane, 'index'))).to.equal('Split 2');
  });

  it('exportparts: a CRM can style a pane button from outside', async () => {
    const el = await seat(newSim());
    const exported = splitEl(el, 0).getAttribute('exportparts')!;
    for (const p of ['answer', 'hangup', 'pane', 'button', 'attention', 'remote-video', 'self-view']) expect(exported).to.contain(p);
  });

  it('without server or simulator: loads the page simulator and fake media on demand; updateComplete waits for them', async () => {
    const el = document.createElement('multi-seat');
    el.setAttribute('token', 'seat-lazy');
    el.setAttribute('ring', 'off');
    document.body.append(el);
    try {
      await el.updateComplete;
      expect(el.store, 'the store exists once updateComplete resolves').to.exist;
      expect(el.mediaAdapter, 'and the fake media adapter').to.be.instanceOf(FakeMediaAdapter);
      await until(() => el.store!.getState().seat?.seatId === 'seat-lazy', 'never signed in to the page simulator');
      expect(text(part(el, 'connection'))).to.contain('Simulator');
    } finally {
      el.remove();
    }
  });
});
