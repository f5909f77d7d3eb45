import type { Activity } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { msg } from '../support/dialogHarness.js';
import { Chat, postActivity, type TestBot, startTestBot, textOf } from '../support/botServer.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { ConnectorConversation } from '../support/connectorConversation.js';
import { DEMO_CODES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { DirectLineCustomer, generateToken } from '../support/directLineClient.js';
import { HelpdeskStandIn } from '../support/helpdeskStandIn.js';

/**
 * A customer's escalation reaches the helpdesk from the running bot, and the customer is told
 * the ticket's number in their own chat: through the bot's own Direct Line (the help chat
 * widget) and through the Bot Connector protocol (a stand-in at the activities' serviceUrl).
 */

const SECRET = 'tickets-e2e-direct-line-secret-0123456789';
const TICKETS = { pollMs: 100 };

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited for ${what}`);
    await new Promise((tick) => setTimeout(tick, 25));
  }
}

describe('over the bot’s own Direct Line, to Freshdesk', () => {
  const freshdesk = new HelpdeskStandIn({ status: 201, body: { id: 4711 } });
  let bot: TestBot;
  const customers: DirectLineCustomer[] = [];

  beforeAll(async () => {
    const url = await freshdesk.start();
    freshdesk.script.push({ status: 503 });
    bot = await startTestBot(
      { DIRECTLINE_SECRET: SECRET, HANDOFF_FORMAT: 'freshdesk', HANDOFF_WEBHOOK_URL: url, HANDOFF_API_KEY: 'fd-key' },
      { tickets: { ...TICKETS, backoff: () => 200 } },
    );
  });
  afterAll(async () => {
    for (const customer of customers) customer.end();
    await bot?.stop();
    await freshdesk.stop();
  });

  it('creates one ticket after a failed attempt and tells the customer its number in the chat, and again on "hello?"', async () => {
    const { token } = await generateToken(bot.url, SECRET);
    const customer = new DirectLineCustomer({ domain: `${bot.url}/v3/directline`, token, webSocket: true, locale: 'de-DE' });
    customers.push(customer);
    await customer.answer('Da steht Verkauf verpasst', 'access-code', 'de-DE');
    await customer.say(DEMO_CODES['job-archived'], 'de-DE');
    await customer.answer('Ich möchte mit einem Menschen sprechen', 'email', 'de-DE');
    const before = customer.botMessages().length;
    await customer.say('eltern@example.com', 'de-DE');

    const told = await waitFor('the ticket number in the chat', () =>
      customer.botMessages().slice(before).find((activity) => activity.text === msg('de-DE', 'handoff.ticket', { ticket: '#4711' })),
    );
    expect(told.entities?.find((entity) => entity.type === 'gallery-access/diagnosis')).toMatchObject({ role: 'customer', locale: 'de-DE', awaiting: null });
    expect(freshdesk.requests).toHaveLength(2);
    const body = freshdesk.requests[1]!.body as { email: string; tags: string[]; description: string };
    expect(body.email).toBe('eltern@example.com');
    expect(body.tags).toEqual(['gallery-access', 'escalation', 'role-customer', 'symptom-missed-sale', 'scenario-job-archived']);
    expect(body.description).toContain('Da steht Verkauf verpasst');

    const afterTicket = customer.botMessages().length;
    await customer.say('hallo?', 'de-DE');
    const [added] = await waitFor('the answer to "hallo?"', () => {
      const replies = customer.botMessages().slice(afterTicket);
      return replies.length > 0 ? replies : undefined;
    });
    expect(added!.text).toBe(msg('de-DE', 'handoff.addedTicket', { ticket: '#4711' }));
    // Written after the ticket: it reaches the ticket as a private note, once, in the tickets' language.
    const note = await waitFor('the note on the ticket', () => freshdesk.requests.find((request) => request.path === '/api/v2/tickets/4711/notes'));
    expect(note.method).toBe('POST');
    expect(note.headers.authorization).toBe(`Basic ${Buffer.from('fd-key:X').toString('base64')}`);
    expect(note.body).toEqual({ body: expect.stringMatching(/^<p><strong>Customer<\/strong> \(.+\): hallo\?<\/p>$/), private: true });
    await new Promise((tick) => setTimeout(tick, 300));
    expect(freshdesk.requests).toHaveLength(3);
  });
});

describe('over /api/messages (Bot Connector), to Zendesk', () => {
  const zendesk = new HelpdeskStandIn({ status: 201, body: { ticket: { id: 35436 } } });
  const connector = new ConnectorStandIn();
  let serviceUrl: string;
  let bot: TestBot;

  beforeAll(async () => {
    const url = await zendesk.start();
    serviceUrl = await connector.start();
    bot = await startTestBot({ HANDOFF_FORMAT: 'zendesk', HANDOFF_WEBHOOK_URL: url, HANDOFF_API_KEY: 'agent@example.com/token:zd-token' }, { tickets: TICKETS });
  });
  afterEach(() => connector.reset());
  afterAll(async () => {
    await bot?.stop();
    await zendesk.stop();
    await connector.stop();
  });

  let counter = 0;
  async function say(conversationId: string, text: string): Promise<void> {
    counter += 1;
    const activity: Partial<Activity> = {
      type: 'message',
      id: `${conversationId}-${counter}`,
      channelId: 'webchat',
      serviceUrl,
      conversation: { id: conversationId } as Activity['conversation'],
      from: { id: 'user-7', name: 'Parent' } as Activity['from'],
      recipient: { id: 'bot', name: 'Gallery Access Assistant' } as Activity['recipient'],
      locale: 'en-US',
      timestamp: new Date(),
      text,
    };
    const response = await postActivity(bot.url, activity);
    expect(response.status).toBeLessThan(300);
  }

  it('a customer without an e-mail address gets the ticket number as a proactive message at the serviceUrl', async () => {
    const conversationId = 'connector-ticket-1';
    await say(conversationId, 'it says I missed the sale');
    await say(conversationId, DEMO_CODES['job-archived']);
    await say(conversationId, 'agent');
    await say(conversationId, 'skip');

    const expected = msg('en-US', 'handoff.ticket', { ticket: '#35436' });
    const told = await waitFor('the proactive ticket number', () => connector.activitiesOf(conversationId).find((activity) => activity.text === expected));
    expect(told.replyToId).toBeUndefined();
    expect(told.conversation?.id).toBe(conversationId);
    expect(zendesk.requests).toHaveLength(1);
    const ticket = (zendesk.requests[0]!.body as { ticket: { requester: unknown; comment: { body: string; public: boolean } } }).ticket;
    expect(ticket.requester).toEqual({ name: 'Chat customer' });
    expect(ticket.comment.public).toBe(false);
    expect(ticket.comment.body).toContain(`No e-mail address: the customer can only be reached in the chat (conversation ${conversationId}).`);
    expect(zendesk.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('agent@example.com/token:zd-token').toString('base64')}`);
    expect((await bot.outbox.pending()).filter((record) => record.conversationId === conversationId)).toEqual([]);
  });
});

describe('SUPPORT_HOURS from the environment', () => {
  it('the customer is told when support opens next, in their language and the hours’ time zone', async () => {
    // Friday 27 November 2026, 18:30 in Berlin: support is closed until Monday.
    const bot = await startTestBot({ SUPPORT_HOURS: 'Mon-Fri 09:00-17:00 Europe/Berlin' }, { now: () => new Date('2026-11-27T17:30:00Z') });
    try {
      const chat = new Chat(bot.url, { locale: 'de-DE' });
      await chat.say('Da steht Verkauf verpasst');
      await chat.say(DEMO_CODES['job-archived']);
      await chat.say('Ich möchte mit einem Menschen sprechen');
      const handedOver = await chat.say('eltern@example.com');
      expect(textOf(handedOver.filter((activity) => activity.type === 'message'))).toBe(
        [msg('de-DE', 'escalation.requested'), msg('de-DE', 'handoff.email.known', { email: 'eltern@example.com' }), 'Unser Support-Team ist am Montag, 30. November ab 09:00 MEZ wieder für Sie da; dann antwortet Ihnen jemand.'].join('\n'),
      );
    } finally {
      await bot.stop();
    }
  });
});

describe('a photographer in Teams, to Zendesk', () => {
  const zendesk = new HelpdeskStandIn({ status: 201, body: { ticket: { id: 5150 } } });
  const connector = new ConnectorStandIn();
  let bot: TestBot;

  beforeAll(async () => {
    const url = await zendesk.start();
    await connector.start();
    bot = await startTestBot({ HANDOFF_FORMAT: 'zendesk', HANDOFF_WEBHOOK_URL: url, HANDOFF_API_KEY: 'agent@example.com/token:zd-token' }, { tickets: TICKETS });
  });
  afterAll(async () => {
    await bot?.stop();
    await zendesk.stop();
    await connector.stop();
  });

  it('gets the ticket number as a proactive message in the Teams chat, in German for a photographer', async () => {
    const lena = new ConnectorConversation(connector, bot.url, {
      channelId: 'msteams',
      locale: 'de-DE',
      from: { id: '29:lena-tickets', name: 'Lena Brandt', aadObjectId: DEMO_PHOTOGRAPHERS.lena.msteams[0] },
    });
    const handedOver = await lena.say('Ich möchte mit einem Menschen sprechen');
    expect(JSON.stringify(handedOver)).toContain(JSON.stringify(msg('de-DE', 'escalation.requested', { audience: 'photographer' })).slice(1, -1));

    const expected = msg('de-DE', 'handoff.ticket', { ticket: '#5150', audience: 'photographer' });
    const told = await waitFor('the ticket number in Teams', () => lena.received().find((activity) => JSON.stringify(activity).includes(expected)));
    expect(told.replyToId).toBeUndefined();
    expect(told.entities?.find((entity) => entity.type === 'gallery-access/diagnosis')).toMatchObject({ role: 'photographer', locale: 'de-DE' });
    expect((zendesk.requests[0]!.body as { ticket: { priority: string } }).ticket.priority).toBe('high');
  });
});
