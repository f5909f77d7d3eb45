import { readFile } from 'node:fs/promises';
import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { suggestArchiveDates } from '../../src/domain/archiveDate.js';
import type { JobChange } from '../../src/platform/port.js';
import { type TestBot, startTestBot } from '../support/botServer.js';
import { todayIn } from '../support/calendar.js';
import { clickWebChat, sharedConversationId, slackMember, slackPhotographerIn, webChatAction } from '../support/conversationMembers.js';
import { DEMO_CASES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { allText, ContractChat, entityOf, jobIn, lastEntity, replyLines } from '../support/photographerChat.js';

/**
 * Review fixes 1 and 2: one case per person in a conversation (PrivateConversationState), and
 * data and changes only for the photographer the channel identity maps to, on every turn.
 */

const ARCHIVED = DEMO_CASES['job-archived'];
const JOB_ID = ARCHIVED.jobId!;
const LENA = DEMO_PHOTOGRAPHERS.lena;
const DEMO_JOB_NAMES: Record<string, string> = Object.fromEntries(
  (JSON.parse(await readFile(new URL('../../demo/platform.json', import.meta.url), 'utf8')) as { jobs: { id: string; name: string }[] }).jobs.map((job) => [
    job.id,
    job.name,
  ]),
);
const LENAS_JOB_NAME = DEMO_JOB_NAMES[JOB_ID]!;

let bot: TestBot;
/** Changes that reached the platform, in order. */
let applied: JobChange[];
/** When set, this Slack user id is no longer linked to any photographer account. */
let unlinked: string | null;

// A bot of its own per test: a confirmed reopen changes the data file.
beforeEach(async () => {
  applied = [];
  unlinked = null;
  bot = await startTestBot();
  const applyChange = bot.platform.applyChange.bind(bot.platform);
  bot.platform.applyChange = (change, options) => {
    applied.push(change);
    return applyChange(change, options);
  };
  const byChannelUser = bot.platform.photographerByChannelUser.bind(bot.platform);
  bot.platform.photographerByChannelUser = async (channel, userId) => (userId === unlinked ? null : byChannelUser(channel, userId));
});

afterEach(async () => {
  await bot?.stop();
});

function lenaToday(): string {
  return todayIn(LENA.timeZone, new Date());
}

/** Lena, in the shared conversation, up to the confirmation of a reopen of her archived job. */
async function lenaAtConfirm(conversationId: string): Promise<{ lena: ContractChat; date: string; confirm: Partial<Activity>[] }> {
  const lena = slackPhotographerIn(bot.url, 'lena', conversationId);
  const diagnosis = await lena.say(`Verkauf verpasst, Code ${ARCHIVED.code}`);
  expect(lastEntity(diagnosis)).toMatchObject({ role: 'photographer', scenario: 'job-archived', awaiting: 'step-result' });
  const dateQuestion = await lena.submit({ choice: 'auto' });
  expect(lastEntity(dateQuestion).awaiting).toBe('archive-date');
  const date = suggestArchiveDates(lenaToday())[2]!;
  const confirm = await lena.submit({ choice: date });
  expect(lastEntity(confirm)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm', step: 1 });
  return { lena, date, confirm };
}

/** The lines of a reply without Slack's *bold* markers. */
function plainLines(reply: Partial<Activity>): string[] {
  return replyLines(reply).map((line) => line.replace(/^\*(.*)\*$/, '$1'));
}

function expectNothingOfLenasJob(replies: readonly Partial<Activity>[]): void {
  const text = allText(replies);
  expect(text).not.toContain(LENAS_JOB_NAME);
  expect(text).not.toContain(LENA.name);
  for (const reply of replies) {
    expect(entityOf(reply).scenario).not.toBe('job-archived');
    expect(['confirm', 'archive-date', 'step-result']).not.toContain(entityOf(reply).awaiting);
  }
}

describe('one case per person in a Slack channel', () => {
  it('Megan writing in the conversation where Lena has a case open gets her own fresh case, not Lena\'s walk-through', async () => {
    const conversationId = sharedConversationId('slack-channel');
    const lena = slackPhotographerIn(bot.url, 'lena', conversationId);
    const megan = slackPhotographerIn(bot.url, 'megan', conversationId);
    expect(lena.conversationId).toBe(megan.conversationId);

    const diagnosis = await lena.say(`Verkauf verpasst, Code ${ARCHIVED.code}`);
    expect(lastEntity(diagnosis)).toMatchObject({ scenario: 'job-archived', awaiting: 'step-result', locale: 'de-DE' });

    const hello = await megan.say('Hi, a parent cannot open their gallery');
    expect(allText(hello)).toContain(megan.t('greeting'));
    expect(allText(hello)).toContain(megan.t('symptom.questionPhotographer'));
    expect(lastEntity(hello)).toEqual(
      expect.objectContaining({ role: 'photographer', locale: 'en-US', symptom: null, scenario: null, step: null, steps: null, awaiting: 'symptom' }),
    );
    expectNothingOfLenasJob(hello);

    // Lena's case is where she left it: the "how would you like to fix it?" question.
    const walk = await lena.submit({ choice: 'walk' });
    expect(lastEntity(walk)).toMatchObject({ role: 'photographer', locale: 'de-DE', scenario: 'job-archived', step: 1, steps: 5, awaiting: 'step-result' });
    expect(replyLines(walk.at(-1)!)).toContain(lena.t('step.untick-archiving-set-date'));
  });

  it('Megan\'s "yes", "done" and card clicks never touch Lena\'s job, and Lena\'s case continues where it was', async () => {
    const conversationId = sharedConversationId('slack-channel');
    const { lena, date } = await lenaAtConfirm(conversationId);
    const megan = slackPhotographerIn(bot.url, 'megan', conversationId);
    const before = await readFile(bot.dataFile, 'utf8');

    for (const answer of ['yes', 'done', 'Yes, change it']) expectNothingOfLenasJob(await megan.say(answer));
    for (const value of [{ choice: 'yes' }, { choice: 'auto' }, { choice: date }, { choice: 'done' }]) expectNothingOfLenasJob(await megan.submit(value));
    expect(applied).toEqual([]);
    expect(await readFile(bot.dataFile, 'utf8')).toBe(before);
    expect(megan.transcript.flatMap(plainLines)).not.toContain(megan.t('change.doneTitle'));

    // Lena's confirmation is still open, and her "ja" applies her change, once.
    const done = await lena.say('ja');
    expect(plainLines(done[0]!)).toContain(lena.t('change.doneTitle'));
    expect(applied).toEqual([{ kind: 'reopen-job', jobId: JOB_ID, photographerId: LENA.id, archiveDate: date }]);
    expect(await jobIn(bot.dataFile, JOB_ID)).toMatchObject({ status: 'selling', archiving: { enabled: true, date }, campaignActive: false, photographerId: LENA.id });
    expect(lastEntity(done)).toMatchObject({ scenario: 'job-archived', step: 5, steps: 5, awaiting: 'step-result' });
  });
});

describe('authorization from the channel identity', () => {
  it('an unmapped Slack user in the same conversation cannot continue Lena\'s case: guidance, no data, no change; Lena\'s "ja" applies it in her name', async () => {
    const conversationId = sharedConversationId('slack-channel');
    const { lena, date } = await lenaAtConfirm(conversationId);
    const before = await readFile(bot.dataFile, 'utf8');
    const stranger = slackMember(bot.url, 'U0NOTLINKED', 'de-DE', conversationId);

    const first = await stranger.say('ja');
    expect(lastEntity(first)).toMatchObject({ role: 'photographer', scenario: null, awaiting: 'symptom' });
    await stranger.submit({ choice: 'yes' });
    const guided = await stranger.say(`Verkauf verpasst, Code ${ARCHIVED.code}`);
    expect(allText(guided)).toContain(stranger.t('guided.intro'));
    expect(lastEntity(guided)).toMatchObject({ role: 'photographer', scenario: null, awaiting: 'job-status' });
    for (const reply of stranger.transcript) expect(entityOf(reply).awaiting).not.toBe('confirm');
    expect(allText(stranger.transcript)).not.toContain(LENAS_JOB_NAME);
    expect(stranger.transcript.flatMap(plainLines)).not.toContain(stranger.t('change.doneTitle'));
    expect(applied).toEqual([]);
    expect(await readFile(bot.dataFile, 'utf8')).toBe(before);

    const done = await lena.say('ja');
    expect(plainLines(done[0]!)).toContain(lena.t('change.doneTitle'));
    // Attributed to the photographer who confirmed it, taken from her channel identity.
    expect(applied).toEqual([{ kind: 'reopen-job', jobId: JOB_ID, photographerId: LENA.id, archiveDate: date }]);
    expect(await jobIn(bot.dataFile, JOB_ID)).toMatchObject({ status: 'selling', archiving: { enabled: true, date } });
  });

  it('a confirmation sent under a channel identity that no longer maps to an account applies nothing', async () => {
    const conversationId = sharedConversationId('slack-channel');
    const { lena } = await lenaAtConfirm(conversationId);
    const before = await readFile(bot.dataFile, 'utf8');
    // Her Slack account was unlinked on the platform a moment ago: the same person, the same case, no account.
    unlinked = LENA.slack[0];
    const replies = await lena.say('ja');
    expect(applied).toEqual([]);
    expect(replies.flatMap(plainLines)).not.toContain(lena.t('change.doneTitle'));
    expect(await readFile(bot.dataFile, 'utf8')).toBe(before);
  });
});

describe('a customer in Web Chat (regression with per-person state)', () => {
  it('keeps one case across turns: symptom, code, notify, feedback', async () => {
    const parent = new ContractChat(bot.url, { channelId: 'webchat', locale: 'en-US', role: 'customer' });
    const symptom = await parent.say('hello');
    expect(lastEntity(symptom)).toMatchObject({ role: 'customer', awaiting: 'symptom' });
    const code = await parent.say('missed the sale');
    expect(lastEntity(code)).toMatchObject({ symptom: 'missed-sale', awaiting: 'access-code' });
    const offer = await parent.say(ARCHIVED.code);
    expect(lastEntity(offer)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
    const recorded = await clickWebChat(parent, webChatAction(offer.at(-1), 'yes'));
    expect(allText(recorded)).toContain(parent.t('notify.recorded'));
    expect(lastEntity(recorded)).toMatchObject({ scenario: 'job-archived', awaiting: 'feedback' });
    const thanks = await parent.say('yes');
    expect(allText(thanks)).toContain(parent.t('feedback.thanks'));
    expect(lastEntity(thanks).awaiting).toBeNull();
    const mine = (await bot.outbox.pending()).filter((record) => record.conversationId === parent.conversationId);
    expect(mine).toMatchObject([{ kind: 'notify-photographer', jobId: JOB_ID, symptom: 'missed-sale', scenario: 'job-archived' }]);
  });
});
