import type { JoinOptions, MediaAdapter, MediaLeg, MediaLegState, MediaQuality } from '../../core/media-adapter.js';
import type { MediaInfo } from '../../core/protocol.js';

/** What a split wants from its media now. */
export interface MediaWant {
  media: MediaInfo;
  /** Send the agent's camera and microphone (false: a muted preview of a ringing call). */
  publish: boolean;
  /** R10: the agent talks to this call (microphone open, remote audio heard). */
  focused: boolean;
  /** How much video this call gets each way (default `high`; see `quality` on the split). */
  quality?: MediaQuality;
  /** Publish simulcast layers (the customer's side: see JoinOptions). */
  simulcast?: boolean;
  display: string;
}

const keyOf = (m: MediaInfo) => `${m.server}#${m.room}`;

/**
 * The media of one split, as a plain class the element drives with `sync()`: joins the
 * call's room when the call has media, turns a ringing preview into a publishing leg on
 * answer without a blink (`MediaLeg.publish()` when the adapter has it, else a second leg that
 * replaces the preview once live), applies focus (R10) and video quality, and closes on hang-up.
 */
export class SplitMedia {
  private leg: MediaLeg<MediaStream> | null = null;
  /** A preview leg kept until its publishing replacement is live. */
  private previous: MediaLeg<MediaStream> | null = null;
  private key: string | null = null;
  private adapter: MediaAdapter<MediaStream> | null = null;
  private publishing = false;
  private focused = false;
  private quality: MediaQuality = 'high';
  private stops: (() => void)[] = [];

  constructor(private readonly onChange: () => void) {}

  /** The state to render: the current leg's, with the preview's remote video until the new one flows. */
  get state(): MediaLegState<MediaStream> | null {
    const s = this.leg?.getState() ?? null;
    if (!s) return null;
    if (!s.remote && this.previous) {
      const p = this.previous.getState();
      return { ...s, remote: p.remote, status: p.status === 'live' ? 'live' : s.status };
    }
    return s;
  }

  sync(adapter: MediaAdapter<MediaStream> | null, want: MediaWant | null): void {
    if (adapter !== this.adapter) {
      this.close();
      this.adapter = adapter;
    }
    if (!adapter || !want) return this.close();
    const key = keyOf(want.media);
    if (this.leg && key !== this.key) this.close();
    if (!this.leg) {
      this.key = key;
      this.publishing = want.publish;
      this.focused = want.focused;
      this.quality = want.quality ?? 'high';
      this.attach(adapter.join(want.media, this.joinOptions(want, want.publish)));
      return;
    }
    if (want.publish && !this.publishing) {
      this.publishing = true;
      if (this.leg.publish) {
        void this.leg.publish().catch(() => {});
      } else {
        this.previous = this.leg;
        this.leg = null;
        this.attach(adapter.join(want.media, this.joinOptions(want, true)));
        this.focused = want.focused;
        this.quality = want.quality ?? 'high';
      }
    }
    if (want.focused !== this.focused) {
      this.focused = want.focused;
      this.leg?.setFocused(want.focused);
    }
    const quality = want.quality ?? 'high';
    if (quality !== this.quality) {
      this.quality = quality;
      this.leg?.setQuality?.(quality);
    }
  }

  private joinOptions(want: MediaWant, publish: boolean): JoinOptions {
    return { display: want.display, publish, focused: want.focused, quality: want.quality ?? 'high', ...(want.simulcast ? { simulcast: true } : {}) };
  }

  retry(): void {
    void this.leg?.retry().catch(() => {});
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    const legs = [this.leg, this.previous];
    this.leg = this.previous = null;
    this.key = null;
    this.publishing = false;
    for (const l of legs) void l?.close().catch(() => {});
    if (legs.some(Boolean)) this.onChange();
  }

  private attach(leg: MediaLeg<MediaStream>): void {
    this.leg = leg;
    this.stops.push(
      leg.subscribe((s) => {
        if (this.previous && leg === this.leg && (s.status === 'live' || s.status === 'failed') && s.remote) {
          const p = this.previous;
          this.previous = null;
          void p.close().catch(() => {});
        }
        this.onChange();
      }),
    );
    this.onChange();
  }
}
