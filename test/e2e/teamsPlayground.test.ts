import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSIS_ENTITY_TYPE } from '../../src/channels/diagnosisEntity.js';
import { localizer } from '../../src/language/messages.js';
import { type Playground, type PlaygroundFrame, type PlaygroundLogFrame, startPlayground } from '../support/agentsPlayground.js';
import { Chat, type TestBot, startTestBot } from '../support/botServer.js';
import { sundayThreeWeeksAhead, todayIn, weekday } from '../support/calendar.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { CONTRACT_KEYS, DEMO_DATA, archiveDateOf } from './e2eSupport.js';

/**
 * The issue's acceptance test, through the Microsoft 365 Agents Playground in Teams mode
 * (offline, no Azure): the Playground's default user is a mapped photographer (Lena Brandt),
 * who reopens an archived job with a new archive date by clicking through the bot's
 * Adaptive Cards; afterwards the job is Selling in the platform data and a customer with
 * the job's code no longer gets `job-archived`.
 *
 * The bot runs in its normal delivery mode here: it answers the Playground's POST with 200
 * and sends its replies to the activity's serviceUrl (the Playground's connector), which
 * pushes them to the WebSocket the test listens on.
 *
 * The WebSocket conversation frames carry no `entities` (the Playground forwards only what
 * its chat UI renders), so the flow is checked on the cards' content; the activities as the
 * Playground's connector received them (its log stream) are checked against contract 1 in
 * a test of their own.
 */

const CASE = DEMO_CASES['job-archived'];
const JOB_ID = CASE.jobId!;
const JOB = DEMO_DATA.jobs.find((job) => job.id === JOB_ID)!;
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** Wide margins against a hang, never a bet on how fast a busy machine is. */
const FRAME_TIMEOUT_MS = 60_000;
/** The Playground sends en-US, and the bot answers in the language of the activity. */
const l = localizer('en-US', 'photographer');

interface Card {
  type: 'AdaptiveCard';
  version: string;
  body: { type: string; id?: string; text?: string; min?: string; facts?: { title: string; value: string }[] }[];
  actions?: { type: string; title: string; data?: { choice?: string } }[];
}

function cardOf(frame: PlaygroundFrame): Card | undefined {
  const attachment = frame.message.attachments?.find((candidate) => candidate.contentType === ADAPTIVE_CARD);
  return attachment?.content as Card | undefined;
}

/** Everything a card shows as text: its TextBlocks, and its facts as "title: value". */
function textOf(card: Card): string {
  return card.body
    .flatMap((element) => [element.text ?? '', ...(element.facts ?? []).map((fact) => `${fact.title}: ${fact.value}`)])
    .filter((text) => text !== '')
    .join('\n');
}

function choicesOf(card: Card): string[] {
  return (card.actions ?? []).filter((action) => action.type === 'Action.Submit').map((action) => action.data?.choice ?? '');
}

function submitData(card: Card, choice: string): Record<string, unknown> {
  const action = (card.actions ?? []).find((candidate) => candidate.type === 'Action.Submit' && candidate.data?.choice === choice);
  if (action?.data === undefined) throw new Error(`no Action.Submit with choice ${choice} on ${JSON.stringify(card)}`);
  return { ...action.data };
}

const isBotCard = (frame: PlaygroundFrame) => frame.action === 'createMessage' && cardOf(frame) !== undefined;

/** Today's calendar day where Lena works (yyyy-MM-dd). */
const todayInBerlin = (now = new Date()): string => todayIn('Europe/Berlin', now);

interface StoredJob {
  id: string;
  status: string;
  archiving: { enabled: boolean; date: string | null };
  campaignActive: boolean;
}

let bot: TestBot | undefined;
let playground: Playground | undefined;
let flowFinished = false;

beforeAll(async () => {
  bot = await startTestBot();
  playground = await startPlayground({ botUrl: bot.url, conversationId: `playground-e2e-${process.pid}` });
}, 3 * FRAME_TIMEOUT_MS);

afterAll(async () => {
  await playground?.stop();
  await bot?.stop();
});

describe('Teams through the Microsoft 365 Agents Playground', () => {
  it('a mapped photographer reopens an archived job with a new archive date by submitting the card, and the job is Selling afterwards', async () => {
    const pg = playground!;
    const archiveDate = sundayThreeWeeksAhead(todayInBerlin());
    expect(archiveDateOf(JOB_ID), 'the demo job starts archived with a past date').not.toBe(archiveDate);

    // Installation: installationUpdate + conversationUpdate → the greeting with the symptoms as buttons.
    await pg.install();
    const greeting = await pg.waitForFrame(isBotCard, 'the greeting card', { timeoutMs: FRAME_TIMEOUT_MS });
    const greetingCard = cardOf(greeting.frame)!;
    expect(greetingCard.version).toBe('1.5');
    // The installation's conversationUpdate carries no locale: the greeting is in Lena's account language.
    expect(textOf(greetingCard)).toContain(localizer(DEMO_PHOTOGRAPHERS.lena.locale, 'photographer').t('greeting'));
    expect(choicesOf(greetingCard)).toEqual(['almost-ready', 'incorrect-code', 'missed-sale', 'other']);

    // Symptom and code in one message → the diagnosis with the whole plan, then "how would you like to fix it?".
    const code = `${DEMO_CODES['job-archived'].slice(0, 4)} ${DEMO_CODES['job-archived'].slice(4)}`;
    await pg.sendText(`A parent sees Missed the Sale – code ${code}`);
    const howToFix = await pg.waitForFrame((frame) => isBotCard(frame) && choicesOf(cardOf(frame)!).includes('auto'), 'the "Step by step / Do it for me" card', {
      from: greeting.index + 1,
      timeoutMs: FRAME_TIMEOUT_MS,
    });
    const diagnosis = pg.frames.slice(greeting.index + 1, howToFix.index).find((frame) => isBotCard(frame) && textOf(cardOf(frame)!).includes(JOB.name));
    expect(diagnosis, 'the diagnosis card names the job').toBeDefined();
    const diagnosisText = textOf(cardOf(diagnosis!)!);
    expect(diagnosisText).toContain(l.t('photographer.archivedSince', { job: JOB.name, date: l.longDate(archiveDateOf(JOB_ID)!) }));
    for (const step of ['1. ', '2. ', '3. ', '4. ']) expect(diagnosisText).toContain(step);
    expect(diagnosisText).toContain('Selling');
    const howToFixCard = cardOf(howToFix.frame)!;
    expect(textOf(howToFixCard)).toContain(l.t('photographer.howToFix'));
    expect((howToFixCard.actions ?? []).map((action) => action.title)).toEqual([l.t('photographer.walk'), l.t('photographer.auto')]);

    // "Do it for me" → the archive-date question: suggested Sundays and a date picker.
    await pg.submit(howToFix.frame.message.messageId, submitData(howToFixCard, 'auto'));
    const dateQuestion = await pg.waitForFrame((frame) => isBotCard(frame) && cardOf(frame)!.body.some((element) => element.type === 'Input.Date'), 'the archive-date card', {
      from: howToFix.index + 1,
      timeoutMs: FRAME_TIMEOUT_MS,
    });
    const dateCard = cardOf(dateQuestion.frame)!;
    expect(textOf(dateCard)).toContain(l.t('reopen.question'));
    const picker = dateCard.body.find((element) => element.type === 'Input.Date')!;
    expect(picker.id).toBe('date');
    expect(picker.min! > todayInBerlin(), 'the picker starts after today').toBe(true);
    const suggested = choicesOf(dateCard).filter((choice) => choice !== 'date-input');
    expect(choicesOf(dateCard)).toContain('date-input');
    expect(suggested.length).toBeGreaterThan(0);
    for (const date of suggested) {
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(weekday(date), `${date} is a Sunday`).toBe(0);
      expect(date > todayInBerlin(), `${date} is in the future`).toBe(true);
    }

    // Pick a date with the picker → the summary of the change, then the confirmation.
    await pg.submit(dateQuestion.frame.message.messageId, { ...submitData(dateCard, 'date-input'), date: archiveDate });
    const confirm = await pg.waitForFrame((frame) => isBotCard(frame) && choicesOf(cardOf(frame)!).includes('yes'), 'the confirmation card', {
      from: dateQuestion.index + 1,
      timeoutMs: FRAME_TIMEOUT_MS,
    });
    const summary = pg.frames.slice(dateQuestion.index + 1, confirm.index).find((frame) => isBotCard(frame) && textOf(cardOf(frame)!).includes(l.t('change.summaryTitle')));
    expect(summary, 'a summary card before the confirmation').toBeDefined();
    const summaryText = textOf(cardOf(summary!)!);
    expect(summaryText).toContain(JOB.name);
    expect(summaryText).toContain(`${l.t('fact.archiving')}: ${l.t('fact.archiving.value', { date: l.fullDate(archiveDate) })}`);
    expect(summaryText).toContain(`${l.t('fact.campaign')}: ${l.t('fact.campaign.off')}`);
    expect(summaryText).toContain(`${l.t('fact.status')}: ${l.t('status.archived')} → ${l.t('status.selling')}`);
    const confirmCard = cardOf(confirm.frame)!;
    expect(textOf(confirmCard)).toContain(l.t('change.question'));
    expect(choicesOf(confirmCard)).toEqual(['yes', 'no']);

    // "Yes, change it" → Done.
    await pg.submit(confirm.frame.message.messageId, submitData(confirmCard, 'yes'));
    const done = await pg.waitForFrame((frame) => isBotCard(frame) && textOf(cardOf(frame)!).includes(l.t('change.doneTitle')), 'the "Done" card', {
      from: confirm.index + 1,
      timeoutMs: FRAME_TIMEOUT_MS,
    });
    expect(textOf(cardOf(done.frame)!)).toContain(l.t('change.done.reopen-job', { job: JOB.name, date: l.fullDate(archiveDate), campaign: 'changed' }));

    // The platform data: reopened as the design defines it.
    const data = JSON.parse(readFileSync(bot!.dataFile, 'utf8')) as { jobs: StoredJob[] };
    const job = data.jobs.find((candidate) => candidate.id === JOB_ID);
    expect(job).toMatchObject({ status: 'selling', archiving: { enabled: true, date: archiveDate }, campaignActive: false });

    // Every reply went through the Playground's connector and was accepted (the log item of a
    // reply comes when the connector has answered, which can be after its WebSocket frame).
    const shown = pg.frames.filter((frame) => frame.action === 'createMessage').length;
    await pg.waitUntil(() => botToPlayground(pg.logItems).length >= shown, `a log item for each of the ${shown} replies`, FRAME_TIMEOUT_MS);
    const replies = botToPlayground(pg.logItems);
    for (const reply of replies) expect(reply.log?.response?.statusCode, JSON.stringify(reply.log?.response)).toBeOneOf([200, 201, 202]);
    flowFinished = true;

    // A customer with the job's code (web chat) is no longer told the job is archived.
    const customer = new Chat(bot!.url, { channelId: 'webchat', locale: 'en-US' });
    await customer.join();
    const answer = await customer.say(`I see Missed the Sale, my code is ${DEMO_CODES['job-archived']}`);
    const scenarios = answer.flatMap((activity) => activity.entities ?? []).filter((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE).map((entity) => entity.scenario as unknown);
    expect(scenarios.some((scenario) => scenario !== null), `a diagnosis in ${JSON.stringify(answer.map((a) => a.text))}`).toBe(true);
    expect(scenarios).not.toContain('job-archived');
    expect(scenarios.at(-1)).toBe('no-known-cause');
  }, 5 * FRAME_TIMEOUT_MS);

  it('the activities the Playground received carry the diagnosis entity of contract 1', () => {
    expect(flowFinished, 'needs the conversation of the test above').toBe(true);
    const replies = botToPlayground(playground!.logItems).filter((item) => item.log?.activityName === 'message');
    expect(replies.length).toBeGreaterThan(5);
    for (const reply of replies) {
      const activity = reply.log!.request!.body!;
      const entities = ((activity.entities ?? []) as { type: string }[]).filter((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE);
      expect(entities, `one diagnosis entity on ${String(activity.summary ?? activity.text)}`).toHaveLength(1);
      expect(Object.keys(entities[0]!).sort(), `the diagnosis entity of "${String(activity.summary ?? activity.text)}" has the contract keys`).toEqual(CONTRACT_KEYS);
    }
    const last = replies.at(-1)!.log!.request!.body!.entities as Record<string, unknown>[];
    expect(last.find((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE)).toMatchObject({ role: 'photographer', scenario: CASE.scenario });
  });
});

/** Log items of the bot's requests to the Playground's connector (its replies). */
function botToPlayground(items: readonly PlaygroundLogFrame[]): PlaygroundLogFrame[] {
  return items.filter((item) => item.logAction === 'appendLog' && item.log?.to === 'Microsoft 365 Agents Playground' && item.log.request?.body !== undefined);
}
