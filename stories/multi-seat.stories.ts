import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { MultiSeat } from '../components/multi-seat/multi-seat.component.js';
import { FakeMediaAdapter } from '../components/media/fake-adapter.js';
import '../themes/dark.css';
import { SeatStore } from '../core/seat-store.js';
import { cssArgTypes, frame, logEvents, setAttributes } from './support/controls.js';
import { loadDefaults, runLoad } from './support/load.js';
import { FlakyClient, Scenario, playSeat, storeOf, type SeatStateName } from './support/scenario.js';

type Args = Record<string, unknown>;

const ATTRS = ['server', 'token', 'splits', 'layout', 'lang', 'keyboard', 'preview', 'ring', 'ring-volume'] as const;

/** A `<multi-seat>` on a fresh simulator, brought to `state` by the simulated control center and customers. */
function seat(args: Args, state: SeatStateName | null, setup?: (el: MultiSeat, sc: Scenario) => void, sc = new Scenario()): HTMLElement {
  const el = document.createElement('multi-seat');
  setAttributes(el, Object.fromEntries([...ATTRS, ...Object.keys(args).filter((k) => k.startsWith('--'))].map((k) => [k, args[k]])));
  logEvents(el, 'multi-seat', args);
  el.simulator = sc.sim;
  setup?.(el, sc);
  sc.watch(el);
  if (state) {
    storeOf(el)
      .then((store) => playSeat(sc, store, state))
      .catch((e: unknown) => sc.active && console.error(e));
  }
  return frame(el);
}

const meta: Meta<Args> = {
  title: 'Elements/multi-seat',
  component: 'multi-seat',
  parameters: {
    docs: {
      description: {
        component:
          'Every story runs on the in-browser simulator (the same dispatch engine as the control center) with the fake media adapter: the videos are canvas patterns, nothing leaves the browser. The seat signs in as `token` (default `seat-1`); simulated customers of the `claims` queue call it. Actions log every `seat-…` event. With the Backend toolbar on Live, the Idle stories sign in to the demo server (`npm start`) with a dev token for `token`; the scripted states stay simulator-only.',
      },
    },
  },
  args: { token: 'seat-1', splits: 2, layout: 'grid', lang: 'en', keyboard: 'on', preview: 'on', ring: 'off', 'ring-volume': 0.3 },
  argTypes: {
    server: { control: 'text' },
    token: { control: 'text' },
    splits: { control: { type: 'number', min: 1, max: 8, step: 1 } },
    layout: { control: 'inline-radio', options: ['grid', 'row', 'stack'] },
    lang: { control: 'inline-radio', options: ['en', 'zh-CN'] },
    keyboard: { control: 'inline-radio', options: ['on', 'off'] },
    preview: { control: 'inline-radio', options: ['on', 'off'] },
    ring: { control: 'select', options: ['auto', 'tone', 'beep', 'off'] },
    'ring-volume': { control: { type: 'range', min: 0, max: 1, step: 0.05 } },
    ...cssArgTypes('multi-seat'),
  },
};
export default meta;

type Story = StoryObj<Args>;

/** Signed in, not ready: no offers come (R3). */
export const SignedIn: Story = { name: 'Idle (not ready)', parameters: { live: 'agent' }, render: (args) => seat(args, 'signed-in') };

/** Ready with idle splits, nobody waiting. */
export const Idle: Story = { name: 'Idle (ready)', parameters: { live: 'agent' }, render: (args) => seat(args, 'ready') };

/** One call rings on split 1 (R6); two more wait silently in the queue (R2). Answer it with the button or Alt+A. */
export const Ringing: Story = { args: { ring: 'auto' }, render: (args) => seat(args, 'ringing') };

/** Answered: the call is connected and has focus (R9, R10); the agent's microphone goes to it. */
export const ConnectedInFocus: Story = { name: 'Connected, in focus', render: (args) => seat(args, 'connected-focus') };

/** Two customers: split 2 has focus, split 1 keeps its video in the background (R10). */
export const ConnectedInBackground: Story = { name: 'Connected, in background', render: (args) => seat(args, 'connected-background') };

/** The background customer asked for the agent back (R18): the badge shows how long they have waited. */
export const Attention: Story = { name: 'Attention (R18)', render: (args) => seat(args, 'attention') };

/** An outbound call (R12): the customer is being alerted. */
export const Dialing: Story = { render: (args) => seat(args, 'dialing') };

/** Consulting seat-2 (R13): the customer is held while the consult call rings on the other seat. */
export const Consulting: Story = { render: (args) => seat(args, 'consulting') };

/** seat-2 answered the consult: the agent can complete the warm transfer or cancel. */
export const ConsultAnswered: Story = { name: 'Consulting, answered', render: (args) => seat(args, 'consult-answered') };

/** The customer hung up; the split is in wrap-up (R11) until the agent presses Done. */
export const WrapUp: Story = { name: 'Wrap-up', render: (args) => seat(args, 'wrapup') };

/** Every split busy and one more customer waiting. */
export const Full: Story = { name: 'All splits busy', args: { splits: 4, layout: 'grid' }, render: (args) => seat(args, 'full') };

/** The connection to the control center dropped: the bar counts down to the next attempt; calls keep their state. */
export const Reconnecting: Story = {
  render: (args) =>
    seat(args, null, (el, sc) => {
      const flaky = new FlakyClient(sc.sim.agent(String(args.token || 'seat-1'), Number(args.splits) || 2));
      const store = new SeatStore(flaky);
      el.store = store;
      playSeat(sc, store, 'connected-background')
        .then(() => {
          const loop = () => {
            flaky.drop(8000);
            sc.after(8000, loop);
          };
          loop();
        })
        .catch((e: unknown) => sc.active && console.error(e));
    }),
};

/** The media failed on the first attempt (ICE, camera…): the pane says so and offers Retry, which works. */
export const MediaFailed: Story = {
  name: 'Error: media failed',
  render: (args) =>
    seat(args, 'connected-focus', (el) => {
      el.mediaAdapter = new FakeMediaAdapter({ fail: (_m, _o, attempt) => (attempt === 1 ? 'ICE failed (simulated)' : null) });
    }),
};

/** `splits` outside 1–8: a configuration message instead of the seat, and a `seat-error`. */
export const BadSplits: Story = { name: 'Error: bad splits', parameters: { live: 'unchanged' }, args: { splits: 9 }, render: (args) => seat(args, null) };

/** A `server` without a `token`: the seat does not try to sign in. */
export const NoToken: Story = { name: 'Error: no token', parameters: { live: 'unchanged' }, args: { server: 'ws://127.0.0.1:8080', token: '' }, render: (args) => seat(args, null) };

/**
 * A `server` nobody listens on (a closed port on this machine, 65530): the seat keeps retrying with
 * back-off and says the control center cannot be reached. The media adapter is the fake one, so
 * the story still needs no Janus.
 */
export const Unreachable: Story = {
  name: 'Error: unreachable server',
  parameters: { live: 'unchanged' },
  args: { server: 'ws://127.0.0.1:65530', token: 'dev-token' },
  render: (args) =>
    seat(args, null, (el) => {
      el.mediaAdapterFactory = async () => new FakeMediaAdapter();
    }),
};

/**
 * Four splits under load, run by the simulator: customers arrive at random (`arrivalSec`), talk,
 * upload alone, ask for the agent back (R18) after `uploadSec` and hang up after `callSec`. With
 * `autoAgent` the seat answers after 2 s, turns to the longest-waiting request, and ends wrap-up,
 * so it runs unattended; turn it off to play the agent yourself.
 */
export const FourSplitsUnderLoad: Story = {
  name: 'Four splits under load',
  args: { splits: 4, ring: 'off', ...loadDefaults },
  argTypes: {
    arrivalSec: { control: { type: 'range', min: 1, max: 30, step: 1 }, table: { category: 'load' } },
    uploadSec: { control: { type: 'range', min: 3, max: 60, step: 1 }, table: { category: 'load' } },
    callSec: { control: { type: 'range', min: 10, max: 180, step: 5 }, table: { category: 'load' } },
    autoAgent: { control: 'boolean', table: { category: 'load' } },
    maxWaiting: { control: { type: 'range', min: 0, max: 10, step: 1 }, table: { category: 'load' } },
  },
  render: (args) => {
    const sc = new Scenario({ ringTimeoutMs: 20_000, wrapupMs: 3_000, rejectDelayMs: 10_000 });
    return seat(
      args,
      null,
      (el) => {
        storeOf(el)
          .then((store) =>
            runLoad(sc, store, {
              arrivalSec: Number(args.arrivalSec),
              uploadSec: Number(args.uploadSec),
              callSec: Number(args.callSec),
              autoAgent: !!args.autoAgent,
              maxWaiting: Number(args.maxWaiting),
            }),
          )
          .catch((e: unknown) => sc.active && console.error(e));
      },
      sc,
    );
  },
};

/** The dark theme shipped as `themes/dark.css`: its tokens apply under `.seat-theme-dark` (here the story's frame). */
export const DarkTheme: Story = {
  name: 'Dark theme (themes/dark.css)',
  args: { splits: 3 },
  render: (args) => {
    const f = seat(args, 'attention');
    f.classList.add('seat-theme-dark');
    Object.assign(f.style, { background: '#030712', padding: '16px' });
    return f;
  },
};
