/**
 * A pool of Janus servers: one `JanusAdmin` per server, its health and its load.
 *
 * - **Health.** A server is `up` while its admin connection (session + VideoRoom handle) is;
 *   `down` when that drops; `lost` when it stayed down for `graceMs` (default 3 s, from the drop,
 *   or from the start for one that never came up). `Rooms` moves the live rooms of a lost server
 *   to the others; a brief blip (shorter than the grace) moves nothing.
 * - **Load.** Every `loadEveryMs` (default 5 s) each up server is asked for its rooms and their
 *   participants (VideoRoom `list`, with the admin key so private rooms are listed). Between two
 *   refreshes the rooms placed and removed here are counted locally, so a burst of new calls
 *   spreads instead of piling onto the server that looked emptiest at the last refresh.
 * - **Placement.** `pick()` gives the up server with the least load (participants + rooms;
 *   ties: fewer rooms, then the order given).
 *
 * Servers are known by their public URL (what `MediaInfo.server` carries): it is how a restarted
 * control center finds, from a journaled `media`, which server a call's room is on.
 */
import { EventEmitter } from 'node:events';
import type { ServerConfig } from './config.js';
import { JanusAdmin } from './janus-admin.js';
import type { MediaKeys } from './media-tokens.js';

export type MemberStatus = 'up' | 'down' | 'lost';

export interface JanusServerLoad {
  /** The public URL (MediaInfo.server). */
  server: string;
  status: MemberStatus;
  /** Rooms and participants on the server (Janus's own count at the last refresh ± ours since). */
  rooms: number;
  participants: number;
  /** Rooms of this control center's live calls on it. */
  calls: number;
}

export class JanusMember {
  /** Janus's own count at the last refresh (null: not yet asked, or it could not answer). */
  reported: { rooms: number; participants: number } | null = null;
  /** Rooms placed (+) and removed (−) here since the last refresh. */
  delta = 0;
  /** Rooms of our live calls on this server now (kept by Rooms). */
  held = 0;
  lost = false;
  lostTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly index: number,
    readonly admin: JanusAdmin,
    /** What browsers are told (MediaInfo.server); unique in the pool. */
    readonly publicUrl: string,
  ) {}

  get up(): boolean {
    return this.admin.up;
  }

  get status(): MemberStatus {
    return this.admin.up ? 'up' : this.lost ? 'lost' : 'down';
  }

  get rooms(): number {
    return Math.max(this.held, (this.reported?.rooms ?? 0) + this.delta);
  }

  get participants(): number {
    return this.reported?.participants ?? 0;
  }

  get load(): number {
    return this.rooms + this.participants;
  }
}

export interface JanusPoolOptions {
  /** Down this long → lost (its rooms are made again elsewhere). */
  graceMs?: number;
  /** How often each up server is asked for its load; 0: never (local counts only). */
  loadEveryMs?: number;
  log?: (message: string) => void;
}

/**
 * Emits `up` (member), `down` (member) and `lost` (member) — `lost` once per outage, after the
 * grace.
 */
export class JanusPool extends EventEmitter {
  readonly members: JanusMember[];
  private readonly graceMs: number;
  private readonly loadEveryMs: number;
  private readonly log: (message: string) => void;
  private loadTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private stopped = false;

  constructor(servers: Array<{ admin: JanusAdmin; publicUrl: string }>, options: JanusPoolOptions = {}) {
    super();
    const seen = new Set<string>();
    for (const s of servers) {
      if (seen.has(s.publicUrl)) throw new Error(`two Janus servers have the same public URL ${s.publicUrl}: each needs its own`);
      seen.add(s.publicUrl);
    }
    this.members = servers.map((s, i) => new JanusMember(i, s.admin, s.publicUrl));
    this.graceMs = options.graceMs ?? 3000;
    this.loadEveryMs = options.loadEveryMs ?? 5000;
    this.log = options.log ?? (() => {});
    for (const m of this.members) {
      m.admin.on('up', () => {
        if (m.lostTimer) clearTimeout(m.lostTimer);
        m.lostTimer = null;
        const wasLost = m.lost;
        m.lost = false;
        if (wasLost) this.log(`janus ${m.publicUrl} is back`);
        void this.refreshOne(m);
        this.emit('up', m);
      });
      m.admin.on('down', () => {
        m.reported = null;
        m.delta = 0;
        this.armGrace(m);
        this.emit('down', m);
      });
    }
  }

  /** A pool of one server (the single `--janus-url`), as the control center always had. */
  static single(admin: JanusAdmin, publicUrl: string, options: JanusPoolOptions = {}): JanusPool {
    return new JanusPool([{ admin, publicUrl }], options);
  }

  get size(): number {
    return this.members.length;
  }

  /** Any server up. */
  get up(): boolean {
    return this.members.some((m) => m.up);
  }

  start(): void {
    this.stopped = false;
    for (const m of this.members) {
      m.admin.start();
      // One that never comes up is lost a grace after the start.
      if (!m.up) this.armGrace(m);
    }
    if (this.loadEveryMs > 0) {
      this.loadTimer = setInterval(() => void this.refresh(), this.loadEveryMs);
      this.loadTimer.unref();
    }
  }

  /** Resolves once every server is up, or after `timeoutMs` (false if some are not). */
  async waitUp(timeoutMs: number): Promise<boolean> {
    const r = await Promise.allSettled(this.members.map((m) => m.admin.waitUp(timeoutMs)));
    return r.every((x) => x.status === 'fulfilled');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.loadTimer) clearInterval(this.loadTimer);
    this.loadTimer = null;
    for (const m of this.members) {
      if (m.lostTimer) clearTimeout(m.lostTimer);
      m.lostTimer = null;
    }
    await Promise.all(this.members.map((m) => m.admin.stop()));
  }

  byPublicUrl(url: string): JanusMember | undefined {
    return this.members.find((m) => m.publicUrl === url);
  }

  /** The least-loaded up server, or null when none is up. */
  pick(exclude?: JanusMember): JanusMember | null {
    let best: JanusMember | null = null;
    for (const m of this.members) {
      if (!m.up || m === exclude) continue;
      if (!best || m.load < best.load || (m.load === best.load && m.rooms < best.rooms)) best = m;
    }
    return best;
  }

  /** Asks every up server for its load now. */
  refresh(): Promise<void> {
    this.refreshing ??= Promise.all(this.members.filter((m) => m.up).map((m) => this.refreshOne(m))).then(
      () => {
        this.refreshing = null;
      },
      () => {
        this.refreshing = null;
      },
    );
    return this.refreshing;
  }

  private async refreshOne(m: JanusMember): Promise<void> {
    if (!m.up || this.stopped) return;
    // Rooms placed while the request is out are counted in both; those placed after it only in delta.
    const before = m.delta;
    try {
      const load = await m.admin.load();
      m.reported = load;
      m.delta -= before;
    } catch (e) {
      if (m.up) this.log(`could not read the load of janus ${m.publicUrl}: ${(e as Error).message}`);
    }
  }

  /** For stats: every server's status and load. */
  servers(): JanusServerLoad[] {
    return this.members.map((m) => ({ server: m.publicUrl, status: m.status, rooms: m.rooms, participants: m.participants, calls: m.held }));
  }

  private armGrace(m: JanusMember): void {
    if (m.lostTimer || m.lost || this.stopped) return;
    m.lostTimer = setTimeout(() => {
      m.lostTimer = null;
      if (m.up || this.stopped) return;
      m.lost = true;
      this.log(`janus ${m.publicUrl} has been down for ${this.graceMs} ms: its calls' rooms move to the others`);
      this.emit('lost', m);
    }, this.graceMs);
    m.lostTimer.unref();
  }
}

/**
 * The pool a control center runs with: one `JanusAdmin` per configured server, each with the
 * control center's own token when its admin API is given (token_auth). Null without media.
 */
export function createJanusPool(
  config: Pick<ServerConfig, 'janusServers' | 'janusKeepaliveMs' | 'janusReconnectMinMs' | 'janusReconnectMaxMs' | 'janusGraceMs' | 'janusLoadEveryMs'>,
  keys: MediaKeys,
  log: (message: string) => void,
): JanusPool | null {
  if (config.janusServers.length === 0) return null;
  return new JanusPool(
    config.janusServers.map((j) => ({
      publicUrl: j.publicUrl,
      admin: new JanusAdmin({
        url: j.url,
        apiSecret: j.apiSecret,
        adminKey: j.adminKey,
        adminUrl: j.adminUrl,
        adminSecret: j.adminSecret,
        token: j.adminUrl ? keys.ownToken() : null,
        keepaliveMs: config.janusKeepaliveMs,
        reconnectMinMs: config.janusReconnectMinMs,
        reconnectMaxMs: config.janusReconnectMaxMs,
      }),
    })),
    { graceMs: config.janusGraceMs, loadEveryMs: config.janusLoadEveryMs, log },
  );
}
