import type { Role } from '../src/channels/replyModel.js';
import { matchChoice, recognizeRole } from '../src/language/recognizer.js';
import { AskDialog } from './ask.js';

export const ROLE_DIALOG = 'role';

/**
 * Only for channels that carry no identity (the Emulator, tests, unknown channels). A
 * role chosen here shapes the wording; it never unlocks data or actions.
 */
export const roleDialog = new AskDialog<Role>(ROLE_DIALOG, {
  slot: 'role',
  question: ({ l }) => ({
    text: l.t('role.question'),
    choices: [
      { id: 'customer', label: l.t('role.customer') },
      { id: 'photographer', label: l.t('role.photographer') },
    ],
  }),
  read: (text, { l, input }) => {
    const role =
      matchChoice(input.choiceId ?? text, [
        { id: 'customer', labels: [l.t('role.customer')] },
        { id: 'photographer', labels: [l.t('role.photographer')] },
      ]) ?? recognizeRole(text);
    return role === null ? { ok: false, retry: l.t('role.retry') } : { ok: true, value: role };
  },
  maxAttempts: 3,
  // Assuming the customer is the safe side: the customer flow shows no job data.
  giveUp: () => 'customer',
});
