import type { Attachment } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { diagnosisEntity } from '../../src/channels/diagnosisEntity.js';
import { renderSlack, slackText, toBlockKit, toMrkdwn } from '../../src/channels/slackRenderer.js';
import {
  allReplies,
  archiveDateReply,
  customerSnapshot,
  photographerSnapshot,
  planReply,
  plainReply,
  stepReply,
  summaryReply,
  symptomReply,
} from './fixtures.js';

describe('toMrkdwn', () => {
  it('turns **bold** into Slack bold and escapes &, < and >', () => {
    expect(toMrkdwn('Your code is **right**, and **so are** the photos.')).toBe('Your code is *right*, and *so are* the photos.');
    expect(toMrkdwn('Tom & Jerry <script> a > b')).toBe('Tom &amp; Jerry &lt;script&gt; a &gt; b');
    expect(toMrkdwn('line one\nline two')).toBe('line one\nline two');
    expect(toMrkdwn('no ** pair')).toBe('no ** pair');
  });
});

describe('renderSlack', () => {
  it('a choice with its own value is a postBack of that value; the others type their label', () => {
    const [activity] = renderSlack(
      [{ text: 'A customer is waiting.', choices: [{ id: 'fix-job:job-1', label: 'Fix it now', value: 'fix-job:job-1' }, { id: 'no', label: 'Not now' }] }],
      photographerSnapshot,
    );
    expect((activity!.attachments![0]!.content as { buttons: unknown[] }).buttons).toEqual([
      { type: 'postBack', title: 'Fix it now', value: 'fix-job:job-1' },
      { type: 'imBack', title: 'Not now', value: 'Not now' },
    ]);
  });

  it('writes the title as a bold first line, then the text and the steps as numbered lines', () => {
    const [activity] = renderSlack([planReply], photographerSnapshot);
    expect(activity!.text).toBe(
      [
        '*Auftrag „Grundschule Am Park – Herbst" ist archiviert*',
        'Seit *12.10.2026* archiviert, deshalb sieht die Kundin „Verkauf verpasst?".',
        'Wieder öffnen in 4 Schritten:',
        '',
        '1. Archivierung abwählen und ein neues Archivierungsdatum setzen',
        '2. die automatische Kampagne deaktivieren',
        '3. Einstellungen speichern',
        '4. Status „Verkauf"',
      ].join('\n'),
    );
    expect(activity!.text).not.toContain('**');
  });

  it('writes facts as bullet lines and leaves progress to the title', () => {
    expect(slackText(summaryReply)).toBe(
      '*Einverstanden?*\nIch ändere:\n\n• *Archivierung:* an, So 20.12.2026\n• *Automatische Kampagne:* aus\n• *Status:* Verkauf',
    );
    expect(slackText(stepReply)).toBe('*Schritt 2/4*\nDeaktiviere die *automatische Kampagne*, damit keine Erinnerungsmails rausgehen.');
  });

  it('offers choices as a hero card of imBack buttons whose value is the label', () => {
    const [activity] = renderSlack([summaryReply], photographerSnapshot);
    expect(activity!.attachments).toHaveLength(1);
    const card = activity!.attachments![0] as Attachment;
    expect(card.contentType).toBe('application/vnd.microsoft.card.hero');
    expect(card.content.buttons).toEqual([
      { type: 'imBack', title: 'Ja, ändern', value: 'Ja, ändern' },
      { type: 'imBack', title: 'Abbrechen', value: 'Abbrechen' },
    ]);
    expect(activity!.suggestedActions).toBeUndefined();
  });

  it('shows pictured choices as buttons only and sends a plain reply as text only', () => {
    const [pictured, plain] = renderSlack([symptomReply, plainReply], customerSnapshot);
    expect(JSON.stringify(pictured)).not.toContain('data:image');
    expect((pictured!.attachments![0] as Attachment).content.buttons.map((button: { value: string }) => button.value)).toEqual([
      'Almost ready',
      'Incorrect code',
      'Missed the sale',
      'Something else',
    ]);
    expect(plain).toMatchObject({ type: 'message', text: 'Thanks! *Your code is right* and your photos are there.\nThe photographer has not opened the gallery yet.' });
    expect(plain!.attachments).toBeUndefined();
  });

  it('puts the diagnosis entity on every activity and expects input on the last one', () => {
    const activities = renderSlack(allReplies, photographerSnapshot);
    expect(activities.every((activity) => JSON.stringify(activity.entities) === JSON.stringify([diagnosisEntity(photographerSnapshot)]))).toBe(true);
    expect(activities.at(-1)!.inputHint).toBe('expectingInput');
    expect(activities.slice(0, -1).every((activity) => activity.inputHint === 'acceptingInput')).toBe(true);
  });
});

describe('toBlockKit', () => {
  it('builds mrkdwn sections, a progress context and choice buttons', () => {
    expect(toBlockKit(stepReply)).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Schritt 2/4*' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '▰▰▱▱  2/4' }] },
      { type: 'section', text: { type: 'mrkdwn', text: 'Deaktiviere die *automatische Kampagne*, damit keine Erinnerungsmails rausgehen.' } },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Erledigt', emoji: true }, action_id: 'choice:done', value: 'done' },
          { type: 'button', text: { type: 'plain_text', text: 'Hat nicht geklappt', emoji: true }, action_id: 'choice:failed', value: 'failed' },
          { type: 'button', text: { type: 'plain_text', text: 'Mach das für mich', emoji: true }, action_id: 'choice:do-it', value: 'do-it' },
        ],
      },
    ]);
  });

  it('lists steps in one section and facts as fields', () => {
    const plan = toBlockKit(planReply);
    expect(plan[2]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '1. Archivierung abwählen und ein neues Archivierungsdatum setzen\n2. die automatische Kampagne deaktivieren\n3. Einstellungen speichern\n4. Status „Verkauf"',
      },
    });
    expect(toBlockKit(summaryReply)[2]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Archivierung*\nan, So 20.12.2026' },
        { type: 'mrkdwn', text: '*Automatische Kampagne*\naus' },
        { type: 'mrkdwn', text: '*Status*\nVerkauf' },
      ],
    });
  });

  it('offers a date input as a datepicker starting at the earliest date', () => {
    const blocks = toBlockKit(archiveDateReply);
    expect(blocks).toContainEqual({ type: 'actions', elements: [{ type: 'datepicker', action_id: 'date', initial_date: '2026-11-30' }] });
    const actionIds = blocks.flatMap((block) => (block.type === 'actions' ? block.elements.map((element) => element.action_id) : []));
    expect(actionIds).toEqual(['date', 'choice:2026-12-06', 'choice:2026-12-13', 'choice:2026-12-20']);
  });

  it('keeps within Slack limits: unique action ids, button text ≤ 75, section text ≤ 3000, ≤ 50 blocks', () => {
    const long: typeof planReply = { text: 'x'.repeat(5000), choices: [{ id: 'long', label: 'y'.repeat(100) }] };
    for (const reply of [...allReplies, long]) {
      const blocks = toBlockKit(reply);
      expect(blocks.length).toBeLessThanOrEqual(50);
      const ids = blocks.flatMap((block) => (block.type === 'actions' ? block.elements.map((element) => element.action_id) : []));
      expect(new Set(ids).size).toBe(ids.length);
      for (const block of blocks) {
        if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
        if (block.type === 'actions') {
          for (const element of block.elements) if (element.type === 'button') expect(element.text.text.length).toBeLessThanOrEqual(75);
        }
      }
    }
  });
});
