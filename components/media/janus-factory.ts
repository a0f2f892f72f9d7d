import type { MediaAdapter } from '../../core/media-adapter.js';

/** What the element asks of the adapter it makes (its attributes); a factory may ignore it. */
export interface MediaAdapterFactoryOptions {
  /** `relay`: TURN relay candidates only (the element's `ice-transport-policy`). */
  iceTransportPolicy?: 'all' | 'relay';
}

/** Creates the media adapter an element uses when it talks to a real control center. */
export type MediaAdapterFactory = (options?: MediaAdapterFactoryOptions) => Promise<MediaAdapter<MediaStream>>;

/** The Janus adapter, loaded on demand: pages and tests that never meet a server never fetch it. */
export const janusFactory: MediaAdapterFactory = async (options = {}) => {
  const { JanusMediaAdapter } = await import('./janus-adapter.js');
  return new JanusMediaAdapter(options.iceTransportPolicy === 'relay' ? { iceTransportPolicy: 'relay' } : {});
};
