/**
 * The Janus media adapter: real WebRTC through a Janus VideoRoom, one Janus session per server
 * and ICE servers (janus.js sets those per session; `media.iceServers` from the control center)
 * (`media.server`: with a pool of Janus servers a seat's calls may be on several) and media token
 * (= per seat and server when calls carry no token; with a locked Janus, `media.token` is
 * also the Janus session token, so each call's leg has its own session, ended with its last
 * leg), and per leg (= per split's call) a publisher handle (joins the call's room with its pin,
 * its join token and its party as `display`; publishes camera + microphone when asked) and a
 * subscriber handle for the other side's feed(s).
 *
 * Focus (R10) is applied here: `setFocused(false)` disables this leg's own copy of the
 * microphone track (the other side hears silence) and the remote audio tracks (nothing plays),
 * and `state.focused` tells the element to mute its remote media element too. Video always flows.
 *
 * janus-gateway is imported as shared JANUS.md says: the ES build's default export, given
 * webrtc-adapter through `useDefaultDependencies`. On a page with an AMD `define` (requirejs,
 * Monaco's loader) that default export is undefined: every leg then fails with a clear error.
 */
import Janus from 'janus-gateway';
import adapter from 'webrtc-adapter';
import type { JoinOptions, MediaAdapter, MediaLeg, MediaLegState, MediaQuality } from '../../core/media-adapter.js';
import type { MediaInfo } from '../../core/protocol.js';
import { applySendQuality, receiveRequest, refreshKeyframes, SIMULCAST_CAPTURE, SUBSTREAM, type UnfocusedVideo } from './janus-quality.js';

export interface JanusMediaAdapterOptions {
  /**
   * The Janus WebSocket URL; overrides `media.server` of every call (so only for a single Janus:
   * with a pool, calls are on the servers their `media.server` names).
   */
  server?: string;
  /**
   * STUN/TURN servers for calls whose `media` carries none. The control center's
   * (`media.iceServers`, `--ice-servers`, with TURN credentials minted for this party) win:
   * they are the operator's and fresh. Default: none (Janus's host candidates only).
   */
  iceServers?: RTCIceServer[];
  /**
   * `relay` gathers and uses TURN relay candidates only: for locked-down networks where only a
   * TURN server is reachable (or should be: nothing of the browser's own addresses leaks to the
   * other side), and for tests that prove the relay works. Default `all`.
   */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /**
   * Where the camera and microphone come from. Called at most once per adapter (the result is
   * shared: each leg publishes its own clones of the tracks, so one leg's mute never touches
   * another's and the camera opens once for N splits). Default: getUserMedia({audio, video}).
   */
  localStream?: () => Promise<MediaStream>;
  /** How long a detach may take before close() gives up waiting (ms, default 3000). */
  detachTimeoutMs?: number;
  /** janus.js's own console logging (`true`, or levels like ['warn','error']). Default: off. */
  debug?: boolean | string[];
  /**
   * What a leg at `low` quality (a call not in focus) sends the other side: a small, slow video
   * (default) or its last frame, `still`.
   */
  unfocusedVideo?: UnfocusedVideo;
}

/** Moments in a leg's life (performance.now() ms), for the benchmark and for diagnostics. */
export interface JanusLegTimings {
  joinAt: number;
  /** The publisher handle is attached. */
  attachedAt?: number;
  /** The subscriber handle, attached ahead of need, is ready. */
  spareAt?: number;
  /** The publisher learnt who publishes (`joined`) and the subscription began. */
  feedsAt?: number;
  /** The publisher handle joined the room. */
  joinedAt?: number;
  /** Our own PeerConnection to Janus is up (publish only). */
  publishedAt?: number;
  /** The subscribe request went out. */
  subscribeAt?: number;
  /** The subscriber's PeerConnection is up. */
  subscribedAt?: number;
  /** The first remote video track arrived (not yet a decoded frame). */
  remoteVideoAt?: number;
  /**
   * The subscriber decoded its first video frame (read from a clone of the track with
   * MediaStreamTrackProcessor; where that is missing, inbound `framesDecoded` polled every 10 ms).
   * A <video> shows it a paint later: see firstFrame().
   */
  firstFrameAt?: number;
  liveAt?: number;
}

/** After a lost subscription: wait this long, then subscribe again; fail after this many in a row. */
const RESUBSCRIBE_DELAY_MS = 300;
const MAX_RESUBSCRIBES = 3;

const FIRST_FRAME_POLL_MS = 10;

/**
 * A party's right to a room reaches Janus a moment after the snapshot that tells the browser
 * about the room (the control center adds the token while the page already joins): a refusal
 * of the token is retried this many times, AUTH_RETRY_MS × n apart, before the leg fails.
 */
const AUTH_RACE = /not allowed in it|Unauthorized request|missing secret\/token|can't access plugin/i;
const AUTH_RETRIES = 3;
const AUTH_RETRY_MS = 250;

/** When a simulcast publisher makes fresh keyframes after its focus changed (ms after). */
const KEYFRAMES_AT_MS = [0, 400, 1500, 3000];
/**
 * And every this long while publishing simulcast: a safety net for a layer switch the customer's
 * page hears nothing of (the agent's `quality` attribute changed, a seat restored), which would
 * otherwise wait for a keyframe that never comes (ms).
 */
const KEYFRAME_EVERY_MS = 10_000;

/** The longest our own offer waits for the other side's video to come up first (ms). */
const PUBLISH_DEFER_MS = 600;

// ---- a thin typed view of janus.js -------------------------------------------------------------

type Msg = Record<string, any>;
type Jsep = RTCSessionDescriptionInit & Record<string, unknown>;

interface PluginHandle {
  getId(): number;
  send(p: { message: Msg; jsep?: Jsep; success?: (r: Msg) => void; error?: (e: unknown) => void }): void;
  createOffer(p: { tracks: unknown[]; success: (j: Jsep) => void; error: (e: unknown) => void }): void;
  createAnswer(p: { jsep: Jsep; tracks: unknown[]; success: (j: Jsep) => void; error: (e: unknown) => void }): void;
  handleRemoteJsep(p: { jsep: Jsep; error?: (e: unknown) => void }): void;
  detach(p: { success?: () => void; error?: (e: unknown) => void; noRequest?: boolean }): void;
}

interface HandleCallbacks {
  onmessage(msg: Msg, jsep?: Jsep): void;
  onremotetrack?(track: MediaStreamTrack, mid: string, on: boolean, meta?: { reason?: string }): void;
  webrtcState(on: boolean, reason?: string): void;
  iceState(state: string): void;
  slowLink(uplink: boolean, lost: number, mid?: string): void;
  ondetached(): void;
}

interface JanusSession {
  attach(p: Record<string, unknown>): void;
  destroy(p: { cleanupHandles?: boolean; success?: () => void; error?: (e: unknown) => void }): void;
  isConnected(): boolean;
}

const J = Janus as unknown as
  | undefined
  | {
      new (p: Record<string, unknown>): JanusSession;
      init(p: Record<string, unknown>): void;
      useDefaultDependencies(p: Record<string, unknown>): unknown;
      isWebrtcSupported(): boolean;
    };

let initPromise: Promise<void> | null = null;

/** Loads janus.js once per page (Janus.init is global). */
function initJanus(debug: boolean | string[]): Promise<void> {
  if (!J || typeof J.init !== 'function') {
    const amd = typeof (globalThis as { define?: { amd?: unknown } }).define === 'function';
    return Promise.reject(
      new Error(
        amd
          ? 'janus-gateway loaded as undefined: this page has an AMD loader (`define`, e.g. requirejs or Monaco) ' +
            'and janus.js registered itself with it instead of exporting. Load the seat before the AMD loader, ' +
            'or bundle janus-gateway so that its UMD wrapper does not see `define`.'
          : 'janus-gateway did not load (its default export is undefined); check how the bundle imports it.',
      ),
    );
  }
  initPromise ??= new Promise<void>((resolve, reject) => {
    try {
      J.init({
        debug,
        dependencies: J.useDefaultDependencies({ adapter }),
        callback: () => (J.isWebrtcSupported() ? resolve() : reject(new Error('this browser has no WebRTC'))),
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
  return initPromise;
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const o = e as { name?: string; message?: string };
    if (o.message) return o.name ? `${o.name}: ${o.message}` : o.message;
  }
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

/** The VideoRoom's error codes that a person can act on, in words. */
function videoroomError(msg: Msg): string {
  const code = msg.error_code as number | undefined;
  const reason = String(msg.error ?? 'unknown error');
  switch (code) {
    case 433:
      return /allowed list|kicked/.test(reason)
        ? `media server refused the room: this party is not allowed in it (${reason})`
        : `media server refused the room: wrong pin (${reason})`;
    case 426:
      return `the call's media room does not exist any more (${reason})`;
    case 432:
      return `the call's media room is full (${reason})`;
    default:
      return `media server error${code ? ` ${code}` : ''}: ${reason}`;
  }
}

// ---- the session ---------------------------------------------------------------------------------

class Session {
  readonly ready: Promise<JanusSession>;
  dead = false;
  /**
   * A newer session for the same server and token was made with other ICE servers (the control
   * center mints TURN credentials afresh per connection): this one ends with its last leg.
   */
  superseded = false;
  private janus: JanusSession | null = null;
  readonly legs = new Set<JanusLeg>();

  constructor(
    readonly url: string,
    /** The Janus session token (`token_auth`), sent with every request; null without one. */
    readonly token: string | null,
    /** Server and token: sessions with the same base differ only in their ICE servers. */
    readonly base: string,
    iceServers: RTCIceServer[],
    iceTransportPolicy: RTCIceTransportPolicy | undefined,
    debug: boolean | string[],
    private readonly onDead: (s: Session) => void,
  ) {
    this.ready = initJanus(debug).then(
      () =>
        new Promise<JanusSession>((resolve, reject) => {
          let up = false;
          const janus: JanusSession = new J!({
            server: url,
            ...(token ? { token } : {}),
            // janus.js gives every PeerConnection of the session these (it has no per-handle
            // setting), hence a session per set of ICE servers. `[]` keeps janus.js from
            // falling back to Google's public STUN server.
            iceServers,
            ...(iceTransportPolicy ? { iceTransportPolicy } : {}),
            success: () => {
              up = true;
              this.janus = janus;
              resolve(janus);
            },
            error: (e: unknown) => {
              const why = describe(e);
              this.die();
              if (!up) reject(new Error(`cannot reach the media server at ${url}: ${why}`));
              else for (const leg of [...this.legs]) leg.fail(`lost the media server at ${url}: ${why}`);
            },
            destroyed: () => this.die(),
          });
        }),
    );
    this.ready.catch(() => this.die());
  }

  private die(): void {
    if (this.dead) return;
    this.dead = true;
    this.onDead(this);
  }

  attach(callbacks: HandleCallbacks): Promise<PluginHandle> {
    return this.ready.then(
      (janus) =>
        new Promise<PluginHandle>((resolve, reject) => {
          janus.attach({
            plugin: 'janus.plugin.videoroom',
            opaqueId: 'multi-seat',
            success: (h: PluginHandle) => resolve(h),
            error: (e: unknown) => reject(new Error(`cannot attach to the VideoRoom plugin: ${describe(e)}`)),
            ...callbacks,
          });
        }),
    );
  }

  async destroy(): Promise<void> {
    this.die();
    const janus = this.janus;
    this.janus = null;
    if (!janus) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 3000);
      janus.destroy({
        cleanupHandles: true,
        success: () => (clearTimeout(t), resolve()),
        error: () => (clearTimeout(t), resolve()),
      });
    });
  }
}

// ---- the adapter ---------------------------------------------------------------------------------

export class JanusMediaAdapter implements MediaAdapter<MediaStream> {
  private readonly sessions = new Map<string, Session>();
  private readonly legs = new Set<JanusLeg>();
  private local: Promise<MediaStream> | null = null;
  private ownsLocal = false;
  private disposed = false;

  constructor(private readonly options: JanusMediaAdapterOptions = {}) {}

  join(media: MediaInfo, options: JoinOptions): JanusLeg {
    const leg = new JanusLeg(this, media, options, (l) => this.legs.delete(l));
    // A pane that re-renders while its seat is being torn down may still ask: answer with a
    // failed leg rather than throw inside a render.
    if (this.disposed) {
      leg.fail('the media adapter was disposed');
      return leg;
    }
    this.legs.add(leg);
    leg.start();
    return leg;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.legs].map((l) => l.close()));
    await Promise.all([...this.sessions.values()].map((s) => s.destroy()));
    this.sessions.clear();
    if (this.local && this.ownsLocal) {
      const s = await this.local.catch(() => null);
      s?.getTracks().forEach((t) => t.stop());
    }
    this.local = null;
  }

  /**
   * @internal The session for a server URL, token and ICE servers (the call's `media.iceServers`,
   * else the option), made on first use and remade after it died. A new set of ICE servers for
   * the same server and token (fresh TURN credentials after a reconnect to the control center)
   * makes a new session; the old one ends with its last leg.
   */
  session(url: string, token: string | null = null, iceServers?: RTCIceServer[]): Session {
    const u = this.options.server ?? url;
    const base = token ? `${u}\n${token}` : u;
    const ice = iceServers ?? this.options.iceServers ?? [];
    const id = `${base}\n${JSON.stringify(ice)}`;
    let s = this.sessions.get(id);
    if (!s || s.dead) {
      s = new Session(u, token, base, ice, this.options.iceTransportPolicy, this.options.debug ?? false, (dead) => {
        if (this.sessions.get(id) === dead) this.sessions.delete(id);
      });
      for (const [other, o] of this.sessions) {
        if (other === id || o.base !== base) continue;
        o.superseded = true;
        if (o.legs.size === 0) {
          this.sessions.delete(other);
          void o.destroy();
        }
      }
      this.sessions.set(id, s);
    }
    return s;
  }

  /**
   * @internal A leg left its session: a session made for one call's token ends with its last
   * leg (Janus drops the token with the call; a seat's token-less session stays for the next,
   * unless a newer one with other ICE servers replaced it).
   */
  released(session: Session): void {
    if ((!session.token && !session.superseded) || session.legs.size > 0) return;
    for (const [id, s] of this.sessions) if (s === session) this.sessions.delete(id);
    void session.destroy();
  }

  /**
   * @internal The shared camera and microphone; `simulcast` asks a capture large enough for
   * three layers (the first leg's wish decides: one adapter serves one side of calls).
   */
  localStream(simulcast = false): Promise<MediaStream> {
    if (!this.local) {
      const make = this.options.localStream;
      this.ownsLocal = !make;
      this.local = (make ? make() : navigator.mediaDevices.getUserMedia({ audio: true, video: simulcast ? SIMULCAST_CAPTURE : true })).catch((e) => {
        this.local = null;
        throw new Error(`no camera or microphone: ${describe(e)}`);
      });
    }
    return this.local;
  }

  get detachTimeoutMs(): number {
    return this.options.detachTimeoutMs ?? 3000;
  }

  get unfocusedVideo(): UnfocusedVideo {
    return this.options.unfocusedVideo ?? 'low';
  }
}

// ---- one leg ------------------------------------------------------------------------------------

export class JanusLeg implements MediaLeg<MediaStream> {
  private state: MediaLegState<MediaStream>;
  private readonly listeners = new Set<(s: MediaLegState<MediaStream>) => void>();
  private focused: boolean;
  private quality: MediaQuality;
  /** The subscriber's video m-lines (their mids), to move between simulcast layers. */
  private readonly videoMids = new Set<string>();
  /** Starts as options.publish; publish() turns a preview leg into a publishing one. */
  private wantPublish: boolean;
  /** Bumped by retry() and close(): callbacks of an older attempt are ignored. */
  private gen = 0;
  private closed = false;
  /** Set when Janus kicked us out of the room: never retried by itself. */
  private kicked = false;
  /** Refusals retried in this attempt (see AUTH_RACE). */
  private authRetries = 0;
  private session: Session | null = null;
  private pub: PluginHandle | null = null;
  private sub: PluginHandle | null = null;
  private subAttaching: Promise<void> | null = null;
  /** A subscriber handle attached ahead of need (see run()). */
  private spareSub: Promise<{ sub: PluginHandle; intent: { closedOnPurpose: boolean } }> | null = null;
  private myId: number | null = null;
  private privateId: number | null = null;
  private joined = false;
  private published = false;
  /** Remote publishers' feed ids seen in the room. */
  private readonly feeds = new Set<number>();
  /** Feeds the subscriber handle has asked for. */
  private readonly subscribed = new Set<number>();
  private readonly remoteTracks = new Map<string, MediaStreamTrack>();
  private localTracks: MediaStreamTrack[] = [];
  private warningTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly publishWaiters = new Set<() => void>();
  /** Subscriptions lost in a row (reset when one comes up). */
  private resubscribes = 0;
  /** Set while publishing waits for the subscription (publishSoon). */
  private releasePublish: (() => void) | null = null;
  private settle: (() => void) | null = null;
  private attempt: Promise<void> = Promise.resolve();
  timings: JanusLegTimings = { joinAt: performance.now() };

  constructor(
    private readonly adapter: JanusMediaAdapter,
    readonly media: MediaInfo,
    readonly options: JoinOptions,
    private readonly onClosed: (l: JanusLeg) => void,
  ) {
    this.focused = options.focused;
    this.quality = options.quality ?? 'high';
    this.wantPublish = options.publish;
    this.state = { status: 'connecting', local: null, remote: null, error: null, focused: this.focused, warning: null };
  }

  getState(): MediaLegState<MediaStream> {
    return this.state;
  }

  /** Our publisher id in the room once joined (what the other side subscribes to), else null. */
  get feedId(): number | null {
    return this.myId;
  }

  subscribe(listener: (state: MediaLegState<MediaStream>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the current attempt is live or has failed (or the leg closed). */
  settled(): Promise<void> {
    return this.attempt;
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    for (const t of this.localTracks) if (t.kind === 'audio') t.enabled = focused;
    for (const t of this.remoteTracks.values()) if (t.kind === 'audio') t.enabled = focused;
    this.set({ focused });
  }

  /**
   * Moves the leg between the other side's simulcast layers and between full and reduced video
   * of our own (see janus-quality.ts). Applied at once when joined, else when the handles are up.
   */
  setQuality(quality: MediaQuality): void {
    if (quality === this.quality) return;
    this.quality = quality;
    this.applyQuality();
  }

  private applyQuality(): void {
    const request = this.sub ? receiveRequest(this.videoMids, this.quality) : null;
    if (request) this.sub!.send({ message: request });
    const pc = (this.pub as unknown as { webrtcStuff?: { pc?: RTCPeerConnection } } | null)?.webrtcStuff?.pc;
    if (this.options.simulcast) {
      // The customer's side: every layer keeps flowing (the agent's split picks one), and the
      // split switches layers as focus moves, at the new layer's next keyframe: make one on
      // every layer now, and a few times more, since the agent's switch reaches the media
      // server through its own page a moment before or after this one learns of the focus.
      const gen = this.gen;
      const refresh = () => (this.stale(gen) ? undefined : refreshKeyframes(pc).catch(() => {}));
      for (const at of KEYFRAMES_AT_MS) setTimeout(refresh, at);
      return;
    }
    // A sender that refuses new parameters keeps sending as it was: a cost, not a failure.
    applySendQuality(pc, this.quality, this.adapter.unfocusedVideo).catch(() => {});
  }

  /**
   * Turns a preview leg (joined with `publish: false`) into the answered leg: opens the camera and
   * microphone and publishes them on the same publisher handle, keeping the subscription so the
   * remote video never blinks. Resolves once our media reaches Janus (WebRTC up); rejects if the
   * leg fails or closes first. On a leg that is connecting or failed, the (re)join publishes.
   */
  publish(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the media leg is closed'));
    if (!this.wantPublish) {
      this.wantPublish = true;
      if (this.joined && this.pub) void this.startPublishing(this.gen);
    }
    return new Promise<void>((resolve, reject) => {
      const check = (): boolean => {
        if (this.published) resolve();
        else if (this.closed || this.state.status === 'closed') reject(new Error('the media leg closed before publishing'));
        else if (this.state.status === 'failed') reject(new Error(this.state.error ?? 'the media leg failed'));
        else return false;
        return true;
      };
      if (check()) return;
      const off = this.subscribe(() => {
        if (check()) off();
      });
      this.publishWaiters.add(() => {
        if (check()) off();
      });
    });
  }

  async retry(): Promise<void> {
    if (this.closed) return;
    this.kicked = false;
    this.authRetries = 0;
    this.gen++;
    await this.teardown();
    this.set({ status: 'connecting', error: null, warning: null, ended: null, local: null, remote: null });
    this.start();
    await this.attempt;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gen++;
    await this.teardown();
    const session = this.session;
    session?.legs.delete(this);
    this.session = null;
    if (session) this.adapter.released(session);
    this.set({ status: 'closed', local: null, remote: null, warning: null });
    this.settle?.();
    for (const w of [...this.publishWaiters]) w();
    this.publishWaiters.clear();
    this.listeners.clear();
    this.onClosed(this);
  }

  /** @internal Starts an attempt (first join or retry); `again`: the same attempt once more. */
  start(again = false): void {
    const gen = this.gen;
    this.timings = { joinAt: performance.now() };
    if (!again) this.attempt = new Promise<void>((resolve) => (this.settle = resolve));
    void this.run(gen).catch((e) => this.fail(describe(e), gen));
  }

  /** @internal Marks the leg failed (from any callback) and frees its handles for a retry. */
  fail(error: string, gen = this.gen): void {
    if (this.closed || gen !== this.gen || this.state.status === 'failed') return;
    if (!this.kicked && this.state.status === 'connecting' && this.authRetries < AUTH_RETRIES && AUTH_RACE.test(error)) {
      // Most likely our right is still on its way to Janus: the same attempt again, shortly.
      const n = ++this.authRetries;
      this.gen++;
      const next = this.gen;
      void this.teardown()
        .then(() => new Promise((r) => setTimeout(r, AUTH_RETRY_MS * n)))
        .then(() => {
          if (this.closed || next !== this.gen || this.state.status !== 'connecting') return;
          this.start(true);
        });
      return;
    }
    this.gen++;
    this.set({ status: 'failed', error, remote: null, local: null });
    this.settle?.();
    void this.teardown();
  }

  // ---- internals ----

  /** The call's room was destroyed: the leg closes (no error) and frees its handles; retry() joins again. */
  private roomClosed(gen: number): void {
    if (this.stale(gen)) return;
    this.gen++;
    this.set({ status: 'closed', ended: 'room-closed', error: null, warning: null, remote: null, local: null });
    this.settle?.();
    void this.teardown();
  }

  private stale(gen: number): boolean {
    return this.closed || gen !== this.gen;
  }

  private set(patch: Partial<MediaLegState<MediaStream>>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) {
      try {
        l(this.state);
      } catch (e) {
        console.error('media leg listener failed', e);
      }
    }
  }

  private warn(warning: string): void {
    if (this.warningTimer) clearTimeout(this.warningTimer);
    this.set({ warning });
    this.warningTimer = setTimeout(() => {
      this.warningTimer = null;
      if (!this.closed) this.set({ warning: null });
    }, 10_000);
  }

  private checkLive(gen: number): void {
    if (this.stale(gen) || this.state.status !== 'connecting') return;
    if (!this.joined || (this.wantPublish && !this.published)) return;
    this.timings.liveAt = performance.now();
    this.authRetries = 0;
    this.set({ status: 'live' });
    this.settle?.();
  }

  private async run(gen: number): Promise<void> {
    const session = this.adapter.session(this.media.server, this.media.token ?? null, this.media.iceServers);
    this.session = session;
    session.legs.add(this);
    // Open the camera while the session and handle are being made.
    // Open the camera, and attach the subscriber handle, while the publisher handle is made:
    // once the room tells us who publishes, the subscribe goes out with no round trip first.
    const local = this.wantPublish ? this.adapter.localStream(this.options.simulcast) : null;
    local?.catch(() => {});
    this.spareSub = this.attachSub(session, gen);
    this.spareSub.then(() => (this.timings.spareAt = performance.now()), () => {});
    const pub = await session.attach(this.publisherCallbacks(gen));
    if (this.stale(gen)) return void detach(pub, this.adapter.detachTimeoutMs);
    this.pub = pub;
    this.timings.attachedAt = performance.now();
    pub.send({
      message: {
        request: 'join',
        ptype: 'publisher',
        room: this.media.room,
        pin: this.media.pin,
        // A locked room admits only the tokens of its call's parties, and the control center
        // knows each party's participants by their display: the party id, when it gives one.
        ...(this.media.token ? { token: this.media.token } : {}),
        display: this.media.party ?? this.options.display,
      },
      error: (e) => this.fail(`cannot join the media room: ${describe(e)}`, gen),
    });
    // The self-view appears when publishing starts (startPublishing), not on the critical path
    // of the other side's first frame.
  }

  private attachSub(session: Session, gen: number): Promise<{ sub: PluginHandle; intent: { closedOnPurpose: boolean } }> {
    const intent = { closedOnPurpose: false };
    return session.attach(this.subscriberCallbacks(gen, intent)).then((sub) => ({ sub, intent }));
  }

  /** Publishes now when nobody else publishes yet, else once the subscription is up. */
  private publishSoon(gen: number): void {
    if (!this.feeds.size) return void this.startPublishing(gen);
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.releasePublish = null;
      void this.startPublishing(gen);
    };
    const timer = setTimeout(go, PUBLISH_DEFER_MS);
    this.releasePublish = go;
  }

  /** This leg's own clones of the shared camera and microphone (made once per attempt). */
  private useLocal(stream: MediaStream): void {
    if (this.localTracks.length) return;
    this.localTracks = [...stream.getAudioTracks().slice(0, 1), ...stream.getVideoTracks().slice(0, 1)].map((t) => t.clone());
    for (const t of this.localTracks) if (t.kind === 'audio') t.enabled = this.focused;
    this.set({ local: new MediaStream(this.localTracks) });
  }

  private publisherCallbacks(gen: number): HandleCallbacks {
    return {
      onmessage: (msg, jsep) => {
        if (this.stale(gen)) return;
        const ev = msg.videoroom as string | undefined;
        if (msg.error) return this.fail(videoroomError(msg), gen);
        if (ev === 'joined') {
          this.myId = msg.id;
          this.privateId = msg.private_id ?? null;
          this.joined = true;
          this.timings.joinedAt = performance.now();
          this.onPublishers(msg.publishers, gen);
          // The other side's video first: when someone already publishes, our own offer waits
          // until that subscription is up (or PUBLISH_DEFER_MS), so that the two negotiations do
          // not compete for the CPU at the moment the agent wants to see the customer.
          if (this.wantPublish) this.publishSoon(gen);
          this.checkLive(gen);
        } else if (ev === 'talking' || ev === 'stopped-talking') {
          // The room reports every publisher's audio level; only the other side's matters here.
          if (msg.id !== this.myId && this.feeds.has(msg.id)) this.set({ talking: ev === 'talking' });
        } else if (ev === 'destroyed') {
          // The control center destroys a room when its call ends or moves: this event often
          // arrives before the snapshot that says so. The leg is over, not failed.
          this.roomClosed(gen);
        } else if (ev === 'event') {
          if (msg.leaving === 'ok' && msg.reason === 'kicked') {
            this.kicked = true;
            return this.fail('the media server removed this party from the call (no longer allowed in the room)', gen);
          }
          if (msg.publishers) this.onPublishers(msg.publishers, gen);
          const gone = msg.unpublished ?? msg.leaving;
          if (gone !== undefined && gone !== 'ok' && gone !== this.myId) this.onGone(Number(gone), gen);
        }
        if (jsep && this.pub) {
          this.pub.handleRemoteJsep({ jsep, error: (e) => this.fail(`media negotiation failed: ${describe(e)}`, gen) });
        }
      },
      webrtcState: (on, reason) => {
        if (this.stale(gen)) return;
        if (on) {
          this.published = true;
          this.timings.publishedAt = performance.now();
          if (this.quality !== 'high') this.applyQuality();
          if (this.options.simulcast) {
            const pc = (this.pub as unknown as { webrtcStuff?: { pc?: RTCPeerConnection } } | null)?.webrtcStuff?.pc;
            const ticker = setInterval(() => (this.stale(gen) ? clearInterval(ticker) : void refreshKeyframes(pc).catch(() => {})), KEYFRAME_EVERY_MS);
          }
          this.checkLive(gen);
          for (const w of [...this.publishWaiters]) w();
          this.publishWaiters.clear();
        } else {
          this.fail(`the media server closed our camera connection${reason ? ` (${reason})` : ''}`, gen);
        }
      },
      iceState: (s) => this.onIce(s, 'camera', gen),
      slowLink: (uplink, lost) => this.onSlowLink(uplink, lost, gen),
      ondetached: () => {
        if (!this.stale(gen)) this.fail('the media server dropped this call (handle detached)', gen);
      },
    };
  }

  private async startPublishing(gen: number): Promise<void> {
    let stream: MediaStream;
    try {
      stream = await this.adapter.localStream(this.options.simulcast);
    } catch (e) {
      return this.fail(describe(e), gen);
    }
    if (this.stale(gen) || !this.pub) return;
    this.useLocal(stream);
    const pub = this.pub;
    const simulcast = this.options.simulcast === true;
    const tracks = this.localTracks.map((t) => ({ type: t.kind, capture: t, recv: false, ...(simulcast && t.kind === 'video' ? { simulcast: true } : {}) }));
    pub.createOffer({
      tracks,
      success: (jsep) => {
        if (this.stale(gen)) return;
        pub.send({
          message: { request: 'configure', audio: true, video: true },
          jsep,
          error: (e) => this.fail(`cannot publish: ${describe(e)}`, gen),
        });
      },
      error: (e) => this.fail(`cannot publish the camera: ${describe(e)}`, gen),
    });
  }

  private onPublishers(list: unknown, gen: number): void {
    if (!Array.isArray(list)) return;
    let changed = false;
    for (const p of list as Msg[]) {
      if (p.id === this.myId || p.dummy) continue;
      if (Array.isArray(p.streams) && p.streams.every((s: Msg) => s.disabled)) continue;
      if (!this.feeds.has(p.id)) {
        this.feeds.add(p.id);
        changed = true;
      }
    }
    if (changed) void this.syncSubscriptions(gen);
  }

  private onGone(feed: number, gen: number): void {
    if (!this.feeds.delete(feed)) return;
    if (this.state.talking) this.set({ talking: false });
    void this.syncSubscriptions(gen);
  }

  /** Makes the subscriber handle follow `feeds`: attach, subscribe, unsubscribe, or detach. */
  private async syncSubscriptions(gen: number): Promise<void> {
    if (this.stale(gen)) return;
    this.timings.feedsAt ??= performance.now();
    if (this.subAttaching) {
      await this.subAttaching;
      return this.syncSubscriptions(gen);
    }
    if (!this.feeds.size) {
      // The other side left: not a failure; drop its media until someone publishes again.
      if (this.sub) {
        const sub = this.sub;
        this.sub = null;
        this.subscribed.clear();
        this.videoMids.clear();
        this.remoteTracks.clear();
        this.set({ remote: null });
        void detach(sub, this.adapter.detachTimeoutMs);
      }
      return;
    }
    if (!this.sub) {
      const feeds = [...this.feeds];
      this.subAttaching = (async () => {
        const spare = this.spareSub;
        this.spareSub = null;
        const { sub, intent: subGen } = await (spare ?? this.attachSub(this.session!, gen));
        if (this.stale(gen)) return void detach(sub, this.adapter.detachTimeoutMs);
        this.sub = sub;
        (sub as PluginHandle & { __intent?: typeof subGen }).__intent = subGen;
        for (const f of feeds) this.subscribed.add(f);
        this.timings.subscribeAt = performance.now();
        sub.send({
          message: {
            request: 'join',
            ptype: 'subscriber',
            room: this.media.room,
            pin: this.media.pin,
            private_id: this.privateId ?? undefined,
            use_msid: false,
            // The layer asked at once, so an unfocused split never starts on the full one.
            streams: feeds.map((feed) => ({ feed, substream: SUBSTREAM[this.quality] })),
          },
          error: (e) => this.fail(`cannot subscribe to the other side: ${describe(e)}`, gen),
        });
      })().finally(() => (this.subAttaching = null));
      await this.subAttaching.catch((e) => this.fail(describe(e), gen));
      return;
    }
    const add = [...this.feeds].filter((f) => !this.subscribed.has(f));
    const drop = [...this.subscribed].filter((f) => !this.feeds.has(f));
    if (add.length) {
      add.forEach((f) => this.subscribed.add(f));
      this.sub.send({ message: { request: 'subscribe', streams: add.map((feed) => ({ feed, substream: SUBSTREAM[this.quality] })) } });
    }
    if (drop.length) {
      drop.forEach((f) => this.subscribed.delete(f));
      this.sub.send({ message: { request: 'unsubscribe', streams: drop.map((feed) => ({ feed })) } });
    }
  }

  private subscriberCallbacks(gen: number, intent: { closedOnPurpose: boolean }): HandleCallbacks {
    const mine = () => !this.stale(gen) && !intent.closedOnPurpose && this.sub !== null && (this.sub as { __intent?: unknown }).__intent === intent;
    return {
      onmessage: (msg, jsep) => {
        if (this.stale(gen)) return;
        if (msg.error) {
          // A feed that left between `publishers` and our subscribe: not fatal.
          if (msg.error_code === 428) return;
          return this.fail(videoroomError(msg), gen);
        }
        if (Array.isArray(msg.streams) && (msg.videoroom === 'attached' || msg.videoroom === 'updated')) {
          this.videoMids.clear();
          for (const st of msg.streams as Msg[]) if (st.type === 'video' && st.mid !== undefined && st.active !== false) this.videoMids.add(String(st.mid));
        }
        if (jsep && this.sub) {
          const sub = this.sub;
          sub.createAnswer({
            jsep,
            tracks: [],
            success: (answer) => {
              if (this.stale(gen)) return;
              sub.send({ message: { request: 'start', room: this.media.room }, jsep: answer });
            },
            error: (e) => this.fail(`cannot receive the other side's media: ${describe(e)}`, gen),
          });
        }
      },
      onremotetrack: (track, mid, on, meta) => {
        if (this.stale(gen)) return;
        const reason = meta?.reason;
        if (on) {
          if (track.kind === 'audio') track.enabled = this.focused;
          if (track.kind === 'video' && this.timings.remoteVideoAt === undefined) {
            this.timings.remoteVideoAt = performance.now();
            void this.watchFirstFrame(track, gen);
          }
          if (this.remoteTracks.get(mid) === track) return;
          this.remoteTracks.set(mid, track);
        } else {
          if (reason === 'mute') return; // a paused feed: keep the track, it comes back on unmute
          if (!this.remoteTracks.delete(mid)) return;
        }
        this.set({ remote: this.remoteTracks.size ? new MediaStream([...this.remoteTracks.values()]) : null });
      },
      webrtcState: (on, reason) => {
        if (!mine()) return;
        if (on) {
          this.timings.subscribedAt = performance.now();
          this.resubscribes = 0;
        } else this.subscriptionLost(`the media server closed the other side's video${reason ? ` (${reason})` : ''}`, gen);
      },
      iceState: (s) => {
        if (mine()) this.onIce(s, 'remote video', gen);
      },
      slowLink: (uplink, lost) => this.onSlowLink(uplink, lost, gen),
      ondetached: () => {
        if (mine()) this.subscriptionLost('the media server dropped the other side’s video (handle detached)', gen);
      },
    };
  }

  /**
   * Waits for the first decoded remote video frame: records `firstFrameAt`, then lets our own
   * offer go (publishSoon), so that publishing does not compete with that first frame. Reads one
   * frame from a clone of the track (MediaStreamTrackProcessor) where the browser has it, else
   * polls the subscriber's inbound `framesDecoded` (which lags by up to ~100 ms).
   */
  private async watchFirstFrame(track: MediaStreamTrack, gen: number): Promise<void> {
    const Processor = (globalThis as { MediaStreamTrackProcessor?: new (o: { track: MediaStreamTrack }) => { readable: ReadableStream<{ close(): void }> } })
      .MediaStreamTrackProcessor;
    try {
      if (Processor) {
        const clone = track.clone();
        const reader = new Processor({ track: clone }).readable.getReader();
        const timeout = setTimeout(() => void reader.cancel().catch(() => {}), 5000);
        try {
          const { value } = await reader.read();
          if (value) {
            this.timings.firstFrameAt ??= performance.now();
            value.close();
          }
        } finally {
          clearTimeout(timeout);
          void reader.cancel().catch(() => {});
          clone.stop();
        }
      } else {
        const end = performance.now() + 5000;
        while (!this.stale(gen) && this.sub && performance.now() < end) {
          const pc = (this.sub as unknown as { webrtcStuff?: { pc?: RTCPeerConnection } }).webrtcStuff?.pc;
          let decoded = 0;
          (await pc?.getStats())?.forEach((r: { type: string; kind?: string; framesDecoded?: number }) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') decoded += r.framesDecoded ?? 0;
          });
          if (decoded > 0) {
            this.timings.firstFrameAt ??= performance.now();
            break;
          }
          await new Promise((r) => setTimeout(r, FIRST_FRAME_POLL_MS));
        }
      }
    } catch {
      // Diagnostics only: publishing goes ahead below (or on its timer).
    }
    if (!this.stale(gen)) this.releasePublish?.();
  }

  /**
   * The subscriber's PeerConnection went away. When the other side leaves, Janus hangs up our
   * subscription, sometimes before the publisher handle hears `unpublished`: so drop the
   * subscription, wait a moment, and subscribe again to whoever still publishes (a feed that
   * is gone by then answers "no such feed", which is ignored). Only repeated losses fail the leg.
   */
  private subscriptionLost(why: string, gen: number): void {
    if (this.stale(gen) || !this.sub) return;
    const sub = this.sub as PluginHandle & { __intent?: { closedOnPurpose: boolean } };
    if (sub.__intent) sub.__intent.closedOnPurpose = true;
    this.sub = null;
    this.subscribed.clear();
    this.videoMids.clear();
    this.remoteTracks.clear();
    this.set({ remote: null });
    void detach(sub, this.adapter.detachTimeoutMs);
    if (++this.resubscribes > MAX_RESUBSCRIBES) return this.fail(why, gen);
    setTimeout(() => void this.syncSubscriptions(gen), RESUBSCRIBE_DELAY_MS);
  }

  private onIce(s: string, what: string, gen: number): void {
    if (this.stale(gen)) return;
    if (s === 'failed') this.fail(`network path to the media server failed (ICE failed on the ${what} connection)`, gen);
    else if (s === 'disconnected') this.warn(`connection to the media server interrupted (${what}); reconnecting…`);
    else if ((s === 'connected' || s === 'completed') && this.state.warning?.startsWith('connection to the media server interrupted')) {
      this.set({ warning: null });
    }
  }

  private onSlowLink(uplink: boolean, lost: number, gen: number): void {
    if (this.stale(gen)) return;
    this.warn(`poor network: ${lost} packets lost ${uplink ? 'from the media server' : 'on the way to the media server'}`);
  }

  private async teardown(): Promise<void> {
    this.releasePublish = null;
    if (this.warningTimer) clearTimeout(this.warningTimer);
    this.warningTimer = null;
    const handles = [this.sub, this.pub].filter((h): h is PluginHandle => h !== null);
    const sub = this.sub as (PluginHandle & { __intent?: { closedOnPurpose: boolean } }) | null;
    if (sub?.__intent) sub.__intent.closedOnPurpose = true;
    this.sub = null;
    this.pub = null;
    this.subAttaching = null;
    const spare = this.spareSub;
    this.spareSub = null;
    this.myId = null;
    this.privateId = null;
    this.joined = false;
    this.published = false;
    this.feeds.clear();
    this.subscribed.clear();
    this.videoMids.clear();
    this.remoteTracks.clear();
    const tracks = this.localTracks;
    this.localTracks = [];
    const timeout = this.adapter.detachTimeoutMs;
    if (spare) handles.push(...(await spare.then((x) => [x.sub], () => [])));
    await Promise.all(handles.map((h) => detach(h, timeout)));
    tracks.forEach((t) => t.stop());
  }
}

/** Hangs up and detaches a handle; never throws and never waits longer than `timeoutMs`. */
function detach(h: PluginHandle, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, timeoutMs);
    const done = () => (clearTimeout(t), resolve());
    try {
      h.detach({ success: done, error: done });
    } catch {
      done();
    }
  });
}

/**
 * Resolves with performance.now() of the first frame that `video` decodes and presents
 * (requestVideoFrameCallback; falls back to the first `videoWidth > 0` seen on a timer).
 */
export function firstFrame(video: HTMLVideoElement, timeoutMs = 10_000): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no video frame within ${timeoutMs} ms`)), timeoutMs);
    const done = (t: number) => (clearTimeout(timer), resolve(t));
    if ('requestVideoFrameCallback' in video) {
      video.requestVideoFrameCallback(() => done(performance.now()));
    } else {
      const poll = () => ((video as HTMLVideoElement).videoWidth > 0 ? done(performance.now()) : setTimeout(poll, 5));
      poll();
    }
  });
}
