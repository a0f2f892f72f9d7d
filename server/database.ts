/**
 * The control center's one SQLite file (`--db`): call records and the journal, in WAL mode,
 * held with an exclusive lock so a second server on the same file refuses to start. The lock
 * is SQLite's own file lock, which the OS drops with the process: a restart right after
 * `kill -9` is never refused.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** The shape of what this version writes; a file written by a newer one is refused. */
export const DB_FORMAT = 2;

export class DatabaseInUseError extends Error {}
export class NewerDatabaseError extends Error {}

export interface OpenOptions {
  /** Test hook: the most pages the file may grow to (SQLite's max_page_count): a full disk. */
  maxPages?: number;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 0 });
  try {
    if (!memory) {
      // NORMAL in WAL: a commit that returned survives a crash of this process (not of the OS).
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('locking_mode = EXCLUSIVE');
    }
    // The exclusive lock is taken by the first write; take it now, before anything is served.
    db.exec('BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); COMMIT;');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new DatabaseInUseError(`${file} is in use by another control center (one server per --db file)`);
    throw e;
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined;
  const format = row ? Number(row.value) : 0;
  if (format > DB_FORMAT) {
    db.close();
    throw new NewerDatabaseError(`${file} was written by a newer multi-seat (format ${format}; this one reads up to ${DB_FORMAT}): upgrade before starting`);
  }
  if (format < DB_FORMAT) db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('format', ?)").run(String(DB_FORMAT));
  if (options.maxPages) db.pragma(`max_page_count = ${options.maxPages}`);
  return db;
}

/** A value kept in the file across restarts (the demo's token secret). */
export function metaValue(db: Database.Database, key: string, make: () => string): string {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  if (row) return row.value;
  const value = make();
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, value);
  return value;
}
