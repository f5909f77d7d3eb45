import type { Activity } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '../../src/channels/replyModel.js';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import type { MessageKey } from '../../src/language/messages.js';
import { buttonsOf, lastDiagnosis, postActivity, type TestBot, startTestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { CheckedChat, checkReply, entitiesOf, healthz, messages, t, type TestLocale } from './e2eSupport.js';

/**
 * Bad input over HTTP at every slot of the customer flow: every message gets an answer
 * with the diagnosis entity, the conversation goes on with the next proper answer, and
 * the server stays healthy.
 */

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
});

afterAll(async () => {
  await bot?.stop();
});

afterEach(async () => {
  expect(await healthz(bot.url)).toBe(200);
});

const ARCHIVED = DEMO_CODES['job-archived'];

type CustomerSlot = Extract<Slot, 'symptom' | 'access-code' | 'confirm' | 'feedback'>;
const CUSTOMER_SLOTS: readonly CustomerSlot[] = ['symptom', 'access-code', 'confirm', 'feedback'];

/** Each slot is tested in its own language, so all four appear. */
const SLOT_LOCALE: Record<CustomerSlot, TestLocale> = { symptom: 'en-US', 'access-code': 'de-DE', confirm: 'fr-FR', feedback: 'nl-NL' };

const QUESTION: Record<CustomerSlot, MessageKey> = {
  symptom: 'symptom.question',
  'access-code': 'code.question',
  confirm: 'notify.offerPhotographer',
  feedback: 'feedback.question',
};

const RETRY: Record<CustomerSlot, MessageKey> = {
  symptom: 'symptom.retry',
  'access-code': 'code.retryNoCode',
  confirm: 'confirm.retry',
  feedback: 'feedback.retry',
};

function buttonsAt(slot: Slot, locale: string): string[] {
  switch (slot) {
    case 'symptom':
      return (['almost-ready', 'incorrect-code', 'missed-sale', 'other'] as const).map((symptom) => t(locale, `symptom.choice.${symptom}`));
    case 'confirm':
      return [t(locale, 'notify.yes'), t(locale, 'notify.no')];
    case 'feedback':
      return [t(locale, 'feedback.yes'), t(locale, 'feedback.no')];
    case 'role':
      return [t(locale, 'role.customer'), t(locale, 'role.photographer')];
    default:
      return [];
  }
}

/** The proper answer at a slot (job-archived path) and the slot it leads to. */
function properAnswer(slot: Slot, locale: string): { text: string; next: Slot | null } {
  switch (slot) {
    case 'role':
      return { text: t(locale, 'role.customer'), next: 'symptom' };
    case 'symptom':
      return { text: t(locale, 'symptom.choice.missed-sale'), next: 'access-code' };
    case 'access-code':
      return { text: formatAccessCode(ARCHIVED), next: 'confirm' };
    case 'confirm':
      return { text: t(locale, 'notify.yes'), next: 'feedback' };
    case 'feedback':
      return { text: t(locale, 'feedback.yes'), next: null };
    case 'email':
      return { text: t(locale, 'handoff.email.skip'), next: null };
    default:
      throw new Error(`no proper answer for ${slot}`);
  }
}

/** A new web chat conversation brought to `slot` with proper answers. */
async function conversationAt(slot: CustomerSlot, locale: string = SLOT_LOCALE[slot], options: { channelId?: string } = {}): Promise<CheckedChat> {
  const chat = new CheckedChat(bot.url, { locale, ...options });
  let replies = await chat.join();
  while (lastDiagnosis(replies).awaiting !== slot) {
    const awaiting = lastDiagnosis(replies).awaiting;
    if (awaiting === null) throw new Error(`the conversation ended before ${slot}`);
    replies = await chat.say(properAnswer(awaiting, locale).text);
  }
  expect(lastDiagnosis(replies).awaiting).toBe(slot);
  return chat;
}

/** The next proper answer is accepted: the conversation moves to the following slot. */
async function expectConversationGoesOn(chat: CheckedChat, replies: readonly Partial<Activity>[], locale: string): Promise<void> {
  const awaiting = lastDiagnosis(replies).awaiting;
  expect(awaiting, 'the bot still waits for an answer').not.toBeNull();
  const { text, next } = properAnswer(awaiting as Slot, locale);
  const after = await chat.say(text);
  expect(messages(after).length).toBeGreaterThan(0);
  expect(lastDiagnosis(messages(after)).awaiting).toBe(next);
  expect(lastDiagnosis(messages(after)).role).toBe('customer');
}

/** A deterministic 10,000-character "random paste": letters, digits, punctuation, spaces. */
function randomPaste(length: number, seed = 20261127): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     .,;:!?-_/()[]{}#@';
  let state = seed;
  let text = '';
  while (text.length < length) {
    state = (state * 48271) % 2147483647;
    text += alphabet[state % alphabet.length];
  }
  return text;
}

/** 10,000 characters of prose (an e-mail thread pasted whole) with a real code at `position`. */
function proseWithCode(position: number, code: string): string {
  const prose = 'We have been trying to open the gallery for days and nothing happens at all. ';
  const filler = prose.repeat(Math.ceil(10_000 / prose.length));
  const middle = ` The code printed on the card is ${formatAccessCode(code)}. `;
  return (filler.slice(0, position) + middle + filler).slice(0, 10_000);
}

const HTML = '<b>missed the sale</b> <script>alert(1)</script>';

interface BadInput {
  name: string;
  activity: Partial<Activity>;
  /**
   * Where the conversation may be after the input at a slot: by default the same slot
   * (asked again); an input that does answer the question moves it on.
   */
  acceptedAt?: Partial<Record<CustomerSlot, Slot | Slot[]>>;
  /** The exact reply when the question is asked again. */
  reply?: (slot: CustomerSlot, locale: string) => string;
}

const again = (prefix: MessageKey) => (slot: CustomerSlot, locale: string) => `${t(locale, prefix)} ${t(locale, QUESTION[slot])}`;
const retry = (slot: CustomerSlot, locale: string) => t(locale, RETRY[slot]);

const BAD_INPUTS: BadInput[] = [
  { name: 'empty text', activity: { text: '' }, reply: again('input.unreadable') },
  { name: 'whitespace', activity: { text: '    ' }, reply: again('input.unreadable') },
  { name: 'only whitespace and newlines', activity: { text: ' \n\n\t \r\n  \n' }, reply: again('input.unreadable') },
  { name: 'no text property at all', activity: { text: undefined }, reply: again('input.unreadable') },
  { name: 'emoji only', activity: { text: '😭🙏📸🤷‍♀️' }, reply: retry },
  // A paste of random characters: at the symptom it may count as "something else" (it is
  // free text), never as an answer to a yes/no question.
  { name: 'a 10,000-character random paste', activity: { text: randomPaste(10_000) }, acceptedAt: { symptom: ['symptom', 'access-code'] } },
  // The shop's message in it is read through the markup: the symptom at "what do you see?",
  // and still seen at "did this help?" while the photographer has yet to reopen the job, how it stays until then.
  {
    name: 'HTML with a script',
    activity: { text: HTML },
    acceptedAt: { symptom: 'access-code' },
    reply: (slot, locale) => (slot === 'feedback' ? `${t(locale, 'side.what-next', { next: 'photographer' })} ${t(locale, 'feedback.question')}` : retry(slot, locale)),
  },
  {
    name: 'an image attachment without text',
    activity: { text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:1/screenshot.png', name: 'screenshot.png' }] },
    reply: again('input.empty'),
  },
  { name: 'a card value where text was expected ({foo: 1})', activity: { text: undefined, value: { foo: 1 } }, reply: again('input.unreadable') },
  { name: 'a card value {choice: "missed-sale"}', activity: { text: undefined, value: { choice: 'missed-sale' } }, acceptedAt: { symptom: 'access-code' }, reply: retry },
  { name: '"I am the photographer" typed in web chat', activity: { text: 'I am the photographer' }, acceptedAt: { symptom: 'access-code' }, reply: retry },
];

describe.each(CUSTOMER_SLOTS)('bad input at the %s slot', (slot) => {
  const locale = SLOT_LOCALE[slot];

  it.each(BAD_INPUTS)('$name: answered, asked again, and the conversation goes on', async (bad) => {
    const chat = await conversationAt(slot);
    const replies = await chat.send(bad.activity);
    expect(messages(replies).length, 'every message gets at least one reply').toBeGreaterThan(0);
    const entity = lastDiagnosis(replies);
    expect(entity.role).toBe('customer');
    expect(entity.locale).toBe(locale);
    const accepted = bad.acceptedAt?.[slot] ?? slot;
    expect([accepted].flat()).toContain(entity.awaiting);
    if (entity.awaiting === slot) {
      if (bad.reply) expect(messages(replies).map((reply) => reply.text)).toEqual([bad.reply(slot, locale)]);
      expect(buttonsOf(replies.at(-1))).toEqual(expect.arrayContaining(buttonsAt(slot, locale)));
    }
    for (const reply of replies) {
      expect(reply.text ?? '').not.toContain('<script');
      expect(reply.text ?? '').not.toContain('alert(1)');
      expect(reply.text ?? '').not.toContain('<b>');
    }
    await expectConversationGoesOn(chat, replies, locale);
  });

  it('non-message activities (typing, messageReaction, endOfConversation, an unknown type) get 200, no crash, and the question stays open', async () => {
    const chat = await conversationAt(slot);
    const others: Partial<Activity>[] = [
      { type: 'typing', text: undefined },
      { type: 'messageReaction', text: undefined, reactionsAdded: [{ type: 'like' }] },
      { type: 'endOfConversation', text: undefined, code: 'userCancelled' },
      { type: 'foo', text: undefined },
      { type: 'event', name: 'webchat/join', text: undefined, value: { language: locale } },
    ];
    for (const activity of others) {
      const replies = await chat.send(activity);
      // Whatever comes back still follows the contract (checked by CheckedChat); a non-message never ends the case.
      for (const entity of entitiesOf(replies)) expect(entity.awaiting).toBe(slot);
    }
    const next = properAnswer(slot, locale);
    const after = await chat.say(next.text);
    expect(lastDiagnosis(after).awaiting).toBe(next.next);
  });
});

describe('a 10,000-character message that contains a real code', () => {
  const archivedText = (locale: string) => t(locale, 'customer.job-archived', { date: 'X' }).split('X')[0] ?? '';

  it('code in the first 2,000 characters: found at the access-code question', async () => {
    const chat = await conversationAt('access-code', 'en-US');
    const replies = await chat.say(proseWithCode(1_000, ARCHIVED));
    expect(messages(replies)[0]?.text?.startsWith(archivedText('en-US'))).toBe(true);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('code in the first 2,000 characters: found with the symptom question open too', async () => {
    const chat = await conversationAt('symptom', 'en-US');
    const replies = await chat.say(proseWithCode(1_000, ARCHIVED));
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('code in the middle (after character 5,000) of the paste is found at the access-code question', async () => {
    const chat = await conversationAt('access-code', 'en-US');
    const replies = await chat.say(proseWithCode(5_000, ARCHIVED));
    // The bot must not claim there is no code in a message that holds one.
    expect(messages(replies).map((reply) => reply.text)).not.toContain(t('en-US', 'code.retryNoCode'));
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('code in the middle (after character 5,000) of the paste is found when it is the first message', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    const replies = await chat.say(`It says missed the sale. ${proseWithCode(5_000, ARCHIVED)}`);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
  });
});

describe('repeated bad input at the access-code question', () => {
  it('three messages without any code (empty, emoji, whitespace) never report scenario "unknown-code" nor "I still can\'t find that code"', async () => {
    const chat = await conversationAt('access-code', 'en-US');
    const replies: Partial<Activity>[] = [];
    for (const text of ['', '😭', '   ']) replies.push(...(await chat.say(text)));
    expect(chat.typedCodes.size).toBe(0);
    // No code was ever typed, so nothing is known about a code: the design's unknown-code is
    // "the code exists nowhere", and analytics and handoffs read the entity.
    for (const entity of entitiesOf(replies)) expect(entity.scenario).toBeNull();
    expect(messages(replies).map((reply) => reply.text)).not.toContain(t('en-US', 'code.giveUp'));
    const last = lastDiagnosis(replies);
    expect(last.awaiting).not.toBeNull();
  });
});

describe('HTML in the first message', () => {
  it('is read as text (missed the sale) and never echoed', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    const replies = await chat.say(`${HTML} code <i>MXR2 9PLT</i>`);
    for (const reply of replies) expect(reply.text).not.toMatch(/<|script|alert/);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
  });
});

describe('"I am the photographer" in web chat', () => {
  it('stays a customer from the first message to the end and never gets job details or a fix plan', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    const first = await chat.say('I am the photographer, the customers see missed the sale, code MXR2 9PLT, do it for me');
    for (const entity of entitiesOf(first)) expect(entity).toMatchObject({ role: 'customer', step: null, steps: null });
    expect(lastDiagnosis(first)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
    const texts = chat.transcript.map((reply) => reply.text ?? '').join('\n');
    expect(texts).not.toContain(t('en-US', 'step.untick-archiving-set-date'));
    expect(texts).not.toContain(t('en-US', 'scenario.job-archived'));
    expect(texts).not.toMatch(/^\d+\. /m);
    const later = await chat.say("I'm the photographer");
    expect(lastDiagnosis(later)).toMatchObject({ role: 'customer', awaiting: 'confirm' });
    await expectConversationGoesOn(chat, later, 'en-US');
  });
});

describe('channels and locales', () => {
  it('an unknown channel id (carrier-pigeon): the bot asks the role and the conversation goes on', async () => {
    const chat = new CheckedChat(bot.url, { channelId: 'carrier-pigeon', locale: 'en-US' });
    const greeting = await chat.join();
    expect(messages(greeting).map((reply) => reply.text)).toEqual([`${t('en-US', 'greeting')} ${t('en-US', 'role.question')}`]);
    expect(lastDiagnosis(greeting)).toMatchObject({ role: null, awaiting: 'role' });
    expect(buttonsOf(greeting.at(-1))).toEqual(buttonsAt('role', 'en-US'));
    const bad = await chat.say('🐦');
    expect(lastDiagnosis(bad)).toMatchObject({ role: null, awaiting: 'role' });
    const asSymptom = await chat.say(t('en-US', 'role.customer'));
    expect(lastDiagnosis(asSymptom)).toMatchObject({ role: 'customer', awaiting: 'symptom' });
    const asCode = await chat.say(t('en-US', 'symptom.choice.missed-sale'));
    expect(lastDiagnosis(asCode)).toMatchObject({ role: 'customer', symptom: 'missed-sale', awaiting: 'access-code' });
    const diagnosed = await chat.say(formatAccessCode(ARCHIVED));
    expect(lastDiagnosis(diagnosed)).toMatchObject({ role: 'customer', scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('a message (no join) on an unknown channel is answered with the role question too', async () => {
    const chat = new CheckedChat(bot.url, { channelId: 'carrier-pigeon', locale: 'en-US' });
    const replies = await chat.say('hello?');
    expect(lastDiagnosis(replies)).toMatchObject({ role: null, awaiting: 'role' });
    await expectConversationGoesOn(chat, replies, 'en-US');
  });

  it('es-ES, which the bot does not speak: answered in the default en-US', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'es-ES' });
    const greeting = await chat.join();
    expect(messages(greeting).map((reply) => reply.text)).toEqual([`${t('en-US', 'greeting')} ${t('en-US', 'symptom.question')}`]);
    expect(lastDiagnosis(greeting)).toMatchObject({ locale: 'en-US', awaiting: 'symptom' });
    const next = await chat.say('No veo mis fotos, dice “Missed the Sale?”');
    expect(lastDiagnosis(next)).toMatchObject({ locale: 'en-US' });
    await expectConversationGoesOn(chat, next, 'en-US');
  });

  it('de-AT: answered in German', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'de-AT' });
    const greeting = await chat.join();
    expect(messages(greeting).map((reply) => reply.text)).toEqual([`${t('de-DE', 'greeting')} ${t('de-DE', 'symptom.question')}`]);
    expect(lastDiagnosis(greeting).locale).toMatch(/^de(-|$)/);
    const afterSymptom = await chat.say(t('de-DE', 'symptom.choice.missed-sale'));
    expect(messages(afterSymptom).map((reply) => reply.text)).toEqual([`${t('de-DE', 'symptom.ack.missed-sale')} ${t('de-DE', 'code.question')}`]);
    await expectConversationGoesOn(chat, afterSymptom, 'de-DE');
  });

  it('no locale at all: answered in the default en-US, and the conversation goes on', async () => {
    const chat = new CheckedChat(bot.url);
    const greeting = await chat.send({
      type: 'conversationUpdate',
      text: undefined,
      locale: undefined,
      membersAdded: [{ id: 'user-1', name: 'Test user' }] as Activity['membersAdded'],
    });
    expect(messages(greeting).map((reply) => reply.text)).toEqual([`${t('en-US', 'greeting')} ${t('en-US', 'symptom.question')}`]);
    expect(lastDiagnosis(greeting)).toMatchObject({ locale: 'en-US', awaiting: 'symptom' });
    const next = await chat.send({ text: t('en-US', 'symptom.choice.almost-ready'), locale: undefined });
    expect(lastDiagnosis(next)).toMatchObject({ locale: 'en-US', symptom: 'almost-ready', awaiting: 'access-code' });
    const diagnosed = await chat.send({ text: formatAccessCode(DEMO_CODES['job-in-planning']), locale: undefined });
    expect(lastDiagnosis(diagnosed)).toMatchObject({ locale: 'en-US', scenario: 'job-in-planning', awaiting: 'confirm' });
  });

  it('no locale, and the first message in German: answered in German', async () => {
    const chat = new CheckedChat(bot.url);
    const replies = await chat.send({ text: 'Da steht Verkauf verpasst', locale: undefined });
    expect(lastDiagnosis(replies)).toMatchObject({ locale: 'de-DE', symptom: 'missed-sale', awaiting: 'access-code' });
    expect(replies[0]?.text).toBe(`${t('de-DE', 'greeting')} ${t('de-DE', 'symptom.ack.missed-sale')} ${t('de-DE', 'code.question')}`);
    await expectConversationGoesOn(chat, replies, 'de-DE');
  });

  it('a locale that is not a string (locale: 5) still gets an answer, and the conversation goes on', async () => {
    const chat = await conversationAt('access-code', 'en-US');
    const replies = await chat.send({ text: formatAccessCode(ARCHIVED), locale: 5 as unknown as string });
    expect(messages(replies).length, 'the bot never goes silent on a message').toBeGreaterThan(0);
    const after = await chat.say(formatAccessCode(ARCHIVED));
    expect(lastDiagnosis(after)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('non-message activities before anything else: 200, no crash, and the first message is greeted', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'fr-FR' });
    for (const type of ['typing', 'messageReaction', 'endOfConversation', 'foo']) {
      const replies = await chat.send({ type, text: undefined });
      expect(messages(replies)).toHaveLength(0);
    }
    const first = await chat.say('Bonjour');
    expect(lastDiagnosis(first)).toMatchObject({ locale: 'fr-FR', role: 'customer', awaiting: 'symptom' });
    expect(first[0]?.text?.startsWith(t('fr-FR', 'greeting'))).toBe(true);
  });
});

describe('the server after all that', () => {
  it('answers /healthz 200 and still takes a whole conversation', async () => {
    expect(await healthz(bot.url)).toBe(200);
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    const replies = await chat.say('it says missed the sale, my code is mxr2-9plt');
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
    const response = await postActivity(bot.url, { type: 'message', text: 'x' });
    expect(response.status).toBe(400);
    const tooLarge = await postActivity(bot.url, { ...chat.activity({ text: 'a'.repeat(1_100_000) }) });
    expect(tooLarge.status).toBe(413);
    const notJson = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(notJson.status).toBe(400);
    const goesOn = await chat.say(t('en-US', 'notify.no'));
    expect(lastDiagnosis(goesOn)).toMatchObject({ scenario: 'job-archived', awaiting: 'feedback' });
    expect(await healthz(bot.url)).toBe(200);
  });
});

describe('the contract check every reply goes through (CheckedChat)', () => {
  const entity = { type: 'gallery-access/diagnosis', role: 'customer', locale: 'en-US', symptom: null, scenario: null, secondary: [], step: null, steps: null, awaiting: null };
  const reply = (fields: Partial<Activity>): Partial<Activity> => ({ type: 'message', text: 'Hi', entities: [entity], ...fields });

  it('accepts a proper reply and rejects a missing, doubled or widened entity, a foreign code and job data', () => {
    expect(() => checkReply(reply({}), new Set())).not.toThrow();
    expect(() => checkReply(reply({ entities: [] }), new Set())).toThrow();
    expect(() => checkReply(reply({ entities: [entity, entity] }), new Set())).toThrow();
    expect(() => checkReply(reply({ entities: [{ ...entity, jobId: 'job-4102' }] }), new Set())).toThrow();
    const { awaiting: _left, ...narrower } = entity;
    expect(() => checkReply(reply({ entities: [narrower as typeof entity] }), new Set())).toThrow();
    // B and 8 are different characters on a card: JMVBRT4X is not JMV8RT4X.
    expect(() => checkReply(reply({ text: 'Did you mean JMV8 RT4X?' }), new Set(['JMVBRT4X']))).toThrow();
    // 0 and O are the same: the code typed as 0AK7Q2M9 is OAK7Q2M9.
    expect(() => checkReply(reply({ text: 'I read that as OAK7 Q2M9.' }), new Set(['0AK7Q2M9']))).not.toThrow();
    expect(() => checkReply(reply({ text: 'I can\'t find the code 0AK7 Q2M9.' }), new Set(['0AK7Q2M9']))).not.toThrow();
    expect(() => checkReply(reply({ text: 'Grundschule Am Park – Herbst 2026 is archived' }), new Set())).toThrow();
  });
});
