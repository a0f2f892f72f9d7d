// SplitMedia is the pane's media logic as a plain class: tested here without an element.
import { expect } from '@open-wc/testing';
import { FakeMediaAdapter, type FakeLeg } from '../../components/media/fake-adapter.js';
import { SplitMedia } from '../../components/seat-split/split-media.js';
import type { JoinOptions, MediaAdapter } from '../../core/media-adapter.js';
import type { MediaInfo } from '../../core/protocol.js';
import { until } from './harness.js';

const room: MediaInfo = { server: 'sim://', room: 7, pin: 'p' };

/** An adapter whose legs have no publish(), as a minimal third-party adapter may be. */
function withoutPublish(inner: FakeMediaAdapter): MediaAdapter<MediaStream> {
  return {
    join: (m: MediaInfo, o: JoinOptions) => {
      const leg = inner.join(m, o);
      return { getState: () => leg.getState(), subscribe: (l) => leg.subscribe(l), setFocused: (f) => leg.setFocused(f), retry: () => leg.retry(), close: () => leg.close() };
    },
    dispose: () => inner.dispose(),
  };
}

describe('SplitMedia', () => {
  it('a preview turns into the answered leg with publish() when the adapter has it', async () => {
    const fake = new FakeMediaAdapter({ audio: false });
    const media = new SplitMedia(() => {});
    media.sync(fake, { media: room, publish: false, focused: false, display: 's:0' });
    await until(() => media.state?.status === 'live');
    media.sync(fake, { media: room, publish: true, focused: true, display: 's:0' });
    await until(() => media.state?.local);
    expect(fake.joined.length).to.equal(1);
    expect(fake.joined[0]!.getState().focused).to.equal(true);
    media.close();
    expect(fake.legs.size).to.equal(0);
  });

  it('without publish(): joins a publishing leg and keeps showing the preview until it is live', async () => {
    const fake = new FakeMediaAdapter({ audio: false, delayMs: 30 });
    const media = new SplitMedia(() => {});
    const adapter = withoutPublish(fake);
    media.sync(adapter, { media: room, publish: false, focused: false, display: 's:0' });
    await until(() => media.state?.status === 'live');
    const preview = media.state!.remote;
    media.sync(adapter, { media: room, publish: true, focused: true, display: 's:0' });
    expect(media.state!.remote, 'the preview video stays on screen').to.equal(preview);
    await until(() => fake.joined[0]!.getState().status === 'closed', 'the preview leg was not closed');
    expect(fake.joined.map((l: FakeLeg) => l.options.publish)).to.deep.equal([false, true]);
    expect(media.state!.remote).to.not.equal(preview);
    media.close();
  });

  it('R10: focus changes go to the leg; a new room closes the old leg', async () => {
    const fake = new FakeMediaAdapter({ audio: false });
    const media = new SplitMedia(() => {});
    media.sync(fake, { media: room, publish: true, focused: false, display: 's:0' });
    media.sync(fake, { media: room, publish: true, focused: true, display: 's:0' });
    expect(fake.joined[0]!.getState().focused).to.equal(true);
    media.sync(fake, { media: { ...room, room: 8 }, publish: true, focused: true, display: 's:0' });
    expect(fake.joined[0]!.getState().status).to.equal('closed');
    expect(fake.joined.length).to.equal(2);
    media.sync(fake, null);
    expect(fake.legs.size).to.equal(0);
  });

  it('a call moved to another Janus (new server and room): the old leg closes, a new one joins as before; the same room (a new object, another token) keeps its leg', async () => {
    const fake = new FakeMediaAdapter({ audio: false });
    const media = new SplitMedia(() => {});
    const onA: MediaInfo = { server: 'ws://a', room: 7, pin: 'p', token: 't1', party: 'agent:s' };
    media.sync(fake, { media: onA, publish: true, focused: true, display: 's:0' });
    await until(() => media.state?.status === 'live');
    media.sync(fake, { media: { ...onA, token: 't2' }, publish: true, focused: true, display: 's:0' });
    expect(fake.joined.length, 'an unchanged room keeps its leg').to.equal(1);

    const onB: MediaInfo = { server: 'ws://b', room: 9, pin: 'q', token: 't3', party: 'agent:s' };
    media.sync(fake, { media: onB, publish: true, focused: true, display: 's:0' });
    expect(fake.joined[0]!.getState().status, 'the old leg is closed').to.equal('closed');
    expect(fake.joined.length).to.equal(2);
    const leg = fake.joined[1]!;
    expect([leg.media.server, leg.media.room, leg.options.publish, leg.options.focused]).to.deep.equal(['ws://b', 9, true, true]);
    await until(() => media.state?.status === 'live');
    expect(fake.legs.size, 'only the new leg is open').to.equal(1);
    media.close();
  });
});
