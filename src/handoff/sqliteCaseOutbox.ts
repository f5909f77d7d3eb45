import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../storage/database.js';
import type { CaseKind, CaseOutbox, CaseRecord, NewCase, TranscriptLine } from './caseRecord.js';

/** Where a recorded case stands, as an operator sees it. */
export interface OutboxEntry {
  record: CaseRecord;
  state: 'pending' | 'delivered';
  deliveredAt: string | null;
}

/** One page of the outbox, newest first; `next` asks for the following page, null after the last. */
export interface OutboxPage {
  entries: OutboxEntry[];
  next: string | null;
}

interface ListedRow {
  seq: number;
  created_at: string;
  delivered_at: string | null;
  json: string;
}

/** Where a page ended: the last case's time and row, opaque to callers. */
function encodeCursor(row: Pick<ListedRow, 'created_at' | 'seq'>): string {
  return Buffer.from(JSON.stringify([row.created_at, row.seq])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; seq: number } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && Number.isSafeInteger(value[1])) {
      return { createdAt: value[0], seq: value[1] as number };
    }
  } catch {
    // not one of ours
  }
  return null;
}

function entryOf(row: ListedRow): OutboxEntry {
  return {
    record: JSON.parse(row.json) as CaseRecord,
    state: row.delivered_at === null ? 'pending' : 'delivered',
    deliveredAt: row.delivered_at,
  };
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/**
 * The case outbox in SQLite: a recorded case survives a crash or restart until a worker
 * has delivered it and called `markDelivered`.
 */
export class SqliteCaseOutbox implements CaseOutbox {
  private readonly insert;
  private readonly selectPending;
  private readonly markOne;
  private readonly exists;
  private readonly countForJob;
  private readonly appendLine;
  private readonly listNewest;
  private readonly listBefore;
  private readonly selectOne;
  private readonly setOwner;
  private readonly ofConversation;
  private readonly ofUser;
  private readonly withEmail;
  private readonly removeOne;
  private readonly deliveredBefore;
  /** Cases recorded in this process whose person is not written down yet, by id. */
  private readonly unowned = new Map<string, { channel: string; conversationId: string }>();
  private readonly now: () => Date;

  constructor(db: SqliteDatabase, options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
    db.exec(`CREATE TABLE IF NOT EXISTS case_outbox (
      id TEXT PRIMARY KEY,
      created_at TEXT NOT NULL,
      delivered_at TEXT,
      json TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS case_outbox_pending ON case_outbox (created_at) WHERE delivered_at IS NULL;`);
    // Whose case it is (the channel's user id), so a person's data can be found and erased
    // after their conversation state has expired.
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('case_outbox')").all();
    if (!columns.some((column) => column.name === 'user_id')) db.exec('ALTER TABLE case_outbox ADD COLUMN user_id TEXT');
    db.exec(`CREATE INDEX IF NOT EXISTS case_outbox_conversation ON case_outbox (json_extract(json, '$.channel'), json_extract(json, '$.conversationId'));
      CREATE INDEX IF NOT EXISTS case_outbox_user ON case_outbox (user_id) WHERE user_id IS NOT NULL;`);
    this.setOwner = db.prepare<[string, string]>('UPDATE case_outbox SET user_id = ? WHERE id = ? AND user_id IS NULL');
    const channelIs = "json_extract(json, '$.channel') = ?";
    this.ofConversation = db.prepare<[string, string], { id: string }>(`SELECT id FROM case_outbox WHERE ${channelIs} AND json_extract(json, '$.conversationId') = ?`);
    this.ofUser = db.prepare<[string, string], { id: string }>(`SELECT id FROM case_outbox WHERE user_id = ? AND ${channelIs}`);
    this.withEmail = db.prepare<[string], { id: string; channel: string; conversation_id: string; user_id: string | null }>(
      `SELECT id, json_extract(json, '$.channel') AS channel, json_extract(json, '$.conversationId') AS conversation_id, user_id
       FROM case_outbox WHERE lower(json_extract(json, '$.email')) = lower(?)`,
    );
    this.removeOne = db.prepare<[string]>('DELETE FROM case_outbox WHERE id = ?');
    this.deliveredBefore = db.prepare<[string]>('DELETE FROM case_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?');
    this.insert = db.prepare<[string, string, string]>('INSERT INTO case_outbox (id, created_at, delivered_at, json) VALUES (?, ?, NULL, ?)');
    // rowid breaks ties between cases recorded in the same millisecond: insertion order.
    this.selectPending = db.prepare<[number], { json: string }>(
      'SELECT json FROM case_outbox WHERE delivered_at IS NULL ORDER BY created_at, rowid LIMIT ?',
    );
    this.markOne = db.prepare<[string, string]>('UPDATE case_outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL');
    this.exists = db.prepare<[string], { id: string }>('SELECT id FROM case_outbox WHERE id = ?');
    this.countForJob = db.prepare<[string, string], { count: number }>(
      "SELECT count(*) AS count FROM case_outbox WHERE delivered_at IS NULL AND json_extract(json, '$.kind') = ? AND json_extract(json, '$.jobId') = ?",
    );
    // One statement, so two lines appended at once never overwrite each other.
    this.appendLine = db.prepare<[string, string], never>("UPDATE case_outbox SET json = json_insert(json, '$.transcript[#]', json(?)) WHERE id = ?");
    const listed = 'SELECT rowid AS seq, created_at, delivered_at, json FROM case_outbox';
    this.selectOne = db.prepare<[string], ListedRow>(`${listed} WHERE id = ?`);
    this.listNewest = db.prepare<[number], ListedRow>(`${listed} ORDER BY created_at DESC, rowid DESC LIMIT ?`);
    this.listBefore = db.prepare<[string, string, number, number], ListedRow>(
      `${listed} WHERE created_at < ? OR (created_at = ? AND rowid < ?) ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    );
  }

  async append(id: string, line: TranscriptLine): Promise<void> {
    const { changes } = this.appendLine.run(JSON.stringify(line), id);
    if (changes === 0) throw new Error(`case outbox: no case with the id "${id}"`);
  }

  async countPending(filter: { kind: CaseKind; jobId: string }): Promise<number> {
    return this.countForJob.get(filter.kind, filter.jobId)?.count ?? 0;
  }

  async record(newCase: NewCase): Promise<CaseRecord> {
    const record: CaseRecord = { ...structuredClone(newCase), id: `case-${randomUUID()}`, createdAt: this.now().toISOString() };
    this.insert.run(record.id, record.createdAt, JSON.stringify(record));
    this.unowned.set(record.id, { channel: record.channel, conversationId: record.conversationId });
    return structuredClone(record);
  }

  /** Undelivered cases, oldest first; all of them without a limit. */
  async pending(limit?: number): Promise<CaseRecord[]> {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new RangeError(`case outbox: limit must be a whole number of at least 0, not ${limit}`);
    }
    return this.selectPending.all(limit ?? -1).map((row) => JSON.parse(row.json) as CaseRecord);
  }

  /** Every recorded case, delivered or not, newest first, `limit` per page from where `after` left off. */
  list({ limit, after }: { limit: number; after?: string | undefined }): OutboxPage {
    const from = after === undefined ? null : decodeCursor(after);
    if (after !== undefined && from === null) throw new InvalidCursorError('case outbox: not a page cursor of this outbox');
    // One more than asked tells whether another page follows.
    const rows = from === null ? this.listNewest.all(limit + 1) : this.listBefore.all(from.createdAt, from.createdAt, from.seq, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { entries: page.map(entryOf), next: rows.length > limit && last !== undefined ? encodeCursor(last) : null };
  }

  /** One recorded case with where it stands, or null. */
  entry(id: string): OutboxEntry | null {
    const row = this.selectOne.get(id);
    return row === undefined ? null : entryOf(row);
  }

  /**
   * Writes down whose the cases are that were recorded in this conversation since the
   * last call: the person of the turn that recorded them. Writes nothing on other turns.
   */
  claimRecorded(channel: string, conversationId: string, userId: string): void {
    for (const [id, where] of this.unowned) {
      if (where.channel !== channel || where.conversationId !== conversationId) continue;
      this.setOwner.run(userId, id);
      this.unowned.delete(id);
    }
  }

  /** The ids of the cases of these conversations of a channel, and of the person's own cases. */
  idsOf(channel: string, conversationIds: Iterable<string>, userId?: string): string[] {
    const ids = new Set<string>();
    for (const conversationId of conversationIds) for (const row of this.ofConversation.all(channel, conversationId)) ids.add(row.id);
    if (userId !== undefined) for (const row of this.ofUser.all(userId, channel)) ids.add(row.id);
    return [...ids];
  }

  /** The cases that give this e-mail address (any case), with where they came from. */
  withEmailAddress(email: string): { id: string; channel: string; conversationId: string; userId: string | null }[] {
    return this.withEmail.all(email).map((row) => ({ id: row.id, channel: row.channel, conversationId: row.conversation_id, userId: row.user_id }));
  }

  /** Deletes these cases; how many there were. */
  remove(ids: readonly string[]): number {
    let removed = 0;
    for (const id of ids) {
      removed += this.removeOne.run(id).changes;
      this.unowned.delete(id);
    }
    return removed;
  }

  /** Deletes cases delivered before `before` (the helpdesk has them); cases still waiting stay. */
  removeDeliveredBefore(before: Date): number {
    return this.deliveredBefore.run(before.toISOString()).changes;
  }

  /** Idempotent for a delivered case; an id that was never recorded is a bug and throws. */
  async markDelivered(id: string): Promise<void> {
    const { changes } = this.markOne.run(this.now().toISOString(), id);
    if (changes === 0 && this.exists.get(id) === undefined) throw new Error(`case outbox: no case with the id "${id}"`);
  }
}
