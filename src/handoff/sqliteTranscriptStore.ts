import type { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import type { Logger } from '../logger.js';
import type { SqliteDatabase } from '../storage/database.js';
import { type GroupCommit, groupCommitOf } from '../storage/groupCommit.js';
import { revive, worthKeeping } from './transcriptActivities.js';

/** Activities per page, as botbuilder's own transcript stores page them. */
export const TRANSCRIPT_PAGE_SIZE = 100;

interface ActivityRow {
  seq: number;
  json: string;
}

function encodeToken(seq: number): string {
  return Buffer.from(String(seq)).toString('base64url');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const seq = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('transcript store: not a continuation token of this store');
  return seq;
}

type TranscriptRow = [channelId: string, conversationId: string, loggedAt: string, timestamp: string, json: string];

/**
 * Transcripts in the bot's SQLite file: one row per activity, by channel and conversation,
 * in the order they were logged. The transcript is data about a person like the case itself:
 * it is erased with the person (src/privacy/erasure.ts), swept with idle conversations
 * (src/privacy/retention.ts), and never written to the log: a write that fails is logged by
 * the conversation's channel alone, and the turn goes on (the transcript misses its lines).
 *
 * The activities of a moment (a turn's message and replies, and those of the turns running
 * beside it) are written in the database's group commit (src/storage/groupCommit.ts) once the
 * current I/O callbacks are done, not in a commit each: a commit costs more than the rest of
 * the logging. Every read, delete and `flush` writes what is waiting first, so nobody sees a
 * transcript without its last lines.
 */
export class SqliteTranscriptStore implements TranscriptStore {
  private readonly insert;
  private readonly page;
  private readonly pageSince;
  private readonly conversations;
  private readonly removeConversation;
  private readonly idle;
  private readonly removeIdleRows;
  private readonly now: () => Date;
  private readonly group: GroupCommit;
  /** Rows logged since the last write, in order; written with the moment's other writes. */
  private waiting: TranscriptRow[] = [];
  /** Whether the waiting rows' write is in the group commit's queue. */
  private queued = false;

  constructor(
    db: SqliteDatabase,
    private readonly options: { logger?: Logger; now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    db.exec(`CREATE TABLE IF NOT EXISTS transcript_activities (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      channel_id TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      logged_at TEXT NOT NULL,
      timestamp TEXT NOT NULL,
      json TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS transcript_activities_conversation ON transcript_activities (channel_id, conversation_id, seq);
    CREATE INDEX IF NOT EXISTS transcript_activities_logged ON transcript_activities (logged_at);`);
    this.insert = db.prepare<[string, string, string, string, string]>(
      'INSERT INTO transcript_activities (channel_id, conversation_id, logged_at, timestamp, json) VALUES (?, ?, ?, ?, ?)',
    );
    this.group = groupCommitOf(db);
    this.page = db.prepare<[string, string, number, number], ActivityRow>(
      'SELECT seq, json FROM transcript_activities WHERE channel_id = ? AND conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.pageSince = db.prepare<[string, string, number, string, number], ActivityRow>(
      'SELECT seq, json FROM transcript_activities WHERE channel_id = ? AND conversation_id = ? AND seq > ? AND timestamp >= ? ORDER BY seq LIMIT ?',
    );
    this.conversations = db.prepare<[string, number, number], { seq: number; conversation_id: string; created: string }>(
      `SELECT min(seq) AS seq, conversation_id, min(timestamp) AS created FROM transcript_activities WHERE channel_id = ?
       GROUP BY conversation_id HAVING min(seq) > ? ORDER BY min(seq) LIMIT ?`,
    );
    this.removeConversation = db.prepare<[string, string]>('DELETE FROM transcript_activities WHERE channel_id = ? AND conversation_id = ?');
    // A conversation is idle when nothing was logged in it since `before`: all of it goes.
    this.idle = db.prepare<[string], { channel_id: string; conversation_id: string }>(
      'SELECT channel_id, conversation_id FROM transcript_activities GROUP BY channel_id, conversation_id HAVING max(logged_at) < ?',
    );
    this.removeIdleRows = db.transaction((before: string) => {
      let removed = 0;
      for (const row of this.idle.all(before)) removed += this.removeConversation.run(row.channel_id, row.conversation_id).changes;
      return removed;
    });
  }

  /** Called by TranscriptLoggerMiddleware for every activity of a turn; never throws (a failed write costs a line, not the turn). */
  async logActivity(activity: Activity): Promise<void> {
    this.write(activity);
  }

  private write(activity: Partial<Activity>): void {
    if (!worthKeeping(activity)) return;
    const channelId = activity.channelId ?? '';
    const conversationId = activity.conversation?.id ?? '';
    if (channelId === '' || conversationId === '') return;
    try {
      const timestamp = activity.timestamp === undefined ? this.now() : new Date(activity.timestamp);
      this.waiting.push([channelId, conversationId, this.now().toISOString(), timestamp.toISOString(), JSON.stringify(activity)]);
    } catch (error) {
      // Only the channel: the activity and its conversation are a person's data.
      this.options.logger?.error('transcript line not kept', { channel: channelId, error: error instanceof Error ? error.name : 'unknown' });
      return;
    }
    if (!this.queued) {
      this.queued = true;
      let taken: TranscriptRow[] | null = null;
      this.group
        .run(() => {
          taken = this.takeWaiting();
          return this.insertAll(taken);
        })
        .then(
          (lost) => this.reportLost(lost.rows, lost.refusal),
          // The commit failed: everything it held is lost (or, if it never began, everything waiting).
          (error: unknown) => this.reportLost(taken ?? this.takeWaiting(), error),
        );
    }
  }

  /** The rows logged since the last write, taken from the queue. */
  private takeWaiting(): TranscriptRow[] {
    this.queued = false;
    const rows = this.waiting;
    this.waiting = [];
    return rows;
  }

  /**
   * Inserts rows, in the group's commit. A row the database refuses costs that row only: a
   * failed statement is undone alone, and the others go on.
   */
  private insertAll(rows: readonly TranscriptRow[]): { rows: TranscriptRow[]; refusal: unknown } {
    let refusal: unknown;
    const lost = rows.filter((row) => {
      try {
        this.insert.run(...row);
        return false;
      } catch (error) {
        refusal = error;
        return true;
      }
    });
    return { rows: lost, refusal };
  }

  private reportLost(lost: readonly TranscriptRow[], refusal: unknown): void {
    if (lost.length === 0) return;
    // Only the channels: the activities and their conversations are a person's data.
    const channels = [...new Set(lost.map(([channelId]) => channelId))];
    this.options.logger?.error('transcript lines not kept', { channels, lines: lost.length, error: refusal instanceof Error ? refusal.name : 'unknown' });
  }

  /** Writes what waits to be written now, with the rest of the moment's writes (before a read, and at shutdown). */
  flush(): void {
    this.group.flush();
  }

  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    this.flush();
    const after = decodeToken(continuationToken);
    const rows =
      startDate === undefined
        ? this.page.all(channelId, conversationId, after, TRANSCRIPT_PAGE_SIZE)
        : this.pageSince.all(channelId, conversationId, after, startDate.toISOString(), TRANSCRIPT_PAGE_SIZE);
    return { items: rows.map((row) => revive(row.json)), continuationToken: pageToken(rows) };
  }

  /** Every activity of a conversation, in order (all pages). */
  async conversation(channelId: string, conversationId: string): Promise<Activity[]> {
    const activities: Activity[] = [];
    let token: string | undefined;
    do {
      const page = await this.getTranscriptActivities(channelId, conversationId, token);
      activities.push(...page.items);
      token = page.continuationToken === '' ? undefined : page.continuationToken;
    } while (token !== undefined);
    return activities;
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    this.flush();
    const rows = this.conversations.all(channelId, decodeToken(continuationToken), TRANSCRIPT_PAGE_SIZE);
    return { items: rows.map((row) => ({ channelId, id: row.conversation_id, created: new Date(row.created) })), continuationToken: pageToken(rows) };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    this.flush();
    this.removeConversation.run(channelId, conversationId);
  }

  /** Deletes these conversations' transcripts; how many activities there were. */
  remove(conversations: Iterable<{ channelId: string; conversationId: string }>): number {
    this.flush();
    let removed = 0;
    for (const { channelId, conversationId } of conversations) removed += this.removeConversation.run(channelId, conversationId).changes;
    return removed;
  }

  /** Deletes the transcripts of conversations in which nothing happened since `before`; how many activities there were. */
  removeIdle(before: Date): number {
    this.flush();
    return this.removeIdleRows(before.toISOString());
  }
}

/** A full page says another may follow: its last row is where the next starts. */
function pageToken(rows: readonly { seq: number }[]): string {
  const last = rows.at(-1);
  return rows.length === TRANSCRIPT_PAGE_SIZE && last !== undefined ? encodeToken(last.seq) : '';
}
