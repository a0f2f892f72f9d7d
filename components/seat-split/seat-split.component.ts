import { consume } from '@lit/context';
import { html, nothing, type LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { MediaAdapter } from '../../core/media-adapter.js';
import type { CallView, SplitView, TransferTarget } from '../../core/protocol.js';
import type { SeatState, SeatStore, SplitWindowHandle } from '../../core/seat-store.js';
import { SeatElement } from '../base/seat-element.js';
import { CallStates } from '../base/call-states.js';
import { mediaAdapterContext, seatStoreContext } from '../context/seat-context.js';
import { SelectController } from '../context/select-controller.js';
import { TickController } from '../context/tick-controller.js';
import { LocalizeController } from '../i18n/localize.js';
import { RingTone, type RingSound } from '../ring/ring-tone.js';
import styles from './seat-split.styles.js';
import { SplitMedia, type MediaWant } from './split-media.js';
import { cssTextOf, openSplitWindow } from './split-window.js';

/** `auto`: a ring tone, or a soft beep while the agent talks in another split. */
export type RingOption = 'auto' | RingSound;

interface Slice {
  split: SplitView | null;
  focus: number | null;
  seatId: string | null;
  attention: number[];
  pending: Record<string, true>;
  online: boolean;
  /** This split is shown in a window of its own. */
  windowed: boolean;
}

const empty: Slice = { split: null, focus: null, seatId: null, attention: [], pending: {}, online: false, windowed: false };

const stateKey = {
  idle: 'stateIdle',
  ringing: 'stateRinging',
  dialing: 'stateDialing',
  connected: 'stateConnected',
  consulting: 'stateConsulting',
  wrapup: 'stateWrapup',
} as const;

/**
 * One pane of a seat: a split bound to its own call channel (R1). Shows the
 * customer's video large and the agent's self-view small, the customer's name, the virtual
 * seat, a state badge and a call timer, and the buttons the split's state allows.
 *
 * @tagname seat-split
 * @summary One pane of a seat: a split bound to its own call channel.
 *
 * @attr index - The split's index, 0-based.
 * @attr quality - `focus` (default): full video both ways for the focused call only, the low layer for the others; `all`: full video for every call.
 *
 * @event seat-before-hangup - Cancelable; fired before every hang-up of this split (Hang up, Alt+H, or `store.hangup()`, whose hook this pane wires). `preventDefault()` vetoes it.
 * @event seat-error - A command was refused or the media failed (`source`: `command` | `media`).
 * @event seat-talking - The customer of this split, not in focus, started or stopped speaking (media-server audio levels). `detail: {split, call, virtualSeat, talking}`.
 *
 * @csspart pane - The pane's frame; carries the ringing border.
 * @csspart header - The row with the index, badges, virtual seat and timer.
 * @csspart index - "Split 1".
 * @csspart badge - Every badge (generic).
 * @csspart state-badge - The split state badge.
 * @csspart focus-badge - "In focus", on the focused split.
 * @csspart talking - "Speaking", on a split not in focus whose customer speaks (pulses; still with reduced motion).
 * @csspart virtual-seat - The call's virtual seat id.
 * @csspart timer - The call timer.
 * @csspart stage - The video area.
 * @csspart video - Every video (generic).
 * @csspart remote-video - The customer's video.
 * @csspart self-view - The agent's own camera.
 * @csspart consult-video - The consulted agent's video while consulting.
 * @csspart placeholder - The text shown on the stage when there is no video.
 * @csspart media-status - The media progress or failure notice.
 * @csspart attention - The R18 badge: the customer asked for the agent.
 * @csspart customer - The customer's name and queue.
 * @csspart customer-name - The customer's name.
 * @csspart returning - "Returning customer", on a call handed over from another agent (R23).
 * @csspart callback - "Callback", on a callback the control center dials for a customer (R21).
 * @csspart disposition - The wrap-up code picker (R22), when the call's queue has codes; `disposition-select` is its select.
 * @csspart actions - The row of buttons.
 * @csspart button - Every button (generic).
 * @csspart answer - Answer (ringing).
 * @csspart reject - Reject (ringing).
 * @csspart hangup - Hang up.
 * @csspart focus - Talk: a toggle, pressed on the focused split; gives this split focus, or releases it (R10).
 * @csspart consult - Consult another seat (R13).
 * @csspart transfer - Transfer to a seat or a queue (R14).
 * @csspart dial - Dial a customer (R12).
 * @csspart done - End wrap-up (R11).
 * @csspart cancel-consult - Cancel the consult (R13).
 * @csspart complete-transfer - Complete the warm transfer (R13).
 * @csspart retry - Retry the media after a failure.
 * @csspart form - The inline dial / consult / transfer form.
 * @csspart input - Inputs of the form.
 * @csspart submit - The form's submit button (also `button`).
 * @csspart cancel - The form's cancel button (also `button`).
 * @csspart transfer-kind - The seat / queue choice of the transfer form (also `input`).
 * @csspart target - The seat, queue or customer field of the form (also `input`).
 *
 * @cssstate idle - No call on this split (also `data-state="idle"`).
 * @cssstate ringing - A call rings on this split (also `data-state="ringing"`).
 * @cssstate dialing - The agent dials a customer (also `data-state="dialing"`).
 * @cssstate connected - In a call (also `data-state="connected"`).
 * @cssstate consulting - Consulting another seat (also `data-state="consulting"`).
 * @cssstate wrapup - Wrap-up after a call (also `data-state="wrapup"`).
 *
 * @cssproperty [--seat-color-accent=#2563eb] - Primary buttons (Talk on a background split, Complete transfer, Done, Dial), the pressed Talk toggle's outline.
 * @cssproperty [--seat-color-on-accent=#ffffff] - Text on the accent colour.
 * @cssproperty [--seat-color-on-ring=#000000] - Text on the ringing colour (the ringing badge).
 * @cssproperty [--seat-color-on-danger=#ffffff] - Text on the danger colour (Hang up, the media failure notice).
 * @cssproperty [--seat-color-on-success=#ffffff] - Text on the success colour (Answer, Accept, the connected badge, the ready switch).
 * @cssproperty [--seat-color-on-attention=#ffffff] - Text on the attention colour (the R18 badge).
 * @cssproperty [--seat-color-ring=#d97706] - The ringing border and badge.
 * @cssproperty [--seat-color-danger=#b91c1c] - Hang up and media failures.
 * @cssproperty [--seat-color-success=#15803d] - Answer and the connected badge.
 * @cssproperty [--seat-color-attention=#7c3aed] - The R18 badge and border.
 * @cssproperty [--seat-color-surface=#ffffff] - The pane's background.
 * @cssproperty [--seat-color-surface-raised=#f3f4f6] - Badges, the inline form, the pressed Talk toggle.
 * @cssproperty [--seat-color-text=#111827] - Text.
 * @cssproperty [--seat-color-muted=#4b5563] - Secondary text (queue, consult details, form labels).
 * @cssproperty [--seat-color-border=#d1d5db] - The pane's and buttons' borders.
 * @cssproperty [--seat-color-video-background=#1f2937] - Behind the videos and the placeholder.
 * @cssproperty [--seat-color-on-video-background=#e5e7eb] - Text shown on the video background when there is no video.
 * @cssproperty [--seat-radius=8px] - Corner radius.
 * @cssproperty [--seat-spacing=8px] - The spacing unit.
 * @cssproperty [--seat-font=system-ui, sans-serif] - The font family.
 * @cssproperty [--seat-focus-ring=3px solid var(--seat-color-accent)] - The keyboard focus outline (an `outline` value); follows the accent unless set.
 */
export class SeatSplit extends SeatElement {
  static override styles = styles;

  /** The split's index, 0-based. */
  @property({ type: Number, reflect: true }) index = 0;

  /** The call state as a custom state, for `:state(…)` from the page's CSS. @internal */
  private readonly callStates = new CallStates(this);

  /** The seat's store; given by an enclosing `<multi-seat>` through context, or set directly. */
  @consume({ context: seatStoreContext, subscribe: true })
  @property({ attribute: false })
  store?: SeatStore;

  /** The media adapter; given by `<multi-seat>` through context, or set directly. Null: no video. */
  @consume({ context: mediaAdapterContext, subscribe: true })
  @property({ attribute: false })
  mediaAdapter: MediaAdapter<MediaStream> | null = null;

  /** Show a ringing call's video, muted, before answering (`on` | `off`). */
  @property() preview: 'on' | 'off' = 'on';

  /** The ring sound: `auto` (tone, or a soft beep while talking in another split), `tone`, `beep`, `off`. */
  @property() ring: RingOption = 'auto';

  /** Ring volume, 0–1. */
  @property({ type: Number, attribute: 'ring-volume' }) ringVolume = 0.3;

  /**
   * This element is the split shown in its own window (made by `popOut()`), not the one in the
   * seat: it shows the call while the seat's own shows where the call went. @internal
   */
  @property({ type: Boolean, attribute: 'in-window', reflect: true }) inWindow = false;

  /**
   * Video quality: `focus` (default) gives full video both ways to the focused call only, and a
   * split not in focus receives the customer's low simulcast layer and sends a small, slow
   * video; `all` gives every call full video (needs a strong laptop and link at 4+ splits).
   */
  @property() quality: 'focus' | 'all' = 'focus';

  @state() private form: 'dial' | 'consult' | 'transfer' | null = null;
  @state() private transferKind: 'seat' | 'queue' = 'seat';
  @state() private announcement = '';
  /** R22: the wrap-up code picked for the call in wrap-up, until it is sent. */
  @state() private disposition = { callId: '', code: '' };

  private readonly localize = new LocalizeController(this);
  private readonly slice = new SelectController<SeatState, Slice>(
    this,
    (s) => ({
      split: s.seat?.splits[this.index] ?? null,
      focus: s.seat?.focus ?? null,
      seatId: s.seat?.seatId ?? null,
      attention: s.attention,
      pending: s.pending,
      online: s.connection.state === 'online',
      windowed: s.windows.includes(this.index),
    }),
    empty,
    (next, prev) => this.announce(next, prev),
  );
  private readonly media = new SplitMedia(() => this.requestUpdate());
  private readonly consultMedia = new SplitMedia(() => this.requestUpdate());
  private ringTone: RingTone | null = null;
  private unhook: (() => void) | null = null;
  private lastMediaStatus: string | undefined;
  /** Whether the last `seat-talking` said the customer speaks (it fires on changes only). */
  private talkingShown = false;

  constructor() {
    super();
    new TickController(this, () => !!this.slice.value.split?.call);
  }

  /** The split's state, from the store. */
  get split(): SplitView | null {
    return this.slice.value.split;
  }

  get isFocused(): boolean {
    const { split, focus } = this.slice.value;
    return !!split && focus === split.index;
  }

  /** What sound the ring makes now (`off` when not ringing). */
  get ringSound(): RingSound {
    return this.ringTone?.sound ?? 'off';
  }

  /**
   * In another document (the split's own window) the suite's constructed stylesheets cannot be
   * adopted — a constructed sheet belongs to the document that made it — so the same CSS goes in
   * as <style> elements.
   */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    if (this.ownerDocument === document) return super.createRenderRoot();
    const ctor = this.constructor as typeof LitElement;
    const root = this.attachShadow(ctor.shadowRootOptions);
    for (const s of ctor.elementStyles) {
      const style = this.ownerDocument.createElement('style');
      style.textContent = cssTextOf(s);
      root.append(style);
    }
    return root;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.hookStore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unhook?.();
    this.unhook = null;
    this.media.close();
    this.consultMedia.close();
    this.ringTone?.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store') || changed.has('index')) {
      this.slice.setStore(this.store);
    }
    if (changed.has('store')) this.hookStore();
    // Joining a room here, not in updated(), lets the leg's first state render in this update.
    this.media.sync(this.mediaAdapter, this.mediaWant());
    this.consultMedia.sync(this.mediaAdapter, this.consultWant());
    // Here, not in updated(): the cue and its announcement render in this same update.
    this.reportTalking();
  }

  protected override updated(): void {
    const { split } = this.slice.value;
    const state = split?.state ?? 'idle';
    this.dataset.state = state;
    this.callStates.set(state);
    this.toggleAttribute('data-focused', this.isFocused);
    this.toggleAttribute('data-attention', !!split?.call?.attention && state === 'connected');
    const ms = this.media.state?.status;
    if (ms) this.dataset.media = ms;
    else delete this.dataset.media;
    if (ms === 'failed' && this.lastMediaStatus !== 'failed') {
      const message = this.localize.term('mediaFailed', this.media.state?.error ?? '');
      this.emit('seat-error', { detail: { source: 'media', code: 'media', message, split: this.index } });
    }
    this.lastMediaStatus = ms;
    this.applyRing();
  }

  /** Whether the customer of this split, connected and not in focus, is speaking now. */
  get customerTalking(): boolean {
    return this.split?.state === 'connected' && !this.isFocused && this.media.state?.talking === true;
  }

  /** `seat-talking` and a spoken notice when the cue turns on, `seat-talking` again when off. */
  private reportTalking(): void {
    const talking = this.customerTalking;
    this.toggleAttribute('data-talking', talking);
    if (talking === this.talkingShown) return;
    this.talkingShown = talking;
    const split = this.split;
    if (!split?.call) return;
    this.emit('seat-talking', { detail: { split: this.index, call: split.call, virtualSeat: split.call.virtualSeat ?? split.channel, talking } });
    if (talking) this.announcement = this.localize.term('announceTalking', this.customerName(split.call), this.index + 1);
  }

  // ---- its own window (seed claim 5) --------------------------------------------------------

  /**
   * Moves this split into a window of its own: the call and its media go on there, and the seat
   * shows where it went. Closing the window brings the split back. Resolves with the window's
   * handle, also kept by the store (`store.splitWindow(index)`); rejects when the browser blocks
   * the window.
   */
  async popOut(): Promise<SplitWindowHandle> {
    const store = this.store;
    if (!store) throw new Error('the split has no seat store yet');
    const existing = store.splitWindow(this.index);
    if (existing) {
      existing.raise();
      return existing;
    }
    const n = this.index + 1;
    const win = await openSplitWindow({ name: `multi-seat-split-${this.store?.getState().seat?.seatId ?? 'seat'}-${this.index}`, title: this.localize.term('splitWindowTitle', n), lang: this.localize.lang() });
    // Made here, so it is this page's <seat-split>: the window's own registry knows none.
    const twin = document.createElement('seat-split') as SeatSplit;
    Object.assign(twin, { index: this.index, store, mediaAdapter: this.mediaAdapter, quality: this.quality, preview: this.preview, ring: this.ring, ringVolume: this.ringVolume, inWindow: true });
    twin.lang = this.lang;
    const index = this.index;
    const handle: SplitWindowHandle = {
      index,
      focus: () => {
        if (store.getState().seat?.splits[index]?.state === 'connected') void store.focus(index).catch(() => {});
        win.focus();
      },
      raise: () => win.focus(),
      close: () => win.close(),
    };
    const closed = () => {
      twin.remove();
      store.removeSplitWindow(index, handle);
    };
    win.addEventListener('pagehide', closed, { once: true });
    win.document.body.append(twin);
    store.addSplitWindow(handle);
    return handle;
  }

  /** The header's window control: pop out here; bring back (or show the window) when away. */
  private renderWindowButton(n: number) {
    const t = this.localize;
    if (this.inWindow || this.away) {
      return html`<button part="button pop-in" class="window-button" aria-label=${t.term('popIn', n)} title=${t.term('popIn', n)} @click=${() => this.popIn()}>⤓</button>`;
    }
    return html`<button
      part="button pop-out"
      class="window-button"
      aria-label=${t.term('popOut', n)}
      title=${t.term('popOut', n)}
      @click=${() =>
        this.popOut().catch((e: Error) => this.emit('seat-error', { detail: { source: 'command', code: 'window-blocked', message: e.message, split: this.index } }))}
    >⧉</button>`;
  }

  /** Closes this split's window, if it has one: the split is back in the seat. */
  popIn(): void {
    this.store?.splitWindow(this.index)?.close();
  }

  // ---- commands (also used by <multi-seat>'s keyboard map) ----------------------------------

  /** Answers the ringing call (R9). A second call while the first is in flight does nothing. */
  answer(): void {
    if (this.split?.state === 'ringing') this.run(() => this.store!.answer(this.index));
  }

  reject(): void {
    if (this.split?.state === 'ringing') this.run(() => this.store!.reject(this.index));
  }

  /** Asks to hang up; the store fires the cancelable `seat-before-hangup` (through this pane) first. */
  hangup(): void {
    const split = this.split;
    if (!split?.call || !['connected', 'dialing', 'consulting'].includes(split.state)) return;
    this.run(() => this.store!.hangup(this.index));
  }

  /**
   * The veto lives in the store: every `store.hangup()` of this pane's split, from a button, a
   * shortcut or an integrator's own code, fires the cancelable `seat-before-hangup` from here.
   */
  private hookStore(): void {
    this.unhook?.();
    this.unhook = null;
    if (!this.store || !this.isConnected) return;
    this.unhook = this.store.onBeforeHangup(({ split, call, virtualSeat }) => {
      if (split !== this.index) return true;
      return !this.emit('seat-before-hangup', { detail: { split, call, virtualSeat }, cancelable: true }).defaultPrevented;
    });
  }

  /** Gives this split focus (R10): the agent talks to its customer. */
  takeFocus(): void {
    if (this.split?.state === 'connected' && !this.isFocused) this.run(() => this.store!.focus(this.index));
  }

  /** The Talk toggle: gives this split focus, or, when it has it, releases it (nobody hears the agent). */
  toggleFocus(): void {
    if (this.split?.state !== 'connected') return;
    if (this.isFocused) this.run(() => this.store!.focus(null));
    else this.takeFocus();
  }

  /** Moves keyboard focus into the pane (its first button). */
  focusControl(): void {
    this.renderRoot.querySelector<HTMLElement>('.actions button:not([disabled])')?.focus();
  }

  private run(command: () => Promise<void>, then?: () => void): void {
    if (!this.store) return;
    command().then(then, (e: { code?: string; message?: string }) => {
      // Refused before it was sent (a second click while the first is in flight, a vetoed hang-up): nothing to report.
      if (e?.code === 'locally-refused') return;
      this.emit('seat-error', {
        detail: { source: 'command', code: e?.code ?? 'internal', message: e?.message ?? String(e), split: this.index },
      });
    });
  }

  // ---- media and ring ----------------------------------------------------------------------

  private display(): string {
    const { seatId, split } = this.slice.value;
    return split?.channel ?? seatId ?? 'agent';
  }

  /** The seat's own split while its call is shown in the split's window: no media, no ring. */
  private get away(): boolean {
    return this.slice.value.windowed && !this.inWindow;
  }

  private mediaWant(): MediaWant | null {
    if (this.away) return null;
    const split = this.split;
    const media = split?.call?.media;
    if (!split || !media) return null;
    const display = this.display();
    switch (split.state) {
      // A ringing preview starts low: answering gives it focus (R9), and focus the full layer.
      case 'ringing':
        return this.preview === 'off' ? null : { media, publish: false, focused: false, quality: 'low', display };
      case 'connected':
        return { media, publish: true, focused: this.isFocused, quality: this.isFocused || this.quality === 'all' ? 'high' : 'low', display };
      case 'consulting':
      case 'dialing':
        return { media, publish: true, focused: false, quality: this.quality === 'all' ? 'high' : 'low', display };
      default:
        return null;
    }
  }

  private consultWant(): MediaWant | null {
    const split = this.split;
    const media = split?.state === 'consulting' ? split.call?.consult?.media : null;
    return media && !this.away ? { media, publish: true, focused: true, quality: 'high', display: this.display() } : null;
  }

  private applyRing(): void {
    const { split, focus } = this.slice.value;
    let sound: RingSound = 'off';
    if (split?.state === 'ringing' && this.ring !== 'off' && !this.away) {
      const talking = focus !== null && focus !== split.index;
      sound = this.ring === 'auto' ? (talking ? 'beep' : 'tone') : this.ring;
    }
    if (sound !== 'off') this.ringTone ??= new RingTone(this.ringVolume);
    this.ringTone?.play(sound);
    if (sound === 'off') delete this.dataset.ring;
    else this.dataset.ring = sound;
  }

  private announce(next: Slice, prev: Slice): void {
    const n = next.split;
    const p = prev.split;
    // Emptied once the news is stale, so the next ring is announced even with the same words.
    if (!n?.call || (n.state !== 'ringing' && !n.call.attention)) {
      this.announcement = '';
      return;
    }
    const name = this.customerName(n.call);
    const same = p?.call?.callId === n.call.callId;
    if (n.state === 'ringing' && !(same && p?.state === 'ringing')) {
      this.announcement = this.localize.term('announceRing', name, n.index + 1);
    } else if (n.call.attention && !(same && p?.call?.attention)) {
      this.announcement = this.localize.term('announceAttention', name, n.index + 1);
    }
  }

  private customerName(call: CallView): string {
    return call.customer.name || call.customer.id || this.localize.term('customer');
  }

  // ---- rendering ---------------------------------------------------------------------------

  private onPaneClick(e: MouseEvent): void {
    // R10: a click anywhere on a connected pane, except on its controls, gives it focus.
    const path = e.composedPath();
    if (path.some((n) => n instanceof HTMLElement && /^(BUTTON|INPUT|SELECT|LABEL|FORM)$/.test(n.tagName))) return;
    this.takeFocus();
  }

  override render() {
    const t = this.localize;
    const { split, attention, pending } = this.slice.value;
    const state = split?.state ?? 'idle';
    const call = split?.call ?? null;
    const n = this.index + 1;
    const name = call ? this.customerName(call) : '';
    // An outbound call carries the customer's id, not a name: say what is happening (R12).
    const shown = state === 'dialing' ? t.term('dialingTo', name) : name;
    const elapsed = call ? Math.max(0, (Date.now() - call.since) / 1000) : 0;
    const rank = attention.indexOf(this.index);
    const ms = this.media.state;
    const cs = this.consultMedia.state;
    const heard = this.isFocused && state === 'connected';

    return html`
      <section
        part="pane"
        class="pane"
        role="group"
        aria-label=${call ? `${t.term('split', n)}: ${shown}` : t.term('split', n)}
        @click=${this.onPaneClick}
      >
        <div part="header" class="header">
          <span part="index" class="index">${t.term('split', n)}</span>
          <span part="badge state-badge" class="badge state-badge" data-state=${state}>${t.term(stateKey[state])}</span>
          ${this.isFocused ? html`<span part="badge focus-badge" class="badge focus-badge">${t.term('focused')}</span>` : nothing}
          ${this.customerTalking ? html`<span part="badge talking" class="badge talking">${t.term('talking')}</span>` : nothing}
          ${call?.virtualSeat ? html`<span part="virtual-seat" class="virtual-seat">${call.virtualSeat}</span>` : nothing}
          ${this.renderWindowButton(n)}
          ${call
            ? html`<span
                part="timer"
                class="timer"
                role="timer"
                aria-label=${t.term(state === 'wrapup' ? 'wrapupTimer' : 'callTimer', t.term('duration', elapsed))}
                >${t.term('duration', elapsed)}</span
              >`
            : nothing}
        </div>
        <div part="stage" class="stage">
          ${this.away
            ? html`<div part="placeholder" class="placeholder" data-window>${t.term('inWindow', n)}</div>`
            : nothing}
          ${ms?.remote
            ? html`<video
                part="video remote-video"
                class="remote-video"
                aria-label=${t.term('customerVideo', name)}
                autoplay
                playsinline
                .muted=${!heard}
                .srcObject=${live(ms.remote)}
              ></video>`
            : this.renderPlaceholder(state, call, shown)}
          ${ms?.local
            ? html`<video part="video self-view" class="self-view" aria-label=${t.term('selfView')} autoplay playsinline muted .srcObject=${live(ms.local)}></video>`
            : nothing}
          ${cs?.remote
            ? html`<video
                part="video consult-video"
                class="consult-video"
                aria-label=${call?.consult?.seat ?? ''}
                autoplay
                playsinline
                .srcObject=${live(cs.remote)}
              ></video>`
            : nothing}
          ${rank >= 0 && call?.attention
            ? html`<span part="badge attention" class="badge attention" ?data-first=${rank === 0} title=${t.term('attentionRank', rank + 1, attention.length)}
                >${t.term('attention', t.term('duration', Math.max(0, (Date.now() - call.attention.since) / 1000)))}
                ${attention.length > 1 ? html`· ${rank + 1}/${attention.length}` : nothing}</span
              >`
            : nothing}
          ${this.renderMediaStatus(ms?.status, ms?.error ?? null)}
        </div>
        <div part="customer" class="customer">
          ${call ? html`<span part="customer-name" class="customer-name">${shown}</span>` : nothing}
          ${call?.returning && state !== 'idle'
            ? html`<span part="badge returning" class="badge returning">${t.term('returning', call.returning.from)}</span>`
            : nothing}
          ${call?.callback && state === 'dialing' ? html`<span part="badge callback" class="badge callback">${t.term('callbackCall')}</span>` : nothing}
          ${call?.queue ? html`<span class="detail">${call.queue}</span>` : nothing}
          ${call?.from ? html`<span class="detail">${t.term('consultFrom', call.from.seat)}</span>` : nothing}
          ${call?.consult ? html`<span class="detail">${t.term('consultWith', call.consult.seat, call.consult.state === 'connected')}</span>` : nothing}
        </div>
        <div part="actions" class="actions">${this.renderActions(state, call, name, pending)}</div>
        ${this.renderForm()}
        <div class="sr-only" role="status" aria-live="assertive">${this.announcement}</div>
      </section>
    `;
  }

  private renderPlaceholder(state: SplitView['state'], call: CallView | null, name: string) {
    const t = this.localize;
    // Wrap-up keeps the finished call without its room; ringing and dialing get theirs a moment later.
    const noMedia = !!call && !call.media && (state === 'connected' || state === 'consulting');
    return html`<div part="placeholder" class="placeholder" data-media=${ifDefined(noMedia ? 'off' : undefined)}>
      <span
        >${call ? name : t.term('stateIdle')}${noMedia
          ? html`<br /><small>${t.term('mediaOff')}</small>`
          : state === 'wrapup'
            ? html`<br /><small>${t.term('stateWrapup')}</small>`
            : nothing}</span
      >
    </div>`;
  }

  private renderMediaStatus(status: string | undefined, error: string | null) {
    const t = this.localize;
    if (status === 'connecting' && !this.media.state?.remote) {
      return html`<div part="media-status" class="media-status" data-status="connecting">${t.term('mediaConnecting')}</div>`;
    }
    if (status === 'failed') {
      return html`<div part="media-status" class="media-status" data-status="failed" role="alert">
        <span>${t.term('mediaFailed', error ?? '')}</span>
        <button part="button retry" class="retry" @click=${() => this.media.retry()}>${t.term('retry')}</button>
      </div>`;
    }
    return nothing;
  }

  private button(part: string, label: string, onClick: () => void, opts: { cls?: string; aria?: string; disabled?: boolean; pressed?: boolean } = {}) {
    return html`<button
      part="button ${part}"
      class=${ifDefined(opts.cls)}
      aria-label=${ifDefined(opts.aria)}
      aria-pressed=${ifDefined(opts.pressed === undefined ? undefined : String(opts.pressed))}
      ?disabled=${opts.disabled ?? false}
      @click=${onClick}
    >
      ${label}
    </button>`;
  }

  private renderActions(state: SplitView['state'], call: CallView | null, name: string, pending: Record<string, true>) {
    const t = this.localize;
    const n = this.index + 1;
    const busy = (cmd: string) => !!pending[`${cmd}:${this.index}`];
    const offline = !this.slice.value.online;
    const hangup = this.button('hangup', t.term('hangup'), () => this.hangup(), {
      cls: 'danger',
      aria: t.term('hangupLabel', name, n),
      disabled: offline || busy('hangup'),
    });
    switch (state) {
      case 'idle':
        return this.button('dial', t.term('dial'), () => this.openForm('dial'), { disabled: offline, pressed: this.form === 'dial' });
      case 'ringing':
        return html`${this.button('answer', t.term('answer'), () => this.answer(), {
          cls: 'success',
          aria: t.term('answerLabel', name, n),
          disabled: offline || busy('answer'),
        })}
        ${this.button('reject', t.term('reject'), () => this.reject(), { disabled: offline || busy('reject') || busy('answer') })}`;
      case 'dialing':
        return hangup;
      case 'connected': {
        const consultLeg = call?.kind === 'consult';
        // A toggle: pressed on the focused split, where it is no call to action (R10).
        return html`${this.button('focus', t.term('focus'), () => this.toggleFocus(), {
          cls: this.isFocused ? 'toggle' : 'primary toggle',
          aria: t.term('focusLabel', name, n),
          pressed: this.isFocused,
          disabled: offline,
        })}
        ${consultLeg
          ? nothing
          : html`${this.button('consult', t.term('consult'), () => this.openForm('consult'), { disabled: offline, pressed: this.form === 'consult' })}
            ${this.button('transfer', t.term('transfer'), () => this.openForm('transfer'), { disabled: offline, pressed: this.form === 'transfer' })}`}
        ${hangup}`;
      }
      case 'consulting':
        return html`${this.button('cancel-consult', t.term('cancelConsult'), () => this.run(() => this.store!.cancelConsult(this.index)), {
          disabled: offline || busy('cancel-consult'),
        })}
        ${this.button('complete-transfer', t.term('completeTransfer'), () => this.completeTransfer(), {
          cls: 'primary',
          disabled: offline || call?.consult?.state !== 'connected' || busy('transfer'),
        })}
        ${hangup}`;
      case 'wrapup': {
        // R22: a queue with wrap-up codes keeps the split in wrap-up until one is picked.
        const codes = call?.wrapupCodes ?? [];
        const picked = call && this.disposition.callId === call.callId ? this.disposition.code : '';
        const picker = codes.length
          ? html`<label part="disposition" class="disposition"
              >${t.term('disposition')}
              <select part="input disposition-select" @change=${(e: Event) => (this.disposition = { callId: call!.callId, code: (e.target as HTMLSelectElement).value })}>
                <option value="" ?selected=${!picked}>${t.term('pickDisposition')}</option>
                ${codes.map((c) => html`<option value=${c} ?selected=${picked === c}>${c}</option>`)}
              </select></label
            >`
          : nothing;
        const code = codes.length ? picked || undefined : undefined;
        return html`${picker}${this.button('done', t.term('done'), () => this.run(() => this.store!.wrapupDone(this.index, code)), {
          cls: 'primary',
          aria: call ? t.term('doneLabel', name, n) : undefined,
          disabled: offline || busy('wrapup-done') || (codes.length > 0 && !code),
        })}`;
      }
    }
  }

  private openForm(form: 'dial' | 'consult' | 'transfer'): void {
    this.form = this.form === form ? null : form;
    if (this.form) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('.form input')?.focus());
  }

  private renderForm() {
    const t = this.localize;
    const state = this.split?.state;
    const form = this.form;
    if (!form || (form === 'dial' && state !== 'idle') || (form !== 'dial' && state !== 'connected')) return nothing;
    const label = form === 'dial' ? t.term('customerId') : form === 'consult' ? t.term('seatId') : this.transferKind === 'seat' ? t.term('seatId') : t.term('toQueue');
    const submit = form === 'dial' ? t.term('dial') : form === 'consult' ? t.term('consult') : t.term('transfer');
    return html`<form part="form" class="form" @submit=${this.onSubmit}>
      ${form === 'transfer'
        ? html`<label
            >${t.term('transferTo')}
            <select part="input transfer-kind" .value=${this.transferKind} @change=${(e: Event) => (this.transferKind = (e.target as HTMLSelectElement).value as 'seat' | 'queue')}>
              <option value="seat">${t.term('toSeat')}</option>
              <option value="queue">${t.term('toQueue')}</option>
            </select></label
          >`
        : nothing}
      <label>${label} <input part="input target" name="target" required autocomplete="off" /></label>
      <button part="button submit" class="primary" type="submit">${submit}</button>
      <button part="button cancel" type="button" @click=${() => (this.form = null)}>${t.term('cancel')}</button>
    </form>`;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('target') as HTMLInputElement;
    const to = input.value.trim();
    if (!to) return;
    const form = this.form;
    const split = this.split;
    this.form = null;
    if (!split) return;
    if (form === 'dial') this.run(() => this.store!.dial(this.index, to));
    else if (form === 'consult') this.run(() => this.store!.consult(this.index, to));
    else if (form === 'transfer' && split.call) {
      // <multi-seat> derives seat-transfer from the snapshots, however the transfer was asked for.
      const target: TransferTarget = this.transferKind === 'seat' ? { seat: to } : { queue: to };
      this.run(() => this.store!.transfer(this.index, target));
    }
  }

  private completeTransfer(): void {
    const split = this.split;
    const call = split?.call;
    if (!split || !call?.consult) return;
    this.run(() => this.store!.transfer(this.index, { seat: call.consult!.seat }));
  }
}
