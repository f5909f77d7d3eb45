import { type Dialog, type DialogTurnResult } from '../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import { formatAccessCode } from '../src/domain/accessCode.js';
import { factsFromLookup, hiddenPhotos } from '../src/domain/facts.js';
import { diagnose, SCENARIO_INFO } from '../src/domain/scenarios.js';
import type { Symptom } from '../src/domain/symptoms.js';
import { nextCodeCase } from '../src/bot/caseState.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import type { Localizer } from '../src/language/messages.js';
import { minutesLeft } from '../src/security/codeLookupLimit.js';
import { type CustomerReport, reachableReference } from '../src/proactive/notices.js';
import { ACCESS_CODE_DIALOG, type CodeResult, readAsSentence } from './accessCodeDialog.js';
import type { DialogDependencies } from './dependencies.js';
import { HANDED_OVER, HANDOFF_DIALOG, type HandoffOptions, type HandoffReason, recordCase, tellRecorded } from './escalation.js';
import { greetingLead } from './greeting.js';
import { SYMPTOM_DIALOG } from './symptomDialog.js';
import { FEEDBACK_DIALOG } from './feedbackDialog.js';
import { AskDialog } from './ask.js';
import { customerNews } from './customerNews.js';
import { askedBeforeText, topicAnswer } from './sideTopics.js';
import { type YesNoOptions, type YesNo, yesNoQuestion } from './yesNoDialogs.js';

export const CUSTOMER_DIALOG = 'customer';
/** "Is that the message you see?" after a diagnosis the data alone gave. */
const SEEN_DIALOG = 'customer-seen';
/** "Shall I let the photographer know?" (or support) after the explanation. */
const OFFER_DIALOG = 'customer-offer';

/** Who the bot offers to pass the case to after explaining it: the photographer, or a person of support (and why). */
type Offer = 'photographer' | { support: HandoffReason } | null;

/**
 * Where the flow stands after the code: `predicted` the data said what the customer sees and
 * the bot asked whether it is so; `ask` the bot asked what they see (the data cannot say);
 * `recheck` they said it is not, and the bot asked what it is instead; `explain` the bot
 * explains now.
 */
type Stage = 'predicted' | 'ask' | 'recheck' | 'explain';

interface StepValues {
  code: CodeResult;
  stage: Stage;
  offer: Offer;
}

interface CustomerOptions {
  /** This case is the next of several codes the customer gave at once. */
  nextCode?: boolean;
}

/** The reported message as an ICU select key (`customer.mismatch` tells what each one means). */
const MISMATCH_ARGUMENT: Readonly<Record<Exclude<Symptom, 'other'>, string>> = {
  'missed-sale': 'missedSale',
  'almost-ready': 'almostReady',
  'incorrect-code': 'incorrectCode',
};

/** That the reported message belongs to another situation than the data shows for the code. */
function mismatchSentence(l: Localizer, reported: Exclude<Symptom, 'other'>, code: string): string {
  return l.t('customer.mismatch', { reported: MISMATCH_ARGUMENT[reported], message: l.t(`symptom.choice.${reported}`), code: formatAccessCode(code) });
}

const SEEN: YesNoOptions = { question: 'customer.seen.question', yes: 'customer.seen.yes', no: 'customer.seen.no' };

/** What the data alone says the customer sees, when it says it (a known status, a clear cause). */
function predictedSymptom(result: CodeResult): Symptom | null {
  const { lookup } = result;
  if (result.code === null || result.limitedUntil !== undefined || result.gaveUp || lookup === null || lookup.kind === 'unknown') return null;
  const diagnosis = diagnose(factsFromLookup(lookup), 'other');
  if (diagnosis.unknownJobStatus !== null) return null;
  return SCENARIO_INFO[diagnosis.scenario].expectedSymptom;
}

/** Whether the code was looked up and found (so what the customer sees can still tell something). */
function found(result: CodeResult): boolean {
  return result.code !== null && result.limitedUntil === undefined && !result.gaveUp && result.lookup !== null && result.lookup.kind !== 'unknown';
}

/**
 * Explains the diagnosis in the customer's words: what the message means for their
 * code and what happens next. Never job details for an unknown code, never anything
 * of another customer's. `predicted`: the customer has not said what they see; the data's
 * message is named so they can say whether it is so. When the message they describe is not
 * the one the data gives, both are said (what the data shows for their code, and that their
 * message belongs to another situation) and the offer is the one the data calls for;
 * `dataSaid`: the data's explanation was given already (before "is that the message you see?").
 */
function explain(turn: Turn, result: CodeResult, predicted: Symptom | null = null, dataSaid = false): Offer {
  const { l, case: c } = turn;
  // The diagnosis says which code it is about when the code was typed with look-alikes.
  const readAs = readAsSentence(turn, result);
  const probably = predicted === null || predicted === 'other' ? '' : l.t('customer.probablySees', { message: l.t(`symptom.choice.${predicted}`) });
  // `namesMessage`: the explanation quotes the shop's message itself, so "you probably see …" would say it twice.
  const say = (text: string, mismatch = '', namesMessage = false): void =>
    turn.say({ text: [readAs, dataSaid && mismatch !== '' ? '' : text, mismatch, namesMessage ? '' : probably].filter((part) => part !== '').join(' ') });
  if (result.code === null) {
    say(l.t('code.noneGiven'));
    return { support: 'no-code' };
  }
  if (result.limitedUntil !== undefined) {
    // Said the same whether the last code existed or not: the pause itself reveals nothing.
    say(l.t('customer.codeLimited', { minutes: minutesLeft(result.limitedUntil) }));
    return { support: 'code-limited' };
  }
  if (result.lookup === null) {
    say(l.t('customer.platformDown'));
    return { support: 'platform-down' };
  }
  if (result.gaveUp || result.lookup.kind === 'unknown') {
    c.scenario = 'unknown-code';
    say(l.t('code.giveUp'));
    return { support: 'wrong-codes' };
  }
  const lookup = result.lookup;
  const diagnosis = diagnose(factsFromLookup(lookup), c.symptom ?? 'other');
  c.scenario = diagnosis.scenario;
  c.secondary = diagnosis.secondary;
  c.jobId = lookup.job.id;
  c.photographerId = lookup.job.photographerId;

  const reported = diagnosis.reportedSymptom;
  const mismatch =
    diagnosis.symptomMismatch && reported !== 'other'
      ? mismatchSentence(l, reported, result.code)
      : '';
  if (diagnosis.unknownJobStatus !== null) {
    say(l.t('customer.cannot-diagnose'));
    return { support: 'unknown-status' };
  }
  switch (diagnosis.scenario) {
    case 'job-archived': {
      const date = lookup.job.archiving.date;
      if (diagnosis.secondary.length > 0) {
        // Not "that is what Missed the Sale? means": with the code off or the photos hidden, the shop may show another message.
        const faults = l.list(diagnosis.secondary.map((fault) => l.t(`customer.fault.${fault as 'code-not-activated'}`)));
        say(l.t('customer.job-archived.withMore', { date: date ? l.longDate(date) : 'none', faults }), mismatch);
        return 'photographer';
      }
      say(date ? l.t('customer.job-archived', { date: l.longDate(date) }) : l.t('customer.job-archived.noDate'), mismatch, true);
      return 'photographer';
    }
    case 'no-known-cause': {
      const { hidden, total } = lookup.kind === 'found' ? hiddenPhotos(lookup.gallery) : { hidden: 0, total: 0 };
      if (hidden === 0) {
        say(l.t('customer.no-known-cause'), mismatch);
        return null;
      }
      // Not "your photos are there": some are hidden, which only the photographer can change (and the bot can tell them).
      say(l.t('customer.someHidden', { hidden, total }), mismatch);
      return 'photographer';
    }
    default:
      // "Your photos are there" only when nothing else stands between the customer and them.
      say(l.t(`customer.${diagnosis.scenario}`, { photos: diagnosis.secondary.length === 0 ? 'ready' : 'other' }), mismatch);
      return SCENARIO_INFO[diagnosis.scenario].fixedBy === 'photographer' ? 'photographer' : { support: 'no-known-cause' };
  }
}

/** The customer's code of a job, and where this conversation can be told when the gallery opens. */
function customerReport(step: WaterfallStep, turn: Turn): CustomerReport | null {
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
  tellRecorded(turn, await recordCase(turn, deps, 'notify-photographer', `customer asked to notify the photographer; ${reason}`), 'notify.recorded');
}

/** The offer that follows an explanation, or the next code, or "did this help?". */
async function offerOrNext(step: WaterfallStep, explained: Offer, deps: DialogDependencies): Promise<DialogTurnResult> {
  const turn = turnOf(step.context);
  const jobId = turn.case.jobId;
  // A parent back with "any news?" who asked before is not asked again: the photographer's notice counts them already.
  const askedBefore = explained === 'photographer' && jobId !== null && (await deps.notices.askedBefore(jobId, turn.conversationId).catch(() => false));
  if (askedBefore) turn.say({ text: askedBeforeText(turn) });
  const offer = askedBefore ? null : explained;
  (step.values as StepValues).offer = offer;
  if (offer === null) return step.next();
  const options: YesNoOptions = {
    question: offer === 'photographer' ? 'notify.offerPhotographer' : 'notify.offerSupport',
    yes: 'notify.yes',
    no: 'notify.no',
  };
  return step.beginDialog(OFFER_DIALOG, options);
}

/**
 * The next of several codes given at once, as a case of its own (its own diagnosis and
 * record); the conversation so far stays in its transcript.
 */
function startNextCode(step: WaterfallStep): Promise<DialogTurnResult> {
  const turn = turnOf(step.context);
  turn.case = nextCodeCase(turn.case);
  turn.say({ text: turn.l.t('code.several.next', { code: formatAccessCode(turn.case.accessCode ?? '') }) });
  return step.replaceDialog(CUSTOMER_DIALOG, { nextCode: true } satisfies CustomerOptions);
}

/**
 * The customer flow of the design: symptom → access code → diagnosis → offer → feedback.
 * A code alone is enough: the symptom is asked first only when the message holds no code,
 * and after the lookup only when the data cannot say what the customer sees; otherwise the
 * bot says what they probably see and asks whether it is so. Several codes at once are
 * diagnosed one after the other, each as a case of its own, with one "did this help?" at the end.
 */
export function customerDialogs(deps: DialogDependencies): Dialog[] {
  const flow = new Waterfall(CUSTOMER_DIALOG, [
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      if (turn.case.symptom !== null || turn.case.accessCode !== null) return step.next(turn.case.symptom);
      return step.beginDialog(SYMPTOM_DIALOG, { lead: greetingLead(turn) });
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const symptom = step.result as Symptom | null;
      turn.case.symptom = symptom;
      const code = turn.case.accessCode;
      if (code !== null) {
        const { nextCode } = step.options as CustomerOptions;
        if (!nextCode && turn.case.moreCodes.length > 0) {
          const lead = greetingLead(turn);
          const several = turn.l.t('code.several.first', { count: turn.case.moreCodes.length + 1, code: formatAccessCode(code) });
          turn.say({ text: lead === '' ? several : `${lead} ${several}` });
        }
        return step.beginDialog(ACCESS_CODE_DIALOG, { answer: code });
      }
      const lead = [greetingLead(turn), symptom === null ? '' : turn.l.t(`symptom.ack.${symptom}`)].filter(Boolean).join(' ');
      return step.beginDialog(ACCESS_CODE_DIALOG, { lead });
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const values = step.values as StepValues;
      values.code = step.result as CodeResult;
      if (turn.case.symptom === null && found(values.code)) {
        const predicted = predictedSymptom(values.code);
        if (predicted !== null) {
          values.stage = 'predicted';
          values.offer = explain(turn, values.code, predicted);
          return step.beginDialog(SEEN_DIALOG, SEEN);
        }
        // Nothing in the data shows what is on their screen: now it is worth asking.
        values.stage = 'ask';
        const lead = [greetingLead(turn), readAsSentence(turn, values.code), turn.l.t('customer.codeFound')].filter(Boolean).join(' ');
        // Said here, so not again with the explanation.
        values.code = { ...values.code, readAs: false };
        return step.beginDialog(SYMPTOM_DIALOG, { lead });
      }
      values.stage = 'explain';
      return step.next();
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const values = step.values as StepValues;
      switch (values.stage) {
        case 'predicted': {
          const seen = step.result as Seen;
          const predicted = predictedSymptom(values.code);
          if (seen === 'yes' || seen === predicted) {
            turn.case.symptom = predicted;
            return offerOrNext(step, values.offer, deps);
          }
          if (seen === 'other') {
            // Another screen (a blank page): no shop message to explain; the data's explanation stands.
            values.stage = 'explain';
            turn.case.symptom = 'other';
            return offerOrNext(step, values.offer, deps);
          }
          if (seen !== 'no') {
            // They named another message: what it means for their code, as after "no" and the message.
            values.stage = 'explain';
            turn.case.symptom = seen;
            return offerOrNext(step, explain(turn, { ...values.code, readAs: false }, null, true), deps);
          }
          values.stage = 'recheck';
          return step.beginDialog(SYMPTOM_DIALOG, { lead: turn.l.t('customer.seen.instead') });
        }
        case 'ask':
          turn.case.symptom = step.result as Symptom;
          return offerOrNext(step, explain(turn, values.code), deps);
        default:
          return offerOrNext(step, explain(turn, values.code), deps);
      }
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const values = step.values as StepValues;
      if (values.stage !== 'recheck') return step.next(step.result);
      turn.case.symptom = step.result as Symptom;
      // What the data shows was said with the prediction: only what their message means is new.
      return offerOrNext(step, explain(turn, { ...values.code, readAs: false }, null, true), deps);
    },
    async (step: WaterfallStep) => {
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
      } else if (offer !== null) {
        // Support has the case then: asking whether this helped would be premature.
        if (agreed) return step.beginDialog(HANDOFF_DIALOG, { reason: offer.support } satisfies HandoffOptions);
        turn.say({ text: turn.l.t('notify.declined') });
      }
      if (turn.case.moreCodes.length > 0) return startNextCode(step);
      // Also after "nothing in the data explains it": its "no" hands the case to a person.
      return step.beginDialog(FEEDBACK_DIALOG);
    },
    async (step: WaterfallStep) => {
      // This code's case is with a person now; codes still to diagnose come next, each a case of its own.
      if (step.result === HANDED_OVER && turnOf(step.context).case.moreCodes.length > 0) return startNextCode(step);
      return step.endDialog(step.result);
    },
  ]);
  return [flow, seenDialog(deps), offerDialog(deps)];
}

/**
 * The offer after the explanation, a yes or no; another shop message named instead ("it
 * actually says incorrect access code") is what they see now: what it means for their code
 * is said, and the offer asked again.
 */
function offerDialog(deps: DialogDependencies): AskDialog<YesNo, YesNoOptions> {
  const yesNo = yesNoQuestion('confirm', 'confirm.retry', deps.recognizer);
  return new AskDialog<YesNo, YesNoOptions>(
    OFFER_DIALOG,
    {
      ...yesNo,
      sideAnswer: customerNews(deps),
      read: async (text, turn, options, attempt) => {
        const named = turn.input.choiceId === null ? deps.recognizer.symptom(text).symptom : 'other';
        const { accessCode, symptom } = turn.case;
        if (named === 'other' || named === symptom || accessCode === null) return yesNo.read(text, turn, options, attempt);
        const lookup = await deps.platform.lookupCode(accessCode).catch(() => null);
        if (lookup === null || lookup.kind === 'unknown') return yesNo.read(text, turn, options, attempt);
        turn.case.symptom = named;
        const { l } = turn;
        const said = diagnose(factsFromLookup(lookup), named).symptomMismatch
          ? mismatchSentence(l, named, accessCode)
          : topicAnswer(turn, 'what-next').text;
        return { ok: false, retry: `${said} ${l.t(options.question)}`, understood: true };
      },
    },
    deps.recognizer,
  );
}

/** The answer to "is that the message you see?": yes, no, or what they see instead (a shop message, another screen). */
type Seen = YesNo | Symptom;

/**
 * "Is that the message you see?" taking the shop message itself as an answer: "nein, da steht
 * Verkauf verpasst" says what they see more surely than its "nein" does; so does another
 * screen ("the page is just blank").
 */
function seenDialog(deps: DialogDependencies): AskDialog<Seen, YesNoOptions> {
  const yesNo = yesNoQuestion('symptom', 'customer.seen.retry', deps.recognizer);
  return new AskDialog<Seen, YesNoOptions>(
    SEEN_DIALOG,
    {
      ...yesNo,
      sideAnswer: customerNews(deps),
      read: (text, turn, options, attempt) => {
        if (turn.input.choiceId !== null) return yesNo.read(text, turn, options, attempt);
        const named = deps.recognizer.symptom(text).symptom;
        if (named !== 'other') return { ok: true, value: named };
        // "No, the page is just blank white": none of the three, and said which.
        return deps.recognizer.otherScreen(text) ? { ok: true, value: 'other' } : yesNo.read(text, turn, options, attempt);
      },
    },
    deps.recognizer,
  );
}
