import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, lastDiagnosis, type TestBot, startTestBot, textOf } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { msg } from '../support/dialogHarness.js';
import { teamsPhotographer } from '../support/photographerChat.js';
import { DirectLineCustomer, generateToken } from '../support/directLineClient.js';

/**
 * A customer's handoff to a person over /api/messages (Web Chat, expectReplies): the e-mail
 * question, the Bot Framework `handoff.initiate` event with the case and the transcript, and
 * what the customer writes while a person has the case.
 */

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
});

afterAll(async () => {
  await bot?.stop();
});

const messagesOf = (activities: Partial<Activity>[]) => activities.filter((activity) => activity.type === 'message');

describe('handoff over /api/messages', () => {
  it('sends handoff.initiate with the context and the transcript; "hello?" afterwards is added to the case', async () => {
    const chat = new Chat(bot.url, { locale: 'en-US' });
    await chat.say('the shop says I missed the sale');
    await chat.say(DEMO_CODES['job-archived']);
    const question = await chat.say('I want to talk to a person');
    expect(lastDiagnosis(question).awaiting).toBe('email');
    expect(question.filter((activity) => activity.type === 'event')).toEqual([]);

    const handedOver = await chat.say('parent@example.com');
    expect(textOf(messagesOf(handedOver))).toBe([msg('en-US', 'escalation.requested'), msg('en-US', 'handoff.email.known', { email: 'parent@example.com' })].join('\n'));
    const events = handedOver.filter((activity) => activity.type === 'event');
    expect(events).toHaveLength(1);
    const event = events[0]!;
    const [record] = (await bot.outbox.pending()).filter((candidate) => candidate.conversationId === chat.conversationId);
    expect(event.name).toBe('handoff.initiate');
    expect(event.value).toEqual({
      caseId: record!.id,
      role: 'customer',
      locale: 'en-US',
      symptom: 'missed-sale',
      scenario: 'job-archived',
      secondary: [],
      accessCode: 'MXR29PLT',
      jobId: 'job-4102',
      photographerId: 'ph-brandt',
      stepsTried: [],
      email: 'parent@example.com',
    });
    expect(event.conversation?.id).toBe(chat.conversationId);
    const transcript = event.attachments?.find((attachment) => attachment.name === 'Transcript');
    const lines = (transcript?.content as { activities: Partial<Activity>[] }).activities;
    expect(lines.filter((line) => line.from?.id === chat.userId).map((line) => line.text)).toEqual([
      'the shop says I missed the sale',
      DEMO_CODES['job-archived'],
      'I want to talk to a person',
      'parent@example.com',
    ]);
    expect(lines.some((line) => line.from?.id === 'bot' && line.text === msg('en-US', 'handoff.email.question'))).toBe(true);

    const hello = await chat.say('hello?');
    expect(textOf(hello)).toBe(msg('en-US', 'handoff.added'));
    expect(textOf(hello)).not.toContain(msg('en-US', 'symptom.question'));
    expect(hello.filter((activity) => activity.type === 'event')).toEqual([]);
    const [after] = (await bot.outbox.pending()).filter((candidate) => candidate.conversationId === chat.conversationId);
    expect(after!.transcript.at(-1)).toMatchObject({ from: 'user', text: 'hello?' });

    const completed = await chat.send({ type: 'event', name: 'handoff.status', value: { state: 'completed' }, text: undefined });
    expect(textOf(completed)).toBe(msg('en-US', 'handoff.completed'));
  });

  it('a photographer\'s "didn\'t work" that leaves nothing to do hands over: the event with the steps tried, "hallo?" added', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    await chat.say(`Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`);
    await chat.choose('walk', chat.t('photographer.walk'));
    // The platform could do the step: offered first; "to support" leaves nothing the bot can do.
    await chat.choose('failed', chat.t('walk.failed'));
    expect(chat.events).toEqual([]);
    const failed = await chat.choose('support', chat.t('walk.toSupport'));
    expect(failed.map((reply) => reply.text)).toEqual([chat.t('walk.escalated')]);
    expect(chat.events.map((event) => event.name)).toEqual(['handoff.initiate']);
    const [record] = (await bot.outbox.pending()).filter((candidate) => candidate.conversationId === chat.conversationId);
    expect(chat.events[0]!.value).toEqual({
      caseId: record!.id,
      role: 'photographer',
      locale: 'de-DE',
      symptom: 'missed-sale',
      scenario: 'job-archived',
      secondary: [],
      accessCode: 'MXR29PLT',
      jobId: 'job-4102',
      photographerId: 'ph-brandt',
      stepsTried: ['untick-archiving-set-date: did not work'],
      email: null,
    });
    expect(chat.events[0]!.channelId).toBe('msteams');
    const transcript = chat.events[0]!.attachments?.find((attachment) => attachment.name === 'Transcript');
    const lines = (transcript?.content as { activities: Partial<Activity>[] }).activities;
    expect(lines.map((line) => line.text)).toContain(`Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`);

    const hello = await chat.say('hallo?');
    expect(hello.map((reply) => reply.text)).toEqual([chat.t('handoff.added')]);
    expect(chat.events).toHaveLength(1);
    const [after] = (await bot.outbox.pending()).filter((candidate) => candidate.conversationId === chat.conversationId);
    expect(after!.transcript.at(-1)).toMatchObject({ from: 'user', text: 'hallo?' });
  });
});

describe('handoff.status comes from the channel, never from the person', () => {
  const SECRET = 'handoff-e2e-direct-line-secret-0123456789';
  let ownDirectLine: TestBot;
  const customers: DirectLineCustomer[] = [];

  beforeAll(async () => {
    ownDirectLine = await startTestBot({ DIRECTLINE_SECRET: SECRET });
  });
  afterAll(async () => {
    for (const customer of customers) customer.end();
    await ownDirectLine?.stop();
  });

  it('a widget user posting handoff.status "accepted" or "completed" over the bot\'s own Direct Line changes nothing', async () => {
    const { token } = await generateToken(ownDirectLine.url, SECRET);
    const customer = new DirectLineCustomer({ domain: `${ownDirectLine.url}/v3/directline`, token, webSocket: true, locale: 'en-US' });
    customers.push(customer);
    await customer.answer('I want to talk to a person', 'email', 'en-US');
    await customer.answer('skip', null, 'en-US');
    const [record] = (await ownDirectLine.outbox.pending()).filter((candidate) => candidate.channel === 'directline');
    expect(record).toBeDefined();

    const before = customer.botMessages().length;
    for (const state of ['accepted', 'completed']) {
      await new Promise((posted, failed) =>
        customer.client.postActivity({ type: 'event', name: 'handoff.status', value: { state }, from: { id: 'anyone', name: 'Parent' } } as Activity).subscribe(posted, failed),
      );
    }
    // Turns of a conversation run in order: "hello?" is answered after both events were handled.
    await customer.say('hello?', 'en-US');
    const [reply] = await customer.waitForBotMessages(before + 1);
    const replies = customer.botMessages().slice(before);
    expect(replies.map((activity) => activity.text)).toEqual([msg('en-US', 'handoff.added')]);
    expect(reply).toBeDefined();
    // The handoff is still open: "hello?" went into the case, nothing said about the events.
    const [after] = (await ownDirectLine.outbox.pending()).filter((candidate) => candidate.id === record!.id);
    expect(after!.transcript.at(-1)).toMatchObject({ from: 'user', text: 'hello?' });
  });
});

