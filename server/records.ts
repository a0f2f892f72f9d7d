/**
 * Finished calls in SQLite, one row per CallRecord, keyed by call id: a record written twice
 * (a replay, a retry after a crash) is kept once. Writes are synchronous (better-sqlite3), so a
 * record is on disk once `add` returns.
 */
import type Database from 'better-sqlite3';
import type { CallRecord } from '../core/model.js';

interface Row {
  call_id: string;
  kind: CallRecord['kind'];
  queue: string | null;
  customer_id: string;
  customer_name: string | null;
  seat_id: string | null;
  virtual_seat: string | null;
  queued_at: number;
  offered_at: number | null;
  answered_at: number | null;
  ended_at: number;
  end_reason: CallRecord['endReason'];
  requeues: number;
  return_waits_ms: string;
  disposition: string | null;
  seats: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS calls (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  queue TEXT,
  customer_id TEXT NOT NULL,
  customer_name TEXT,
  seat_id TEXT,
  virtual_seat TEXT,
  queued_at INTEGER NOT NULL,
  offered_at INTEGER,
  answered_at INTEGER,
  ended_at INTEGER NOT NULL,
  end_reason TEXT NOT NULL,
  requeues INTEGER NOT NULL,
  return_waits_ms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_ended_at ON calls (ended_at);
`;

/**
 * Before call ids were unique across restarts, a file could hold the same id twice (two "c-1"
 * of two runs): those older rows get their row number appended, so the key can be unique.
 */
const UNIQUE_IDS = `
UPDATE calls SET call_id = call_id || '#' || seq WHERE seq NOT IN (SELECT MIN(seq) FROM calls GROUP BY call_id);
CREATE UNIQUE INDEX IF NOT EXISTS calls_call_id ON calls (call_id);
CREATE INDEX IF NOT EXISTS calls_seat ON calls (seat_id, seq);
`;

export class Records {
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly selectSeat: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.db.exec(SCHEMA);
    if (!this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'calls_call_id'").get()) this.db.exec(UNIQUE_IDS);
    // R22/R23: the wrap-up code and every seat that answered, added to files made before them.
    const columns = new Set((this.db.prepare('PRAGMA table_info(calls)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('disposition')) this.db.exec('ALTER TABLE calls ADD COLUMN disposition TEXT');
    if (!columns.has('seats')) this.db.exec('ALTER TABLE calls ADD COLUMN seats TEXT');
    this.insert = this.db.prepare(`INSERT OR IGNORE INTO calls (call_id, kind, queue, customer_id, customer_name, seat_id, virtual_seat,
      queued_at, offered_at, answered_at, ended_at, end_reason, requeues, return_waits_ms, disposition, seats)
      VALUES (@call_id, @kind, @queue, @customer_id, @customer_name, @seat_id, @virtual_seat,
      @queued_at, @offered_at, @answered_at, @ended_at, @end_reason, @requeues, @return_waits_ms, @disposition, @seats)`);
    this.select = this.db.prepare('SELECT * FROM calls ORDER BY seq DESC LIMIT ?');
    this.selectSeat = this.db.prepare('SELECT * FROM calls WHERE seat_id = ? ORDER BY seq DESC LIMIT ?');
  }

  add(r: CallRecord): void {
    const row: Row = {
      call_id: r.callId,
      kind: r.kind,
      queue: r.queue,
      customer_id: r.customerId,
      customer_name: r.customerName,
      seat_id: r.seatId,
      virtual_seat: r.virtualSeat,
      queued_at: r.queuedAt,
      offered_at: r.offeredAt,
      answered_at: r.answeredAt,
      ended_at: r.endedAt,
      end_reason: r.endReason,
      requeues: r.requeues,
      return_waits_ms: JSON.stringify(r.returnWaitsMs),
      disposition: r.disposition ?? null,
      seats: r.seats ? JSON.stringify(r.seats) : null,
    };
    this.insert.run(row);
  }

  /** The most recent records, newest first; only that seat's with `seatId`. */
  recent(limit: number, seatId?: string): CallRecord[] {
    const rows = (seatId === undefined ? this.select.all(limit) : this.selectSeat.all(seatId, limit)) as Row[];
    return rows.map((row) => ({
      callId: row.call_id,
      kind: row.kind,
      queue: row.queue,
      customerId: row.customer_id,
      customerName: row.customer_name,
      seatId: row.seat_id,
      virtualSeat: row.virtual_seat,
      queuedAt: row.queued_at,
      offeredAt: row.offered_at,
      answeredAt: row.answered_at,
      endedAt: row.ended_at,
      endReason: row.end_reason,
      requeues: row.requeues,
      returnWaitsMs: JSON.parse(row.return_waits_ms) as number[],
      disposition: row.disposition ?? null,
      seats: row.seats ? (JSON.parse(row.seats) as string[]) : row.seat_id ? [row.seat_id] : [],
    }));
  }
}
