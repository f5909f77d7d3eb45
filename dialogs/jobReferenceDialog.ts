import type { Job } from '../src/domain/platformModel.js';
import { PlatformUnavailableError } from '../src/platform/port.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import type { Turn } from '../src/bot/turn.js';
import { minutesLeft, requesterOf } from '../src/security/codeLookupLimit.js';
import { platformSpelling } from './accessCodeDialog.js';
import { type Answer, AskDialog, type AskOptions } from './ask.js';
import type { DialogDependencies } from './dependencies.js';

export const JOB_REFERENCE_DIALOG = 'job-reference';

/** What the photographer pointed at: a code (maybe unknown), or a job. */
export type JobReference =
  /** `code` as the platform spells it once found; `readAs` when that differs from how it was typed. */
  | { kind: 'code'; code: string; jobId: string | null; galleryId: string | null; readAs?: boolean }
  | { kind: 'job'; jobId: string }
  | { kind: 'unavailable' }
  /** Three answers that matched nothing: carry on without data. */
  | { kind: 'unresolved' };

export interface JobReferenceOptions extends AskOptions {
  /** Only an access code will do (the job alone could not explain the problem). */
  codeOnly?: boolean;
}

const MAX_JOB_CHOICES = 5;

/**
 * The photographer's live jobs a message names: the whole message as a job's id or a piece of
 * its name, else the ids and name pieces inside it (jobQueries), the job named by the most
 * telling pieces first. Empty when it names none; several when pieces fit several equally
 * ("Oak Lane" for two Oak Lane jobs).
 */
export async function jobsNamedIn(
  { platform, recognizer }: Pick<DialogDependencies, 'platform' | 'recognizer'>,
  photographerId: string,
  text: string,
): Promise<Job[]> {
  const whole = text.trim();
  if (whole === '') return [];
  const own = (jobs: Job[]): Job[] => jobs.filter((job) => job.photographerId === photographerId && !job.deleted);
  const direct = whole.length <= 200 ? own(await platform.findJobs(photographerId, whole)) : [];
  if (direct.length > 0) return direct;
  const score = new Map<string, { job: Job; score: number }>();
  for (const query of recognizer.jobQueries(text)) {
    for (const job of own(await platform.findJobs(photographerId, query.text))) {
      const entry = score.get(job.id) ?? { job, score: 0 };
      entry.score += query.weight;
      score.set(job.id, entry);
    }
  }
  const ranked = [...score.values()].sort((a, b) => b.score - a.score);
  const best = ranked[0]?.score ?? 0;
  return ranked.filter((entry) => entry.score === best).map((entry) => entry.job);
}

/**
 * For a photographer with data access: the customer's access code, or a job's name or
 * id. A code or job of another photographer gets exactly the answer of one that exists
 * nowhere: saying "not in your account" would tell that it exists.
 */
export function jobReferenceDialog(deps: DialogDependencies): AskDialog<JobReference, JobReferenceOptions> {
  const { platform, codeLookups, recognizer } = deps;
  async function read(text: string, turn: Turn, options: JobReferenceOptions): Promise<Answer<JobReference>> {
    const { l } = turn;
    const me = linkedPhotographer(turn.identity)?.id;
    if (me === undefined) return { ok: true, value: { kind: 'unavailable' } };
    const mine = (job: Job) => job.photographerId === me;

    const chosenJob = turn.input.choiceId === null ? null : await platform.getJob(turn.input.choiceId);
    if (chosenJob !== null && mine(chosenJob) && !chosenJob.deleted) return { ok: true, value: { kind: 'job', jobId: chosenJob.id } };

    // A token that looks like a code ("MXR2 9PLT"); the lenient reading also takes plain words ("Herbst 2026").
    const codeShaped = recognizer.accessCode(text);
    const code = recognizer.accessCodeAnswer(text);
    const person = requesterOf(turn, me);
    const blocked = code === null ? null : await codeLookups.blockedUntil(person);
    if (code !== null && blocked === null) {
      const lookup = await platform.lookupCode(code);
      if (lookup.kind !== 'unknown' && mine(lookup.job)) {
        const spelled = platformSpelling(lookup, code);
        turn.case.accessCode = spelled;
        const galleryId = lookup.kind === 'found' ? lookup.gallery.id : null;
        return { ok: true, value: { kind: 'code', code: spelled, jobId: lookup.job.id, galleryId, ...(spelled !== code ? { readAs: true } : {}) } };
      }
      // Unknown, or another studio's: the same to this person, and it counts as a guess.
      // Only code-shaped tokens count; plain words ("Herbst 2026") are job names, not guesses.
      const limitedUntil = codeShaped === null ? null : await codeLookups.failed(person);
      if (limitedUntil !== null) return { ok: false, retry: l.t('photographer.codeLimited', { minutes: minutesLeft(limitedUntil) }) };
    }
    if (!options.codeOnly) {
      const jobs = await jobsNamedIn(deps, me, text);
      if (jobs.length === 1 && jobs[0] !== undefined) return { ok: true, value: { kind: 'job', jobId: jobs[0].id } };
      if (jobs.length > 1) {
        return {
          ok: false,
          retry: l.t('photographer.whichJob'),
          choices: jobs.slice(0, MAX_JOB_CHOICES).map((job) => ({ id: job.id, label: job.name })),
        };
      }
    }
    if (blocked !== null) return { ok: false, retry: l.t('photographer.codeLimited', { minutes: minutesLeft(blocked) }) };
    if (codeShaped !== null) {
      // A code that exists nowhere is a diagnosis of its own (check it with the customer).
      turn.case.accessCode = codeShaped;
      return { ok: true, value: { kind: 'code', code: codeShaped, jobId: null, galleryId: null } };
    }
    return { ok: false, retry: l.t('photographer.notFound') };
  }

  return new AskDialog<JobReference, JobReferenceOptions>(JOB_REFERENCE_DIALOG, {
    slot: 'access-code',
    question: ({ l }, options) => ({ text: l.t(options.codeOnly ? 'code.questionPhotographer' : 'photographer.reference') }),
    read: async (text, turn, options) => {
      try {
        return await read(text, turn, options);
      } catch (error) {
        if (error instanceof PlatformUnavailableError) return { ok: true, value: { kind: 'unavailable' } };
        throw error;
      }
    },
    maxAttempts: 3,
    giveUp: () => ({ kind: 'unresolved' }),
  }, recognizer);
}
