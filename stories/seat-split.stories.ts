import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { FakeMediaAdapter } from '../components/media/fake-adapter.js';
import { cssArgTypes, frame, logEvents, setAttributes } from './support/controls.js';
import { Scenario, playSeat, type SeatStateName } from './support/scenario.js';

type Args = Record<string, unknown>;

/**
 * A lone `<seat-split>`: given a seat's store directly (no `<multi-seat>` around it), on a fresh
 * simulator brought to `state`. `failFirst` makes the first media attempt fail.
 */
function pane(args: Args, state: SeatStateName, failFirst = false): HTMLElement {
  const sc = new Scenario();
  const store = sc.seat('seat-1', 2);
  const el = document.createElement('seat-split');
  setAttributes(el, Object.fromEntries(['index', 'preview', 'ring', 'ring-volume', ...Object.keys(args).filter((k) => k.startsWith('--'))].map((k) => [k, args[k]])));
  logEvents(el, 'seat-split', args);
  el.store = store;
  el.mediaAdapter = new FakeMediaAdapter(failFirst ? { fail: (_m, _o, attempt) => (attempt === 1 ? 'ICE failed (simulated)' : null) } : {});
  sc.watch(el);
  playSeat(sc, store, state).catch((e: unknown) => sc.active && console.error(e));
  return frame(el, '480px');
}

const meta: Meta<Args> = {
  title: 'Elements/seat-split',
  component: 'seat-split',
  parameters: {
    docs: {
      description: {
        component:
          'One pane, shown alone: the story gives it the store of a two-split seat on the in-browser simulator (inside `<multi-seat>` it gets it through context) and the fake media adapter. `index` picks which of the two splits it shows.',
      },
    },
  },
  args: { index: 0, preview: 'on', ring: 'off', 'ring-volume': 0.3 },
  argTypes: {
    index: { control: { type: 'inline-radio' }, options: [0, 1] },
    preview: { control: 'inline-radio', options: ['on', 'off'] },
    ring: { control: 'select', options: ['auto', 'tone', 'beep', 'off'] },
    'ring-volume': { control: { type: 'range', min: 0, max: 1, step: 0.05 } },
    ...cssArgTypes('multi-seat'),
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Idle: Story = { render: (args) => pane(args, 'ready') };
/** Ringing with the customer's video as a muted preview (`preview="on"`). */
export const Ringing: Story = { args: { ring: 'auto' }, render: (args) => pane(args, 'ringing') };
export const ConnectedInFocus: Story = { name: 'Connected, in focus', render: (args) => pane(args, 'connected-focus') };
/** Split 1 while split 2 has focus: video flows, the agent is not heard (R10). */
export const ConnectedInBackground: Story = { name: 'Connected, in background', render: (args) => pane(args, 'connected-background') };
export const Attention: Story = { name: 'Attention (R18)', render: (args) => pane(args, 'attention') };
export const Dialing: Story = { render: (args) => pane(args, 'dialing') };
export const Consulting: Story = { render: (args) => pane(args, 'consulting') };
export const ConsultAnswered: Story = { name: 'Consulting, answered', render: (args) => pane(args, 'consult-answered') };
export const WrapUp: Story = { name: 'Wrap-up', render: (args) => pane(args, 'wrapup') };
export const MediaFailed: Story = { name: 'Error: media failed', render: (args) => pane(args, 'connected-focus', true) };
