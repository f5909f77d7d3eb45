import { z } from 'zod';
import { isIsoDate } from '../domain/archiveDate.js';
import { LOCALE_PATTERN } from '../language/languages.js';
import { accessCodeKey, normalizeAccessCode } from '../domain/accessCode.js';
import type { Job, Photographer } from '../domain/platformModel.js';

/**
 * The embedded platform's data file (design: "Platform data file"), validated with zod.
 * Objects are strict: a misspelt field in a hand-edited file is an error, not silently
 * dropped (the file is also written back, so nothing unknown could survive a change).
 */

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isLocale(value: string): boolean {
  try {
    return LOCALE_PATTERN.test(value) && Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

const text = z.string().trim().min(1, 'must not be empty');
const id = text;
const channelUserIds = z.array(text);

const photographerSchema = z.strictObject({
  id,
  name: text,
  email: z.email('expected an email address'),
  locale: z.string().refine(isLocale, 'expected a locale such as de-DE or en-US'),
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin'),
  channels: z.strictObject({
    msteams: channelUserIds.optional(),
    slack: channelUserIds.optional(),
  }),
}) satisfies z.ZodType<Photographer>;

const photoSchema = z.strictObject({ id, hidden: z.boolean() });

const gallerySchema = z.strictObject({
  id,
  accessCode: z
    .string()
    .refine((code) => /^[A-Z0-9]+$/.test(normalizeAccessCode(code)), 'expected letters and digits (spaces and dashes are ignored)'),
  activated: z.boolean(),
  photos: z.array(photoSchema),
});

const jobSchema = z.strictObject({
  id,
  name: text,
  photographerId: id,
  /** Any status: `prepay` and statuses added later must load; the domain treats them as unknown. */
  status: text,
  archiving: z.strictObject({
    enabled: z.boolean(),
    date: z.string().refine(isIsoDate, 'expected a calendar date written yyyy-MM-dd').nullable(),
  }),
  campaignActive: z.boolean(),
  deleted: z.boolean(),
  galleries: z.array(gallerySchema),
}) satisfies z.ZodType<Job>;

type PathSegment = string | number;

function formatPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result === '' ? String(segment) : `.${String(segment)}`;
  }
  return result === '' ? '(top level)' : result;
}

/** Ids unique, references resolvable, codes unique after normalisation, channel users unambiguous. */
function crossCheck(data: { photographers: Photographer[]; jobs: Job[] }, ctx: z.RefinementCtx): void {
  const issue = (path: PathSegment[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
  const firstSeen = <K>(seen: Map<K, string>, key: K, where: string): string | undefined => {
    const previous = seen.get(key);
    if (previous === undefined) seen.set(key, where);
    return previous;
  };

  const photographerIds = new Map<string, string>();
  const channelUsers = new Map<string, string>();
  data.photographers.forEach((photographer, p) => {
    const clash = firstSeen(photographerIds, photographer.id, `photographers[${p}].id`);
    if (clash !== undefined) issue(['photographers', p, 'id'], `duplicate id "${photographer.id}" (also ${clash})`);
    for (const channel of ['msteams', 'slack'] as const) {
      (photographer.channels[channel] ?? []).forEach((userId, u) => {
        const key = `${channel}:${channel === 'msteams' ? userId.toLowerCase() : userId}`;
        const other = firstSeen(channelUsers, key, `photographers[${p}].channels.${channel}[${u}]`);
        if (other !== undefined) {
          issue(['photographers', p, 'channels', channel, u], `${channel} user "${userId}" is listed twice (also ${other})`);
        }
      });
    }
  });

  const jobIds = new Map<string, string>();
  const galleryIds = new Map<string, string>();
  const photoIds = new Map<string, string>();
  const codes = new Map<string, string>();
  data.jobs.forEach((job, j) => {
    const clash = firstSeen(jobIds, job.id, `jobs[${j}].id`);
    if (clash !== undefined) issue(['jobs', j, 'id'], `duplicate id "${job.id}" (also ${clash})`);
    if (!photographerIds.has(job.photographerId)) {
      issue(['jobs', j, 'photographerId'], `no photographer has the id "${job.photographerId}"`);
    }
    if (job.archiving.enabled && job.archiving.date === null) {
      issue(['jobs', j, 'archiving', 'date'], 'expected a date when archiving is enabled');
    }
    job.galleries.forEach((gallery, g) => {
      const where = `jobs[${j}].galleries[${g}]`;
      const galleryClash = firstSeen(galleryIds, gallery.id, `${where}.id`);
      if (galleryClash !== undefined) issue(['jobs', j, 'galleries', g, 'id'], `duplicate id "${gallery.id}" (also ${galleryClash})`);
      // The code itself stays out of the message: a working code opens a child's photos.
      const codeClash = firstSeen(codes, accessCodeKey(gallery.accessCode), `${where}.accessCode`);
      if (codeClash !== undefined) {
        issue(['jobs', j, 'galleries', g, 'accessCode'], `same access code as ${codeClash} (codes ignore case, spaces and dashes, and read O as 0 and I, L as 1)`);
      }
      gallery.photos.forEach((photo, i) => {
        const photoClash = firstSeen(photoIds, photo.id, `${where}.photos[${i}].id`);
        if (photoClash !== undefined) {
          issue(['jobs', j, 'galleries', g, 'photos', i, 'id'], `duplicate id "${photo.id}" (also ${photoClash})`);
        }
      });
    });
  });
}

/**
 * A change the platform applied, kept under its idempotency key (for 24 hours, as the
 * platform API promises) so the same key sent again answers with this result instead
 * of changing the job again. Written in the same atomic file write as the change.
 */
const appliedChangeSchema = z.strictObject({
  key: text,
  /** What was changed (`changeFingerprint`): the same key for another change is refused. */
  change: text,
  at: z.iso.datetime(),
  before: jobSchema,
  after: jobSchema,
});
export type AppliedChange = z.infer<typeof appliedChangeSchema>;

export const platformDataSchema = z
  .strictObject({
    photographers: z.array(photographerSchema),
    jobs: z.array(jobSchema),
    appliedChanges: z.array(appliedChangeSchema).optional(),
  })
  .superRefine(crossCheck);

export interface PlatformData {
  photographers: Photographer[];
  jobs: Job[];
  appliedChanges?: AppliedChange[];
}

// The file's shape is the domain's shape: a change on either side fails to compile here.
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesDomain: Equal<z.infer<typeof platformDataSchema>['jobs'][number], Job> extends true
  ? z.infer<typeof platformDataSchema> extends PlatformData
    ? true
    : never
  : never = true;
void schemaMatchesDomain;

/** The data file is unusable: the message is one line naming the file and the field. */
export class PlatformDataError extends Error {
  override readonly name = 'PlatformDataError';
  constructor(
    readonly source: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`PLATFORM_DATA ${source}: ${detail}`, options);
  }
}

const ARTICLE: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  number: 'a number',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return { present: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { present: true, value: current };
}

function describe(issue: z.core.$ZodIssue, root: unknown): string {
  const field = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      const { present, value } = valueAt(root, issue.path);
      return present ? `${field}: expected ${expected}, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}` : `${field}: missing (expected ${expected})`;
    }
    case 'unrecognized_keys':
      return `${field === '(top level)' ? '' : `${field}.`}${issue.keys[0] ?? ''}: unknown field${issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(', ')})` : ''}`;
    case 'too_small':
      return `${field}: must not be empty`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/** Validates a parsed data file; throws `PlatformDataError` naming `source` and the first bad field. */
export function parsePlatformData(json: unknown, source: string): PlatformData {
  const result = platformDataSchema.safeParse(json);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  if (first === undefined) throw new PlatformDataError(source, 'invalid data');
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})`;
  throw new PlatformDataError(source, describe(first, json).replace(/\s+/g, ' ') + more);
}
