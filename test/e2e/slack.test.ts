import { readFileSync } from 'node:fs';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localizer } from '../../src/language/messages.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { type PostedMessage, SlackStandIn } from '../support/slackApiStandIn.js';
import { type TestBot, diagnosisOf as entityOf, postActivity, startTestBot } from '../support/botServer.js';
import { addDays, sundayThreeWeeksAhead, todayIn } from '../support/calendar.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { DEMO_DATA, KNOWN_CODES, checkReply, normalizeCode } from './e2eSupport.js';

/**
 * Slack through the Azure Bot Service Slack channel, against a real bot server: activities
 * as the channel delivers them (channel `slack`, `from.id` `U…:T…`, the raw Slack envelope in
 * `channelData.SlackMessage`, the workspace's bot token in `channelData.ApiToken`), with a
 * local Slack Web API stand-in (`startBot({ slackApiUrl })`) and a local Bot Connector
 * stand-in as the activities' `serviceUrl`, so both ways out of the bot are observed.
 */

const TEAM = 'T0DEMO';
const BOT_TOKEN = 'xoxb-test';
const BOT_ID = `B0:${TEAM}`;
const ROOT_TS = '1700000000.000100';
const MEGAN = DEMO_PHOTOGRAPHERS.megan.slack[0];
const LENA = DEMO_PHOTOGRAPHERS.lena.slack[0];
const PLANNING = DEMO_CASES['job-in-planning'];
const ARCHIVED = DEMO_CASES['job-archived'];
const PLANNING_JOB = DEMO_DATA.jobs.find((job) => job.id === PLANNING.jobId)!;
const ARCHIVED_JOB = DEMO_DATA.jobs.find((job) => job.id === ARCHIVED.jobId)!;
/** The bot answers in English: Slack sends no locale, and the messages are English. */
const l = localizer('en-US', 'photographer');

const spaced = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;
const ALMOST_READY = `A parent sees “Your photos are almost ready” with code ${spaced(DEMO_CODES['job-in-planning'])}`;
/** Lena, in German, reports a parent who missed the sale. */
const MISSED_SALE = `Eine Mutter sieht „Verkauf verpasst“, Code ${spaced(DEMO_CODES['job-archived'])}`;

interface SlackConversationOptions {
  /** The Slack user id (U…). */
  user: string;
  /** The Slack channel (C…); the conversation id is `B0:T0DEMO:<channel>`. */
  channel: string;
  /** `channelData.ApiToken`; null leaves it out. */
  token?: string | null;
  expectReplies?: boolean;
}

interface Posted {
  status: number;
  /** The parsed JSON body, or null for an empty one. */
  body: { activities?: Partial<Activity>[] } | null;
}

let serviceUrl = '';

/**
 * One Slack thread with the bot: the first message starts it (`ts` ROOT_TS), later messages
 * are replies in it (`thread_ts` ROOT_TS), and clicks are `block_actions` payloads built from
 * the Block Kit message the bot posted, as Slack would send them.
 */
class SlackConversation {
  readonly conversationId: string;
  readonly typedCodes = new Set<string>();
  private counter = 0;

  constructor(
    private readonly url: string,
    private readonly options: SlackConversationOptions,
  ) {
    this.conversationId = `${BOT_ID}:${options.channel}`;
  }

  get channel(): string {
    return this.options.channel;
  }

  private base(fields: Partial<Activity>, slackMessage: Record<string, unknown> | null): Partial<Activity> {
    this.counter += 1;
    const token = this.options.token === undefined ? BOT_TOKEN : this.options.token;
    const channelData: Record<string, unknown> = {};
    if (slackMessage !== null) channelData.SlackMessage = slackMessage;
    if (token !== null) channelData.ApiToken = token;
    return {
      type: 'message',
      id: `${this.conversationId}:${process.pid}:${this.counter}`,
      channelId: 'slack',
      serviceUrl,
      timestamp: new Date(),
      from: { id: `${this.options.user}:${TEAM}`, name: this.options.user.toLowerCase() } as Activity['from'],
      recipient: { id: BOT_ID, name: 'galleryassistant' } as Activity['recipient'],
      conversation: { id: this.conversationId, isGroup: true, conversationType: 'channel', name: 'support' } as Activity['conversation'],
      ...(Object.keys(channelData).length > 0 ? { channelData } : {}),
      ...(this.options.expectReplies ? { deliveryMode: 'expectReplies' } : {}),
      ...fields,
    };
  }

  /** A message event (Events API `event_callback`), the first one the thread's root. */
  message(text: string, event: Record<string, unknown> = {}): Partial<Activity> {
    const flat = normalizeCode(text);
    for (const code of KNOWN_CODES) if (flat.includes(code)) this.typedCodes.add(code);
    const ts = this.counter === 0 ? ROOT_TS : `1700000000.${String(100 + this.counter * 100).padStart(6, '0')}`;
    return this.base(
      { text },
      {
        token: 'verification-token',
        team_id: TEAM,
        api_app_id: 'A0GALLERY',
        type: 'event_callback',
        event_id: `Ev0${this.counter}`,
        event_time: 1700000000,
        event: {
          type: 'message',
          user: this.options.user,
          channel: this.options.channel,
          ts,
          ...(ts === ROOT_TS ? {} : { thread_ts: ROOT_TS }),
          team: TEAM,
          text,
          channel_type: 'channel',
          ...event,
        },
      },
    );
  }

  /** A click on the button `choice:<id>` of a message the bot posted. */
  click(message: PostedMessage, choiceId: string): Partial<Activity> {
    const button = elementsOf(message).find((element) => element.action_id === `choice:${choiceId}`);
    if (button === undefined) throw new Error(`no button choice:${choiceId} in ${JSON.stringify(message.args.blocks)}`);
    return this.interaction(message, { ...button, block_id: 'actions', action_ts: '1700000100.000200' });
  }

  /** A date picked in the date picker of a message the bot posted. */
  pickDate(message: PostedMessage, date: string): Partial<Activity> {
    const picker = elementsOf(message).find((element) => element.type === 'datepicker');
    if (picker === undefined) throw new Error(`no date picker in ${JSON.stringify(message.args.blocks)}`);
    return this.interaction(message, { ...picker, selected_date: date, block_id: 'date', action_ts: '1700000100.000300' });
  }

  /** Slack's `block_actions` interactive payload, forwarded by the channel in `SlackMessage.payload`; no text. */
  private interaction(message: PostedMessage, action: Record<string, unknown>): Partial<Activity> {
    const threadTs = typeof message.args.thread_ts === 'string' ? message.args.thread_ts : undefined;
    return this.base(
      {},
      {
        payload: {
          type: 'block_actions',
          user: { id: this.options.user, username: this.options.user.toLowerCase(), team_id: TEAM },
          api_app_id: 'A0GALLERY',
          token: 'verification-token',
          container: { type: 'message', message_ts: message.ts, channel_id: this.options.channel, is_ephemeral: false, ...(threadTs ? { thread_ts: threadTs } : {}) },
          trigger_id: '1111.2222.abcdef',
          team: { id: TEAM, domain: 'demo' },
          channel: { id: this.options.channel, name: 'support' },
          message: { type: 'message', bot_id: 'B0', text: message.args.text, ts: message.ts, ...(threadTs ? { thread_ts: threadTs } : {}), blocks: message.args.blocks },
          state: { values: {} },
          response_url: `https://hooks.slack.com/actions/${TEAM}/1/abc`,
          actions: [action],
        },
      },
    );
  }

  /** Posts one activity; Bot Framework replies it gets back (expectReplies) are checked against contract 1. */
  async post(activity: Partial<Activity>): Promise<Posted> {
    const response = await postActivity(this.url, activity);
    const raw = await response.text();
    const body = raw === '' ? null : (JSON.parse(raw) as Posted['body']);
    for (const reply of body?.activities ?? []) checkReply(reply, this.typedCodes);
    return { status: response.status, body };
  }

  /** Posts and expects 200; returns the replies of an expectReplies activity (none otherwise). */
  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const { status, body } = await this.post(activity);
    expect(status, JSON.stringify(body)).toBe(200);
    return body?.activities ?? [];
  }
}

interface BlockElement {
  type: string;
  action_id?: string;
  value?: string;
  initial_date?: string;
  text?: { type: string; text: string };
}

interface Block {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
  elements?: BlockElement[];
}

function blocksOf(message: PostedMessage): Block[] {
  const blocks = message.args.blocks;
  if (!Array.isArray(blocks)) throw new Error(`no blocks in ${JSON.stringify(message.args)}`);
  return blocks as Block[];
}

function elementsOf(message: PostedMessage): BlockElement[] {
  return blocksOf(message).flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []));
}

function choiceIdsOf(message: PostedMessage): string[] {
  return elementsOf(message)
    .filter((element) => element.type === 'button')
    .map((element) => element.value ?? '');
}

/** Every mrkdwn text of a Block Kit message, and its `text`. */
function mrkdwnOf(message: PostedMessage): string[] {
  const texts = blocksOf(message).flatMap((block) => [block.text?.text ?? '', ...(block.fields ?? []).map((field) => field.text)]);
  return [String(message.args.text), ...texts].filter((text) => text !== '');
}

/** A Block Kit message as the bot must post it: a chat.postMessage with the token into the thread, mrkdwn only. */
function expectBlockKitMessage(message: PostedMessage, channel: string, threadTs = ROOT_TS): void {
  expect(message.path).toBe('/api/chat.postMessage');
  expect(message.token).toBe(BOT_TOKEN);
  expect(message.args).toMatchObject({ channel, thread_ts: threadTs });
  expect(typeof message.args.text).toBe('string');
  expect(String(message.args.text).trim()).not.toBe('');
  for (const block of blocksOf(message)) {
    expect(['section', 'context', 'actions']).toContain(block.type);
    if (block.text) expect(block.text.type).toBe('mrkdwn');
  }
  for (const text of mrkdwnOf(message)) expect(text, 'Slack mrkdwn bold is *single*').not.toContain('**');
  for (const element of elementsOf(message)) {
    if (element.type === 'button') expect(element.action_id).toBe(`choice:${element.value}`);
    else expect(element).toMatchObject({ type: 'datepicker', action_id: 'date' });
  }
}

/** The imBack buttons of a Bot Framework reply's hero card. */
function heroButtonsOf(activity: Partial<Activity> | undefined): { type: string; title: string; value: unknown }[] {
  const hero = activity?.attachments?.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.hero');
  return (hero?.content as { buttons?: { type: string; title: string; value: unknown }[] } | undefined)?.buttons ?? [];
}

/** A Bot Framework reply as the Slack renderer makes it: mrkdwn text, hero-card imBack buttons whose value is the label. */
function expectSlackActivity(activity: Partial<Activity>): void {
  expect(activity.type).toBe('message');
  expect(activity.text ?? '', 'Slack mrkdwn bold is *single*').not.toContain('**');
  for (const button of heroButtonsOf(activity)) expect(button).toMatchObject({ type: 'imBack', value: button.title });
  expect(activity.attachments?.some((attachment) => attachment.contentType.includes('adaptive')) ?? false, 'no Adaptive Cards on Slack').toBe(false);
}

const slack = new SlackStandIn(BOT_TOKEN);
const connector = new ConnectorStandIn();
let bot: TestBot | undefined;
let url = '';
let channelCounter = 0;

/** A conversation in a channel of its own, so tests share no state. */
function conversation(options: Omit<SlackConversationOptions, 'channel'> & { channel?: string }): SlackConversation {
  channelCounter += 1;
  return new SlackConversation(url, { channel: `C0${String(channelCounter).padStart(3, '0')}${process.pid}`, ...options });
}

beforeAll(async () => {
  const slackApiUrl = await slack.start();
  serviceUrl = await connector.start();
  bot = await startTestBot({}, { slackApiUrl });
  url = bot.url;
});

afterAll(async () => {
  await bot?.stop();
  await slack.stop();
  await connector.stop();
});

beforeEach(() => {
  slack.reset();
  connector.reset();
});

describe('Slack with the channel’s bot token: Block Kit through the Slack Web API', () => {
  it('(a) posts the replies with chat.postMessage, the bot token, into the message’s thread, as blocks with buttons and mrkdwn text — not through the connector', async () => {
    const chat = new SlackConversation(url, { user: MEGAN, channel: 'C0123' });
    expect(chat.conversationId).toBe('B0:T0DEMO:C0123');
    const { status, body } = await chat.post(chat.message(ALMOST_READY));
    expect(status).toBe(200);
    expect(body, 'normal delivery: nothing in the HTTP response').toBeNull();

    expect(connector.posts, 'no Bot Framework reply when Block Kit went through').toEqual([]);
    expect(connector.unexpected).toEqual([]);
    expect(slack.posted).toHaveLength(2);
    for (const message of slack.posted) expectBlockKitMessage(message, 'C0123');
    const [plan, howToFix] = slack.posted as [PostedMessage, PostedMessage];

    // The diagnosis with the plan: the job's title as mrkdwn bold, the steps as numbered lines.
    expect(String(plan.args.text)).toMatch(new RegExp(`^\\*${PLANNING_JOB.name}[^*\\n]*\\*\\n`));
    expect(String(plan.args.text)).toContain('1. ');
    expect(blocksOf(plan)[0]?.text?.text).toMatch(/^\*[^*]+\*$/);
    expect(choiceIdsOf(plan)).toEqual([]);

    // "How would you like to fix it?" with its two buttons.
    expect(howToFix.args.text).toBe(l.t('photographer.howToFix'));
    expect(elementsOf(howToFix)).toEqual([
      { type: 'button', text: { type: 'plain_text', text: l.t('photographer.walk'), emoji: true }, action_id: 'choice:walk', value: 'walk' },
      { type: 'button', text: { type: 'plain_text', text: l.t('photographer.auto'), emoji: true }, action_id: 'choice:auto', value: 'auto' },
    ]);
  });

  it('(b) reads a button click (block_actions, no text) as that choice and answers in the same thread', async () => {
    const chat = conversation({ user: MEGAN });
    await chat.send(chat.message(ALMOST_READY));
    const howToFix = slack.posted.at(-1)!;
    expect(choiceIdsOf(howToFix)).toEqual(['walk', 'auto']);
    slack.reset();

    // "Step by step" → step 1 of 3, a manual step: done / didn't work, no "do it for me".
    await chat.send(chat.click(howToFix, 'walk'));
    expect(connector.posts).toEqual([]);
    expect(slack.posted).toHaveLength(1);
    const step1 = slack.posted[0]!;
    expectBlockKitMessage(step1, chat.channel);
    expect(String(step1.args.text)).toContain(l.t('walk.title', { step: 1, steps: 3 }));
    expect(String(step1.args.text)).toContain(l.t('step.confirm-photos-linked'));
    expect(blocksOf(step1).some((block) => block.type === 'context'), 'progress as a context block').toBe(true);
    expect(choiceIdsOf(step1)).toEqual(['done', 'failed']);
    slack.reset();

    // "Done" → step 2 of 3, which the platform can do.
    await chat.send(chat.click(step1, 'done'));
    const step2 = slack.posted.at(-1)!;
    expect(String(step2.args.text)).toContain(l.t('walk.title', { step: 2, steps: 3 }));
    expect(choiceIdsOf(step2)).toEqual(['done', 'failed', 'auto']);
  });

  it('(b) also reads the smallest block_actions payload (user, channel, message.ts, actions) and answers under that message', async () => {
    const chat = conversation({ user: MEGAN });
    await chat.send(chat.message(ALMOST_READY));
    const howToFix = slack.posted.at(-1)!;
    slack.reset();
    const click: Partial<Activity> = {
      type: 'message',
      id: `minimal-click-${process.pid}`,
      channelId: 'slack',
      serviceUrl,
      from: { id: `${MEGAN}:${TEAM}`, name: 'megan' },
      recipient: { id: BOT_ID, name: 'galleryassistant' },
      conversation: { id: chat.conversationId } as Activity['conversation'],
      channelData: {
        SlackMessage: {
          payload: {
            type: 'block_actions',
            user: { id: MEGAN },
            channel: { id: chat.channel },
            message: { ts: howToFix.ts },
            actions: [{ action_id: 'choice:walk', value: 'walk', type: 'button' }],
          },
        },
        ApiToken: BOT_TOKEN,
      },
    };
    await chat.send(click);
    expect(slack.posted).toHaveLength(1);
    expectBlockKitMessage(slack.posted[0]!, chat.channel, howToFix.ts);
    expect(String(slack.posted[0]!.args.text)).toContain(l.t('walk.title', { step: 1, steps: 3 }));
  });

  it('(b) reads a date picked in the Block Kit date picker as the archive date, and the confirmed change reopens the job', async () => {
    // Slack sends no locale: Lena, writing in German, is answered in her account's language
    // (an English sentence would be answered in English: see their-language tests).
    const l = localizer(DEMO_PHOTOGRAPHERS.lena.locale, 'photographer');
    const chat = conversation({ user: LENA });
    await chat.send(chat.message(MISSED_SALE));
    const howToFix = slack.posted.at(-1)!;
    expect(String(slack.posted[0]!.args.text)).toContain(ARCHIVED_JOB.name);
    slack.reset();

    // "Do it for me" → the archive-date question: suggested Sundays and a date picker from tomorrow (Lena's Berlin day).
    await chat.send(chat.click(howToFix, 'auto'));
    const question = slack.posted.at(-1)!;
    expectBlockKitMessage(question, chat.channel);
    expect(String(question.args.text)).toContain(l.t('reopen.question'));
    const today = todayIn(DEMO_PHOTOGRAPHERS.lena.timeZone);
    expect(elementsOf(question).find((element) => element.type === 'datepicker')).toEqual({ type: 'datepicker', action_id: 'date', initial_date: addDays(today, 1) });
    for (const choice of choiceIdsOf(question)) expect(choice > today, `${choice} is in the future`).toBe(true);
    slack.reset();

    // The date picker → the summary of the change and "shall I?".
    const date = sundayThreeWeeksAhead(today);
    await chat.send(chat.pickDate(question, date));
    expect(connector.posts).toEqual([]);
    const texts = slack.posted.map((message) => String(message.args.text)).join('\n');
    expect(texts).toContain(l.t('fact.archiving.value', { date: l.fullDate(date) }));
    const confirm = slack.posted.at(-1)!;
    expect(String(confirm.args.text)).toContain(l.t('change.question'));
    expect(choiceIdsOf(confirm)).toEqual(['yes', 'no']);
    slack.reset();

    // "Yes, change it" → done, and the platform data says so.
    await chat.send(chat.click(confirm, 'yes'));
    const done = slack.posted.map((message) => String(message.args.text)).join('\n');
    expect(done).toContain(l.t('change.done.reopen-job', { job: ARCHIVED_JOB.name, date: l.fullDate(date), campaign: 'changed' }));
    const data = JSON.parse(readFileSync(bot!.dataFile, 'utf8')) as { jobs: { id: string; status: string; archiving: { date: string | null } }[] };
    expect(data.jobs.find((job) => job.id === ARCHIVED.jobId)).toMatchObject({ status: 'selling', archiving: { date } });
  });
});

describe('when the Slack Web API refuses: the Bot Framework reply through the connector', () => {
  it('(c) invalid_auth: every reply goes to the connector as mrkdwn text and hero-card buttons, and the conversation goes on', async () => {
    slack.slackError = 'invalid_auth';
    const chat = conversation({ user: MEGAN });
    const first = chat.message(ALMOST_READY);
    const { status, body } = await chat.post(first);
    expect(status).toBe(200);
    expect(body).toBeNull();
    expect(slack.posted, 'one refused call, then no more').toHaveLength(1);
    expect(slack.posted[0]).toMatchObject({ path: '/api/chat.postMessage', token: BOT_TOKEN });

    expect(connector.unexpected).toEqual([]);
    expect(connector.posts).toHaveLength(2);
    for (const post of connector.posts) {
      expect(post).toMatchObject({ conversationId: chat.conversationId, replyToId: first.id });
      expect(post.authorization, 'local mode: no token').toBeUndefined();
      checkReply(post.activity, chat.typedCodes);
      expectSlackActivity(post.activity);
      expect(post.activity.recipient?.id).toBe(`${MEGAN}:${TEAM}`);
    }
    const [plan, howToFix] = connector.posts.map((post) => post.activity) as [Partial<Activity>, Partial<Activity>];
    expect(plan.text).toMatch(new RegExp(`^\\*${PLANNING_JOB.name}[^*\\n]*\\*\\n`));
    expect(howToFix.text).toBe(l.t('photographer.howToFix'));
    expect(heroButtonsOf(howToFix).map((button) => button.title)).toEqual([l.t('photographer.walk'), l.t('photographer.auto')]);
    expect(entityOf(howToFix)).toMatchObject({ role: 'photographer', scenario: 'job-in-planning', awaiting: 'step-result' });

    // A hero-card click (imBack: the label as text) continues, still through the connector.
    connector.reset();
    await chat.send(chat.message(l.t('photographer.walk')));
    const step1 = connector.posts.at(-1)?.activity;
    expect(step1?.text).toContain(l.t('walk.title', { step: 1, steps: 3 }));
    expect(heroButtonsOf(step1).map((button) => button.title)).toEqual([l.t('walk.done'), l.t('walk.failed')]);
    expect(entityOf(step1)).toMatchObject({ step: 1, steps: 3, awaiting: 'step-result' });
  });

  it('(c) an HTTP error of the Slack Web API falls back the same way', async () => {
    slack.mode = 'http-500';
    const chat = conversation({ user: MEGAN });
    await chat.send(chat.message(ALMOST_READY));
    expect(connector.posts.map((post) => post.activity.text)).toEqual([expect.stringContaining(PLANNING_JOB.name), l.t('photographer.howToFix')]);
  });

  it('(c) when Slack fails midway, every reply still arrives, and none is shown twice', async () => {
    // Slack takes the first message (the plan) and refuses the second (e.g. rate limited).
    slack.slackError = 'ratelimited';
    slack.slackErrorAfter = 1;
    const chat = conversation({ user: MEGAN });
    await chat.send(chat.message(ALMOST_READY));
    const viaSlack = slack.posted.filter((message) => message.ts !== undefined).map((message) => String(message.args.text));
    const viaConnector = connector.posts.map((post) => post.activity.text ?? '');
    expect(viaSlack).toHaveLength(1);
    const shown = [...viaSlack, ...viaConnector];
    expect(shown.some((text) => text.includes(PLANNING_JOB.name)), 'the plan arrived').toBe(true);
    expect(shown, 'the question arrived').toContain(l.t('photographer.howToFix'));
    expect(shown, 'each reply shown once, not once as Block Kit and again as a hero card').toHaveLength(2);
  });
});

describe('Slack without Block Kit: Bot Framework activities with Slack mrkdwn and hero cards', () => {
  it('(d) without ApiToken, the replies go to the connector; Slack is not called', async () => {
    const chat = conversation({ user: MEGAN, token: null });
    const first = chat.message(ALMOST_READY);
    await chat.send(first);
    expect(slack.posted).toEqual([]);
    expect(connector.posts).toHaveLength(2);
    for (const post of connector.posts) {
      expect(post).toMatchObject({ conversationId: chat.conversationId, replyToId: first.id });
      checkReply(post.activity, chat.typedCodes);
      expectSlackActivity(post.activity);
    }
    const [plan, howToFix] = connector.posts.map((post) => post.activity);
    expect(plan?.text).toMatch(/^\*[^*\n]+\*\n/);
    expect(heroButtonsOf(howToFix).map((button) => button.value)).toEqual([l.t('photographer.walk'), l.t('photographer.auto')]);
  });

  it('(d) with ApiToken but expectReplies, the replies come back in the HTTP response; neither Slack nor the connector is called', async () => {
    const chat = conversation({ user: MEGAN, expectReplies: true });
    const replies = await chat.send(chat.message(ALMOST_READY));
    expect(slack.posted).toEqual([]);
    expect(connector.posts).toEqual([]);
    expect(replies).toHaveLength(2);
    for (const reply of replies) expectSlackActivity(reply);
    expect(replies[0]?.text).toMatch(new RegExp(`^\\*${PLANNING_JOB.name}[^*\\n]*\\*\\n`));
    expect(heroButtonsOf(replies[1]).map((button) => button.title)).toEqual([l.t('photographer.walk'), l.t('photographer.auto')]);

    // Clicking the hero card's imBack button sends its label as text.
    const next = await chat.send(chat.message(l.t('photographer.walk')));
    expect(next.at(-1)?.text).toContain(l.t('walk.title', { step: 1, steps: 3 }));
    expect(entityOf(next.at(-1))).toMatchObject({ role: 'photographer', scenario: 'job-in-planning', step: 1, steps: 3, awaiting: 'step-result' });
  });
});

describe('who is talking on Slack', () => {
  it('(e) an unmapped Slack user gets the guided diagnosis without any job data, and the hint to link the account', async () => {
    const chat = conversation({ user: 'U0NOBODY', expectReplies: true });
    const first = await chat.send(chat.message(ALMOST_READY));
    const firstText = first.map((reply) => reply.text ?? '').join('\n');
    expect(firstText).toContain(l.t('guided.intro'));
    expect(firstText).toContain(l.t('guided.job-status'));
    expect(firstText, 'no data of a job the user cannot be vouched for').not.toContain(PLANNING_JOB.name);
    expect(entityOf(first.at(-1))).toMatchObject({ role: 'photographer', awaiting: 'job-status' });
    expect(heroButtonsOf(first.at(-1)).map((button) => button.title)).toEqual([
      l.t('guided.job-status.planning'),
      l.t('guided.job-status.selling'),
      l.t('guided.job-status.archived'),
      l.t('guided.dontKnow'),
    ]);

    await chat.send(chat.message(l.t('guided.job-status.planning')));
    await chat.send(chat.message(l.t('guided.yes')));
    await chat.send(chat.message(l.t('guided.yes')));
    const last = await chat.send(chat.message(l.t('guided.no')));
    for (const reply of last) expectSlackActivity(reply);
    const lastText = last.map((reply) => reply.text ?? '').join('\n');
    expect(lastText).toContain(l.t('guided.linkAccount', { channel: 'Slack' }));
    expect(lastText).toContain(l.t('feedback.question'));
    expect(entityOf(last.at(-1))).toMatchObject({ role: 'photographer', scenario: 'job-in-planning', awaiting: 'feedback' });
    expect(slack.posted).toEqual([]);
  });

  it('(e) takes the Slack user id from event.user, and from the part of from.id before ":" when there is no SlackMessage', async () => {
    /** Mapped: the diagnosis names the job; unmapped: the guided questions. */
    const mapped = (replies: Partial<Activity>[]) => replies.map((reply) => reply.text ?? '').join('\n').includes(PLANNING_JOB.name);

    // event.user is the person, whatever from.id says.
    const byEvent = conversation({ user: 'U0NOBODY', expectReplies: true });
    expect(mapped(await byEvent.send(byEvent.message(ALMOST_READY, { user: MEGAN })))).toBe(true);
    const byEventUnmapped = conversation({ user: MEGAN, expectReplies: true });
    expect(mapped(await byEventUnmapped.send(byEventUnmapped.message(ALMOST_READY, { user: 'U0NOBODY' })))).toBe(false);

    // No SlackMessage at all: from.id "U…:T…".
    for (const [user, expected] of [
      [MEGAN, true],
      [DEMO_PHOTOGRAPHERS.megan.slack[1], true],
      ['U0NOBODY', false],
    ] as const) {
      const chat = conversation({ user, token: null, expectReplies: true });
      const bare = chat.message(ALMOST_READY);
      delete bare.channelData;
      const replies = await chat.send(bare);
      expect(mapped(replies), `${user} mapped`).toBe(expected);
      expect(entityOf(replies.at(-1)).role).toBe('photographer');
    }
  });
});
