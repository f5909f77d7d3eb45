import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { SqliteDatabase } from './database.js';
import { type GroupCommit, groupCommitOf } from './groupCommit.js';

/** The highest code point: a prefix plus it is above every key that starts with the prefix. */
const AFTER_PREFIX = '\u{10FFFF}';

/**
 * The key `PrivateConversationState` gives one person's state in one conversation:
 * `<channel>/conversations/<conversation>/users/<user>/` (an empty namespace).
 */
export function conversationStateKey(channelId: string, conversationId: string, userId: string): string {
  return `${channelId}/conversations/${conversationId}/users/${userId}/`;
}

/** The parts of a conversationStateKey (a conversation id holding `/users/` is taken to end at the last one); null for another key. */
export function parseConversationStateKey(key: string): { channelId: string; conversationId: string; userId: string } | null {
  const match = /^([^/]+)\/conversations\/(.+)\/users\/(.+)\/$/s.exec(key);
  return match === null ? null : { channelId: match[1]!, conversationId: match[2]!, userId: match[3]! };
}

/** One item of a `write` call, serialised when the call was made, with its new eTag. */
interface PreparedItem {
  key: string;
  /** The eTag the caller expects the stored item to have ('*' or none: any). */
  expected: string | undefined;
  eTag: string;
  document: string;
}

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
 *
 * Writes are committed in groups (./groupCommit.ts): the `write` calls made while the event
 * loop is busy (many conversations' turns ending at once) share one transaction with the
 * other writes of the moment to the same file, each call in a savepoint of its own (a
 * conflict undoes that call only). Every call still resolves only once its changes are
 * committed.
 */
export class SqliteStorage implements Storage {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly keysFrom;
  private readonly idleKeys;
  private readonly group: GroupCommit;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS bot_state (
      key TEXT PRIMARY KEY,
      etag TEXT NOT NULL,
      document TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS bot_state_updated ON bot_state (updated_at)`);
    this.keysFrom = db.prepare<[string, string], { key: string }>('SELECT key FROM bot_state WHERE key >= ? AND key < ?');
    this.idleKeys = db.prepare<[string, number], { key: string }>('SELECT key FROM bot_state WHERE updated_at < ? LIMIT ?');
    this.select = db.prepare<[string], Row>('SELECT key, etag, document FROM bot_state WHERE key = ?');
    this.upsert = db.prepare<[string, string, string, string]>(
      `INSERT INTO bot_state (key, etag, document, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, document = excluded.document, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string]>('DELETE FROM bot_state WHERE key = ?');
    this.group = groupCommitOf(db);
  }

  /** The items of one `write` call; run in a savepoint of the group's commit, so a conflict leaves every key of the call as it was. */
  private writeAll(items: readonly PreparedItem[]): void {
    const now = this.now().toISOString();
    for (const item of items) {
      const old = this.select.get(item.key);
      // The same decision as MemoryStorage.write, in the same order.
      if (!old || item.expected === '*' || !item.expected || item.expected === old.etag) {
        this.upsert.run(item.key, item.eTag, item.document, now);
      } else {
        throw new Error(`Storage: error writing "${item.key}" due to eTag conflict.`);
      }
    }
  }

  /** The items as they are now (the caller may change them while the commit waits), each with a new eTag. */
  private prepare(changes: StoreItems): PreparedItem[] {
    return Object.keys(changes).map((key) => {
      const item = changes[key] as { eTag?: string };
      const eTag = randomUUID();
      return { key, expected: item.eTag, eTag, document: JSON.stringify({ ...item, eTag }) };
    });
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
    const items = this.prepare(changes);
    await this.group.run(() => this.writeAll(items));
  }

  async delete(keys: string[]): Promise<void> {
    this.deleteKeys(keys);
  }

  /** Deletes these keys; how many there were. */
  deleteKeys(keys: readonly string[]): number {
    return this.db.transaction((all: readonly string[]) => {
      let removed = 0;
      for (const key of all) removed += this.remove.run(key).changes;
      return removed;
    })(keys);
  }

  private keysStartingWith(prefix: string): string[] {
    return this.keysFrom.all(prefix, prefix + AFTER_PREFIX).map((row) => row.key);
  }

  /** One person's state in every conversation of the channel: its keys and the conversations. */
  statesOfUser(channelId: string, userId: string): { key: string; conversationId: string }[] {
    const prefix = `${channelId}/conversations/`;
    const suffix = `/users/${userId}/`;
    return this.keysStartingWith(prefix)
      .filter((key) => key.endsWith(suffix) && key.length > prefix.length + suffix.length)
      .map((key) => ({ key, conversationId: key.slice(prefix.length, key.length - suffix.length) }));
  }

  /** Everybody's state in one conversation: its keys and whose it is. */
  statesOfConversation(channelId: string, conversationId: string): { key: string; userId: string }[] {
    const prefix = `${channelId}/conversations/${conversationId}/users/`;
    return this.keysStartingWith(prefix)
      .filter((key) => key.endsWith('/') && !key.slice(prefix.length, -1).includes('/users/'))
      .map((key) => ({ key, userId: key.slice(prefix.length, -1) }));
  }

  /** Deletes state not written since `before`, a batch at a time; how many items. */
  deleteIdle(before: Date, batch = 500): number {
    let removed = 0;
    for (;;) {
      const keys = this.idleKeys.all(before.toISOString(), batch).map((row) => row.key);
      if (keys.length === 0) return removed;
      removed += this.deleteKeys(keys);
    }
  }
}
