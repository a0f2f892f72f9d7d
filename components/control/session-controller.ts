import type { ReactiveController } from 'lit';
import type { MediaAdapter } from '../../core/media-adapter.js';
import type { Simulator } from '../../core/simulator.js';
import type { ReadableStore } from '../../core/store.js';
import type { SeatElement } from '../base/seat-element.js';
import type { LocalizeController } from '../i18n/localize.js';
import { fakeFactory } from '../media/fake-factory.js';
import type { MediaAdapterFactory } from '../media/janus-factory.js';
import { endpointsFor } from './ws-client.js';

type Media = MediaAdapter<MediaStream>;

/** A store the session can own: closing it closes its control client. */
export interface SessionStore<S = unknown> extends ReadableStore<S> {
  dispose(): void;
}

/** What the controller reads from its element: the configuration every session element has. */
export interface SessionHost extends SeatElement {
  server?: string;
  token?: string;
  simulator?: Simulator;
  mediaAdapterFactory: MediaAdapterFactory;
  /** Given to the factory when the element makes its adapter. */
  iceTransportPolicy?: 'all' | 'relay';
}

/** What differs between the elements: which store, on which endpoint, and what they do with it. */
export interface SessionOptions<S extends SessionStore> {
  /** The control center's endpoint (`/v1/agent` or `/v1/caller`), for checking `server`. */
  role: 'agent' | 'caller';
  localize: LocalizeController;
  /** `SeatElement.track`, so `updateComplete` waits for the on-demand loads. */
  track<T>(p: Promise<T>): Promise<T>;
  /** The element's own configuration fault, checked before `server` and `token`; null when fine. */
  validate?(): string | null;
  /** The store on the control center at `server`. */
  connect(server: string, token: string): S;
  /** The store on a simulator: the element's `simulator`, or the page's one, loaded on demand. */
  simulate(simulator: Simulator): S;
  /** Every change of the store (a new one, one from outside, or none): providers and slices. */
  storeChanged?(store: S | undefined, previous: S | undefined): void;
  /** Every change of the media adapter. */
  mediaChanged?(adapter: Media | null): void;
  /** Each state change of the store, while the session is open (events derived from snapshots). */
  stateChanged?(next: S extends ReadableStore<infer T> ? T : never, previous: S extends ReadableStore<infer T> ? T : never): void;
  /** A session is (re)built: clear what the element shows about the last one. */
  reset?(): void;
  /** A configuration passed its checks and the element's own session opens. */
  opened?(): void;
  /** The session is closed (removed from the page, or rebuilt): close what hangs on it. */
  closed?(): void;
}

/**
 * The session of `<multi-seat>` and `<seat-caller>`: who makes and disposes the store and the media
 * adapter. One job, written once, so the two elements cannot drift apart (they did: the caller
 * leaked a Janus adapter it had made when the page later set its own).
 *
 * - **The store**: one from outside (`setStore`) is the page's: used, never disposed. Otherwise the
 *   element makes its own from `server`/`token` (a WebSocket client), its `simulator`, or the
 *   page's simulator (loaded on demand), and disposes it when it is rebuilt or leaves the page.
 * - **The media adapter**: one from outside (`setMedia`) is the page's. Otherwise the element makes
 *   its own (the factory with `server`, the fake adapter without) once its session is open, and
 *   disposes it when an outside one replaces it, or with the session.
 * - **Generations**: every build and teardown starts a new one; a load that finishes for an older
 *   generation is dropped (and an adapter it made, disposed).
 * - **Moves**: removing and re-adding the element in the same task (moving it in the page) keeps
 *   the session; only a removal that lasts closes it. Back on the page, a new one opens.
 *
 * The element calls `invalidate()` when its configuration changes; the (re)build happens in the
 * next update, before the element's own `update()`. Not public API.
 * @internal
 */
export class SessionController<S extends SessionStore> implements ReactiveController {
  private _store: S | undefined;
  private _media: Media | null = null;
  /** The store came from outside: the page's to dispose. */
  private storeOutside = false;
  /** The adapter came from outside: the page's to dispose. */
  private mediaOutside = false;
  private ownsStore = false;
  private ownsMedia = false;
  private _generation = 0;
  /** A session is open (built without a configuration fault, not torn down): it wants media. */
  private open = false;
  private mediaLoading = false;
  private stale = true;
  private stopState: (() => void) | null = null;
  /** Why the configuration gives no session (shown by the element), else null. */
  configError: string | null = null;
  /** Why the media adapter did not load (shown by the element), else null. */
  mediaError: string | null = null;

  constructor(
    private readonly host: SessionHost,
    private readonly options: SessionOptions<S>,
  ) {
    host.addController(this);
  }

  /** The current store: the element's own or one from outside. */
  get store(): S | undefined {
    return this._store;
  }

  /** The current media adapter: the element's own or one from outside. */
  get media(): Media | null {
    return this._media;
  }

  /** Whether the store is the element's own (made here from its configuration). */
  get owned(): boolean {
    return this.ownsStore;
  }

  /** Bumped by every build and teardown: work started under an older one is stale. */
  get generation(): number {
    return this._generation;
  }

  /** Uses a store from outside (or, with undefined, goes back to making one). */
  setStore(store: S | undefined): void {
    // Undefined while the element already uses its own (a framework passing an unset prop): nothing to change.
    if (!store && !this.storeOutside) return;
    if (this.ownsStore && this._store !== store) this._store?.dispose();
    this.ownsStore = false;
    this.storeOutside = !!store;
    // Used at once, so the page can read state through the element right away.
    this.adopt(store, false);
    this.invalidate();
  }

  /** Uses a media adapter from outside (or, with null, goes back to making one). */
  setMedia(adapter: Media | null): void {
    // Null while the element already uses its own (or is making it): nothing to change.
    if (!adapter && !this.mediaOutside) return;
    // The adapter the element made itself is nobody else's: dispose it, or it leaks.
    if (this.ownsMedia && this._media && this._media !== adapter) void this._media.dispose();
    this.ownsMedia = false;
    this.mediaOutside = !!adapter;
    this.useMedia(adapter);
    // With null, the next update makes the element's own again (the session goes on).
    this.host.requestUpdate();
  }

  /** The configuration changed: the session is rebuilt in the next update. */
  invalidate(): void {
    this.stale = true;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    // Back on the page after a removal that closed the session: open a new one.
    if (this.stale) this.host.requestUpdate();
  }

  hostDisconnected(): void {
    // Moving the element in the page disconnects and reconnects it at once: keep the session then.
    queueMicrotask(() => {
      if (this.host.isConnected) return;
      this.teardown();
      this.stale = true;
    });
  }

  hostUpdate(): void {
    if (this.stale && this.host.isConnected) {
      this.stale = false;
      this.build();
    }
    if (this.open && !this._media && !this.mediaOutside && !this.mediaLoading && !this.mediaError) this.loadMedia();
  }

  private build(): void {
    if (this.storeOutside && this._store) {
      // A store from outside is the page's: nothing to make, only the media to load.
      this.nextGeneration();
      this.configError = null;
      this.mediaError = null;
      this.options.reset?.();
      this.adopt(this._store, false);
      this.open = true;
      return;
    }
    this.teardown();
    this.configError = null;
    this.mediaError = null;
    this.options.reset?.();
    const error = this.validate();
    if (error) return this.fail(error);
    this.open = true;
    const { server, token, simulator } = this.host;
    if (server) this.adopt(this.options.connect(server, token!), true);
    else if (simulator) this.adopt(this.options.simulate(simulator), true);
    else {
      // The page's simulator (and the engine) is loaded on demand: pages with a `server` never fetch it.
      const gen = this._generation;
      this.options.track(import('./page-simulator.js')).then(
        ({ pageSimulator }) => {
          if (gen !== this._generation || this.storeOutside) return;
          this.adopt(this.options.simulate(pageSimulator()), true);
        },
        (e: unknown) => {
          if (gen === this._generation) this.fail(e instanceof Error ? e.message : String(e));
        },
      );
    }
    this.options.opened?.();
  }

  private validate(): string | null {
    const own = this.options.validate?.();
    if (own) return own;
    const { server, token } = this.host;
    if (!server) return null;
    const t = this.options.localize;
    try {
      endpointsFor(server, this.options.role);
    } catch {
      return t.term('errServer', server);
    }
    return token ? null : t.term('errNoToken');
  }

  private fail(message: string): void {
    this.configError = message;
    this.host.requestUpdate();
    this.host.emit('seat-error', { detail: { source: 'config', code: 'config', message } });
  }

  /** Makes `store` the session's (owned: the element's own), and listens to it while open. */
  private adopt(store: S | undefined, owned: boolean): void {
    const previous = this._store;
    if (previous !== store) {
      this.stopState?.();
      this.stopState = null;
    }
    this._store = store;
    this.ownsStore = !!store && owned;
    const listen = this.options.stateChanged;
    if (store && listen && !this.stopState) this.stopState = store.subscribe((next, prev) => listen(next as never, prev as never));
    if (previous !== store) this.options.storeChanged?.(store, previous);
    this.host.requestUpdate();
  }

  private loadMedia(): void {
    const gen = this._generation;
    this.mediaLoading = true;
    // With a server, the factory (the Janus adapter, loaded lazily); without, the fake adapter
    // (loaded on demand too; `updateComplete` waits for it).
    const made = this.host.server ? this.host.mediaAdapterFactory({ iceTransportPolicy: this.host.iceTransportPolicy ?? 'all' }) : this.options.track(fakeFactory());
    made.then(
      (adapter) => {
        if (gen !== this._generation || this.mediaOutside) return void adapter.dispose();
        this.mediaLoading = false;
        this.ownsMedia = true;
        this.useMedia(adapter);
        this.host.requestUpdate();
      },
      (e: unknown) => {
        if (gen !== this._generation) return;
        this.mediaLoading = false;
        this.mediaError = e instanceof Error ? e.message : String(e);
        this.host.requestUpdate();
        this.host.emit('seat-error', { detail: { source: 'media', code: 'media', message: this.options.localize.term('errMedia', this.mediaError) } });
      },
    );
  }

  private useMedia(adapter: Media | null): void {
    if (adapter === this._media) return;
    this._media = adapter;
    this.options.mediaChanged?.(adapter);
  }

  /** Work started before now is stale from here on; a load still under way is forgotten (and dropped when it lands). */
  private nextGeneration(): void {
    this._generation++;
    this.mediaLoading = false;
  }

  /** Closes the session: disposes what the element made; what came from outside stays as it is. */
  private teardown(): void {
    this.nextGeneration();
    this.open = false;
    this.stopState?.();
    this.stopState = null;
    this.options.closed?.();
    if (this.ownsStore) {
      this._store?.dispose();
      this.ownsStore = false;
      this.adopt(undefined, false);
    }
    if (this.ownsMedia && this._media) void this._media.dispose();
    if (this.ownsMedia) this.useMedia(null);
    this.ownsMedia = false;
  }
}
