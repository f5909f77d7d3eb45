import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Activity, TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT_LINE_SERVICE_URL } from '../../src/directline/directLineAdapter.js';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { DirectLineCustomer, entityOf, generateToken } from '../support/directLineClient.js';

/**
 * The official client, botframework-directlinejs, holds whole conversations against the
 * bot's own Direct Line: over the WebSocket stream and by polling, into the same bot and
 * turn logic as /api/messages, replies pushed as the bot sends them, proactive messages
 * through a kept conversation reference, and a conversation that survives a restart.
 */

const SECRET = 'test-directline-secret-0123456789abcdef';

describe.each([
  { mode: 'WebSocket', webSocket: true },
  { mode: 'polling', webSocket: false },
])('botframework-directlinejs over $mode', ({ webSocket }) => {
  let bot: TestBot;
  const customers: DirectLineCustomer[] = [];

  beforeAll(async () => {
    bot = await startTestBot({ DIRECTLINE_SECRET: SECRET });
  });
  afterAll(async () => {
    for (const customer of customers) customer.end();
    await bot.stop();
  });

  async function customer(locale = 'en-US'): Promise<DirectLineCustomer> {
    const { token } = await generateToken(bot.url, SECRET);
    const created = new DirectLineCustomer({ domain: `${bot.url}/v3/directline`, token, webSocket, locale });
    customers.push(created);
    return created;
  }

  it('a customer is greeted, picks the screen, gives the code and gets the diagnosis', async () => {
    const parent = await customer();
    const [greeting] = await parent.waitForSlot('symptom');
    expect(greeting?.channelId).toBe('directline');
    expect(greeting?.from?.role).toBe('bot');
    expect(entityOf(greeting).role).toBe('customer');
    // The pictures, one per shop screen, each with its button.
    expect(greeting?.attachments?.map((card) => card.content.buttons[0].value.choice)).toEqual(['almost-ready', 'incorrect-code', 'missed-sale']);

    const codeQuestion = await parent.answer('“Your photos are almost ready”', 'access-code');
    expect(entityOf(codeQuestion.at(-1)).symptom).toBe('almost-ready');

    const diagnosis = await parent.answer(DEMO_CODES['job-in-planning'], 'confirm');
    const entity = entityOf(diagnosis.at(-1));
    expect(entity).toMatchObject({ role: 'customer', symptom: 'almost-ready', scenario: 'job-in-planning', awaiting: 'confirm', locale: 'en-US' });
    // Every activity has the server's id, in order, with strictly increasing timestamps.
    const ids = parent.received.filter((activity) => activity.type === 'message').map((activity) => activity.id ?? '');
    const numbers = ids.map((id) => Number(id.split('|')[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    const times = parent.received.filter((activity) => activity.type === 'message').map((activity) => Date.parse(String(activity.timestamp)));
    for (let index = 1; index < times.length; index += 1) expect(times[index]!).toBeGreaterThan(times[index - 1]!);
  });

  it("echoes the customer's own message with its client activity id and answers it by replyToId", async () => {
    const parent = await customer();
    await parent.waitForSlot('symptom');
    const id = await parent.say('it says missed the sale, my code is MXR2 9PLT');
    expect(id).toMatch(/\|\d{7}$/);
    await parent.waitForSlot('confirm', 1);
    const echo = parent.received.find((activity) => activity.id === id);
    expect(echo?.from?.role).toBe('user');
    expect((echo?.channelData as { clientActivityID?: string }).clientActivityID).toMatch(/^client-/);
    const replies = parent.botMessages().filter((activity) => activity.replyToId === id);
    expect(replies.length).toBeGreaterThan(0);
    expect(entityOf(replies.at(-1)).scenario).toBe('job-archived');
  });

  it('answers in the locale the customer writes in, as a customer whatever they claim', async () => {
    const parent = await customer('de-DE');
    const [greeting] = await parent.waitForSlot('symptom');
    expect(entityOf(greeting).locale).toBe('de-DE');
    const replies = await parent.answer('Ich bin der Fotograf. Da steht Verkauf verpasst, Code MXR29PLT', 'confirm', 'de-DE');
    expect(entityOf(replies.at(-1))).toMatchObject({ role: 'customer', locale: 'de-DE', scenario: 'job-archived' });
  });
});

describe('proactive messages and restarts', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gallery-directline-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function sqliteBot(): Promise<TestBot> {
    return startTestBot({ DIRECTLINE_SECRET: SECRET, STORAGE: 'sqlite', STORAGE_PATH: join(folder, 'bot.sqlite') });
  }

  it('a proactive message through a kept conversation reference lands in the conversation and reaches the open page', async () => {
    const bot = await sqliteBot();
    const { token } = await generateToken(bot.url, SECRET);
    const parent = new DirectLineCustomer({ domain: `${bot.url}/v3/directline`, token, webSocket: true });
    try {
      await parent.waitForSlot('symptom');
      const id = await parent.say('my photos are almost ready, code KDG477QP');
      await parent.waitForSlot('confirm', 1);
      const userActivity = parent.received.find((activity) => activity.id === id) as Partial<Activity>;
      // What a turn keeps (TurnContext.getConversationReference of the incoming activity).
      const reference = TurnContext.getConversationReference({ ...userActivity, serviceUrl: DIRECT_LINE_SERVICE_URL });
      const before = parent.botMessages().length;
      await bot.adapter.continueConversationAsync('', reference, async (context) => {
        await context.sendActivity('Good news: the photographer has opened your gallery.');
      });
      const [proactive] = (await parent.waitForBotMessages(before + 1)).slice(before);
      expect(proactive?.text).toBe('Good news: the photographer has opened your gallery.');
      expect(proactive?.id).toMatch(/\|\d{7}$/);
      expect(proactive?.from?.role).toBe('bot');
    } finally {
      parent.end();
      await bot.stop();
    }
  });

  it('a conversation survives a restart of the bot: the same token resumes it with its history', async () => {
    let bot = await sqliteBot();
    const { token, conversationId } = await generateToken(bot.url, SECRET);
    const first = new DirectLineCustomer({ domain: `${bot.url}/v3/directline`, token, webSocket: true });
    let said: number;
    try {
      await first.waitForSlot('symptom');
      await first.answer('“Your photos are almost ready”', 'access-code');
      said = first.received.filter((activity) => activity.type === 'message').length;
    } finally {
      first.end();
      await bot.stop();
    }

    bot = await sqliteBot();
    const resumed = new DirectLineCustomer({ domain: `${bot.url}/v3/directline`, token: first.client.token ?? token, conversationId, webSocket: true });
    try {
      // The whole history comes back, then the conversation goes on where it was.
      await resumed.waitForSlot('access-code');
      expect(resumed.received.filter((activity) => activity.type === 'message')).toHaveLength(said);
      const diagnosis = await resumed.answer(DEMO_CODES['job-in-planning'], 'confirm');
      expect(entityOf(diagnosis.at(-1))).toMatchObject({ symptom: 'almost-ready', scenario: 'job-in-planning' });
    } finally {
      resumed.end();
      await bot.stop();
    }
  });
});
