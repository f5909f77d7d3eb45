import { SYMPTOMS, type Symptom } from '../src/domain/symptoms.js';
import type { ReplyChoice } from '../src/channels/replyModel.js';
import type { Localizer } from '../src/language/messages.js';
import type { Recognizer } from '../src/language/recognizer.js';
import type { DialogTurnResult } from '../src/bot/dialogKit.js';
import type { WaterfallStep } from '../src/bot/waterfall.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { greetingLead } from './greeting.js';
import { AskDialog } from './ask.js';

export const SYMPTOM_DIALOG = 'symptom';

export function symptomChoices(l: Localizer): ReplyChoice[] {
  return SYMPTOMS.map((symptom) => ({
    id: symptom,
    label: l.t(`symptom.choice.${symptom}`),
    ...(symptom === 'other' ? {} : { picture: { symptom, caption: l.t(`shop.${symptom}`), alt: l.t(`shop.alt.${symptom}`) } }),
  }));
}

/** A symptom read from a whole phrase of the shop's message (see recognizeSymptom's confidence), not from "doesn't work" beside "code". */
const QUOTES_THE_MESSAGE = 0.75;

/** A description of "something else" has a few real words; "hi", "??" or "asdf" is not one. */
function describesSomething(text: string): boolean {
  return (text.match(/\p{L}{2,}/gu) ?? []).length >= 3;
}

/**
 * Remembers what a person volunteered before being asked: the shop message and the
 * access code, so those questions are skipped.
 */
export function noteVolunteered(turn: Turn, text: string, recognizer: Recognizer): void {
  if (turn.case.symptom === null) {
    const { symptom, confidence } = recognizer.symptom(text);
    // "My code doesn't work" may come with any of the three messages: before the data is seen,
    // only the message itself counts, and with a code the bot asks whether it shows what the data says.
    const doesNotWork = symptom === 'incorrect-code' && confidence < QUOTES_THE_MESSAGE;
    // "The gallery opens but it's empty" has told what they see: none of the three messages.
    if ((symptom !== 'other' && !doesNotWork) || recognizer.otherScreen(text)) turn.case.symptom = symptom;
  }
  noteCodes(turn, recognizer.accessCodes(text));
}

/** Most codes taken from one message: each becomes a case of its own. */
const MAX_CODES = 5;

/**
 * Codes a person gave before being asked for one: the first is the case's, the others wait
 * their turn (each is diagnosed after the one before). A case that has its code keeps it.
 */
export function noteCodes(turn: Turn, codes: readonly string[]): void {
  if (codes.length === 0 || turn.case.accessCode !== null) return;
  const [first, ...rest] = codes.slice(0, MAX_CODES);
  turn.case.accessCode = first ?? null;
  turn.case.moreCodes = rest;
}

/**
 * What the person sees, or null: a customer's code alone, before any other, answers too
 * (the data then says what they probably see, as for a first message with only a code).
 */
export function symptomDialog(recognizer: Recognizer): AskDialog<Symptom | null> {
  return new AskDialog<Symptom | null>(SYMPTOM_DIALOG, {
    slot: 'symptom',
    question: ({ l, case: c }) => ({
      text: l.t(c.role === 'photographer' ? 'symptom.questionPhotographer' : 'symptom.question'),
      choices: symptomChoices(l),
    }),
    read: (text, turn) => {
      const choices = symptomChoices(turn.l).map(({ id, label }) => ({ id, labels: [label] }));
      const chosen = recognizer.choice(turn.input.choiceId ?? text, choices);
      const firstCode = turn.case.accessCode === null;
      noteCodes(turn, recognizer.accessCodes(text));
      if (chosen !== null) return { ok: true, value: chosen as Symptom };
      const { symptom } = recognizer.symptom(text);
      if (symptom !== 'other' || recognizer.otherScreen(text)) return { ok: true, value: symptom };
      // "I want a refund" describes no screen: it is answered as what it is, not taken for "something else".
      if (describesSomething(text) && recognizer.intent(text).intent === null) return { ok: true, value: symptom };
      if (firstCode && turn.case.accessCode !== null && turn.case.role === 'customer') return { ok: true, value: null };
      return { ok: false, retry: turn.l.t('symptom.retry') };
    },
    // A shop message named comes first ("it says missed the sale, can I still order?"); other topics after it.
    strict: true,
  }, recognizer);
}

/** The first step of every flow: the symptom, unless the person already said it. */
export async function askSymptomUnlessKnown(step: WaterfallStep): Promise<DialogTurnResult> {
  const turn = turnOf(step.context);
  if (turn.case.symptom !== null) return step.next(turn.case.symptom);
  return step.beginDialog(SYMPTOM_DIALOG, { lead: greetingLead(turn) });
}
