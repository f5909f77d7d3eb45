import type { ConversationReference } from 'botbuilder';
import type { Symptom } from '../domain/symptoms.js';
import type { SqliteDatabase } from '../storage/database.js';

/**
 * Where the bot can reach people later, in the bot's SQLite file: the conversation each
 * linked photographer last talked to the bot in, every customer conversation that reported
 * a code of a job (until it is told the gallery is open), and the notice each job's
 * photographer got, so a second customer updates that message instead of adding one.
 */

/** A customer conversation that reported a code of a job the photographer has to fix. */
export interface WaitingCustomer {
  jobId: string;
  conversationId: string;
  /** Null: the customer's channel cannot be written to later (replies came back in the HTTP response). */
  reference: Partial<ConversationReference> | null;
  locale: string;
  /** Normalised; kept to check that this customer's own code opens, never logged. */
  accessCode: string;
  symptom: Symptom | null;
  /** The customer agreed to have the photographer told. */
  asked: boolean;
}

export interface PhotographerConversation {
  photographerId: string;
  reference: Partial<ConversationReference>;
  /** The language of the photographer's last turn. */
  locale: string;
  updatedAt: string;
}

/** The message a job's photographer was sent about waiting customers. */
export interface SentNotice {
  jobId: string;
  photographerId: string;
  conversationId: string;
  activityId: string;
  /** When the message was first sent (updates keep it). */
  sentAt: string;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * Where people can be reached later, as the proactive notices use it: in SQLite, or in
 * Azure Blob when several instances share it. `markTold` is true for one caller only, so
 * a customer is told once even when two instances apply fixes of one job at once.
 */
export interface ReachableConversations {
  savePhotographer(conversation: PhotographerConversation): MaybePromise<void>;
  photographer(photographerId: string): MaybePromise<PhotographerConversation | null>;
  saveCustomer(customer: WaitingCustomer, at: Date): MaybePromise<void>;
  /** Customers of the job not told yet, the latest report first. */
  waiting(jobId: string): MaybePromise<WaitingCustomer[]>;
  countAsked(jobId: string): MaybePromise<number>;
  /** Whether this conversation asked for the job's photographer to be told and has not been told yet: one record, not the job's list. */
  askedBefore(jobId: string, conversationId: string): MaybePromise<boolean>;
  markTold(jobId: string, conversationId: string, at: Date): MaybePromise<boolean>;
  unmarkTold(jobId: string, conversationId: string): MaybePromise<void>;
  notice(jobId: string): MaybePromise<SentNotice | null>;
  saveNotice(notice: SentNotice): MaybePromise<void>;
  dropNotice(jobId: string): MaybePromise<void>;
}

interface CustomerRow {
  job_id: string;
  conversation_id: string;
  reference: string | null;
  locale: string;
  access_code: string;
  symptom: string | null;
  asked: number;
}

export class ConversationStore implements ReachableConversations {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS photographer_conversations (
        photographer_id TEXT PRIMARY KEY,
        reference TEXT NOT NULL,
        locale TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS waiting_customers (
        job_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        reference TEXT,
        locale TEXT NOT NULL,
        access_code TEXT NOT NULL,
        symptom TEXT,
        asked INTEGER NOT NULL DEFAULT 0,
        reported_at TEXT NOT NULL,
        told_at TEXT,
        PRIMARY KEY (job_id, conversation_id)
      );
      CREATE TABLE IF NOT EXISTS photographer_notices (
        job_id TEXT PRIMARY KEY,
        photographer_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        sent_at TEXT NOT NULL
      );
    `);
    this.statements = {
      savePhotographer: db.prepare<[string, string, string, string]>(
        `INSERT INTO photographer_conversations (photographer_id, reference, locale, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (photographer_id) DO UPDATE SET reference = excluded.reference, locale = excluded.locale, updated_at = excluded.updated_at`,
      ),
      photographer: db.prepare<[string], { photographer_id: string; reference: string; locale: string; updated_at: string }>(
        'SELECT * FROM photographer_conversations WHERE photographer_id = ?',
      ),
      // Reporting again (another code, another day) makes the customer wait again.
      saveCustomer: db.prepare<[string, string, string | null, string, string, string | null, number, string]>(
        `INSERT INTO waiting_customers (job_id, conversation_id, reference, locale, access_code, symptom, asked, reported_at, told_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (job_id, conversation_id) DO UPDATE SET reference = excluded.reference, locale = excluded.locale,
           access_code = excluded.access_code, symptom = excluded.symptom, asked = max(waiting_customers.asked, excluded.asked),
           reported_at = excluded.reported_at, told_at = NULL`,
      ),
      waiting: db.prepare<[string], CustomerRow>(
        'SELECT * FROM waiting_customers WHERE job_id = ? AND told_at IS NULL ORDER BY reported_at DESC, rowid DESC',
      ),
      countAsked: db.prepare<[string], { count: number }>(
        'SELECT count(*) AS count FROM waiting_customers WHERE job_id = ? AND told_at IS NULL AND asked = 1',
      ),
      askedBefore: db.prepare<[string, string], { asked: number }>(
        'SELECT asked FROM waiting_customers WHERE job_id = ? AND conversation_id = ? AND told_at IS NULL AND asked = 1',
      ),
      unmarkTold: db.prepare<[string, string]>('UPDATE waiting_customers SET told_at = NULL WHERE job_id = ? AND conversation_id = ?'),
      markTold: db.prepare<[string, string, string]>('UPDATE waiting_customers SET told_at = ? WHERE job_id = ? AND conversation_id = ? AND told_at IS NULL'),
      notice: db.prepare<[string], { job_id: string; photographer_id: string; conversation_id: string; activity_id: string; sent_at: string }>(
        'SELECT * FROM photographer_notices WHERE job_id = ?',
      ),
      saveNotice: db.prepare<[string, string, string, string, string]>(
        `INSERT INTO photographer_notices (job_id, photographer_id, conversation_id, activity_id, sent_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET photographer_id = excluded.photographer_id, conversation_id = excluded.conversation_id,
           activity_id = excluded.activity_id, sent_at = excluded.sent_at`,
      ),
      dropNotice: db.prepare<[string]>('DELETE FROM photographer_notices WHERE job_id = ?'),
      forgetCustomer: db.prepare<[string]>('DELETE FROM waiting_customers WHERE conversation_id = ?'),
      forgetReportedBefore: db.prepare<[string]>('DELETE FROM waiting_customers WHERE reported_at < ?'),
    };
  }

  savePhotographer(conversation: PhotographerConversation): void {
    this.statements.savePhotographer.run(conversation.photographerId, JSON.stringify(conversation.reference), conversation.locale, conversation.updatedAt);
  }

  photographer(photographerId: string): PhotographerConversation | null {
    const row = this.statements.photographer.get(photographerId);
    if (row === undefined) return null;
    return { photographerId: row.photographer_id, reference: JSON.parse(row.reference) as Partial<ConversationReference>, locale: row.locale, updatedAt: row.updated_at };
  }

  saveCustomer(customer: WaitingCustomer, at: Date): void {
    const { jobId, conversationId, reference, locale, accessCode, symptom, asked } = customer;
    this.statements.saveCustomer.run(jobId, conversationId, reference === null ? null : JSON.stringify(reference), locale, accessCode, symptom, asked ? 1 : 0, at.toISOString());
  }

  /** Customers of the job not told yet, the latest report first. */
  waiting(jobId: string): WaitingCustomer[] {
    return this.statements.waiting.all(jobId).map((row) => ({
      jobId: row.job_id,
      conversationId: row.conversation_id,
      reference: row.reference === null ? null : (JSON.parse(row.reference) as Partial<ConversationReference>),
      locale: row.locale,
      accessCode: row.access_code,
      symptom: row.symptom as Symptom | null,
      asked: row.asked === 1,
    }));
  }

  /** How many customers not told yet asked for the photographer to be told. */
  countAsked(jobId: string): number {
    return this.statements.countAsked.get(jobId)?.count ?? 0;
  }

  askedBefore(jobId: string, conversationId: string): boolean {
    return this.statements.askedBefore.get(jobId, conversationId) !== undefined;
  }


  /** True only for the call that marked it: two fixes at once tell a customer once. */
  markTold(jobId: string, conversationId: string, at: Date): boolean {
    return this.statements.markTold.run(at.toISOString(), jobId, conversationId).changes === 1;
  }

  /** The message could not be sent: the customer still waits. */
  unmarkTold(jobId: string, conversationId: string): void {
    this.statements.unmarkTold.run(jobId, conversationId);
  }

  notice(jobId: string): SentNotice | null {
    const row = this.statements.notice.get(jobId);
    return row === undefined
      ? null
      : { jobId: row.job_id, photographerId: row.photographer_id, conversationId: row.conversation_id, activityId: row.activity_id, sentAt: row.sent_at };
  }

  saveNotice(notice: SentNotice): void {
    this.statements.saveNotice.run(notice.jobId, notice.photographerId, notice.conversationId, notice.activityId, notice.sentAt);
  }

  /** The job's customers were told: the next customer gets a new message, not an update of this one. */
  dropNotice(jobId: string): void {
    this.statements.dropNotice.run(jobId);
  }

  /** Forgets these customer conversations (an erasure of the customer's data); how many entries. */
  forgetCustomerConversations(conversationIds: readonly string[]): number {
    let removed = 0;
    for (const id of conversationIds) removed += this.statements.forgetCustomer.run(id).changes;
    return removed;
  }

  /** Forgets customers who reported before `before` (their conversations have expired); how many entries. */
  forgetCustomersReportedBefore(before: Date): number {
    return this.statements.forgetReportedBefore.run(before.toISOString()).changes;
  }
}
