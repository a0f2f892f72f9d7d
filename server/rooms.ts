/**
 * The life of each call's Janus room: made on `room-create` (or as soon as Janus is back when it
 * is down), announced to the engine as `room-ready`, destroyed on `room-destroy`. After Janus
 * restarts, the rooms of live calls are gone with it, so they are made again and re-announced.
 *
 * With `MediaKeys` (the lockdown), a room admits only the parties of its call: it is made with
 * `require_pvtid`, a derived `secret` and an `allowed` list of the parties' join tokens;
 * `access(key, parties)` follows the engine's `room-access` effects (allowed add/remove, each
 * party's Janus session token added or removed through the admin API, and every participant
 * whose party lost its right kicked at once). Per key, changes are applied one at a time, always
 * towards the latest wanted set.
 */
import type { MediaInfo } from '../core/protocol.js';
import { ROOM_MARK, type JanusAdmin, type Room } from './janus-admin.js';
import type { MediaKeys } from './media-tokens.js';

export type JanusStatus = 'up' | 'down' | 'none';

export interface LiveCall {
  key: string;
  media: MediaInfo | null;
  parties: string[];
}

const RETRY_MS = 1000;

export class Rooms {
  /** Rooms that exist, by call id. */
  private readonly rooms = new Map<string, Room>();
  /** Calls waiting for a room, in the order they asked. */
  private readonly waiting = new Set<string>();
  private readonly creating = new Set<string>();
  /** Calls that ended while their room was being made. */
  private readonly dropped = new Set<string>();
  /** Rooms of ended calls that could not be destroyed while Janus was unreachable. */
  private readonly orphans = new Set<Room>();
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
  /** A restore waiting for Janus to be up. */
  private pendingRestore: LiveCall[] | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly janus: JanusAdmin | null,
    private readonly publicUrl: string,
    private readonly onReady: (key: string, media: MediaInfo) => void,
    private readonly log: (message: string) => void = () => {},
    /** The lockdown: with keys, rooms admit only the parties given to `access`. */
    private readonly keys: MediaKeys | null = null,
  ) {
    janus?.on('up', () => void this.onUp());
    janus?.on('down', () => this.log('janus is down; new calls wait for rooms'));
  }

  get status(): JanusStatus {
    if (!this.janus) return 'none';
    return this.janus.up ? 'up' : 'down';
  }

  /** How many rooms exist, for stats. */
  get count(): number {
    return this.rooms.size;
  }

  /** The room of a call, if it has one (tests and stats). */
  roomOf(key: string): number | null {
    return this.rooms.get(key)?.room ?? null;
  }

  create(key: string): void {
    if (!this.janus || this.closed) return;
    this.waiting.add(key);
    this.pump();
  }

  destroy(key: string): void {
    if (!this.janus) return;
    this.waiting.delete(key);
    this.parties.delete(key);
    this.dirty.delete(key);
    if (this.creating.has(key)) this.dropped.add(key);
    const room = this.rooms.get(key);
    if (!room) return;
    this.rooms.delete(key);
    const had = this.applied.get(key);
    this.applied.delete(key);
    this.destroyRoom(room, had ? [...had] : []);
  }

  /**
   * The parties allowed in a call's room now (`agent:<seat>`, `customer:<id>`): new ones are
   * let in, those no longer listed lose their token and are kicked with their subscriptions.
   * Remembered when the room does not exist yet and applied when it is made.
   */
  access(key: string, parties: string[]): void {
    if (!this.janus || !this.keys || this.closed) return;
    this.parties.set(key, [...new Set(parties)]);
    if (this.rooms.has(key)) this.sync(key);
  }

  /** The parties a call's room admits now (tests). */
  partiesOf(key: string): string[] {
    return [...(this.parties.get(key) ?? [])];
  }

  private destroyRoom(room: Room, parties: string[] = []): void {
    const janus = this.janus!;
    this.track(janus.destroyRoom(room))
      .then(() => this.dropTokens(room.room, parties))
      .catch((e: Error) => {
        // If only our connection dropped, Janus still has the room: try again once it answers.
        if (!janus.up) this.orphans.add(room);
        else this.log(`could not destroy room ${room.room}: ${e.message}`);
      });
  }

  /** Removes the parties' Janus session tokens for a room (best effort). */
  private async dropTokens(room: number, parties: Iterable<string>): Promise<void> {
    const janus = this.janus!;
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
   * After a control-center restart: the live calls as the engine restored them. A call whose
   * room Janus still has keeps it (its secret is derived) and has its access re-applied; a call
   * whose room is gone, or that had none, gets a new room (announced through `onReady`); rooms
   * this control center made (ROOM_MARK) that no live call owns are destroyed. Needs the VideoRoom
   * admin key to find those rooms (private rooms are listed only to its holders). Runs once
   * Janus is up.
   */
  async restore(live: LiveCall[]): Promise<void> {
    if (!this.janus || this.closed) return;
    for (const l of live) if (this.keys) this.parties.set(l.key, [...new Set(l.parties)]);
    if (!this.janus.up) {
      this.pendingRestore = live;
      return;
    }
    this.pendingRestore = null;
    await this.track(this.doRestore(live)).catch((e: Error) => this.log(`restore failed: ${e.message}`));
  }

  private async doRestore(live: LiveCall[]): Promise<void> {
    const janus = this.janus!;
    let listed: Map<number, string> | null = null;
    try {
      listed = new Map((await janus.listRoomsDescribed()).map((r) => [r.room, r.description]));
    } catch (e) {
      this.log(`could not list Janus rooms: ${(e as Error).message}`);
    }
    const kept = new Set<number>();
    for (const l of live) {
      if (this.rooms.has(l.key) || this.creating.has(l.key)) continue;
      const m = l.media;
      let alive = false;
      if (m) {
        // Without the admin key Janus leaves private rooms out of its list: ask for a missing one.
        alive = listed?.has(m.room) || (await janus.exists(m.room).catch(() => false));
      }
      if (m && alive) {
        const secret = this.keys ? this.keys.roomSecret(m.room) : null;
        if (!secret) {
          // Without derivable secrets the room cannot be managed any more: make a new one.
          this.waiting.add(l.key);
          continue;
        }
        kept.add(m.room);
        this.rooms.set(l.key, { room: m.room, pin: m.pin, secret });
        // Parties that may have held a right before the restart: the room's own participants
        // and every party of every live call. Their tokens are removed unless still wanted.
        const maybe = new Set<string>(live.flatMap((x) => x.parties));
        const people = await janus.listParticipants(m.room).catch(() => []);
        for (const p of people) if (p.display) maybe.add(p.display);
        this.applied.set(l.key, maybe);
        this.full.add(l.key);
        this.sync(l.key);
      } else {
        this.waiting.add(l.key);
      }
    }
    if (this.keys && janus.tokens) await this.dropUnknownTokens();
    if (listed) {
      const mine = new Set(live.map((l) => l.key));
      for (const [room, description] of listed) {
        if (!description.startsWith(ROOM_MARK) || kept.has(room)) continue;
        const key = description.slice(ROOM_MARK.length);
        if (mine.has(key) && (this.rooms.get(key)?.room === room || this.creating.has(key))) continue;
        if (this.keys) {
          this.log(`destroying room ${room}: no live call owns it`);
          this.destroyRoom({ room, pin: '', secret: this.keys.roomSecret(room) });
        }
      }
    }
    this.pump();
  }

  /**
   * Removes every Janus token that is neither ours nor a wanted party's of a room we hold: the
   * tokens of calls that ended while the control center was away. The control center owns
   * Janus's token list.
   */
  private async dropUnknownTokens(): Promise<void> {
    const janus = this.janus!;
    const keys = this.keys!;
    const expected = new Set<string>();
    if (janus.ownToken) expected.add(janus.ownToken);
    for (const [key, room] of this.rooms) for (const p of this.parties.get(key) ?? []) expected.add(keys.token(room.room, p));
    for (const key of this.syncing) for (const p of this.applied.get(key) ?? []) {
      const room = this.rooms.get(key);
      if (room) expected.add(keys.token(room.room, p));
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
    const janus = this.janus;
    if (!janus?.up || this.closed) return;
    for (const key of this.waiting) {
      this.waiting.delete(key);
      this.creating.add(key);
      this.track(this.make(key)).then(
        (made) => {
          this.creating.delete(key);
          if (!made) return;
          const { room, parties } = made;
          if (this.dropped.delete(key) || this.closed) return this.destroyRoom(room, parties);
          this.rooms.set(key, room);
          if (this.keys) {
            this.applied.set(key, new Set(parties));
            this.sync(key);
          }
          this.onReady(key, { server: this.publicUrl, room: room.room, pin: room.pin });
        },
        (e: Error) => {
          this.creating.delete(key);
          if (this.dropped.delete(key) || this.closed) return;
          this.log(`could not create a room: ${e.message}`);
          this.waiting.add(key);
          this.scheduleRetry();
        },
      );
    }
  }

  /** Makes a call's room, with the allowed list and session tokens of the parties known now. */
  private async make(key: string): Promise<{ room: Room; parties: string[] }> {
    const janus = this.janus!;
    const keys = this.keys;
    if (!keys) return { room: await janus.createRoom({ key }), parties: [] };
    const parties = [...(this.parties.get(key) ?? [])];
    const room = await janus.createRoom({
      key,
      allowedFor: (id) => parties.map((p) => keys.token(id, p)),
      secretFor: (id) => keys.roomSecret(id),
    });
    if (janus.tokens) {
      try {
        await Promise.all(parties.map((p) => janus.addToken(keys.token(room.room, p))));
      } catch (e) {
        this.destroyRoom(room, parties);
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
        const room = this.rooms.get(key);
        if (!room || !this.janus?.up || this.closed) return;
        try {
          await this.apply(key, room);
        } catch (e) {
          this.log(`could not apply room access for ${key}: ${(e as Error).message}`);
          if (this.rooms.get(key) === room) {
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

  private readonly failed = new Set<string>();

  private async apply(key: string, room: Room): Promise<void> {
    const janus = this.janus!;
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
      await this.kickStrangers(key, room);
      if (janus.tokens) await Promise.all(drop.map((p) => janus.removeToken(tok(p))));
      for (const p of drop) have.delete(p);
    }
  }

  /** Kicks every participant whose display is not a party allowed now (with its subscriptions). */
  private async kickStrangers(key: string, room: Room): Promise<void> {
    const janus = this.janus!;
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
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      for (const key of this.failed) {
        this.failed.delete(key);
        if (this.rooms.has(key)) this.sync(key);
      }
      this.pump();
    }, RETRY_MS);
  }

  /** Janus (re)connected: rooms it lost while away are made again. */
  private async onUp(): Promise<void> {
    this.log('janus is up');
    const janus = this.janus!;
    if (this.pendingRestore) {
      const live = this.pendingRestore;
      this.pendingRestore = null;
      await this.track(this.doRestore(live)).catch((e: Error) => this.log(`restore failed: ${e.message}`));
    }
    for (const room of this.orphans) {
      this.orphans.delete(room);
      this.destroyRoom(room);
    }
    for (const [key, room] of [...this.rooms]) {
      const alive = await janus.exists(room.room).catch(() => true);
      if (this.rooms.get(key) !== room) continue;
      if (alive) {
        // Only our connection dropped (or Janus kept the room): make sure its access is right,
        // tokens included (a restarted Janus forgets them).
        if (this.keys) {
          this.full.add(key);
          this.sync(key);
        }
        continue;
      }
      this.rooms.delete(key);
      const had = this.applied.get(key);
      this.applied.delete(key);
      if (had) void this.track(this.dropTokens(room.room, had));
      this.waiting.add(key);
    }
    this.pump();
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }
}
