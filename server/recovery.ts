/**
 * Restart = replay: the engine rebuilt from the newest snapshot and the journal after it, and
 * the policy that takes snapshots now and then so the replay stays short.
 */
import type { JournalWriter } from '../core/effect-host.js';
import { Engine, type EngineOptions } from '../core/engine.js';
import type { EngineEvent } from '../core/events.js';
import type { Journal } from '../core/journal.js';
import type { CallRecord } from '../core/model.js';

export interface Recovered {
  engine: Engine;
  /** Whether the journal held anything: a first start has nothing to resume. */
  resumed: boolean;
  fromSnapshot: number | null;
  replayed: number;
  ms: number;
}

export function recover(journal: Journal, options: EngineOptions, log: (m: string) => void, now: () => number = Date.now): Recovered {
  const started = now();
  const snap = journal.latestSnapshot();
  const engine = snap ? Engine.fromSnapshot(snap.state, options) : new Engine(options);
  let replayed = 0;
  const entries = journal.readFrom(snap?.seq ?? 0, (count, why) => log(`journal: ${why}; dropped ${count} event(s) from the end (a write cut short by a crash)`));
  for (const { seq, event } of entries) {
    const result = engine.apply(event);
    // Only accepted events are journaled, so a refusal here means the file was changed.
    if (!result.ok) log(`journal: event ${seq} (${event.type}) was refused on replay: ${result.error.message}`);
    replayed++;
  }
  return { engine, resumed: snap !== null || replayed > 0, fromSnapshot: snap?.seq ?? null, replayed, ms: now() - started };
}

export interface SnapshotPolicy {
  /** A snapshot after this many events (0: never by count). */
  everyEvents: number;
}

/**
 * The journal writer the control center uses: appends, and after every `everyEvents` events
 * stores a snapshot of the engine (which then already includes the event) and trims the rest.
 */
export class SnapshottingJournal implements JournalWriter {
  private since = 0;
  engine: Engine | null = null;

  constructor(
    readonly journal: Journal,
    private readonly policy: SnapshotPolicy,
    private readonly log: (m: string) => void = () => {},
  ) {}

  append(event: EngineEvent, records: CallRecord[]): void {
    this.journal.append(event, records);
    if (this.policy.everyEvents > 0 && ++this.since >= this.policy.everyEvents) {
      // The event is safe already; a snapshot that fails only makes the next replay longer.
      try {
        this.snapshotNow();
      } catch (e) {
        this.log(`snapshot failed: ${(e as Error).message}`);
      }
    }
  }

  /** Stores a snapshot now if anything happened since the last one (also on a planned stop). */
  snapshotNow(): void {
    if (!this.engine || this.since === 0) return;
    this.journal.snapshot(this.engine.snapshot());
    this.journal.trim(this.journal.lastSeq);
    this.since = 0;
  }
}
