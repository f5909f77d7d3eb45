import { formatAccessCode } from '../src/domain/accessCode.js';
import { type FixStep, fixPlan, galleryDetails } from '../src/domain/fixPlans.js';
import { hiddenPhotos } from '../src/domain/facts.js';
import type { Gallery, Job } from '../src/domain/platformModel.js';
import { type Diagnosis, SCENARIO_INFO } from '../src/domain/scenarios.js';
import type { Reply } from '../src/channels/replyModel.js';
import type { Localizer } from '../src/language/messages.js';

function symptomName(l: Localizer, symptom: string | null): string {
  return symptom === null || symptom === 'other' ? l.t('scenario.mismatch.none') : l.t(`symptom.choice.${symptom as 'almost-ready'}`);
}

/**
 * The customer's message belongs to another situation and the data shows nothing to fix
 * (the plan only hands over or tells the customer): checking the code comes first, and
 * support only when that does not help, so no plan is shown.
 */
export function checkCodeFirst(diagnosis: Diagnosis, plan: readonly FixStep[]): boolean {
  // A code in none of the photographer's jobs has nothing of theirs to repair either.
  if (diagnosis.symptomMismatch && diagnosis.scenario === 'unknown-code') return true;
  return diagnosis.symptomMismatch && plan.every((step) => step.id === 'escalate-to-support' || step.id === 'tell-customer');
}

/** What the data shows, when the bot has it: the job and the customer's code. */
export interface PlanContext {
  job?: Job | null;
  code?: string | null;
  gallery?: Gallery | null;
}

function primarySentence(l: Localizer, diagnosis: Diagnosis, { job, gallery }: PlanContext): string {
  if (diagnosis.unknownJobStatus !== null) return l.t('scenario.cannot-diagnose', { status: diagnosis.unknownJobStatus });
  if (diagnosis.scenario === 'no-known-cause' && diagnosis.undetermined.length > 0) return l.t('scenario.undetermined');
  if (diagnosis.scenario === 'job-archived' && job?.archiving.date) return l.t('photographer.archivedSince', { job: job.name, date: l.longDate(job.archiving.date) });
  if (diagnosis.scenario === 'no-known-cause' && gallery) {
    // Not "its photos are visible": some hidden ones may be the photos the customer misses.
    const { hidden, total } = hiddenPhotos(gallery);
    if (hidden > 0) return l.t('scenario.no-known-cause.someHidden', { hidden, total });
  }
  return l.t(`scenario.${diagnosis.scenario}`);
}

/** The diagnosis for a photographer: the exact platform terms and the whole ordered plan. */
export function photographerPlan(l: Localizer, diagnosis: Diagnosis, context: PlanContext = {}): Reply {
  const sentences = [primarySentence(l, diagnosis, context)];
  if (diagnosis.secondary.length > 0) {
    const faults = diagnosis.secondary.map((fault) => l.t(`fault.${fault as 'code-not-activated'}`));
    sentences.push(l.t('scenario.secondary', { count: faults.length, faults: l.list(faults) }));
  }
  if (diagnosis.symptomMismatch && diagnosis.scenario === 'unknown-code') {
    // Not in this photographer's jobs is all the bot may say: the code may be another photographer's, whose shop shows something else.
    sentences.push(l.t('scenario.mismatch.notInJobs', { reported: symptomName(l, diagnosis.reportedSymptom) }));
  } else if (diagnosis.symptomMismatch) {
    sentences.push(
      l.t('scenario.mismatch', {
        reported: symptomName(l, diagnosis.reportedSymptom),
        expected: symptomName(l, SCENARIO_INFO[diagnosis.scenario].expectedSymptom),
      }),
    );
  }
  const title = [context.job?.name, context.code ? l.t('photographer.codeLabel', { code: formatAccessCode(context.code) }) : undefined]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' · ');
  const titled = title === '' ? {} : { title };
  const plan = fixPlan(diagnosis, galleryDetails(context.gallery));
  if (checkCodeFirst(diagnosis, plan)) return { ...titled, text: sentences.join('\n\n') };
  const steps = plan.map((step) => l.t(`step.${step.id}`));
  sentences.push(l.t('plan.title', { plan: diagnosis.scenario === 'job-archived' ? 'reopen' : 'fix', count: steps.length }));
  return { ...titled, text: sentences.join('\n\n'), steps };
}

/** The fix of a shop message whose cause no data tells (an unlinked account, the platform down): what it means, then its steps. */
export function messagePlan(l: Localizer, steps: readonly FixStep[]): Reply {
  const texts = steps.map((step) => l.t(`step.${step.id}`));
  return { text: [l.t('guided.incorrect-code'), l.t('plan.title', { plan: 'fix', count: texts.length })].join('\n\n'), steps: texts };
}
