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

/** A job without its galleries: what a conversation keeps of a job it found by one gallery's code. */
export type JobWithoutGalleries = Omit<Job, 'galleries'>;

/**
 * A code lookup as a customer's conversation keeps it between turns: the job without its
 * galleries (the other families' galleries and codes are nothing this conversation needs or
 * may hold), and the gallery of the code.
 */
export type KeptCodeLookup =
  | { kind: 'unknown' }
  | { kind: 'retired'; job: JobWithoutGalleries }
  | { kind: 'found'; job: JobWithoutGalleries; gallery: Gallery };

export function keptLookup(lookup: CodeLookup): KeptCodeLookup {
  if (lookup.kind === 'unknown') return lookup;
  const { galleries: _others, ...job } = lookup.job;
  return lookup.kind === 'found' ? { kind: 'found', job, gallery: lookup.gallery } : { kind: 'retired', job };
}
