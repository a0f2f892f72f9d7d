// R22 on the agent's split: a queue with wrap-up codes keeps the split in wrap-up until the agent
// picks one, and the code goes with `wrapup-done` into the record.
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/multi-seat/multi-seat.js';
import type { MultiSeat } from '../../components/multi-seat/multi-seat.component.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { validateQueueConfig } from '../../core/queue-config.js';
import { button, newSim, placeCall, settle, splitEl, splitState, until } from './harness.js';

describe('wrap-up codes on the split (R22)', () => {
  it('R22: Done waits for a code from the queue\'s list; the picked code ends wrap-up', async () => {
    const queues = validateQueueConfig({ queues: { claims: { wrapupCodes: ['resolved', 'follow-up'] } } });
    const sim = newSim({ queues });
    const el = await fixture<MultiSeat>(html`<multi-seat .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="seat-1" splits="1" ring="off" lang="en"></multi-seat>`);
    await settle(el);
    await el.store!.ready();
    await placeCall(sim, 'cust-ann', 'Ann');
    const s0 = await splitState(el, 0, 'ringing');
    s0.answer();
    await splitState(el, 0, 'connected');
    await el.store!.hangup(0);
    await splitState(el, 0, 'wrapup');
    await settle(s0);
    const done = button(s0, 'done')!;
    expect(done.disabled, 'no code picked yet').to.equal(true);
    const select = s0.shadowRoot!.querySelector<HTMLSelectElement>('select[part~="disposition-select"]')!;
    expect([...select.options].map((o) => o.value)).to.deep.equal(['', 'resolved', 'follow-up']);
    select.value = 'follow-up';
    select.dispatchEvent(new Event('change'));
    await settle(s0);
    expect(button(s0, 'done')!.disabled).to.equal(false);
    button(s0, 'done')!.click();
    await splitState(el, 0, 'idle');
    await until(() => splitEl(el, 0).split?.state === 'idle');
  });
});
