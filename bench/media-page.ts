/**
 * The page side of `npm run bench:media`, bundled by esbuild and driven by bench/media.ts.
 * Everything is measured inside the page with performance.now(); the first decoded frame is the
 * first requestVideoFrameCallback of a <video> playing the remote stream.
 */
import Janus from 'janus-gateway';
import adapter from 'webrtc-adapter';
import { JanusLeg, JanusMediaAdapter, firstFrame } from '../components/media/janus-adapter.js';
import { SIMULCAST_CAPTURE } from '../components/media/janus-quality.js';
import type { MediaInfo } from '../core/protocol.js';
import '../components/multi-seat/multi-seat.js';
import '../components/seat-caller/seat-caller.js';
import type { MultiSeat } from '../components/multi-seat/multi-seat.component.js';
import type { SeatCaller } from '../components/seat-caller/seat-caller.component.js';

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

// ---- the whole stack: <multi-seat> answering <seat-caller>s through the control center ----------


function until<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const end = performance.now() + timeoutMs;
    const tick = () => {
      let v: T | null | undefined | false;
      try {
        v = probe();
      } catch {
        v = null;
      }
      if (v) return resolve(v);
      if (performance.now() > end) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 2);
    };
    tick();
  });
}

let seat: MultiSeat | null = null;
const callers = new Map<string, SeatCaller>();

const splitOf = (i: number) => seat!.shadowRoot!.querySelectorAll('seat-split')[i] as HTMLElement;
const paneVideo = (i: number) => splitOf(i)?.shadowRoot!.querySelector<HTMLVideoElement>('video[part~="remote-video"]') ?? null;
const splitButton = (i: number, part: string) =>
  splitOf(i)?.shadowRoot!.querySelector<HTMLButtonElement>(`button[part~="${part}"]:not([disabled])`) ?? null;

async function seatOpen(server: string, token: string, splits: number, preview: 'on' | 'off', quality?: 'all' | 'focus', width = '960px'): Promise<void> {
  seat?.remove();
  seat = document.createElement('multi-seat') as MultiSeat;
  seat.setAttribute('server', server);
  seat.setAttribute('token', token);
  seat.setAttribute('splits', String(splits));
  seat.setAttribute('preview', preview);
  seat.setAttribute('ring', 'off');
  if (quality) seat.setAttribute('quality', quality);
  // The size of a seat panel in a CRM page.
  seat.style.display = 'block';
  seat.style.width = width;
  document.body.append(seat);
  await until(() => seat!.store?.getState().seat, 'seat signed in').catch((e) => {
    throw new Error(`${e.message}: ${seat!.shadowRoot?.textContent?.replace(/\s+/g, ' ')} ${JSON.stringify(seat!.store?.getState().connection)}`);
  });
  await seat.store!.ready();
}

/** The customer's side: places a call and resolves once it is queued and publishing. */
async function callerCall(server: string, token: string, name: string): Promise<void> {
  const c = document.createElement('seat-caller') as SeatCaller;
  c.setAttribute('server', server);
  c.setAttribute('token', token);
  c.setAttribute('queue', 'claims');
  c.setAttribute('name', name);
  // The customers stand in for other people's devices: keep their page from painting videos so
  // that it does not take the shared 2 cores from the agent's browser.
  c.style.display = 'none';
  document.body.append(c);
  callers.set(name, c);
  const call = await until(() => c.shadowRoot?.querySelector<HTMLButtonElement>('button[part~="call"]:not([disabled])'), 'call button');
  call.click();
  // Publishing means its WebRTC is up (the customer queued a moment ago, as a real one has).
  await until(() => {
    const legs = [...(((c.mediaAdapter as any)?.legs ?? []) as Set<JanusLeg>)];
    return c.call?.media && legs.some((l) => l.getState().status === 'live' && l.getState().local);
  }, 'caller publishing');
}

function callerGone(name: string): void {
  callers.get(name)?.remove();
  callers.delete(name);
}

/**
 * The agent answers split `i` once it rings; resolves with ms from the Answer click to the first
 * frame presented in the pane after it. With preview on, waits first until the ringing pane plays
 * the customer (as it does long before a person clicks).
 */
/**
 * Clicks Answer on split i once it rings and `reactMs` have passed — a person's reaction to the
 * ring, and the same age of the customer's stream as the raw floor meets (it waits as long
 * between calls): a customer whose camera started a few ms ago has sent no keyframe a new
 * subscriber can use yet, whoever subscribes.
 */
async function answerToFrame(i: number, preview: boolean, reactMs = 0): Promise<Record<string, number>> {
  await until(() => seat!.store!.getState().seat?.splits[i]?.state === 'ringing' && splitButton(i, 'answer'), 'ringing split');
  const rangAt = performance.now();
  if (preview) {
    const v = await until(() => (paneVideo(i)?.videoWidth ? paneVideo(i) : null), 'preview video');
    await firstFrame(v);
  }
  await new Promise((r) => setTimeout(r, Math.max(preview ? 300 : 0, reactMs - (performance.now() - rangAt))));
  const before = paneVideo(i);
  const t0 = performance.now();
  let connectedAt = NaN;
  const off = seat!.store!.subscribe((st) => {
    if (Number.isNaN(connectedAt) && st.seat?.splits[i]?.state === 'connected') connectedAt = performance.now() - t0;
  });
  splitButton(i, 'answer')!.click();
  // With preview on the video element is already there: the first frame after the click counts.
  const v = await until(() => paneVideo(i), 'pane video', 15_000);
  const t = await firstFrame(v, 15_000);
  await until(() => seat!.store!.getState().seat?.splits[i]?.state === 'connected', 'connected');
  off();
  const legs = [...((seat!.mediaAdapter as any)?.legs ?? [])] as JanusLeg[];
  const leg = legs.find((l) => l.getState().remote === v.srcObject);
  const rel = (x: number | undefined) => (x === undefined || x < t0 ? NaN : x - t0);
  return {
    frame: t - t0,
    connected: connectedAt,
    join: rel(leg?.timings.joinAt),
    attached: rel(leg?.timings.attachedAt),
    joined: rel(leg?.timings.joinedAt),
    spare: rel(leg?.timings.spareAt),
    feeds: rel(leg?.timings.feedsAt),
    subscribe: rel(leg?.timings.subscribeAt),
    webrtcUp: rel(leg?.timings.subscribedAt),
    track: rel(leg?.timings.remoteVideoAt),
    decoded: rel(leg?.timings.firstFrameAt),
    sameVideo: before === v ? 1 : 0,
  };
}

async function agentHangup(i: number): Promise<void> {
  (await until(() => splitButton(i, 'hangup'), 'hangup button')).click();
  await until(() => seat!.store!.getState().seat?.splits[i]?.state === 'idle', 'split idle');
}

/**
 * Per pane over `ms`: frames decoded per second (inbound RTP of its subscriber) and frames
 * presented per second by its <video> (getVideoPlaybackQuality), for the N-splits figure.
 */
async function paneFps(ms: number): Promise<{ decoded: number[]; presented: number[] }> {
  const legs = [...(((seat!.mediaAdapter as any)?.legs ?? []) as Set<any>)];
  const decodedNow = async () =>
    Promise.all(
      legs.map(async (l) => {
        let n = 0;
        const pc: RTCPeerConnection | undefined = l.sub?.webrtcStuff?.pc;
        (await pc?.getStats())?.forEach((r: any) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video') n += r.framesDecoded ?? 0;
        });
        return n;
      }),
    );
  const vids = [...seat!.shadowRoot!.querySelectorAll('seat-split')].map((s) => s.shadowRoot!.querySelector<HTMLVideoElement>('video[part~="remote-video"]'));
  const shown = () => vids.map((v) => v?.getVideoPlaybackQuality().totalVideoFrames ?? 0);
  const [d0, p0] = [await decodedNow(), shown()];
  await new Promise((r) => setTimeout(r, ms));
  const [d1, p1] = [await decodedNow(), shown()];
  return {
    decoded: d1.map((x, k) => ((x - d0[k]) * 1000) / ms),
    presented: p1.map((x, k) => ((x - p0[k]) * 1000) / ms),
  };
}

function seatClose(): void {
  seat?.remove();
  seat = null;
  callers.forEach((c) => c.remove());
  callers.clear();
}

Object.assign((globalThis as any).bench, { seatOpen, callerCall, callerGone, answerToFrame, agentHangup, paneFps, seatClose });

/** Diagnostics: the video RTP stats of a customer's upstream and of the agent's pane i. */
async function rtpStats(): Promise<unknown> {
  const pick = async (pc: RTCPeerConnection | undefined, type: string) => {
    if (!pc) return null;
    const out: Record<string, unknown>[] = [];
    (await pc.getStats()).forEach((r: any) => {
      if (r.type === type && r.kind === 'video')
        out.push({ fps: r.framesPerSecond, w: r.frameWidth, limit: r.qualityLimitationReason, sent: r.framesEncoded, dec: r.framesDecoded, drop: r.framesDropped });
    });
    return out;
  };
  const legsOf = (a: unknown) => [...(((a as any)?.legs ?? []) as Set<any>)];
  const res: Record<string, unknown> = {};
  for (const [name, c] of callers) res[name] = await pick(legsOf(c.mediaAdapter)[0]?.pub?.webrtcStuff?.pc, 'outbound-rtp');
  if (seat) res.agent = await Promise.all(legsOf(seat.mediaAdapter).map((l) => pick(l.sub?.webrtcStuff?.pc, 'inbound-rtp')));
  return res;
}
Object.assign((globalThis as any).bench, { rtpStats });

/** Diagnostics: how often each pane's <video> element or its srcObject changes over `ms`. */
async function paneChurn(ms: number): Promise<{ elements: number[]; streams: number[]; missing: number[] }> {
  const n = seat!.shadowRoot!.querySelectorAll('seat-split').length;
  const el = Array<HTMLVideoElement | null>(n).fill(null);
  const so = Array<MediaProvider | null>(n).fill(null);
  const elements = Array(n).fill(0);
  const streams = Array(n).fill(0);
  const missing = Array(n).fill(0);
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < n; i++) {
      const v = paneVideo(i);
      if (!v) missing[i]++;
      if (v !== el[i]) (elements[i]++, (el[i] = v));
      if (v && v.srcObject !== so[i]) (streams[i]++, (so[i] = v.srcObject));
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { elements, streams, missing };
}
Object.assign((globalThis as any).bench, { paneChurn });

// ---- focus-aware media: N connected splits, quality="all" | "focus" (issue 13) ------------------

/**
 * The customers' browser for the focus-aware part: its one fake camera opened at 1280×720 before
 * anything else (Chromium's fake device keeps the size it was first opened at), so that every
 * <seat-caller> publishes three simulcast layers as a real customer's 720p camera does.
 */
async function initHd(): Promise<{ generateKeyFrame: boolean }> {
  const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: SIMULCAST_CAPTURE });
  const st = s.getVideoTracks()[0]?.getSettings();
  s.getTracks().forEach((t) => t.stop());
  if (st?.width !== 1280) throw new Error(`the fake camera opened at ${st?.width}×${st?.height}, not 1280×720`);
  // Diagnostics: when each customer's leg learns its quality (its call's focus), wall clock, so
  // that the agent's browser can place it after its own click.
  const proto = JanusLeg.prototype as any;
  const orig = proto.setQuality;
  proto.setQuality = function (this: JanusLeg, q: string) {
    qualityLog.push({ display: this.options.display ?? '', q, t: Date.now() });
    return orig.call(this, q);
  };
  return { generateKeyFrame: typeof (RTCRtpSender.prototype as any).generateKeyFrame === 'function' };
}
const qualityLog: { display: string; q: string; t: number }[] = [];
const qualityLogSince = (t: number) => qualityLog.filter((e) => e.t >= t);

function setQualityAttr(q: 'all' | 'focus'): void {
  seat!.setAttribute('quality', q);
}

const seatLegs = () => [...(((seat!.mediaAdapter as any)?.legs ?? []) as Set<any>)];
const pcOf = (h: any): RTCPeerConnection | undefined => h?.webrtcStuff?.pc;
/** The leg whose remote stream pane i plays. */
const paneLeg = (i: number) => {
  const v = paneVideo(i);
  return v ? seatLegs().find((l) => l.getState().remote === v.srcObject) : undefined;
};

/** Bytes through every PeerConnection of the seat (transport level: RTP, RTCP, headers). */
async function seatBytes(): Promise<Map<RTCPeerConnection, { rx: number; tx: number }>> {
  const out = new Map<RTCPeerConnection, { rx: number; tx: number }>();
  for (const l of seatLegs()) {
    for (const pc of [pcOf(l.pub), pcOf(l.sub)]) {
      if (!pc || out.has(pc)) continue;
      let rx = 0;
      let tx = 0;
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'transport') (rx += r.bytesReceived ?? 0), (tx += r.bytesSent ?? 0);
      });
      out.set(pc, { rx, tx });
    }
  }
  return out;
}

async function paneDecoded(): Promise<number[]> {
  const n = seat!.shadowRoot!.querySelectorAll('seat-split').length;
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      let frames = 0;
      (await pcOf(paneLeg(i)?.sub)?.getStats())?.forEach((r: any) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
      });
      return frames;
    }),
  );
}

/**
 * Over `ms`: Mbit/s received and sent by the seat's PeerConnections (getStats), and per pane
 * (in pane order) frames decoded per second and the width of the frames it shows.
 */
async function splitWindow(ms: number): Promise<{ rxMbps: number; txMbps: number; fps: number[]; widths: number[] }> {
  const [b0, d0] = [await seatBytes(), await paneDecoded()];
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const [b1, d1] = [await seatBytes(), await paneDecoded()];
  const secs = (performance.now() - t0) / 1000;
  let rx = 0;
  let tx = 0;
  for (const [pc, v] of b1) {
    const a = b0.get(pc) ?? { rx: 0, tx: 0 };
    rx += v.rx - a.rx;
    tx += v.tx - a.tx;
  }
  const n = d1.length;
  return {
    rxMbps: (rx * 8) / secs / 1e6,
    txMbps: (tx * 8) / secs / 1e6,
    fps: d1.map((x, i) => (x - (d0[i] ?? 0)) / secs),
    widths: Array.from({ length: n }, (_, i) => paneVideo(i)?.videoWidth ?? 0),
  };
}

/** The width of the frames each pane shows now. */
function paneWidths(): number[] {
  return Array.from({ length: seat!.shadowRoot!.querySelectorAll('seat-split').length }, (_, i) => paneVideo(i)?.videoWidth ?? 0);
}

function focusedSplit(): number {
  const f = seat!.store!.getState().seat?.focus;
  return typeof f === 'number' ? f : -1;
}

/**
 * Clicks split j's focus control and times (ms from the click) the first frame the pane
 * presents at least `top` wide (requestVideoFrameCallback metadata), and the first one wider
 * than `low` (any layer above the low one). NaN where none came within `timeoutMs`.
 */
type FocusTiming = { full: number; aboveLow: number; focusAck: number; configure: number; widthBefore: number; clickWall: number };
async function focusChange(j: number, top: number, low: number, timeoutMs: number): Promise<FocusTiming> {
  const btn = await until(() => splitButton(j, 'focus'), `focus button of split ${j}`);
  const widthBefore = paneVideo(j)?.videoWidth ?? 0;
  // Diagnostics: when the split's subscriber asks Janus for the other layer (its `configure`).
  const sub = paneLeg(j)?.sub;
  const send = sub?.send;
  return new Promise((resolve) => {
    let full = NaN;
    let aboveLow = NaN;
    let focusAck = NaN;
    let configure = NaN;
    let current: HTMLVideoElement | null = null;
    const clickWall = Date.now();
    const t0 = performance.now();
    if (sub && send)
      sub.send = (p: { message?: { request?: string } }) => {
        if (Number.isNaN(configure) && p?.message?.request === 'configure') configure = performance.now() - t0;
        return send.call(sub, p);
      };
    const off = seat!.store!.subscribe(() => {
      if (Number.isNaN(focusAck) && focusedSplit() === j) focusAck = performance.now() - t0;
    });
    const finish = () => {
      clearInterval(watch);
      clearTimeout(timer);
      off();
      if (sub && send) sub.send = send;
      resolve({ full, aboveLow, focusAck, configure, widthBefore, clickWall });
    };
    const onFrame = (v: HTMLVideoElement) => (now: number, meta: VideoFrameCallbackMetadata) => {
      if (v !== current) return;
      const at = Math.max(0, now - t0);
      if (Number.isNaN(aboveLow) && meta.width > low) aboveLow = at;
      if (meta.width >= top) {
        full = at;
        return finish();
      }
      v.requestVideoFrameCallback(onFrame(v));
    };
    // The pane's <video> could be replaced while the call goes on: follow it.
    const follow = () => {
      const v = paneVideo(j);
      if (v && v !== current) {
        current = v;
        v.requestVideoFrameCallback(onFrame(v));
      }
    };
    const watch = setInterval(follow, 5);
    const timer = setTimeout(finish, timeoutMs);
    follow();
    btn.click();
  });
}

Object.assign((globalThis as any).bench, { initHd, qualityLogSince, setQualityAttr, splitWindow, paneWidths, focusedSplit, focusChange });
