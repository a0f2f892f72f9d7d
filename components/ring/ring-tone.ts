import { sharedAudioContext } from '../media/audio-context.js';

/** `tone`: a ring tone; `beep`: one soft beep every few seconds; `off`: silent. */
export type RingSound = 'tone' | 'beep' | 'off';

/**
 * The sound of a ringing split, made with Web Audio (no files to host). Plays a two-tone ring
 * (440 + 480 Hz, 1 s on, 2 s off), or a soft 880 Hz beep every 4 s while the agent is talking
 * in another split, so the customer in focus hears no ringing through the agent's headset.
 */
export class RingTone {
  /** What is playing now. */
  sound: RingSound = 'off';
  private timer: ReturnType<typeof setInterval> | null = null;
  private nodes: AudioScheduledSourceNode[] = [];

  constructor(
    private readonly volume = 0.3,
    private readonly context: () => AudioContext | null = sharedAudioContext,
  ) {}

  play(sound: RingSound): void {
    if (sound === this.sound) return;
    this.stop();
    this.sound = sound;
    if (sound === 'off') return;
    const ctx = this.context();
    if (!ctx) return;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
    const burst = sound === 'tone' ? () => this.tone(ctx) : () => this.beep(ctx);
    burst();
    this.timer = setInterval(burst, sound === 'tone' ? 3000 : 4000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const n of this.nodes) {
      try {
        n.stop();
      } catch {
        /* not started or already stopped */
      }
    }
    this.nodes = [];
    this.sound = 'off';
  }

  private tone(ctx: AudioContext): void {
    const t = ctx.currentTime;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0, t);
    gain.gain.linearRampToValueAtTime(this.volume / 2, t + 0.02);
    gain.gain.setValueAtTime(this.volume / 2, t + 0.98);
    gain.gain.linearRampToValueAtTime(0, t + 1);
    gain.connect(ctx.destination);
    this.nodes = [440, 480].map((f) => {
      const o = ctx.createOscillator();
      o.frequency.value = f;
      o.connect(gain);
      o.start(t);
      o.stop(t + 1);
      return o;
    });
  }

  private beep(ctx: AudioContext): void {
    const t = ctx.currentTime;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0, t);
    gain.gain.linearRampToValueAtTime(this.volume / 4, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.15);
    gain.connect(ctx.destination);
    const o = ctx.createOscillator();
    o.frequency.value = 880;
    o.connect(gain);
    o.start(t);
    o.stop(t + 0.16);
    this.nodes = [o];
  }
}
