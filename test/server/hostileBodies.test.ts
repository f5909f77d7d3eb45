import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/server.js';
import { implausibleChannelToken } from '../../src/http/channelToken.js';
import { Chat, lastDiagnosis, startTestBot, type TestBot } from '../support/botServer.js';
import { CHANNEL_TOKEN_ISSUER, createSigningKey, type MetadataServer, signJwt, startMetadataServer } from '../support/channelAuthServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { rawRequest, repeatedChunks } from '../support/rawRequest.js';

/**
 * The attacks of issue #10, repeated against a real server: multipart uploads that
 * restify's bodyParser wrote to the temp folder before any handler ran, a gzip bomb it
 * inflated before its size check, and form posts a web page can send cross-site. Every one
 * is refused before the body is read, with or without Bot Framework credentials.
 *
 * The temp folder of this test file is a fresh one (TMPDIR), so "nothing was written to
 * it" is exact, whatever other processes on the machine do in /tmp.
 */

const APP_ID = '7c2e1f0a-5b4d-4c3e-8a9f-1d2e3f4a5b6c';
const channelKey = createSigningKey('hostile-bodies-key');

let privateTmp: string;
let previousTmp: string | undefined;
let local: TestBot;
let secured: TestBot;
let metadata: MetadataServer;

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  privateTmp = await mkdtemp(join(tmpdir(), 'gallery-hostile-tmp-'));
  previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = privateTmp; // os.tmpdir() of this process, where formidable would write
  metadata = await startMetadataServer([{ key: channelKey, endorsements: [] }]);
  local = await startTestBot();
  secured = await startTestBot({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-password',
    ToBotFromChannelOpenIdMetadataUrl: metadata.channelMetadataUrl,
    ToBotFromChannelTokenIssuer: CHANNEL_TOKEN_ISSUER,
    ToBotFromEmulatorOpenIdMetadataUrl: metadata.emulatorMetadataUrl,
  });
});

afterAll(async () => {
  await local?.stop();
  await secured?.stop();
  await metadata?.close();
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  if (privateTmp !== undefined) await rm(privateTmp, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function validToken(): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ iss: CHANNEL_TOKEN_ISSUER, aud: APP_ID, serviceurl: 'http://127.0.0.1:1/unused', nbf: now - 60, exp: now + 3600 }, channelKey);
}

async function uploadsIn(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { recursive: true })) if (/upload_/.test(String(entry))) found.push(String(entry));
  return found;
}

const MB = 1024 * 1024;

/** A multipart/form-data body with two 50 MB files, generated chunk by chunk. */
function* twoFiftyMegabyteFiles(boundary: string): Generator<Buffer | string> {
  for (const name of ['a', 'b']) {
    yield `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    yield* repeatedChunks(MB, 50);
    yield '\r\n';
  }
  yield `--${boundary}--\r\n`;
}
const MULTIPART_BYTES = 100 * MB + 1000;

describe('multipart uploads (2 × 50 MB)', () => {
  it.each([
    ['local mode', () => local, {}],
    ['with MicrosoftAppId set, no token', () => secured, {}],
    ['with MicrosoftAppId set and a valid channel token', () => secured, { authorization: `Bearer ${validToken()}` }],
  ] as const)('are refused on /api/messages before the body is read, %s, and nothing lands in the temp folder', async (_name, bot, extra) => {
    const boundary = 'gallery-boundary-7f3a';
    const response = await rawRequest(bot().url, {
      path: '/api/messages',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(MULTIPART_BYTES), ...extra },
      body: twoFiftyMegabyteFiles(boundary),
    });
    expect([401, 415]).toContain(response.status);
    // Answered long before the 100 MB were sent: nothing waited for the body.
    expect(response.bytesSentBeforeAnswer).toBeLessThan(MULTIPART_BYTES / 2);
    expect(await uploadsIn(privateTmp)).toEqual([]);
  });

  it('are refused on every other path too, routed or not', async () => {
    for (const path of ['/healthz', '/nope', '/v3/directline/conversations', '/api/messages/extra']) {
      const boundary = 'gallery-boundary-path';
      const response = await rawRequest(local.url, {
        path,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(MULTIPART_BYTES) },
        body: twoFiftyMegabyteFiles(boundary),
      });
      expect(response.status, path).toBe(415);
    }
    expect(await uploadsIn(privateTmp)).toEqual([]);
  });
});

describe('compressed bodies', () => {
  /** A valid activity of `megabytes` MB of JSON, gzipped (about 1/1000 of its size). */
  async function gzipBomb(megabytes: number): Promise<Buffer> {
    const chat = new Chat(local.url);
    const [head, tail] = JSON.stringify(chat.activity({ text: '\u0000' })).split('\\u0000') as [string, string];
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => parts.push(chunk));
    const finished = new Promise<void>((done) => gzip.on('end', () => done()));
    gzip.write(head);
    for (const chunk of repeatedChunks(MB, megabytes)) {
      if (!gzip.write(chunk)) await new Promise((drain) => gzip.once('drain', drain));
    }
    gzip.end(tail);
    await finished;
    return Buffer.concat(parts);
  }

  it('a gzip bomb (200 KB that inflates to 200 MB) gets 415, four at once, and the memory stays small', async () => {
    const bomb = await gzipBomb(200);
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES); // under the body limit: only the encoding rule stops it
    const before = process.memoryUsage().rss;
    const responses = await Promise.all(
      Array.from({ length: 4 }, () =>
        rawRequest(local.url, {
          path: '/api/messages',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) },
          body: [bomb],
        }),
      ),
    );
    for (const response of responses) expect(response.status).toBe(415);
    // One inflated bomb alone would be 200 MB of string; the limit leaves room for the runtime's own noise.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
  });

  it.each(['deflate', 'br', 'gzip, identity', 'x-unknown'])('Content-Encoding %s gets 415', async (encoding) => {
    const body = deflateSync(JSON.stringify(new Chat(local.url).activity({ text: 'hi' })));
    const response = await rawRequest(local.url, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': String(body.length) },
      body: [body],
    });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toMatchObject({ error: expect.stringMatching(/encoding/i) });
  });

  it('Content-Encoding identity is plain JSON and gets its answer', async () => {
    const body = JSON.stringify({ ...new Chat(local.url).activity({ text: `missed the sale ${DEMO_CODES['job-archived']}` }) });
    const response = await rawRequest(local.url, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'identity', 'content-length': String(Buffer.byteLength(body)) },
      body: [body],
    });
    expect(response.status).toBe(200);
    expect(lastDiagnosis((JSON.parse(response.body) as { activities: [] }).activities).scenario).toBe('job-archived');
  });
});

describe('bodies that are not JSON', () => {
  it.each([
    ['a form post (what a web page can send cross-site)', 'application/x-www-form-urlencoded', 'type=message&channelId=msteams&text=yes'],
    ['text/plain (the other type without a CORS preflight)', 'text/plain', '{"type":"message","channelId":"webchat","text":"yes"}'],
    ['no content type at all', '', '{"type":"message"}'],
    ['application/octet-stream', 'application/octet-stream', 'xxxx'],
    ['a JSON look-alike type', 'application/jsonp', '{}'],
    ['text/json', 'text/json', '{}'],
  ])('%s gets 415 and takes no turn', async (_name, contentType, body) => {
    const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(body)) };
    if (contentType !== '') headers['content-type'] = contentType;
    const response = await rawRequest(local.url, { path: '/api/messages', headers, body: [body] });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toEqual({ error: expect.stringMatching(/application\/json/) });
  });

  it('a form post holding a whole activity does not drive a conversation', async () => {
    const chat = new Chat(local.url, { channelId: 'emulator' });
    const form = new URLSearchParams({ type: 'message', channelId: 'emulator', 'conversation[id]': chat.conversationId, 'from[id]': 'victim', text: 'yes', deliveryMode: 'expectReplies' });
    const response = await fetch(`${local.url}/api/messages`, { method: 'POST', body: form });
    expect(response.status).toBe(415);
    await response.arrayBuffer();
    // The conversation was never started: its first real message is greeted as a first message.
    const replies = await chat.say('hello');
    expect(replies.length).toBeGreaterThan(0);
  });
});

describe('sizes', () => {
  it('a Content-Length over the limit is answered 413 without waiting for the body', async () => {
    const response = await rawRequest(local.url, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'content-length': String(500 * MB) },
      body: repeatedChunks(64 * 1024, 8000),
      stopAfterBytes: 64 * 1024,
    });
    expect(response.status).toBe(413);
    expect(response.bytesSentBeforeAnswer).toBeLessThanOrEqual(64 * 1024);
  });

  it('a chunked body over the limit is answered 413', async () => {
    const response = await rawRequest(local.url, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: ['{"type":"message","text":"', ...repeatedChunks(64 * 1024, 20), '"}'],
    });
    expect(response.status).toBe(413);
  });

  it('a chunked body without end is answered 413 once the limit is passed, not after the last byte', async () => {
    // 500 MB announced by nothing; the client holds the request open after twice the limit.
    const response = await rawRequest(local.url, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: ['{"type":"message","text":"', ...repeatedChunks(64 * 1024, 8000)],
      stopAfterBytes: 2 * MAX_BODY_BYTES,
    });
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(response.bytesSentBeforeAnswer).toBeLessThanOrEqual(2 * MAX_BODY_BYTES + 64 * 1024);
  });

  it('a chunked body under the limit is read and answered as usual', async () => {
    const body = JSON.stringify(new Chat(local.url).activity({ text: `missed the sale ${DEMO_CODES['job-archived']}` }));
    const response = await rawRequest(local.url, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: [body.slice(0, 40), body.slice(40, 200), body.slice(200)],
    });
    expect(response.status).toBe(200);
    expect(lastDiagnosis((JSON.parse(response.body) as { activities: [] }).activities).scenario).toBe('job-archived');
  });
});

describe('with MicrosoftAppId set, the channel token is looked at before the body', () => {
  it('a request without a token is answered 401 while its body is still being sent', async () => {
    const response = await rawRequest(secured.url, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES) },
      body: repeatedChunks(1024, 1024),
      stopAfterBytes: 1024,
    });
    expect(response.status).toBe(401);
    expect(response.bytesSentBeforeAnswer).toBeLessThanOrEqual(1024);
  });

  it.each([
    ['garbage', 'Bearer garbage'],
    ['a Basic header', 'Basic dXNlcjpwYXNz'],
    ['alg none', `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"aud":"${APP_ID}","exp":9999999999}`).toString('base64url')}.`],
  ])('%s is answered 401 before the body is read', async (_name, authorization) => {
    const response = await rawRequest(secured.url, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES), authorization },
      body: repeatedChunks(1024, 1024),
      stopAfterBytes: 1024,
    });
    expect(response.status).toBe(401);
  });

  it('a valid token still gets its conversation', async () => {
    const chat = new Chat(secured.url, { channelId: 'webchat' });
    const response = await fetch(`${secured.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${validToken()}` },
      body: JSON.stringify({ ...chat.activity({ text: `missed the sale ${DEMO_CODES['job-archived']}` }), serviceUrl: 'http://127.0.0.1:1/unused' }),
    });
    expect(response.status).toBe(200);
    expect(lastDiagnosis(((await response.json()) as { activities: [] }).activities).scenario).toBe('job-archived');
  });
});

describe('implausibleChannelToken (the header-only check)', () => {
  const now = 1_800_000_000;
  const jwt = (header: object, claims: object): string =>
    `Bearer ${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  const header = { alg: 'RS256', kid: 'k1' };

  it('lets through what may be a channel or Emulator token for this bot', () => {
    expect(implausibleChannelToken(jwt(header, { aud: APP_ID, exp: now + 60 }), APP_ID, now)).toBeNull();
    expect(implausibleChannelToken(jwt(header, { aud: [APP_ID, 'x'], exp: now + 60 }), APP_ID, now)).toBeNull();
    expect(implausibleChannelToken(jwt(header, { aud: 'https://api.botframework.com', appid: APP_ID, exp: now + 60 }), APP_ID, now)).toBeNull();
    expect(implausibleChannelToken(jwt(header, { aud: APP_ID, exp: now - 120 }), APP_ID, now)).toBeNull(); // within the 5 minutes of skew
  });

  it.each([
    ['no header', undefined],
    ['empty', ''],
    ['not Bearer', 'Basic abc'],
    ['two parts', 'Bearer a.b'],
    ['not base64 JSON', 'Bearer a.b.c'],
    ['HS256', jwt({ alg: 'HS256', kid: 'k1' }, { aud: APP_ID, exp: now + 60 })],
    ['no kid', jwt({ alg: 'RS256' }, { aud: APP_ID, exp: now + 60 })],
    ['another bot', jwt(header, { aud: 'other', exp: now + 60 })],
    ['no exp', jwt(header, { aud: APP_ID })],
    ['expired', jwt(header, { aud: APP_ID, exp: now - 600 })],
  ])('refuses %s', (_name, authorization) => {
    expect(implausibleChannelToken(authorization, APP_ID, now)).not.toBeNull();
  });
});
