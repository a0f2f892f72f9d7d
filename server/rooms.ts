/**
 * The life of each call's Janus room: made on `room-create` (or as soon as a Janus is up when
 * none is), announced to the engine as `room-ready`, destroyed on `room-destroy`. After a Janus
 * restarts, the rooms of live calls are gone with it, so they are made again and re-announced.
 *
 * With a pool of Janus servers (server/janus-pool.ts) each room is placed on the least-loaded
 * up server; a server that stays down past the pool's grace is `lost`, and the rooms of its live
 * calls are made again on the others and announced through `onReady` (the engine tells both
 * sides the new `media`: a brief video gap, not a lost call). Its old rooms are destroyed (and
 * their tokens removed) if it comes back. A pool of one behaves as a single Janus always did:
 * its calls keep their rooms and wait for it.
 *
 * With `MediaKeys` (the lockdown), a room admits only the parties of its call: it is made with
 * `require_pvtid`, a derived `secret` and an `allowed` list of the parties' join tokens;
 * `access(key, parties)` follows the engine's `room-access` effects (allowed add/remove, each
 * party's Janus session token added or removed through the admin API of the room's server, and
 * every participant whose party lost its right kicked at once). Per key, changes are applied one
 * at a time, always towards the latest wanted set.
 *
 * Join tokens are derived from the room id and the party only: a token is useful only on the
 * server where the control center added it (each Janus has its own token list and each room its
 * own `allowed` list), and a room id is never live on two servers of the pool at once (new ids
 * avoid every id in use), so a token for room N on Janus A never admits to a room on Janus B.
 */
import type { MediaInfo } from '../core/protocol.js';
import { ROOM_MARK, type JanusAdmin, type Room } from './janus-admin.js';
import { JanusPool, type JanusMember, type JanusServerLoad } from './janus-pool.js';
import type { MediaKeys } from './media-tokens.js';

export type JanusStatus = 'up' | 'down' | 'none';

export interface LiveCall {
  key: string;
  media: MediaInfo | null;
  parties: string[];
}

/** A room and the server it is on. */
interface Placed {
  member: JanusMember;
  room: Room;
}

/** A room left behind (its call ended or moved) while its server could not be reached. */
interface Orphan {
  room: Room;
  parties: string[];
}

const RETRY_MS = 1000;

export class Rooms {
  /** Rooms that exist, by call id. */
  private readonly rooms = new Map<string, Placed>();
  /** Calls waiting for a room, in the order they asked. */
  private readonly waiting = new Set<string>();
  /** Calls whose room is being made, and where. */
  private readonly creating = new Map<string, JanusMember>();
  /** Calls that ended while their room was being made. */
  private readonly dropped = new Set<string>();
  /** Rooms to destroy once their server answers again, per server. */
  private readonly orphans = new Map<JanusMember, Set<Orphan>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Who may be in each call's room (from `access`), whether or not the room exists yet. */
  private readonly parties = new Map<string, string[]>();
  /** Parties whose token is in the current room's `allowed` list and in Janus, by call id. */
  private readonly applied = new Map<string, Set<string>>();
  /** Calls whose access must be (re)applied, and those being applied now. */
  private readonly dirty = new Set<string>();
  private readonly syncing = new Set<string>();
  /** Calls whose next sync also re-adds every token and kicks strangers (after a reconnect or restore). */
  private readonly full = new Set<string>();
  private readonly failed = new Set<string>();
  /** Per server, a restore waiting for it to be up (the live calls whose rooms are there). */
  private readonly pendingRestore = new Map<JanusMember, LiveCall[]>();
  /** Every live call of the last restore (parties that may have held a right before it). */
  private restoredLive: LiveCall[] = [];
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  readonly pool: JanusPool | null;

  constructor(
    /** A pool of Janus servers, or one Janus (a pool of one, told to browsers as `publicUrl`). */
    janus: JanusPool | JanusAdmin | null,
    publicUrl: string,
    private readonly onReady: (key: string, media: MediaInfo) => void,
    private readonly log: (message: string) => void = () => {},
    /** The lockdown: with keys, rooms admit only the parties given to `access`. */
    private readonly keys: MediaKeys | null = null,
  ) {
    this.pool = janus instanceof JanusPool ? janus : janus ? JanusPool.single(janus, publicUrl, { log }) : null;
    this.pool?.on('up', (m: JanusMember) => void this.onUp(m));
    this.pool?.on('down', (m: JanusMember) =>
      this.log(this.pool!.size > 1 ? `janus ${m.publicUrl} is down` : 'janus is down; new calls wait for rooms'),
    );
    this.pool?.on('lost', (m: JanusMember) => this.onLost(m));
  }

  get status(): JanusStatus {
    if (!this.pool) return 'none';
    return this.pool.up ? 'up' : 'down';
  }

  /** How many rooms exist, for stats. */
  get count(): number {
    return this.rooms.size;
  }

  /** Every Janus server's status and load (`/v1/stats`). */
  servers(): JanusServerLoad[] {
    return this.pool?.servers() ?? [];
  }

  /** The room of a call, if it has one (tests and stats). */
  roomOf(key: string): number | null {
    return this.rooms.get(key)?.room.room ?? null;
  }

  /** The public URL of the server a call's room is on, if it has one (tests). */
  serverOf(key: string): string | null {
    return this.rooms.get(key)?.member.publicUrl ?? null;
  }

  create(key: string): void {
    if (!this.pool || this.closed) return;
    this.waiting.add(key);
    this.pump();
  }

  destroy(key: string): void {
    if (!this.pool) return;
    this.waiting.delete(key);
    this.parties.delete(key);
    this.dirty.delete(key);
    if (this.creating.has(key)) this.dropped.add(key);
    const placed = this.rooms.get(key);
    if (!placed) return;
    this.unplace(key, placed);
    const had = this.applied.get(key);
    this.applied.delete(key);
    this.destroyRoom(placed.member, placed.room, had ? [...had] : []);
  }

  /**
   * The parties allowed in a call's room now (`agent:<seat>`, `customer:<id>`): new ones are
   * let in, those no longer listed lose their token and are kicked with their subscriptions.
   * Remembered when the room does not exist yet and applied when it is made.
   */
  access(key: string, parties: string[]): void {
    if (!this.pool || !this.keys || this.closed) return;
    this.parties.set(key, [...new Set(parties)]);
    if (this.rooms.has(key)) this.sync(key);
  }

  /** The parties a call's room admits now (tests). */
  partiesOf(key: string): string[] {
    return [...(this.parties.get(key) ?? [])];
  }

  private place(key: string, placed: Placed): void {
    this.rooms.set(key, placed);
    placed.member.held++;
  }

  private unplace(key: string, placed: Placed): void {
    if (this.rooms.get(key) !== placed) return;
    this.rooms.delete(key);
    placed.member.held--;
    placed.member.delta--;
  }

  private destroyRoom(member: JanusMember, room: Room, parties: string[] = []): void {
    if (!member.up) {
      this.orphan(member, room, parties);
      return;
    }
    this.track(member.admin.destroyRoom(room))
      .then(() => this.dropTokens(member, room.room, parties))
      .catch((e: Error) => {
        // If only our connection dropped, Janus still has the room: try again once it answers.
        if (!member.up) this.orphan(member, room, parties);
        else this.log(`could not destroy room ${room.room}: ${e.message}`);
      });
  }

  private orphan(member: JanusMember, room: Room, parties: string[]): void {
    let set = this.orphans.get(member);
    if (!set) this.orphans.set(member, (set = new Set()));
    set.add({ room, parties });
  }

  /** Whether a room id is in use anywhere in the pool (new rooms avoid it). */
  private idInUse(id: number): boolean {
    for (const p of this.rooms.values()) if (p.room.room === id) return true;
    for (const set of this.orphans.values()) for (const o of set) if (o.room.room === id) return true;
    return false;
  }

  /** Removes the parties' Janus session tokens for a room (best effort). */
  private async dropTokens(member: JanusMember, room: number, parties: Iterable<string>): Promise<void> {
    const janus = member.admin;
    if (!this.keys || !janus.tokens) return;
    await Promise.all(
      [...parties].map((p) => janus.removeToken(this.keys!.token(room, p)).catch((e: Error) => this.log(`could not remove a Janus token: ${e.message}`))),
    );
  }

  /** Waits for pending room creations and destructions (shutdown). */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.waiting.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * After a control-center restart: the live calls as the engine restored them. Each call's
   * room is looked for on the server its `media.server` names, once that server is up: a room
   * Janus still has is kept (its secret is derived) and has its access re-applied; a room that is
   * gone, a call without one, a server no longer in the pool or one lost (down past the grace)
   * gets a new room (announced through `onReady`); rooms this control center made (ROOM_MARK)
   * that no live call owns are destroyed on every server. Needs the VideoRoom admin key to find
   * those rooms (private rooms are listed only to its holders).
   */
  async restore(live: LiveCall[]): Promise<void> {
    const pool = this.pool;
    if (!pool || this.closed) return;
    this.restoredLive = live;
    for (const l of live) if (this.keys) this.parties.set(l.key, [...new Set(l.parties)]);
    const byMember = new Map<JanusMember, LiveCall[]>(pool.members.map((m) => [m, []]));
    for (const l of live) {
      if (this.rooms.has(l.key) || this.creating.has(l.key)) continue;
      const m = l.media ? pool.byPublicUrl(l.media.server) : undefined;
      if (!m) {
        if (l.media) this.log(`call ${l.key} had its room on ${l.media.server}, no longer a Janus of this control center: a new room`);
        this.waiting.add(l.key);
      } else byMember.get(m)!.push(l);
    }
    const runs: Promise<void>[] = [];
    for (const [m, calls] of byMember) {
      if (m.up) runs.push(this.track(this.doRestore(m, calls)).catch((e: Error) => this.log(`restore failed on ${m.publicUrl}: ${e.message}`)));
      else if (m.lost && pool.pick()) {
        // Lost already: its calls get rooms elsewhere; its strays are destroyed when it is back.
        for (const l of calls) this.waiting.add(l.key);
        this.pendingRestore.set(m, []);
      } else this.pendingRestore.set(m, calls);
    }
    await Promise.all(runs);
    this.pump();
  }

  private async doRestore(m: JanusMember, calls: LiveCall[]): Promise<void> {
    const janus = m.admin;
    const live = this.restoredLive;
    let listed: Map<number, string> | null = null;
    try {
      listed = new Map((await janus.listRoomsDescribed()).map((r) => [r.room, r.description]));
    } catch (e) {
      this.log(`could not list Janus rooms: ${(e as Error).message}`);
    }
    const kept = new Set<number>();
    for (const l of calls) {
      if (this.rooms.has(l.key) || this.creating.has(l.key) || this.waiting.has(l.key)) continue;
      const media = l.media!;
      // Without the admin key Janus leaves private rooms out of its list: ask for a missing one.
      const alive = listed?.has(media.room) || (await janus.exists(media.room).catch(() => false));
      if (this.rooms.has(l.key) || this.creating.has(l.key)) continue;
      if (!alive) {
        this.waiting.add(l.key);
        continue;
      }
      const secret = this.keys ? this.keys.roomSecret(media.room) : null;
      if (!secret) {
        // Without derivable secrets the room cannot be managed any more: make a new one.
        this.waiting.add(l.key);
        continue;
      }
      kept.add(media.room);
      this.place(l.key, { member: m, room: { room: media.room, pin: media.pin, secret } });
      // Parties that may have held a right before the restart: the room's own participants
      // and every party of every live call. Their tokens are removed unless still wanted.
      const maybe = new Set<string>(live.flatMap((x) => x.parties));
      const people = await janus.listParticipants(media.room).catch(() => []);
      for (const p of people) if (p.display) maybe.add(p.display);
      this.applied.set(l.key, maybe);
      this.full.add(l.key);
      this.sync(l.key);
    }
    if (this.keys && janus.tokens) await this.dropUnknownTokens(m);
    if (listed) {
      for (const [room, description] of listed) {
        if (!description.startsWith(ROOM_MARK) || kept.has(room)) continue;
        const key = description.slice(ROOM_MARK.length);
        const placed = this.rooms.get(key);
        if ((placed?.member === m && placed.room.room === room) || this.creating.get(key) === m) continue;
        if (this.keys) {
          this.log(`destroying room ${room}: no live call owns it`);
          this.destroyRoom(m, { room, pin: '', secret: this.keys.roomSecret(room) });
        }
      }
    }
    this.pump();
  }

  /**
   * Removes every Janus token of a server that is neither ours nor a wanted party's of a room we
   * hold there: the tokens of calls that ended while the control center was away. The control
   * center owns Janus's token list.
   */
  private async dropUnknownTokens(m: JanusMember): Promise<void> {
    const janus = m.admin;
    const keys = this.keys!;
    const expected = new Set<string>();
    if (janus.ownToken) expected.add(janus.ownToken);
    for (const [key, placed] of this.rooms) {
      if (placed.member !== m) continue;
      for (const p of this.parties.get(key) ?? []) expected.add(keys.token(placed.room.room, p));
      if (this.syncing.has(key)) for (const p of this.applied.get(key) ?? []) expected.add(keys.token(placed.room.room, p));
    }
    let tokens: string[];
    try {
      tokens = await janus.listTokens();
    } catch (e) {
      return this.log(`could not list Janus tokens: ${(e as Error).message}`);
    }
    await Promise.all(tokens.filter((t) => !expected.has(t)).map((t) => janus.removeToken(t).catch(() => undefined)));
  }

  private pump(): void {
    const pool = this.pool;
    if (!pool || this.closed) return;
    for (const key of this.waiting) {
      const m = pool.pick();
      if (!m) return;
      this.waiting.delete(key);
      this.creating.set(key, m);
      m.delta++;
      this.track(this.make(m, key)).then(
        ({ room, parties }) => {
          this.creating.delete(key);
          if (this.dropped.delete(key) || this.closed) {
            m.delta--;
            return this.destroyRoom(m, room, parties);
          }
          this.place(key, { member: m, room });
          if (this.keys) {
            this.applied.set(key, new Set(parties));
            this.sync(key);
          }
          this.onReady(key, { server: m.publicUrl, room: room.room, pin: room.pin });
        },
        (e: Error) => {
          this.creating.delete(key);
          m.delta--;
          if (this.dropped.delete(key) || this.closed) return;
          this.log(`could not create a room on ${m.publicUrl}: ${e.message}`);
          this.waiting.add(key);
          this.scheduleRetry();
        },
      );
    }
  }

  /** Makes a call's room, with the allowed list and session tokens of the parties known now. */
  private async make(m: JanusMember, key: string): Promise<{ room: Room; parties: string[] }> {
    const janus = m.admin;
    const keys = this.keys;
    const avoid = (id: number) => this.idInUse(id);
    if (!keys) return { room: await janus.createRoom({ key, avoid }), parties: [] };
    const parties = [...(this.parties.get(key) ?? [])];
    const room = await janus.createRoom({
      key,
      avoid,
      allowedFor: (id) => parties.map((p) => keys.token(id, p)),
      secretFor: (id) => keys.roomSecret(id),
    });
    if (janus.tokens) {
      try {
        await Promise.all(parties.map((p) => janus.addToken(keys.token(room.room, p))));
      } catch (e) {
        this.destroyRoom(m, room, parties);
        throw e;
      }
    }
    return { room, parties };
  }

  // ---- access -------------------------------------------------------------------------------

  /** Applies the latest wanted parties of `key` to its room; one run per key at a time. */
  private sync(key: string): void {
    this.dirty.add(key);
    if (this.syncing.has(key)) return;
    this.syncing.add(key);
    const run = async () => {
      while (this.dirty.delete(key)) {
        const placed = this.rooms.get(key);
        if (!placed || !placed.member.up || this.closed) return;
        try {
          await this.apply(key, placed);
        } catch (e) {
          this.log(`could not apply room access for ${key}: ${(e as Error).message}`);
          if (this.rooms.get(key) === placed) {
            this.full.add(key);
            this.failed.add(key);
            this.scheduleRetry();
          }
          return;
        }
      }
    };
    void this.track(run()).finally(() => {
      this.syncing.delete(key);
      if (this.dirty.has(key)) this.sync(key);
    });
  }

  private async apply(key: string, { member, room }: Placed): Promise<void> {
    const janus = member.admin;
    const keys = this.keys!;
    const tok = (p: string) => keys.token(room.room, p);
    const want = new Set(this.parties.get(key) ?? []);
    const have = this.applied.get(key) ?? new Set<string>();
    this.applied.set(key, have);
    const full = this.full.delete(key);
    const add = [...want].filter((p) => full || !have.has(p));
    const drop = [...have].filter((p) => !want.has(p));
    if (add.length) {
      // The session token first: the party's browser opens its Janus session before it joins.
      if (janus.tokens) await Promise.all(add.map((p) => janus.addToken(tok(p))));
      await janus.allowed(room, 'add', add.map(tok));
      for (const p of add) have.add(p);
    }
    if (drop.length || full) {
      if (drop.length) await janus.allowed(room, 'remove', drop.map(tok));
      await this.kickStrangers(key, member, room);
      if (janus.tokens) await Promise.all(drop.map((p) => janus.removeToken(tok(p))));
      for (const p of drop) have.delete(p);
    }
  }

  /** Kicks every participant whose display is not a party allowed now (with its subscriptions). */
  private async kickStrangers(key: string, member: JanusMember, room: Room): Promise<void> {
    const janus = member.admin;
    const people = await janus.listParticipants(room.room);
    const allowed = new Set(this.parties.get(key) ?? []);
    for (const p of people) {
      if (p.display !== null && allowed.has(p.display)) continue;
      await janus.kick(room, p.id).catch((e: Error) => {
        // 428: gone already.
        if (!/No such user/.test(e.message)) throw e;
      });
    }
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      for (const key of this.failed) {
        this.failed.delete(key);
        if (this.rooms.has(key)) this.sync(key);
      }
      this.pump();
    }, RETRY_MS);
  }

  // ---- servers coming and going ---------------------------------------------------------------

  /** A Janus (re)connected: its restore runs, rooms it lost while away are made again. */
  private async onUp(m: JanusMember): Promise<void> {
    this.log(this.pool!.size > 1 ? `janus ${m.publicUrl} is up` : 'janus is up');
    const janus = m.admin;
    const pending = this.pendingRestore.get(m);
    if (pending) {
      this.pendingRestore.delete(m);
      await this.track(this.doRestore(m, pending)).catch((e: Error) => this.log(`restore failed: ${e.message}`));
    }
    const orphans = this.orphans.get(m);
    if (orphans) {
      this.orphans.delete(m);
      for (const o of orphans) this.destroyRoom(m, o.room, o.parties);
    }
    for (const [key, placed] of [...this.rooms]) {
      if (placed.member !== m) continue;
      const alive = await janus.exists(placed.room.room).catch(() => true);
      if (this.rooms.get(key) !== placed) continue;
      if (alive) {
        // Only our connection dropped (or Janus kept the room): make sure its access is right,
        // tokens included (a restarted Janus forgets them).
        if (this.keys) {
          this.full.add(key);
          this.sync(key);
        }
        continue;
      }
      this.unplace(key, placed);
      const had = this.applied.get(key);
      this.applied.delete(key);
      if (had) void this.track(this.dropTokens(m, placed.room.room, had));
      this.waiting.add(key);
    }
    // Calls left on lost servers while nothing else was up can move here now.
    for (const other of this.pool!.members) if (other.lost && !other.up) this.relocate(other);
    this.pump();
  }

  /** A Janus stayed down past the grace: its calls get rooms on the others, if any is up. */
  private onLost(m: JanusMember): void {
    if (this.closed) return;
    this.relocate(m);
    this.pump();
  }

  /** Moves every room of a lost server to the waiting list (made again on an up server). */
  private relocate(m: JanusMember): void {
    if (this.closed || !this.pool!.pick()) return;
    let moved = 0;
    // Calls restored onto it that it never came back for.
    const pending = this.pendingRestore.get(m);
    if (pending?.length) {
      for (const l of pending) if (!this.rooms.has(l.key) && !this.creating.has(l.key)) this.waiting.add(l.key);
      moved += pending.length;
      // Its strays are still destroyed when it is back.
      this.pendingRestore.set(m, []);
    }
    for (const [key, placed] of [...this.rooms]) {
      if (placed.member !== m) continue;
      this.unplace(key, placed);
      const had = this.applied.get(key);
      this.applied.delete(key);
      this.full.delete(key);
      this.failed.delete(key);
      this.dirty.delete(key);
      // Destroyed, with its tokens, if the server comes back with it.
      this.orphan(m, placed.room, had ? [...had] : []);
      this.waiting.add(key);
      moved++;
    }
    if (moved) this.log(`janus ${m.publicUrl} is lost: ${moved} call(s) get new rooms elsewhere`);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }
}
