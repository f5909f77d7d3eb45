import { createHash } from 'node:crypto';
import type { CodeLookup, Job, Photographer } from '../domain/platformModel.js';

/**
 * What the bot needs from the photography platform. Dialogs depend on this port only;
 * the composition root picks the embedded file-backed platform or the REST API client.
 */
export interface PlatformPort {
  /**
   * Looks a code up in its normalised form (see `normalizeAccessCode`); look-alike characters
   * match (`accessCodeKey`), and a found gallery carries the code as the platform has it.
   */
  lookupCode(code: string): Promise<CodeLookup>;
  /** The photographer whose account lists this Teams `aadObjectId` or Slack user id. */
  photographerByChannelUser(channel: 'msteams' | 'slack', userId: string): Promise<Photographer | null>;
  /** Jobs of one photographer whose id matches exactly or whose name contains the query. */
  findJobs(photographerId: string, query: string): Promise<Job[]>;
  getJob(jobId: string): Promise<Job | null>;
  /**
   * Applies one change atomically: all of it or nothing. A change sent again with the
   * same idempotency key is not applied again: the platform answers with the result of
   * the first time, so a retried or repeated confirmation (also after a crash between
   * the platform's answer and the bot's state save) changes a job once.
   */
  applyChange(change: JobChange, options: ApplyOptions): Promise<ChangeResult>;
}

export interface ApplyOptions {
  /** Derived from the case and the change (`changeIdempotencyKey`); at most 128 characters. */
  idempotencyKey: string;
}

/** Is the platform usable right now? For /readyz, never for a conversation's decisions. */
export interface PlatformReadiness {
  readiness(): Promise<{ ready: boolean; detail: string }>;
}

/** Same change, same job, same gallery, same date: one operation, however often it is confirmed. */
export function changeFingerprint(change: JobChange): string {
  return [change.kind, change.jobId, change.photographerId, 'galleryId' in change ? change.galleryId : '', 'archiveDate' in change ? change.archiveDate : ''].join(
    ':',
  );
}

/**
 * The idempotency key of one change in one case, confirmed on one summary: stable across
 * retries, restarts and instances. `summarised` is what that summary said of the job: a
 * "yes" to a summary shown again because the job changed meanwhile is a new operation, so
 * the platform does not answer it with the first result, which no longer says what the
 * job holds.
 */
export function changeIdempotencyKey(caseId: string, change: JobChange, summarised = ''): string {
  const operation = [caseId, changeFingerprint(change), ...(summarised === '' ? [] : [summarised])].join('\n');
  const digest = createHash('sha256').update(operation).digest('base64url');
  return `gaa-${change.kind}-${digest}`;
}

/** A change a photographer confirmed, carried out in one operation. */
export type JobChange =
  | {
      /** Archiving on with the new date, automated campaign off, status Selling. */
      kind: 'reopen-job';
      jobId: string;
      photographerId: string;
      archiveDate: string;
    }
  | { kind: 'set-selling'; jobId: string; photographerId: string }
  | { kind: 'activate-code'; jobId: string; photographerId: string; galleryId: string }
  | { kind: 'unhide-photos'; jobId: string; photographerId: string; galleryId: string };

export interface ChangeResult {
  before: Job;
  after: Job;
}

/** The platform did not answer (down, timeout, 5xx, unreadable answer): ask instead. */
export class PlatformUnavailableError extends Error {
  override readonly name = 'PlatformUnavailableError';
}

/** The platform answered and said no (not this photographer's job, job deleted, ...). */
export class PlatformRefusedError extends Error {
  override readonly name = 'PlatformRefusedError';
  constructor(
    /** `job-changed`: the job changed on the platform while the change was on its way (a stale version). */
    readonly reason: 'not-found' | 'not-owner' | 'job-deleted' | 'invalid-change' | 'job-changed',
    message: string,
  ) {
    super(message);
  }
}
