import { Waterfall, type WaterfallStep } from '../src/bot/waterfall.js';
import type { ArchiveDateWarning } from '../src/domain/archiveDate.js';
import { formatAccessCode } from '../src/domain/accessCode.js';
import type { Job, JobWithoutGalleries } from '../src/domain/platformModel.js';
import type { PlatformAction } from '../src/domain/fixPlans.js';
import type { ReplyFact } from '../src/channels/replyModel.js';
import type { Localizer, MessageKey } from '../src/language/messages.js';
import { changeFingerprint, changeIdempotencyKey, type JobChange, PlatformRefusedError, PlatformUnavailableError } from '../src/platform/port.js';
import { linkedPhotographer } from '../src/bot/identity.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import type { DialogDependencies } from './dependencies.js';
import { type Answer, AskDialog, type AskOptions } from './ask.js';
import { type ChosenDate, readArchiveDate } from './archiveDateAnswer.js';
import { changesMadeSentence } from './changesMade.js';
import { choiceQuestion } from './choiceDialog.js';
import { tellWaitingCustomers } from './waitingCustomers.js';

export const APPLY_CHANGE_DIALOG = 'apply-change';
const CHANGE_CONFIRM_DIALOG = 'change-confirm';

/** The answer to "shall I change this?": yes, no, or (for a reopening) another archive date. */
type ChangeAnswer = { kind: 'yes' } | { kind: 'no' } | ({ kind: 'date' } & ChosenDate);

interface ChangeConfirmOptions extends AskOptions {
  /** A date typed here corrects the archive date of the summary. */
  datesAccepted: boolean;
  /** The archive date of the summary, when it has one. */
  archiveDate?: string;
}

export interface ApplyChangeOptions {
  action: PlatformAction;
  /** For reopen-job: the new archive date and what to warn about. */
  archiveDate?: string;
  warnings?: ArchiveDateWarning[];
}

export interface ApplyChangeResult {
  applied: boolean;
}

function statusName(l: Localizer, status: string): string {
  return ['planning', 'selling', 'archived'].includes(status) ? l.t(`status.${status as 'planning'}`) : status;
}

function changeFor(turn: Turn, options: ApplyChangeOptions): JobChange | null {
  const { jobId, galleryId } = turn.case;
  const photographerId = linkedPhotographer(turn.identity)?.id;
  if (jobId === null || photographerId === undefined) return null;
  switch (options.action) {
    case 'reopen-job':
      return options.archiveDate === undefined ? null : { kind: 'reopen-job', jobId, photographerId, archiveDate: options.archiveDate };
    case 'set-selling':
      return { kind: 'set-selling', jobId, photographerId };
    case 'activate-code':
    case 'unhide-photos':
      return galleryId === null ? null : { kind: options.action, jobId, photographerId, galleryId };
  }
}

/** The job as the summary says it before the change: the job without its galleries, and the hidden photos an unhiding shows. */
interface JobBefore {
  job: JobWithoutGalleries;
  hiddenPhotos: number;
}

function jobBefore(job: Job, change: JobChange): JobBefore {
  const { galleries, ...withoutGalleries } = job;
  const gallery = change.kind === 'unhide-photos' ? galleries.find((candidate) => candidate.id === change.galleryId) : undefined;
  return { job: withoutGalleries, hiddenPhotos: gallery?.photos.filter((photo) => photo.hidden).length ?? 0 };
}

/**
 * What will change, in the words of the platform's settings page as the help article names
 * them (the reopen step's "remove the tick from Archiving and set a new future archiving
 * date"); the job as it was before the change, so what was already so is said as such.
 */
function summaryFacts(l: Localizer, change: JobChange, { job, hiddenPhotos }: JobBefore, code: string): ReplyFact[] {
  // A job that sells already (reopened meanwhile elsewhere) is not shown a change to what it is.
  const selling = job.status === 'selling' ? l.t('fact.status.already', { status: l.t('status.selling') }) : `${statusName(l, job.status)} → ${l.t('status.selling')}`;
  const toSelling = { label: l.t('fact.status'), value: selling };
  switch (change.kind) {
    case 'reopen-job': {
      // A job that sells until a date already (reopened meanwhile elsewhere): the date it loses is said beside the new one.
      const { date } = job.archiving;
      const moves = job.status === 'selling' && job.archiving.enabled && date !== null && date !== change.archiveDate;
      const archiving = moves
        ? l.t('fact.archiving.moved', { from: l.fullDate(date), to: l.fullDate(change.archiveDate) })
        : l.t('fact.archiving.value', { date: l.fullDate(change.archiveDate) });
      return [
        { label: l.t('fact.archiving'), value: archiving },
        { label: l.t('fact.campaign'), value: l.t(job.campaignActive ? 'fact.campaign.off' : 'fact.campaign.alreadyOff') },
        toSelling,
      ];
    }
    case 'set-selling':
      return [toSelling];
    case 'activate-code':
      return [{ label: l.t('fact.code', { code }), value: l.t('fact.code.activated') }];
    case 'unhide-photos':
      return [{ label: l.t('fact.photos', { code }), value: l.t('fact.photos.visible', { count: hiddenPhotos }) }];
  }
}

/** What a summary says of the job: its status, archiving, campaign and the hidden photos it shows. */
function saidOf({ job, hiddenPhotos }: JobBefore): string {
  return JSON.stringify([job.status, job.deleted, job.archiving.enabled, job.archiving.date, job.campaignActive, hiddenPhotos]);
}

/**
 * Whether the job already is as the change makes it: so after this very change went through
 * and the bot died before it could say so (the channel then sends the "yes" again), or after
 * the same change made elsewhere. Applying it is then no surprise to anyone.
 */
function inEffect(change: JobChange, job: Job): boolean {
  const gallery = 'galleryId' in change ? job.galleries.find((candidate) => candidate.id === change.galleryId) : undefined;
  switch (change.kind) {
    case 'reopen-job':
      return job.status === 'selling' && job.archiving.enabled && job.archiving.date === change.archiveDate && !job.campaignActive;
    case 'set-selling':
      return job.status === 'selling';
    case 'activate-code':
      return gallery?.activated === true;
    case 'unhide-photos':
      return gallery !== undefined && gallery.photos.every((photo) => !photo.hidden);
  }
}

/**
 * What the summary step keeps for the confirmation: the change and the job before it, not the
 * whole job (its galleries, every family's access code and photo), which the state would
 * carry, read and write again on every turn until the answer.
 */
interface StepValues {
  change: JobChange;
  before: JobBefore;
}

/** What a conversation saved by an earlier version holds at the question: the whole job. */
interface EarlierStepValues {
  change: JobChange;
  job: Job;
}

function keptValues(values: StepValues | EarlierStepValues): StepValues {
  return 'before' in values ? values : { change: values.change, before: jobBefore(values.job, values.change) };
}

/** A change that was not made: why, then what this case changed before, so nobody reads "nothing changed" as the whole story. */
function sayNotMade(turn: Turn, text: string): void {
  turn.say({ text: [text, changesMadeSentence(turn)].filter((part) => part !== '').join(' ') });
}

/**
 * A one-click fix: a summary of exactly what will change, an explicit confirmation,
 * then the change in one platform operation and a report of what changed. Refusals
 * and outages are said plainly; the platform applies all of a change or nothing.
 */
export function applyChangeDialogs({ platform, logger, notices, now, recognizer }: DialogDependencies): [Waterfall, AskDialog<ChangeAnswer, ChangeConfirmOptions>] {
  const yesNo = choiceQuestion<'yes' | 'no', ChangeConfirmOptions>({
    slot: 'confirm',
    question: ({ l }) => l.t('change.question'),
    choices: ({ l }) => [
      { id: 'yes', label: l.t('change.yes') },
      { id: 'no', label: l.t('change.no') },
    ],
    understand: (text) => recognizer.yesNo(text),
    retry: ({ l }) => l.t('confirm.retry'),
  }, recognizer);
  const confirm = new AskDialog<ChangeAnswer, ChangeConfirmOptions>(CHANGE_CONFIRM_DIALOG, {
    slot: 'confirm',
    question: (turn, options) => yesNo.question(turn, options),
    read: async (text, turn, options, attempt): Promise<Answer<ChangeAnswer>> => {
      const read = await yesNo.read(text, turn, options, attempt);
      const button: Answer<ChangeAnswer> = read.ok ? { ok: true, value: { kind: read.value } } : read;
      // A pressed yes or no is that; a pressed date (a suggestion for an impossible day) is read as a date.
      if (!options.datesAccepted || (turn.input.choiceId !== null && button.ok)) return button;
      // Another date outweighs the yes or no around it ("nee, doch lieber Ende Januar", "ja, aber bis zum 20.").
      const date = readArchiveDate(text, turn, { now, recognizer });
      if (date.ok && date.value.date !== options.archiveDate) return { ok: true, value: { kind: 'date', ...date.value } };
      // So does a date that cannot be used ("nein, lieber 31.11.", a past day): its reason, and nothing changes.
      if (!date.ok && date.understood === true) return date;
      if (button.ok) return button;
      // Other text with a digit gets what is wrong with it as a date; the rest the yes/no retry.
      return text.match(/\d/) !== null && !date.ok ? date : button;
    },
    strict: true,
    explainsRetries: true,
  }, recognizer);
  const flow = new Waterfall(APPLY_CHANGE_DIALOG, [
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const { l } = turn;
      const options = step.options as ApplyChangeOptions;
      const change = changeFor(turn, options);
      const job = turn.case.jobId === null ? null : await platform.getJob(turn.case.jobId).catch(() => null);
      if (change === null || job === null) {
        sayNotMade(turn, l.t('change.unavailable'));
        return step.endDialog({ applied: false } satisfies ApplyChangeResult);
      }
      const before = jobBefore(job, change);
      (step.values as StepValues).change = change;
      (step.values as StepValues).before = before;
      const warnings = (options.warnings ?? []).map((warning) => l.t(`reopen.warn.${warning}`));
      turn.say({
        title: l.t('change.summaryTitle'),
        text: [`**${job.name}**`, ...warnings].join('\n\n'),
        facts: summaryFacts(l, change, before, formatAccessCode(turn.case.accessCode ?? '')),
      });
      const confirmOptions: ChangeConfirmOptions =
        change.kind === 'reopen-job' ? { datesAccepted: true, archiveDate: change.archiveDate } : { datesAccepted: false };
      return step.beginDialog(CHANGE_CONFIRM_DIALOG, confirmOptions);
    },
    async (step: WaterfallStep) => {
      const turn = turnOf(step.context);
      const { l, case: c } = turn;
      const { change, before } = keptValues(step.values as StepValues | EarlierStepValues);
      const answer = step.result as ChangeAnswer;
      if (answer.kind === 'date') {
        // "20. Dezember" at "Einverstanden?": the same change with that date, summarised and confirmed again.
        turn.say({ text: l.t('change.dateChanged', { date: l.fullDate(answer.date) }) });
        const corrected: ApplyChangeOptions = { ...(step.options as ApplyChangeOptions), archiveDate: answer.date, warnings: answer.warnings };
        return step.replaceDialog(APPLY_CHANGE_DIALOG, corrected);
      }
      if (answer.kind !== 'yes') {
        sayNotMade(turn, l.t('change.cancelled', { earlier: c.changesMade.length > 0 ? 'yes' : 'no' }));
        return step.endDialog({ applied: false } satisfies ApplyChangeResult);
      }
      // Whoever says yes must still be the job's photographer: an account unlinked since the summary acts on nothing.
      if (linkedPhotographer(turn.identity)?.id !== change.photographerId) {
        sayNotMade(turn, l.t('change.refused', { reason: l.t('change.refused.not-owner') }));
        return step.endDialog({ applied: false } satisfies ApplyChangeResult);
      }
      const key = changeFingerprint(change);
      if (c.appliedChanges.includes(key)) {
        turn.say({ text: l.t('change.already') });
        return step.endDialog({ applied: true } satisfies ApplyChangeResult);
      }
      // The job as it is now, not as the summary showed it: changed meanwhile (in another
      // conversation, on the platform's own pages), the summary is shown again from what it is now.
      const current = await platform.getJob(change.jobId).catch(() => null);
      if (current !== null && saidOf(before) !== saidOf(jobBefore(current, change))) {
        if (inEffect(change, current)) {
          // Made meanwhile (elsewhere, or by this very "yes" before a crash): nothing is left to do, and the bot does not claim it did it.
          logger.info('change not applied: already in effect', { kind: change.kind, jobId: change.jobId });
          c.appliedChanges.push(key);
          const told = await tellWaitingCustomers({ notices, logger }, turn, change.jobId);
          const already = l.t('change.alreadyInEffect', { job: current.name });
          turn.say({ text: told > 0 ? `${already} ${l.t('change.customersTold', { count: told })}` : already });
          return step.endDialog({ applied: true } satisfies ApplyChangeResult);
        }
        logger.info('change not applied: the job changed since its summary', { kind: change.kind, jobId: change.jobId });
        turn.say({ text: l.t('change.changedMeanwhile', { job: current.name }) });
        return step.replaceDialog(APPLY_CHANGE_DIALOG, step.options as ApplyChangeOptions);
      }
      try {
        // The key ties the change to this case and this summary: a confirmation repeated after a
        // failed state save, a crash or on another instance gets the first result back, not a second change.
        const { after } = await platform.applyChange(change, { idempotencyKey: changeIdempotencyKey(c.id, change, saidOf(before)) });
        c.appliedChanges.push(key);
        c.changesMade.push({
          kind: change.kind,
          job: after.name,
          date: change.kind === 'reopen-job' ? change.archiveDate : null,
          code: change.kind === 'activate-code' || change.kind === 'unhide-photos' ? c.accessCode : null,
        });
        c.stepsTried.push(`applied ${change.kind}`);
        logger.info('change applied', { kind: change.kind, jobId: change.jobId, photographerId: change.photographerId });
        const done: MessageKey = `change.done.${change.kind}`;
        const date = change.kind === 'reopen-job' ? l.fullDate(change.archiveDate) : '';
        // Customers whose own code opens now learn it at once; the report says how many.
        const told = await tellWaitingCustomers({ notices, logger }, turn, change.jobId);
        const report = l.t(done, { job: after.name, date, code: formatAccessCode(c.accessCode ?? ''), campaign: before.job.campaignActive ? 'changed' : 'unchanged' });
        turn.say({
          title: l.t('change.doneTitle'),
          text: told > 0 ? `${report} ${l.t('change.customersTold', { count: told })}` : report,
          facts: summaryFacts(l, change, before, formatAccessCode(c.accessCode ?? '')),
        });
        return step.endDialog({ applied: true } satisfies ApplyChangeResult);
      } catch (error) {
        if (error instanceof PlatformRefusedError) {
          logger.warn('change refused', { kind: change.kind, jobId: change.jobId, reason: error.reason });
          sayNotMade(turn, l.t('change.refused', { reason: l.t(`change.refused.${error.reason}`) }));
        } else if (error instanceof PlatformUnavailableError) {
          logger.warn('platform unavailable during change', { kind: change.kind, error: error.message });
          sayNotMade(turn, l.t('change.unavailable'));
        } else {
          throw error;
        }
        return step.endDialog({ applied: false } satisfies ApplyChangeResult);
      }
    },
  ]);
  return [flow, confirm];
}
