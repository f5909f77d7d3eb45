import type { Activity, CardAction } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBot, startTestBot } from '../support/botServer.js';
import { clickWebChat, webChatAction, webChatActions } from '../support/conversationMembers.js';
import { DEMO_CASES } from '../support/demoCodes.js';
import { allText, ContractChat, lastEntity } from '../support/photographerChat.js';

/**
 * Review fix 3: Web Chat buttons are messageBack actions that say their label and carry
 * `{ choice, question }`; a click on an older question's button (a second click) is
 * recognised and never taken as an answer to the question open now.
 */

const ARCHIVED = DEMO_CASES['job-archived'];

let bot: TestBot;

beforeEach(async () => {
  bot = await startTestBot();
});

afterEach(async () => {
  await bot?.stop();
});

function customer(locale = 'en-US'): ContractChat {
  return new ContractChat(bot.url, { channelId: 'webchat', locale, role: 'customer' });
}

function questionOf(action: CardAction): unknown {
  return (action.value as { question?: unknown } | undefined)?.question;
}

function expectButtonsOfOneQuestion(reply: Partial<Activity> | undefined): number {
  const actions = webChatActions(reply);
  expect(actions.length).toBeGreaterThan(0);
  const question = questionOf(actions[0]!);
  expect(typeof question).toBe('number');
  for (const action of actions) {
    expect(action).toEqual({
      type: 'messageBack',
      title: action.title,
      text: action.title,
      displayText: action.title,
      value: { choice: expect.any(String), question },
    });
  }
  return question as number;
}

async function atNotifyOffer(parent: ContractChat): Promise<Partial<Activity>[]> {
  const offer = await parent.say(`it says missed the sale, my code is ${ARCHIVED.code}`);
  expect(lastEntity(offer)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  return offer;
}

async function notifyRecords(parent: ContractChat): Promise<number> {
  return (await bot.outbox.pending()).filter((record) => record.conversationId === parent.conversationId && record.kind === 'notify-photographer').length;
}

describe('Web Chat buttons', () => {
  it('hero cards and suggested actions are messageBack with the label as text and { choice, question } as value, one number per question', async () => {
    const parent = customer();
    const symptom = await parent.say('hello');
    const symptomQuestion = expectButtonsOfOneQuestion(symptom.at(-1));
    expect(symptom.at(-1)!.attachments!.length).toBeGreaterThan(0);
    expect(symptom.at(-1)!.suggestedActions!.actions.map((action) => (action.value as { choice: string }).choice)).toEqual(['other']);
    expect(webChatActions(symptom.at(-1)).map((action) => (action.value as { choice: string }).choice)).toEqual([
      'almost-ready',
      'incorrect-code',
      'missed-sale',
      'other',
    ]);

    const code = await clickWebChat(parent, webChatAction(symptom.at(-1), 'missed-sale'));
    expect(lastEntity(code)).toMatchObject({ symptom: 'missed-sale', awaiting: 'access-code' });
    const offer = await parent.say(ARCHIVED.code);
    const offerQuestion = expectButtonsOfOneQuestion(offer.at(-1));
    expect(offerQuestion).toBeGreaterThan(symptomQuestion);
    expect(webChatActions(offer.at(-1)).map((action) => [action.title, (action.value as { choice: string }).choice])).toEqual([
      [parent.t('notify.yes'), 'yes'],
      [parent.t('notify.no'), 'no'],
    ]);
  });

  it('a button of an earlier question gets "that button belongs to an earlier question" and the current question', async () => {
    const parent = customer();
    const symptom = await parent.say('hello');
    const oldButton = webChatAction(symptom.at(-1), 'almost-ready');
    const code = await clickWebChat(parent, webChatAction(symptom.at(-1), 'missed-sale'));
    expect(lastEntity(code).awaiting).toBe('access-code');
    const stale = await clickWebChat(parent, oldButton);
    expect(allText(stale)).toContain(parent.t('input.staleButton'));
    expect(allText(stale)).toContain(parent.t('code.question'));
    expect(lastEntity(stale)).toMatchObject({ symptom: 'missed-sale', awaiting: 'access-code' });
  });

  it('"Yes, please" of the notify offer clicked twice: one case recorded, the second click is recognised as old', async () => {
    const parent = customer();
    const offer = await atNotifyOffer(parent);
    const yes = webChatAction(offer.at(-1), 'yes');
    const first = await clickWebChat(parent, yes);
    expect(allText(first)).toContain(parent.t('notify.recorded'));
    expect(lastEntity(first).awaiting).toBe('feedback');

    const second = await clickWebChat(parent, yes);
    expect(allText(second)).toContain(parent.t('input.staleButton'));
    expect(allText(second)).toContain(parent.t('feedback.question'));
    expect(allText(second)).not.toContain(parent.t('notify.recorded'));
    expect(allText(second)).not.toContain(parent.t('feedback.thanks'));
    expect(lastEntity(second)).toMatchObject({ scenario: 'job-archived', awaiting: 'feedback' });
    expect(await notifyRecords(parent)).toBe(1);
  });

  it('"Yes" of the feedback clicked twice: the second click does not close the case again', async () => {
    const parent = customer();
    const offer = await atNotifyOffer(parent);
    const feedback = await clickWebChat(parent, webChatAction(offer.at(-1), 'yes'));
    const yes = webChatAction(feedback.at(-1), 'yes');
    expect(yes.title).toBe(parent.t('feedback.yes'));
    const thanks = await clickWebChat(parent, yes);
    expect(allText(thanks)).toContain(parent.t('feedback.thanks'));
    expect(lastEntity(thanks).awaiting).toBeNull();

    const second = await clickWebChat(parent, yes);
    expect(allText(second)).not.toContain(parent.t('feedback.thanks'));
    expect(lastEntity(second).awaiting).not.toBeNull();
    expect((await bot.outbox.pending()).filter((record) => record.conversationId === parent.conversationId)).toHaveLength(1);
  });

  it('"Yes" of the feedback clicked again after the case ended is recognised as a click on an earlier question', async () => {
    const parent = customer();
    const offer = await atNotifyOffer(parent);
    const feedback = await clickWebChat(parent, webChatAction(offer.at(-1), 'yes'));
    const yes = webChatAction(feedback.at(-1), 'yes');
    await clickWebChat(parent, yes);
    const second = await clickWebChat(parent, yes);
    // The click belongs to the feedback question of the closed case: said so, then the question open now.
    expect(allText(second)).toContain(parent.t('input.staleButton'));
    expect(allText(second)).toContain(parent.t('symptom.question'));
    expect(lastEntity(second).awaiting).toBe('symptom');
  });

  it('typed text without a value still answers: "yes please" at the offer, "yes" at the feedback', async () => {
    const parent = customer();
    await atNotifyOffer(parent);
    const recorded = await parent.say('yes please');
    expect(allText(recorded)).toContain(parent.t('notify.recorded'));
    const thanks = await parent.say('yes');
    expect(allText(thanks)).toContain(parent.t('feedback.thanks'));
    expect(await notifyRecords(parent)).toBe(1);
  });

  it('the label typed (as Web Chat shows it) without a value is the same answer as the click', async () => {
    const parent = customer('de-DE');
    const offer = await parent.say(`da steht Verkauf verpasst, der Code ist ${ARCHIVED.code}`);
    const label = webChatAction(offer.at(-1), 'yes').title;
    const recorded = await parent.say(label);
    expect(allText(recorded)).toContain(parent.t('notify.recorded'));
    expect(await notifyRecords(parent)).toBe(1);
  });
});
