import type { Attachment } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { diagnosisEntity } from '../../src/channels/diagnosisEntity.js';
import { markdownOf, renderWebChat } from '../../src/channels/webChatRenderer.js';
import { allReplies, archiveDateReply, customerSnapshot, photographerSnapshot, planReply, plainReply, summaryReply, symptomReply } from './fixtures.js';

describe('renderWebChat', () => {
  it('writes the steps as a Markdown ordered list under the text', () => {
    const [activity] = renderWebChat([planReply], photographerSnapshot);
    expect(activity!.textFormat).toBe('markdown');
    expect(activity!.text).toContain(`${planReply.text}\n\n1. Archivierung abwählen und ein neues Archivierungsdatum setzen\n2. die automatische Kampagne deaktivieren\n3. Einstellungen speichern\n4. Status „Verkauf"`);
    expect(markdownOf(plainReply)).toBe(plainReply.text);
  });

  it('offers plain choices as suggested actions that say their label and carry the choice and the question', () => {
    const [activity] = renderWebChat([{ ...archiveDateReply, questionId: 4 }], photographerSnapshot);
    const button = (id: string, label: string) => ({ type: 'messageBack', title: label, text: label, displayText: label, value: { choice: id, question: 4 } });
    expect(activity!.suggestedActions?.actions).toEqual([
      button('2026-12-06', 'So 6.12.'),
      button('2026-12-13', 'So 13.12.'),
      button('2026-12-20', 'So 20.12.'),
    ]);
    expect(activity!.attachments).toBeUndefined();
  });

  it('shows pictured choices as a list of hero cards, each with the picture, its alt text and a button, the rest as suggested actions', () => {
    const [activity] = renderWebChat([symptomReply], customerSnapshot);
    expect(activity!.attachmentLayout).toBe('list');
    const cards = activity!.attachments as Attachment[];
    expect(cards).toHaveLength(3);
    for (const [index, card] of cards.entries()) {
      const choice = symptomReply.choices![index]!;
      expect(card.contentType).toBe('application/vnd.microsoft.card.hero');
      expect(card.content.images).toHaveLength(1);
      expect(card.content.images[0].url).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(card.content.images[0].alt).toBe(choice.picture!.alt);
      expect(card.content.buttons).toEqual([{ type: 'messageBack', title: choice.label, text: choice.label, displayText: choice.label, value: { choice: choice.id } }]);
    }
    expect(activity!.suggestedActions?.actions).toEqual([
      { type: 'messageBack', title: 'Something else', text: 'Something else', displayText: 'Something else', value: { choice: 'other' } },
    ]);
  });

  it('puts the diagnosis entity on every activity and expects input on the last one', () => {
    const activities = renderWebChat(allReplies, photographerSnapshot);
    for (const activity of activities) expect(activity.entities).toEqual([diagnosisEntity(photographerSnapshot)]);
    expect(activities.map((activity) => activity.inputHint)).toEqual([...allReplies.slice(1).map(() => 'acceptingInput'), 'expectingInput']);
  });

  it('shows the title as a bold first line', () => {
    const [activity] = renderWebChat([planReply], photographerSnapshot);
    expect(activity!.text!.startsWith(`**${planReply.title}**`)).toBe(true);
  });

  it('shows the facts as label/value lines', () => {
    const [activity] = renderWebChat([summaryReply], photographerSnapshot);
    for (const { label, value } of summaryReply.facts!) {
      expect(activity!.text).toContain(label);
      expect(activity!.text).toContain(value);
    }
  });
});
