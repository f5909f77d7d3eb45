import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { projectRoot } from '../../src/projectRoot.js';
import { MAX_BODY_BYTES } from '../../src/server.js';
import { Chat, lastDiagnosis, postActivity, textOf } from '../support/botServer.js';
import { DEMO_CASES, DEMO_CODES } from '../support/demoCodes.js';

/**
 * The HTTP surface of a real server: health, body validation and limits, routing, a burst
 * of concurrent conversations, and what reaches the logs. The bot runs like `startTestBot`
 * (in-memory state, its own copy of the demo data) but with a debug logger whose lines
 * the tests read.
 */

const logLines: string[] = [];
let bot: RunningBot;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gallery-http-'));
  const dataFile = join(folder, 'platform.json');
  await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
  const env = { PORT: '0', HOST: '127.0.0.1', STORAGE: 'memory', STORAGE_PATH: join(folder, 'bot.sqlite'), PLATFORM_DATA: dataFile, LOG_LEVEL: 'debug' };
  bot = await startBot(loadConfig(env), env, createLogger('debug', (line) => logLines.push(line)));
});

afterAll(async () => {
  await bot?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

async function postRaw(body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

/** An activity of exactly `bytes` bytes of JSON, padding the text. */
function activityOfSize(chat: Chat, prefix: string, bytes: number): string {
  const empty = JSON.stringify(chat.activity({ text: prefix }));
  const body = JSON.stringify(chat.activity({ text: prefix + 'a'.repeat(bytes - Buffer.byteLength(empty)) }));
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

describe('GET /healthz', () => {
  it('answers 200 {status: "ok"} as JSON', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('POST /api/messages: what is not an activity', () => {
  it('answers 400 to malformed JSON', async () => {
    const response = await postRaw('{"type": "message", ');
    expect(response.status).toBe(400);
    await response.arrayBuffer();
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"hi"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an empty object', '{}'],
    ['a message without conversation', JSON.stringify({ type: 'message' })],
    ['a message without conversation id', JSON.stringify({ type: 'message', channelId: 'webchat', conversation: {}, deliveryMode: 'expectReplies' })],
    ['a numeric type', JSON.stringify({ type: 1 })],
    ['an empty type', JSON.stringify({ type: '', channelId: 'webchat', conversation: { id: 'c' }, deliveryMode: 'expectReplies' })],
    ['a message without serviceUrl nor expectReplies', JSON.stringify({ type: 'message', channelId: 'webchat', conversation: { id: 'c' }, text: 'hi' })],
  ])('answers 400 with a JSON error to %s', async (_name, body) => {
    const response = await postRaw(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const error = (await response.json()) as Record<string, unknown>;
    expect(typeof (error.error ?? error.message)).toBe('string');
  });

  it('answers 413 to a body over 1 MB', async () => {
    const chat = new Chat(bot.url);
    const response = await postActivity(bot.url, chat.activity({ text: 'x'.repeat(1_200_000) }));
    expect(response.status).toBe(413);
    await response.arrayBuffer();
  });

  it('answers 413 to a body one byte over the limit', async () => {
    const chat = new Chat(bot.url);
    const response = await postRaw(activityOfSize(chat, 'my photos are almost ready ', MAX_BODY_BYTES + 1));
    expect(response.status).toBe(413);
    await response.arrayBuffer();
  });

  it('takes a body of exactly the limit (a very long text) and answers kindly', async () => {
    const chat = new Chat(bot.url);
    const response = await postRaw(activityOfSize(chat, 'my photos are almost ready ', MAX_BODY_BYTES));
    expect(response.status).toBe(200);
    const { activities } = (await response.json()) as { activities: Partial<Activity>[] };
    expect(activities.length).toBeGreaterThan(0);
    expect(textOf(activities).length).toBeGreaterThan(0);
    expect(textOf(activities)).not.toMatch(/error|sorry|went wrong/i);
    expect(lastDiagnosis(activities).awaiting).not.toBeNull();
  });

  it('rejects a wrong content type with a 4xx, never a 500', async () => {
    const chat = new Chat(bot.url);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream']) {
      const response = await postRaw(JSON.stringify(chat.activity({ text: 'hi' })), contentType);
      expect(response.status, contentType).toBeGreaterThanOrEqual(400);
      expect(response.status, contentType).toBeLessThan(500);
      await response.arrayBuffer();
    }
  });

  it('rejects an empty body with a 4xx, never a 500', async () => {
    const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    await response.arrayBuffer();
  });
});

describe('routing', () => {
  it('answers GET /api/messages with 405 or 404, not 500', async () => {
    const response = await fetch(`${bot.url}/api/messages`);
    expect([404, 405]).toContain(response.status);
    await response.arrayBuffer();
  });

  it('answers an unknown path with 404', async () => {
    for (const path of ['/nope', '/api/messages/extra', '/healthz/x']) {
      const response = await fetch(`${bot.url}${path}`);
      expect(response.status, path).toBe(404);
      await response.arrayBuffer();
    }
    const post = await fetch(`${bot.url}/api/other`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(404);
    await post.arrayBuffer();
  });
});

describe('a burst of conversations', () => {
  it('answers 50 concurrent conversations, each with its own diagnosis', async () => {
    const cases = Object.values(DEMO_CASES);
    const conversations = Array.from({ length: 50 }, (_, index) => {
      const demo = cases[index % cases.length]!;
      return { demo, chat: new Chat(bot.url, { userId: `burst-user-${index}` }) };
    });
    const firsts = await Promise.all(conversations.map(({ chat }) => chat.say('my photos are almost ready')));
    for (const replies of firsts) expect(lastDiagnosis(replies).awaiting).toBe('access-code');
    const seconds = await Promise.all(conversations.map(({ chat, demo }) => chat.say(demo.code)));
    seconds.forEach((replies, index) => {
      const { demo } = conversations[index]!;
      const diagnosis = lastDiagnosis(replies);
      expect(diagnosis.symptom, demo.code).toBe('almost-ready');
      if (demo.scenario === 'unknown-code') {
        // An unknown code gets help on the code and the question again.
        expect(diagnosis.awaiting, demo.code).toBe('access-code');
      } else {
        expect(diagnosis.scenario, demo.code).toBe(demo.scenario);
        expect(diagnosis.secondary, demo.code).toEqual(demo.secondary);
      }
    });
  });

  it('is still healthy after all of that', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    const replies = await new Chat(bot.url).say(`it says missed the sale, my code is ${DEMO_CODES['job-archived']}`);
    expect(lastDiagnosis(replies).scenario).toBe('job-archived');
  });
});

describe('request logs', () => {
  it('never contain an access code the user typed nor the message text', async () => {
    const before = logLines.length;
    const typedCode = 'mxr2 9plt';
    const secretText = 'Zebrafish-Marmalade-4711';
    const chat = new Chat(bot.url, { userId: 'log-user' });
    await chat.say(`hello, ${secretText}: it says missed the sale`);
    await chat.say(typedCode);
    await new Chat(bot.url).say(`almost ready ${DEMO_CODES['unknown-code']} ${secretText}`);
    await new Chat(bot.url).say(`incorrect access code ${DEMO_CODES['code-from-deleted-job']}`);
    // Rejected requests holding a code and the text.
    const rejected = [
      await postRaw(`{"type":"message","text":"${secretText} ${DEMO_CODES['photos-hidden']}"`),
      await postRaw(JSON.stringify({ type: 'message', text: `${secretText} ${DEMO_CODES['photos-hidden']}` })),
      await postRaw(JSON.stringify({ text: `${secretText} ${DEMO_CODES['photos-hidden']}` }), 'text/plain'),
      await postActivity(bot.url, chat.activity({ text: `${secretText} ${DEMO_CODES['photos-hidden']} ${'x'.repeat(1_100_000)}` })),
    ];
    for (const response of rejected) await response.arrayBuffer();

    const lines = logLines.slice(before);
    expect(lines.length).toBeGreaterThan(0); // the logger is really wired in
    expect(lines.some((line) => (JSON.parse(line) as { message: string }).message === 'turn')).toBe(true);
    const forbidden = [
      secretText,
      typedCode,
      'MXR29PLT',
      'MXR2 9PLT',
      DEMO_CODES['unknown-code'],
      DEMO_CODES['code-from-deleted-job'],
      DEMO_CODES['photos-hidden'],
      'almost ready',
      'missed the sale',
    ];
    for (const line of lines) {
      for (const needle of forbidden) expect(line.toLowerCase(), line).not.toContain(needle.toLowerCase());
    }
  });
});
