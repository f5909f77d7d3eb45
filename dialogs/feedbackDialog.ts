import { type Dialog } from '../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import { turnOf } from '../src/bot/turn.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { HANDOFF_DIALOG, type HandoffOptions } from './escalation.js';
import { yesNoDialog, type YesNoOptions, type YesNo } from './yesNoDialogs.js';

export const FEEDBACK_DIALOG = 'feedback';
const FEEDBACK_QUESTION_DIALOG = 'feedback-question';

/** "Thanks!" to "did this help?" says yes. */
function helped(text: string, recognizer: Recognizer): YesNo | null {
  return recognizer.yesNo(text) ?? (recognizer.intent(text).intent === 'thanks' ? 'yes' : null);
}

const QUESTION: YesNoOptions = { question: 'feedback.question', yes: 'feedback.yes', no: 'feedback.no' };

/** "Did this help?" at the end of a case: thanks, or the case goes to support. */
export function feedbackDialogs(recognizer: Recognizer): Dialog[] {
  const flow = new Waterfall(FEEDBACK_DIALOG, [
    async (step: WaterfallStep) => step.beginDialog(FEEDBACK_QUESTION_DIALOG, QUESTION),
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      if ((step.result as YesNo) === 'no') return step.replaceDialog(HANDOFF_DIALOG, { reason: 'not-helped' } satisfies HandoffOptions);
      turn.say({ text: turn.l.t('feedback.thanks') });
      return step.endDialog();
    },
  ]);
  return [flow, yesNoDialog(FEEDBACK_QUESTION_DIALOG, 'feedback', 'feedback.retry', recognizer, (text) => helped(text, recognizer))];
}
