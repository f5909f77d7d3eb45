import { type Dialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Symptom } from '../src/domain/symptoms.js';
import type { MessageKey } from '../src/language/messages.js';
import { PlatformUnavailableError } from '../src/platform/port.js';
import { turnOf } from '../src/bot/turn.js';
import { readAsSentence } from './accessCodeDialog.js';
import { choiceDialog } from './choiceDialog.js';
import type { DialogDependencies } from './dependencies.js';
import { recordCase } from './escalation.js';
import { FIX_WALKTHROUGH_DIALOG, type WalkthroughOptions, type WalkthroughOutcome } from './fixWalkthroughDialog.js';
import { GUIDED_DIAGNOSIS_DIALOG } from './guidedDiagnosisDialog.js';
import { adoptInspection, inspect, type Inspection } from './inspection.js';
import { JOB_REFERENCE_DIALOG, type JobReference, type JobReferenceOptions } from './jobReferenceDialog.js';
import { photographerPlan } from './photographerPlan.js';
import { askSymptomUnlessKnown } from './symptomDialog.js';
import { FEEDBACK_DIALOG } from './feedbackDialog.js';
import { CONFIRM_DIALOG, type YesNoOptions, type YesNo } from './yesNoDialogs.js';

export const PHOTOGRAPHER_DIALOG = 'photographer';
const FIX_MODE_DIALOG = 'fix-mode';

export interface PhotographerOptions {
  /** Ask for an access code only, with this lead (the job alone could not explain it). */
  codeOnly?: MessageKey;
  /** The customer's code to work on, already known (a notice's "fix it now" button): read before asking. */
  reference?: string;
  /** The photographer's own job to work on (a notice's button without a waiting customer's code). */
  jobId?: string;
}

type Stage = 'walk' | 'support' | 'feedback';

interface StepValues {
  stage: Stage;
}

const fixModeDialog = choiceDialog<'walk' | 'auto'>(FIX_MODE_DIALOG, {
  slot: 'step-result',
  question: ({ l }) => l.t('photographer.howToFix'),
  choices: ({ l }) => [
    { id: 'walk', label: l.t('photographer.walk') },
    { id: 'auto', label: l.t('photographer.auto'), also: [l.t('walk.auto')] },
  ],
  retry: ({ l }) => l.t('walk.retry'),
});

/**
 * A photographer whose Teams or Slack account is linked: the bot reads their job's
 * data, explains the fault with the whole plan, then repairs it with them step by step
 * or, on their word, through the platform.
 */
export function photographerDialogs(deps: DialogDependencies): Dialog[] {
  const flow = new WaterfallDialog(PHOTOGRAPHER_DIALOG, [
    askSymptomUnlessKnown,
    async (step: WaterfallStepContext) => {
      const turn = turnOf(step.context);
      turn.case.symptom = step.result as Symptom;
      const { codeOnly, reference, jobId } = (step.options ?? {}) as PhotographerOptions;
      if (jobId !== undefined) return step.next({ kind: 'job', jobId } satisfies JobReference);
      const volunteered = codeOnly === undefined ? (reference ?? turn.case.accessCode) : null;
      const options: JobReferenceOptions = volunteered !== null ? { answer: volunteered } : codeOnly !== undefined ? { codeOnly: true, lead: turn.l.t(codeOnly) } : {};
      return step.beginDialog(JOB_REFERENCE_DIALOG, options);
    },
    async (step: WaterfallStepContext) => {
      const turn = turnOf(step.context);
      const { l, case: c } = turn;
      const reference = step.result as JobReference;
      if (reference.kind === 'unavailable' || reference.kind === 'unresolved') {
        turn.say({ text: l.t(reference.kind === 'unavailable' ? 'photographer.platformDown' : 'photographer.fromAnswers') });
        return step.replaceDialog(GUIDED_DIAGNOSIS_DIALOG);
      }
      c.accessCode = reference.kind === 'code' ? reference.code : null;
      c.jobId = reference.jobId;
      c.galleryId = reference.kind === 'code' ? reference.galleryId : null;
      let inspection: Inspection;
      try {
        inspection = await inspect(deps.platform, turn);
      } catch (error) {
        if (!(error instanceof PlatformUnavailableError)) throw error;
        turn.say({ text: l.t('photographer.platformDown') });
        return step.replaceDialog(GUIDED_DIAGNOSIS_DIALOG);
      }
      const { diagnosis } = inspection;
      // A Selling job alone explains nothing: the fault is in one customer's gallery.
      if (reference.kind === 'job' && diagnosis.scenario === 'no-known-cause' && diagnosis.unknownJobStatus === null) {
        return step.replaceDialog(PHOTOGRAPHER_DIALOG, { codeOnly: 'photographer.jobNeedsCode' } satisfies PhotographerOptions);
      }
      adoptInspection(turn, inspection);
      if (reference.kind === 'code') {
        const readAs = readAsSentence(turn, reference);
        if (readAs !== '') turn.say({ text: readAs });
      }
      turn.say(photographerPlan(l, diagnosis, { job: inspection.job, code: c.accessCode }));
      const values = step.values as StepValues;
      if (diagnosis.symptomMismatch) {
        turn.say({ text: l.t('photographer.checkFirst') });
        values.stage = 'feedback';
        return step.next();
      }
      if (c.plan.every((planned) => planned.id === 'escalate-to-support')) {
        values.stage = 'support';
        return step.beginDialog(CONFIRM_DIALOG, { question: 'notify.offerSupport', yes: 'notify.yes', no: 'notify.no' } satisfies YesNoOptions);
      }
      values.stage = 'walk';
      if (c.plan.some((planned) => planned.action !== null)) return step.beginDialog(FIX_MODE_DIALOG);
      return step.next('walk');
    },
    async (step: WaterfallStepContext) => {
      const turn = turnOf(step.context);
      const { stage } = step.values as StepValues;
      if (stage === 'walk') return step.beginDialog(FIX_WALKTHROUGH_DIALOG, { auto: step.result === 'auto' } satisfies WalkthroughOptions);
      if (stage === 'support') {
        if ((step.result as YesNo) === 'yes') {
          const recorded = await recordCase(turn, deps, 'escalation', 'nothing in the data explains it');
          turn.say({ text: turn.l.t(recorded ? 'notify.recordedSupport' : 'escalation.failed') });
          return step.endDialog();
        }
        turn.say({ text: turn.l.t('notify.declined') });
      }
      return step.next('done' satisfies WalkthroughOutcome);
    },
    async (step: WaterfallStepContext) => {
      if ((step.result as WalkthroughOutcome) === 'escalated') return step.endDialog();
      return step.beginDialog(FEEDBACK_DIALOG);
    },
  ]);
  return [flow, fixModeDialog];
}
