// Smoke tests for the browser test set-up: Lit with experimental decorators renders
// in Chromium, and janus-gateway + webrtc-adapter load the way JANUS.md says.
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, css, html as litHtml } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import Janus from 'janus-gateway';
import adapter from 'webrtc-adapter';
import { textOf } from './smoke-helpers.js';

@customElement('ms-smoke-greeting')
class SmokeGreeting extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  @property() name = 'world';

  override render() {
    return litHtml`<p>Hello, ${this.name}!</p>`;
  }
}

describe('browser test set-up', () => {
  it('renders a Lit element with decorators', async () => {
    const el = await fixture<SmokeGreeting>(html`<ms-smoke-greeting name="seat"></ms-smoke-greeting>`);
    expect(el).to.be.instanceOf(SmokeGreeting);
    expect(textOf(el.shadowRoot)).to.equal('Hello, seat!');

    el.name = 'agent';
    await el.updateComplete;
    expect(textOf(el.shadowRoot)).to.equal('Hello, agent!');
  });

  it('imports janus-gateway with webrtc-adapter and Janus.init calls back', async () => {
    expect(Janus, 'default export of janus-gateway').to.be.a('function');
    expect(adapter.browserDetails.browser).to.equal('chrome');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Janus.init did not call back within 5 s')), 5000);
      Janus.init({
        debug: false,
        dependencies: Janus.useDefaultDependencies({ adapter }),
        callback: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
    expect(Janus.isWebrtcSupported()).to.equal(true);
  });
});
