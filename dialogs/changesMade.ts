import { formatAccessCode } from '../src/domain/accessCode.js';
import type { Turn } from '../src/bot/turn.js';

/**
 * What the bot changed on the platform in this case, as one sentence ("What I changed earlier
 * in this case stays as it is: code HWT4 BN7C activated."), or '' when it changed nothing. Said
 * when a later change is not made and when the case goes to support, so nobody takes "nothing
 * was changed" or "that didn't solve it" for the whole story.
 */
export function changesMadeSentence(turn: Turn): string {
  const { l, case: c } = turn;
  if (c.changesMade.length === 0) return '';
  const changes = c.changesMade.map((made) =>
    l.t(`change.made.${made.kind}`, { job: made.job, date: made.date === null ? '' : l.fullDate(made.date), code: formatAccessCode(made.code ?? '') }),
  );
  return l.t('change.earlier', { changes: l.list(changes) });
}
