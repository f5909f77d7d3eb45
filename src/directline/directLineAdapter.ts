import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Activity,
  ActivityTypes,
  type ConversationReference,
  INVOKE_RESPONSE_KEY,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder-core';
import type { AuthenticateRequestResult, BotFrameworkAuthentication, ConnectorFactory } from 'botframework-connector';
import { GalleryAdapter } from '../bot/galleryAdapter.js';
import { attachClientAddress } from '../bot/turn.js';
import type { ConversationLog } from './conversationLog.js';

/**
 * The `serviceUrl` of every activity that comes in over the bot's own Direct Line, and so
 * of every conversation reference kept from one. It names no network address on purpose:
 * replies to it are written into the conversation log, never posted anywhere.
 */
export const DIRECT_LINE_SERVICE_URL = 'urn:gallery-access-assistant:directline';

/** The channel id of the bot's own Direct Line: what Azure's Direct Line calls itself. */
export const DIRECT_LINE_CHANNEL_ID = 'directline';

/** How the bot appears in its Direct Line conversations. */
export const DIRECT_LINE_BOT = { id: 'gallery-access-assistant', name: 'Gallery Access Assistant', role: 'bot' } as const;

/** Whether an activity (or a continuation built from a kept reference) belongs to the bot's own Direct Line. */
export function isOwnDirectLine(activity: Pick<Partial<Activity>, 'serviceUrl'> | Partial<ConversationReference>): boolean {
  return activity.serviceUrl === DIRECT_LINE_SERVICE_URL;
}

export interface DirectLineAdapterOptions {
  log: ConversationLog;
  /** The bot's app id (MicrosoftAppId), or '' in local mode: the identity of Direct Line turns. */
  appId: string;
}

/**
 * The bot's one adapter. Conversations that come through /api/messages are served by
 * CloudAdapter as always (replies to the Bot Connector's `serviceUrl`); conversations of
 * the bot's own Direct Line write every activity the bot sends into their conversation
 * log the moment it is sent, so the page sees typing, each reply with its real id, and
 * proactive messages (`continueConversationAsync` with a kept reference) alike.
 */
export class DirectLineAdapter extends GalleryAdapter {
  private readonly log: ConversationLog;
  private readonly appId: string;
  /**
   * Direct Line turns never call the Bot Connector: their replies go into the conversation
   * log. The factory (with the bot's own identity) is made once and kept on every turn.
   */
  private connectors: ConnectorFactory | undefined;

  constructor(authentication: BotFrameworkAuthentication, options: DirectLineAdapterOptions) {
    super(authentication);
    this.log = options.log;
    this.appId = options.appId;
  }

  /**
   * Runs one turn of the bot for an activity a Direct Line client posted (already in the
   * log). The client is trusted as far as its token goes, which the endpoint checked: the
   * turn gets the bot's own identity, as a proactive turn does. `clientAddress` goes with
   * the turn for the limits that count per address.
   */
  async receive(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>, clientAddress: string | null = null): Promise<void> {
    const claimsIdentity = this.createClaimsIdentity(this.appId);
    this.connectors ??= this.botFrameworkAuthentication.createConnectorFactory(claimsIdentity);
    const result: AuthenticateRequestResult = { audience: '', claimsIdentity, callerId: undefined as unknown as string, connectorFactory: this.connectors };
    await this.runTurn(result, activity as Activity, async (context) => {
      attachClientAddress(context, clientAddress);
      // The customer sees the bot at work from the first moment of the turn.
      if (activity.type === ActivityTypes.Message) await context.sendActivity({ type: ActivityTypes.Typing });
      await logic(context);
    });
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (!isOwnDirectLine(context.activity)) return super.sendActivities(context, activities);
    const conversationId = context.activity.conversation?.id ?? '';
    const conversation = await this.log.get(conversationId);
    if (conversation === null) throw new Error('Direct Line conversation not found');
    const responses: ResourceResponse[] = [];
    // Replies next to each other are stored together (one commit); a typing indicator or a
    // delay between them keeps its place: what comes before it is stored and shown first.
    let replies: { index: number; activity: Partial<Activity> }[] = [];
    const storeReplies = async () => {
      if (replies.length === 0) return;
      const stored = await this.log.appendAll(conversationId, replies.map((reply) => reply.activity));
      stored.forEach(({ entry }, at) => (responses[replies[at]!.index] = { id: entry.id ?? '' }));
      replies = [];
    };
    for (const activity of activities) {
      const index = responses.length;
      responses.push({ id: '' });
      if (activity.type === ActivityTypes.InvokeResponse) {
        context.turnState.set(INVOKE_RESPONSE_KEY, activity);
        continue;
      }
      if (activity.type === ActivityTypes.Trace) continue;
      if (activity.type === 'delay') {
        await storeReplies();
        await sleep(typeof activity.value === 'number' ? activity.value : 1000);
        continue;
      }
      const outgoing: Partial<Activity> = {
        ...activity,
        channelId: DIRECT_LINE_CHANNEL_ID,
        conversation: { id: conversationId } as Activity['conversation'],
        from: { ...DIRECT_LINE_BOT },
        recipient: { id: conversation.userId, role: 'user' } as Activity['recipient'],
      };
      delete outgoing.id;
      delete outgoing.serviceUrl;
      if (activity.type === ActivityTypes.Typing) {
        await storeReplies();
        this.log.broadcast(conversationId, outgoing);
      } else {
        replies.push({ index, activity: outgoing });
      }
    }
    await storeReplies();
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    if (!isOwnDirectLine(context.activity)) return super.updateActivity(context, activity);
    throw new Error('Direct Line conversations keep what was said: activities cannot be updated');
  }

  override async deleteActivity(context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    if (!isOwnDirectLine(context.activity)) return super.deleteActivity(context, reference);
    throw new Error('Direct Line conversations keep what was said: activities cannot be deleted');
  }
}
