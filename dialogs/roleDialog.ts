import type { Role } from '../src/domain/roles.js';
import type { Recognizer } from '../src/language/recognizer.js';
import { choiceDialog } from './choiceDialog.js';

export const ROLE_DIALOG = 'role';

/**
 * Only for channels that carry no identity (the Emulator, tests, unknown channels). A
 * role chosen here shapes the wording; it never unlocks data or actions.
 */
export function roleDialog(recognizer: Recognizer) {
  return choiceDialog<Role>(ROLE_DIALOG, {
    slot: 'role',
    question: ({ l }) => l.t('role.question'),
    choices: ({ l }) => [
      { id: 'customer', label: l.t('role.customer') },
      { id: 'photographer', label: l.t('role.photographer') },
    ],
    understand: (text) => recognizer.role(text),
    retry: ({ l }) => l.t('role.retry'),
  }, recognizer);
}
