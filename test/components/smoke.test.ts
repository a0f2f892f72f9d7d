// janus-gateway and webrtc-adapter load in Chromium the way JANUS.md says (the real elements'
// tests prove the rest of the set-up: Lit, decorators, .js → .ts resolution).
import { expect } from '@open-wc/testing';
import Janus from 'janus-gateway';
import adapter from 'webrtc-adapter';

describe('browser test set-up', () => {
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
