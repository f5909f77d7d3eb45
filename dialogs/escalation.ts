import { type Dialog } from '../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import { supportAvailability } from '../src/domain/supportHours.js';
import type { CaseKind, CaseRecord, NewCase } from '../src/handoff/caseRecord.js';
import { queueHandoffInitiation } from '../src/handoff/openHandoff.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import { reachableReference } from '../src/proactive/notices.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import type { MessageKey } from '../src/language/messages.js';
import { minutesLeft, requesterOf } from '../src/security/requester.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { foldText } from '../src/language/textFolding.js';
import { type Answer, AskDialog } from './ask.js';
import type { DialogDependencies } from './dependencies.js';

export const HANDOFF_DIALOG = 'handoff';
const EMAIL_DIALOG = 'handoff-email';

/**
 * Why a case goes to a person; kept as the case's reason (the ticket says it) and choosing
 * what the person is told once it is recorded.
 */
export type HandoffReason =
  /** They asked for a person ("agent", the button). */
  | 'requested'
  /** "No" to "did this help?". */
  | 'not-helped'
  /** The customer's code matched nothing, three times. */
  | 'wrong-codes'
  /** The job has a status the bot does not know: it cannot diagnose. */
  | 'unknown-status'
  /** Nothing in the data explains it. */
  | 'no-known-cause'
  /** The customer gave no code, so nothing could be checked. */
  | 'no-code'
  /** Too many codes of this person matched nothing lately: no lookups for a while. */
  | 'code-limited'
  /** The platform could not be reached to check the code. */
  | 'platform-down'
  /** A photographer's "didn't work" left nothing the bot can do. */
  | 'step-failed'
  /** Every step done, the data still shows the gallery blocked. */
  | 'still-blocked';

export interface HandoffOptions {
  reason: HandoffReason;
  /** Said after "recorded" once the case is with a person (what the bot changed on the way). */
  afterRecorded?: string;
}

/** What the handoff dialog ends with, so a flow that handed over ends too (no "did this help?"). */
export const HANDED_OVER = 'escalated';
/** How the handoff ends when the customer takes the request for a person back at the e-mail question. */
export const WITHDRAWN = 'withdrawn';

/** What the person hears once the case is recorded, by why it went to a person. */
const RECORDED_KEY: Record<HandoffReason, MessageKey> = {
  requested: 'escalation.requested',
  'not-helped': 'escalation.recorded',
  'no-known-cause': 'notify.recordedSupport',
  'wrong-codes': 'notify.recordedSupport',
  'unknown-status': 'notify.recordedSupport',
  'no-code': 'notify.recordedSupport',
  'code-limited': 'notify.recordedSupport',
  'platform-down': 'notify.recordedSupport',
  'step-failed': 'walk.escalated',
  'still-blocked': 'walk.escalated',
};

/** How recording a case went, for the words the person gets. */
export type RecordedCase =
  /** A new case. */
  | { outcome: 'recorded'; record: CaseRecord }
  /** The person's open case of this matter (kind, symptom, code) had it already: this conversation was added to it. */
  | { outcome: 'added'; record: CaseRecord }
  /** The person opened NEW_CASES_PER_HOUR cases lately; nothing was recorded. */
  | { outcome: 'limited'; until: Date }
  /** The outbox could not be written. */
  | { outcome: 'failed' };

/**
 * Records the case durably with everything collected so far, for a person to act on. One
 * person has one open case per matter (kind, symptom and access code): asking again (a new
 * chat, "restart", a second "agent") adds what is new to it instead of opening another,
 * and new cases are limited per hour, so nobody can bury the support team in copies.
 */
export async function recordCase(
  turn: Turn,
  { outbox, logger, newCases }: DialogDependencies,
  kind: CaseKind,
  reason: string,
  extra: Pick<NewCase, 'email' | 'reference'> = {},
): Promise<RecordedCase> {
  const c = turn.case;
  const who = requesterOf(turn, linkedPhotographer(turn.identity)?.id);
  const transcript = [...c.transcript, ...turn.replies.map((reply) => ({ from: 'bot' as const, text: reply.text, at: new Date().toISOString() }))];
  /** Adds the lines the open case does not have yet (those after its last one). */
  const addTo = async (open: CaseRecord): Promise<RecordedCase> => {
    const last = open.transcript.at(-1)?.at ?? '';
    const lines = transcript.filter((line) => line.at > last);
    for (const line of lines) await outbox.append(open.id, line);
    const steps = c.stepsTried.filter((tried) => !open.stepsTried.includes(tried));
    await outbox.addStepsTried(open.id, steps);
    logger.info('case added to the open case', { caseId: open.id, kind, reason, lines: lines.length, steps: steps.length, channel: turn.channelId });
    return { outcome: 'added', record: { ...open, transcript: [...open.transcript, ...lines], stepsTried: [...open.stepsTried, ...steps] } };
  };
  try {
    const matter = { kind, symptom: c.symptom, accessCode: c.accessCode };
    const open = await outbox.openCase(who.person, matter);
    if (open !== null) return await addTo(open);
    const until = await newCases.take(who);
    if (until !== null) {
      logger.warn('new case refused: too many lately', { kind, reason, channel: turn.channelId });
      return { outcome: 'limited', until };
    }
    const newCase = {
      kind,
      reason,
      role: c.role,
      channel: turn.channelId,
      conversationId: turn.conversationId,
      locale: c.locale,
      symptom: c.symptom,
      scenario: c.scenario,
      secondary: [...c.secondary],
      accessCode: c.accessCode,
      jobId: c.jobId,
      photographerId: c.photographerId,
      stepsTried: [...c.stepsTried],
      transcript,
      ...extra,
    };
    let record: CaseRecord;
    try {
      record = await outbox.record(newCase, who.person);
    } catch (error) {
      // Another turn of the same person opened it a moment ago (the outbox's unique index).
      const raced = await outbox.openCase(who.person, matter);
      if (raced === null) throw error;
      return await addTo(raced);
    }
    // The e-mail address, like the access code, never goes into the log.
    logger.info('case recorded', { caseId: record.id, kind, reason, scenario: c.scenario, channel: turn.channelId, email: record.email === undefined ? 'not asked' : record.email === null ? 'skipped' : 'given' });
    return { outcome: 'recorded', record };
  } catch (error) {
    logger.error('case could not be recorded', { error, kind, reason });
    return { outcome: 'failed' };
  }
}

/**
 * Tells the person how recording went: `recordedKey` for a new case, the open case it was
 * added to, the pause after too many, or that it could not be recorded. True when the
 * request is with people now (new, added, or the earlier ones of a paused person).
 */
export function tellRecorded(turn: Turn, result: RecordedCase, recordedKey: MessageKey): boolean {
  const { l } = turn;
  switch (result.outcome) {
    case 'recorded':
      turn.say({ text: l.t(recordedKey) });
      return true;
    case 'added':
      turn.say({ text: l.t('case.addedToOpen') });
      return true;
    case 'limited':
      turn.say({ text: l.t('case.limited', { minutes: minutesLeft(result.until) }) });
      return true;
    case 'failed':
      turn.say({ text: l.t('escalation.failed') });
      return false;
  }
}

/** "Someone will answer today", or when support opens next, in the person's language and the hours' time zone. */
export function whenPeopleAnswer(turn: Turn, { supportHours, now }: Pick<DialogDependencies, 'supportHours' | 'now'>): string | null {
  if (supportHours === undefined || supportHours === null) return null;
  const availability = supportAvailability(supportHours, now());
  return availability.open ? turn.l.t('handoff.hours.open') : turn.l.t('handoff.hours.next', { ...turn.l.momentIn(availability.opensAt, supportHours.timeZone, now()) });
}

/** Words that decline to give an address, in the four languages ("no" is recognised like any no). */
const SKIP_WORDS = new Set([
  ...['skip', 'none', 'no email', 'no e mail'],
  ...['uberspringen', 'keine', 'keine email', 'keine e mail'],
  ...['passer', 'aucune', 'pas d email', 'pas d e mail'],
  ...['overslaan', 'geen', 'geen email', 'geen e mail'],
]);

/**
 * An address a customer writes before being asked for one ("ja graag, mijn email is …") is
 * the one support writes to: kept as the case's contact, so the handoff does not ask again.
 * True when it was kept now.
 */
export function noteVolunteeredEmail(turn: Turn, recognizer: Recognizer): boolean {
  if (turn.identity.role !== 'customer' || turn.case.contact !== null || turn.case.awaiting === 'email') return false;
  const [email, ...others] = recognizer.emailAddresses(turn.input.text);
  if (email === undefined || others.length > 0) return false;
  turn.case.contact = { email };
  return true;
}

/** What the e-mail question got: an address, none ("skip", "no"), or the request for a person taken back. */
export type EmailAnswer = { kind: 'address'; email: string } | { kind: 'none' } | { kind: 'withdrawn' };

/** Reads an answer to "which e-mail address?": one of the three, or what to ask again. */
export function readEmailAnswer(text: string, turn: Turn, recognizer: Recognizer): Answer<EmailAnswer> {
  if (turn.input.choiceId === 'skip') return { ok: true, value: { kind: 'none' } };
  const addresses = recognizer.emailAddresses(text);
  if (addresses.length === 1) return { ok: true, value: { kind: 'address', email: addresses[0]! } };
  // "jane@… or jdoe@…, whichever": the bot does not pick one; it asks which, not "that doesn't look like an address".
  if (addresses.length > 1) return { ok: false, retry: turn.l.t('handoff.email.which', { emails: turn.l.list(addresses, 'or') }), understood: true };
  if (recognizer.withdraws(text)) return { ok: true, value: { kind: 'withdrawn' } };
  const folded = foldText(text).replace(/[^a-z0-9]+/g, ' ').trim();
  if (SKIP_WORDS.has(folded) || recognizer.yesNo(text) === 'no') return { ok: true, value: { kind: 'none' } };
  return { ok: false, retry: turn.l.t('handoff.email.retry') };
}

/**
 * Hands the case to a person, the one way every trigger takes (asking for a person, "no" to
 * "did this help?", three wrong codes, a diagnosis the bot cannot make, a fix that did not
 * work): for a customer, first an e-mail address to reach them by (skippable); then the case
 * is recorded, the channel gets the handoff event, and until the person closes it what they
 * write is added to the case.
 */
export function handoffDialogs(deps: DialogDependencies): Dialog[] {
  const flow = new Waterfall(HANDOFF_DIALOG, [
    async (step: WaterfallStep) => {
      const { case: c } = turnOf(step.context);
      if (c.role !== 'customer') return step.next(undefined);
      // Asked once per conversation: a later handoff (the next code's, say) uses the answer given.
      if (c.contact !== null) return step.next(undefined);
      return step.beginDialog(EMAIL_DIALOG);
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const { reason, afterRecorded } = step.options as HandoffOptions;
      let email: string | null | undefined;
      if (turn.case.role === 'customer') {
        const known = turn.case.contact;
        const answer = step.result as EmailAnswer | null | undefined;
        if (known === null && answer?.kind === 'withdrawn') {
          // Nothing is recorded and nobody is asked to answer; the flow that asked for a person ends with it.
          turn.say({ text: turn.l.t('handoff.email.withdrawn') });
          return step.endDialog(WITHDRAWN);
        }
        email = known !== null ? known.email : answer?.kind === 'address' ? answer.email : null;
        if (known === null && email === null) turn.say({ text: turn.l.t('handoff.email.skipped') });
        turn.case.contact = { email };
      }
      // Named back, whether just typed or given before: a typo shows now, not when no answer ever comes.
      const writesTo = typeof email === 'string' ? email : null;
      // Where the ticket's reference can be told later, once the helpdesk gives one.
      const reference = reachableReference(step.context.activity);
      const result = await recordCase(turn, deps, 'escalation', reason, email === undefined ? { reference } : { email, reference });
      if (tellRecorded(turn, result, RECORDED_KEY[reason]) && afterRecorded !== undefined) turn.say({ text: afterRecorded });
      if (result.outcome === 'recorded' || result.outcome === 'added') {
        if (writesTo !== null) turn.say({ text: turn.l.t('handoff.email.known', { email: writesTo }) });
        const when = whenPeopleAnswer(turn, deps);
        if (when !== null) turn.say({ text: when });
        turn.case.handoffCaseId = result.record.id;
        turn.case.handoffOpenedAt = deps.now().toISOString();
        queueHandoffInitiation(step.context, result.record);
      }
      return step.endDialog(HANDED_OVER);
    },
  ]);
  const emailQuestion = new AskDialog<EmailAnswer | null>(EMAIL_DIALOG, {
    slot: 'email',
    question: ({ l }) => ({ text: l.t('handoff.email.question'), choices: [{ id: 'skip', label: l.t('handoff.email.skip') }] }),
    read: (text, turn) => readEmailAnswer(text, turn, deps.recognizer),
    // The case is on its way to a person already: anything but an address is asked about once more, then skipped.
    sideTopics: false,
    // Three answers that are no address: the case goes on without one rather than looping.
    maxAttempts: 3,
    giveUp: () => null,
  }, deps.recognizer);
  return [flow, emailQuestion];
}
