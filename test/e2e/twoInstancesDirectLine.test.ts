import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BlobConversationLog } from '../../src/directline/blobConversationLog.js';
import { DIRECT_LINE_BOT } from '../../src/directline/directLineAdapter.js';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { silentLogger } from '../../src/logger.js';
import { openContainer } from '../../src/storage/blobStateStorage.js';
import { type Azurite, startAzurite } from '../support/azurite.js';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { entityOf } from '../support/directLineClient.js';

/**
 * The help chat behind a load balancer without sticky sessions: two real bot servers
 * sharing one Azure Blob container (azurite in memory), no DIRECTLINE_SECRET set. The
 * widget's requests go to either server: the token from one, the conversation started on
 * the other, messages posted to both, the WebSocket open on one receiving the replies to
 * what was posted to the other, the history read back after a reload from the other.
 */

let azurite: Azurite;
let one: TestBot;
let two: TestBot;

beforeAll(async () => {
  azurite = await startAzurite();
  const env = { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: 'web-chat' };
  [one, two] = await Promise.all([startTestBot(env), startTestBot(env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await azurite?.stop();
});

async function call<T>(bot: TestBot, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${bot.url}/v3/directline${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path} on ${bot.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The widget's token, from the page's token endpoint (no secret in the page). */
async function widgetToken(bot: TestBot): Promise<string> {
  const response = await fetch(`${bot.url}/widget/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"en-US"}' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** A stream and everything it received. */
class Stream {
  readonly received: Partial<Activity>[] = [];
  readonly watermarks: number[] = [];
  private readonly socket: WebSocket;
  readonly opened: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((open, fail) => {
      this.socket.once('open', () => open());
      this.socket.once('error', fail);
    });
    this.socket.on('message', (data: Buffer) => {
      if (data.length === 0) return;
      const set = JSON.parse(data.toString('utf8')) as { activities: Partial<Activity>[]; watermark: string };
      this.received.push(...set.activities);
      this.watermarks.push(Number(set.watermark));
    });
  }

  /** Stored activities (typing is not stored, and comes only from the instance that runs the turn). */
  stored(): Partial<Activity>[] {
    return this.received.filter((activity) => activity.type !== 'typing');
  }

  async waitFor(condition: (stored: Partial<Activity>[]) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; !condition(this.stored()); ) {
      if (Date.now() > deadline) throw new Error(`the stream waited for ${what}; got ${JSON.stringify(this.stored().map((a) => [a.id, a.from?.role, a.text]))}`);
      await new Promise((tick) => setTimeout(tick, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}

const repliesTo = (activities: readonly Partial<Activity>[], id: string) => activities.filter((activity) => activity.from?.role === 'bot' && activity.replyToId === id);
const seqOf = (activity: Partial<Activity>) => Number(activity.id?.split('|')[1]);

/** Every id once, numbers rising without a gap from the first. */
function expectNumberedInOrder(activities: readonly Partial<Activity>[]): void {
  const seqs = activities.map(seqOf);
  expect(new Set(activities.map((activity) => activity.id)).size).toBe(activities.length);
  expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
}

/** Each user activity answered, and no answer given twice (a turn run twice would repeat its texts). */
function expectAnsweredOnce(activities: readonly Partial<Activity>[], userIds: readonly string[]): void {
  for (const id of userIds) {
    const texts = repliesTo(activities, id).map((reply) => `${reply.text}|${JSON.stringify(reply.attachments ?? [])}`);
    expect(texts.length, `replies to ${id}`).toBeGreaterThan(0);
    expect(new Set(texts).size, `replies to ${id} repeated: ${JSON.stringify(texts)}`).toBe(texts.length);
  }
}

describe('the help chat on two instances sharing Azure Blob Storage', () => {
  it('a conversation whose requests alternate between the instances: stream on one, posts to both, history from the other', async () => {
    const token = await widgetToken(one);
    // Tokens one instance signed are valid on the other: the secret is shared through the container.
    const start = await call<{ conversationId: string; token: string; streamUrl: string }>(two, '/conversations', token, { locale: 'en-US' });
    expect(start.streamUrl.startsWith(two.url.replace('http:', 'ws:'))).toBe(true);
    const { conversationId } = start;
    // The stream is open on the first instance, which did not start the conversation.
    const resumed = await call<{ streamUrl: string; token: string }>(one, `/conversations/${conversationId}`, start.token);
    const stream = new Stream(resumed.streamUrl);
    await stream.opened;
    await stream.waitFor((stored) => stored.some((activity) => entityOf(activity).awaiting === 'symptom'), 'the greeting');
    expect(stream.stored().filter((activity) => activity.from?.role === 'bot')).toHaveLength(1);

    // Posted to the second instance: its reply arrives on the first instance's stream.
    const posted = Date.now();
    const symptom = await call<{ id: string }>(two, `/conversations/${conversationId}/activities`, resumed.token, { type: 'message', text: 'it says error, incorrect access code', locale: 'en-US' });
    await stream.waitFor((stored) => repliesTo(stored, symptom.id).length > 0, 'the question for the code');
    console.log(`reply to a message posted to the other instance on the stream after ${Date.now() - posted} ms`);
    // Posted to the first: answered there, still in order on the same stream.
    const code = await call<{ id: string }>(one, `/conversations/${conversationId}/activities`, resumed.token, {
      type: 'message',
      text: formatAccessCode(DEMO_CODES['job-archived']),
      locale: 'en-US',
    });
    await stream.waitFor((stored) => repliesTo(stored, code.id).length > 0, 'the diagnosis');
    await new Promise((tick) => setTimeout(tick, 1_500));
    const streamed = stream.stored();
    expect(streamed.map((activity) => activity.id)).toContain(symptom.id);
    expect(streamed.map((activity) => activity.id)).toContain(code.id);
    expectNumberedInOrder(streamed);
    expectAnsweredOnce(streamed, [symptom.id, code.id]);
    expect(stream.watermarks).toEqual([...stream.watermarks].sort((a, b) => a - b));
    stream.close();

    // A reload, served by the second instance: the whole history, as the stream had it.
    const history = await call<{ activities: Partial<Activity>[]; watermark: string }>(two, `/conversations/${conversationId}/activities`, resumed.token);
    expect(history.activities.map((activity) => activity.id)).toEqual(streamed.map((activity) => activity.id));
    expect(history.activities.map((activity) => activity.text)).toEqual(streamed.map((activity) => activity.text));
    expect(Number(history.watermark)).toBe(seqOf(streamed.at(-1)!));
    // Polling from a watermark on the first instance: only what came after it.
    const watermark = seqOf(streamed.at(-2)!);
    const after = await call<{ activities: Partial<Activity>[] }>(one, `/conversations/${conversationId}/activities?watermark=${watermark}`, resumed.token);
    expect(after.activities.map((activity) => activity.id)).toEqual([streamed.at(-1)!.id]);
    // A stream reopened on the second instance from the watermark goes on from there.
    const again = await call<{ streamUrl: string }>(two, `/conversations/${conversationId}?watermark=${history.watermark}`, resumed.token);
    const reopened = new Stream(again.streamUrl);
    await reopened.opened;
    const more = await call<{ id: string }>(one, `/conversations/${conversationId}/activities`, resumed.token, { type: 'message', text: 'hello again', locale: 'en-US' });
    await reopened.waitFor((stored) => repliesTo(stored, more.id).length > 0, 'the answer after the reload');
    expect(reopened.stored()[0]?.id).toBe(more.id);
    expect(reopened.stored().every((activity) => seqOf(activity) > Number(history.watermark))).toBe(true);
    reopened.close();
  }, 90_000);

  it('messages posted to both instances at once: distinct numbers in order, every message answered once, the greeting once', async () => {
    const conversations = await Promise.all(
      Array.from({ length: 4 }, async (_, index) => {
        const [first, second] = index % 2 === 0 ? [one, two] : [two, one];
        const token = await widgetToken(first);
        // Started on both at once: the bot greets once.
        const [start] = await Promise.all([
          call<{ conversationId: string; token: string; streamUrl: string }>(first, '/conversations', token, {}),
          call<{ conversationId: string }>(second, '/conversations', token, {}),
        ]);
        const stream = new Stream(start.streamUrl);
        await stream.opened;
        const posted: string[] = [];
        for (const text of ['hello', 'it says error, incorrect access code', 'I need help']) {
          const ids = await Promise.all(
            [first, second].map((bot, n) => call<{ id: string }>(bot, `/conversations/${start.conversationId}/activities`, start.token, { type: 'message', text: `${text} (${n})`, locale: 'en-US' })),
          );
          posted.push(...ids.map(({ id }) => id));
        }
        await stream.waitFor((stored) => posted.every((id) => repliesTo(stored, id).length > 0), 'answers to every message', 60_000);
        await new Promise((tick) => setTimeout(tick, 1_500));
        stream.close();
        return { stream, posted, history: await call<{ activities: Partial<Activity>[] }>(second, `/conversations/${start.conversationId}/activities`, start.token) };
      }),
    );
    for (const { stream, posted, history } of conversations) {
      expect(history.activities.map((activity) => activity.id)).toEqual(stream.stored().map((activity) => activity.id));
      expectNumberedInOrder(history.activities);
      expect(seqOf(history.activities[0]!)).toBe(1);
      expect(history.activities.filter((activity) => activity.from?.role === 'user').map((activity) => activity.id).sort()).toEqual([...posted].sort());
      expectAnsweredOnce(history.activities, posted);
      // The greeting (the turn of the join, no stored activity of the user's) once, wherever it fell among the messages.
      const greetings = history.activities.filter((activity) => activity.from?.role === 'bot' && !posted.includes(activity.replyToId ?? ''));
      expect(greetings).toHaveLength(1);
      expect(entityOf(greetings[0]).awaiting).toBe('symptom');
    }
  }, 120_000);

  it('a message an instance stored but died before answering is answered once, by one of the others', async () => {
    const env = { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: 'dead-instance' };
    // Turns held briefly and looked for often, so that the test need not wait a minute.
    const quick = { directLine: { holdMs: 1_000, unhandledCheckMs: 200 } };
    const [three, four] = await Promise.all([startTestBot(env, quick), startTestBot(env, quick)]);
    try {
      const start = await call<{ conversationId: string; token: string; streamUrl: string }>(three, '/conversations', await widgetToken(three), { locale: 'en-US' });
      const stream = new Stream(start.streamUrl);
      await stream.opened;
      await stream.waitFor((stored) => stored.length === 1, 'the greeting');
      // The instance that died: it stored the parent's message (and its hold) and never ran the turn.
      const userId = JSON.parse(Buffer.from(start.token.split('.')[1] ?? '', 'base64url').toString('utf8')).user as string;
      const dead = new BlobConversationLog(openContainer(azurite.connectionString, 'dead-instance'), { logger: silentLogger, holdMs: 1_000 });
      const [lost] = await dead.appendAll(start.conversationId, [
        {
          type: 'message',
          text: 'it says error, incorrect access code',
          locale: 'en-US',
          channelId: 'directline',
          conversation: { id: start.conversationId } as Activity['conversation'],
          from: { id: userId, role: 'user' } as Activity['from'],
          recipient: { ...DIRECT_LINE_BOT },
        },
      ]);
      const lostId = lost!.entry.id!;
      await stream.waitFor((stored) => repliesTo(stored, lostId).length > 0, 'the answer to the lost message');
      // Long enough for both instances to look again several times after the answer.
      await new Promise((tick) => setTimeout(tick, 2_500));
      stream.close();
      expectAnsweredOnce(stream.stored(), [lostId]);
      const history = await call<{ activities: Partial<Activity>[] }>(four, `/conversations/${start.conversationId}/activities`, start.token);
      expect(history.activities.filter((activity) => activity.replyToId === lostId).map((activity) => activity.text)).toEqual(
        repliesTo(stream.stored(), lostId).map((activity) => activity.text),
      );
      const holds: string[] = [];
      for await (const item of openContainer(azurite.connectionString, 'dead-instance').listBlobsFlat({ prefix: 'directline/unhandled/' })) holds.push(item.name);
      expect(holds).toEqual([]);
    } finally {
      await Promise.all([three.stop(), four.stop()]);
    }
  }, 60_000);
});
