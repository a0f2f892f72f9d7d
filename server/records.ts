/**
 * Finished calls in SQLite, one row per CallRecord. Writes are synchronous (better-sqlite3), so
 * a record is on disk once `add` returns and shutdown has nothing left to flush but the WAL.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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

export class Records {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare(`INSERT INTO calls (call_id, kind, queue, customer_id, customer_name, seat_id, virtual_seat,
      queued_at, offered_at, answered_at, ended_at, end_reason, requeues, return_waits_ms)
      VALUES (@call_id, @kind, @queue, @customer_id, @customer_name, @seat_id, @virtual_seat,
      @queued_at, @offered_at, @answered_at, @ended_at, @end_reason, @requeues, @return_waits_ms)`);
    this.select = this.db.prepare('SELECT * FROM calls ORDER BY seq DESC LIMIT ?');
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
    };
    this.insert.run(row);
  }

  /** The most recent records, newest first. */
  recent(limit: number): CallRecord[] {
    return (this.select.all(limit) as Row[]).map((row) => ({
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
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
