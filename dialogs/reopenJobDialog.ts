import { WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { addDays, type ArchiveDateWarning, checkArchiveDate, isIsoDate, suggestArchiveDates, todayIn } from '../src/domain/archiveDate.js';
import type { ReplyChoice } from '../src/channels/replyModel.js';
import { parseArchiveDate } from '../src/language/dateParser.js';
import type { Localizer } from '../src/language/messages.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { type Answer, AskDialog } from './ask.js';
import { APPLY_CHANGE_DIALOG, type ApplyChangeOptions, type ApplyChangeResult } from './applyChangeDialog.js';
import type { DialogDependencies } from './dependencies.js';

export const REOPEN_JOB_DIALOG = 'reopen-job';
const ARCHIVE_DATE_DIALOG = 'archive-date';

interface ChosenDate {
  date: string;
  warnings: ArchiveDateWarning[];
}

/** The photographer's calendar day, in their own time zone. */
function today(turn: Turn, now: () => Date): string {
  return todayIn(linkedPhotographer(turn.identity)?.timeZone ?? 'UTC', now());
}

function dateChoices(l: Localizer, dates: readonly string[]): ReplyChoice[] {
  return dates.map((date) => ({ id: date, label: l.shortDate(date) }));
}

function listed(l: Localizer, dates: readonly string[]): string {
  return l.list(
    dates.map((date) => l.shortDate(date)),
    'or',
  );
}

/**
 * Reopening an archived job, the mission's central fix: a new archive date (the next
 * Sundays suggested; typed, relative and picked dates understood; past, today and
 * impossible dates refused with the reason), then the confirmed change.
 */
export function reopenJobDialogs(deps: DialogDependencies): [WaterfallDialog, AskDialog<ChosenDate | null>] {
  const archiveDate = new AskDialog<ChosenDate | null>(ARCHIVE_DATE_DIALOG, {
    slot: 'archive-date',
    question: (turn) => {
      const { l } = turn;
      const day = today(turn, deps.now);
      return {
        text: l.t('reopen.question'),
        choices: dateChoices(l, suggestArchiveDates(day)),
        dateInput: { min: addDays(day, 1), submitLabel: l.t('reopen.pick'), requiredMessage: l.t('reopen.pickRequired') },
      };
    },
    read: (text, turn): Answer<ChosenDate | null> => {
      const { l } = turn;
      const day = today(turn, deps.now);
      const picked = turn.input.choiceId !== null && isIsoDate(turn.input.choiceId) ? turn.input.choiceId : null;
      const reading = picked !== null ? { kind: 'date' as const, date: picked } : parseArchiveDate(text, l.locale, day);
      switch (reading.kind) {
        case 'none':
          return { ok: false, retry: l.t('reopen.noDate') };
        case 'impossible':
          return {
            ok: false,
            retry: l.t('reopen.impossible', { date: l.dayMonth(reading.day, reading.month), options: listed(l, reading.suggestions) }),
            choices: dateChoices(l, reading.suggestions),
          };
        case 'ambiguous':
          return { ok: false, retry: l.t('reopen.ambiguous', { options: listed(l, reading.options) }), choices: dateChoices(l, reading.options) };
        case 'date': {
          const verdict = checkArchiveDate(reading.date, day);
          if (verdict.kind === 'ok') return { ok: true, value: { date: verdict.date, warnings: verdict.warnings } };
          return { ok: false, retry: l.t(verdict.reason === 'past' ? 'reopen.past' : 'reopen.today', { date: l.longDate(reading.date) }) };
        }
      }
    },
    // Four answers without a date it can use: leave the job as it is and go on with the plan by hand.
    maxAttempts: 4,
    giveUp: () => null,
  });

  const flow = new WaterfallDialog(REOPEN_JOB_DIALOG, [
    async (step: WaterfallStepContext) => step.beginDialog(ARCHIVE_DATE_DIALOG),
    async (step: WaterfallStepContext) => {
      const chosen = step.result as ChosenDate | null;
      if (chosen === null) {
        turnOf(step.context).say({ text: turnOf(step.context).l.t('change.cancelled') });
        return step.endDialog({ applied: false } satisfies ApplyChangeResult);
      }
      const options: ApplyChangeOptions = { action: 'reopen-job', archiveDate: chosen.date, warnings: chosen.warnings };
      return step.beginDialog(APPLY_CHANGE_DIALOG, options);
    },
    async (step: WaterfallStepContext) => step.endDialog(step.result),
  ]);
  return [flow, archiveDate];
}
