import type { Activity } from 'botbuilder';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localizer } from '../../src/language/messages.js';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { ConnectorConversation } from '../support/connectorConversation.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { DEMO_CASES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { DirectLineCustomer, entityOf, generateToken } from '../support/directLineClient.js';
import { checkReply, t } from './e2eSupport.js';
import { cardOf, checkContract, jobIn, replyLines } from '../support/photographerChat.js';

/**
 * Issue 7, items 1 and 2, end to end over real HTTP and no `expectReplies`: every reply and
 * every proactive message goes to a Bot Connector stand-in at the activities' `serviceUrl`
 * (or, for the widget, into the bot's own Direct Line). A customer reports "Missed the Sale"
 * for an archived job and agrees to have the photographer told; the photographer's Teams
 * conversation gets the notice (a second customer updates it); the button starts the fix;
 * the photographer reopens the job; the customers' conversations are told the gallery is
 * open again, until the new date.
 */

/** The demo data's "today" (demo/README.md), so the new archive date is in the future whenever the test runs. */
const DEMO_TODAY = new Date('2026-11-27T10:00:00Z');
const NEW_DATE = '2026-12-20';
const SECRET = 'notifications-test-secret-0123456789abcdef';
const LENA = DEMO_PHOTOGRAPHERS.lena;
const ARCHIVED = DEMO_CASES['job-archived'];
const JOB_ID = ARCHIVED.jobId!;
/** A second code of the same archived job. */
const SECOND_CODE = 'ZKN8SJ3E';

const connector = new ConnectorStandIn();

beforeAll(async () => {
  await connector.start();
});
afterAll(async () => {
  await connector.stop();
});
afterEach(() => {
  connector.reset();
});

let counter = 0;

function customerOverConnector(url: string): ConnectorConversation {
  counter += 1;
  return new ConnectorConversation(connector, url, { channelId: 'webchat', locale: 'en-US', from: { id: `parent-${counter}`, name: 'Parent' } });
}

function lenaInTeams(url: string): ConnectorConversation {
  return new ConnectorConversation(connector, url, {
    channelId: 'msteams',
    locale: 'de-DE',
    from: { id: '29:lena-teams', name: 'Lena Brandt', aadObjectId: LENA.msteams.at(-1)! },
  });
}

function customerChecks(replies: readonly Partial<Activity>[], typed: string[]): void {
  for (const reply of replies) checkReply(reply, new Set(typed));
}

const de = localizer('de-DE', 'photographer');
const en = localizer('en-US', 'customer');

function texts(replies: readonly Partial<Activity>[]): string[] {
  return replies.map((reply) => reply.text ?? '');
}

/** The customer reports "Missed the Sale" with an archived job's code and says yes to the offer. */
async function customerAgrees(customer: ConnectorConversation, code: string): Promise<Partial<Activity>[]> {
  const diagnosis = await customer.say(`it says missed the sale, my code is ${code}`);
  customerChecks(diagnosis, [code]);
  expect(entityOf(diagnosis.at(-1))).toMatchObject({ role: 'customer', scenario: 'job-archived', awaiting: 'confirm' });
  expect(texts(diagnosis)).toContain(t('en-US', 'notify.offerPhotographer'));
  const yes = await customer.say(t('en-US', 'notify.yes'));
  customerChecks(yes, [code]);
  return yes;
}

/** The fix walk-through from the notice's button to the confirmed reopening, in German over Teams. */
async function reopenFromNotice(lena: ConnectorConversation, button: { choice: string }): Promise<Partial<Activity>[]> {
  const plan = await lena.send({ value: button });
  for (const reply of plan) checkContract(reply, 'photographer');
  expect(entityOf(plan.at(-1))).toMatchObject({ role: 'photographer', scenario: 'job-archived', awaiting: 'step-result' });
  const dateQuestion = await lena.send({ value: { choice: 'auto' } });
  expect(entityOf(dateQuestion.at(-1))).toMatchObject({ awaiting: 'archive-date' });
  const summary = await lena.send({ value: { choice: 'date-input', date: NEW_DATE } });
  expect(entityOf(summary.at(-1))).toMatchObject({ awaiting: 'confirm' });
  const done = await lena.send({ value: { choice: 'yes' } });
  for (const reply of done) checkContract(reply, 'photographer');
  return done;
}

describe('a customer over the Bot Connector, the photographer in Teams', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({}, { now: () => DEMO_TODAY });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('the photographer is told, a second customer updates the same message, the fix tells both customers', async () => {
    // Lena has talked to the bot before: that conversation is where notices reach her.
    const lena = lenaInTeams(bot.url);
    const hello = await lena.say('Hallo');
    expect(hello.length).toBeGreaterThan(0);

    const first = customerOverConnector(bot.url);
    const agreed = await customerAgrees(first, ARCHIVED.code);
    expect(texts(agreed)[0]).toBe(t('en-US', 'customer.notify.sent', { later: 'yes' }));
    expect(entityOf(agreed.at(-1))).toMatchObject({ awaiting: 'feedback' });
    expect(await bot.outbox.pending(), 'a notified photographer is no ticket').toEqual([]);

    // The notice: a new message in Lena's conversation (not a reply to anything), in German.
    const notices = connector.posts.filter((post) => post.conversationId === lena.conversationId && post.replyToId === null);
    expect(notices).toHaveLength(1);
    const notice = notices[0]!.activity;
    const jobName = (await jobIn(bot.dataFile, JOB_ID)).name;
    const lines = replyLines(notice);
    expect(lines[0]).toBe(de.t('photographer.notice.title', { count: 1, job: jobName }));
    expect(lines).toContain(de.t('photographer.archivedSince', { job: jobName, date: de.longDate('2026-10-12') }));
    expect(lines).toContain(de.t('photographer.notice.question'));
    expect(checkContract(notice, 'photographer')).toMatchObject({ role: 'photographer', locale: 'de-DE', scenario: 'job-archived', symptom: 'missed-sale', awaiting: null });
    const actions = cardOf(notice)?.actions ?? [];
    expect(actions.map((action) => [action.title, action.data])).toEqual([[de.t('photographer.notice.fix'), { choice: `fix-job:${JOB_ID}` }]]);
    const noticeId = 'connector-activity-' + String(connector.posts.indexOf(notices[0]!) + 1);

    // A second customer of the same job within the hour: the same message, now counting two.
    const second = customerOverConnector(bot.url);
    await customerAgrees(second, SECOND_CODE);
    expect(connector.posts.filter((post) => post.conversationId === lena.conversationId && post.replyToId === null)).toHaveLength(1);
    expect(connector.updates).toHaveLength(1);
    expect(connector.updates[0]).toMatchObject({ conversationId: lena.conversationId, activityId: noticeId });
    expect(replyLines(connector.updates[0]!.activity)[0]).toBe(de.t('photographer.notice.title', { count: 2, job: jobName }));

    // The button starts the walk-through for the job; "do it for me" reopens it.
    const done = await reopenFromNotice(lena, { choice: `fix-job:${JOB_ID}` });
    const report = done.find((reply) => replyLines(reply).includes(de.t('change.doneTitle')));
    expect(report, JSON.stringify(done.map(replyLines))).toBeDefined();
    const said = replyLines(report!).join('\n');
    expect(said).toContain(de.t('change.done.reopen-job', { job: jobName, date: de.fullDate(NEW_DATE), campaign: 'changed' }));
    expect(said).toContain(de.t('change.customersTold', { count: 2 }));
    expect(de.t('change.customersTold', { count: 2 })).toBe('Die zwei Personen, die gefragt hatten, habe ich benachrichtigt.');
    // The bot told them: the walk-through does not ask Lena to.
    expect(done.flatMap(replyLines)).not.toContain(de.t('step.tell-customer'));
    expect((await jobIn(bot.dataFile, JOB_ID)).archiving).toEqual({ enabled: true, date: NEW_DATE });

    // Each customer's own conversation: "open again until …" in their language.
    for (const [customer, code] of [[first, ARCHIVED.code], [second, SECOND_CODE]] as const) {
      const last = customer.received().at(-1)!;
      expect(last.text).toBe(en.t('customer.galleryOpen', { again: 'yes', until: 'date', date: 'December 20, 2026' }));
      expect(last.text).toContain('your gallery is open again until December 20, 2026');
      checkReply(last, new Set([code]));
      expect(entityOf(last)).toMatchObject({ role: 'customer', locale: 'en-US', awaiting: null });
    }
    expect(await bot.outbox.pending(), 'nothing went to support').toEqual([]);
  });

  it('another photographer sending the button of a job not theirs learns nothing of it, nor a customer\'s code', async () => {
    const archived = DEMO_CASES['job-archived+photos-hidden'];
    const sanne = new ConnectorConversation(connector, bot.url, { channelId: 'msteams', locale: 'nl-NL', from: { id: '29:sanne', name: 'Sanne', aadObjectId: DEMO_PHOTOGRAPHERS.sanne.msteams[0]! } });
    await sanne.say('Hallo');
    await customerAgrees(customerOverConnector(bot.url), archived.code);
    expect(connector.posts.filter((post) => post.conversationId === sanne.conversationId && post.replyToId === null)).toHaveLength(1);

    const camille = new ConnectorConversation(connector, bot.url, { channelId: 'msteams', locale: 'fr-FR', from: { id: '29:camille', name: 'Camille', aadObjectId: DEMO_PHOTOGRAPHERS.camille.msteams[0]! } });
    const replies = await camille.send({ value: { choice: `fix-job:${archived.jobId}` } });
    expect(replies.length).toBeGreaterThan(0);
    const said = JSON.stringify(replies);
    expect(said.replace(/[\s-]/g, '')).not.toContain(archived.code);
    expect(said).not.toContain((await jobIn(bot.dataFile, archived.jobId!)).name);
    for (const reply of replies) expect(entityOf(reply).scenario).toBeNull();
    // Camille is simply asked which code or job, as for any case of hers.
    expect(entityOf(replies.at(-1))).toMatchObject({ role: 'photographer', awaiting: 'access-code' });
  });

  it('a photographer who never talked to the bot: the case goes to support, and the customer is told so', async () => {
    const customer = customerOverConnector(bot.url);
    // Megan, the photographer of this job, has never written to this bot.
    const planning = DEMO_CASES['job-in-planning'];
    const code = planning.code;
    const diagnosis = await customer.say(`my photos are almost ready?? code ${code}`);
    expect(entityOf(diagnosis.at(-1))).toMatchObject({ scenario: 'job-in-planning', awaiting: 'confirm' });
    const yes = await customer.say(t('en-US', 'notify.yes'));
    customerChecks(yes, [code]);
    expect(texts(yes)[0]).toBe(t('en-US', 'notify.recorded'));
    const cases = await bot.outbox.pending();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'notify-photographer', jobId: planning.jobId, accessCode: code });
    expect(cases[0]!.reason).toContain('never talked to the bot');
  });
});

describe('a customer in the help chat (the bot\'s own Direct Line), the photographer in Teams', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ DIRECTLINE_SECRET: SECRET }, { now: () => DEMO_TODAY });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('the notice reaches Teams; after the reopening the widget shows "open again until …" in German', async () => {
    const lena = lenaInTeams(bot.url);
    await lena.say('Hallo');

    const { token } = await generateToken(bot.url, SECRET);
    const parent = new DirectLineCustomer({ domain: `${bot.url}/v3/directline`, token, webSocket: true, locale: 'de-DE' });
    try {
      await parent.waitForSlot('symptom');
      await parent.answer(`Da steht Verkauf verpasst, Code ${ARCHIVED.code}`, 'confirm', 'de-DE');
      const agreed = await parent.answer(t('de-DE', 'notify.yes'), 'feedback', 'de-DE');
      expect(agreed.map((activity) => activity.text)).toContain(t('de-DE', 'customer.notify.sent', { later: 'yes' }));

      const notices = connector.posts.filter((post) => post.conversationId === lena.conversationId && post.replyToId === null);
      expect(notices).toHaveLength(1);
      const button = (cardOf(notices[0]!.activity)?.actions ?? [])[0]?.data as { choice: string };
      expect(button).toEqual({ choice: `fix-job:${JOB_ID}` });

      const before = parent.botMessages().length;
      const done = await reopenFromNotice(lena, button);
      expect(done.flatMap(replyLines).join('\n')).toContain(de.t('change.customersTold', { count: 1 }));

      const [told] = (await parent.waitForBotMessages(before + 1)).slice(before);
      const german = localizer('de-DE', 'customer');
      expect(told?.text).toBe(german.t('customer.galleryOpen', { again: 'yes', until: 'date', date: german.longDate(NEW_DATE) }));
      expect(told?.text).toContain('20. Dezember 2026');
      expect(told?.from?.role).toBe('bot');
      expect(entityOf(told)).toMatchObject({ role: 'customer', locale: 'de-DE', awaiting: null });
    } finally {
      parent.end();
    }
  });
});

describe('when the photographer\'s channel does not take the notice', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({}, { now: () => DEMO_TODAY });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  // The connector client retries a refused post with backoff (about 10 s here) before the bot gives up.
  it('the case goes to support and the customer is told so, not that the photographer knows', { timeout: 90_000 }, async () => {
    const lena = lenaInTeams(bot.url);
    await lena.say('Hallo');
    const customer = customerOverConnector(bot.url);
    const diagnosis = await customer.say(`it says missed the sale, my code is ${ARCHIVED.code}`);
    expect(entityOf(diagnosis.at(-1))).toMatchObject({ awaiting: 'confirm' });
    // From now on the connector refuses whatever goes to Lena's conversation.
    connector.refuse(lena.conversationId, 503);
    const yes = await customer.say(t('en-US', 'notify.yes'));
    expect(texts(yes)[0]).toBe(t('en-US', 'notify.recorded'));
    const cases = await bot.outbox.pending();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'notify-photographer', jobId: JOB_ID, accessCode: ARCHIVED.code });
    expect(cases[0]!.reason).toContain('could not be notified');
  });
});

describe('kept in the bot\'s SQLite file', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gallery-notifications-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function sqliteBot(): Promise<TestBot> {
    return startTestBot({ STORAGE: 'sqlite', STORAGE_PATH: join(folder, 'bot.sqlite') }, { now: () => DEMO_TODAY });
  }

  it('after a restart the photographer is still reached, and the next customer updates the same message', async () => {
    let bot = await sqliteBot();
    const lena = lenaInTeams(bot.url);
    try {
      await lena.say('Hallo');
      await customerAgrees(customerOverConnector(bot.url), ARCHIVED.code);
    } finally {
      await bot.stop();
    }
    const [notice] = connector.posts.filter((post) => post.conversationId === lena.conversationId && post.replyToId === null);
    expect(notice).toBeDefined();

    bot = await sqliteBot();
    try {
      const agreed = await customerAgrees(customerOverConnector(bot.url), SECOND_CODE);
      expect(texts(agreed)[0]).toBe(t('en-US', 'customer.notify.sent', { later: 'yes' }));
      expect(connector.posts.filter((post) => post.conversationId === lena.conversationId && post.replyToId === null)).toHaveLength(1);
      expect(connector.updates.map((update) => update.conversationId)).toEqual([lena.conversationId]);
      const jobName = (await jobIn(bot.dataFile, JOB_ID)).name;
      expect(replyLines(connector.updates[0]!.activity)[0]).toBe(de.t('photographer.notice.title', { count: 2, job: jobName }));
    } finally {
      await bot.stop();
    }
  });
});

describe('the photographer fixes it by hand and says "done"', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({}, { now: () => DEMO_TODAY });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('"done" before the platform shows it tells nobody; once the data confirms it, the customer is told', async () => {
    const hidden = DEMO_CASES['photos-hidden'];
    const lena = lenaInTeams(bot.url);
    await lena.say('Hallo');
    const customer = customerOverConnector(bot.url);
    const diagnosis = await customer.say(`it says my photos are almost ready, code ${hidden.code}`);
    expect(entityOf(diagnosis.at(-1))).toMatchObject({ scenario: 'photos-hidden', awaiting: 'confirm' });
    await customer.say(t('en-US', 'notify.yes'));
    const [notice] = connector.posts.filter((post) => post.conversationId === lena.conversationId && post.replyToId === null);
    const button = (cardOf(notice?.activity)?.actions ?? [])[0]?.data as { choice: string };
    expect(button).toEqual({ choice: `fix-job:${hidden.jobId}` });

    const plan = await lena.send({ value: button });
    // The walk-through is about the waiting customer's own code: the gallery-level fix needs it.
    expect(entityOf(plan.at(-1))).toMatchObject({ scenario: 'photos-hidden', awaiting: 'step-result' });
    const first = await lena.send({ value: { choice: 'walk' } });
    expect(entityOf(first.at(-1))).toMatchObject({ step: 1, steps: 2, awaiting: 'step-result' });

    // "Done" while the data still shows the photos hidden: nobody is told, and Lena is not asked
    // to tell the customer it's open; the bot says something still blocks it and walks the plan again.
    const toldBefore = customer.received().length;
    const claimed = await lena.say('erledigt');
    expect(customer.received()).toHaveLength(toldBefore);
    expect(claimed.flatMap(replyLines)).toContain(de.t('walk.stillBlocked'));
    expect(entityOf(claimed.at(-1))).toMatchObject({ step: 1, steps: 2, awaiting: 'step-result' });

    // Lena unhides the photos on the platform's own page, not through the bot, and says "done".
    await bot.platform.applyChange(
      { kind: 'unhide-photos', jobId: hidden.jobId!, photographerId: LENA.id, galleryId: hidden.galleryId! },
      { idempotencyKey: 'notifications-test-unhide-by-hand' },
    );
    const done = await lena.say('erledigt');
    const said = done.flatMap(replyLines);
    expect(said).toContain(de.t('walk.fixed'));
    expect(said).toContain(de.t('change.customersTold', { count: 1 }));
    expect(entityOf(done.at(-1))).toMatchObject({ awaiting: 'feedback' });

    const told = customer.received().at(-1)!;
    expect(told.text).toBe(en.t('customer.galleryOpen', { again: 'no', until: 'date', date: 'December 20, 2026' }));
    checkReply(told, new Set([hidden.code]));
  });
});

describe('a photographer in Slack (through Azure Bot Service)', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({}, { now: () => DEMO_TODAY });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('the notice\'s button posts the job back; the fix tells the customer, and the report says so', async () => {
    const slackId = DEMO_PHOTOGRAPHERS.megan.slack[0]!;
    const planning = DEMO_CASES['job-in-planning'];
    const chat = new ConnectorConversation(connector, bot.url, {
      channelId: 'slack',
      locale: 'en-US',
      from: { id: `${slackId}:T0DEMOTEAM`, name: 'Megan' },
      channelData: { SlackMessage: { type: 'event_callback', team_id: 'T0DEMOTEAM', event: { type: 'message', user: slackId, channel: 'D0MEGAN' } } },
    });
    await chat.say('hi');

    const customer = customerOverConnector(bot.url);
    const diagnosis = await customer.say(`it says my photos are almost ready, code ${planning.code}`);
    expect(entityOf(diagnosis.at(-1))).toMatchObject({ scenario: 'job-in-planning', awaiting: 'confirm' });
    await customer.say(t('en-US', 'notify.yes'));

    const [notice] = connector.posts.filter((post) => post.conversationId === chat.conversationId && post.replyToId === null);
    const photographer = localizer('en-US', 'photographer');
    const jobName = (await jobIn(bot.dataFile, planning.jobId!)).name;
    expect(notice?.activity.text).toContain(photographer.t('photographer.notice.title', { count: 1, job: jobName }).replace(/\*/g, ''));
    const buttons = (notice?.activity.attachments?.[0]?.content as { buttons?: { type: string; title: string; value: string }[] }).buttons;
    expect(buttons).toEqual([{ type: 'postBack', title: photographer.t('photographer.notice.fix'), value: `fix-job:${planning.jobId}` }]);

    // Azure's Slack channel sends a postBack button's value as the message text.
    const plan = await chat.say(buttons![0]!.value);
    expect(entityOf(plan.at(-1))).toMatchObject({ role: 'photographer', scenario: 'job-in-planning', awaiting: 'step-result' });
    // "Do it for me": the photos' check is Megan's; setting the job to Selling is the bot's.
    const first = await chat.say(photographer.t('photographer.auto'));
    expect(entityOf(first.at(-1))).toMatchObject({ step: 1, awaiting: 'step-result' });
    const second = await chat.say(photographer.t('walk.done'));
    expect(entityOf(second.at(-1))).toMatchObject({ awaiting: 'confirm' });
    const done = await chat.say(photographer.t('change.yes'));
    expect(done.map((reply) => reply.text ?? '').join('\n')).toContain(photographer.t('change.customersTold', { count: 1 }));

    const told = customer.received().at(-1)!;
    expect(told.text).toBe(en.t('customer.galleryOpen', { again: 'no', until: 'date', date: 'April 25, 2027' }));
  });
});
