import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens (or creates) the bot's SQLite file: creates the parent folder, turns on WAL
 * (readers never block the writer) and waits up to `busyTimeoutMs` for a lock held by
 * another connection instead of failing at once. `':memory:'` gives a private database.
 */
export function openDatabase(path: string, options: { busyTimeoutMs?: number } = {}): SqliteDatabase {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    if (!inMemory) {
      // Pages freed by the retention sweep can be given back to the file system (PRAGMA
      // incremental_vacuum). A file created before that needs one full VACUUM to switch.
      db.pragma('auto_vacuum = INCREMENTAL');
      if (db.pragma('auto_vacuum', { simple: true }) !== 2) db.exec('VACUUM');
      db.pragma('journal_mode = WAL');
      // A checkpoint truncates the write-ahead log to this size instead of keeping its largest.
      db.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
    }
    // With WAL, NORMAL loses at most the last transactions on power loss, never consistency.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
