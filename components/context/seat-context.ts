import { createContext } from '@lit/context';
import type { MediaAdapter } from '../../core/media-adapter.js';
import type { SeatStore } from '../../core/seat-store.js';

/** The seat's store, provided by `<multi-seat>` to the panes inside it. */
export const seatStoreContext = createContext<SeatStore | undefined>(Symbol.for('multi-seat/seat-store'));

/**
 * The media adapter the panes join rooms through; `null` while it loads or when media is
 * unavailable (the panes then show calls without video).
 */
export const mediaAdapterContext = createContext<MediaAdapter<MediaStream> | null>(Symbol.for('multi-seat/media-adapter'));
