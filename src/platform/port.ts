import type { CodeLookup, Job, Photographer } from '../domain/platformModel.js';

/**
 * What the bot needs from the photography platform. Dialogs depend on this port only;
 * the composition root picks the embedded file-backed platform or the REST API client.
 */
export interface PlatformPort {
  /** Looks a code up in its normalised form (see `normalizeAccessCode`). */
  lookupCode(code: string): Promise<CodeLookup>;
  /** The photographer whose account lists this Teams `aadObjectId` or Slack user id. */
  photographerByChannelUser(channel: 'msteams' | 'slack', userId: string): Promise<Photographer | null>;
  /** Jobs of one photographer whose id matches exactly or whose name contains the query. */
  findJobs(photographerId: string, query: string): Promise<Job[]>;
  getJob(jobId: string): Promise<Job | null>;
  /** Applies one change atomically: all of it or nothing. */
  applyChange(change: JobChange): Promise<ChangeResult>;
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
    readonly reason: 'not-found' | 'not-owner' | 'job-deleted' | 'invalid-change',
    message: string,
  ) {
    super(message);
  }
}
