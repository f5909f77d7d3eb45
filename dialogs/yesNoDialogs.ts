import type { MessageKey } from '../src/language/messages.js';
import type { YesNo } from '../src/language/answers.js';
import type { Recognizer } from '../src/language/recognizer.js';
import type { Slot } from '../src/channels/replyModel.js';
import type { Turn } from '../src/bot/turn.js';
import { AskDialog, type AskOptions, type AskSpec } from './ask.js';
import { choiceQuestion } from './choiceDialog.js';

export const CONFIRM_DIALOG = 'confirm';

export interface YesNoOptions extends AskOptions {
  question: MessageKey;
  yes: MessageKey;
  no: MessageKey;
}

export type { YesNo } from '../src/language/answers.js';

/** The question and reader of a yes/no with its own button labels, for a question that also understands more. */
export function yesNoQuestion(
  slot: Slot,
  retry: MessageKey,
  recognizer: Recognizer,
  understand: (text: string) => YesNo | null = (text) => recognizer.yesNo(text),
  /** A reason not to take an answer read from free text, said instead (see ChoiceSpec.refuse). */
  refuse?: (answer: YesNo, turn: Turn) => string | null,
): AskSpec<YesNo, YesNoOptions> {
  return choiceQuestion<YesNo, YesNoOptions>({
    slot,
    question: ({ l }, options) => l.t(options.question),
    choices: ({ l }, options) => [
      { id: 'yes', label: l.t(options.yes) },
      { id: 'no', label: l.t(options.no) },
    ],
    understand,
    ...(refuse === undefined ? {} : { refuse }),
    retry: ({ l }) => l.t(retry),
  }, recognizer);
}

/** A yes/no question with its own button labels; answers that are neither are never taken for one. */
export function yesNoDialog(
  dialogId: string,
  slot: Slot,
  retry: MessageKey,
  recognizer: Recognizer,
  understand?: (text: string) => YesNo | null,
  refuse?: (answer: YesNo, turn: Turn) => string | null,
): AskDialog<YesNo, YesNoOptions> {
  return new AskDialog(dialogId, yesNoQuestion(slot, retry, recognizer, understand, refuse), recognizer);
}

/** A yes/no before the bot acts on the person's behalf (notify, escalate, apply a fix). */
export function confirmDialog(recognizer: Recognizer) {
  return yesNoDialog(CONFIRM_DIALOG, 'confirm', 'confirm.retry', recognizer);
}
