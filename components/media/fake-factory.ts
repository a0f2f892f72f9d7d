import type { MediaAdapterFactory } from './janus-factory.js';

/**
 * The fake adapter of the no-`server` mode, loaded on demand like the Janus one: pages that always
 * set `server` never fetch it.
 */
export const fakeFactory: MediaAdapterFactory = async () => {
  const { FakeMediaAdapter } = await import('./fake-adapter.js');
  return new FakeMediaAdapter();
};
