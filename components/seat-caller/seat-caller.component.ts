import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { CallerStore, type CallerState } from '../../core/caller-store.js';
import type { ConnectionStatus } from '../../core/control-client.js';
import type { MediaAdapter } from '../../core/media-adapter.js';
import type { CallerMessage, CustomerCallView } from '../../core/protocol.js';
import type { Simulator } from '../../core/simulator.js';
import { SeatElement } from '../base/seat-element.js';
import { CallStates } from '../base/call-states.js';
import { SessionController } from '../control/session-controller.js';
import { WebSocketControlClient } from '../control/ws-client.js';
import { SelectController } from '../context/select-controller.js';
import { TickController } from '../context/tick-controller.js';
import { connectionMessage } from '../i18n/connection-message.js';
import { LocalizeController } from '../i18n/localize.js';
import { janusFactory, type MediaAdapterFactory } from '../media/janus-factory.js';
import { SplitMedia, type MediaWant } from '../seat-split/split-media.js';
import styles from './seat-caller.styles.js';

interface Slice {
  connection: ConnectionStatus;
  call: CustomerCallView | null;
  pending: Record<string, true>;
}


/**
 * The customer's side of a video call: a Call button, the place in the queue while
 * waiting, the agent's video and a self-view once connected, a hold notice while the agent talks
 * to someone else, an "I'm ready" button that asks the agent back (R18), Hang up, and
 * Accept / Decline for a call from an agent (R12). Publishes the camera into the call's room as
 * soon as the call is queued, so the agent's answer is instant.
 *
 * Without `server`, the simulator and the fake media adapter are loaded on demand (a page that
 * always sets `server` never fetches them), so `store` appears a moment after the element is
 * connected: `await el.updateComplete` resolves once it and the media adapter exist. Given a
 * `simulator`, the store is made at once; only the fake media adapter is still loaded.
 *
 * @tagname seat-caller
 * @summary The customer's side of a video call, queued to an agent.
 *
 * @attr server - The control center's WebSocket URL (`/v1/caller` is added), or several separated by spaces (`wss://a wss://b`), tried in turn when one fails or drops. Without it the caller uses the page's simulator.
 * @attr token - The customer's JWT. On the simulator it is read as the customer id.
 * @attr queue - The queue to call (required to place a call).
 * @attr name - The customer's name, shown to the agent.
 * @attr lang - `en` or `zh-CN`.
 *
 * @event seat-call-change - The call changed. `detail: {call, previous}`.
 * @event seat-connection-change - `detail: {state, retryAt, error}`.
 * @event seat-error - Bad configuration, a refused connection or command, or media failing.
 *
 * @csspart base - The whole element.
 * @csspart connection - The connection state.
 * @csspart stage - The video area.
 * @csspart video - Every video (generic).
 * @csspart agent-video - The agent's video.
 * @csspart self-view - The customer's own camera.
 * @csspart hold - The "your agent will be right back" notice.
 * @csspart status - The call's status line (queue position, ringing, ended).
 * @csspart message - A configuration or connection message.
 * @csspart actions - The row of buttons.
 * @csspart button - Every button (generic).
 * @csspart call - Call.
 * @csspart accept - Accept an agent's call.
 * @csspart decline - Decline an agent's call.
 * @csspart hangup - Hang up.
 * @csspart attention - "I'm ready" (R18).
 * @csspart withdraw - Withdraw the request.
 * @csspart retry - Retry the media.
 *
 * @cssstate none - No call yet (also `data-state="none"`).
 * @cssstate queued - Waiting in the queue (also `data-state="queued"`).
 * @cssstate ringing - The call rings: an agent's call to accept, or the agent being rung (also `data-state="ringing"`).
 * @cssstate connected - In a call (also `data-state="connected"`).
 * @cssstate held - The agent put the call on hold (also `data-state="held"`).
 * @cssstate ended - The call ended (also `data-state="ended"`).
 *
 * @cssproperty [--seat-color-accent=#2563eb] - Primary buttons (Call, I'm ready).
 * @cssproperty [--seat-color-on-accent=#ffffff] - Text on the accent colour.
 * @cssproperty [--seat-color-on-ring=#000000] - Text on the ringing colour (the ringing badge).
 * @cssproperty [--seat-color-on-danger=#ffffff] - Text on the danger colour (Hang up, the media failure notice).
 * @cssproperty [--seat-color-on-success=#ffffff] - Text on the success colour (Answer, Accept, the connected badge, the ready switch).
 * @cssproperty [--seat-color-on-attention=#ffffff] - Text on the attention colour (the R18 badge).
 * @cssproperty [--seat-color-ring=#d97706] - The border while the call rings (an agent's call to accept, or the agent being rung).
 * @cssproperty [--seat-color-danger=#b91c1c] - Hang up and errors.
 * @cssproperty [--seat-color-success=#15803d] - Accept.
 * @cssproperty [--seat-color-attention=#7c3aed] - The request notice.
 * @cssproperty [--seat-color-surface=#ffffff] - The element's background.
 * @cssproperty [--seat-color-surface-raised=#f3f4f6] - Messages.
 * @cssproperty [--seat-color-text=#111827] - Text.
 * @cssproperty [--seat-color-muted=#4b5563] - Secondary text (the connection state).
 * @cssproperty [--seat-color-border=#d1d5db] - Borders.
 * @cssproperty [--seat-color-video-background=#1f2937] - Behind the videos.
 * @cssproperty [--seat-color-on-video-background=#e5e7eb] - Text shown on the video background when there is no video.
 * @cssproperty [--seat-radius=8px] - Corner radius.
 * @cssproperty [--seat-spacing=8px] - The spacing unit.
 * @cssproperty [--seat-font=system-ui, sans-serif] - The font family.
 * @cssproperty [--seat-focus-ring=3px solid var(--seat-color-accent)] - The keyboard focus outline (an `outline` value); follows the accent unless set.
 */
export class SeatCaller extends SeatElement {
  static override styles = styles;

  /** The call state as a custom state, for `:state(…)` from the page's CSS. @internal */
  private readonly callStates = new CallStates(this);

  @property() server?: string;
  @property() token?: string;
  @property() queue?: string;
  @property() override lang!: string;
  /** The customer's name, shown to the agent. */
  @property() name?: string;
  /**
   * `relay`: the browser sends and receives media only through a TURN server (the control
   * center's `--ice-servers`; `iceTransportPolicy: 'relay'`), for locked-down networks and to
   * keep the browser's own addresses from the other side. Read when the element makes its media
   * adapter (set it with `server`); no effect on an adapter the page gives.
   */
  @property({ attribute: 'ice-transport-policy' }) iceTransportPolicy: 'all' | 'relay' = 'all';
  /** The simulator to call into when there is no `server` (default: the page's shared one, loaded on demand). */
  @property({ attribute: false }) simulator?: Simulator;
  @property({ attribute: false }) mediaAdapterFactory: MediaAdapterFactory = janusFactory;

  private readonly localize = new LocalizeController(this);
  private readonly slice = new SelectController<CallerState, Slice>(
    this,
    (s) => ({ connection: s.connection, call: s.call, pending: s.pending }),
    { connection: { state: 'connecting', retryAt: null, error: null }, call: null, pending: {} },
    (next, prev) => this.onSlice(next, prev),
  );
  private readonly media = new SplitMedia(() => this.requestUpdate());
  /** The "reconnecting in N s" countdown moves while the call goes on. */
  private readonly tick = new TickController(this, () => this.slice.value.connection.state === 'reconnecting');
  /** The store and media adapter: made, taken from outside, disposed (shared with `<multi-seat>`). */
  private readonly session: SessionController<CallerStore> = new SessionController<CallerStore>(this, {
    role: 'caller',
    localize: this.localize,
    track: (p) => this.track(p),
    connect: (url, token) => new CallerStore(new WebSocketControlClient<CallerMessage>({ url, token, role: 'caller' })),
    simulate: (sim) => new CallerStore(sim.caller(this.token || `guest-${Math.random().toString(36).slice(2, 8)}`)),
    storeChanged: (store) => this.slice.setStore(store),
    opened: () => {
      if (!this.queue) this.emit('seat-error', { detail: { source: 'config', code: 'config', message: this.localize.term('errQueue') } });
    },
    closed: () => this.media.close(),
  });

  /**
   * The customer's store (state and commands), for a headless integration; set it to bring your
   * own. Without `server` and `simulator` it is made once the page's simulator has loaded: read it
   * after `await el.updateComplete`.
   */
  get store(): CallerStore | undefined {
    return this.session.store;
  }
  set store(store: CallerStore | undefined) {
    this.session.setStore(store);
  }

  /** The media adapter; set it to inject one (the page disposes it), or null to go back to the element's own. */
  get mediaAdapter(): MediaAdapter<MediaStream> | null {
    return this.session.media;
  }
  set mediaAdapter(adapter: MediaAdapter<MediaStream> | null) {
    this.session.setMedia(adapter);
  }

  /** The call, as the control center last described it. */
  get call(): CustomerCallView | null {
    return this.slice.value.call;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The session controller rebuilds right after this, in the same update.
    if (changed.has('server') || changed.has('token') || changed.has('simulator')) this.session.invalidate();
  }

  protected override update(changed: PropertyValues<this>): void {
    // After the session controller's hostUpdate: the legs follow the call with the current adapter.
    this.media.sync(this.session.media, this.mediaWant());
    super.update(changed);
  }

  protected override updated(): void {
    this.dataset.state = this.call?.state ?? 'none';
    this.callStates.set(this.call?.state ?? 'none');
    this.toggleAttribute('data-held', this.isHeld());
  }

  private onSlice(next: Slice, prev: Slice): void {
    if (next.call !== prev.call && (next.call?.state !== prev.call?.state || next.call?.callId !== prev.call?.callId || next.call?.focused !== prev.call?.focused || next.call?.position !== prev.call?.position || next.call?.attention !== prev.call?.attention)) {
      this.emit('seat-call-change', { detail: { call: next.call, previous: prev.call } });
    }
    if (next.connection !== prev.connection) {
      this.emit('seat-connection-change', { detail: next.connection });
      const err = next.connection.error;
      if (err && err.code !== prev.connection.error?.code) {
        this.emit('seat-error', { detail: { source: 'connection', code: err.code, message: connectionMessage(this.localize, next.connection) } });
      }
    }
  }

  private mediaWant(): MediaWant | null {
    const call = this.call;
    if (!call?.media) return null;
    const display = this.name || 'customer';
    // Simulcast layers, so the agent's split takes the low one while this call is not in focus.
    const base = { media: call.media, publish: true, simulcast: true, display } as const;
    switch (call.state) {
      case 'queued':
        return { ...base, focused: false };
      case 'ringing':
        // An agent's call is joined only once the customer accepts it.
        return call.kind === 'outbound' ? null : { ...base, focused: false };
      case 'connected':
        // The microphone stays open while the agent talks to another customer: the agent's page
        // plays only the focused call (R10), but sees this customer speak up (talking cue).
        // quality: on a focus change the agent's split switches layers; the leg makes fresh
        // keyframes for it (see janus-quality.ts).
        return { ...base, focused: true, quality: call.focused ? 'high' : 'low' };
      case 'held':
        return { ...base, focused: false };
      default:
        return null;
    }
  }

  private isHeld(): boolean {
    const c = this.call;
    return !!c && (c.state === 'held' || (c.state === 'connected' && !c.focused));
  }

  private run(command: () => Promise<void>): void {
    if (!this.session.store) return;
    command().catch((e: { code?: string; message?: string }) => {
      // Refused before it was sent (a second click while the first is in flight): nothing to report.
      if (e?.code === 'locally-refused') return;
      this.emit('seat-error', { detail: { source: 'command', code: e?.code ?? 'internal', message: e?.message ?? String(e) } });
    });
  }

  /** Places a call to `queue` (the Call button). */
  placeCall(): void {
    if (!this.queue) {
      this.emit('seat-error', { detail: { source: 'config', code: 'config', message: this.localize.term('errQueue') } });
      return;
    }
    const queue = this.queue;
    this.run(() => this.session.store!.call(queue, this.name || undefined));
  }

  private statusText(call: CustomerCallView | null): string {
    const t = this.localize;
    if (!call) return '';
    switch (call.state) {
      case 'queued':
        // R21: a callback taken means no more waiting in line, only for the agent's call.
        if (call.callback === 'requested') return t.term('callbackRequested');
        return call.position ? t.term('position', call.position) : t.term('queued');
      case 'ringing':
        return call.kind === 'outbound' ? t.term('outbound') : t.term('ringingIn');
      case 'connected':
        // R23: another agent took over the call; say who, once.
        if (call.handover && call.focused) return t.term('handover', call.handover.to);
        return call.focused ? '' : t.term('held');
      case 'held':
        return t.term('held');
      case 'ended':
        return call.endReason === 'declined'
          ? t.term('endedDeclined')
          : call.endReason === 'caller-lost'
            ? t.term('endedLost')
            : call.endReason === 'server-shutdown'
              ? t.term('endedShutdown')
              : t.term('ended');
    }
  }

  override render() {
    const t = this.localize;
    const { configError, mediaError } = this.session;
    if (configError) {
      return html`<div part="base" class="caller"><div part="message" class="message error" role="alert">${configError}</div></div>`;
    }
    const { connection, call, pending } = this.slice.value;
    const online = connection.state === 'online';
    const ms = this.media.state;
    const active = call && call.state !== 'ended';
    const held = this.isHeld();
    const connError = connectionMessage(this.localize, connection);
    const b = (p: string, label: string, onClick: () => void, cls = '', disabled = false, aria?: string) =>
      html`<button part="button ${p}" class=${cls} ?disabled=${disabled || !online || !!pending[p]} aria-label=${aria ?? label} @click=${onClick}>${label}</button>`;
    let conn = t.term(connection.state === 'online' ? 'online' : connection.state === 'offline' ? 'offline' : 'connecting');
    // An attempt after a loss with a call on screen: it is coming back, not starting.
    if (connection.state === 'connecting' && active) conn = t.term('reconnectingNow');
    if (connection.state === 'reconnecting') conn = t.term('reconnecting', Math.max(0, Math.ceil(((connection.retryAt ?? Date.now()) - Date.now()) / 1000)));
    return html`<div part="base" class="caller">
      <span part="connection" class="connection" data-state=${connection.state} role="status"
        >${connection.state === 'reconnecting'
          ? // The countdown ticks: shown, but the live region says it once (the call goes on meanwhile).
            html`<span aria-hidden="true">${conn}</span><span class="sr-only">${t.term('reconnectingNow')}</span>`
          : conn}</span
      >
      ${connError ? html`<div part="message" class="message error" role="alert">${connError}</div>` : nothing}
      ${mediaError ? html`<div part="message" class="message error" role="alert">${t.term('errMedia', mediaError)}</div>` : nothing}
      ${!this.queue ? html`<div part="message" class="message error" role="alert">${t.term('errQueue')}</div>` : nothing}
      ${active && (ms || call.state === 'connected' || call.state === 'held')
        ? html`<div part="stage" class="stage">
            ${ms?.remote && (call.state === 'connected' || call.state === 'held')
              ? html`<video part="video agent-video" class="agent-video" aria-label=${t.term('agentVideo')} autoplay playsinline .muted=${!(call.state === 'connected' && call.focused)} .srcObject=${live(ms.remote)}></video>`
              : nothing}
            ${ms?.local ? html`<video part="video self-view" class="self-view" aria-label=${t.term('selfView')} autoplay playsinline muted .srcObject=${live(ms.local)}></video>` : nothing}
            ${!call.media && (call.state === 'connected' || call.state === 'held')
              ? html`<div part="message" class="message" data-media="off" role="status">${t.term('mediaOff')}</div>`
              : nothing}
            ${held ? html`<div part="hold" class="hold">${t.term('held')}</div>` : nothing}
            ${ms?.status === 'failed'
              ? html`<div part="message" class="message error" role="alert">
                  ${t.term('mediaFailed', ms.error ?? '')}
                  <button part="button retry" @click=${() => this.media.retry()}>${t.term('retry')}</button>
                </div>`
              : nothing}
          </div>`
        : nothing}
      <div part="status" class="status" role="status" aria-live="polite">${held ? '' : this.statusText(call)}</div>
      <div part="actions" class="actions">
        ${!active
          ? b('call', call ? t.term('callAgain') : t.term('call'), () => this.placeCall(), 'primary', !this.queue, this.queue ? t.term(call ? 'callAgainLabel' : 'callLabel', this.queue) : undefined)
          : nothing}
        ${call?.state === 'queued' && call.callback === 'offered'
          ? b('callback', t.term('callMeBack'), () => this.run(() => this.session.store!.callback()), 'primary', false, t.term('callMeBackLabel'))
          : nothing}
        ${call?.state === 'ringing' && call.kind === 'outbound'
          ? html`${b('accept', t.term('accept'), () => this.run(() => this.session.store!.accept()), 'success')}
            ${b('decline', t.term('decline'), () => this.run(() => this.session.store!.decline()))}`
          : nothing}
        ${call?.state === 'connected' && !call.focused && !call.attention
          ? b('attention', t.term('imReady'), () => this.run(() => this.session.store!.attention(true)), 'primary', false, t.term('imReadyLabel'))
          : nothing}
        ${call?.state === 'connected' && call.attention
          ? html`<span class="attention-sent" role="status">${t.term('attentionSent')}</span>
              ${b('withdraw', t.term('withdraw'), () => this.run(() => this.session.store!.attention(false)))}`
          : nothing}
        ${active && !(call.state === 'ringing' && call.kind === 'outbound') ? b('hangup', t.term('hangup'), () => this.run(() => this.session.store!.hangup()), 'danger') : nothing}
      </div>
    </div>`;
  }
}
