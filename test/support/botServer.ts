import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { type RunningBot, type StartOptions, startBot } from '../../src/main.js';
import { projectRoot } from '../../src/projectRoot.js';
import { DIAGNOSIS_ENTITY_TYPE, type DiagnosisEntity } from '../../src/channels/diagnosisEntity.js';

/**
 * A real bot server on 127.0.0.1 with a free port, in-memory bot state and its own copy
 * of the demo data, driven over HTTP with `deliveryMode: "expectReplies"`. bench/turns.ts
 * starts its bot with `startTestBot` too, outside vitest: keep this file free of vitest.
 */
export interface TestBot extends RunningBot {
  dataFile: string;
  stop(): Promise<void>;
}

/**
 * `options` go to `startBot` as they are, e.g. `{ slackApiUrl }` for a local Slack Web API
 * stand-in. `start`: the `startBot` to run, the sources' by default; the benchmark passes the
 * build's (bench/build.ts).
 */
export async function startTestBot(env: Record<string, string> = {}, options: StartOptions = {}, start: typeof startBot = startBot): Promise<TestBot> {
  const folder = await mkdtemp(join(tmpdir(), 'gallery-bot-'));
  const dataFile = join(folder, 'platform.json');
  await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
  const fullEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    STORAGE: 'memory',
    STORAGE_PATH: join(folder, 'bot.sqlite'),
    PLATFORM_DATA: dataFile,
    LOG_LEVEL: 'silent',
    ...env,
  };
  const bot = await start(loadConfig(fullEnv), fullEnv, silentLogger, options);
  return {
    ...bot,
    dataFile,
    stop: async () => {
      await bot.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

export async function postActivity(url: string, activity: Partial<Activity>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
}

export interface ChatOptions {
  channelId?: string;
  locale?: string;
  userId?: string;
  conversationId?: string;
  from?: Partial<Activity['from']>;
  channelData?: unknown;
}

let conversationCounter = 0;

/** One conversation with the bot: every `say` posts a message and returns the bot's replies. */
export class Chat {
  readonly conversationId: string;
  /** The person: `options.userId`, else one of this chat's own (limits and open cases count per person). */
  readonly userId: string;
  private counter = 0;

  constructor(
    private readonly url: string,
    private readonly options: ChatOptions = {},
  ) {
    conversationCounter += 1;
    this.conversationId = options.conversationId ?? `test-conversation-${process.pid}-${conversationCounter}`;
    this.userId = options.userId ?? `user-${conversationCounter}`;
  }

  activity(fields: Partial<Activity>): Partial<Activity> {
    this.counter += 1;
    const channelId = this.options.channelId ?? 'webchat';
    return {
      type: 'message',
      id: `${this.conversationId}-${this.counter}`,
      channelId,
      serviceUrl: 'http://127.0.0.1:1/unused',
      deliveryMode: 'expectReplies',
      conversation: { id: this.conversationId } as Activity['conversation'],
      from: { id: this.userId, name: 'Test user', ...this.options.from } as Activity['from'],
      recipient: { id: 'bot', name: 'Gallery Access Assistant' } as Activity['recipient'],
      locale: this.options.locale ?? 'en-US',
      timestamp: new Date(),
      ...(this.options.channelData === undefined ? {} : { channelData: this.options.channelData }),
      ...fields,
    };
  }

  async send(fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    const response = await postActivity(this.url, this.activity(fields));
    if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { activities?: Partial<Activity>[] };
    return body.activities ?? [];
  }

  say(text: string): Promise<Partial<Activity>[]> {
    return this.send({ text });
  }

  join(): Promise<Partial<Activity>[]> {
    return this.send({
      type: 'conversationUpdate',
      text: undefined,
      membersAdded: [{ id: this.userId, name: 'Test user' }] as Activity['membersAdded'],
    });
  }
}

export function diagnosisOf(activity: Partial<Activity> | undefined): DiagnosisEntity {
  const entity = activity?.entities?.find((candidate) => candidate.type === DIAGNOSIS_ENTITY_TYPE);
  if (entity === undefined) throw new Error(`No diagnosis entity on ${JSON.stringify(activity)}`);
  return entity as DiagnosisEntity;
}

/** The entity of the last reply: what the bot waits for after the turn. */
export function lastDiagnosis(replies: readonly Partial<Activity>[]): DiagnosisEntity {
  return diagnosisOf(replies.at(-1));
}

export function textOf(replies: readonly Partial<Activity>[]): string {
  return replies.map((reply) => reply.text ?? '').join('\n');
}

/** The labels of a reply's buttons (suggested actions and card buttons). */
export function buttonsOf(activity: Partial<Activity> | undefined): string[] {
  const suggested = activity?.suggestedActions?.actions.map((action) => action.title) ?? [];
  const cards = (activity?.attachments ?? []).flatMap((attachment) => {
    const content = attachment.content as { buttons?: { title: string }[] } | undefined;
    return content?.buttons?.map((button) => button.title) ?? [];
  });
  return [...cards, ...suggested];
}
