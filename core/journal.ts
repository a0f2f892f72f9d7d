/**
 * The journal: every event the engine accepted, in order, plus now and then a snapshot of the
 * engine's state, so a restart rebuilds exactly what was live (snapshot + the events after it).
 * Small on purpose: the embedded default keeps it in SQLite, a cluster in a Redis Stream.
 */
import type { JournalWriter } from './effect-host.js';
import type { EngineSnapshot } from './engine-snapshot.js';
import type { EngineEvent } from './events.js';

export interface JournalEntry {
  seq: number;
  event: EngineEvent;
}

export interface Journal extends JournalWriter {
  /** The sequence number of the last appended event (0 when empty). */
  readonly lastSeq: number;
  /**
   * The events after `seq`, oldest first. A torn tail (a record cut short by a crash) ends the
   * reading: what follows it is dropped and reported through `onDropped`.
   */
  readFrom(seq: number, onDropped?: (count: number, why: string) => void): Iterable<JournalEntry>;
  /** The newest snapshot and the last event it includes, or null. */
  latestSnapshot(): { seq: number; state: EngineSnapshot } | null;
  /** Stores a snapshot of the state after every event appended so far. */
  snapshot(state: EngineSnapshot): void;
  /** Forgets the events up to `seq` and snapshots older than the newest. */
  trim(seq: number): void;
}

/** Whether a parsed journal record is shaped like an event (the engine checks the rest). */
export function looksLikeEvent(value: unknown): value is EngineEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; now?: unknown };
  return typeof v.type === 'string' && typeof v.now === 'number';
}
