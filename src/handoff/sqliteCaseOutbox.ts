import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../storage/database.js';
import type { CaseKind, CaseOutbox, CaseRecord, NewCase, OpenCaseMatter, TranscriptLine } from './caseRecord.js';

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
  private readonly selectOpen;
  private readonly addStep;
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
    // Whose case it is (a person key), so one person has one open case per matter (kind,
    // symptom and code: a parent with two children's codes has two): the unique index
    // refuses a second one even from two turns at once.
    const columns = new Set(db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('case_outbox')").all().map((column) => column.name));
    if (!columns.has('person')) db.exec('ALTER TABLE case_outbox ADD COLUMN person TEXT');
    db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS case_outbox_open_per_person
      ON case_outbox (person, json_extract(json, '$.kind'), coalesce(json_extract(json, '$.symptom'), ''), coalesce(json_extract(json, '$.accessCode'), ''))
      WHERE delivered_at IS NULL AND person IS NOT NULL`);
    this.insert = db.prepare<[string, string, string, string | null]>('INSERT INTO case_outbox (id, created_at, delivered_at, json, person) VALUES (?, ?, NULL, ?, ?)');
    // Appends a step unless the case lists it already, in one statement like appendLine.
    this.addStep = db.prepare<[string, string, string], never>(
      "UPDATE case_outbox SET json = json_insert(json, '$.stepsTried[#]', ?) WHERE id = ? AND NOT EXISTS (SELECT 1 FROM json_each(case_outbox.json, '$.stepsTried') WHERE value = ?)",
    );
    this.selectOpen = db.prepare<[string, string, string, string], { json: string }>(
      `SELECT json FROM case_outbox WHERE delivered_at IS NULL AND person = ? AND json_extract(json, '$.kind') = ?
         AND coalesce(json_extract(json, '$.symptom'), '') = ? AND coalesce(json_extract(json, '$.accessCode'), '') = ?`,
    );
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

  /** Idempotent for a delivered case; an id that was never recorded is a bug and throws. */
  async markDelivered(id: string): Promise<void> {
    const { changes } = this.markOne.run(this.now().toISOString(), id);
    if (changes === 0 && this.exists.get(id) === undefined) throw new Error(`case outbox: no case with the id "${id}"`);
  }
}
