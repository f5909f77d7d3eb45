import { type Activity, ActionTypes, ActivityTypes, CardFactory, type CardAction, InputHints } from 'botbuilder-core';
import { diagnosisEntity } from './diagnosisEntity.js';
import type { DiagnosisSnapshot, Reply } from './replyModel.js';
import { shopPictureUrl } from './shopPictures.js';

/**
 * The whole reply as Markdown, which Web Chat and the Emulator render: the title bold,
 * the plan as an ordered list, the facts as "label: value" lines.
 */
export function markdownOf(reply: Reply): string {
  const parts = [reply.title ? `**${reply.title}**` : '', reply.text];
  if (reply.steps?.length) parts.push(reply.steps.map((step, index) => `${index + 1}. ${step}`).join('\n'));
  if (reply.facts?.length) parts.push(reply.facts.map(({ label, value }) => `- **${label}:** ${value}`).join('\n'));
  return parts.filter((part) => part !== '').join('\n\n');
}

/**
 * A button that says its label in the chat, like typing it, and also carries the choice
 * and the question's number, so a second click on an old button is recognised.
 */
function button(reply: Reply, id: string, label: string): CardAction {
  const value = { choice: id, ...(reply.questionId === undefined ? {} : { question: reply.questionId }) };
  return { type: ActionTypes.MessageBack, title: label, text: label, displayText: label, value };
}

/**
 * Web Chat (Direct Line), the Emulator and any channel without a renderer of its own:
 * Markdown text, pictures of the shop screens as a list of hero cards, every other choice as a
 * suggested action that sends its label, so tapping and typing are the same input.
 */
export function renderWebChat(replies: readonly Reply[], snapshot: DiagnosisSnapshot): Partial<Activity>[] {
  return replies.map((reply, index) => {
    const isLast = index === replies.length - 1;
    const pictured = reply.choices?.filter((choice) => choice.picture !== undefined) ?? [];
    const plain = reply.choices?.filter((choice) => choice.picture === undefined) ?? [];
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      text: markdownOf(reply),
      textFormat: 'markdown',
      inputHint: isLast && snapshot.awaiting !== null ? InputHints.ExpectingInput : InputHints.AcceptingInput,
      entities: [diagnosisEntity(snapshot)],
    };
    if (pictured.length > 0) {
      // One under the other: on a phone all three screens are in view, each with its button.
      activity.attachmentLayout = 'list';
      activity.attachments = pictured.flatMap(({ id, label, picture }) =>
        picture
          ? [
              CardFactory.heroCard(
                '',
                [{ url: shopPictureUrl(picture.symptom, picture.caption), alt: picture.alt }],
                [button(reply, id, label)],
              ),
            ]
          : [],
      );
    }
    if (plain.length > 0) {
      activity.suggestedActions = {
        to: [],
        actions: plain.map((choice) => button(reply, choice.id, choice.label)),
      };
    }
    return activity;
  });
}
