import { WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { factsFromLookup } from '../src/domain/facts.js';
import { diagnose, SCENARIO_INFO } from '../src/domain/scenarios.js';
import type { Symptom } from '../src/domain/symptoms.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { minutesLeft } from '../src/security/codeLookupLimit.js';
import { type CustomerReport, reachableReference } from '../src/proactive/notices.js';
import { ACCESS_CODE_DIALOG, type CodeResult, readAsSentence } from './accessCodeDialog.js';
import type { DialogDependencies } from './dependencies.js';
import { recordCase } from './escalation.js';
import { greetingLead } from './greeting.js';
import { askSymptomUnlessKnown } from './symptomDialog.js';
import { FEEDBACK_DIALOG } from './feedbackDialog.js';
import { CONFIRM_DIALOG, type YesNoOptions, type YesNo } from './yesNoDialogs.js';

export const CUSTOMER_DIALOG = 'customer';

/** Who the bot offers to pass the case to after explaining it. */
type Offer = 'photographer' | 'support' | null;

interface StepValues {
  offer: Offer;
}

/**
 * Explains the diagnosis in the customer's words: what the message means for their
 * code and what happens next. Never job details for an unknown code, never anything
 * of another customer's.
 */
function explain(turn: Turn, result: CodeResult): Offer {
  const { l, case: c } = turn;
  // The diagnosis says which code it is about when the code was typed with look-alikes.
  const readAs = readAsSentence(turn, result);
  const say = (text: string): void => turn.say({ text: readAs === '' ? text : `${readAs} ${text}` });
  if (result.code === null) {
    say(l.t('code.noneGiven'));
    return 'support';
  }
  if (result.limitedUntil !== undefined) {
    // Said the same whether the last code existed or not: the pause itself reveals nothing.
    say(l.t('customer.codeLimited', { minutes: minutesLeft(result.limitedUntil) }));
    return 'support';
  }
  if (result.lookup === null) {
    say(l.t('customer.platformDown'));
    return 'support';
  }
  if (result.gaveUp || result.lookup.kind === 'unknown') {
    c.scenario = 'unknown-code';
    say(l.t('code.giveUp'));
    return 'support';
  }
  const lookup = result.lookup;
  const diagnosis = diagnose(factsFromLookup(lookup), c.symptom ?? 'other');
  c.scenario = diagnosis.scenario;
  c.secondary = diagnosis.secondary;
  c.jobId = lookup.job.id;
  c.photographerId = lookup.job.photographerId;

  if (diagnosis.symptomMismatch) {
    const expected = SCENARIO_INFO[diagnosis.scenario].expectedSymptom;
    const shown =
      expected === null || expected === 'other' ? l.t('customer.mismatch.none') : l.t('customer.mismatch.quote', { message: l.t(`symptom.choice.${expected}`) });
    say(l.t('customer.mismatch', { expected: shown }));
    return null;
  }
  if (diagnosis.unknownJobStatus !== null) {
    say(l.t('customer.cannot-diagnose'));
    return 'support';
  }
  switch (diagnosis.scenario) {
    case 'job-archived': {
      const date = lookup.job.archiving.date;
      say(date ? l.t('customer.job-archived', { date: l.longDate(date) }) : l.t('customer.job-archived.noDate'));
      return 'photographer';
    }
    case 'no-known-cause':
      say(l.t('customer.no-known-cause'));
      return null;
    default:
      // "Your photos are there" only when nothing else stands between the customer and them.
      say(l.t(`customer.${diagnosis.scenario}`, { photos: diagnosis.secondary.length === 0 ? 'ready' : 'other' }));
      return SCENARIO_INFO[diagnosis.scenario].fixedBy === 'photographer' ? 'photographer' : 'support';
  }
}

/** The customer's code of a job, and where this conversation can be told when the gallery opens. */
function customerReport(step: WaterfallStepContext, turn: Turn): CustomerReport | null {
  const c = turn.case;
  if (c.jobId === null || c.photographerId === null || c.accessCode === null || c.scenario === null) return null;
  return {
    jobId: c.jobId,
    photographerId: c.photographerId,
    conversationId: turn.conversationId,
    reference: reachableReference(step.context.activity),
    locale: c.locale,
    accessCode: c.accessCode,
    symptom: c.symptom,
    scenario: c.scenario,
    secondary: [...c.secondary],
  };
}

/**
 * The photographer is told in their own chat with the bot; one who never talked to the bot
 * (or whose channel refused the message) gets the case through support. Either way the
 * customer is told which of the two happened.
 */
async function tellPhotographer(turn: Turn, deps: DialogDependencies, report: CustomerReport | null): Promise<void> {
  const result =
    report === null
      ? null
      : await deps.notices.notifyPhotographer(report).catch((error: unknown) => {
          deps.logger.error('photographer notice failed', { error, jobId: report.jobId });
          return null;
        });
  if (result !== null && result.kind !== 'unreachable') {
    turn.case.stepsTried.push(`photographer notified (${result.waiting} waiting)`);
    turn.say({ text: turn.l.t('customer.notify.sent', { later: report?.reference === null ? 'no' : 'yes' }) });
    return;
  }
  const reason = result?.kind === 'unreachable' && result.reason === 'never-talked' ? 'the photographer has never talked to the bot' : 'the photographer could not be notified';
  const recorded = await recordCase(turn, deps, 'notify-photographer', `customer asked to notify the photographer; ${reason}`);
  turn.say({ text: turn.l.t(recorded ? 'notify.recorded' : 'escalation.failed') });
}

/** The customer flow of the design: symptom → access code → diagnosis → offer → feedback. */
export function customerDialog(deps: DialogDependencies): WaterfallDialog {
  return new WaterfallDialog(CUSTOMER_DIALOG, [
    askSymptomUnlessKnown,
    async (step: WaterfallStepContext) => {
      const turn = turnOf(step.context);
      const symptom = step.result as Symptom;
      turn.case.symptom = symptom;
      if (turn.case.accessCode !== null) return step.beginDialog(ACCESS_CODE_DIALOG, { answer: turn.case.accessCode });
      const lead = [greetingLead(turn), turn.l.t(`symptom.ack.${symptom}`)].filter(Boolean).join(' ');
      return step.beginDialog(ACCESS_CODE_DIALOG, { lead });
    },
    async (step: WaterfallStepContext) => {
      const turn = turnOf(step.context);
      const offer = explain(turn, step.result as CodeResult);
      (step.values as StepValues).offer = offer;
      if (offer === null) return step.next(false);
      const options: YesNoOptions = {
        question: offer === 'photographer' ? 'notify.offerPhotographer' : 'notify.offerSupport',
        yes: 'notify.yes',
        no: 'notify.no',
      };
      return step.beginDialog(CONFIRM_DIALOG, options);
    },
    async (step: WaterfallStepContext) => {
      const turn = turnOf(step.context);
      const { offer } = step.values as StepValues;
      const agreed = (step.result as YesNo) === 'yes';
      if (offer === 'photographer') {
        const report = customerReport(step, turn);
        if (agreed) await tellPhotographer(turn, deps, report);
        else {
          // Not passed on, yet told here when the gallery opens all the same.
          if (report !== null) await deps.notices.customerReported(report).catch((error: unknown) => deps.logger.error('customer report not kept', { error }));
          turn.say({ text: turn.l.t('notify.declined') });
        }
      } else if (offer === 'support') {
        if (agreed) {
          const recorded = await recordCase(turn, deps, 'escalation', 'customer asked to notify the support');
          turn.say({ text: turn.l.t(recorded ? 'notify.recordedSupport' : 'escalation.failed') });
          // Support has the case now: asking whether this helped would be premature.
          if (recorded) return step.endDialog();
        } else {
          turn.say({ text: turn.l.t('notify.declined') });
        }
      }
      return step.beginDialog(FEEDBACK_DIALOG);
    },
  ]);
}
