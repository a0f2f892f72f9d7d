import type { JoinOptions, MediaAdapter, MediaLeg, MediaLegState, MediaQuality } from '../../core/media-adapter.js';
import type { MediaInfo } from '../../core/protocol.js';
import { sharedAudioContext } from './audio-context.js';

export interface FakeMediaOptions {
  /** How long a leg takes to go live, in ms (default 10). */
  delayMs?: number;
  /** Adds an oscillator audio track to each stream (default true). */
  audio?: boolean;
  /** Frames per second of the canvas streams (default 8). */
  fps?: number;
  /**
   * Makes a join (or a retry) fail with the returned reason; `attempt` counts from 1. For tests
   * and stories of the "video failed, retry" state.
   */
  fail?: (media: MediaInfo, options: JoinOptions, attempt: number) => string | null;
}

/** A canvas that draws a moving pattern, captured as a MediaStream (plus an oscillator tone). */
class FakeStream {
  readonly stream: MediaStream;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly osc: OscillatorNode | null = null;
  private frame = 0;

  constructor(label: string, hue: number, fps: number, audio: boolean, freq: number) {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const g = canvas.getContext('2d')!;
    const draw = () => {
      this.frame++;
      g.fillStyle = `hsl(${hue} 45% 30%)`;
      g.fillRect(0, 0, 160, 120);
      g.fillStyle = `hsl(${hue} 70% 65%)`;
      g.fillRect((this.frame * 6) % 160, 90, 24, 12);
      g.fillStyle = '#fff';
      g.font = '14px sans-serif';
      g.fillText(label.slice(0, 20), 8, 24);
      g.fillText(String(this.frame), 8, 48);
    };
    draw();
    this.stream = canvas.captureStream(fps);
    this.timer = setInterval(draw, 1000 / fps);
    const ctx = audio ? sharedAudioContext() : null;
    if (ctx) {
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      const gain = ctx.createGain();
      gain.gain.value = 0.02;
      const dest = ctx.createMediaStreamDestination();
      osc.connect(gain).connect(dest);
      osc.start();
      this.osc = osc;
      for (const t of dest.stream.getAudioTracks()) this.stream.addTrack(t);
    }
  }

  setAudio(on: boolean): void {
    for (const t of this.stream.getAudioTracks()) t.enabled = on;
  }

  stop(): void {
    clearInterval(this.timer);
    try {
      this.osc?.stop();
    } catch {
      /* already stopped */
    }
    for (const t of this.stream.getTracks()) t.stop();
  }
}

/** A leg of the fake adapter; `attempts`, `publishing` and `media` are there for tests. */
export class FakeLeg implements MediaLeg<MediaStream> {
  private state: MediaLegState<MediaStream>;
  private readonly listeners = new Set<(s: MediaLegState<MediaStream>) => void>();
  private localStream: FakeStream | null = null;
  private remoteStream: FakeStream | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  attempts = 0;
  publishing: boolean;
  /** The quality last asked (setQuality), for tests and stories to read. */
  quality: MediaQuality;

  constructor(
    readonly media: MediaInfo,
    readonly options: JoinOptions,
    private readonly config: Required<Omit<FakeMediaOptions, 'fail'>> & Pick<FakeMediaOptions, 'fail'>,
    private readonly onClose: (leg: FakeLeg) => void,
  ) {
    this.publishing = options.publish;
    this.quality = options.quality ?? 'high';
    this.state = { status: 'connecting', local: null, remote: null, error: null, focused: options.focused, warning: null };
    this.start();
  }

  getState(): MediaLegState<MediaStream> {
    return this.state;
  }

  subscribe(listener: (s: MediaLegState<MediaStream>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setFocused(focused: boolean): void {
    this.localStream?.setAudio(focused);
    this.remoteStream?.setAudio(focused);
    this.set({ focused });
  }

  setQuality(quality: MediaQuality): void {
    this.quality = quality;
  }

  /** For tests and stories: the other side starts or stops speaking (as Janus's `talking`). */
  talk(talking: boolean): void {
    if (this.state.status === 'live') this.set({ talking });
  }

  async publish(): Promise<void> {
    if (this.publishing || this.state.status === 'closed') return;
    this.publishing = true;
    if (this.state.status === 'live') {
      this.localStream = this.makeLocal();
      this.set({ local: this.localStream.stream });
    }
  }

  async retry(): Promise<void> {
    if (this.state.status !== 'failed' && this.state.ended !== 'room-closed') return;
    this.stopStreams();
    this.set({ status: 'connecting', error: null, ended: null });
    this.start();
  }

  async close(): Promise<void> {
    if (this.state.status === 'closed' && !this.state.ended) return;
    this.stopStreams();
    this.set({ status: 'closed', ended: null, local: null, remote: null });
    this.onClose(this);
  }

  /**
   * For tests: the media server destroyed the call's room (as Janus's `destroyed` event), which
   * the control center does when the call ends, often before the snapshot that ends it arrives.
   */
  roomClosed(): void {
    if (this.state.status === 'closed') return;
    this.stopStreams();
    this.set({ status: 'closed', ended: 'room-closed', error: null, local: null, remote: null });
  }

  private stopStreams(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.localStream?.stop();
    this.remoteStream?.stop();
    this.localStream = this.remoteStream = null;
  }

  private start(): void {
    this.attempts++;
    this.timer = setTimeout(() => {
      this.timer = null;
      const error = this.config.fail?.(this.media, this.options, this.attempts) ?? null;
      if (error) return this.set({ status: 'failed', error });
      this.remoteStream = new FakeStream(`room ${this.media.room}`, (this.media.room * 67) % 360, this.config.fps, this.config.audio, 330);
      this.remoteStream.setAudio(!!this.state.focused);
      if (this.publishing) this.localStream = this.makeLocal();
      this.set({ status: 'live', remote: this.remoteStream.stream, local: this.localStream?.stream ?? null });
    }, this.config.delayMs);
  }

  private makeLocal(): FakeStream {
    const s = new FakeStream(this.options.display, 200, this.config.fps, this.config.audio, 550);
    s.setAudio(!!this.state.focused);
    return s;
  }

  private set(patch: Partial<MediaLegState<MediaStream>>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l(this.state);
  }
}

/**
 * A media adapter without a media server, for stories, the offline demo and component tests:
 * every leg gets a canvas video (and an oscillator tone) as the other side's stream, and
 * another as its own camera when it publishes.
 */
export class FakeMediaAdapter implements MediaAdapter<MediaStream> {
  /** Legs open now, for tests to inspect. */
  readonly legs = new Set<FakeLeg>();
  /** Every leg ever joined, in order. */
  readonly joined: FakeLeg[] = [];
  private readonly config: Required<Omit<FakeMediaOptions, 'fail'>> & Pick<FakeMediaOptions, 'fail'>;

  constructor(options: FakeMediaOptions = {}) {
    this.config = { delayMs: options.delayMs ?? 10, audio: options.audio ?? true, fps: options.fps ?? 8, fail: options.fail };
  }

  join(media: MediaInfo, options: JoinOptions): FakeLeg {
    const leg = new FakeLeg(media, options, this.config, (l) => this.legs.delete(l));
    this.legs.add(leg);
    this.joined.push(leg);
    return leg;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.legs].map((l) => l.close()));
  }
}
