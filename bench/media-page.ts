/**
 * The page side of `npm run bench:media`, bundled by esbuild and driven by bench/media.ts.
 * Everything is measured inside the page with performance.now(); the first decoded frame is the
 * first requestVideoFrameCallback of a <video> playing the remote stream.
 */
import Janus from 'janus-gateway';
import adapter from 'webrtc-adapter';
import { JanusMediaAdapter, firstFrame, type JanusLeg } from '../components/media/janus-adapter.js';
import type { MediaInfo } from '../core/protocol.js';

type Msg = Record<string, any>;

const J = Janus as any;

function video(stream: MediaStream): HTMLVideoElement {
  const v = document.createElement('video');
  v.muted = true;
  v.autoplay = true;
  v.playsInline = true;
  v.width = 160;
  v.srcObject = stream;
  document.body.append(v);
  void v.play().catch(() => {});
  return v;
}

function drop(v: HTMLVideoElement | null): void {
  if (!v) return;
  v.srcObject = null;
  v.remove();
}

/** Resolves once `leg` has a remote video track (or rejects when it fails). */
function remoteOf(leg: JanusLeg): Promise<MediaStream> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = leg.getState();
      if (s.remote && s.remote.getVideoTracks().length) return resolve(s.remote), true;
      if (s.status === 'failed') return reject(new Error(s.error ?? 'failed')), true;
      return false;
    };
    if (check()) return;
    const off = leg.subscribe(() => check() && off());
  });
}

function liveOf(leg: JanusLeg): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = leg.getState();
      if (s.status === 'live' && (!leg.options.publish || s.local)) return resolve(), true;
      if (s.status === 'failed') return reject(new Error(s.error ?? 'failed')), true;
      return false;
    };
    if (check()) return;
    const off = leg.subscribe(() => check() && off());
  });
}

let server = '';
/** The customers' side: one adapter (its own Janus session), publishing into each call's room. */
let customers: JanusMediaAdapter;
/** The agent's side through our adapter: one session per seat, reused across calls. */
let agent: JanusMediaAdapter;
/** The agent's side through raw janus.js: one session, reused across calls. */
let raw: any;
const customerLegs = new Map<number, JanusLeg>();
const agentLegs = new Map<number, JanusLeg>();

async function init(wsUrl: string): Promise<void> {
  server = wsUrl;
  customers = new JanusMediaAdapter();
  agent = new JanusMediaAdapter();
  // Warm up: the agent's camera and both Janus sessions exist before anything is timed.
  await agent.localStream();
  await customers.localStream();
  raw = await new Promise((resolve, reject) => {
    J.init({
      dependencies: J.useDefaultDependencies({ adapter }),
      callback: () => {
        const s = new J({ server: wsUrl, iceServers: [], success: () => resolve(s), error: reject });
      },
    });
  });
}

/** A customer publishes into the room (as soon as the call is queued); resolves with the feed id. */
async function customer(room: number, pin: string): Promise<number> {
  const leg = customers.join({ server, room, pin }, { display: 'customer', publish: true, focused: true }) as JanusLeg;
  customerLegs.set(room, leg);
  await liveOf(leg);
  return leg.feedId!;
}

async function hangupCustomer(room: number): Promise<void> {
  await customerLegs.get(room)?.close();
  customerLegs.delete(room);
}

/** Raw janus.js, the floor: attach a subscriber to a known feed → first decoded frame. */
function rawSubscribe(room: number, pin: string, feed: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    let v: HTMLVideoElement | null = null;
    let handle: any;
    const t0 = performance.now();
    const steps: Record<string, number> = { joined: NaN, subscribe: 0, webrtcUp: NaN, track: NaN, frame: NaN };
    const timer = setTimeout(() => reject(new Error('raw: no frame in 10 s')), 10_000);
    raw.attach({
      plugin: 'janus.plugin.videoroom',
      success: (h: any) => {
        handle = h;
        h.send({ message: { request: 'join', ptype: 'subscriber', room, pin, streams: [{ feed }] } });
      },
      error: reject,
      onmessage: (msg: Msg, jsep: any) => {
        if (msg.error) return reject(new Error(msg.error));
        if (jsep) {
          handle.createAnswer({
            jsep,
            tracks: [],
            success: (answer: any) => handle.send({ message: { request: 'start', room }, jsep: answer }),
            error: reject,
          });
        }
      },
      webrtcState: (on: boolean) => {
        if (on) steps.webrtcUp = performance.now() - t0;
      },
      onremotetrack: (track: MediaStreamTrack, _mid: string, on: boolean) => {
        if (!on || track.kind !== 'video' || v) return;
        steps.track = performance.now() - t0;
        v = video(new MediaStream([track]));
        void firstFrame(v).then((t) => {
          clearTimeout(timer);
          steps.frame = t - t0;
          drop(v);
          handle.detach({ success: () => resolve(steps), error: () => resolve(steps) });
        }, reject);
      },
    });
  });
}

/** Our adapter: join() (publisher join → learn the feed → subscribe) → first decoded frame. */
async function adapterJoin(room: number, pin: string, publish: boolean): Promise<Record<string, number>> {
  const t0 = performance.now();
  const leg = agent.join({ server, room, pin }, { display: 'agent', publish, focused: true }) as JanusLeg;
  const v = video(await remoteOf(leg));
  const t = await firstFrame(v);
  drop(v);
  const tm = leg.timings;
  const rel = (x: number | undefined) => (x === undefined ? NaN : x - t0);
  const steps = { joined: rel(tm.joinedAt), subscribe: rel(tm.subscribeAt), webrtcUp: rel(tm.subscribedAt), track: rel(tm.remoteVideoAt), frame: t - t0 };
  await leg.close();
  return steps;
}

/** The agent with N calls at once: N legs publishing and subscribing, each in a <video>. */
async function agentOpen(media: MediaInfo[]): Promise<void> {
  await Promise.all(
    media.map(async (m) => {
      const leg = agent.join(m, { display: 'agent', publish: true, focused: false }) as JanusLeg;
      agentLegs.set(m.room, leg);
      await liveOf(leg);
      const v = video(await remoteOf(leg));
      v.dataset.room = String(m.room);
      await firstFrame(v);
    }),
  );
  // The first leg has focus (R10), the rest are heard not.
  [...agentLegs.values()][0]?.setFocused(true);
}

async function agentCloseAll(): Promise<void> {
  document.querySelectorAll('video').forEach((v) => drop(v));
  await Promise.all([...agentLegs.values()].map((l) => l.close()));
  agentLegs.clear();
}

/** Frames decoded per second on every <video> of the page over `ms` (proves all N flow). */
async function decodedFps(ms: number): Promise<number[]> {
  const vids = [...document.querySelectorAll('video')];
  const before = vids.map((v) => v.getVideoPlaybackQuality().totalVideoFrames);
  await new Promise((r) => setTimeout(r, ms));
  return vids.map((v, i) => ((v.getVideoPlaybackQuality().totalVideoFrames - before[i]) * 1000) / ms);
}

async function disposeAll(): Promise<void> {
  await agentCloseAll();
  await Promise.all([...customerLegs.keys()].map(hangupCustomer));
  await agent.dispose();
  await customers.dispose();
  await new Promise<void>((r) => raw.destroy({ success: r, error: r }));
}

Object.assign(globalThis, {
  bench: { init, customer, hangupCustomer, rawSubscribe, adapterJoin, agentOpen, agentCloseAll, decodedFps, disposeAll },
});
