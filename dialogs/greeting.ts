import type { Turn } from '../src/bot/turn.js';

/** The greeting, said once per conversation, before the first question. */
export function greetingLead(turn: Turn): string {
  if (turn.case.greeted) return '';
  turn.case.greeted = true;
  return turn.l.t('greeting');
}
