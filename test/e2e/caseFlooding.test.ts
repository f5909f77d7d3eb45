import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSIS_ENTITY_TYPE, type DiagnosisEntity } from '../../src/channels/diagnosisEntity.js';
import { translate } from '../../src/language/messages.js';
import { ADDRESS_NEW_CASES_PER_HOUR, NEW_CASES_PER_HOUR } from '../../src/security/newCaseLimit.js';
import { Chat, lastDiagnosis, startTestBot, type TestBot, textOf } from '../support/botServer.js';

/**
 * Issue #10, case flooding, against the real server: the attack of the issue (one client
 * recording a thousand cases in seconds) repeated. One person asking again about the same
 * matter adds to their open case; new cases are limited per person and hour, and on the
 * widget's own Direct Line per client address too; everybody else goes on being served.
 */

const SECRET = 'case-flooding-direct-line-secret-0123456789';
const en = (key: Parameters<typeof translate>[1], values?: Parameters<typeof translate>[2]) => translate('en', key, values);
const LIMITED = en('case.limited', { minutes: 0 }).split('0')[0]!;

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ DIRECTLINE_SECRET: SECRET });
});

afterAll(async () => {
  await bot?.stop();
});

/** "I want a person", then "skip" at the e-mail question: one escalation, in a new conversation. */
async function escalate(chat: Chat): Promise<Partial<Activity>[]> {
  expect(lastDiagnosis(await chat.say('agent')).awaiting).toBe('email');
  const replies = await chat.say('skip');
  expect(replies.length).toBeGreaterThan(0); // never silent
  return replies;
}

describe('one person asking again and again', () => {
  it('30 escalations in 30 new conversations make one case, and each adds what was said to it', async () => {
    const userId = 'flooding-parent';
    const first = new Chat(bot.url, { userId });
    expect(textOf(await escalate(first))).toContain(en('escalation.requested'));
    let added = 0;
    for (let round = 1; round < 30; round += 1) {
      const text = textOf(await escalate(new Chat(bot.url, { userId })));
      if (text.includes(en('case.addedToOpen'))) added += 1;
      expect(text).not.toContain(LIMITED);
    }
    expect(added).toBe(29);
    const theirs = (await bot.outbox.pending()).filter((record) => record.conversationId === first.conversationId);
    expect(theirs).toHaveLength(1);
    expect((await bot.outbox.pending()).filter((record) => record.kind === 'escalation')).toHaveLength(1);
    // What was said later is in the one case, each line once.
    const userLines = theirs[0]!.transcript.filter((line) => line.from === 'user').map((line) => line.text);
    expect(userLines.filter((line) => line === 'agent')).toHaveLength(30);
    console.info(`case flooding (one person, same matter): 30 escalations in 30 conversations, 1 case recorded, 29 added to it`);
  }, 120_000);

  it(`gets ${NEW_CASES_PER_HOUR} new cases an hour for different matters, then a kind "not now", and others are not affected`, async () => {
    const userId = 'many-codes-parent';
    const codes = ['ZQ7X4WRT', 'BCDF2345', 'GHJK6789', 'MNPQ2345', 'RSTV6789', 'WXZB2345', 'CDFG6789'];
    let recorded = 0;
    let limitedAt: number | null = null;
    for (const [index, code] of codes.entries()) {
      const chat = new Chat(bot.url, { userId });
      await chat.say(`incorrect access code ${code}`);
      const replies = await escalate(chat);
      if (textOf(replies).includes(LIMITED)) {
        limitedAt = index + 1;
        expect(lastDiagnosis(replies).awaiting).toBeNull();
        break;
      }
      expect(textOf(replies)).toContain(en('escalation.requested'));
      recorded += 1;
    }
    expect(recorded).toBe(NEW_CASES_PER_HOUR);
    expect(limitedAt).toBe(NEW_CASES_PER_HOUR + 1);
    // The same matter again still adds to its open case: nothing said is lost.
    const again = new Chat(bot.url, { userId });
    await again.say(`incorrect access code ${codes[0]}`);
    expect(textOf(await escalate(again))).toContain(en('case.addedToOpen'));
    // Another parent, the same second.
    expect(textOf(await escalate(new Chat(bot.url, { userId: 'another-parent' })))).toContain(en('escalation.requested'));
    console.info(`case flooding (one person, new matters): ${recorded} new cases recorded, the limit held from case ${limitedAt}`);
  }, 120_000);
});

async function call(path: string, bearer: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${bot.url}/v3/directline${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A new Direct Line chat (a new user): says `texts` one after another, returns the bot's messages to the last. */
async function directLineChat(texts: string[]): Promise<Partial<Activity>[]> {
  const grant = await call('/tokens/generate', SECRET, {});
  const token = String(grant.body.token);
  const conversationId = String(grant.body.conversationId);
  expect((await call('/conversations', token, {})).status).toBe(201);
  let replies: Partial<Activity>[] = [];
  for (const text of texts) {
    const posted = await call(`/conversations/${conversationId}/activities`, token, { type: 'message', text, locale: 'en-US' });
    const id = String(posted.body.id);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await call(`/conversations/${conversationId}/activities`, token);
      replies = (body.activities as Partial<Activity>[]).filter((activity) => activity.type === 'message' && activity.from?.role === 'bot' && activity.replyToId === id);
      const last = replies.at(-1)?.entities?.find((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE) as DiagnosisEntity | undefined;
      // The turn is over when its last message asks something, or says the case is with people.
      if (last !== undefined && (last.awaiting !== null || text === 'skip')) break;
      if (Date.now() > deadline) throw new Error(`no answer to "${text}"`);
      await new Promise((tick) => setTimeout(tick, 25));
    }
  }
  return replies;
}

describe('a client opening new chats from one address to record cases', () => {
  it(`is stopped at ${ADDRESS_NEW_CASES_PER_HOUR} new cases from that address, each chat a new Direct Line user`, async () => {
    let recorded = 0;
    let limitedAt: number | null = null;
    for (let chat = 1; chat <= ADDRESS_NEW_CASES_PER_HOUR + 2 && limitedAt === null; chat += 1) {
      const text = (await directLineChat(['agent', 'skip'])).map((reply) => reply.text).join(' ');
      if (text.includes(LIMITED)) limitedAt = chat;
      else {
        expect(text).toContain(en('escalation.requested'));
        recorded += 1;
      }
    }
    expect(recorded).toBe(ADDRESS_NEW_CASES_PER_HOUR);
    expect(limitedAt).toBe(ADDRESS_NEW_CASES_PER_HOUR + 1);
    // A parent whose turns come through a channel is served as before.
    expect(textOf(await escalate(new Chat(bot.url, { userId: 'parent-on-a-channel' })))).toContain(en('escalation.requested'));
    console.info(`case flooding (Direct Line, one address): ${recorded} new cases from ${recorded + 1} new chats; the address limit held from chat ${limitedAt}`);
  }, 300_000);
});
