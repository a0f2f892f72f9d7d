/** One AudioContext for the page's ring tones and fake streams (browsers cap how many exist). */
let shared: AudioContext | null = null;

export function sharedAudioContext(): AudioContext | null {
  if (shared && shared.state !== 'closed') return shared;
  const Ctor = globalThis.AudioContext ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    shared = new Ctor();
  } catch {
    return null;
  }
  return shared;
}
