import { type Dialog } from '../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { SCENARIO_INFO } from '../src/domain/scenarios.js';
import { isTopic } from '../src/language/intents.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { HANDOFF_DIALOG, type HandoffOptions } from './escalation.js';
import type { DialogDependencies } from './dependencies.js';
import { AskDialog } from './ask.js';
import { customerNews } from './customerNews.js';
import { topicAnswer } from './sideTopics.js';
import { type YesNoOptions, type YesNo, yesNoQuestion } from './yesNoDialogs.js';

export const FEEDBACK_DIALOG = 'feedback';
const FEEDBACK_QUESTION_DIALOG = 'feedback-question';

/**
 * "Thanks!" to "did this help?" says yes; "it still says Missed the Sale" (a shop message
 * still seen, asked about or not) says no, and the case goes to a person with what was
 * collected, unless the photographer has yet to act (see stillWaiting).
 */
function helped(text: string, recognizer: Recognizer): YesNo | null {
  const answer = recognizer.yesNo(text);
  // "Immer noch nichts?", "still nothing?": asked, it wants news, not a person.
  if (answer === 'no' && /\?\s*$/u.test(text) && isTopic(recognizer.intent(text).intent)) return null;
  if (answer !== null) return answer;
  const { intent } = recognizer.intent(text);
  if (intent === 'thanks') return 'yes';
  const { symptom, confidence } = recognizer.symptom(text);
  if (symptom === 'other') return null;
  // A question near a message's subject ("can you move the archive date?") is a question to answer, not "it still says".
  return intent === 'question' && confidence < NAMES_THE_MESSAGE ? null : 'no';
}

/** A symptom read from a whole phrase of the shop's message (see recognizeSymptom's confidence), not a word near it. */
const NAMES_THE_MESSAGE = 0.75;

const QUESTION: YesNoOptions = { question: 'feedback.question', yes: 'feedback.yes', no: 'feedback.no' };

/** "Did this help?" at the end of a case: thanks, or the case goes to support. */
export function feedbackDialogs(recognizer: Recognizer, deps: Pick<DialogDependencies, 'platform' | 'notices' | 'recognizer'>): Dialog[] {
  const flow = new Waterfall(FEEDBACK_DIALOG, [
    async (step: WaterfallStep) => step.beginDialog(FEEDBACK_QUESTION_DIALOG, QUESTION),
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      if ((step.result as YesNo) === 'no') return step.replaceDialog(HANDOFF_DIALOG, { reason: 'not-helped' } satisfies HandoffOptions);
      turn.say({ text: turn.l.t('feedback.thanks') });
      return step.endDialog();
    },
  ]);
  /**
   * "It still says Missed the Sale" while the photographer has yet to open the gallery is how
   * it stays until then, not a "no": what happens next, and the question again.
   */
  const stillWaiting = (answer: YesNo, turn: Turn): string | null => {
    const { input, case: c } = turn;
    if (answer !== 'no' || input.choiceId !== null || turn.identity.role !== 'customer' || c.scenario === null) return null;
    if (SCENARIO_INFO[c.scenario].fixedBy !== 'photographer' || recognizer.yesNo(input.text) !== null) return null;
    return `${topicAnswer(turn, 'what-next').text} ${turn.l.t('feedback.question')}`;
  };
  const question = yesNoQuestion('feedback', 'feedback.retry', recognizer, (text) => helped(text, recognizer), stillWaiting);
  return [flow, new AskDialog(FEEDBACK_QUESTION_DIALOG, { ...question, sideAnswer: customerNews(deps) }, recognizer)];
}
