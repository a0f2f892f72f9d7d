// Page-side helpers for tests against the real Janus that web-test-runner.e2e.config.mjs starts.
import type { MediaInfo } from '../../core/protocol.js';
import type { MediaLeg, MediaLegState } from '../../core/media-adapter.js';

export interface Room extends MediaInfo {
  secret: string;
}

async function json<T>(res: Response): Promise<T> {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${body?.error ?? ''}`);
  return body as T;
}

export async function janusInfo(): Promise<{ wsUrl: string; httpUrl: string }> {
  return json(await fetch('/__janus'));
}

/** A fresh private room, made from Node through Janus's HTTP API as the control center would. */
export async function newRoom(choose: { room?: number; pin?: string } = {}): Promise<Room> {
  const { wsUrl } = await janusInfo();
  const r = await json<{ room: number; pin: string; secret: string }>(
    await fetch('/__janus/rooms', { method: 'POST', body: JSON.stringify(choose) }),
  );
  return { server: wsUrl, ...r };
}

export async function roomInfo(room: number): Promise<{ exists: boolean; participants: { id: number; display?: string; publisher: boolean }[] }> {
  return json(await fetch(`/__janus/rooms/${room}`));
}

export async function destroyRoom(r: Room): Promise<void> {
  await json(await fetch(`/__janus/rooms/${r.room}/destroy`, { method: 'POST', body: JSON.stringify({ secret: r.secret }) }));
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 25): Promise<NonNullable<T>> {
  const end = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits for the leg to reach a status; fails fast with the leg's error if it fails instead. */
export async function waitStatus<S>(leg: MediaLeg<S>, status: MediaLegState<S>['status'], timeoutMs = 10_000): Promise<MediaLegState<S>> {
  return waitFor(
    () => {
      const s = leg.getState();
      if (s.status === status) return s;
      if (s.status === 'failed' && status !== 'failed') throw new Error(`leg failed: ${s.error}`);
      return null;
    },
    `status ${status} (now ${leg.getState().status}, error ${leg.getState().error})`,
    timeoutMs,
  );
}

/**
 * Plays `stream` in a muted <video> and proves frames are decoded: videoWidth > 0 and
 * currentTime advancing. Returns the element (removed by the caller or left for the next test).
 */
export async function provePlaying(stream: MediaStream, timeoutMs = 10_000): Promise<HTMLVideoElement> {
  const v = document.createElement('video');
  v.muted = true;
  v.autoplay = true;
  v.playsInline = true;
  v.srcObject = stream;
  document.body.append(v);
  await v.play().catch(() => {});
  await waitFor(() => v.videoWidth > 0, 'videoWidth > 0', timeoutMs);
  const t0 = v.currentTime;
  await waitFor(() => v.currentTime > t0 + 0.1, 'currentTime advancing', timeoutMs);
  return v;
}

/** Waits for the leg's remote stream to carry a video track, and returns it. */
export function remoteVideo(leg: MediaLeg<MediaStream>, timeoutMs = 10_000): Promise<MediaStream> {
  return waitFor(() => {
    const r = leg.getState().remote;
    return r && r.getVideoTracks().length > 0 ? r : null;
  }, 'a remote video track', timeoutMs);
}
