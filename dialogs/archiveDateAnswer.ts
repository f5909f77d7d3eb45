import { addDays, type ArchiveDateWarning, checkArchiveDate, isIsoDate, todayIn } from '../src/domain/archiveDate.js';
import type { ReplyChoice } from '../src/channels/replyModel.js';
import type { Localizer } from '../src/language/messages.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import type { Turn } from '../src/bot/turn.js';
import type { Answer } from './ask.js';
import type { DialogDependencies } from './dependencies.js';

/** A new archive date the photographer chose, with what to warn about. */
export interface ChosenDate {
  date: string;
  warnings: ArchiveDateWarning[];
}

/** The photographer's calendar day, in their own time zone. */
export function photographerToday(turn: Turn, now: () => Date): string {
  return todayIn(linkedPhotographer(turn.identity)?.timeZone ?? 'UTC', now());
}

export function dateChoices(l: Localizer, dates: readonly string[]): ReplyChoice[] {
  return dates.map((date) => ({ id: date, label: l.shortDate(date) }));
}

/** "Monday, Nov 30 (tomorrow – very short notice) or Tuesday, Dec 1". */
function listed(l: Localizer, dates: readonly string[], today: string): string {
  const tomorrow = addDays(today, 1);
  return l.list(
    dates.map((date) => l.t('reopen.option', { date: l.weekdayDate(date), when: date === tomorrow ? 'tomorrow' : 'other' })),
    'or',
  );
}

/**
 * A typed, relative or picked archive date; past, today and impossible dates are refused
 * with the reason (and the dates meant, as buttons), a text without a date says so.
 */
export function readArchiveDate(text: string, turn: Turn, { now, recognizer }: Pick<DialogDependencies, 'now' | 'recognizer'>): Answer<ChosenDate> {
  const { l } = turn;
  const day = photographerToday(turn, now);
  const picked = turn.input.choiceId !== null && isIsoDate(turn.input.choiceId) ? turn.input.choiceId : null;
  const reading = picked !== null ? { kind: 'date' as const, date: picked } : recognizer.archiveDate(text, l.locale, day);
  switch (reading.kind) {
    case 'none':
      return { ok: false, retry: l.t('reopen.noDate') };
    case 'impossible':
      return {
        ok: false,
        retry: l.t('reopen.impossible', { date: l.dayMonth(reading.day, reading.month), options: listed(l, reading.suggestions, day) }),
        choices: dateChoices(l, reading.suggestions),
        understood: true,
      };
    case 'ambiguous':
      return { ok: false, retry: l.t('reopen.ambiguous', { options: listed(l, reading.options, day) }), choices: dateChoices(l, reading.options), understood: true };
    case 'date': {
      const verdict = checkArchiveDate(reading.date, day);
      if (verdict.kind === 'ok') return { ok: true, value: { date: verdict.date, warnings: verdict.warnings } };
      return { ok: false, retry: l.t(verdict.reason === 'past' ? 'reopen.past' : 'reopen.today', { date: l.longDate(reading.date) }), understood: true };
    }
  }
}
