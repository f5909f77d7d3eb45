import { type Activity, ActionTypes, ActivityTypes, CardFactory, InputHints } from 'botbuilder';
import { diagnosisEntity } from './diagnosisEntity.js';
import type { DiagnosisSnapshot, Reply } from './replyModel.js';
import { shopPictureUrl } from './shopPictures.js';

/** Text with the plan as a Markdown ordered list; Web Chat and the Emulator render Markdown. */
export function textWithSteps(reply: Reply): string {
  if (!reply.steps?.length) return reply.text;
  return `${reply.text}\n\n${reply.steps.map((step, index) => `${index + 1}. ${step}`).join('\n')}`;
}

/**
 * Web Chat (Direct Line), the Emulator and any channel without a renderer of its own:
 * Markdown text, pictures of the shop screens as hero cards, every other choice as a
 * suggested action whose value is its label, so tapping and typing are the same input.
 */
export function renderWebChat(replies: readonly Reply[], snapshot: DiagnosisSnapshot): Partial<Activity>[] {
  return replies.map((reply, index) => {
    const isLast = index === replies.length - 1;
    const pictured = reply.choices?.filter((choice) => choice.picture !== undefined) ?? [];
    const plain = reply.choices?.filter((choice) => choice.picture === undefined) ?? [];
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      text: textWithSteps(reply),
      textFormat: 'markdown',
      inputHint: isLast && snapshot.awaiting !== null ? InputHints.ExpectingInput : InputHints.AcceptingInput,
      entities: [diagnosisEntity(snapshot)],
    };
    if (pictured.length > 0) {
      activity.attachmentLayout = 'carousel';
      activity.attachments = pictured.flatMap(({ label, picture }) =>
        picture
          ? [
              CardFactory.heroCard(
                '',
                [{ url: shopPictureUrl(picture.symptom, picture.caption), alt: picture.caption }],
                [{ type: ActionTypes.ImBack, title: label, value: label }],
              ),
            ]
          : [],
      );
    }
    if (plain.length > 0) {
      activity.suggestedActions = {
        to: [],
        actions: plain.map((choice) => ({ type: ActionTypes.ImBack, title: choice.label, value: choice.label })),
      };
    }
    return activity;
  });
}
