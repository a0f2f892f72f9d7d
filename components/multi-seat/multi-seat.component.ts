import { ContextProvider } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { ConnectionStatus } from '../../core/control-client.js';
import type { MediaAdapter } from '../../core/media-adapter.js';
import { MAX_SPLITS } from '../../core/protocol.js';
import { SeatStore, type SeatState, type SplitWindowHandle } from '../../core/seat-store.js';
import type { AgentMessage } from '../../core/protocol.js';
import type { Simulator } from '../../core/simulator.js';
import { CallStates } from '../base/call-states.js';
import { SeatElement } from '../base/seat-element.js';
import { SessionController } from '../control/session-controller.js';
import { WebSocketControlClient } from '../control/ws-client.js';
import { mediaAdapterContext, seatStoreContext } from '../context/seat-context.js';
import { SelectController } from '../context/select-controller.js';
import { TickController } from '../context/tick-controller.js';
import type { SeatErrorDetail } from '../events/seat-error.js';
import { connectionMessage } from '../i18n/connection-message.js';
import { LocalizeController } from '../i18n/localize.js';
import { janusFactory, type MediaAdapterFactory } from '../media/janus-factory.js';
export type { MediaAdapterFactory } from '../media/janus-factory.js';
import type { RingOption, SeatSplit } from '../seat-split/seat-split.component.js';
import '../seat-split/seat-split.js';
import styles from './multi-seat.styles.js';
import { GridFitController } from './grid-fit-controller.js';
import { deriveSeatEvents } from './seat-events.js';

/** Every part of `<seat-split>`, passed out through `<multi-seat>` under the same names. */
const SPLIT_PARTS = [
  'pane', 'header', 'index', 'badge', 'state-badge', 'focus-badge', 'talking', 'virtual-seat', 'timer', 'stage', 'video',
  'remote-video', 'self-view', 'consult-video', 'placeholder', 'media-status', 'attention', 'customer', 'customer-name',
  'actions', 'button', 'answer', 'reject', 'hangup', 'focus', 'consult', 'transfer', 'dial', 'done', 'cancel-consult',
  'complete-transfer', 'retry', 'pop-out', 'pop-in', 'returning', 'callback', 'disposition', 'disposition-select', 'form', 'input', 'submit', 'cancel', 'transfer-kind', 'target',
].join(', ');

const REASONS = [
  ['break', 'reasonBreak'],
  ['meeting', 'reasonMeeting'],
  ['training', 'reasonTraining'],
  ['other', 'reasonOther'],
] as const;

interface BarSlice {
  connection: ConnectionStatus;
  seatId: string | null;
  ready: boolean;
  reason: string | null;
  waiting: number;
  splits: number;
  pending: Record<string, true>;
  /** A split rings. */
  ringing: boolean;
  /** A customer asks for the agent (R18). */
  attention: boolean;
}

/** Every connected `<multi-seat>` with its keyboard map on: the candidates for a shortcut. */
const keyboardSeats = new Set<MultiSeat>();

/** The element holding the page's focus, looking into open shadow roots. */
function deepActiveElement(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** The node's ancestors and itself, crossing shadow roots up to the document. */
function* composedAncestors(node: Node | null): Generator<Node> {
  while (node) {
    yield node;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
}

/** Inputs whose keys are not text: a shortcut typed on them is still a shortcut. */
const NON_TEXT_INPUTS = new Set(['button', 'submit', 'reset', 'checkbox', 'radio', 'image', 'range', 'color', 'file']);

/**
 * Whether a key was typed into something editable (an input, a textarea, a select, a
 * contenteditable), looking through shadow roots: there Alt+A is text (Option+A on a Mac types
 * a character), not a shortcut.
 */
function typedInField(e: KeyboardEvent): boolean {
  for (const n of e.composedPath()) {
    if (!(n instanceof HTMLElement)) continue;
    if (n instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(n.type);
    if (n instanceof HTMLTextAreaElement || n instanceof HTMLSelectElement || n.isContentEditable) return true;
  }
  return false;
}

/**
 * Which seat a keyboard shortcut is for: the one that contains the page's focus (or the key's
 * target), else, when the focus is outside every seat, the first one on the page.
 */
function keyboardOwner(e: KeyboardEvent): MultiSeat | null {
  const seats = [...keyboardSeats].filter((s) => s.keyboard !== 'off');
  if (!seats.length) return null;
  const within = (nodes: Iterable<EventTarget | Node>) => {
    for (const n of nodes) if (n instanceof HTMLElement && keyboardSeats.has(n as MultiSeat)) return n as MultiSeat;
    return null;
  };
  // The innermost seat on the key's path, else around the focused element.
  const holder = within(e.composedPath()) ?? within(composedAncestors(deepActiveElement()));
  if (holder) return holder.keyboard === 'off' ? null : holder;
  return seats.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING ? 1 : -1))[0]!;
}


/**
 * A multi-split video seat: one agent, N panes, each bound to its own call channel.
 * Signs in to the control center (or, without `server`, to an in-browser simulator), shows a
 * seat bar (ready switch, connection, waiting calls) and one `<seat-split>` per split, and gives
 * them the store through Lit context (a `ContextProvider`).
 *
 * Without `server`, the simulator and the fake media adapter are loaded on demand (a page that
 * always sets `server` never fetches them), so the seat's `store` and `mediaAdapter` appear a
 * moment after the element is connected: `await el.updateComplete` resolves once they exist.
 * Given a `simulator`, the store is made at once; only the fake media adapter is still loaded.
 *
 * @tagname multi-seat
 * @summary A multi-split video seat: one agent, N panes, each bound to its own call channel.
 *
 * @attr server - The control center's WebSocket URL (`ws://host:port`; `/v1/agent` is added), or several separated by spaces (`wss://a wss://b`), tried in turn when one fails or drops. Without it the seat runs on the in-browser simulator.
 * @attr token - The agent's JWT. On the simulator (no `server`) it is read as the seat id (default `seat-1`).
 * @attr splits - How many panes, 1–8 (default 2; R1). Changed on a signed-in seat: with every split idle the seat signs out and in again with the new count, ready again if it was ready (a not-ready reason is kept too); with a call on the seat the change is refused (`seat-error` with code `splits-busy`) and `splits` is set back to the live count. A seat signing in again within its grace period keeps its old count (the control center's rule): `seat-error` with code `splits-kept`, and `splits` set to that count.
 * @attr layout - `grid` (default): the most even grid for the element's box, every split on screen (give the element a height and every split fits in it); `focus`: the focused split large, the others in a strip; `row`: one row, scrolling sideways; `stack`: one column. A ringing split, or one whose customer asks for the agent, is scrolled into view in `row` and `stack`.
 * @attr lang - `en` or `zh-CN`; default: the nearest `lang` up the page.
 * @attr keyboard - `on` (default) or `off`: Alt+1…8 focus a split, Alt+A answers, Alt+H hangs up the focused split (through `seat-before-hangup`). Keys typed in an input, textarea, select or contenteditable (also inside a shadow root) are left alone. With several seats on a page, the one holding the page's focus reacts, or the first one when the focus is outside every seat.
 * @attr preview - `on` (default) or `off`: show a ringing call's video, muted, before answering.
 * @attr quality - `focus` (default): full video both ways for the focused call only; splits not in focus receive the customer's low simulcast layer and send a small, slow video. `all`: full video for every call.
 * @attr ring - `auto` (default: a ring tone, or a soft beep while talking in another split), `tone`, `beep` or `off`.
 * @attr ring-volume - 0–1 (default 0.3).
 *
 * @event seat-ready-change - The seat turned ready or not ready. `detail: {ready, reason}`.
 * @event seat-offer - A call rings on a split. `detail: {split, call, virtualSeat}`.
 * @event seat-answer - A call connected on a split (pop the CRM record here). `detail: {split, call, virtualSeat}`.
 * @event seat-before-hangup - Cancelable, before every hang-up: a pane's Hang up, Alt+H, or `store.hangup()` (the veto is a hook in the store). `preventDefault()` vetoes; `store.hangup()` then rejects with `locally-refused`. `detail: {split, call, virtualSeat}`.
 * @event seat-hangup - A call left its split. `detail: {split, call, virtualSeat, reason}`.
 * @event seat-focus - Focus moved (R10). `detail: {split, call, virtualSeat}`.
 * @event seat-transfer - A call left its split because this seat transferred it, from a pane or through `store.transfer()` (R13, R14). `detail: {split, call, virtualSeat, mode, to?}`; `to` is known for warm transfers and for transfers asked through this seat's store.
 * @event seat-consult - A consult started, was answered or ended. `detail: {split, call, virtualSeat, to, state}`.
 * @event seat-attention - A customer asked for the agent (R18). `detail: {split, call, virtualSeat, since, order}`.
 * @event seat-talking - The customer of a split not in focus started or stopped speaking (media-server audio levels). `detail: {split, call, virtualSeat, talking}`.
 * @event seat-connection-change - `detail: {state, retryAt, error}`.
 * @event seat-error - Bad configuration, a lost or refused connection, a refused command, or media failing. `detail: {source, code, message, split?}`.
 *
 * @csspart base - The whole seat.
 * @csspart bar - The seat bar.
 * @csspart seat-id - The seat's id in the bar.
 * @csspart ready-switch - The ready / not-ready switch (also `button`).
 * @csspart reason - The not-ready reason select.
 * @csspart connection - The connection state.
 * @csspart waiting - The count of waiting calls.
 * @csspart message - A configuration, connection or command message.
 * @csspart dismiss - The button that dismisses a command error (also `button`).
 * @csspart splits - The container of the panes.
 * @csspart split - Each `<seat-split>`; all of its parts are exported under their own names (`answer`, `hangup`, `pane`, …).
 *
 * @cssstate connecting - Signing in to the control center, or trying again right after a loss (also `data-connecting`).
 * @cssstate online - Connected to the control center (also `data-online`).
 * @cssstate reconnecting - The connection dropped; the next attempt is counting down (also `data-reconnecting`).
 * @cssstate offline - Not connected and not retrying: the sign-in was refused or another connection took the seat (also `data-offline`).
 * @cssstate ready - Signed in and ready for calls (also `data-ready`).
 * @cssstate not-ready - Signed in and not ready (also `data-not-ready`).
 * @cssstate ringing - A split rings (also `data-ringing`); the pane itself matches `multi-seat::part(split):state(ringing)`.
 * @cssstate attention - A customer asks for the agent (R18; also `data-attention`).
 *
 * @cssproperty [--seat-color-accent=#2563eb] - Focus, primary buttons, links.
 * @cssproperty [--seat-color-on-accent=#ffffff] - Text on the accent colour.
 * @cssproperty [--seat-color-on-ring=#000000] - Text on the ringing colour (the ringing badge).
 * @cssproperty [--seat-color-on-danger=#ffffff] - Text on the danger colour (Hang up, the media failure notice).
 * @cssproperty [--seat-color-on-success=#ffffff] - Text on the success colour (Answer, Accept, the connected badge, the ready switch).
 * @cssproperty [--seat-color-on-attention=#ffffff] - Text on the attention colour (the R18 badge).
 * @cssproperty [--seat-color-ring=#d97706] - The ringing border and badge.
 * @cssproperty [--seat-color-danger=#b91c1c] - Hang up, errors, offline.
 * @cssproperty [--seat-color-success=#15803d] - Answer, connected, online, ready.
 * @cssproperty [--seat-color-attention=#7c3aed] - The R18 badge and border.
 * @cssproperty [--seat-color-surface=#ffffff] - Pane background.
 * @cssproperty [--seat-color-surface-raised=#f3f4f6] - Bar, forms and messages.
 * @cssproperty [--seat-color-text=#111827] - Text.
 * @cssproperty [--seat-color-muted=#4b5563] - Secondary text.
 * @cssproperty [--seat-color-border=#d1d5db] - Borders.
 * @cssproperty [--seat-color-video-background=#1f2937] - Behind videos.
 * @cssproperty [--seat-color-on-video-background=#e5e7eb] - Text shown on the video background when there is no video.
 * @cssproperty [--seat-radius=8px] - Corner radius.
 * @cssproperty [--seat-spacing=8px] - The spacing unit.
 * @cssproperty [--seat-font=system-ui, sans-serif] - The font family.
 * @cssproperty [--seat-focus-ring=3px solid var(--seat-color-accent)] - The keyboard focus outline (an `outline` value); follows the accent unless set.
 */
export class MultiSeat extends SeatElement {
  static override styles = styles;

  @property() server?: string;
  @property() token?: string;
  /** 1–8; anything else shows a configuration message. A change during a call is refused and set back (see the `splits` attribute). */
  @property() splits: string | number = 2;
  @property({ reflect: true }) layout: 'grid' | 'focus' | 'row' | 'stack' = 'grid';
  @property({ reflect: true }) override lang!: string;
  @property() keyboard: 'on' | 'off' = 'on';
  @property() preview: 'on' | 'off' = 'on';
  @property() quality: 'focus' | 'all' = 'focus';
  @property() ring: RingOption = 'auto';
  @property({ type: Number, attribute: 'ring-volume' }) ringVolume = 0.3;
  /**
   * `relay`: the browser sends and receives media only through a TURN server (the control
   * center's `--ice-servers`; `iceTransportPolicy: 'relay'`), for locked-down networks and to
   * keep the browser's own addresses from the other side. Read when the element makes its media
   * adapter (set it with `server`); no effect on an adapter the page gives.
   */
  @property({ attribute: 'ice-transport-policy' }) iceTransportPolicy: 'all' | 'relay' = 'all';
  /** The simulator a seat without `server` signs in to (default: the page's shared one, loaded on demand). */
  @property({ attribute: false }) simulator?: Simulator;
  /** How the media adapter is made when `server` is set and none is given (default: the Janus adapter, loaded lazily). */
  @property({ attribute: false }) mediaAdapterFactory: MediaAdapterFactory = janusFactory;

  @state() private commandError: SeatErrorDetail | null = null;
  /** Why the last `splits` change was refused (a call on the seat). */
  @state() private splitsError: string | null = null;
  @state() private reason = 'break';
  /**
   * The agent's readiness before a `splits` change signed the seat out, given back to the seat
   * that signs in again (the control center signs a seat in not ready). Null otherwise.
   */
  private keptReadiness: { ready: boolean; reason: string | null } | null = null;

  private readonly localize = new LocalizeController(this);
  private readonly storeProvider = new ContextProvider(this, { context: seatStoreContext });
  private readonly mediaProvider = new ContextProvider(this, { context: mediaAdapterContext, initialValue: null });
  private readonly bar = new SelectController<SeatState, BarSlice>(
    this,
    (s) => ({
      connection: s.connection,
      seatId: s.seat?.seatId ?? null,
      ready: s.seat?.ready ?? false,
      reason: s.seat?.notReadyReason ?? null,
      waiting: s.waiting,
      splits: s.seat?.splits.length ?? 0,
      pending: s.pending,
      ringing: !!s.seat?.splits.some((x) => x.state === 'ringing'),
      attention: s.attention.length > 0,
    }),
    {
      connection: { state: 'connecting', retryAt: null, error: null },
      seatId: null,
      ready: false,
      reason: null,
      waiting: 0,
      splits: 0,
      pending: {},
      ringing: false,
      attention: false,
    },
  );
  /** The seat's state as custom states (`:state(online)`, `:state(ready)`, …) and `data-…` attributes. @internal */
  private readonly seatStates = new CallStates(this, { reflect: true });

  /** The store and media adapter: made, taken from outside, disposed (shared with `<seat-caller>`). */
  private readonly session: SessionController<SeatStore> = new SessionController<SeatStore>(this, {
    role: 'agent',
    localize: this.localize,
    track: (p) => this.track(p),
    validate: () => (this.splitCount() === null ? this.localize.term('errSplits', String(this.splits)) : null),
    connect: (url, token) => new SeatStore(new WebSocketControlClient<AgentMessage>({ url, token, role: 'agent', splits: this.splitCount()! })),
    simulate: (sim) => new SeatStore(sim.agent(this.token || 'seat-1', this.splitCount()!)),
    storeChanged: (store) => {
      this.storeProvider.setValue(store);
      this.bar.setStore(store);
      // A client may sign in before the store has listeners (the simulator does): the first snapshot is already here.
      const seat = store?.getState().seat;
      if (store && seat) this.signedIn(store, seat);
    },
    mediaChanged: (adapter) => this.mediaProvider.setValue(adapter),
    stateChanged: (next, prev) => this.onStoreChange(next, prev),
    reset: () => {
      this.commandError = null;
      this.splitsError = null;
    },
  });

  constructor() {
    super();
    new TickController(this, () => this.bar.value.connection.state === 'reconnecting');
    new GridFitController(
      this,
      () => this.renderRoot.querySelector<HTMLElement>('.splits'),
      () => ({ count: this.bar.value.splits || this.splitCount() || 1, grid: this.layout !== 'row' }),
    );
    this.addEventListener('seat-error', (e) => {
      if (e.detail.source === 'command' && e.composedPath()[0] !== this) this.commandError = e.detail;
    });
  }

  /**
   * The seat's store: the same state and commands the panes use, for a headless integration. Set it
   * to bring your own. Without `server` and `simulator` it is made once the page's simulator has
   * loaded: read it after `await el.updateComplete`.
   */
  get store(): SeatStore | undefined {
    return this.session.store;
  }
  set store(store: SeatStore | undefined) {
    const old = this.session.store;
    this.session.setStore(store);
    this.requestUpdate('store', old);
  }

  /** The media adapter the panes join rooms through. Set it to inject one (say, a configured Janus adapter; the page disposes it), or null to go back to the element's own. */
  get mediaAdapter(): MediaAdapter<MediaStream> | null {
    return this.session.media;
  }
  set mediaAdapter(adapter: MediaAdapter<MediaStream> | null) {
    const old = this.session.media;
    this.session.setMedia(adapter);
    this.requestUpdate('mediaAdapter', old);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    keyboardSeats.add(this);
    window.addEventListener('keydown', this.onKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    keyboardSeats.delete(this);
    window.removeEventListener('keydown', this.onKeydown);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The session controller rebuilds right after this, in the same update.
    if (changed.has('server') || changed.has('token') || changed.has('simulator')) this.session.invalidate();
    else if (changed.has('splits') && !this.resizeLive()) this.session.invalidate();
  }

  protected override updated(): void {
    const b = this.bar.value;
    const live = !this.session.configError;
    this.seatStates.set(live ? b.connection.state : null, 'connection');
    this.seatStates.set(live && b.seatId ? (b.ready ? 'ready' : 'not-ready') : null, 'readiness');
    this.seatStates.toggle('ringing', live && b.ringing);
    this.seatStates.toggle('attention', live && b.attention);
    this.revealCalling();
  }

  /**
   * Moves split `index` into a window of its own (seed claim 5): its call and media go on there,
   * and closing the window brings it back. Resolves with the window's handle (focus, raise,
   * close), which `store.splitWindow(index)` also gives; rejects when the browser blocks it.
   */
  popOut(index: number): Promise<SplitWindowHandle> {
    const split = this.renderRoot.querySelectorAll<SeatSplit>('seat-split')[index];
    return split ? split.popOut() : Promise.reject(new Error(`no split ${index}`));
  }

  /** The handle of split `index`'s own window, while it has one. */
  splitWindow(index: number): SplitWindowHandle | undefined {
    return this.session.store?.splitWindow(index);
  }

  /**
   * A ringing split, or one whose customer asks for the agent (R18), is never out of sight: where
   * the panes scroll (`row`, `stack` in a short box) it is scrolled into the container's view.
   * Only the container scrolls, never the CRM's page.
   */
  private revealCalling(): void {
    const box = this.renderRoot.querySelector<HTMLElement>('.splits');
    if (!box || (box.scrollWidth <= box.clientWidth && box.scrollHeight <= box.clientHeight)) return;
    // From the store, not the panes' data-state: they update after this element does.
    const splits = this.session.store?.getState().seat?.splits ?? [];
    const calling = splits.find((s) => s.state === 'ringing') ?? splits.find((s) => s.state === 'connected' && s.call?.attention);
    const pane = calling ? box.querySelectorAll<HTMLElement>('seat-split')[calling.index] : undefined;
    if (!pane) return;
    const b = box.getBoundingClientRect();
    const p = pane.getBoundingClientRect();
    if (p.left < b.left) box.scrollLeft -= b.left - p.left;
    else if (p.right > b.right) box.scrollLeft += p.right - b.right;
    if (p.top < b.top) box.scrollTop -= b.top - p.top;
    else if (p.bottom > b.bottom) box.scrollTop += p.bottom - b.bottom;
  }

  /**
   * A new `splits` on a signed-in seat (the control center keeps a seat's count while it is signed
   * in): with every split idle, sign out and sign in again with the new count; with a call on the
   * seat, refuse with a `seat-error` and put the live count back into `splits`. False when there
   * is no live session of ours to change (not signed in yet, a store brought from outside, or an
   * invalid count, which the rebuild reports).
   */
  private resizeLive(): boolean {
    const store = this.session.store;
    const seat = store?.getState().seat;
    const n = this.splitCount();
    if (!store || !this.session.owned || !seat || n === null) return false;
    const live = seat.splits.length;
    if (n === live) return true;
    if (seat.splits.some((s) => s.state !== 'idle')) {
      this.refuseSplits('splits-busy', n, live);
      return true;
    }
    const gen = this.session.generation;
    const readiness = { ready: seat.ready, reason: seat.notReadyReason };
    store.bye().then(
      () => {
        if (gen !== this.session.generation) return;
        this.keptReadiness = readiness;
        this.session.invalidate();
      },
      // A call rang in the meantime (the control center answers `busy`): the seat keeps its count.
      () => {
        if (gen === this.session.generation) this.refuseSplits('splits-busy', n, store.getState().seat?.splits.length ?? live);
      },
    );
    return true;
  }

  /**
   * Says why `splits` did not change, and puts the live count back into the property and
   * attribute: `splits-busy`, a change during a call; `splits-kept`, signed in again within the
   * grace period, where the control center restores the seat as it was and ignores the count.
   */
  private refuseSplits(code: 'splits-busy' | 'splits-kept', wanted: number, live: number): void {
    const message = this.localize.term(code === 'splits-busy' ? 'errSplitsBusy' : 'errSplitsKept', wanted, live);
    this.splitsError = message;
    this.splits = live;
    if (this.hasAttribute('splits')) this.setAttribute('splits', String(live));
    this.emit('seat-error', { detail: { source: 'config', code, message } });
  }

  /** The configured split count, or null when it is not 1–8. */
  private splitCount(): number | null {
    const n = Number(this.splits);
    return Number.isInteger(n) && n >= 1 && n <= MAX_SPLITS && String(this.splits).trim() !== '' ? n : null;
  }

  /** Signed in again within the grace period: the control center kept the seat's old count. */
  private checkKeptSplits(live: number): void {
    const wanted = this.splitCount();
    if (this.session.owned && wanted !== null && wanted !== live) this.refuseSplits('splits-kept', wanted, live);
  }

  /** The seat's first snapshot on a store: check the count, and give back the readiness a `splits` change took. */
  private signedIn(store: SeatStore, seat: NonNullable<SeatState['seat']>): void {
    this.checkKeptSplits(seat.splits.length);
    const kept = this.keptReadiness;
    this.keptReadiness = null;
    if (!kept || !this.session.owned) return;
    if (kept.ready && !seat.ready) this.report(store.ready());
    else if (!kept.ready && kept.reason && seat.notReadyReason !== kept.reason) this.report(store.notReady(kept.reason));
  }

  private onStoreChange(next: SeatState, prev: SeatState): void {
    const store = this.session.store;
    if (store && !prev.seat && next.seat) this.signedIn(store, next.seat);
    for (const e of deriveSeatEvents(prev, next, (callId) => store?.transferTarget(callId))) {
      this.emit(e.name, { detail: e.detail } as never);
    }
    if (next.connection !== prev.connection) {
      this.emit('seat-connection-change', { detail: next.connection });
      const err = next.connection.error;
      if (err && (err.code !== prev.connection.error?.code || prev.connection.state === 'online')) {
        this.emit('seat-error', { detail: { source: 'connection', code: err.code, message: connectionMessage(this.localize, next.connection) } });
      }
    }
  }

  // ---- keyboard ----------------------------------------------------------------------------

  private splitElements(): SeatSplit[] {
    return [...this.renderRoot.querySelectorAll<SeatSplit>('seat-split')];
  }

  private readonly onKeydown = (e: KeyboardEvent): void => {
    const store = this.session.store;
    if (this.keyboard === 'off' || !e.altKey || e.ctrlKey || e.metaKey || !store || typedInField(e)) return;
    // Two seats on one page: only the one holding the focus (else the first) reacts.
    if (keyboardOwner(e) !== this) return;
    const seat = store.getState().seat;
    if (!seat) return;
    const splits = this.splitElements();
    const digit = /^Digit([1-8])$/.exec(e.code);
    if (digit) {
      const el = splits[Number(digit[1]) - 1];
      if (!el) return;
      e.preventDefault();
      el.takeFocus();
      el.focusControl();
    } else if (e.code === 'KeyA') {
      const ringing = seat.splits.find((s) => s.state === 'ringing');
      if (!ringing) return;
      e.preventDefault();
      splits[ringing.index]?.answer();
    } else if (e.code === 'KeyH') {
      if (seat.focus === null) return;
      e.preventDefault();
      splits[seat.focus]?.hangup();
    }
  };

  // ---- rendering ---------------------------------------------------------------------------

  private toggleReady(): void {
    const store = this.session.store;
    if (!store) return;
    this.report(this.bar.value.ready ? store.notReady(this.reason) : store.ready());
  }

  /** Shows and fires a command the control center refused (one refused locally is no error). */
  private report(run: Promise<void>): void {
    run.catch((e: { code?: string; message?: string }) => {
      if (e?.code === 'locally-refused') return;
      this.commandError = { source: 'command', code: e?.code ?? 'internal', message: e?.message ?? String(e) };
      this.emit('seat-error', { detail: this.commandError });
    });
  }

  private onReason(e: Event): void {
    this.reason = (e.target as HTMLSelectElement).value;
    if (!this.bar.value.ready) this.session.store?.notReady(this.reason).catch(() => {});
  }

  override render() {
    const t = this.localize;
    const { configError, mediaError } = this.session;
    if (configError) {
      return html`<div part="base" class="seat">
        <div part="message" class="message error" role="alert">${configError}</div>
      </div>`;
    }
    const b = this.bar.value;
    const c = b.connection;
    const online = c.state === 'online';
    const count = b.splits || this.splitCount() || 0;
    const reasonText = b.reason === 'no-answer' ? t.term('reasonNoAnswer') : null;
    let connection = t.term(c.state === 'online' ? 'online' : c.state === 'offline' ? 'offline' : 'connecting');
    // An attempt after a loss: the seat is still on screen, so it is coming back, not signing in.
    if (c.state === 'connecting' && b.seatId) connection = t.term('reconnectingNow');
    if (c.state === 'reconnecting') connection = t.term('reconnecting', Math.max(0, Math.ceil(((c.retryAt ?? Date.now()) - Date.now()) / 1000)));
    const connError = connectionMessage(this.localize, c);
    return html`<div part="base" class="seat">
      <div part="bar" class="bar" role="group" aria-label=${t.term('seatBar')}>
        ${b.seatId ? html`<span part="seat-id" class="seat-id">${b.seatId}</span>` : nothing}
        <button
          part="button ready-switch"
          class="ready-switch"
          role="switch"
          aria-checked=${b.ready ? 'true' : 'false'}
          aria-label=${t.term('readySwitch')}
          ?disabled=${!online || !b.seatId}
          @click=${this.toggleReady}
        >
          ${b.ready ? t.term('ready') : t.term('notReady')}
        </button>
        ${!b.ready && b.seatId
          ? html`<label part="reason" class="reason"
              >${t.term('reason')}
              <select aria-label=${t.term('reason')} .value=${this.reason} @change=${this.onReason} ?disabled=${!online}>
                ${REASONS.map(([v, k]) => html`<option value=${v} ?selected=${v === this.reason}>${t.term(k)}</option>`)}
              </select></label
            >
            ${reasonText ? html`<span class="detail">${reasonText}</span>` : nothing}`
          : nothing}
        <span part="connection" class="connection" data-state=${c.state} role="status"
          >${c.state === 'reconnecting'
            ? // The countdown ticks every second: shown, but the live region says it once.
              html`<span aria-hidden="true">${connection}</span><span class="sr-only">${t.term('reconnectingNow')}</span>`
            : connection}${this.server ? nothing : html` · ${t.term('simulated')}`}</span
        >
        <span part="waiting" class="waiting" aria-live="polite">${t.term('waiting', b.waiting)}</span>
      </div>
      ${connError ? html`<div part="message" class="message error" role="alert">${connError}</div>` : nothing}
      ${mediaError ? html`<div part="message" class="message error" role="alert">${t.term('errMedia', mediaError)}</div>` : nothing}
      ${this.splitsError
        ? html`<div part="message" class="message error" role="alert">
            <span>${this.splitsError}</span>
            <button part="button dismiss" @click=${() => (this.splitsError = null)}>${t.term('dismiss')}</button>
          </div>`
        : nothing}
      ${this.commandError
        ? html`<div part="message" class="message error" role="alert">
            <span>${t.term('errCommand', t.term('errCode', this.commandError.code, this.commandError.message))}</span>
            <button part="button dismiss" @click=${() => (this.commandError = null)}>${t.term('dismiss')}</button>
          </div>`
        : nothing}
      <div part="splits" class="splits" style=${styleMap({ '--_strip': String(Math.max(1, count - 1)) })}>
        ${repeat(
          Array.from({ length: count }, (_, i) => i),
          (i) => i,
          (i) => html`<seat-split
            part="split"
            exportparts=${SPLIT_PARTS}
            index=${i}
            lang=${ifDefined(this.lang || undefined)}
            preview=${this.preview}
            quality=${this.quality}
            ring=${this.ring}
            ring-volume=${this.ringVolume}
          ></seat-split>`,
        )}
      </div>
    </div>`;
  }
}
