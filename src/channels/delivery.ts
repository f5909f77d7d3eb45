import type { TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import { rendererFor } from './renderers.js';
import type { DiagnosisSnapshot, Reply } from './replyModel.js';
import { slackApiToken, slackTarget } from './slackPayload.js';
import { type SlackBlockKitSender, SlackDeliveryError } from './slackWebApi.js';

/** Sends a turn's replies the best way the channel allows. */
export interface ReplyDelivery {
  deliver(context: TurnContext, replies: readonly Reply[], snapshot: DiagnosisSnapshot): Promise<void>;
}

/**
 * Bot Framework activities from the channel's renderer; for Slack, when the channel
 * passed the workspace's bot token, Block Kit through the Slack Web API instead, and
 * the renderer's hero cards again should Slack refuse.
 */
export function createDelivery(options: { slack?: SlackBlockKitSender; logger: Logger }): ReplyDelivery {
  return {
    async deliver(context, replies, snapshot) {
      const activity = context.activity;
      const token = activity.channelId === 'slack' && activity.deliveryMode !== 'expectReplies' ? slackApiToken(activity) : undefined;
      const target = token === undefined ? null : slackTarget(activity);
      let rest = replies;
      if (options.slack !== undefined && token !== undefined && target !== null) {
        try {
          await options.slack.send(token, target, replies);
          return;
        } catch (error) {
          // What Slack took stays; only the rest goes through the channel, so nothing shows twice.
          if (error instanceof SlackDeliveryError) rest = replies.slice(error.sent);
          options.logger.warn('slack block kit failed, sending the rest through the channel', { error, sent: replies.length - rest.length });
        }
      }
      await context.sendActivities(rendererFor(activity.channelId)(rest, snapshot));
    },
  };
}
