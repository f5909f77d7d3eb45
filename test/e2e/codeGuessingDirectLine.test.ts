import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSIS_ENTITY_TYPE, type DiagnosisEntity } from '../../src/channels/diagnosisEntity.js';
import { normalizeAccessCode } from '../../src/domain/accessCode.js';
import { translate } from '../../src/language/messages.js';
import { ADDRESS_FAILED_LOOKUPS, FAILED_LOOKUPS } from '../../src/security/codeLookupLimit.js';
import { Chat, lastDiagnosis, startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';

/**
 * Issue #10, access-code guessing on the widget's own Direct Line: a client that opens a
 * new chat (a new Direct Line user) for every three guesses is a new person each time, so
 * the person limit alone never stops it; the limit per client address does. All requests
 * of this file come from 127.0.0.1, one address, as an attacker's would.
 */

const SECRET = 'code-guessing-direct-line-secret-0123456789';
const LETTERS = 'BCDFGHJKMNPQRSTVWXZ';
const DIGITS = '23456789';
const KNOWN = new Set(Object.values(DEMO_CODES).map((code) => normalizeAccessCode(code)));
const LIMITED = translate('en', 'customer.codeLimited', { minutes: 0 }).split('0')[0]!;

function* unknownCodes(seed: number): Generator<string> {
  let state = seed;
  const pick = (alphabet: string): string => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return alphabet[state % alphabet.length]!;
  };
  for (;;) {
    const code = `${pick(LETTERS)}${pick(LETTERS)}${pick(LETTERS)}${pick(DIGITS)}${pick(DIGITS)}${pick(LETTERS)}${pick(LETTERS)}${pick(LETTERS)}`;
    if (!KNOWN.has(normalizeAccessCode(code))) yield code;
  }
}

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ DIRECTLINE_SECRET: SECRET });
});

afterAll(async () => {
  await bot?.stop();
});

async function call(path: string, bearer: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${bot.url}/v3/directline${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const diagnosis = (activity: Partial<Activity>): DiagnosisEntity | undefined =>
  activity.entities?.find((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE) as DiagnosisEntity | undefined;

/** One chat over plain Direct Line 3.0 HTTP: a new conversation, so a new Direct Line user. */
class NewChat {
  private constructor(
    private readonly token: string,
    private readonly conversationId: string,
  ) {}

  static async open(): Promise<NewChat> {
    const grant = await call('/tokens/generate', SECRET, {});
    expect(grant.status).toBe(200);
    const chat = new NewChat(String(grant.body.token), String(grant.body.conversationId));
    expect((await call('/conversations', chat.token, {})).status).toBe(201);
    await chat.repliesTo(null); // the greeting
    return chat;
  }

  /** The bot's messages of the turn for `id` (null: the greeting), once its last one asks something. */
  private async repliesTo(id: string | null): Promise<Partial<Activity>[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await call(`/conversations/${this.conversationId}/activities`, this.token);
      const replies = (body.activities as Partial<Activity>[]).filter(
        (activity) => activity.from?.role === 'bot' && activity.type === 'message' && (id === null ? true : activity.replyToId === id),
      );
      if (replies.length > 0 && diagnosis(replies.at(-1)!)?.awaiting != null) return replies;
      if (Date.now() > deadline) throw new Error(`no complete answer to ${id}: ${JSON.stringify(replies.map((reply) => reply.text))}`);
      await new Promise((tick) => setTimeout(tick, 25));
    }
  }

  async say(text: string): Promise<Partial<Activity>[]> {
    const posted = await call(`/conversations/${this.conversationId}/activities`, this.token, { type: 'message', text, locale: 'en-US' });
    expect(posted.status).toBe(200);
    return this.repliesTo(String(posted.body.id));
  }
}

const limited = (replies: Partial<Activity>[]): boolean => replies.some((reply) => (reply.text ?? '').includes(LIMITED));

describe('a client opening new chats from one address to try codes', () => {
  it(`is stopped at ${ADDRESS_FAILED_LOOKUPS} failed lookups from that address, though no Direct Line user reached ${FAILED_LOOKUPS}`, async () => {
    const codes = unknownCodes(41);
    let tried = 0;
    let chats = 0;
    let limitedAt: number | null = null;
    while (limitedAt === null && tried < ADDRESS_FAILED_LOOKUPS + 10) {
      const chat = await NewChat.open();
      chats += 1;
      expect(lastDiagnosis(await chat.say('it says incorrect access code')).awaiting).toBe('access-code');
      for (let guess = 0; guess < 3; guess += 1) {
        const replies = await chat.say(codes.next().value!);
        tried += 1;
        if (limited(replies)) {
          limitedAt = tried;
          break;
        }
        if (lastDiagnosis(replies).awaiting !== 'access-code') break;
      }
    }
    expect(limitedAt).toBe(ADDRESS_FAILED_LOOKUPS);
    expect(chats).toBeGreaterThan(ADDRESS_FAILED_LOOKUPS / 3); // never more than three guesses per Direct Line user

    // From that address even a brand-new chat with a real code is paused, and is offered support.
    const fresh = await NewChat.open();
    const realCode = await fresh.say(`it says missed the sale, my code is ${DEMO_CODES['job-archived']}`);
    expect(limited(realCode)).toBe(true);
    expect(lastDiagnosis(realCode).scenario).not.toBe('job-archived');
    expect(realCode.map((reply) => reply.text).join(' ')).toContain(translate('en', 'notify.offerSupport'));

    // A parent whose turns come through a channel (no client address of theirs) is served as before.
    const other = await new Chat(bot.url, { userId: 'parent-elsewhere' }).say(`it says missed the sale, my code is ${DEMO_CODES['job-archived']}`);
    expect(lastDiagnosis(other).scenario).toBe('job-archived');

    console.info(`code guessing (Direct Line, one address): ${tried} unknown codes tried in ${chats} new chats; the address limit held from try ${limitedAt}`);
  }, 300_000);
});
