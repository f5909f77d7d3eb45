import type { MessageKey } from '../src/language/messages.js';
import { recognizeYesNo, type YesNo } from '../src/language/answers.js';
import type { Slot } from '../src/channels/replyModel.js';
import type { AskOptions } from './ask.js';
import { choiceDialog } from './choiceDialog.js';

export const CONFIRM_DIALOG = 'confirm';

export interface YesNoOptions extends AskOptions {
  question: MessageKey;
  yes: MessageKey;
  no: MessageKey;
}

export type { YesNo } from '../src/language/answers.js';

/** A yes/no question with its own button labels; answers that are neither are never taken for one. */
export function yesNoDialog(dialogId: string, slot: Slot, retry: MessageKey, understand: (text: string) => YesNo | null = recognizeYesNo) {
  return choiceDialog<YesNo, YesNoOptions>(dialogId, {
    slot,
    question: ({ l }, options) => l.t(options.question),
    choices: ({ l }, options) => [
      { id: 'yes', label: l.t(options.yes) },
      { id: 'no', label: l.t(options.no) },
    ],
    understand,
    retry: ({ l }) => l.t(retry),
  });
}

/** A yes/no before the bot acts on the person's behalf (notify, escalate, apply a fix). */
export const confirmDialog = yesNoDialog(CONFIRM_DIALOG, 'confirm', 'confirm.retry');
