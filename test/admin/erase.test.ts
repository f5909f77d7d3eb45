import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningBot, startBot } from '../../src/main.js';
import type { ErasureCounts } from '../../src/privacy/erasure.js';
import { projectRoot } from '../../src/projectRoot.js';
import { generateToken } from '../support/directLineClient.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { Chat, diagnosisOf } from '../support/botServer.js';
import type { Activity } from 'botbuilder';

/**
 * POST /admin/erase over real HTTP on the SQLite-backed bot, after real conversations: a
 * web chat customer who escalated with an e-mail address and mistyped a code, another
 * customer who must keep everything, and a customer of the bot's own Direct Line. Afterwards
 * the erased person's id and address are nowhere in the file, the counts say what went,
 * and asking again erases nothing.
 */

const TOKEN = 'erase-admin-token-0123456789abcdef0123456789';
const SECRET = 'direct-line-secret-of-the-erase-tests-0123456789';
const EMAIL = 'Anna.Schmidt@example.org';
const stoppers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
});

interface ErasingBot {
  bot: RunningBot;
  url: string;
  file: string;
  logLines: string[];
}

async function start(): Promise<ErasingBot> {
  const folder = await mkdtemp(join(tmpdir(), 'gallery-erase-'));
  const dataFile = join(folder, 'platform.json');
  await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
  const file = join(folder, 'bot.sqlite');
  const env = { PORT: '0', HOST: '127.0.0.1', STORAGE: 'sqlite', STORAGE_PATH: file, PLATFORM_DATA: dataFile, ADMIN_TOKEN: TOKEN, DIRECTLINE_SECRET: SECRET };
  const logLines: string[] = [];
  const bot = await startBot(loadConfig(env), env, createLogger('info', (line) => logLines.push(line)));
  stoppers.push(async () => {
    await bot.close();
    await rm(folder, { recursive: true, force: true });
  });
  return { bot, url: bot.url, file, logLines };
}

async function erase(url: string, body: unknown, token = TOKEN): Promise<{ status: number; body: { erased?: ErasureCounts; error?: string } }> {
  const response = await fetch(`${url}/admin/erase`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { erased?: ErasureCounts; error?: string } };
}

/** Every row of every table of the file, as text: where a person's traces would show. */
function everything(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    return tables.map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())}`).join('\n');
  } finally {
    db.close();
  }
}

const NOTHING: ErasureCounts = {
  conversationStates: 0,
  directLineConversations: 0,
  directLineActivities: 0,
  cases: 0,
  waitingCustomerEntries: 0,
  transcriptActivities: 0,
  codeLookupCounters: 0,
  newCaseCounters: 0,
};

/** What the bot waits for after these replies (the last message; a handoff event carries no entity). */
function awaiting(replies: readonly Partial<Activity>[]): string | null {
  return diagnosisOf(replies.filter((reply) => reply.type === 'message').at(-1)).awaiting;
}

/** A web chat customer who mistypes a code, asks for a person and gives an e-mail address. */
async function customerWhoEscalates(url: string, userId: string): Promise<Chat> {
  const chat = new Chat(url, { channelId: 'webchat', locale: 'de-DE', userId, conversationId: `conversation-of-${userId}` });
  expect(awaiting(await chat.say('da steht, falscher Zugangscode'))).toBe('access-code');
  await chat.say(DEMO_CODES['unknown-code']);
  expect(awaiting(await chat.say('Mitarbeiter'))).toBe('email');
  expect((await chat.say(EMAIL)).some((reply) => reply.type === 'event' && reply.name === 'handoff.initiate')).toBe(true);
  return chat;
}

type LoggedActivity = Partial<Activity> & { from?: { id: string; role?: string } };

/** The bot's own Direct Line: a customer who reports an archived job's code and agrees to have the photographer told. */
async function directLineCustomer(url: string): Promise<{ userId: string; conversationId: string; token: string }> {
  const grant = await generateToken(url, SECRET);
  const headers = { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' };
  const log = async (): Promise<LoggedActivity[]> => {
    const answer = await fetch(`${url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers });
    return ((await answer.json()) as { activities: LoggedActivity[] }).activities;
  };
  const started = await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${grant.token}` } });
  expect(started.status).toBe(201);
  /** Posts, then waits until the bot's last message waits for something else than before. */
  const say = async (text: string): Promise<string | null> => {
    const before = (await log()).length;
    const posted = await fetch(`${url}/v3/directline/conversations/${grant.conversationId}/activities`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'message', from: { id: 'ignored' }, text, locale: 'en-US' }),
    });
    expect(posted.status).toBe(200);
    for (let tries = 0; tries < 400; tries++) {
      const replies = (await log()).slice(before).filter((activity) => activity.from?.role === 'bot' && activity.type === 'message');
      const last = replies.at(-1);
      if (last !== undefined && (last.entities ?? []).length > 0 && replies.length >= 1) return diagnosisOf(last).awaiting;
      await new Promise((tick) => setTimeout(tick, 50));
    }
    throw new Error('no reply over Direct Line');
  };
  expect(await say(`it says I missed the sale, code ${DEMO_CODES['job-archived']}`)).toBe('confirm');
  await say('yes please');
  const userId = (await log()).find((activity) => activity.from?.role === 'user')?.from?.id;
  expect(userId).toMatch(/^dl_/);
  return { userId: userId!, conversationId: grant.conversationId, token: grant.token };
}

describe('POST /admin/erase', { timeout: 60_000 }, () => {
  it('by channel user: their state, case, e-mail and counter are gone, another customer keeps everything, twice is a no-op', async () => {
    const { url, file, logLines } = await start();
    const anna = await customerWhoEscalates(url, 'anna-web-user');
    const other = new Chat(url, { channelId: 'webchat', locale: 'en-US', userId: 'other-web-user' });
    expect(awaiting(await other.say('it says my photos are almost ready'))).toBe('access-code');
    expect(everything(file)).toContain('anna-web-user');
    expect(everything(file)).toContain(EMAIL);

    const first = await erase(url, { user: { channelId: 'webchat', userId: 'anna-web-user' } });
    expect(first.status).toBe(200);
    // Her transcript: everything she wrote and the bot answered in her one conversation.
    expect(first.body.erased).toEqual({ ...NOTHING, conversationStates: 1, cases: 1, codeLookupCounters: 1, newCaseCounters: 1, transcriptActivities: 9 });
    const left = everything(file);
    expect(left).not.toContain('anna-web-user');
    expect(left).not.toContain(EMAIL);
    expect(left).not.toContain(anna.conversationId);

    expect((await erase(url, { user: { channelId: 'webchat', userId: 'anna-web-user' } })).body.erased).toEqual(NOTHING);
    // The other customer's conversation goes on where it was.
    expect(diagnosisOf((await other.say(DEMO_CODES['job-in-planning'])).at(-1))).toMatchObject({ scenario: 'job-in-planning' });
    // Anna, writing again, starts afresh: nothing of hers was left to continue from (no open handoff).
    expect(awaiting(await anna.say('hallo'))).toBe('symptom');

    const erasedLines = logLines.filter((line) => line.includes('personal data erased'));
    expect(erasedLines).toHaveLength(2);
    expect(logLines.join('\n')).not.toContain('anna-web-user');
    expect(logLines.join('\n')).not.toContain(EMAIL);
  });

  it('by e-mail address (any case): the cases that give it, and the conversation and person behind them', async () => {
    const { url, file } = await start();
    await customerWhoEscalates(url, 'anna-web-user');
    const result = await erase(url, { email: EMAIL.toLowerCase() });
    expect(result.status).toBe(200);
    expect(result.body.erased).toEqual({ ...NOTHING, conversationStates: 1, cases: 1, codeLookupCounters: 1, newCaseCounters: 1, transcriptActivities: 9 });
    expect(everything(file)).not.toContain('anna-web-user');
    expect(everything(file)).not.toContain(EMAIL);
    expect((await erase(url, { email: EMAIL })).body.erased).toEqual(NOTHING);
  });

  it("a Direct Line customer: the conversation log with every message, the state and the waiting-customer entry", async () => {
    const { url, file } = await start();
    const customer = await directLineCustomer(url);
    // The replies are in the log before the turn saves its state: wait for the save.
    const saved = (): boolean => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT 1 FROM bot_state WHERE document LIKE '%yes please%'").get() !== undefined;
      } finally {
        db.close();
      }
    };
    for (let tries = 0; tries < 200 && !saved(); tries++) await new Promise((tick) => setTimeout(tick, 50));
    expect(saved()).toBe(true);
    expect(everything(file)).toContain(customer.userId);
    const result = await erase(url, { user: { channelId: 'directline', userId: customer.userId } });
    expect(result.status).toBe(200);
    expect(result.body.erased?.directLineConversations).toBe(1);
    expect(result.body.erased?.directLineActivities).toBeGreaterThanOrEqual(2);
    expect(result.body.erased?.conversationStates).toBe(1);
    expect(result.body.erased?.waitingCustomerEntries).toBe(1);
    const left = everything(file);
    expect(left).not.toContain(customer.userId);
    expect(left).not.toContain(customer.conversationId);
    // The page's token names a conversation that no longer exists.
    const history = await fetch(`${url}/v3/directline/conversations/${customer.conversationId}/activities`, { headers: { authorization: `Bearer ${customer.token}` } });
    expect([403, 404]).toContain(history.status);
  });

  it('refuses anything but one user or one address, and needs the admin token', async () => {
    const { url } = await start();
    for (const body of [{}, { user: { channelId: 'webchat' } }, { email: 'not an address' }, { user: { channelId: 'webchat', userId: 'a' }, email: EMAIL }, { userId: 'a' }, []]) {
      const answer = await erase(url, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toMatch(/user.*email/);
    }
    expect((await erase(url, { email: EMAIL }, 'wrong-token')).status).toBe(401);
  });
});
