import type { MessageKey } from '../src/language/messages.js';
import { matchChoice, recognizeYesNo } from '../src/language/recognizer.js';
import type { Slot } from '../src/channels/replyModel.js';
import { AskDialog, type AskOptions } from './ask.js';

export const CONFIRM_DIALOG = 'confirm';

export interface YesNoOptions extends AskOptions {
  question: MessageKey;
  yes: MessageKey;
  no: MessageKey;
}

export function yesNoDialog(dialogId: string, slot: Slot, retry: MessageKey): AskDialog<boolean, YesNoOptions> {
  return new AskDialog<boolean, YesNoOptions>(dialogId, {
    slot,
    question: ({ l }, options) => ({
      text: l.t(options.question),
      choices: [
        { id: 'yes', label: l.t(options.yes) },
        { id: 'no', label: l.t(options.no) },
      ],
    }),
    read: (text, { l, input }, options) => {
      const answer =
        matchChoice(input.choiceId ?? text, [
          { id: 'yes', labels: [l.t(options.yes)] },
          { id: 'no', labels: [l.t(options.no)] },
        ]) ?? recognizeYesNo(text);
      return answer === null ? { ok: false, retry: l.t(retry) } : { ok: true, value: answer === 'yes' };
    },
    // Three answers that are neither yes nor no: take it as a no and carry on.
    maxAttempts: 3,
    giveUp: () => false,
  });
}

/** A yes/no before the bot acts on the person's behalf (notify, escalate, apply a fix). */
export const confirmDialog = yesNoDialog(CONFIRM_DIALOG, 'confirm', 'confirm.retry');

