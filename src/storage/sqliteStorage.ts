import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { SqliteDatabase } from './database.js';

interface Row {
  key: string;
  etag: string;
  document: string;
}

/**
 * Bot state in SQLite with botbuilder's `MemoryStorage` semantics: a write with eTag
 * `'*'` or without an eTag always succeeds, a write with an eTag that is not the stored
 * one fails ("Storage: error writing "<key>" due to eTag conflict."), every write gets a
 * new eTag, and items are returned with theirs. Items go through JSON like MemoryStorage.
 *
 * One difference, on purpose: the writes of one `write` call form one transaction, so a
 * conflict on any key leaves every key of that call unchanged (MemoryStorage keeps the
 * other keys of the call). eTags are random ids rather than a per-process counter, so
 * they stay unique across restarts and processes sharing the file.
 */
export class SqliteStorage implements Storage {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly writeAll;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS bot_state (
      key TEXT PRIMARY KEY,
      etag TEXT NOT NULL,
      document TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    this.select = db.prepare<[string], Row>('SELECT key, etag, document FROM bot_state WHERE key = ?');
    this.upsert = db.prepare<[string, string, string, string]>(
      `INSERT INTO bot_state (key, etag, document, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, document = excluded.document, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string]>('DELETE FROM bot_state WHERE key = ?');
    this.writeAll = db.transaction((changes: StoreItems) => {
      const now = new Date().toISOString();
      for (const key of Object.keys(changes)) {
        const newItem = changes[key];
        const old = this.select.get(key);
        // The same decision as MemoryStorage.write, in the same order.
        if (!old || newItem.eTag === '*' || !newItem.eTag) {
          this.save(key, newItem, now);
        } else if (newItem.eTag === old.etag) {
          this.save(key, newItem, now);
        } else {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
      }
    });
  }

  private save(key: string, item: unknown, now: string): void {
    const eTag = randomUUID();
    const clone = { ...(item as object), eTag };
    this.upsert.run(key, eTag, JSON.stringify(clone), now);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const data: StoreItems = {};
    for (const key of keys) {
      const row = this.select.get(key);
      if (row) data[key] = JSON.parse(row.document);
    }
    return data;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    this.writeAll(changes);
  }

  async delete(keys: string[]): Promise<void> {
    this.db.transaction((all: string[]) => {
      for (const key of all) this.remove.run(key);
    })(keys);
  }
}
