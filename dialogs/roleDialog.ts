import type { Role } from '../src/domain/roles.js';
import { recognizeRole } from '../src/language/answers.js';
import { choiceDialog } from './choiceDialog.js';

export const ROLE_DIALOG = 'role';

/**
 * Only for channels that carry no identity (the Emulator, tests, unknown channels). A
 * role chosen here shapes the wording; it never unlocks data or actions.
 */
export const roleDialog = choiceDialog<Role>(ROLE_DIALOG, {
  slot: 'role',
  question: ({ l }) => l.t('role.question'),
  choices: ({ l }) => [
    { id: 'customer', label: l.t('role.customer') },
    { id: 'photographer', label: l.t('role.photographer') },
  ],
  understand: recognizeRole,
  retry: ({ l }) => l.t('role.retry'),
});
