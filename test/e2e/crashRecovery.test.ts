import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { suggestArchiveDates, todayIn } from '../../src/domain/archiveDate.js';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { localizer } from '../../src/language/messages.js';
import { type BotProcess, freePort, spawnBot } from '../support/botProcess.js';
import { diagnosisOf } from '../support/botServer.js';
import { generateToken } from '../support/directLineClient.js';
import { postActivity } from '../support/botServer.js';
import { DEMO_CASES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { allText, ContractChat, lastEntity, teamsPhotographer } from '../support/photographerChat.js';
import { PLATFORM_TOKEN, startTestPlatformApi, type TestPlatformApi } from '../support/platformApi.js';

/**
 * The SQLite-backed bot as a real process, killed with SIGKILL: between two turns of a
 * conversation, and once in the worst place, after the platform applied a confirmed
 * change and before the bot could save its state. Restarted on the same file, the
 * conversation goes on where it was, and the change is applied exactly once.
 */

const ARCHIVED = DEMO_CASES['job-archived'];
const PLANNING = DEMO_CASES['job-in-planning'];
let api: TestPlatformApi;
let folder: string;
let port: number;
const running: BotProcess[] = [];

const SECRET = 'direct-line-secret-of-the-crash-tests-0123456789';

async function start(): Promise<BotProcess> {
  const bot = spawnBot(folder, {
    DIRECTLINE_SECRET: SECRET,
    PORT: String(port),
    HOST: '127.0.0.1',
    STORAGE: 'sqlite',
    STORAGE_PATH: join(folder, 'bot.sqlite'),
    PLATFORM_API_URL: api.url,
    PLATFORM_API_TOKEN: PLATFORM_TOKEN,
    LOG_LEVEL: 'info',
  });
  running.push(bot);
  await bot.listening(30_000);
  return bot;
}

async function post(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
  const response = await postActivity(`http://127.0.0.1:${port}`, activity);
  expect(response.status).toBe(200);
  return ((await response.json()) as { activities?: Partial<Activity>[] }).activities ?? [];
}

interface DataFile {
  jobs: { id: string; name: string; status: string; archiving: { enabled: boolean; date: string | null }; campaignActive: boolean }[];
  appliedChanges?: { key: string; change: string }[];
}

async function platformData(): Promise<DataFile> {
  return JSON.parse(await readFile(api.dataFile, 'utf8')) as DataFile;
}

// A platform of its own for each test: its data and the requests it saw start from the demo data.
beforeEach(async () => {
  api = await startTestPlatformApi();
});

afterEach(async () => {
  for (const bot of running.splice(0)) await bot.kill();
  await api.stop();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

async function freshFolder(): Promise<void> {
  folder = await mkdtemp(join(tmpdir(), 'gallery-crash-'));
  port = await freePort();
}

describe('SIGKILL', { timeout: 120_000 }, () => {
  it('between two turns: the restarted bot goes on with the conversation where it was', async () => {
    await freshFolder();
    let bot = await start();
    const parent = new ContractChat(`http://127.0.0.1:${port}`, { channelId: 'webchat', locale: 'en-US', role: 'customer' });
    expect(lastEntity(await parent.say('it says I missed the sale')).awaiting).toBe('access-code');
    bot.signal('SIGKILL');
    await bot.exited;
    bot = await start();
    const replies = await parent.say(formatAccessCode(ARCHIVED.code));
    expect(lastEntity(replies)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived' });
  });

  /** Lena at the confirmation of a reopening; the platform applies her "yes" and the bot dies before it can save or answer. */
  async function lenaYesLostInCrash(): Promise<{ lena: ContractChat; yes: Partial<Activity>; date: string; applied: { key: string } }> {
    await freshFolder();
    const bot = await start();
    const lena: ContractChat = teamsPhotographer(`http://127.0.0.1:${port}`, 'lena');
    expect(lastEntity(await lena.say(`Eine Mutter sieht „Verkauf verpasst“ – Code ${formatAccessCode(ARCHIVED.code)}`))).toMatchObject({
      scenario: 'job-archived',
      awaiting: 'step-result',
    });
    await lena.submit({ choice: 'auto' });
    const date = suggestArchiveDates(todayIn(DEMO_PHOTOGRAPHERS.lena.timeZone, new Date()))[1]!;
    expect(lastEntity(await lena.submit({ choice: date }))).toMatchObject({ awaiting: 'confirm' });

    // The platform applies the PATCH; the bot dies before the answer reaches it.
    api.fault(
      {
        kind: 'after',
        run: async () => {
          bot.signal('SIGKILL');
          await bot.exited;
        },
      },
      { times: 1, match: (request) => request.method === 'PATCH' },
    );
    const yes = lena.activity({ value: { choice: 'yes' } });
    await expect(postActivity(`http://127.0.0.1:${port}`, yes)).rejects.toThrow();
    await bot.exited;
    const [applied, ...more] = (await platformData()).appliedChanges!;
    expect(more).toEqual([]);
    expect((await platformData()).jobs.find((job) => job.id === ARCHIVED.jobId)).toMatchObject({ status: 'selling', archiving: { date } });
    return { lena, yes, date, applied: applied! };
  }

  it('after the platform applied a confirmed change and before the state save: applied exactly once; the redelivered "yes" is told it is in place', async () => {
    const { lena, yes, date, applied } = await lenaYesLostInCrash();
    // The channel redelivers the activity that got no answer; the restarted bot was never told the change went through.
    await start();
    // The job is as the change makes it: nothing is sent again, and the bot says so instead of a summary.
    const redelivered = await post(yes);
    const name = (await platformData()).jobs.find((job) => job.id === ARCHIVED.jobId)!.name;
    expect(allText(redelivered)).toContain(lena.t('change.alreadyInEffect', { job: name }));
    expect(allText(redelivered)).not.toContain(lena.t('change.summaryTitle'));
    expect(api.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    expect((await platformData()).appliedChanges?.map((change) => change.key)).toEqual([applied.key]);
    expect((await platformData()).jobs.find((job) => job.id === ARCHIVED.jobId)?.archiving.date).toBe(date);

    // And the conversation goes on from the saved state: a further "yes" does not change anything again.
    const again = await lena.submit({ choice: 'yes' });
    expect(again.length).toBeGreaterThan(0);
    expect((await platformData()).appliedChanges).toHaveLength(1);
  });

  it('the same, with the job changed by someone else before the redelivery: the summary again from the job as it is, and its "yes" is a new change', async () => {
    const { lena, yes, date, applied } = await lenaYesLostInCrash();
    // Meanwhile the job is changed on the platform by someone else: a blind second application would undo that.
    const later = suggestArchiveDates(todayIn(DEMO_PHOTOGRAPHERS.lena.timeZone, new Date()))[2]!;
    await api.platform.applyChange({ kind: 'reopen-job', jobId: ARCHIVED.jobId!, photographerId: DEMO_PHOTOGRAPHERS.lena.id, archiveDate: later }, { idempotencyKey: 'by-hand' });

    await start();
    // The job is not as the summary showed it: nothing is sent, and the summary is shown again, with both dates.
    const redelivered = await post(yes);
    expect(allText(redelivered)).toContain(lena.t('change.changedMeanwhile', { job: (await platformData()).jobs.find((job) => job.id === ARCHIVED.jobId)!.name }));
    expect(allText(redelivered)).toContain(lena.t('fact.archiving.moved', { from: localizer(lena.locale).fullDate(later), to: localizer(lena.locale).fullDate(date) }));
    expect(allText(redelivered)).not.toContain(lena.t('change.doneTitle'));
    expect(api.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    // Her "yes" to that summary is a change of its own: not answered with the first result, which the job no longer holds.
    const replies = await lena.submit({ choice: 'yes' });
    expect(allText(replies)).toContain(lena.t('change.doneTitle'));
    const keys = api.requests.filter((request) => request.method === 'PATCH').map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toBe(applied.key);
    expect(new Set(keys.slice(1)).size).toBe(1);
    expect(keys.at(-1)).not.toBe(applied.key);
    const data = await platformData();
    expect(data.appliedChanges?.map((change) => change.key)).toEqual([applied.key, 'by-hand', keys.at(-1)]);
    expect(data.jobs.find((job) => job.id === ARCHIVED.jobId)?.archiving.date).toBe(date);
  });

  it("during a Direct Line turn: the customer's message is answered after the restart, and the history is whole", async () => {
    await freshFolder();
    let bot = await start();
    const url = `http://127.0.0.1:${port}`;
    const grant = await generateToken(url, SECRET);
    const conversation = `${url}/v3/directline/conversations/${grant.conversationId}`;
    const headers = { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' };
    type Logged = Partial<Activity> & { from?: { id: string; role?: string } };
    const history = async (): Promise<Logged[]> => ((await (await fetch(`${conversation}/activities`, { headers })).json()) as { activities: Logged[] }).activities;
    const post = async (text: string): Promise<void> => {
      const posted = await fetch(`${conversation}/activities`, { method: 'POST', headers, body: JSON.stringify({ type: 'message', from: { id: 'x' }, text, locale: 'en-US' }) });
      expect(posted.status).toBe(200);
    };
    /** The bot's messages in the log, once there are `count` of them. */
    const botMessages = async (count: number): Promise<Logged[]> => {
      for (let tries = 0; tries < 600; tries++) {
        const messages = (await history()).filter((activity) => activity.from?.role === 'bot' && activity.type === 'message');
        if (messages.length >= count) return messages;
        await new Promise((tick) => setTimeout(tick, 50));
      }
      throw new Error(`fewer than ${count} bot messages in the log: ${JSON.stringify(await history())}`);
    };
    expect((await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${grant.token}` } })).status).toBe(201);
    await post('it says my photos are almost ready');
    const before = await botMessages(2); // the greeting and the question
    expect(diagnosisOf(before.at(-1)).awaiting).toBe('access-code');

    // The code is looked up on the platform; the bot dies while it waits for the answer.
    const victim = bot;
    api.fault(
      {
        kind: 'before',
        run: async () => {
          victim.signal('SIGKILL');
          await victim.exited;
        },
      },
      { times: 1, match: (request) => request.method === 'GET' },
    );
    await post(formatAccessCode(PLANNING.code));
    await victim.exited;

    bot = await start();
    const after = await botMessages(before.length + 1);
    expect(diagnosisOf(after.at(-1))).toMatchObject({ symptom: 'almost-ready', scenario: 'job-in-planning', awaiting: 'confirm' });
    // Everything is there once, in order: the greeting, both messages of the customer, every answer.
    const all = await history();
    const texts = all.filter((activity) => activity.type === 'message').map((activity) => `${activity.from?.role}: ${activity.from?.role === 'user' ? activity.text : ''}`);
    expect(texts.filter((line) => line.startsWith('user:'))).toEqual(['user: it says my photos are almost ready', `user: ${formatAccessCode(PLANNING.code)}`]);
    expect(new Set(all.map((activity) => activity.id)).size).toBe(all.length);
    // A second restart answers nothing again.
    const answered = (await botMessages(after.length)).length;
    bot.signal('SIGTERM');
    await bot.exited;
    bot = await start();
    await new Promise((settle) => setTimeout(settle, 1_000));
    expect((await botMessages(answered)).length).toBe(answered);
  });
});
