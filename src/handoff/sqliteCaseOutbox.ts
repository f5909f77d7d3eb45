import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../storage/database.js';
import type { CaseKind, CaseOutbox, CaseRecord, NewCase, OpenCaseMatter, TranscriptLine } from './caseRecord.js';

/** A case a ticket worker holds for sending: nobody else takes it until its claim runs out. */
export interface ClaimedCase {
  record: CaseRecord;
  /** Earlier attempts that did not reach the helpdesk. */
  attempts: number;
  /** Who holds the claim; every outcome names it, so a worker that lost its claim changes nothing. */
  owner: string;
}

/**
 * A line the person wrote into a case after its ticket was created, held by one worker for
 * adding to the ticket: nobody else takes this case's lines until the claim runs out or the
 * worker says how it went, so the lines reach the ticket in order, each once.
 */
export interface ClaimedLine {
  caseId: string;
  conversationId: string;
  role: CaseRecord['role'];
  /** Where the line stands in the case's transcript (the lines before it reached the ticket). */
  index: number;
  line: TranscriptLine;
  /** The helpdesk's reference of the case's ticket, as it gave it ("#4711"); null when it gave none. */
  ticketReference: string | null;
  /** Earlier attempts for this line that did not reach the helpdesk. */
  attempts: number;
  owner: string;
}

export type MaybePromise<T> = T | Promise<T>;

/**
 * The outbox as the ticket workers use it, in SQLite or in Azure Blob: a case claimed is
 * held by one worker of all instances until its claim runs out or the worker says how the
 * attempt went; every outcome names the claim, so a worker that lost it changes nothing.
 */
export interface TicketQueue {
  claimDue(owner: string, leaseMs: number): MaybePromise<ClaimedCase | null>;
  markTicketCreated(claimed: ClaimedCase, ticketReference: string | null): MaybePromise<boolean>;
  markRetry(claimed: ClaimedCase, nextAttemptAt: Date, error: string): MaybePromise<boolean>;
  markFailed(claimed: ClaimedCase, error: string): MaybePromise<boolean>;
  /** The oldest line due for a ticket (its case delivered, lines written after the ticket waiting), claimed for `leaseMs`. */
  claimDueLine(owner: string, leaseMs: number): MaybePromise<ClaimedLine | null>;
  markLineSent(claimed: ClaimedLine): MaybePromise<boolean>;
  markLineRetry(claimed: ClaimedLine, nextAttemptAt: Date, error: string): MaybePromise<boolean>;
  /** Refused for good: this case's later lines wait with it for an operator (they go in order or not at all). */
  markLineFailed(claimed: ClaimedLine, error: string): MaybePromise<boolean>;
}

/** The outbox as an operator reads it (the admin endpoints). */
export interface OutboxListing {
  list(page: { limit: number; after?: string | undefined }): MaybePromise<OutboxPage>;
  entry(id: string): MaybePromise<OutboxEntry | null>;
  /** Puts the case back into delivery now (a refused one, one waiting for its backoff, or its refused lines). */
  retry(id: string): MaybePromise<RetryOutcome>;
}

/**
 * What an operator's retry did: `retried` the case (or the lines refused after its ticket) is
 * due now; `delivered` the helpdesk has it all; `matter-open` the person opened a newer case of
 * the same matter since, which has what they said (only one may be open); `unknown` no such case.
 */
export type RetryOutcome = 'retried' | 'delivered' | 'matter-open' | 'unknown';

/** What an operator sees of a case's delivery (never the request, the key or the answer's body). */
export interface DeliveryState {
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** Set when the helpdesk refused the case for good (a 4xx): kept for an operator, not retried. */
  failedAt: string | null;
  lastError: string | null;
  /** The helpdesk's ticket reference, when it gave one. */
  ticketReference: string | null;
}

/** Columns added after the first release; an older file gets them at start. */
const DELIVERY_COLUMNS: Record<string, string> = {
  attempts: 'INTEGER NOT NULL DEFAULT 0',
  next_attempt_at: 'TEXT',
  claimed_by: 'TEXT',
  claimed_until: 'TEXT',
  failed_at: 'TEXT',
  last_error: 'TEXT',
  ticket_reference: 'TEXT',
  // The lines written after the ticket: how many of the transcript the helpdesk has (set when
  // the ticket is created, from the transcript that went into it), and the next one's delivery.
  lines_sent: 'INTEGER',
  line_attempts: 'INTEGER NOT NULL DEFAULT 0',
  line_next_attempt_at: 'TEXT',
  line_claimed_by: 'TEXT',
  line_claimed_until: 'TEXT',
  line_failed_at: 'TEXT',
  line_error: 'TEXT',
};

/** Where a recorded case stands, as an operator sees it. */
export interface OutboxEntry {
  record: CaseRecord;
  /** pending: waits to be sent (or for an operator without a helpdesk); sending: a worker holds it; delivered; failed: refused for good. */
  state: 'pending' | 'sending' | 'delivered' | 'failed';
  deliveredAt: string | null;
  delivery: DeliveryState;
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
  attempts: number;
  next_attempt_at: string | null;
  claimed_until: string | null;
  failed_at: string | null;
  last_error: string | null;
  ticket_reference: string | null;
}

/** A claimed line as the claim's statement returns it. */
interface LineRow {
  id: string;
  conversation_id: string;
  role: CaseRecord['role'];
  /** The line as JSON. */
  line: string;
  lines_sent: number;
  line_attempts: number;
  ticket_reference: string | null;
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

/** The delivery columns of a row, as an operator sees them. */
type DeliveryRow = Pick<ListedRow, 'attempts' | 'next_attempt_at' | 'delivered_at' | 'failed_at' | 'last_error' | 'ticket_reference'>;

function deliveryOf(row: DeliveryRow): DeliveryState {
  return {
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
    lastError: row.last_error,
    ticketReference: row.ticket_reference,
  };
}

/** Where a case stands for an operator, from its delivery times (ISO strings, as both outboxes keep them). */
export function outboxState(times: { deliveredAt: string | null; failedAt: string | null; claimedUntil: string | null }, now: Date): OutboxEntry['state'] {
  if (times.deliveredAt !== null) return 'delivered';
  if (times.failedAt !== null) return 'failed';
  return times.claimedUntil !== null && times.claimedUntil > now.toISOString() ? 'sending' : 'pending';
}

function entryOf(row: ListedRow, now: Date): OutboxEntry {
  return {
    record: JSON.parse(row.json) as CaseRecord,
    state: outboxState({ deliveredAt: row.delivered_at, failedAt: row.failed_at, claimedUntil: row.claimed_until }, now),
    deliveredAt: row.delivered_at,
    delivery: deliveryOf(row),
  };
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/**
 * The case outbox in SQLite: a recorded case survives a crash or restart until a worker
 * has delivered it and called `markDelivered`.
 *
 * Every case in the outbox is for support (a photographer who could be told directly needs
 * no case): cases go to the helpdesk through claims. `claimDue` takes the oldest due case in
 * one statement (SQLite serialises writers, so two workers, in one process or two, never
 * hold the same case), and the attempts and the time of the next one live in the row, so
 * a restart continues the backoff where it was.
 */
export class SqliteCaseOutbox implements CaseOutbox, TicketQueue, OutboxListing {
  private readonly insert;
  private readonly selectPending;
  private readonly markOne;
  private readonly exists;
  private readonly countForJob;
  private readonly appendLine;
  private readonly listNewest;
  private readonly listBefore;
  private readonly selectOne;
  private readonly ofConversation;
  private readonly ofPerson;
  private readonly withEmail;
  private readonly removeOne;
  private readonly deliveredBefore;
  private readonly selectOpen;
  private readonly addStep;
  private readonly claim;
  private readonly deliver;
  private readonly retryLater;
  private readonly fail;
  private readonly nextDue;
  private readonly claimLine;
  private readonly retryCase;
  private readonly retryLines;
  private readonly lineSent;
  private readonly lineRetry;
  private readonly lineFail;
  private readonly state;
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
    const existing = new Set(db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('case_outbox')").all().map((column) => column.name));
    for (const [name, type] of Object.entries(DELIVERY_COLUMNS)) {
      if (!existing.has(name)) db.exec(`ALTER TABLE case_outbox ADD COLUMN ${name} ${type}`);
    }
    // Whose case it is (a person key), so one person has one open case per matter (kind,
    // symptom and code: a parent with two children's codes has two): the unique index
    // refuses a second one even from two turns at once. Open means not yet with the
    // helpdesk and not refused by it for good (that one waits for an operator).
    if (!existing.has('person')) db.exec('ALTER TABLE case_outbox ADD COLUMN person TEXT');
    db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS case_outbox_open_per_person
      ON case_outbox (person, json_extract(json, '$.kind'), coalesce(json_extract(json, '$.symptom'), ''), coalesce(json_extract(json, '$.accessCode'), ''))
      WHERE delivered_at IS NULL AND failed_at IS NULL AND person IS NOT NULL`);
    this.insert = db.prepare<[string, string, string, string | null]>('INSERT INTO case_outbox (id, created_at, delivered_at, json, person) VALUES (?, ?, NULL, ?, ?)');
    // Appends a step unless the case lists it already, in one statement like appendLine.
    this.addStep = db.prepare<[string, string, string], never>(
      "UPDATE case_outbox SET json = json_insert(json, '$.stepsTried[#]', ?) WHERE id = ? AND NOT EXISTS (SELECT 1 FROM json_each(case_outbox.json, '$.stepsTried') WHERE value = ?)",
    );
    this.selectOpen = db.prepare<[string, string, string, string], { json: string }>(
      `SELECT json FROM case_outbox WHERE delivered_at IS NULL AND failed_at IS NULL AND person = ? AND json_extract(json, '$.kind') = ?
         AND coalesce(json_extract(json, '$.symptom'), '') = ? AND coalesce(json_extract(json, '$.accessCode'), '') = ?`,
    );
    db.exec(`CREATE INDEX IF NOT EXISTS case_outbox_conversation ON case_outbox (json_extract(json, '$.channel'), json_extract(json, '$.conversationId'));
      CREATE INDEX IF NOT EXISTS case_outbox_person ON case_outbox (person) WHERE person IS NOT NULL;`);
    this.ofConversation = db.prepare<[string, string], { id: string }>(
      "SELECT id FROM case_outbox WHERE json_extract(json, '$.channel') = ? AND json_extract(json, '$.conversationId') = ?",
    );
    this.ofPerson = db.prepare<[string], { id: string }>('SELECT id FROM case_outbox WHERE person = ?');
    this.withEmail = db.prepare<[string], { id: string; channel: string; conversation_id: string; person: string | null }>(
      `SELECT id, json_extract(json, '$.channel') AS channel, json_extract(json, '$.conversationId') AS conversation_id, person
       FROM case_outbox WHERE lower(json_extract(json, '$.email')) = lower(?)`,
    );
    this.removeOne = db.prepare<[string]>('DELETE FROM case_outbox WHERE id = ?');
    this.deliveredBefore = db.prepare<[string]>('DELETE FROM case_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?');
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
    const listed =
      'SELECT rowid AS seq, created_at, delivered_at, json, attempts, next_attempt_at, claimed_until, failed_at, last_error, ticket_reference FROM case_outbox';
    this.selectOne = db.prepare<[string], ListedRow>(`${listed} WHERE id = ?`);
    this.listNewest = db.prepare<[number], ListedRow>(`${listed} ORDER BY created_at DESC, rowid DESC LIMIT ?`);
    this.listBefore = db.prepare<[string, string, number, number], ListedRow>(
      `${listed} WHERE created_at < ? OR (created_at = ? AND rowid < ?) ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    );
    // ISO timestamps of one format compare as text in time order.
    this.claim = db.prepare<{ owner: string; now: string; until: string }, { json: string; attempts: number }>(
      `UPDATE case_outbox SET claimed_by = @owner, claimed_until = @until
       WHERE id = (
         SELECT id FROM case_outbox
         WHERE delivered_at IS NULL AND failed_at IS NULL
           AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
           AND (claimed_until IS NULL OR claimed_until <= @now)
         ORDER BY created_at, rowid LIMIT 1)
       RETURNING json, attempts`,
    );
    this.deliver = db.prepare<{ id: string; owner: string; now: string; reference: string | null; linesInTicket: number }>(
      `UPDATE case_outbox SET delivered_at = @now, ticket_reference = @reference, claimed_by = NULL, claimed_until = NULL, last_error = NULL, lines_sent = @linesInTicket
       WHERE id = @id AND claimed_by = @owner AND delivered_at IS NULL`,
    );
    this.retryCase = db.prepare<[string]>('UPDATE case_outbox SET failed_at = NULL, next_attempt_at = NULL WHERE id = ? AND delivered_at IS NULL');
    this.retryLines = db.prepare<[string]>(
      'UPDATE case_outbox SET line_failed_at = NULL, line_next_attempt_at = NULL WHERE id = ? AND delivered_at IS NOT NULL AND line_failed_at IS NOT NULL',
    );
    // The next line of the case that waits longest, in one statement like the case's claim.
    this.claimLine = db.prepare<{ owner: string; now: string; until: string }, LineRow>(
      `UPDATE case_outbox SET line_claimed_by = @owner, line_claimed_until = @until
       WHERE id = (
         SELECT id FROM case_outbox
         WHERE delivered_at IS NOT NULL AND lines_sent IS NOT NULL AND line_failed_at IS NULL
           AND json_array_length(json, '$.transcript') > lines_sent
           AND (line_next_attempt_at IS NULL OR line_next_attempt_at <= @now)
           AND (line_claimed_until IS NULL OR line_claimed_until <= @now)
         ORDER BY delivered_at, rowid LIMIT 1)
       RETURNING id, json_extract(json, '$.conversationId') AS conversation_id, json_extract(json, '$.role') AS role,
         json_extract(json, '$.transcript[' || lines_sent || ']') AS line, lines_sent, line_attempts, ticket_reference`,
    );
    const lineHeld = 'WHERE id = @id AND line_claimed_by = @owner AND lines_sent = @index';
    this.lineSent = db.prepare<{ id: string; owner: string; index: number }>(
      `UPDATE case_outbox SET lines_sent = lines_sent + 1, line_attempts = 0, line_next_attempt_at = NULL, line_error = NULL, line_claimed_by = NULL, line_claimed_until = NULL ${lineHeld}`,
    );
    this.lineRetry = db.prepare<{ id: string; owner: string; index: number; next: string; error: string }>(
      `UPDATE case_outbox SET line_attempts = line_attempts + 1, line_next_attempt_at = @next, line_error = @error, line_claimed_by = NULL, line_claimed_until = NULL ${lineHeld}`,
    );
    this.lineFail = db.prepare<{ id: string; owner: string; index: number; now: string; error: string }>(
      `UPDATE case_outbox SET line_attempts = line_attempts + 1, line_failed_at = @now, line_error = @error, line_claimed_by = NULL, line_claimed_until = NULL ${lineHeld}`,
    );
    this.retryLater = db.prepare<{ id: string; owner: string; next: string; error: string }>(
      `UPDATE case_outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error, claimed_by = NULL, claimed_until = NULL
       WHERE id = @id AND claimed_by = @owner AND delivered_at IS NULL`,
    );
    this.fail = db.prepare<{ id: string; owner: string; now: string; error: string }>(
      `UPDATE case_outbox SET attempts = attempts + 1, failed_at = @now, last_error = @error, claimed_by = NULL, claimed_until = NULL
       WHERE id = @id AND claimed_by = @owner AND delivered_at IS NULL`,
    );
    this.nextDue = db.prepare<[], { at: string | null }>(
      `SELECT min(max(coalesce(next_attempt_at, ''), coalesce(claimed_until, ''))) AS at FROM case_outbox
       WHERE delivered_at IS NULL AND failed_at IS NULL`,
    );
    this.state = db.prepare<[string], DeliveryRow>('SELECT attempts, next_attempt_at, delivered_at, failed_at, last_error, ticket_reference FROM case_outbox WHERE id = ?');
  }

  /**
   * Takes the oldest case that is due (never tried, or its next attempt has come, and
   * nobody holds it) for `leaseMs`; null when none is due. A worker that dies while sending
   * leaves its claim to run out, and the case is taken again after `leaseMs`.
   */
  claimDue(owner: string, leaseMs: number): ClaimedCase | null {
    const now = this.now();
    const row = this.claim.get({ owner, now: now.toISOString(), until: new Date(now.getTime() + leaseMs).toISOString() });
    return row === undefined ? null : { record: JSON.parse(row.json) as CaseRecord, attempts: row.attempts, owner };
  }

  /** The helpdesk accepted the case. False when the claim was no longer this worker's. */
  markTicketCreated(claimed: ClaimedCase, ticketReference: string | null): boolean {
    const linesInTicket = claimed.record.transcript.length;
    return this.deliver.run({ id: claimed.record.id, owner: claimed.owner, now: this.now().toISOString(), reference: ticketReference, linesInTicket }).changes === 1;
  }

  claimDueLine(owner: string, leaseMs: number): ClaimedLine | null {
    const now = this.now();
    const row = this.claimLine.get({ owner, now: now.toISOString(), until: new Date(now.getTime() + leaseMs).toISOString() });
    if (row === undefined) return null;
    return {
      caseId: row.id,
      conversationId: row.conversation_id,
      role: row.role,
      index: row.lines_sent,
      line: JSON.parse(row.line) as TranscriptLine,
      ticketReference: row.ticket_reference,
      attempts: row.line_attempts,
      owner,
    };
  }

  markLineSent(claimed: ClaimedLine): boolean {
    return this.lineSent.run({ id: claimed.caseId, owner: claimed.owner, index: claimed.index }).changes === 1;
  }

  markLineRetry(claimed: ClaimedLine, nextAttemptAt: Date, error: string): boolean {
    return this.lineRetry.run({ id: claimed.caseId, owner: claimed.owner, index: claimed.index, next: nextAttemptAt.toISOString(), error }).changes === 1;
  }

  markLineFailed(claimed: ClaimedLine, error: string): boolean {
    return this.lineFail.run({ id: claimed.caseId, owner: claimed.owner, index: claimed.index, now: this.now().toISOString(), error }).changes === 1;
  }

  /** Not reached this time (a 5xx, a timeout, no network): tried again at `nextAttemptAt`. */
  markRetry(claimed: ClaimedCase, nextAttemptAt: Date, error: string): boolean {
    return this.retryLater.run({ id: claimed.record.id, owner: claimed.owner, next: nextAttemptAt.toISOString(), error }).changes === 1;
  }

  /** Refused for good (a 4xx): kept for an operator, never tried again by a worker. */
  markFailed(claimed: ClaimedCase, error: string): boolean {
    return this.fail.run({ id: claimed.record.id, owner: claimed.owner, now: this.now().toISOString(), error }).changes === 1;
  }

  /** When the next case becomes due (a time in the past when one is due now), or null when none waits. */
  nextDueAt(): Date | null {
    const at = this.nextDue.get()?.at;
    if (at === null || at === undefined) return null;
    return at === '' ? new Date(0) : new Date(at);
  }

  /** The delivery of one case as an operator needs it; null for an id that was never recorded. */
  deliveryState(id: string): DeliveryState | null {
    const row = this.state.get(id);
    return row === undefined ? null : deliveryOf(row);
  }

  async ticketReference(id: string): Promise<string | null> {
    return this.state.get(id)?.ticket_reference ?? null;
  }

  async append(id: string, line: TranscriptLine): Promise<void> {
    const { changes } = this.appendLine.run(JSON.stringify(line), id);
    if (changes === 0) throw new Error(`case outbox: no case with the id "${id}"`);
  }

  async countPending(filter: { kind: CaseKind; jobId: string }): Promise<number> {
    return this.countForJob.get(filter.kind, filter.jobId)?.count ?? 0;
  }

  async record(newCase: NewCase, person?: string): Promise<CaseRecord> {
    const record: CaseRecord = { ...structuredClone(newCase), id: `case-${randomUUID()}`, createdAt: this.now().toISOString() };
    this.insert.run(record.id, record.createdAt, JSON.stringify(record), person ?? null);
    return structuredClone(record);
  }

  async addStepsTried(id: string, steps: readonly string[]): Promise<void> {
    for (const step of steps) this.addStep.run(step, id, step);
  }

  async openCase(person: string, matter: OpenCaseMatter): Promise<CaseRecord | null> {
    const row = this.selectOpen.get(person, matter.kind, matter.symptom ?? '', matter.accessCode ?? '');
    return row === undefined ? null : (JSON.parse(row.json) as CaseRecord);
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
    return { entries: page.map((row) => entryOf(row, this.now())), next: rows.length > limit && last !== undefined ? encodeCursor(last) : null };
  }

  retry(id: string): RetryOutcome {
    if (this.exists.get(id) === undefined) return 'unknown';
    try {
      if (this.retryCase.run(id).changes === 1 || this.retryLines.run(id).changes === 1) return 'retried';
    } catch (error) {
      // The unique index of open cases: the person has a newer one of this matter.
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'matter-open';
      throw error;
    }
    return 'delivered';
  }

  /** One recorded case with where it stands, or null. */
  entry(id: string): OutboxEntry | null {
    const row = this.selectOne.get(id);
    return row === undefined ? null : entryOf(row, this.now());
  }

  /** The ids of the cases of these conversations of a channel, and of the person's own cases (by person key). */
  idsOf(channel: string, conversationIds: Iterable<string>, person?: string): string[] {
    const ids = new Set<string>();
    for (const conversationId of conversationIds) for (const row of this.ofConversation.all(channel, conversationId)) ids.add(row.id);
    if (person !== undefined) for (const row of this.ofPerson.all(person)) ids.add(row.id);
    return [...ids];
  }

  /** The cases that give this e-mail address (any case), with where they came from. */
  withEmailAddress(email: string): { id: string; channel: string; conversationId: string; person: string | null }[] {
    return this.withEmail.all(email).map((row) => ({ id: row.id, channel: row.channel, conversationId: row.conversation_id, person: row.person }));
  }

  /** Deletes these cases; how many there were. */
  remove(ids: readonly string[]): number {
    let removed = 0;
    for (const id of ids) {
      removed += this.removeOne.run(id).changes;
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
