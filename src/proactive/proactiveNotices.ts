import type { ConversationReference, TurnContext } from 'botbuilder';
import type { TurnHooks } from '../bot/turnHooks.js';
import { linkedPhotographer } from '../bot/identity.js';
import type { Turn } from '../bot/turn.js';
import { rendererFor } from '../channels/renderers.js';
import type { DiagnosisSnapshot, Reply } from '../channels/replyModel.js';
import type { Job } from '../domain/platformModel.js';
import { type Localizer, localizer } from '../language/messages.js';
import type { Logger } from '../logger.js';
import type { PlatformPort } from '../platform/port.js';
import type { ReachableConversations, WaitingCustomer } from './conversationStore.js';
import { galleryOpenText, opensNow } from './galleryNews.js';
import { type CustomerReport, fixJobChoice, type Notices, type PhotographerNoticeResult, reachableReference, type WaitingReport } from './notices.js';

/**
 * Proactive messages, the one place that sends them (design contract 6): through the
 * conversation reference kept from a person's own turn, with the adapter's
 * `continueConversationAsync`. A reference of a conversation that came through
 * /api/messages is answered at its `serviceUrl` (the Bot Connector protocol); one of the
 * bot's own Direct Line is written into its conversation log by the adapter.
 */

/** What of the adapter proactive messages need (CloudAdapter and the bot's DirectLineAdapter have it). */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

/**
 * Customers of one job who ask within this time after the photographer's message update
 * that message (one notice counting them all) instead of adding one each.
 */
export const NOTICE_UPDATE_WINDOW_MS = 60 * 60 * 1000;

export interface ProactiveNoticesOptions {
  adapter: ProactiveAdapter;
  store: ReachableConversations;
  platform: PlatformPort;
  logger: Logger;
  /** The bot's app id (MicrosoftAppId), '' in local mode. */
  appId: string;
  now?: () => Date;
}

function snapshot(fields: Pick<DiagnosisSnapshot, 'role' | 'locale' | 'symptom' | 'scenario' | 'secondary'>): DiagnosisSnapshot {
  return { ...fields, step: null, steps: null, awaiting: null };
}

/** The photographer's notice: who waits for which job, why, and the button that starts the fix. */
export function photographerNotice(l: Localizer, report: Pick<CustomerReport, 'jobId' | 'scenario' | 'secondary'>, job: Job | null, waiting: number): Reply {
  const name = job?.name ?? report.jobId;
  const sentences = [
    report.scenario === 'job-archived' && job?.archiving.date
      ? l.t('photographer.archivedSince', { job: name, date: l.longDate(job.archiving.date) })
      : l.t(`scenario.${report.scenario}`),
  ];
  if (report.secondary.length > 0) {
    const faults = report.secondary.map((fault) => l.t(`fault.${fault as 'code-not-activated'}`));
    sentences.push(l.t('scenario.secondary', { count: faults.length, faults: l.list(faults) }));
  }
  sentences.push(l.t('photographer.notice.question'));
  return {
    title: l.t('photographer.notice.title', { count: waiting, job: name }),
    text: sentences.join('\n\n'),
    choices: [{ id: fixJobChoice(report.jobId), label: l.t('photographer.notice.fix'), value: fixJobChoice(report.jobId) }],
  };
}

export class ProactiveNotices implements Notices {
  private readonly now: () => Date;

  constructor(private readonly options: ProactiveNoticesOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async customerReported(report: CustomerReport): Promise<void> {
    await this.options.store.saveCustomer(this.waitingCustomer(report, false), this.now());
  }

  async notifyPhotographer(report: CustomerReport): Promise<PhotographerNoticeResult> {
    const { store, platform, logger } = this.options;
    const now = this.now();
    await store.saveCustomer(this.waitingCustomer(report, true), now);
    const conversation = await store.photographer(report.photographerId);
    if (conversation === null) return { kind: 'unreachable', reason: 'never-talked' };
    const job = await platform.getJob(report.jobId).catch(() => null);
    const waiting = Math.max(1, await store.countAsked(report.jobId));
    const l = localizer(conversation.locale, 'photographer');
    const reply = photographerNotice(l, report, job, waiting);
    const channelId = conversation.reference.channelId ?? '';
    const [activity] = rendererFor(channelId)(
      [reply],
      snapshot({ role: 'photographer', locale: l.locale, symptom: report.symptom, scenario: report.scenario, secondary: report.secondary }),
    );
    if (activity === undefined) throw new Error('the notice rendered to no activity');
    const conversationId = conversation.reference.conversation?.id ?? '';
    const previous = await store.notice(report.jobId);
    const recent =
      previous !== null &&
      previous.conversationId === conversationId &&
      previous.photographerId === report.photographerId &&
      now.getTime() - Date.parse(previous.sentAt) < NOTICE_UPDATE_WINDOW_MS;
    let outcome: 'sent' | 'updated' | null = null;
    let activityId = '';
    try {
      await this.send(conversation.reference, async (context) => {
        if (recent) {
          try {
            await context.updateActivity({ ...activity, id: previous.activityId });
            outcome = 'updated';
            return;
          } catch (error) {
            // A message the channel will not change (deleted, too old) is followed by a new one.
            logger.warn('photographer notice not updated, sending a new one', { error, jobId: report.jobId, channel: channelId });
          }
        }
        activityId = (await context.sendActivity(activity))?.id ?? '';
        outcome = 'sent';
      });
    } catch (error) {
      logger.error('photographer notice could not be sent', { error, jobId: report.jobId, photographerId: report.photographerId, channel: channelId });
      return { kind: 'unreachable', reason: 'failed' };
    }
    if (outcome === null) return { kind: 'unreachable', reason: 'failed' };
    // A channel that gives no id cannot have the message changed: the next customer gets a new one.
    if (outcome === 'sent') {
      if (activityId !== '') await store.saveNotice({ jobId: report.jobId, photographerId: report.photographerId, conversationId, activityId, sentAt: now.toISOString() });
      else await store.dropNotice(report.jobId);
    }
    logger.info('photographer notified', { jobId: report.jobId, photographerId: report.photographerId, channel: channelId, waiting, outcome });
    return { kind: outcome, waiting };
  }

  async latestReport(jobId: string): Promise<WaitingReport | null> {
    const [latest] = await this.options.store.waiting(jobId);
    return latest === undefined ? null : { accessCode: latest.accessCode, symptom: latest.symptom };
  }

  async askedBefore(jobId: string, conversationId: string): Promise<boolean> {
    return this.options.store.askedBefore(jobId, conversationId);
  }

  async tellCustomersIfOpen(jobId: string): Promise<number> {
    const { store, platform, logger } = this.options;
    let told = 0;
    for (const customer of await store.waiting(jobId)) {
      const reference = customer.reference;
      if (reference === null) continue;
      const lookup = await platform.lookupCode(customer.accessCode);
      if (!opensNow(lookup, customer.symptom) || lookup.job.id !== jobId) continue;
      if (!(await store.markTold(jobId, customer.conversationId, this.now()))) continue;
      const l = localizer(customer.locale, 'customer');
      const reply: Reply = { text: galleryOpenText(l, lookup, customer.symptom) };
      const channelId = reference.channelId ?? '';
      const activities = rendererFor(channelId)(
        [reply],
        snapshot({ role: 'customer', locale: l.locale, symptom: customer.symptom, scenario: 'no-known-cause', secondary: [] }),
      );
      try {
        await this.send(reference, async (context) => {
          await context.sendActivities(activities);
        });
        told += 1;
      } catch (error) {
        await store.unmarkTold(jobId, customer.conversationId);
        logger.error('customer could not be told that the gallery is open', { error, jobId, channel: channelId });
      }
    }
    if (told > 0) {
      // The customers who waited know now: a new customer's notice starts a new message.
      await store.dropNotice(jobId);
      logger.info('customers told the gallery is open', { jobId, told });
    }
    return told;
  }

  private waitingCustomer(report: CustomerReport, asked: boolean): WaitingCustomer {
    return {
      jobId: report.jobId,
      conversationId: report.conversationId,
      reference: report.reference,
      locale: report.locale,
      accessCode: report.accessCode,
      symptom: report.symptom,
      asked,
    };
  }

  private send(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.options.adapter.continueConversationAsync(this.options.appId, reference, async (context) => {
      // A message of its own: botbuilder would make it a reply to the made-up continuation
      // activity, which Teams threads under nothing and Web Chat holds back, waiting for it.
      context.onSendActivities(async (_context, activities, next) => {
        for (const activity of activities) delete activity.replyToId;
        return next();
      });
      await logic(context);
    });
  }
}

/**
 * Keeps, after each turn of a linked photographer, the conversation they talked in: where
 * notices about their jobs go.
 */
export function conversationReferenceHooks({ store, logger, now = () => new Date() }: { store: ReachableConversations; logger: Logger; now?: () => Date }): TurnHooks {
  return {
    async afterTurn(context: TurnContext, turn: Turn): Promise<void> {
      const photographer = linkedPhotographer(turn.identity);
      const reference = reachableReference(context.activity);
      if (photographer === null || reference === null) return;
      try {
        await store.savePhotographer({
          photographerId: photographer.id,
          reference,
          locale: turn.case.locale,
          updatedAt: now().toISOString(),
        });
      } catch (error) {
        // Not being reachable later must not cost the photographer this turn.
        logger.error('photographer conversation could not be kept', { error, photographerId: photographer.id });
      }
    },
  };
}
