import { type Activity, type ConversationReference, DeliveryModes, TurnContext } from 'botbuilder';
import { rendererFor } from '../channels/renderers.js';
import { localizer } from '../language/messages.js';
import type { CaseRecord } from './caseRecord.js';

/**
 * Tells the person whose case became a ticket the ticket's reference, as a proactive message
 * (design contract 6) through the conversation reference kept with the case: posted to its
 * `serviceUrl` for conversations of /api/messages, written into the conversation log for the
 * bot's own Direct Line (the adapter knows which).
 */

/** What of the adapter this needs (CloudAdapter and the bot's DirectLineAdapter have it). */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

/**
 * Where the person of this activity can be written to later, or null: a turn whose replies
 * come back in the HTTP response (`expectReplies`) has no channel to send to afterwards.
 * Without the activity's id: the later message is one of its own, not a reply to this one.
 */
export function laterReference(activity: Partial<Activity>): Partial<ConversationReference> | null {
  if (activity.deliveryMode === DeliveryModes.ExpectReplies || typeof activity.serviceUrl !== 'string' || activity.serviceUrl === '') return null;
  const { activityId: _said, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

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
