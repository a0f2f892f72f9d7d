/**
 * Focus-aware video quality on a Janus VideoRoom leg, so that eight calls fit an ordinary laptop
 * and office link: only the call the agent is talking to is worth full video both ways.
 *
 * Receiving: the customer publishes three simulcast layers (from a 1280×720 capture; Chromium
 * makes three layers only from 720p). A subscriber takes layer 2 for a `high` leg and layer 0
 * (a quarter of each side, ~100 kbit/s) for a `low` one. Janus switches at the new layer's next
 * keyframe and asks the publisher for one (a PLI) as it switches, so a newly focused split is
 * sharp within a round trip instead of at the periodic keyframe.
 *
 * Sending: each leg publishes its own clone of the agent's camera, so one leg's sender can be
 * scaled down and slowed — or paused on its last frame, `still` — without touching the others;
 * that also spares the encoder's CPU, which a bitrate cap at the media server would not.
 */
import type { MediaQuality } from '../../core/media-adapter.js';

/** What an unfocused leg sends the customer: a small, slow video, or its last frame. */
export type UnfocusedVideo = 'low' | 'still';

/** The simulcast layer a subscriber takes for each quality. */
export const SUBSTREAM: Readonly<Record<MediaQuality, number>> = { high: 2, low: 0 };

/** The customer's capture: the smallest from which Chromium makes three simulcast layers. */
export const SIMULCAST_CAPTURE: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };

/** The agent's camera to the focused call, and to the others (bit/s, fps, scale). */
const SEND: Readonly<Record<MediaQuality, RTCRtpEncodingParameters>> = {
  high: { active: true, maxBitrate: 800_000, scaleResolutionDownBy: 1 },
  low: { active: true, maxBitrate: 60_000, maxFramerate: 8, scaleResolutionDownBy: 4 },
};

/** The subscriber's `configure` that moves every video stream to the layer for `quality`. */
export function receiveRequest(videoMids: Iterable<string>, quality: MediaQuality): Record<string, unknown> | null {
  const streams = [...videoMids].map((mid) => ({ mid, substream: SUBSTREAM[quality] }));
  return streams.length ? { request: 'configure', streams } : null;
}

/**
 * Applies `quality` to the video sender of a publisher's PeerConnection. Before negotiation the
 * sender has no encodings yet: nothing to do, and the caller applies it again once published.
 */
export async function applySendQuality(pc: RTCPeerConnection | undefined, quality: MediaQuality, unfocused: UnfocusedVideo): Promise<void> {
  const sender = pc?.getSenders().find((s) => s.track?.kind === 'video');
  if (!sender) return;
  const params = sender.getParameters();
  if (!params.encodings?.length) return;
  const want: RTCRtpEncodingParameters = quality === 'low' && unfocused === 'still' ? { active: false } : SEND[quality];
  params.encodings = params.encodings.map((e) => {
    const next: RTCRtpEncodingParameters = { ...e, ...want };
    if (quality === 'high') delete next.maxFramerate;
    return next;
  });
  await sender.setParameters(params);
}

/**
 * Makes a simulcast publisher start every layer on a fresh keyframe. The subscriber's switch to
 * another layer waits for that layer's next keyframe, and the media server's keyframe request
 * (PLI) does not reliably reach every layer of Chromium's simulcast encoder, which makes its
 * keyframes per layer: a layer that is switched off and on again starts on a keyframe.
 * `generateKeyFrame()` does it without the gap where the browser has it.
 */
export async function refreshKeyframes(pc: RTCPeerConnection | undefined): Promise<void> {
  const sender = pc?.getSenders().find((s) => s.track?.kind === 'video') as (RTCRtpSender & { generateKeyFrame?: (rids?: string[]) => Promise<void> }) | undefined;
  if (!sender) return;
  if (typeof sender.generateKeyFrame === 'function') return sender.generateKeyFrame();
  const params = sender.getParameters();
  if (!params.encodings?.length) return;
  const on = params.encodings.map((e) => e.active !== false);
  params.encodings = params.encodings.map((e) => ({ ...e, active: false }));
  await sender.setParameters(params);
  const again = sender.getParameters();
  again.encodings = again.encodings.map((e, i) => ({ ...e, active: on[i] ?? true }));
  await sender.setParameters(again);
}

