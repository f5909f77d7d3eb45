import type { Activity } from 'botbuilder';
import type { DiagnosisSnapshot, Reply } from './replyModel.js';
import { renderWebChat } from './webChatRenderer.js';

export type ChannelRenderer = (replies: readonly Reply[], snapshot: DiagnosisSnapshot) => Partial<Activity>[];

/** The one renderer of each channel; channels without their own get Web Chat's Markdown and buttons. */
export function rendererFor(_channelId: string): ChannelRenderer {
  return renderWebChat;
}
