import { factsFromGallery, factsFromLookup, normalizeJobStatus, UNKNOWN_FACTS } from '../src/domain/facts.js';
import { fixPlan, galleryDetails } from '../src/domain/fixPlans.js';
import type { Gallery, Job } from '../src/domain/platformModel.js';
import { type Diagnosis, diagnose } from '../src/domain/scenarios.js';
import type { PlatformPort } from '../src/platform/port.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import type { Turn } from '../src/bot/turn.js';

/** What the platform says about the case's code or job right now. */
export interface Inspection {
  diagnosis: Diagnosis;
  job: Job | null;
  gallery: Gallery | null;
}

/**
 * Looks the case's code (or, without a code, its job) up again and diagnoses it. Run
 * before a plan is made and after it is carried out, so the bot never trusts old data.
 * Throws PlatformUnavailableError when the platform can't answer. A code of another
 * photographer's job is a code that exists nowhere, as far as this photographer learns.
 */
export async function inspect(platform: PlatformPort, turn: Turn): Promise<Inspection> {
  const c = turn.case;
  const symptom = c.symptom ?? 'other';
  if (c.accessCode !== null && c.galleryId !== null && c.jobId !== null) {
    const job = await platform.getJob(c.jobId);
    const gallery = job?.galleries.find((candidate) => candidate.id === c.galleryId) ?? null;
    if (job !== null && gallery !== null && !job.deleted) return { diagnosis: diagnose(factsFromGallery(job.status, gallery), symptom), job, gallery };
  }
  if (c.accessCode !== null) {
    const found = await platform.lookupCode(c.accessCode);
    const mine = found.kind === 'unknown' || found.job.photographerId === linkedPhotographer(turn.identity)?.id;
    const lookup = mine ? found : ({ kind: 'unknown' } as const);
    const diagnosis = diagnose(factsFromLookup(lookup), symptom);
    return lookup.kind === 'found'
      ? { diagnosis, job: lookup.job, gallery: lookup.gallery }
      : { diagnosis, job: lookup.kind === 'retired' ? lookup.job : null, gallery: null };
  }
  const job = c.jobId === null ? null : await platform.getJob(c.jobId);
  if (job === null) return { diagnosis: diagnose({ ...UNKNOWN_FACTS, code: 'unknown' }, symptom), job: null, gallery: null };
  return { diagnosis: diagnose({ ...UNKNOWN_FACTS, jobStatus: normalizeJobStatus(job.status) }, symptom), job, gallery: null };
}

/** Takes the inspection into the case: scenario, secondary faults and a fresh plan. */
export function adoptInspection(turn: Turn, { diagnosis, job, gallery }: Inspection): void {
  const c = turn.case;
  c.scenario = diagnosis.scenario;
  c.secondary = diagnosis.secondary;
  c.jobId = job?.id ?? null;
  c.galleryId = gallery?.id ?? null;
  c.plan = fixPlan(diagnosis, galleryDetails(gallery));
  c.done = [];
  c.step = null;
}
