/**
 * The life of each call's Janus room: made on `room-create` (or as soon as Janus is back when it
 * is down), announced to the engine as `room-ready`, destroyed on `room-destroy`. After Janus
 * restarts, the rooms of live calls are gone with it, so they are made again and re-announced.
 */
import type { MediaInfo } from '../core/protocol.js';
import type { JanusAdmin, Room } from './janus-admin.js';

export type JanusStatus = 'up' | 'down' | 'none';

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
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly janus: JanusAdmin | null,
    private readonly publicUrl: string,
    private readonly onReady: (key: string, media: MediaInfo) => void,
    private readonly log: (message: string) => void = () => {},
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
    if (this.creating.has(key)) this.dropped.add(key);
    const room = this.rooms.get(key);
    if (!room) return;
    this.rooms.delete(key);
    this.destroyRoom(room);
  }

  /** Who may be in the room of `key` (see the engine's `room-access` effect). */
  access(key: string, parties: string[]): void {
    void key;
    void parties;
  }

  private destroyRoom(room: Room): void {
    this.track(this.janus!.destroyRoom(room)).catch((e: Error) => {
      // If only our connection dropped, Janus still has the room: try again once it answers.
      if (!this.janus!.up) this.orphans.add(room);
      else this.log(`could not destroy room ${room.room}: ${e.message}`);
    });
  }

  /** Waits for pending room creations and destructions (shutdown). */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.waiting.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private pump(): void {
    const janus = this.janus;
    if (!janus?.up || this.closed) return;
    for (const key of this.waiting) {
      this.waiting.delete(key);
      this.creating.add(key);
      this.track(janus.createRoom()).then(
        (room) => {
          this.creating.delete(key);
          if (this.dropped.delete(key) || this.closed) return this.destroyRoom(room);
          this.rooms.set(key, room);
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

  private scheduleRetry(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.pump();
    }, RETRY_MS);
  }

  /** Janus (re)connected: rooms it lost while away are made again. */
  private async onUp(): Promise<void> {
    this.log('janus is up');
    const janus = this.janus!;
    for (const room of this.orphans) {
      this.orphans.delete(room);
      this.destroyRoom(room);
    }
    for (const [key, room] of [...this.rooms]) {
      const alive = await janus.exists(room.room).catch(() => true);
      if (alive || this.rooms.get(key) !== room) continue;
      this.rooms.delete(key);
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
