import { setCustomElementsManifest } from '@storybook/web-components';
import type { Preview } from '@storybook/web-components-vite';
import manifest from '../custom-elements.json';
import { MultiSeat, SeatCaller, SeatSplit } from '../components/index.js';
import { liveGlobalTypes, liveInitialGlobals, withBackend } from '../stories/support/live.js';
import { forStorybook } from '../stories/support/manifest.js';

// The docs pages and the controls read attributes, properties, events, slots, parts and CSS
// custom properties from the manifest the analyzer writes from the elements' JSDoc
// (`npm run analyze`; test/manifest checks it is not stale). A part named like an attribute is
// listed as `::part(name)`, so it does not replace the attribute's row (stories/support/manifest.ts).
setCustomElementsManifest(forStorybook(manifest));

// The tag files (components/*/multi-seat.ts, …) define the tags as a side effect, but package.json's
// `sideEffects` lists only dist/, so a production build (build-storybook) would drop them. Define
// here, explicitly; define() ignores a tag that is already taken.
MultiSeat.define('multi-seat');
SeatSplit.define('seat-split');
SeatCaller.define('seat-caller');

const preview: Preview = {
  tags: ['autodocs'],
  // Backend toolbar: 'simulator' (default, offline) or 'live' against the demo server (`npm start`);
  // stories/support/live.ts.
  globalTypes: liveGlobalTypes,
  initialGlobals: liveInitialGlobals,
  decorators: [withBackend],
  parameters: {
    layout: 'padded',
    controls: {
      expanded: true,
      sort: 'requiredFirst',
      matchers: { color: /^--seat-color-/ },
    },
    docs: { toc: false },
  },
};

export default preview;
