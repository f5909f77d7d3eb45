import { createHash, randomUUID } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { accessCodeKey } from '../domain/accessCode.js';
import type { CodeLookup, Job, Photographer } from '../domain/platformModel.js';
import { access, constants } from 'node:fs/promises';
import {
  changeFingerprint,
  PlatformRefusedError,
  PlatformUnavailableError,
  type ApplyOptions,
  type ChangeResult,
  type JobChange,
  type PlatformPort,
  type PlatformReadiness,
} from './port.js';
import { isIsoDate } from '../domain/archiveDate.js';
import { foldLetters } from '../language/textFolding.js';
import { type AppliedChange, parsePlatformData, PlatformDataError, type PlatformData } from './schema.js';

/** How long an idempotency key answers with its first result (the platform API's promise). */
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A job's version for optimistic concurrency (the API's ETag): a digest of its content. */
export function jobVersion(job: Job): string {
  return `"${createHash('sha256').update(JSON.stringify(job)).digest('base64url').slice(0, 27)}"`;
}

/** What the API server adds to a change: the version the client read (`If-Match`). */
export interface EmbeddedApplyOptions extends ApplyOptions {
  ifVersion?: string;
}

/** Where a normalised access code lives. */
interface CodeLocation {
  jobId: string;
  galleryId: string;
}

function channelKey(channel: 'msteams' | 'slack', userId: string): string {
  // aadObjectIds are GUIDs, which compare case-insensitively; Slack ids are exact.
  const id = userId.trim();
  return `${channel}:${channel === 'msteams' ? id.toLowerCase() : id}`;
}

/**
 * The platform as a JSON file (design: "Platform data file"): the default when no
 * platform API is configured. Reads come from memory; confirmed changes are written
 * back to the file atomically, one at a time, and only then become visible.
 */
export class EmbeddedPlatform implements PlatformPort, PlatformReadiness {
  private data: PlatformData;
  private jobsById = new Map<string, Job>();
  private codes = new Map<string, CodeLocation>();
  private channelUsers = new Map<string, Photographer>();
  /** Changes run one after another: each sees the previous one's result. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly filePath: string,
    data: PlatformData,
  ) {
    this.data = data;
    this.index();
  }

  /** Reads and validates the file; throws `PlatformDataError` (one line naming the file) when it is unusable. */
  static async load(filePath: string): Promise<EmbeddedPlatform> {
    let raw: string;
    try {
      raw = await readFile(filePath, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const detail = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read the file (${code ?? String(error)})`;
      throw new PlatformDataError(filePath, detail, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new PlatformDataError(filePath, `not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')})`, { cause: error });
    }
    return new EmbeddedPlatform(filePath, parsePlatformData(json, filePath));
  }

  /**
   * Indexes the data, frozen: reads hand out the stored objects themselves (no copy per
   * turn), and a change builds new ones, so nothing a caller holds can change the data or
   * be changed under it.
   */
  private index(): void {
    deepFreeze(this.data);
    this.jobsById = new Map(this.data.jobs.map((job) => [job.id, job]));
    this.codes = new Map();
    for (const job of this.data.jobs) {
      for (const gallery of job.galleries) {
        this.codes.set(accessCodeKey(gallery.accessCode), { jobId: job.id, galleryId: gallery.id });
      }
    }
    this.channelUsers = new Map();
    for (const photographer of this.data.photographers) {
      for (const channel of ['msteams', 'slack'] as const) {
        for (const userId of photographer.channels[channel] ?? []) this.channelUsers.set(channelKey(channel, userId), photographer);
      }
    }
  }

  async lookupCode(code: string): Promise<CodeLookup> {
    const location = this.codes.get(accessCodeKey(code));
    const job = location === undefined ? undefined : this.jobsById.get(location.jobId);
    if (location === undefined || job === undefined) return { kind: 'unknown' };
    if (job.deleted) return { kind: 'retired', job };
    const gallery = job.galleries.find((candidate) => candidate.id === location.galleryId);
    return gallery === undefined ? { kind: 'unknown' } : { kind: 'found', job, gallery };
  }

  async photographerByChannelUser(channel: 'msteams' | 'slack', userId: string): Promise<Photographer | null> {
    const photographer = this.channelUsers.get(channelKey(channel, userId));
    return photographer ?? null;
  }

  /**
   * The photographer's live jobs whose id is exactly the query or whose name contains it
   * (ignoring case, accents and the kind of dash); exact id matches first. Deleted jobs
   * and other photographers' jobs never appear. An empty query lists all their live jobs.
   */
  async findJobs(photographerId: string, query: string): Promise<Job[]> {
    const wanted = query.trim();
    const folded = foldLetters(wanted);
    const own = this.data.jobs.filter((job) => job.photographerId === photographerId && !job.deleted);
    const byId = own.filter((job) => job.id === wanted);
    const byName = own.filter((job) => job.id !== wanted && foldLetters(job.name).includes(folded));
    return [...byId, ...byName];
  }

  /** Any job by id, deleted ones included (with `deleted: true`). */
  async getJob(jobId: string): Promise<Job | null> {
    const job = this.jobsById.get(jobId);
    return job ?? null;
  }

  /** A photographer by account id (the API's `/photographers/{id}/jobs` answers 404 for an unknown one). */
  async photographer(photographerId: string): Promise<Photographer | null> {
    const photographer = this.data.photographers.find((candidate) => candidate.id === photographerId);
    return photographer ?? null;
  }

  /** The job a gallery belongs to, deleted jobs included. */
  async jobOfGallery(galleryId: string): Promise<Job | null> {
    const job = this.data.jobs.find((candidate) => candidate.galleries.some((gallery) => gallery.id === galleryId));
    return job ?? null;
  }

  /** Usable while the data file can take the next change. */
  async readiness(): Promise<{ ready: boolean; detail: string }> {
    try {
      await access(this.filePath, constants.R_OK | constants.W_OK);
      await access(dirname(this.filePath), constants.W_OK);
      return { ready: true, detail: 'embedded platform' };
    } catch (error) {
      return { ready: false, detail: `PLATFORM_DATA ${this.filePath}: changes cannot be saved (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }

  applyChange(change: JobChange, options: EmbeddedApplyOptions): Promise<ChangeResult> {
    const result = this.queue.then(() => this.apply(change, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Applied changes still inside the idempotency window. */
  private recentChanges(now: Date): AppliedChange[] {
    return (this.data.appliedChanges ?? []).filter((applied) => now.getTime() - Date.parse(applied.at) < IDEMPOTENCY_WINDOW_MS);
  }

  private async apply(change: JobChange, { idempotencyKey, ifVersion }: EmbeddedApplyOptions): Promise<ChangeResult> {
    const now = new Date();
    const recent = this.recentChanges(now);
    const earlier = recent.find((applied) => applied.key === idempotencyKey);
    if (earlier !== undefined) {
      // Checked before anything else: a repeat answers as the first time did, even if the job moved on since.
      if (earlier.change !== changeFingerprint(change)) {
        throw new PlatformRefusedError('invalid-change', `Idempotency key "${idempotencyKey}" was used for another change.`);
      }
      return { before: earlier.before, after: earlier.after };
    }
    const before = this.jobsById.get(change.jobId);
    if (before === undefined) throw new PlatformRefusedError('not-found', `No job with the id "${change.jobId}".`);
    if (before.photographerId !== change.photographerId) {
      throw new PlatformRefusedError('not-owner', `Job "${change.jobId}" belongs to another photographer.`);
    }
    if (before.deleted) throw new PlatformRefusedError('job-deleted', `Job "${change.jobId}" was deleted.`);
    if (ifVersion !== undefined && ifVersion !== jobVersion(before)) {
      throw new PlatformRefusedError('job-changed', `Job "${change.jobId}" changed since version ${ifVersion} was read.`);
    }

    const after = structuredClone(before);
    switch (change.kind) {
      case 'reopen-job':
        if (!isIsoDate(change.archiveDate)) {
          throw new PlatformRefusedError('invalid-change', `"${change.archiveDate}" is not a calendar date written yyyy-MM-dd.`);
        }
        after.status = 'selling';
        after.archiving = { enabled: true, date: change.archiveDate };
        after.campaignActive = false;
        break;
      case 'set-selling':
        after.status = 'selling';
        break;
      case 'activate-code':
      case 'unhide-photos': {
        const gallery = after.galleries.find((candidate) => candidate.id === change.galleryId);
        if (gallery === undefined) {
          throw new PlatformRefusedError('invalid-change', `Gallery "${change.galleryId}" is not part of job "${change.jobId}".`);
        }
        if (change.kind === 'activate-code') gallery.activated = true;
        else for (const photo of gallery.photos) photo.hidden = false;
        break;
      }
      default: {
        const unknown: never = change;
        throw new PlatformRefusedError('invalid-change', `Unknown change ${JSON.stringify(unknown)}.`);
      }
    }

    // The change and its idempotency key are one write: a crash leaves both or neither.
    const next: PlatformData = {
      photographers: this.data.photographers,
      jobs: this.data.jobs.map((job) => (job.id === after.id ? after : job)),
      appliedChanges: [...recent, { key: idempotencyKey, change: changeFingerprint(change), at: now.toISOString(), before, after }],
    };
    try {
      await writeFileAtomically(this.filePath, `${JSON.stringify(next, null, 2)}\n`);
    } catch (error) {
      throw new PlatformUnavailableError(`PLATFORM_DATA ${this.filePath}: the change could not be saved (${(error as Error).message})`, {
        cause: error,
      });
    }
    // Only now, with the file written, does the change become visible.
    this.data = next;
    this.index();
    return { before, after };
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

/** Temp file in the same folder, fsync, rename over the target: readers see the old or the new file, never half. */
async function writeFileAtomically(filePath: string, content: string): Promise<void> {
  const folder = dirname(filePath);
  const temp = join(folder, `.${basename(filePath)}.${process.pid}.${randomUUID()}.tmp`);
  let renamed = false;
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, filePath);
    renamed = true;
    // Make the rename itself durable; not every platform can fsync a folder.
    const folderHandle = await open(folder, 'r').catch(() => null);
    if (folderHandle !== null) {
      await folderHandle.sync().catch(() => undefined);
      await folderHandle.close();
    }
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}
