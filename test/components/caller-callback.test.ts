// R21 on the customer's page: past the queue's longest wait the customer is offered a callback,
// takes it with one button, and is told to keep the page open for the agent's call.
import { expect, fixture, html } from '@open-wc/testing';
import '../../components/seat-caller/seat-caller.js';
import type { SeatCaller } from '../../components/seat-caller/seat-caller.component.js';
import { FakeMediaAdapter } from '../../components/media/fake-adapter.js';
import { validateQueueConfig } from '../../core/queue-config.js';
import { button, newSim, part, settle, text, until } from './harness.js';

describe('<seat-caller> callback (R21)', () => {
  it('R21: the offer shows "Call me back"; taking it says the agent will call', async () => {
    const sim = newSim({ queues: validateQueueConfig({ queues: { claims: { callbackAfterMs: 50 } } }) });
    const el = await fixture<SeatCaller>(html`<seat-caller .simulator=${sim} .mediaAdapter=${new FakeMediaAdapter({ audio: false })} token="cust-cb" queue="claims" name="Cy" lang="en"></seat-caller>`);
    await settle(el);
    button(el, 'call')!.click();
    await until(() => el.call?.state === 'queued');
    await until(() => el.call?.callback === 'offered', 'no callback offered', 3000);
    await settle(el);
    const offer = button(el, 'callback')!;
    expect(text(offer)).to.equal('Call me back');
    offer.click();
    await until(() => el.call?.callback === 'requested', 'callback not taken');
    await settle(el);
    expect(text(part(el, 'status'))).to.equal('We will call you back when an agent is free: keep this page open');
    expect(button(el, 'callback')).to.equal(null);
  });
});
