/**
 * The embedded journal: events and snapshots in the control center's SQLite file, next to the
 * call records. An event and the records it finished are written in one transaction, so a
 * crash can leave neither or both, never one record without its event (or twice).
 */
import type Database from 'better-sqlite3';
import type { EngineSnapshot } from '../core/engine-snapshot.js';
import type { EngineEvent } from '../core/events.js';
import { looksLikeEvent, type Journal, type JournalEntry } from '../core/journal.js';
import type { CallRecord } from '../core/model.js';
import type { Records } from './records.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, event TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, state TEXT NOT NULL);
`;

export class SqliteJournal implements Journal {
  private seq: number;
  private readonly insertEvent: Database.Statement;
  private readonly writeEvent: (json: string, records: CallRecord[]) => void;

  constructor(
    private readonly db: Database.Database,
    records: Records,
  ) {
    db.exec(SCHEMA);
    const last = db.prepare('SELECT MAX(seq) AS seq FROM journal').get() as { seq: number | null };
    const snap = db.prepare('SELECT MAX(seq) AS seq FROM snapshots').get() as { seq: number | null };
    this.seq = Math.max(last.seq ?? 0, snap.seq ?? 0);
    this.insertEvent = db.prepare('INSERT INTO journal (seq, event) VALUES (?, ?)');
    this.writeEvent = db.transaction((json: string, rs: CallRecord[]) => {
      this.insertEvent.run(this.seq + 1, json);
      for (const r of rs) records.add(r);
    });
  }

  get lastSeq(): number {
    return this.seq;
  }

  append(event: EngineEvent, records: CallRecord[]): void {
    this.writeEvent(JSON.stringify(event), records);
    this.seq++;
  }

  *readFrom(seq: number, onDropped?: (count: number, why: string) => void): Iterable<JournalEntry> {
    const rows = this.db.prepare('SELECT seq, event FROM journal WHERE seq > ? ORDER BY seq').iterate(seq) as Iterable<{ seq: number; event: string }>;
    let expected = seq + 1;
    let torn: { seq: number; why: string } | null = null;
    for (const row of rows) {
      let event: unknown;
      try {
        event = JSON.parse(row.event);
      } catch {
        event = null;
      }
      if (row.seq !== expected || !looksLikeEvent(event)) {
        torn = { seq: row.seq, why: row.seq !== expected ? `a gap before event ${row.seq}` : `event ${row.seq} is not whole` };
        break;
      }
      expected++;
      yield { seq: row.seq, event };
    }
    if (!torn) return;
    // Appends go on from the last whole event, so what follows the tear must go.
    const dropped = this.db.prepare('DELETE FROM journal WHERE seq >= ?').run(torn.seq).changes;
    this.seq = expected - 1;
    onDropped?.(dropped, torn.why);
  }

  latestSnapshot(): { seq: number; state: EngineSnapshot } | null {
    const row = this.db.prepare('SELECT seq, state FROM snapshots ORDER BY seq DESC LIMIT 1').get() as { seq: number; state: string } | undefined;
    return row ? { seq: row.seq, state: JSON.parse(row.state) as EngineSnapshot } : null;
  }

  snapshot(state: EngineSnapshot): void {
    this.db.prepare('INSERT OR REPLACE INTO snapshots (seq, at, state) VALUES (?, ?, ?)').run(this.seq, Date.now(), JSON.stringify(state));
  }

  trim(seq: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM journal WHERE seq <= ?').run(seq);
      this.db.prepare('DELETE FROM snapshots WHERE seq < (SELECT MAX(seq) FROM snapshots)').run();
    })();
  }
}
