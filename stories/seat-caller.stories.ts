import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { SeatCaller } from '../components/seat-caller/seat-caller.component.js';
import { FakeMediaAdapter } from '../components/media/fake-adapter.js';
import type { CallerState } from '../core/caller-store.js';
import type { CustomerCallState } from '../core/protocol.js';
import type { SeatState } from '../core/seat-store.js';
import { cssArgTypes, frame, logEvents, setAttributes } from './support/controls.js';
import { CUSTOMERS, Scenario, storeOf, until } from './support/scenario.js';

type Args = Record<string, unknown>;

type CallerStateName = 'idle' | 'queued' | 'ringing' | 'connected' | 'held' | 'attention' | 'outbound' | 'ended';

const ATTRS = ['server', 'token', 'queue', 'name', 'lang'] as const;

const callIs = (state: CustomerCallState, extra: (s: CallerState) => boolean = () => true) => (s: CallerState) =>
  s.call?.state === state && extra(s);
const splitIs = (i: number, state: string) => (s: SeatState) => s.seat?.splits[i]?.state === state;

/** Plays the agent's side (a headless seat-1 on the same simulator) to bring the customer to `state`. */
async function play(sc: Scenario, el: SeatCaller, state: CallerStateName): Promise<void> {
  const me = await storeOf(el);
  const [, other, third] = CUSTOMERS;
  if (state === 'idle') return;
  if (state === 'queued') {
    // No agent is ready; two customers called first.
    await sc.call(other.id, other.name);
    await sc.call(third.id, third.name);
    el.placeCall();
    await until(me, callIs('queued'));
    return;
  }
  const seat = sc.seat('seat-1', 2);
  await until(seat, (s: SeatState) => !!s.seat);
  await seat.ready();
  if (state === 'outbound') {
    await seat.dial(0, String(el.token));
    await until(me, callIs('ringing'));
    return;
  }
  el.placeCall();
  await until(seat, splitIs(0, 'ringing'));
  if (state === 'ringing') return;
  await seat.answer(0);
  await until(me, callIs('connected'));
  if (state === 'connected') return;
  if (state === 'ended') {
    await seat.hangup(0);
    await until(me, callIs('ended'));
    return;
  }
  // The agent takes a second customer: ours keeps its video but is on hold (R10).
  await sc.call(other.id, other.name);
  await until(seat, splitIs(1, 'ringing'));
  await seat.answer(1);
  await until(me, callIs('connected', (s) => !s.call?.focused));
  if (state === 'held') return;
  await me.attention(true);
  await until(me, callIs('connected', (s) => !!s.call?.attention));
}

function caller(args: Args, state: CallerStateName | null, setup?: (el: SeatCaller) => void): HTMLElement {
  const sc = new Scenario();
  const el = document.createElement('seat-caller');
  setAttributes(el, Object.fromEntries([...ATTRS, ...Object.keys(args).filter((k) => k.startsWith('--'))].map((k) => [k, args[k]])));
  logEvents(el, 'seat-caller', args);
  el.simulator = sc.sim;
  setup?.(el);
  sc.watch(el);
  if (state) play(sc, el, state).catch((e: unknown) => sc.active && console.error(e));
  return frame(el, '420px');
}

const meta: Meta<Args> = {
  title: 'Elements/seat-caller',
  component: 'seat-caller',
  parameters: {
    docs: {
      description: {
        component:
          "The customer's side, on the in-browser simulator with the fake media adapter. The agent is simulated too: a headless seat-1 on the same simulator answers, holds, dials and hangs up to reach each state. With the Backend toolbar on Live, Idle and No queue sign in to the demo server (`npm start`) with a dev token for `token`.",
      },
    },
  },
  args: { token: 'cust-1', queue: 'claims', name: 'Alice Chen', lang: 'en' },
  argTypes: {
    server: { control: 'text' },
    token: { control: 'text' },
    queue: { control: 'text' },
    name: { control: 'text' },
    lang: { control: 'inline-radio', options: ['en', 'zh-CN'] },
    ...cssArgTypes('multi-seat'),
  },
};
export default meta;

type Story = StoryObj<Args>;

/** Signed in, no call yet: the Call button. */
export const Idle: Story = { parameters: { live: 'caller' }, render: (args) => caller(args, 'idle') };
/** Waiting in the queue: the place in line, the camera already publishing. */
export const Queued: Story = { render: (args) => caller(args, 'queued') };
/** Offered to an agent, ringing there. */
export const Ringing: Story = { render: (args) => caller(args, 'ringing') };
/** Talking to the agent (in focus). */
export const Connected: Story = { render: (args) => caller(args, 'connected') };
/** The agent talks to another customer: the hold notice and "I'm ready" (R18). */
export const Held: Story = { name: 'Connected, on hold', render: (args) => caller(args, 'held') };
/** The customer asked for the agent back; they can withdraw the request. */
export const AttentionSent: Story = { name: 'Attention sent (R18)', render: (args) => caller(args, 'attention') };
/** An agent calls the customer (R12): Accept / Decline. */
export const Outbound: Story = { name: 'Call from an agent', render: (args) => caller(args, 'outbound') };
/** The agent hung up: Call again. */
export const Ended: Story = { render: (args) => caller(args, 'ended') };
/** The first media attempt fails: the message and Retry. */
export const MediaFailed: Story = {
  name: 'Error: media failed',
  render: (args) =>
    caller(args, 'connected', (el) => {
      el.mediaAdapter = new FakeMediaAdapter({ fail: (_m, _o, attempt) => (attempt === 1 ? 'camera not allowed (simulated)' : null) });
    }),
};
/** No `queue`: the Call button is disabled and a message says why. */
export const NoQueue: Story = { name: 'Error: no queue', parameters: { live: 'caller' }, args: { queue: '' }, render: (args) => caller(args, null) };
/** A `server` without a `token`. */
export const NoToken: Story = { name: 'Error: no token', parameters: { live: 'unchanged' }, args: { server: 'ws://127.0.0.1:8080', token: '' }, render: (args) => caller(args, null) };
/** A `server` nobody listens on: retrying, with the reason. Fake media, so no Janus is needed. */
export const Unreachable: Story = {
  name: 'Error: unreachable server',
  parameters: { live: 'unchanged' },
  args: { server: 'ws://127.0.0.1:65530', token: 'dev-token' },
  render: (args) =>
    caller(args, null, (el) => {
      el.mediaAdapterFactory = async () => new FakeMediaAdapter();
    }),
};
