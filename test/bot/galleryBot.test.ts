import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { suggestArchiveDates } from '../../src/domain/archiveDate.js';
import { normalizeAccessCode } from '../../src/domain/accessCode.js';
import { caseStateSchema } from '../../src/bot/caseStateSchema.js';
import { translate } from '../../src/language/messages.js';
import type { Logger } from '../../src/logger.js';
import type { PlatformPort } from '../../src/platform/port.js';
import { type AdapterBot, type AdapterBotOptions, createAdapterBot, messageFrom } from '../support/adapterBot.js';
import { todayIn } from '../support/calendar.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { allText, checkContract, jobIn, lastEntity, replyLines } from '../support/photographerChat.js';

/**
 * Review fixes 8 and 9, on a GalleryBot wired like src/main.ts over botbuilder's TestAdapter:
 * a case whose turns keep failing is dropped after the second failure in a row, and a case
 * stored by an older release (without today's fields) continues.
 */

const en = (key: Parameters<typeof translate>[1], values?: Parameters<typeof translate>[2]) => translate('en', key, values);

const bots: AdapterBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

async function adapterBot(options: AdapterBotOptions = {}): Promise<AdapterBot> {
  const bot = await createAdapterBot(options);
  bots.push(bot);
  return bot;
}

/** A code whose lookup hits a bug (a plain Error, not PlatformUnavailableError) while `broken.on` is true. */
const POISON = DEMO_CODES['job-archived'];
function withBuggyLookup(broken: { on: boolean; calls: number }): (embedded: PlatformPort) => PlatformPort {
  return (embedded) => ({
    lookupCode: async (code) => {
      if (broken.on && normalizeAccessCode(code) === POISON) {
        broken.calls += 1;
        throw new Error('bug: lookup exploded');
      }
      return embedded.lookupCode(code);
    },
    photographerByChannelUser: (channel, userId) => embedded.photographerByChannelUser(channel, userId),
    findJobs: (photographerId, query) => embedded.findJobs(photographerId, query),
    getJob: (jobId) => embedded.getJob(jobId),
    applyChange: (change, options) => embedded.applyChange(change, options),
  });
}

function webChatPerson(conversationId: string, userId = 'parent-1') {
  return { channelId: 'webchat', conversationId, from: { id: userId }, locale: 'en-US' };
}

function say(bot: AdapterBot, person: ReturnType<typeof webChatPerson>, text: string): Promise<Partial<Activity>[]> {
  return bot.send(messageFrom(person, { text }));
}

function checked(replies: Partial<Activity>[]): Partial<Activity>[] {
  for (const reply of replies) checkContract(reply);
  return replies;
}

describe('a case that keeps failing is dropped', () => {
  it('first failure: error.generic, the state is kept and a retry continues the same case', async () => {
    const broken = { on: true, calls: 0 };
    const bot = await adapterBot({ platform: withBuggyLookup(broken) });
    const parent = webChatPerson('conv-retry');
    const asked = checked(await say(bot, parent, 'it says missed the sale'));
    expect(lastEntity(asked)).toMatchObject({ role: 'customer', symptom: 'missed-sale', awaiting: 'access-code' });
    const storedBefore = JSON.stringify((await bot.read(messageFrom(parent, {})))?.case);

    const failed = checked(await say(bot, parent, POISON));
    expect(broken.calls).toBe(1);
    expect(bot.turnErrors).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.text).toBe(en('error.generic'));
    expect(JSON.stringify((await bot.read(messageFrom(parent, {})))?.case)).toBe(storedBefore);

    broken.on = false;
    const retried = checked(await say(bot, parent, POISON));
    // Still the same case: the symptom given before the failure is known, the code is diagnosed.
    expect(lastEntity(retried)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
    expect(allText(retried)).not.toContain(en('greeting'));
  });

  it('second failure in a row: error.caseDropped, and the next message starts a new case', async () => {
    const broken = { on: true, calls: 0 };
    const bot = await adapterBot({ platform: withBuggyLookup(broken) });
    const parent = webChatPerson('conv-drop');
    checked(await say(bot, parent, 'it says missed the sale'));
    const first = checked(await say(bot, parent, POISON));
    expect(first.map((reply) => reply.text)).toEqual([en('error.generic')]);
    const second = checked(await say(bot, parent, POISON));
    expect(second.map((reply) => reply.text)).toEqual([en('error.caseDropped')]);
    expect(lastEntity(second).awaiting).toBeNull();
    expect(await bot.read(messageFrom(parent, {}))).toBeUndefined();

    broken.on = false;
    const fresh = checked(await say(bot, parent, 'hello'));
    expect(lastEntity(fresh)).toMatchObject({ role: 'customer', symptom: null, scenario: null, awaiting: 'symptom' });
    expect(allText(fresh)).toContain(en('greeting'));
    expect(allText(fresh)).not.toContain(en('error.generic'));
    const code = checked(await say(bot, parent, 'missed the sale'));
    expect(lastEntity(code).awaiting).toBe('access-code');
    const diagnosed = checked(await say(bot, parent, POISON));
    expect(lastEntity(diagnosed)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('a success in between resets the count: fail, succeed, fail is still error.generic with the case kept', async () => {
    const broken = { on: true, calls: 0 };
    const bot = await adapterBot({ platform: withBuggyLookup(broken) });
    const parent = webChatPerson('conv-reset');
    checked(await say(bot, parent, 'it says missed the sale'));
    expect((await say(bot, parent, POISON)).map((reply) => reply.text)).toEqual([en('error.generic')]);
    // A successful turn: "help" at the code question.
    const help = checked(await say(bot, parent, 'help'));
    expect(lastEntity(help).awaiting).toBe('access-code');
    const again = checked(await say(bot, parent, POISON));
    expect(again.map((reply) => reply.text)).toEqual([en('error.generic')]);
    expect(lastEntity(again).awaiting).not.toBeNull();
    expect((await bot.read(messageFrom(parent, {})))?.case).toMatchObject({ symptom: 'missed-sale' });
    broken.on = false;
    const diagnosed = checked(await say(bot, parent, POISON));
    expect(lastEntity(diagnosed)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
  });

  it("one failure each of two photographers in the same Slack channel drops neither person's case", async () => {
    const broken = { on: true, calls: 0 };
    const bot = await adapterBot({ platform: withBuggyLookup(broken) });
    const member = (slackId: string, locale: string) => ({
      channelId: 'slack',
      conversationId: 'C0SHARED:T0DEMOTEAM',
      from: { id: `${slackId}:T0DEMOTEAM` },
      locale,
      channelData: { SlackMessage: { type: 'event_callback', team_id: 'T0DEMOTEAM', event: { type: 'message', user: slackId, channel: 'C0SHARED' } } },
    });
    const lena = member(DEMO_PHOTOGRAPHERS.lena.slack[0], 'de-DE');
    const megan = member(DEMO_PHOTOGRAPHERS.megan.slack[0], 'en-US');
    const send = (person: typeof lena, text: string) => bot.send(messageFrom(person, { text, channelData: person.channelData }));
    expect(lastEntity(checked(await send(lena, 'Verkauf verpasst'))).awaiting).toBe('access-code');
    expect(lastEntity(checked(await send(megan, 'missed the sale'))).awaiting).toBe('access-code');
    expect(checked(await send(lena, POISON)).map((reply) => reply.text)).toEqual([translate('de', 'error.generic', { audience: 'photographer' })]);
    // Megan's first failure is her case's first failure: it is kept.
    expect(checked(await send(megan, POISON)).map((reply) => reply.text)).toEqual([en('error.generic')]);
    expect((await bot.read(messageFrom(megan, {})))?.case).toMatchObject({ symptom: 'missed-sale' });
    expect((await bot.read(messageFrom(lena, {})))?.case).toMatchObject({ symptom: 'missed-sale' });
  });
});

/** Removes every field a newer release added, in the case and in the dialog states of the stack. */
function asOlderRelease(item: Record<string, unknown>): Record<string, unknown> {
  const old = structuredClone(item);
  const stored = old.case as Record<string, unknown>;
  for (const field of ['plan', 'done', 'appliedChanges', 'questionId', 'wrongCodes', 'replans', 'greeted']) delete stored[field];
  const strip = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(strip);
    else if (value !== null && typeof value === 'object') {
      delete (value as Record<string, unknown>).questionId;
      Object.values(value).forEach(strip);
    }
  };
  strip(old.DialogState);
  return old;
}

describe('a case stored by an older release', () => {
  it('a customer at the access-code question continues: a wrong code, then the right one, without an error', async () => {
    const bot = await adapterBot();
    const parent = webChatPerson('conv-old-customer');
    checked(await say(bot, parent, 'it says missed the sale'));
    const item = await bot.read(messageFrom(parent, {}));
    expect(item?.DialogState).toBeDefined();
    await bot.write(messageFrom(parent, {}), asOlderRelease(item!));
    expect(((await bot.read(messageFrom(parent, {})))?.case as Record<string, unknown>).wrongCodes).toBeUndefined();

    const wrong = checked(await say(bot, parent, DEMO_CODES['unknown-code']));
    expect(allText(wrong)).not.toContain(en('error.generic'));
    expect(lastEntity(wrong)).toMatchObject({ symptom: 'missed-sale', awaiting: 'access-code' });
    const right = checked(await say(bot, parent, DEMO_CODES['job-archived']));
    expect(bot.turnErrors).toEqual([]);
    expect(lastEntity(right)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
    // The question has a number again, which its buttons carry.
    const question = (right.at(-1)!.suggestedActions!.actions[0]!.value as { question: unknown }).question;
    expect(Number.isInteger(question)).toBe(true);
    const recorded = checked(await say(bot, parent, 'yes'));
    expect(allText(recorded)).toContain(en('notify.recorded'));
    expect(await bot.outbox.pending()).toHaveLength(1);
  });

  it('a photographer at the confirmation of a reopen continues: "ja" applies the change once, without an error', async () => {
    const bot = await adapterBot();
    const lenaAccount = DEMO_PHOTOGRAPHERS.lena;
    const lena = { channelId: 'msteams', conversationId: 'conv-old-teams', from: { id: '29:lena-old', aadObjectId: lenaAccount.msteams[1] }, locale: 'de-DE' };
    checked(await bot.send(messageFrom(lena, { text: `Verkauf verpasst, Code ${DEMO_CODES['job-archived']}` })));
    checked(await bot.send(messageFrom(lena, { value: { choice: 'auto' } })));
    const date = suggestArchiveDates(todayIn(lenaAccount.timeZone, new Date()))[2]!;
    const summary = checked(await bot.send(messageFrom(lena, { value: { choice: date } })));
    expect(lastEntity(summary)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
    const item = await bot.read(messageFrom(lena, {}));
    await bot.write(messageFrom(lena, {}), asOlderRelease(item!));

    const done = checked(await bot.send(messageFrom(lena, { text: 'ja' })));
    expect(bot.turnErrors).toEqual([]);
    expect(allText(done)).not.toContain(translate('de', 'error.generic', { audience: 'photographer' }));
    expect(done.some((reply) => replyLines(reply)[0] === translate('de', 'change.doneTitle'))).toBe(true);
    const jobId = DEMO_CASES['job-archived'].jobId!;
    expect(await jobIn(bot.dataFile, jobId)).toMatchObject({ status: 'selling', archiving: { enabled: true, date }, campaignActive: false });
    // The conversation goes on (a question or the end of the walk-through), never an error.
    const next = checked(await bot.send(messageFrom(lena, { text: 'erledigt' })));
    expect(bot.turnErrors).toEqual([]);
    expect(next.length).toBeGreaterThan(0);
    expect(allText(next)).not.toContain(translate('de', 'error.generic', { audience: 'photographer' }));
    expect(allText(next)).not.toContain(translate('de', 'error.caseDropped', { audience: 'photographer' }));
  });
});

describe('a stored case that does not fit its schema', () => {
  /** A logger that keeps what it was told, to see the entry a reset leaves. */
  function recordingLogger(): Logger & { lines: { level: string; message: string; fields: Record<string, unknown> }[] } {
    const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    const at =
      (level: string) =>
      (message: string, fields: Record<string, unknown> = {}) =>
        lines.push({ level, message, fields });
    const logger = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
    return logger;
  }

  it.each([
    ['a counter that is text', (item: Record<string, unknown>) => ({ ...item, case: { ...(item.case as object), wrongCodes: 'many' } })],
    ['an unknown scenario and an oversized transcript line', (item: Record<string, unknown>) => ({ ...item, case: { ...(item.case as object), scenario: 'hacked', transcript: [{ from: 'user', text: 'x'.repeat(50_000), at: 'yesterday' }] } })],
    ['a case that is not an object', (item: Record<string, unknown>) => ({ ...item, case: 'MXR29PLT' })],
    ['a case that is null', (item: Record<string, unknown>) => ({ ...item, case: null })],
    ['a dialog stack that is not a list', (item: Record<string, unknown>) => ({ ...item, DialogState: { dialogStack: { id: 'main' } } })],
    ['a remembered activity list that is a number', (item: Record<string, unknown>) => ({ ...item, recentActivities: 42, case: { ...(item.case as object), role: 'admin' } })],
  ])('%s: the person starts afresh with a friendly line, the turn does not fail, and the log says which fields', async (_name, damage) => {
    const logger = recordingLogger();
    const bot = await adapterBot({ logger });
    const parent = webChatPerson(`conv-damaged-${Math.random()}`);
    checked(await say(bot, parent, 'it says missed the sale'));
    const item = await bot.read(messageFrom(parent, {}));
    await bot.write(messageFrom(parent, {}), damage(item!));

    const replies = checked(await say(bot, parent, DEMO_CODES['job-archived']));
    expect(bot.turnErrors).toEqual([]);
    expect(replies[0]?.text).toBe(en('error.caseReset'));
    // Then the conversation goes on from the start, with what the person just wrote.
    expect(replies.length).toBeGreaterThan(1);
    expect(allText(replies)).not.toContain(en('error.generic'));
    const warning = logger.lines.find((line) => line.message.includes('does not fit its schema'));
    expect(warning?.level).toBe('warn');
    expect((warning?.fields.fields as string[]).length).toBeGreaterThan(0);
    // Which fields, never their content.
    expect(JSON.stringify(logger.lines)).not.toMatch(/MXR2|xxxxxxxx|hacked|many/);

    // What is stored now fits, and the next turn is an ordinary one.
    expect(caseStateSchema.safeParse((await bot.read(messageFrom(parent, {})))?.case).success).toBe(true);
    const next = checked(await say(bot, parent, 'restart'));
    expect(bot.turnErrors).toEqual([]);
    expect(allText(next)).not.toContain(en('error.caseReset'));
  });

  it('a case of an older release that lacks fields is not a damaged case', async () => {
    const logger = recordingLogger();
    const bot = await adapterBot({ logger });
    const parent = webChatPerson('conv-older-not-damaged');
    checked(await say(bot, parent, 'it says missed the sale'));
    const item = await bot.read(messageFrom(parent, {}));
    await bot.write(messageFrom(parent, {}), asOlderRelease(item!));
    const replies = checked(await say(bot, parent, DEMO_CODES['job-archived']));
    expect(allText(replies)).not.toContain(en('error.caseReset'));
    expect(logger.lines.filter((line) => line.message.includes('does not fit its schema'))).toEqual([]);
  });
});
