import type { Activity, CardAction } from 'botbuilder';
import { type CheckedChatOptions, ContractChat } from './photographerChat.js';
import { DEMO_PHOTOGRAPHERS, type DemoPhotographerName } from './demoCodes.js';

/**
 * Several people in one conversation (a Slack channel, a Teams group chat), and Web Chat
 * button clicks as Web Chat sends them.
 */

let memberCounter = 0;

/** A shared conversation id for the members of one test. */
export function sharedConversationId(prefix = 'group'): string {
  memberCounter += 1;
  return `${prefix}-${process.pid}-${memberCounter}`;
}

/**
 * A Slack user in a given conversation (a channel several people write in), as the Azure Bot
 * Service Slack channel sends it: `from.id` is `<user>:<team>`, `event.user` the user.
 */
export function slackMember(url: string, slackId: string, locale: string, conversationId: string, role: CheckedChatOptions['role'] = 'photographer'): ContractChat {
  return new ContractChat(url, {
    channelId: 'slack',
    locale,
    role,
    conversationId,
    from: { id: `${slackId}:T0DEMOTEAM`, name: `Slack user ${slackId}` },
    channelData: { SlackMessage: { type: 'event_callback', team_id: 'T0DEMOTEAM', event: { type: 'message', user: slackId, channel: 'C0GROUPCHAN' } } },
  });
}

/** A demo photographer's (first) Slack account in a given conversation, in their own locale. */
export function slackPhotographerIn(url: string, name: DemoPhotographerName, conversationId: string, locale?: string): ContractChat {
  const photographer = DEMO_PHOTOGRAPHERS[name];
  const slackId = photographer.slack[0];
  if (slackId === undefined) throw new Error(`${name} has no Slack account`);
  return slackMember(url, slackId, locale ?? photographer.locale, conversationId);
}

/** Every button of a Web Chat reply: hero-card buttons first, then suggested actions. */
export function webChatActions(reply: Partial<Activity> | undefined): CardAction[] {
  const cards = (reply?.attachments ?? []).flatMap((attachment) => (attachment.content as { buttons?: CardAction[] } | undefined)?.buttons ?? []);
  return [...cards, ...(reply?.suggestedActions?.actions ?? [])];
}

/** The Web Chat button with this choice id (its `value.choice`); fails when there is none. */
export function webChatAction(reply: Partial<Activity> | undefined, choice: string): CardAction {
  const action = webChatActions(reply).find((candidate) => (candidate.value as { choice?: unknown } | undefined)?.choice === choice);
  if (action === undefined) throw new Error(`no button "${choice}" in ${JSON.stringify(webChatActions(reply))}`);
  return action;
}

/** What Web Chat posts for a messageBack click: the button's text and its value. */
export function clickWebChat(chat: ContractChat, action: CardAction): Promise<Partial<Activity>[]> {
  return chat.send({ text: action.text, value: action.value as unknown });
}
