/**
 * The seam between elements and media. The Janus adapter (components/) and a fake adapter
 * (canvas and oscillator streams) implement it. `S` is the host's stream type (MediaStream in
 * a browser); the core never touches it.
 */
import type { MediaInfo } from './protocol.js';

export type MediaStatus = 'connecting' | 'live' | 'failed' | 'closed';

export interface MediaLegState<S> {
  status: MediaStatus;
  /** What this side sends (camera and microphone). */
  local: S | null;
  /** What the other side sends, once it is flowing. */
  remote: S | null;
  /** Why the leg failed (ICE, Janus error, no camera…), for the pane to show. */
  error: string | null;
  /**
   * R10 as applied to the media: true while the microphone is sent and the remote audio should be
   * heard. An element mirrors it on its remote <video>/<audio> (`muted = !focused`). Optional:
   * adapters that do not track it leave it undefined.
   */
  focused?: boolean;
  /**
   * A problem that does not stop the leg (a `slowlink` from the media server, ICE briefly
   * disconnected), for the pane to show softly; null or undefined when all is well.
   */
  warning?: string | null;
  /**
   * Why a leg closed by itself, not through `close()`: `room-closed` when the media server
   * destroyed the call's room, which the control center does when the call ends or moves to
   * another room (the next snapshot says which). Not an error: no `failed`, nothing to report.
   * `retry()` joins again. Null or undefined otherwise.
   */
  ended?: 'room-closed' | null;
  /**
   * The other side is speaking, by the media server's audio levels (Janus `talking` /
   * `stopped-talking`). Undefined where the adapter or the room does not report it.
   */
  talking?: boolean;
}

/**
 * How much of the link a leg spends on video. `high`: the other side's full layer in and our
 * full video out (the focused call, or every call with `quality="all"`); `low`: the other side's
 * lowest simulcast layer in and a small, slow video (or a still) out. A simulcast publisher (the
 * customer) keeps sending every layer, and makes fresh keyframes when its quality changes, for
 * the agent's split that switches layers at that moment.
 */
export type MediaQuality = 'high' | 'low';

/** One side's presence in one call's room: publishes local media, plays the other side's. */
export interface MediaLeg<S> {
  getState(): MediaLegState<S>;
  subscribe(listener: (state: MediaLegState<S>) => void): () => void;
  /** R10: only the focused call gets the microphone and is heard; video always flows. */
  setFocused(focused: boolean): void;
  /**
   * Starts publishing on a leg joined with `publish: false` (a muted preview of a ringing call
   * that the agent has just answered), keeping the subscription so the video does not blink.
   * Optional: without it the element joins a second, publishing leg and closes the preview
   * leg once the new one is live.
   */
  publish?(): Promise<void>;
  /** Switches the leg's video quality (see MediaQuality). Optional: adapters without layers ignore it. */
  setQuality?(quality: MediaQuality): void;
  /** Tries again after a failure, keeping the call. */
  retry(): Promise<void>;
  close(): Promise<void>;
}

export interface JoinOptions {
  /** The name shown to the other side. */
  display: string;
  /** Publish the camera and microphone (a muted preview of a ringing call does not). */
  publish: boolean;
  /** Whether the microphone starts open and the remote audio audible. */
  focused: boolean;
  /** The video quality to start with (default `high`). */
  quality?: MediaQuality;
  /**
   * Publish the camera as simulcast layers (the customer's side), so the agent can take a low
   * layer for a call not in focus and the full one for the call in focus.
   */
  simulcast?: boolean;
}

export interface MediaAdapter<S = unknown> {
  join(media: MediaInfo, options: JoinOptions): MediaLeg<S>;
  /** Ends every leg and the session behind them. */
  dispose(): Promise<void>;
}
