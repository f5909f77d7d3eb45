import { rendererFor } from '../channels/renderers.js';
import { localizer } from '../language/messages.js';
import type { ProactiveAdapter } from '../proactive/proactiveNotices.js';
import type { CaseRecord } from './caseRecord.js';

/**
 * Tells the person whose case became a ticket the ticket's reference, as a proactive message
 * (design contract 6) through the conversation reference kept with the case: posted to its
 * `serviceUrl` for conversations of /api/messages, written into the conversation log for the
 * bot's own Direct Line (the adapter knows which).
 */

/** Sends "your request has ticket {ticket}" into the case's conversation; false when it has no reference to send to. */
export async function tellTicketReference(adapter: ProactiveAdapter, appId: string, record: CaseRecord, ticketReference: string): Promise<boolean> {
  const reference = record.reference;
  if (reference === null || reference === undefined) return false;
  const l = localizer(record.locale, record.role ?? 'unknown');
  const activities = rendererFor(reference.channelId ?? record.channel)([{ text: l.t('handoff.ticket', { ticket: ticketReference }) }], {
    role: record.role,
    locale: l.locale,
    symptom: record.symptom,
    scenario: record.scenario,
    secondary: record.secondary,
    step: null,
    steps: null,
    awaiting: null,
  });
  await adapter.continueConversationAsync(appId, reference, async (context) => {
    // A message of its own: botbuilder would make it a reply to the made-up continuation activity.
    context.onSendActivities(async (_context, outgoing, next) => {
      for (const activity of outgoing) delete activity.replyToId;
      return next();
    });
    await context.sendActivities(activities);
  });
  return true;
}
