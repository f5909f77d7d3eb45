import { turnOf } from '../src/bot/turn.js';
import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import { addDays, suggestArchiveDates } from '../src/domain/archiveDate.js';
import { AskDialog } from './ask.js';
import { type ChosenDate, dateChoices, photographerToday, readArchiveDate } from './archiveDateAnswer.js';
import { APPLY_CHANGE_DIALOG, type ApplyChangeOptions } from './applyChangeDialog.js';
import type { DialogDependencies } from './dependencies.js';

export const REOPEN_JOB_DIALOG = 'reopen-job';

export interface ReopenJobOptions {
  /** The message that asked for the reopening, when it may hold the date too. */
  answer?: string;
}
const ARCHIVE_DATE_DIALOG = 'archive-date';

/**
 * Reopening an archived job, the mission's central fix: a new archive date (the next
 * Sundays suggested; typed, relative and picked dates understood; past, today and
 * impossible dates refused with the reason), then the confirmed change.
 */
export function reopenJobDialogs(deps: DialogDependencies): [Waterfall, AskDialog<ChosenDate>] {
  const archiveDate = new AskDialog<ChosenDate>(ARCHIVE_DATE_DIALOG, {
    slot: 'archive-date',
    question: (turn) => {
      const { l } = turn;
      const day = photographerToday(turn, deps.now);
      return {
        text: l.t('reopen.question'),
        choices: dateChoices(l, suggestArchiveDates(day)),
        dateInput: { min: addDays(day, 1), submitLabel: l.t('reopen.pick'), requiredMessage: l.t('reopen.pickRequired') },
      };
    },
    read: (text, turn) => readArchiveDate(text, turn, deps),
    // Only a date is an answer here; a question about the shop around it is answered when no date was found.
    strict: true,
    explainsRetries: true,
  }, deps.recognizer);

  const flow = new Waterfall(REOPEN_JOB_DIALOG, [
    async (step: WaterfallStep) => {
      // "Mach du, in 3 Wochen": a date said with "do it for me" answers the date question at once.
      const { answer } = (step.options ?? {}) as ReopenJobOptions;
      if (answer !== undefined) {
        const reading = readArchiveDate(answer, turnOf(step.context), deps);
        if (reading.ok) return step.next(reading.value);
        // A date that cannot be used ("bis gestern"): the question, with its reason.
        if (reading.understood === true) return step.beginDialog(ARCHIVE_DATE_DIALOG, { answer });
      }
      return step.beginDialog(ARCHIVE_DATE_DIALOG);
    },
    async (step: WaterfallStep) => {
      const chosen = step.result as ChosenDate;
      const options: ApplyChangeOptions = { action: 'reopen-job', archiveDate: chosen.date, warnings: chosen.warnings };
      return step.beginDialog(APPLY_CHANGE_DIALOG, options);
    },
    async (step: WaterfallStep) => step.endDialog(step.result),
  ]);
  return [flow, archiveDate];
}
