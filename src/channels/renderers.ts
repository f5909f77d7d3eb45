import type { Activity } from 'botbuilder';
import type { DiagnosisSnapshot, Reply } from './replyModel.js';
import { renderSlack } from './slackRenderer.js';
import { renderTeams } from './teamsRenderer.js';
import { renderWebChat } from './webChatRenderer.js';

export type ChannelRenderer = (replies: readonly Reply[], snapshot: DiagnosisSnapshot) => Partial<Activity>[];

/**
 * The one renderer of each channel: Adaptive Cards for Teams, mrkdwn and hero-card buttons
 * for Slack; every other channel (Web Chat, Direct Line, the Emulator, tests) gets Web Chat's
 * Markdown and buttons.
 */
export function rendererFor(channelId: string): ChannelRenderer {
  switch (channelId) {
    case 'msteams':
      return renderTeams;
    case 'slack':
      return renderSlack;
    default:
      return renderWebChat;
  }
}
