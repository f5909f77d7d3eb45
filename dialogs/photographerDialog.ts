import { type Dialog } from '../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import type { Symptom } from '../src/domain/symptoms.js';
import type { MessageKey } from '../src/language/messages.js';
import { PlatformUnavailableError } from '../src/platform/port.js';
import { SCENARIO_INFO } from '../src/domain/scenarios.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import { turnOf } from '../src/bot/turn.js';
import { nextCodeCase } from '../src/bot/caseState.js';
import { formatAccessCode } from '../src/domain/accessCode.js';
import { readAsSentence } from './accessCodeDialog.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { choiceDialog } from './choiceDialog.js';
import type { DialogDependencies } from './dependencies.js';
import { HANDED_OVER, HANDOFF_DIALOG, type HandoffOptions, type HandoffReason, WITHDRAWN } from './escalation.js';
import { doItForMeWords, FIX_WALKTHROUGH_DIALOG, type WalkthroughOptions, type WalkthroughOutcome } from './fixWalkthroughDialog.js';
import { GUIDED_DIAGNOSIS_DIALOG } from './guidedDiagnosisDialog.js';
import { adoptInspection, inspect, type Inspection } from './inspection.js';
import { JOB_REFERENCE_DIALOG, type JobReference, type JobReferenceOptions, jobsNamedIn } from './jobReferenceDialog.js';
import { checkCodeFirst, photographerPlan } from './photographerPlan.js';
import { askSymptomUnlessKnown, SYMPTOM_DIALOG } from './symptomDialog.js';
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
  /**
   * The code or job is found but its data cannot say what the customer sees: ask that now,
   * then diagnose this reference again with the answer.
   */
  symptomFor?: JobReference;
  /** The next of several codes given at once: the case is that code's now. */
  nextCode?: boolean;
}

/**
 * The next of several codes given at once ("falscher Zugangscode bei GPF3HR8N und GPF7WQ2K"),
 * as a case of its own (what the customer sees is asked again where the data cannot tell).
 */
function startNextCode(step: WaterfallStep) {
  const turn = turnOf(step.context);
  turn.case = nextCodeCase(turn.case);
  turn.say({ text: turn.l.t('photographer.several.next', { code: formatAccessCode(turn.case.accessCode ?? '') }) });
  return step.replaceDialog(PHOTOGRAPHER_DIALOG, { nextCode: true } satisfies PhotographerOptions);
}

function isJobReference(value: unknown): value is JobReference {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** `offer-fix`: the customer's message does not fit the data, and the bot asked whether to fix the data's fault all the same. */
type Stage = 'walk' | 'support' | 'feedback' | 'offer-fix';

interface StepValues {
  stage: Stage;
  /** Why the case goes to a person on "yes" at the support stage. */
  support?: HandoffReason;
}

function fixModeDialog(recognizer: Recognizer) {
  return choiceDialog<'walk' | 'auto'>(FIX_MODE_DIALOG, {
    slot: 'step-result',
    question: ({ l }) => l.t('photographer.howToFix'),
    choices: ({ l }) => [
      { id: 'walk', label: l.t('photographer.walk') },
      { id: 'auto', label: l.t('photographer.auto'), also: doItForMeWords(l) },
    ],
    retry: ({ l }) => l.t('photographer.howToFix.retry'),
  }, recognizer);
}

/**
 * A photographer whose Teams or Slack account is linked: the bot reads their job's
 * data, explains the fault with the whole plan, then repairs it with them step by step
 * or, on their word, through the platform.
 */
export function photographerDialogs(deps: DialogDependencies): Dialog[] {
  const flow = new Waterfall(PHOTOGRAPHER_DIALOG, [
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const { codeOnly, reference, jobId, symptomFor } = step.options as PhotographerOptions;
      if (symptomFor !== undefined) return step.beginDialog(SYMPTOM_DIALOG, { lead: turn.l.t('photographer.dataCannotTell') });
      // A code or a job named in the message is where the data starts: what the customer sees
      // is asked only when that data cannot tell.
      if (codeOnly !== undefined || reference !== undefined || jobId !== undefined || turn.case.accessCode !== null) return step.next(turn.case.symptom);
      const me = linkedPhotographer(turn.identity)?.id;
      const named = me === undefined ? [] : await jobsNamedIn(deps, me, turn.input.text).catch(() => []);
      if (named.length > 0) return step.beginDialog(JOB_REFERENCE_DIALOG, { answer: turn.input.text } satisfies JobReferenceOptions);
      return askSymptomUnlessKnown(step);
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      if (isJobReference(step.result)) return step.next(step.result);
      turn.case.symptom = (step.result as Symptom | null | undefined) ?? null;
      const { codeOnly, reference, jobId, symptomFor } = step.options as PhotographerOptions;
      if (symptomFor !== undefined) return step.next(symptomFor);
      if (jobId !== undefined) return step.next({ kind: 'job', jobId } satisfies JobReference);
      const volunteered = codeOnly === undefined ? (reference ?? turn.case.accessCode) : null;
      const { nextCode } = step.options as PhotographerOptions;
      if (volunteered !== null && nextCode !== true && turn.case.moreCodes.length > 0) {
        turn.say({ text: turn.l.t('photographer.several.first', { count: turn.case.moreCodes.length + 1, code: formatAccessCode(volunteered) }) });
      }
      const options: JobReferenceOptions = volunteered !== null ? { answer: volunteered } : codeOnly !== undefined ? { codeOnly: true, lead: turn.l.t(codeOnly) } : {};
      return step.beginDialog(JOB_REFERENCE_DIALOG, options);
    },
    async (step: WaterfallStep) => {
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
      const { symptomFor } = step.options as PhotographerOptions;
      if (c.symptom === null && symptomFor === undefined && (diagnosis.unknownJobStatus !== null || SCENARIO_INFO[diagnosis.scenario].expectedSymptom === null)) {
        return step.replaceDialog(PHOTOGRAPHER_DIALOG, { symptomFor: reference } satisfies PhotographerOptions);
      }
      adoptInspection(turn, inspection);
      if (reference.kind === 'code') {
        const readAs = readAsSentence(turn, reference);
        if (readAs !== '') turn.say({ text: readAs });
      }
      turn.say(photographerPlan(l, diagnosis, { job: inspection.job, gallery: inspection.gallery, code: c.accessCode }));
      const values = step.values as StepValues;
      if (diagnosis.symptomMismatch) {
        // The customer's message belongs to another situation, yet the fault the data shows is real:
        // fixing it is offered, never started unasked.
        if (!checkCodeFirst(diagnosis, c.plan)) {
          values.stage = 'offer-fix';
          return step.beginDialog(CONFIRM_DIALOG, {
            question: 'photographer.mismatch.offerFix',
            yes: 'photographer.mismatch.fix',
            no: 'photographer.mismatch.wait',
          } satisfies YesNoOptions);
        }
        turn.say({ text: l.t('photographer.checkFirst') });
        values.stage = 'feedback';
        return step.next();
      }
      if (c.plan.every((planned) => planned.id === 'escalate-to-support')) {
        values.stage = 'support';
        values.support = diagnosis.unknownJobStatus !== null ? 'unknown-status' : 'no-known-cause';
        return step.beginDialog(CONFIRM_DIALOG, { question: 'notify.offerSupport', yes: 'notify.yes', no: 'notify.no' } satisfies YesNoOptions);
      }
      values.stage = 'walk';
      if (c.plan.some((planned) => planned.action !== null)) {
        // "… Verkauf verpasst bei MXR2 9PLT. Mach du, bis Ende Januar": asked for with the problem, not asked again.
        const auto = deps.recognizer.choice(turn.input.text, [{ id: 'auto', labels: doItForMeWords(l) }]);
        return auto === 'auto' ? step.next('auto') : step.beginDialog(FIX_MODE_DIALOG);
      }
      return step.next('walk');
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const values = step.values as StepValues;
      if (values.stage !== 'offer-fix') return step.next(step.result);
      if ((step.result as YesNo) === 'yes') {
        values.stage = 'walk';
        if (turn.case.plan.some((planned) => planned.action !== null)) return step.beginDialog(FIX_MODE_DIALOG);
        return step.next('walk');
      }
      turn.say({ text: turn.l.t('photographer.checkFirst') });
      values.stage = 'feedback';
      return step.next();
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const { stage, support } = step.values as StepValues;
      if (stage === 'walk') return step.beginDialog(FIX_WALKTHROUGH_DIALOG, { auto: step.result === 'auto' } satisfies WalkthroughOptions);
      if (stage === 'support') {
        if ((step.result as YesNo) === 'yes') return step.beginDialog(HANDOFF_DIALOG, { reason: support ?? 'no-known-cause' } satisfies HandoffOptions);
        turn.say({ text: turn.l.t('notify.declined') });
      }
      return step.next('done' satisfies WalkthroughOutcome);
    },
    async (step: WaterfallStep) => {
      // With a person now (or taken back): no "did this help?" for this code.
      if (step.result === HANDED_OVER || step.result === WITHDRAWN) return step.next(step.result);
      return step.beginDialog(FEEDBACK_DIALOG);
    },
    async (step: WaterfallStep) => {
      if (step.result !== WITHDRAWN && turnOf(step.context).case.moreCodes.length > 0) return startNextCode(step);
      return step.endDialog(step.result);
    },
  ]);
  return [flow, fixModeDialog(deps.recognizer)];
}
