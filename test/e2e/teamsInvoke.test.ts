import { readFileSync } from 'node:fs';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { localizer } from '../../src/language/messages.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { type TestBot, diagnosisOf as entityOf, postActivity, startTestBot } from '../support/botServer.js';
import { addDays, sundayThreeWeeksAhead, todayIn } from '../support/calendar.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS, PLAYGROUND_AAD_OBJECT_ID } from '../support/demoCodes.js';
import { DEMO_DATA, archiveDateOf, checkReply } from './e2eSupport.js';

/**
 * Teams Universal Actions against a real bot server: a card button of kind `Action.Execute`
 * arrives as an `invoke` named `adaptiveCard/action` whose `value.action.data` is the submit
 * data, and the bot must answer the invoke in the HTTP response. With
 * `deliveryMode: "expectReplies"` botbuilder's CloudAdapter (CloudAdapterBase.processTurnResults)
 * answers 200 `{ activities: [...] }`: the bot's messages and, buffered with them, the
 * `invokeResponse` activity whose `value` is `{ status, body }`. Without it (how Teams really
 * sends invokes) the HTTP response is the invoke response itself (`status`, `body`) and the
 * messages go to the serviceUrl (here a local Bot Connector stand-in).
 *
 * The user is the mapped Teams photographer Lena Brandt (de-DE), mid-conversation after the
 * diagnosis of the archived job's code.
 */

const LENA = DEMO_PHOTOGRAPHERS.lena;
const CASE = DEMO_CASES['job-archived'];
const JOB = DEMO_DATA.jobs.find((job) => job.id === CASE.jobId)!;
const CODE = DEMO_CODES['job-archived'];
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';
const l = localizer(LENA.locale, 'photographer');

interface Card {
  type: 'AdaptiveCard';
  body: { type: string; id?: string; text?: string; min?: string; facts?: { title: string; value: string }[] }[];
  actions?: { type: string; title: string; data?: { choice?: string } }[];
}

interface InvokeResponseActivity extends Partial<Activity> {
  type: 'invokeResponse';
  value: { status: number; body: { statusCode: number; type: string; value: string } };
}

function cardOf(activity: Partial<Activity> | undefined): Card | undefined {
  return activity?.attachments?.find((attachment) => attachment.contentType === ADAPTIVE_CARD)?.content as Card | undefined;
}

function cardText(activity: Partial<Activity> | undefined): string {
  const card = cardOf(activity);
  if (card === undefined) return activity?.text ?? '';
  return card.body.flatMap((element) => [element.text ?? '', ...(element.facts ?? []).map((fact) => `${fact.title}: ${fact.value}`)]).join('\n');
}

function choicesOf(activity: Partial<Activity> | undefined): string[] {
  return (cardOf(activity)?.actions ?? []).map((action) => action.data?.choice ?? '');
}

const connector = new ConnectorStandIn();
let serviceUrl = '';
let bot: TestBot | undefined;
let conversationCounter = 0;

/** A personal chat of Lena's with the bot, as Teams sends it. */
class TeamsChat {
  readonly conversationId: string;
  readonly typedCodes = new Set<string>([CODE]);
  private counter = 0;

  /** `url`: the bot to talk to, the shared one by default. */
  constructor(private readonly url?: string) {
    conversationCounter += 1;
    this.conversationId = `a:1teams-invoke-${process.pid}-${conversationCounter}`;
  }

  activity(fields: Partial<Activity>, expectReplies = true): Partial<Activity> {
    this.counter += 1;
    return {
      type: 'message',
      id: `1700000000${process.pid}${conversationCounter}${this.counter}`,
      channelId: 'msteams',
      serviceUrl,
      timestamp: new Date(),
      locale: LENA.locale,
      from: { id: '29:1LenaBrandt', name: LENA.name, aadObjectId: PLAYGROUND_AAD_OBJECT_ID } as Activity['from'],
      recipient: { id: '28:gallery-bot', name: 'Gallery Access Assistant' } as Activity['recipient'],
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: 'tenant-demo' } as Activity['conversation'],
      channelData: { tenant: { id: 'tenant-demo' } },
      ...(expectReplies ? { deliveryMode: 'expectReplies' } : {}),
      ...fields,
    };
  }

  /** An `Action.Execute` click: the invoke Teams sends for Universal Actions. */
  execute(data: Record<string, unknown>, expectReplies = true): Partial<Activity> {
    return this.activity(
      { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'choose', data }, trigger: 'manual' } },
      expectReplies,
    );
  }

  async post(activity: Partial<Activity>): Promise<{ status: number; body: unknown }> {
    const response = await postActivity(this.url ?? bot!.url, activity);
    const raw = await response.text();
    return { status: response.status, body: raw === '' ? null : (JSON.parse(raw) as unknown) };
  }

  /** Posts with expectReplies and returns the activities of the response, each message checked against contract 1. */
  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const { status, body } = await this.post(activity);
    expect(status, JSON.stringify(body)).toBe(200);
    const activities = (body as { activities?: Partial<Activity>[] }).activities ?? [];
    for (const reply of activities) checkReply(reply, this.typedCodes);
    return activities;
  }

  /** The diagnosis of the archived job's code, ending with "how would you like to fix it?". */
  async diagnose(): Promise<Partial<Activity>[]> {
    const replies = await this.send(this.activity({ text: `Eine Mutter sieht „Missed the Sale“, Code ${CODE.slice(0, 4)} ${CODE.slice(4)}` }));
    expect(replies.map(cardText).join('\n')).toContain(JOB.name);
    expect(choicesOf(replies.at(-1))).toEqual(['walk', 'auto']);
    expect(entityOf(replies.at(-1))).toMatchObject({ role: 'photographer', scenario: 'job-archived', awaiting: 'step-result' });
    return replies;
  }
}

function splitInvoke(activities: Partial<Activity>[]): { messages: Partial<Activity>[]; invokeResponses: InvokeResponseActivity[] } {
  return {
    messages: activities.filter((activity) => activity.type === 'message'),
    invokeResponses: activities.filter((activity): activity is InvokeResponseActivity => activity.type === 'invokeResponse'),
  };
}

beforeAll(async () => {
  serviceUrl = await connector.start();
  bot = await startTestBot();
});

afterAll(async () => {
  await bot?.stop();
  await connector.stop();
});

beforeEach(() => {
  connector.reset();
});

describe('Teams Universal Actions (adaptiveCard/action invokes)', () => {
  it('with expectReplies: 200 { activities } holding the next question and the invokeResponse; the conversation moves on to the archive date', async () => {
    const chat = new TeamsChat();
    await chat.diagnose();

    const { status, body } = await chat.post(chat.execute({ choice: 'auto' }));
    expect(status).toBe(200);
    expect(Object.keys(body as object)).toEqual(['activities']);
    const activities = (body as { activities: Partial<Activity>[] }).activities;
    for (const reply of activities) checkReply(reply, chat.typedCodes);
    const { messages, invokeResponses } = splitInvoke(activities);
    expect(activities.map((activity) => activity.type)).toEqual([...messages.map(() => 'message'), 'invokeResponse']);

    // The next activity is the archive-date question: suggested Sundays and a date picker.
    expect(messages).toHaveLength(1);
    const question = messages[0]!;
    expect(cardText(question)).toContain(l.t('reopen.question'));
    const picker = cardOf(question)!.body.find((element) => element.type === 'Input.Date');
    expect(picker).toMatchObject({ id: 'date', min: addDays(todayIn(LENA.timeZone), 1) });
    expect(choicesOf(question)).toContain('date-input');
    expect(entityOf(question)).toMatchObject({ role: 'photographer', locale: 'de-DE', scenario: 'job-archived', awaiting: 'archive-date' });
    expect(question.replyToId).toBeDefined();

    // The invoke response: 200 with a message body showing the question's text.
    expect(invokeResponses).toHaveLength(1);
    expect(invokeResponses[0]!.value).toEqual({ status: 200, body: { statusCode: 200, type: MESSAGE_RESPONSE, value: l.t('reopen.question') } });
    expect(connector.posts, 'expectReplies: nothing through the connector').toEqual([]);
  });

  it('a date submitted through an invoke ({ choice: "date-input", date }) leads to the summary and the confirmation, and "yes" reopens the job', async () => {
    // A bot of its own: this test changes the platform data the others diagnose.
    const own = await startTestBot();
    onTestFinished(() => own.stop());
    const chat = new TeamsChat(own.url);
    await chat.diagnose();
    await chat.send(chat.execute({ choice: 'auto' }));

    const date = sundayThreeWeeksAhead(todayIn(LENA.timeZone));
    const { messages, invokeResponses } = splitInvoke(await chat.send(chat.execute({ choice: 'date-input', date })));
    const texts = messages.map(cardText).join('\n');
    expect(texts).toContain(l.t('change.summaryTitle'));
    expect(texts).toContain(`${l.t('fact.archiving')}: ${l.t('fact.archiving.value', { date: l.fullDate(date) })}`);
    expect(choicesOf(messages.at(-1))).toEqual(['yes', 'no']);
    expect(entityOf(messages.at(-1))).toMatchObject({ awaiting: 'confirm' });
    expect(invokeResponses.map((response) => response.value.body.value)).toEqual([l.t('change.question')]);

    const done = splitInvoke(await chat.send(chat.execute({ choice: 'yes' })));
    expect(done.messages.map(cardText).join('\n')).toContain(l.t('change.done.reopen-job', { job: JOB.name, date: l.fullDate(date), campaign: 'changed' }));
    expect(done.invokeResponses).toHaveLength(1);
    expect(done.invokeResponses[0]!.value.status).toBe(200);
    const data = JSON.parse(readFileSync(own.dataFile, 'utf8')) as { jobs: { id: string; status: string; archiving: { date: string | null } }[] };
    expect(data.jobs.find((job) => job.id === JOB.id)).toMatchObject({ status: 'selling', archiving: { date } });
  });

  it('a past date submitted through an invoke is refused with the reason, and the date question stays open', async () => {
    const chat = new TeamsChat();
    await chat.diagnose();
    await chat.send(chat.execute({ choice: 'auto' }));
    const yesterday = addDays(todayIn(LENA.timeZone), -1);
    const { messages, invokeResponses } = splitInvoke(await chat.send(chat.execute({ choice: 'date-input', date: yesterday })));
    expect(messages.map(cardText).join('\n')).toContain(l.t('reopen.past', { date: l.longDate(yesterday) }));
    expect(entityOf(messages.at(-1))).toMatchObject({ awaiting: 'archive-date' });
    expect(invokeResponses).toHaveLength(1);
    expect(invokeResponses[0]!.value.status).toBe(200);
  });

  it('without expectReplies (as Teams sends invokes): the HTTP response is the invoke response, the card goes to the connector as a reply', async () => {
    const chat = new TeamsChat();
    await chat.diagnose();
    const invoke = chat.execute({ choice: 'auto' }, false);
    const { status, body } = await chat.post(invoke);
    expect(status).toBe(200);
    expect(body).toEqual({ statusCode: 200, type: MESSAGE_RESPONSE, value: l.t('reopen.question') });
    expect(connector.unexpected).toEqual([]);
    expect(connector.posts).toHaveLength(1);
    const [post] = connector.posts;
    expect(post).toMatchObject({ conversationId: chat.conversationId, replyToId: invoke.id });
    checkReply(post!.activity, chat.typedCodes);
    expect(cardText(post!.activity)).toContain(l.t('reopen.question'));
    expect(entityOf(post!.activity)).toMatchObject({ awaiting: 'archive-date' });
  });
});

describe('Teams Action.Submit (a message with value and no text)', () => {
  it('continues the flow: "do it for me", a suggested date, then "cancel"', async () => {
    const chat = new TeamsChat();
    await chat.diagnose();

    const question = await chat.send(chat.activity({ value: { choice: 'auto' } }));
    expect(question.every((reply) => reply.type === 'message')).toBe(true);
    expect(cardText(question.at(-1))).toContain(l.t('reopen.question'));
    const suggested = choicesOf(question.at(-1)).filter((choice) => /^\d{4}-\d{2}-\d{2}$/.test(choice));
    expect(suggested.length).toBeGreaterThan(0);

    const confirm = await chat.send(chat.activity({ value: { choice: suggested.at(-1) } }));
    expect(confirm.map(cardText).join('\n')).toContain(l.fullDate(suggested.at(-1)!));
    expect(choicesOf(confirm.at(-1))).toEqual(['yes', 'no']);

    const cancelled = await chat.send(chat.activity({ value: { choice: 'no' } }));
    expect(cancelled.map(cardText).join('\n')).toContain(l.t('change.cancelled'));
  });

  it('a date picked in the card’s Input.Date ({ choice: "date-input", date }) is read as the date', async () => {
    const chat = new TeamsChat();
    await chat.diagnose();
    await chat.send(chat.activity({ value: { choice: 'auto' } }));
    const date = addDays(sundayThreeWeeksAhead(todayIn(LENA.timeZone)), 7);
    const confirm = await chat.send(chat.activity({ value: { choice: 'date-input', date } }));
    expect(confirm.map(cardText).join('\n')).toContain(l.t('fact.archiving.value', { date: l.fullDate(date) }));
    expect(entityOf(confirm.at(-1))).toMatchObject({ awaiting: 'confirm' });
    expect(archiveDateOf(JOB.id), 'the repository’s demo data is never touched').not.toBe(date);
  });
});
