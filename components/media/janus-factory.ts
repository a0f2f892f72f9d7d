import type { MediaAdapter } from '../../core/media-adapter.js';

/** Creates the media adapter an element uses when it talks to a real control center. */
export type MediaAdapterFactory = () => Promise<MediaAdapter<MediaStream>>;

/** The Janus adapter, loaded on demand: pages and tests that never meet a server never fetch it. */
export const janusFactory: MediaAdapterFactory = async () => {
  const { JanusMediaAdapter } = await import('./janus-adapter.js');
  return new JanusMediaAdapter();
};
