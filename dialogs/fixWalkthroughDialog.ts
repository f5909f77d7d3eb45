import { type Dialog, type DialogTurnResult } from '../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import { formatAccessCode } from '../src/domain/accessCode.js';
import { hiddenPhotos } from '../src/domain/facts.js';
import type { FixStep, PlatformAction } from '../src/domain/fixPlans.js';
import type { Job } from '../src/domain/platformModel.js';
import type { Localizer } from '../src/language/messages.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import type { AskOptions } from './ask.js';
import { changesMadeSentence } from './changesMade.js';
import { choiceDialog } from './choiceDialog.js';
import { APPLY_CHANGE_DIALOG, type ApplyChangeOptions, type ApplyChangeResult } from './applyChangeDialog.js';
import type { DialogDependencies } from './dependencies.js';
import { HANDED_OVER, HANDOFF_DIALOG, type HandoffOptions } from './escalation.js';
import { adoptInspection, inspect, type Inspection } from './inspection.js';
import { photographerPlan } from './photographerPlan.js';
import { tellWaitingCustomers } from './waitingCustomers.js';
import { REOPEN_JOB_DIALOG, type ReopenJobOptions } from './reopenJobDialog.js';

export const FIX_WALKTHROUGH_DIALOG = 'fix-walkthrough';
const STEP_RESULT_DIALOG = 'step-result';
const STEP_OFFER_DIALOG = 'step-offer';

export interface WalkthroughOptions {
  /** "Do it for me": steps the platform can do are applied (each after its confirmation). */
  auto: boolean;
}

/** How the walk-through ended: verified in the data, handed to a person, or all done by hand. */
export type WalkthroughOutcome = 'fixed' | typeof HANDED_OVER | 'done';

/** Scenarios whose repair happens outside the data (the customer's typing, new cards): nothing to verify. */
const UNVERIFIABLE = new Set(['unknown-code', 'code-from-deleted-job']);

type StepResult = 'done' | 'failed' | 'auto';

interface StepResultOptions extends AskOptions {
  step: FixStep;
  index: number;
}

/** The answer to "shall I do this step for you?" after it did not work by hand. */
type OfferAnswer = 'auto' | 'support' | 'done';

/** How many codes of the job's list are named at most; the rest is "…". */
const CODES_NAMED = 3;

/**
 * A case about a job without a customer's code: only the job is known to be fine, so no
 * "nothing blocks the gallery". Codes of the job still switched off are counted and named.
 */
function jobLevelVerdict(l: Localizer, job: Job): string {
  const inactive = job.galleries.filter((gallery) => !gallery.activated).map((gallery) => formatAccessCode(gallery.accessCode));
  const named = inactive.slice(0, CODES_NAMED);
  const codes = inactive.length > CODES_NAMED ? `${named.join(', ')}, …` : l.list(named);
  return l.t('walk.fixedJob', { inactive: inactive.length, codes });
}

/** Nothing in the data blocks the gallery any more, and none of its photos is hidden (a plan may be about those alone). */
function opensNow({ diagnosis, gallery }: Inspection): boolean {
  return diagnosis.scenario === 'no-known-cause' && diagnosis.secondary.length === 0 && (gallery === null || hiddenPhotos(gallery).hidden === 0);
}

/** "Mach du", "faites-le": how people ask the bot to do it, besides the buttons' own words. */
export function doItForMeWords(l: Localizer): string[] {
  return [l.t('walk.auto'), l.t('photographer.auto'), ...l.t('walk.autoWords').split(', ')];
}

function nextOpenStep(turn: Turn): { step: FixStep; index: number } | null {
  const index = turn.case.plan.findIndex((step) => !turn.case.done.includes(step.id));
  const step = turn.case.plan[index];
  return step === undefined ? null : { step, index };
}

/** Every step the platform carried out with this action is done. */
function markApplied(turn: Turn, action: PlatformAction): void {
  for (const step of turn.case.plan) if (step.action === action && !turn.case.done.includes(step.id)) turn.case.done.push(step.id);
}

function stepResultDialog(recognizer: Recognizer) {
  return choiceDialog<StepResult, StepResultOptions>(STEP_RESULT_DIALOG, {
    slot: 'step-result',
    question: ({ l, case: c }, { step, index }) => ({
      title: l.t('walk.title', { step: index + 1, steps: c.plan.length }),
      text: l.t(`step.${step.id}`),
      progress: { step: index + 1, steps: c.plan.length },
    }),
    choices: ({ l }, { step }) => [
      // "Fertig", "c'est fait", "klaar": how people say done besides the button's word, listed in the locale.
      { id: 'done', label: l.t('walk.done'), also: l.t('walk.doneWords').split(', ') },
      { id: 'failed', label: l.t('walk.failed') },
      { id: 'auto', label: l.t('walk.auto'), also: doItForMeWords(l), hidden: step.action === null },
    ],
    understand: (text) => {
      const yesNo = recognizer.yesNo(text);
      return yesNo === 'yes' ? 'done' : yesNo === 'no' ? 'failed' : null;
    },
    refuse: (id, { l }, { step }) => (id === 'auto' && step.action === null ? l.t('walk.manualOnly') : null),
    retry: ({ l }, { step }) => l.t(step.action === null ? 'walk.retryManual' : 'walk.retry'),
  }, recognizer);
}

/**
 * A step the platform can do did not work by hand: the bot offers to do it (the change is
 * summarised and confirmed as always). The step card's own buttons still answer here.
 */
function stepOfferDialog(recognizer: Recognizer) {
  return choiceDialog<OfferAnswer, StepResultOptions>(STEP_OFFER_DIALOG, {
    slot: 'step-result',
    question: ({ l, case: c }, { index }) => ({
      title: l.t('walk.title', { step: index + 1, steps: c.plan.length }),
      text: l.t('walk.offerAuto'),
      progress: { step: index + 1, steps: c.plan.length },
    }),
    choices: ({ l }) => [
      { id: 'auto', label: l.t('walk.auto'), also: doItForMeWords(l) },
      { id: 'support', label: l.t('walk.toSupport'), also: [l.t('walk.failed')] },
      // "Done" on the step card, pressed after all: the step is done.
      { id: 'done', label: l.t('walk.done'), hidden: true },
    ],
    understand: (text) => {
      const yesNo = recognizer.yesNo(text);
      return yesNo === 'yes' ? 'auto' : yesNo === 'no' ? 'support' : null;
    },
    retry: ({ l }) => l.t('walk.offerAuto.retry'),
  }, recognizer);
}

/**
 * One step at a time ("step 2 of 4") with "done", "didn't work" and, where the platform
 * can do it, "do it for me". "Didn't work" looks at the data again: a new explanation
 * gets one new plan; a step the platform can do is offered to be done; anything else goes
 * to support. It never loops.
 */
export function fixWalkthroughDialogs(deps: DialogDependencies): Dialog[] {
  /** Looks again: fixed, or a changed picture gets one new plan, or a step the platform can do is offered, or the case is handed to a person. */
  async function lookAgain(
    step: WaterfallStep,
    turn: Turn,
    reason: 'step-failed' | 'still-blocked',
    failed?: { step: FixStep; index: number },
    known?: Inspection,
  ): Promise<DialogTurnResult> {
    const { l, case: c } = turn;
    // A platform that can't answer now can't confirm anything: support takes over.
    const inspection = known ?? (await inspect(deps.platform, turn).catch(() => null));
    // Nothing blocks the gallery any more, whatever the last step felt like: it is fixed.
    const fixed = inspection !== null && opensNow(inspection);
    // A case the data never explained is not fixed by looking again, unless its plan was to show hidden photos.
    const repairable = c.scenario !== 'no-known-cause' || c.plan.some((planned) => planned.id === 'unhide-photos');
    if (fixed && repairable) {
      turn.say({ text: inspection.gallery === null && inspection.job !== null ? jobLevelVerdict(l, inspection.job) : l.t('walk.fixed') });
      await tellCustomersOfTheJob(turn);
      return step.endDialog('fixed' satisfies WalkthroughOutcome);
    }
    const changed =
      inspection !== null &&
      !fixed &&
      (inspection.diagnosis.scenario !== c.scenario || inspection.diagnosis.secondary.join() !== c.secondary.join() || reason === 'still-blocked');
    if (inspection !== null && changed && c.replans < 1) {
      c.replans += 1;
      turn.say({ text: l.t(reason === 'still-blocked' ? 'walk.stillBlocked' : 'walk.nextExplanation') });
      adoptInspection(turn, inspection);
      turn.say(photographerPlan(l, inspection.diagnosis, { job: inspection.job, gallery: inspection.gallery, code: c.accessCode }));
      return step.replaceDialog(FIX_WALKTHROUGH_DIALOG, { auto: false } satisfies WalkthroughOptions);
    }
    if (failed !== undefined && failed.step.action !== null) {
      // The platform can do what did not work by hand: offered before support takes the case.
      return step.beginDialog(STEP_OFFER_DIALOG, { ...failed, continuesQuestion: c.questionId } satisfies StepResultOptions);
    }
    return escalate(step, turn, reason);
  }

  /** Nothing left the bot can do: a person takes over, with everything tried (the handoff ends the walk-through). */
  async function escalate(step: WaterfallStep, turn: Turn, reason: 'step-failed' | 'still-blocked'): Promise<DialogTurnResult> {
    // The person who takes it over is told; the photographer still hears what the bot changed in it.
    const changes = changesMadeSentence(turn);
    turn.case.step = null;
    return step.replaceDialog(HANDOFF_DIALOG, { reason, ...(changes === '' ? {} : { afterRecorded: changes }) } satisfies HandoffOptions);
  }

  /** Tells the job's waiting customers whose code opens now, and the photographer how many. */
  async function tellCustomersOfTheJob(turn: Turn): Promise<void> {
    const jobId = turn.case.jobId;
    if (jobId === null) return;
    const told = await tellWaitingCustomers(deps, turn, jobId);
    if (told > 0) turn.say({ text: turn.l.t('change.customersTold', { count: told }) });
  }

  function beginAction(step: WaterfallStep, action: PlatformAction) {
    if (action === 'reopen-job') return step.beginDialog(REOPEN_JOB_DIALOG, { answer: turnOf(step.context).input.text } satisfies ReopenJobOptions);
    return step.beginDialog(APPLY_CHANGE_DIALOG, { action } satisfies ApplyChangeOptions);
  }

  const walkthrough = new Waterfall(FIX_WALKTHROUGH_DIALOG, [
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const open = nextOpenStep(turn);
      if (open === null) {
        turn.case.step = null;
        turn.say({ text: turn.l.t('walk.allDone') });
        if (UNVERIFIABLE.has(turn.case.scenario ?? '')) return step.endDialog('done' satisfies WalkthroughOutcome);
        return lookAgain(step, turn, 'still-blocked');
      }
      if (open.step.id === 'tell-customer') {
        // Only a gallery the data shows open is announced: after steps "done" that changed nothing, the bot looks again instead.
        const inspection = await inspect(deps.platform, turn).catch(() => null);
        if (inspection !== null && !opensNow(inspection)) {
          return lookAgain(step, turn, 'still-blocked', undefined, inspection);
        }
        await tellCustomersOfTheJob(turn);
        // The customers who asked here know already: nobody to ask the photographer to tell.
        if (turn.case.customersTold > 0) {
          turn.case.done.push(open.step.id);
          turn.case.stepsTried.push(`${open.step.id}: ${turn.case.customersTold} told by the bot`);
          return step.replaceDialog(FIX_WALKTHROUGH_DIALOG, step.options);
        }
      }
      turn.case.step = open.index + 1;
      const { auto } = step.options as WalkthroughOptions;
      if (auto && open.step.action !== null) return step.next('auto' satisfies StepResult);
      return step.beginDialog(STEP_RESULT_DIALOG, open satisfies StepResultOptions);
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const open = nextOpenStep(turn);
      if (open === null) return step.replaceDialog(FIX_WALKTHROUGH_DIALOG, step.options);
      switch (step.result as StepResult) {
        case 'done':
          turn.case.done.push(open.step.id);
          turn.case.stepsTried.push(`${open.step.id}: done by hand`);
          return step.replaceDialog(FIX_WALKTHROUGH_DIALOG, step.options);
        case 'failed':
          turn.case.stepsTried.push(`${open.step.id}: did not work`);
          return lookAgain(step, turn, 'step-failed', open);
        case 'auto':
          if (open.step.action === null) throw new Error(`"do it for me" reached the manual step ${open.step.id}`);
          return beginAction(step, open.step.action);
      }
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const open = nextOpenStep(turn);
      const result = step.result as ApplyChangeResult | OfferAnswer;
      if (typeof result !== 'string') return step.next(result);
      if (open === null) return step.replaceDialog(FIX_WALKTHROUGH_DIALOG, step.options);
      switch (result) {
        case 'auto':
          if (open.step.action === null) throw new Error(`"do it for me" was offered for the manual step ${open.step.id}`);
          return beginAction(step, open.step.action);
        case 'done':
          turn.case.done.push(open.step.id);
          turn.case.stepsTried.push(`${open.step.id}: done by hand`);
          return step.replaceDialog(FIX_WALKTHROUGH_DIALOG, step.options);
        case 'support':
          return escalate(step, turn, 'step-failed');
      }
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const open = nextOpenStep(turn);
      const { applied } = step.result as ApplyChangeResult;
      if (applied && open?.step.action) markApplied(turn, open.step.action);
      // After a cancelled or refused change, the same step is asked by hand.
      return step.replaceDialog(FIX_WALKTHROUGH_DIALOG, { auto: applied && (step.options as WalkthroughOptions).auto } satisfies WalkthroughOptions);
    },
  ]);
  return [walkthrough, stepResultDialog(deps.recognizer), stepOfferDialog(deps.recognizer)];
}
