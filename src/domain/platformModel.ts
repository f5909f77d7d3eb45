/**
 * The platform's data as the domain sees it: plain values, no I/O. The platform
 * adapters (embedded file, REST API) produce these shapes.
 */

/** `prepay` exists in North America; any other string is a status this bot does not know. */
export type JobStatus = 'planning' | 'selling' | 'archived' | 'prepay' | (string & {});

export interface Photo {
  id: string;
  hidden: boolean;
}

export interface Gallery {
  id: string;
  accessCode: string;
  activated: boolean;
  photos: Photo[];
}

export interface Archiving {
  enabled: boolean;
  /** ISO calendar date (yyyy-MM-dd) on which the job archives itself. */
  date: string | null;
}

export interface Job {
  id: string;
  name: string;
  photographerId: string;
  status: JobStatus;
  archiving: Archiving;
  campaignActive: boolean;
  deleted: boolean;
  galleries: Gallery[];
}

export interface Photographer {
  id: string;
  name: string;
  email: string;
  locale: string;
  timeZone: string;
  channels: { msteams?: string[]; slack?: string[] };
}

/** What the platform knows about one access code. */
export type CodeLookup =
  | { kind: 'unknown' }
  | { kind: 'retired'; job: Job }
  | { kind: 'found'; job: Job; gallery: Gallery };
