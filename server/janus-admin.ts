/**
 * A control-side Janus client over the WebSocket transport: one session with one VideoRoom
 * handle, kept alive with keepalives and rebuilt with backoff whenever Janus goes away. It only
 * manages rooms; media never passes through the control center.
 */
import { EventEmitter } from 'node:events';
import { randomBytes, randomInt } from 'node:crypto';
import WebSocket from 'ws';

export interface JanusAdminOptions {
  url: string;
  apiSecret?: string | null;
  adminKey?: string | null;
  /**
   * Janus's admin API (HTTP, e.g. `http://127.0.0.1:7088/admin`) and its `admin_secret`: with
   * them the control center adds and removes `token_auth` tokens (its own, at every connect, and
   * each party's). Without them Janus must not set `token_auth`.
   */
  adminUrl?: string | null;
  adminSecret?: string | null;
  /** The control center's own Janus token (`token_auth`), sent with every request. */
  token?: string | null;
  /** The `secret` of a room, derived from its id (so it survives a restart); default random. */
  roomSecret?: ((room: number) => string) | null;
  keepaliveMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** How long one request may wait for its answer before it fails. */
  requestTimeoutMs?: number;
}

export interface Room {
  room: number;
  pin: string;
  /** Needed to destroy the room; never leaves the control center. */
  secret: string;
}

type Msg = Record<string, unknown>;

interface Pending {
  /** Plugin messages may be acked before their answer; only the answer settles them. */
  skipAck: boolean;
  resolve(m: Msg): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** Janus's talking detection for call rooms: 10 packets of 20 ms, louder on average than -60 dBov. */
const TALKING = { packets: 10, level: 60 } as const;

export class JanusError extends Error {
  constructor(
    message: string,
    readonly code: number | null = null,
  ) {
    super(message);
    this.name = 'JanusError';
  }
}

type NullableOption = 'apiSecret' | 'adminKey' | 'adminUrl' | 'adminSecret' | 'token' | 'roomSecret';

/** Rooms this control center made carry this prefix in their description, then the call's key. */
export const ROOM_MARK = 'multi-seat:';

export interface RoomListing {
  room: number;
  description: string;
}

export interface Participant {
  id: number;
  display: string | null;
  publisher: boolean;
}

/** Janus VideoRoom's "room already exists". */
const ROOM_EXISTS = 427;
/** Room ids stay below 2^48 so they are exact in JavaScript numbers and in Janus' uint64. */
const ROOM_ID_MAX = 2 ** 48 - 1;

/**
 * Emits `up` once a session and handle exist, `down` when the connection is lost (each once per
 * change).
 */
export class JanusAdmin extends EventEmitter {
  private readonly opts: Required<Omit<JanusAdminOptions, NullableOption>> & { [K in NullableOption]: NonNullable<JanusAdminOptions[K]> | null };
  private ws: WebSocket | null = null;
  private session: number | null = null;
  private handle: number | null = null;
  private readonly pending = new Map<string, Pending>();
  private txSeq = 0;
  private keepalive: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private attempts = 0;
  private stopped = false;
  private _up = false;

  constructor(options: JanusAdminOptions) {
    super();
    this.opts = {
      keepaliveMs: 25_000,
      reconnectMinMs: 500,
      reconnectMaxMs: 10_000,
      requestTimeoutMs: 5_000,
      ...options,
      apiSecret: options.apiSecret ?? null,
      adminKey: options.adminKey ?? null,
      adminUrl: options.adminUrl ?? null,
      adminSecret: options.adminSecret ?? null,
      token: options.token ?? null,
      roomSecret: options.roomSecret ?? null,
    };
  }

  get up(): boolean {
    return this._up;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Resolves when Janus is up, or rejects after `timeoutMs`. */
  waitUp(timeoutMs: number): Promise<void> {
    if (this._up) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('up', onUp);
        reject(new JanusError(`Janus at ${this.opts.url} did not come up within ${timeoutMs} ms`));
      }, timeoutMs);
      const onUp = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once('up', onUp);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    this.reconnect = null;
    const ws = this.ws;
    if (ws && this.session !== null && ws.readyState === WebSocket.OPEN) {
      await this.request({ janus: 'destroy', session_id: this.session }, 1000).catch(() => undefined);
    }
    this.teardown(new JanusError('the Janus client was stopped'));
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 500).unref();
      });
    }
  }

  /** Whether tokens can be managed (the admin API is configured). */
  get tokens(): boolean {
    return this.opts.adminUrl !== null;
  }

  /** The control center's own Janus token, if it uses one. */
  get ownToken(): string | null {
    return this.opts.token;
  }

  /**
   * A private room with a random id and pin (retries on the rare id collision), or the given
   * ones. `allowed`: the join tokens admitted (the VideoRoom `allowed` list, checked even when
   * empty); every subscriber must give the private id of a participant (`require_pvtid`).
   * `key` goes into the description after ROOM_MARK, so a restarted control center knows its
   * rooms.
   */
  async createRoom(
    options: {
      key?: string;
      /** The join tokens admitted, given the room id chosen; omitted: no `allowed` check. */
      allowedFor?: (room: number) => string[];
      /** The room's secret, given its id; default `roomSecret` of the options, else random. */
      secretFor?: (room: number) => string;
      room?: number;
      pin?: string;
      /** Ids not to pick (rooms live elsewhere in a pool of Janus servers). */
      avoid?: (room: number) => boolean;
    } = {},
  ): Promise<Room> {
    for (let attempt = 0; ; attempt++) {
      let id = options.room ?? randomInt(1, ROOM_ID_MAX);
      for (let i = 0; options.room === undefined && options.avoid?.(id) && i < 10; i++) id = randomInt(1, ROOM_ID_MAX);
      const secretFor = options.secretFor ?? this.opts.roomSecret;
      const room: Room = {
        room: id,
        pin: options.pin ?? randomBytes(12).toString('base64url'),
        secret: secretFor ? secretFor(id) : randomBytes(18).toString('base64url'),
      };
      const allowed = options.allowedFor?.(id);
      try {
        await this.plugin({
          request: 'create',
          room: room.room,
          pin: room.pin,
          secret: room.secret,
          description: `${ROOM_MARK}${options.key ?? ''}`,
          is_private: true,
          permanent: false,
          require_pvtid: true,
          ...(allowed ? { allowed } : {}),
          // Customer, agent and, during a warm transfer, the second agent; with headroom.
          publishers: 6,
          // Who is talking: the agent's split lights up when its customer speaks while not in
          // focus. Levels are -dBov (0 loudest, 127 silence), averaged over 0.2 s of packets.
          audiolevel_event: true,
          audio_active_packets: TALKING.packets,
          audio_level_average: TALKING.level,
          ...(this.opts.adminKey ? { admin_key: this.opts.adminKey } : {}),
        });
        return room;
      } catch (e) {
        if (e instanceof JanusError && e.code === ROOM_EXISTS && attempt < 5 && options.room === undefined) continue;
        throw e;
      }
    }
  }

  async destroyRoom(room: Room): Promise<void> {
    await this.plugin({ request: 'destroy', room: room.room, secret: room.secret, permanent: false });
  }

  /** Rooms Janus lists; private ones only when Janus has an admin key and we hold it. */
  async listRooms(): Promise<number[]> {
    return (await this.listRoomsDescribed()).map((r) => r.room);
  }

  /** Rooms Janus lists, with their descriptions (private ones need the admin key). */
  async listRoomsDescribed(): Promise<RoomListing[]> {
    const data = await this.plugin({ request: 'list', ...(this.opts.adminKey ? { admin_key: this.opts.adminKey } : {}) });
    return ((data['list'] as { room: number; description?: string }[] | undefined) ?? []).map((r) => ({
      room: r.room,
      description: r.description ?? '',
    }));
  }

  /**
   * The load Janus reports: every room it lists (private ones need the admin key) and the
   * participants in them (VideoRoom `list` gives `num_participants` per room).
   */
  async load(): Promise<{ rooms: number; participants: number }> {
    const data = await this.plugin({ request: 'list', ...(this.opts.adminKey ? { admin_key: this.opts.adminKey } : {}) });
    const list = (data['list'] as { num_participants?: number }[] | undefined) ?? [];
    return { rooms: list.length, participants: list.reduce((n, r) => n + (Number(r.num_participants) || 0), 0) };
  }

  /** The WebSocket URL this client talks to. */
  get url(): string {
    return this.opts.url;
  }

  async exists(room: number): Promise<boolean> {
    const data = await this.plugin({ request: 'exists', room });
    return data['exists'] === true;
  }

  /** Adds or removes join tokens of a room's `allowed` list (`enable` turns the check on). */
  async allowed(room: Room, action: 'add' | 'remove' | 'enable', tokens: string[] = []): Promise<void> {
    await this.plugin({ request: 'allowed', room: room.room, secret: room.secret, action, allowed: tokens });
  }

  async listParticipants(room: number): Promise<Participant[]> {
    const data = await this.plugin({ request: 'listparticipants', room });
    return ((data['participants'] as { id: number; display?: string; publisher?: boolean }[] | undefined) ?? []).map((p) => ({
      id: p.id,
      display: p.display ?? null,
      publisher: p.publisher === true,
    }));
  }

  /** Throws the participant out; with `require_pvtid` its subscriptions get no media after. */
  async kick(room: Room, id: number): Promise<void> {
    await this.plugin({ request: 'kick', room: room.room, secret: room.secret, id });
  }

  // ---- token_auth through the admin API ----------------------------------------------------

  /** Lets `token` open Janus sessions (VideoRoom only). Idempotent. */
  async addToken(token: string): Promise<void> {
    await this.admin({ janus: 'add_token', token, plugins: ['janus.plugin.videoroom'] });
  }

  /** Takes `token` away; a token Janus does not know is not an error. */
  async removeToken(token: string): Promise<void> {
    try {
      await this.admin({ janus: 'remove_token', token });
    } catch (e) {
      // Janus 1.1 answers 490 "Error removing token" for a token it does not have.
      if (!(e instanceof JanusError && (e.code === 470 || /Error removing token/.test(e.message)))) throw e;
    }
  }

  async listTokens(): Promise<string[]> {
    const reply = await this.admin({ janus: 'list_tokens' });
    return ((reply['data'] as { tokens?: { token: string }[] } | undefined)?.tokens ?? []).map((t) => t.token);
  }

  private async admin(body: Msg): Promise<Msg> {
    const url = this.opts.adminUrl;
    if (!url) throw new JanusError('no Janus admin API configured');
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, transaction: `a${++this.txSeq}`, ...(this.opts.adminSecret ? { admin_secret: this.opts.adminSecret } : {}) }),
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs),
      });
    } catch (e) {
      throw new JanusError(`Janus admin API at ${url}: ${(e as Error).message}`);
    }
    const reply = (await res.json().catch(() => ({}))) as Msg;
    if (reply['janus'] !== 'success') {
      const err = reply['error'] as { code?: number; reason?: string } | undefined;
      throw new JanusError(`Janus admin API: ${err?.reason ?? `HTTP ${res.status}`}`, err?.code ?? null);
    }
    return reply;
  }

  // ---- connection -------------------------------------------------------------------------

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.opts.url, 'janus-protocol');
    this.ws = ws;
    ws.on('open', () => {
      void this.openSession(ws);
    });
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('error', () => {
      // 'close' follows and does the work; without a listener the error would be thrown.
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.teardown(new JanusError('the connection to Janus was lost'));
      this.scheduleReconnect();
    });
  }

  private async openSession(ws: WebSocket): Promise<void> {
    try {
      // Janus forgets its tokens when it restarts: ours goes back in before the session.
      if (this.opts.token && this.opts.adminUrl) await this.addToken(this.opts.token);
      const created = await this.request({ janus: 'create' });
      this.session = (created['data'] as { id: number }).id;
      const attached = await this.request({ janus: 'attach', plugin: 'janus.plugin.videoroom', session_id: this.session });
      this.handle = (attached['data'] as { id: number }).id;
    } catch {
      // A half-made session is useless: drop the socket and let reconnection start over.
      if (this.ws === ws) ws.terminate();
      return;
    }
    if (this.ws !== ws) return;
    this.attempts = 0;
    this.keepalive = setInterval(() => {
      if (this.session === null) return;
      this.request({ janus: 'keepalive', session_id: this.session }).catch(() => {
        if (this.ws === ws) ws.terminate();
      });
    }, this.opts.keepaliveMs);
    this.setUp(true);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnect) return;
    const delay = Math.min(this.opts.reconnectMaxMs, this.opts.reconnectMinMs * 2 ** this.attempts);
    this.attempts++;
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      this.connect();
    }, delay);
  }

  private teardown(reason: Error): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
    this.session = null;
    this.handle = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
    if (this.stopped && this.ws) this.ws.removeAllListeners('close');
    this.setUp(false);
  }

  private setUp(up: boolean): void {
    if (this._up === up) return;
    this._up = up;
    this.emit(up ? 'up' : 'down');
  }

  // ---- requests ---------------------------------------------------------------------------

  private async plugin(body: Msg): Promise<Msg> {
    if (!this._up || this.session === null || this.handle === null) throw new JanusError('Janus is down');
    const reply = await this.request({ janus: 'message', session_id: this.session, handle_id: this.handle, body });
    const data = (reply['plugindata'] as { data?: Msg } | undefined)?.data ?? {};
    if (data['error_code'] !== undefined)
      throw new JanusError(String(data['error'] ?? 'VideoRoom error'), Number(data['error_code']) || null);
    return data;
  }

  private request(msg: Msg, timeoutMs = this.opts.requestTimeoutMs): Promise<Msg> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new JanusError('Janus is down'));
    const transaction = `t${++this.txSeq}`;
    const full: Msg = { ...msg, transaction };
    if (this.opts.apiSecret) full['apisecret'] = this.opts.apiSecret;
    if (this.opts.token) full['token'] = this.opts.token;
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new JanusError(`Janus did not answer ${String(msg['janus'])} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(transaction, { skipAck: msg['janus'] === 'message', resolve, reject, timer });
      ws.send(JSON.stringify(full));
    });
  }

  private onMessage(text: string): void {
    let msg: Msg;
    try {
      msg = JSON.parse(text) as Msg;
    } catch {
      return;
    }
    if (msg['janus'] === 'timeout') {
      // Janus dropped our session (missed keepalives): start over on a fresh connection.
      this.ws?.terminate();
      return;
    }
    const tx = msg['transaction'];
    if (typeof tx !== 'string') return;
    const p = this.pending.get(tx);
    if (!p) return;
    if (msg['janus'] === 'ack' && p.skipAck) return;
    this.pending.delete(tx);
    clearTimeout(p.timer);
    if (msg['janus'] === 'error') {
      const err = msg['error'] as { code?: number; reason?: string } | undefined;
      p.reject(new JanusError(err?.reason ?? 'Janus error', err?.code ?? null));
    } else p.resolve(msg);
  }
}
