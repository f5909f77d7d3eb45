import { EventEmitter } from 'node:events';
import type { Activity } from 'botbuilder';
import type { SqliteDatabase } from '../storage/database.js';
import { type GroupCommit, groupCommitOf } from '../storage/groupCommit.js';
import {
  type ActivitySet,
  type ConversationLog,
  type DirectLineConversation,
  numbered,
  type NumberedActivity,
  type RemovedConversations,
  type UnhandledActivity,
} from './conversationLog.js';

/**
 * The Direct Line conversation log (conversationLog.ts) in the bot's SQLite file: one
 * instance. Appends and handled marks join the database's group commit
 * (src/storage/groupCommit.ts); followers are told in the same synchronous step as the
 * commit, so reading the backlog and listening miss nothing.
 */

interface ConversationRow {
  id: string;
  user_id: string;
  locale: string | null;
  started: number;
  last_seq: number;
  last_timestamp: number;
}

export class SqliteConversationLog implements ConversationLog {
  private readonly events = new EventEmitter();
  private readonly statements;
  private readonly group: GroupCommit;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS directline_conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        locale TEXT,
        started INTEGER NOT NULL DEFAULT 0,
        last_seq INTEGER NOT NULL DEFAULT 0,
        last_timestamp INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS directline_activities (
        conversation_id TEXT NOT NULL REFERENCES directline_conversations(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        activity TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      );
      CREATE INDEX IF NOT EXISTS directline_conversations_user ON directline_conversations (user_id);
      CREATE INDEX IF NOT EXISTS directline_conversations_created ON directline_conversations (created_at);
      CREATE INDEX IF NOT EXISTS directline_conversations_last ON directline_conversations (last_timestamp);
    `);
    // The last user activity whose turn ran to its end (state saved). A log that had none
    // starts with everything in it counted as handled: nothing old is answered again.
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('directline_conversations')").all();
    if (!columns.some((column) => column.name === 'handled_seq')) {
      db.exec('ALTER TABLE directline_conversations ADD COLUMN handled_seq INTEGER NOT NULL DEFAULT 0; UPDATE directline_conversations SET handled_seq = last_seq');
    }
    this.statements = {
      markHandled: db.prepare<[number, string]>('UPDATE directline_conversations SET handled_seq = max(handled_seq, ?) WHERE id = ?'),
      unhandled: db.prepare<[], { conversation_id: string; seq: number; activity: string }>(
        `SELECT a.conversation_id, a.seq, a.activity FROM directline_conversations c
         JOIN directline_activities a ON a.conversation_id = c.id AND a.seq > c.handled_seq
         WHERE c.handled_seq < c.last_seq AND json_extract(a.activity, '$.from.role') = 'user'
         ORDER BY a.conversation_id, a.seq`,
      ),
      insertConversation: db.prepare<[string, string, string | null, string]>(
        'INSERT INTO directline_conversations (id, user_id, locale, created_at) VALUES (?, ?, ?, ?)',
      ),
      conversation: db.prepare<[string], ConversationRow>('SELECT * FROM directline_conversations WHERE id = ?'),
      markStarted: db.prepare<[string]>('UPDATE directline_conversations SET started = 1 WHERE id = ? AND started = 0'),
      advance: db.prepare<[number, number, string]>('UPDATE directline_conversations SET last_seq = ?, last_timestamp = ? WHERE id = ?'),
      insertActivity: db.prepare<[string, number, string]>('INSERT INTO directline_activities (conversation_id, seq, activity) VALUES (?, ?, ?)'),
      ofUser: db.prepare<[string], { id: string }>('SELECT id FROM directline_conversations WHERE user_id = ?'),
      countActivities: db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM directline_activities WHERE conversation_id = ?'),
      // The activities go with their conversation (ON DELETE CASCADE).
      removeConversation: db.prepare<[string]>('DELETE FROM directline_conversations WHERE id = ?'),
      // Idle: nothing appended since the cut-off, or never anything and created before it.
      idle: db.prepare<[number, string, number], { id: string }>(
        'SELECT id FROM directline_conversations WHERE (last_timestamp > 0 AND last_timestamp < ?) OR (last_timestamp = 0 AND created_at < ?) LIMIT ?',
      ),
      after: db.prepare<[string, number], { activity: string }>(
        'SELECT activity FROM directline_activities WHERE conversation_id = ? AND seq > ? ORDER BY seq',
      ),
    };
    this.group = groupCommitOf(db);
    // Many open pages each listen to their own conversation.
    this.events.setMaxListeners(0);
  }

  /** Appends activities to one conversation; in a savepoint of the group's commit, so all or none. */
  private append(conversationId: string, activities: readonly Partial<Activity>[]): NumberedActivity[] {
    const row = this.statements.conversation.get(conversationId);
    if (row === undefined) throw new Error('Unknown Direct Line conversation');
    let seq = row.last_seq;
    let time = row.last_timestamp;
    const stored = activities.map((activity) => {
      seq += 1;
      time = Math.max(Date.now(), time + 1);
      const { json, entry } = numbered(conversationId, activity, seq, time);
      this.statements.insertActivity.run(conversationId, seq, json);
      return { entry, seq };
    });
    this.statements.advance.run(seq, time, conversationId);
    return stored;
  }

  /** Created with the moment's other writes (a page of parents opening the chat at once is one commit). */
  async create(id: string, userId: string, locale: string | null): Promise<DirectLineConversation> {
    await this.group.run(() => this.statements.insertConversation.run(id, userId, locale, new Date().toISOString()));
    return { id, userId, locale, started: false };
  }

  get(id: string): DirectLineConversation | null {
    const row = this.statements.conversation.get(id);
    return row === undefined ? null : { id: row.id, userId: row.user_id, locale: row.locale, started: row.started === 1 };
  }

  async start(id: string): Promise<boolean> {
    return this.group.run(() => this.statements.markStarted.run(id).changes === 1);
  }

  /**
   * Appends several activities in order, in the database's group commit (one commit for all
   * the replies of a turn and the writes beside them), and tells the listeners of each, in
   * order, in the step that commits them.
   */
  async appendAll(conversationId: string, activities: readonly Partial<Activity>[]): Promise<NumberedActivity[]> {
    if (activities.length === 0) return [];
    return this.group.run(
      () => this.append(conversationId, activities),
      (stored) => {
        for (const { entry, seq } of stored) this.events.emit(conversationId, { activities: [entry], watermark: String(seq) } satisfies ActivitySet);
      },
    );
  }

  broadcast(conversationId: string, activity: Partial<Activity>): void {
    const row = this.statements.conversation.get(conversationId);
    if (row === undefined) return;
    const entry = JSON.parse(JSON.stringify({ ...activity, timestamp: new Date(Math.max(Date.now(), row.last_timestamp + 1)) })) as Partial<Activity>;
    this.events.emit(conversationId, { activities: [entry], watermark: String(row.last_seq) } satisfies ActivitySet);
  }

  after(conversationId: string, watermark: number | null): ActivitySet {
    const row = this.statements.conversation.get(conversationId);
    const lastSeq = row?.last_seq ?? 0;
    const from = watermark === null ? 0 : Math.min(watermark, lastSeq);
    const activities = this.statements.after.all(conversationId, from).map(({ activity }) => JSON.parse(activity) as Partial<Activity>);
    return { activities, watermark: String(lastSeq) };
  }

  async markHandled(conversationId: string, seq: number): Promise<void> {
    await this.group.run(() => this.statements.markHandled.run(seq, conversationId));
  }

  /** One process owns the file: what is unhandled at start is this caller's. */
  claimUnhandled(): UnhandledActivity[] {
    return this.statements.unhandled.all().map((row) => ({ conversationId: row.conversation_id, seq: row.seq, entry: JSON.parse(row.activity) as Partial<Activity> }));
  }

  conversationsOf(userId: string): string[] {
    return this.statements.ofUser.all(userId).map((row) => row.id);
  }

  remove(ids: readonly string[]): RemovedConversations {
    return this.db.transaction((all: readonly string[]) => {
      let conversations = 0;
      let activities = 0;
      for (const id of all) {
        const count = this.statements.countActivities.get(id)?.count ?? 0;
        if (this.statements.removeConversation.run(id).changes === 1) {
          conversations += 1;
          activities += count;
        }
      }
      return { conversations, activities };
    })(ids);
  }

  /** A batch at a time. */
  removeIdle(before: Date, batch = 200): RemovedConversations {
    const total = { conversations: 0, activities: 0 };
    for (;;) {
      const ids = this.statements.idle.all(before.getTime(), before.toISOString(), batch).map((row) => row.id);
      if (ids.length === 0) return total;
      const removed = this.remove(ids);
      total.conversations += removed.conversations;
      total.activities += removed.activities;
    }
  }

  /** Reading `after` and listening in the same synchronous step misses nothing and repeats nothing. */
  follow(conversationId: string, watermark: number | null, listener: (set: ActivitySet) => void): () => void {
    const backlog = this.after(conversationId, watermark);
    if (backlog.activities.length > 0) listener(backlog);
    this.events.on(conversationId, listener);
    return () => this.events.off(conversationId, listener);
  }
}
