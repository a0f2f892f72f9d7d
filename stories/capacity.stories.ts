import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import { claimsChart, claimsSurvey } from '../capacity/claims.js';

interface Args {
  ratePerHour: number;
  talkMin: number;
  uploadMin: number;
  talk2Min: number;
  strategy: string;
}

const meta: Meta<Args> = {
  title: 'Capacity/Claims survey',
  parameters: {
    // No element, no backend: the same chart in both Backend modes.
    live: 'unchanged',
    layout: 'padded',
    docs: {
      description: {
        component:
          'How many agents the claims-survey workload needs for each split count, from `claimsChart()` (capacity/claims.ts): the same discrete-event simulation as `npm run capacity`, run in the browser (about a second per change). See the README\'s "Capacity planning" section for the model and its limits.',
      },
    },
  },
  args: {
    ratePerHour: claimsSurvey.ratePerHour,
    talkMin: claimsSurvey.talkMin,
    uploadMin: claimsSurvey.uploadMin,
    talk2Min: claimsSurvey.talk2Min,
    strategy: 'least-busy',
  },
  argTypes: {
    ratePerHour: { name: 'calls per hour', control: { type: 'range', min: 20, max: 400, step: 10 } },
    talkMin: { name: 'first talk (min)', control: { type: 'range', min: 0.5, max: 10, step: 0.5 } },
    uploadMin: { name: 'upload alone (min)', control: { type: 'range', min: 0, max: 30, step: 1 } },
    talk2Min: { name: 'closing talk (min)', control: { type: 'range', min: 0, max: 10, step: 0.5 } },
    strategy: { control: 'select', options: ['least-busy', 'longest-idle', 'round-robin', 'fill-first', 'hold-on-request', 'threshold'] },
  },
  render: (args) => html`<figure style="margin: 0; max-width: 960px">
    ${unsafeSVG(claimsChart({ ratePerHour: args.ratePerHour, talkMin: args.talkMin, uploadMin: args.uploadMin, talk2Min: args.talk2Min, strategy: args.strategy }))}
  </figure>`,
};
export default meta;

/** The README's workload: 120 calls/h, talk 2 min, upload 8 min, closing talk 1.5 min, 80% answered within 20 s. */
export const ClaimsSurvey: StoryObj<Args> = { name: 'Agents needed by split count' };
