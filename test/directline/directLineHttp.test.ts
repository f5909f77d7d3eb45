import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { generateToken } from '../support/directLineClient.js';

/**
 * The Direct Line endpoints over raw HTTP: what a token may do and what it may not (another
 * conversation, forged, expired, no secret), CORS only for WIDGET_ORIGINS, JSON-only bodies
 * with limits, the widget's token endpoint and its rate limit, the page's security headers.
 */

const SECRET = 'test-directline-secret-0123456789abcdef';
const SHOP = 'https://shop.example.com';

let bot: TestBot;
let base: string;

beforeAll(async () => {
  bot = await startTestBot({ DIRECTLINE_SECRET: SECRET, WIDGET_ORIGINS: SHOP });
  base = `${bot.url}/v3/directline`;
});
afterAll(async () => {
  await bot.stop();
});

function call(path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
}

async function started(): Promise<{ conversationId: string; token: string }> {
  const { token } = await generateToken(bot.url, SECRET);
  const response = await call('/conversations', { method: 'POST', token, body: {} });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { conversationId: string; token: string; streamUrl: string };
  expect(body.streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[^/]+\/stream\?t=/);
  return body;
}

const message = { type: 'message', text: 'hello', from: { id: 'someone-else', name: 'Parent' } };

describe('a token opens its own conversation and nothing else', () => {
  it('tokens/generate needs the secret: none, a wrong one or a token is refused', async () => {
    expect((await call('/tokens/generate', { method: 'POST' })).status).toBe(403);
    expect((await call('/tokens/generate', { method: 'POST', token: 'not-the-secret' })).status).toBe(403);
    const { token } = await generateToken(bot.url, SECRET);
    expect((await call('/tokens/generate', { method: 'POST', token })).status).toBe(403);
  });

  it('a token is a JWT bound to one conversation and one dl_ user, valid for 30 minutes', async () => {
    const grant = await generateToken(bot.url, SECRET);
    expect(grant.expires_in).toBe(1800);
    const claims = jwt.verify(grant.token, SECRET) as { conv: string; user: string; exp: number; iat: number };
    expect(claims.conv).toBe(grant.conversationId);
    expect(claims.user).toMatch(/^dl_/);
    expect(claims.exp - claims.iat).toBe(1800);
  });

  it("a token of conversation B can neither read nor write conversation A, nor resume or stream it", async () => {
    const a = await started();
    const b = await started();
    expect((await call(`/conversations/${a.conversationId}/activities`, { token: b.token })).status).toBe(403);
    expect((await call(`/conversations/${a.conversationId}/activities`, { token: b.token, body: message })).status).toBe(403);
    expect((await call(`/conversations/${a.conversationId}`, { token: b.token })).status).toBe(403);
    // A's log holds nothing from B.
    const log = (await (await call(`/conversations/${a.conversationId}/activities`, { token: a.token })).json()) as { activities: { text?: string }[] };
    expect(log.activities.some((activity) => activity.text === 'hello')).toBe(false);
  });

  it('a forged token (signed with another key, alg none, tampered claims) gets 403', async () => {
    const a = await started();
    const forged = jwt.sign({ conv: a.conversationId, user: 'dl_attacker', kind: 'conversation' }, 'another-secret-another-secret-1234', {
      issuer: 'gallery-access-assistant/directline',
      expiresIn: 600,
    });
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ conv: a.conversationId, user: 'dl_x', kind: 'conversation' })).toString('base64url')}.`;
    const [header, , signature] = a.token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ conv: a.conversationId, user: 'dl_attacker', kind: 'conversation', exp: 4102444800 })).toString('base64url')}.${signature}`;
    for (const token of [forged, none, tampered, 'garbage']) {
      expect((await call(`/conversations/${a.conversationId}/activities`, { token })).status, token).toBe(403);
      expect((await call(`/conversations/${a.conversationId}/activities`, { token, body: message })).status, token).toBe(403);
    }
    expect((await call(`/conversations/${a.conversationId}/activities`)).status).toBe(401);
  });

  it('an expired token gets 403 and cannot be refreshed', async () => {
    const a = await started();
    const user = (jwt.decode(a.token) as { user: string }).user;
    const expired = jwt.sign({ conv: a.conversationId, user, kind: 'conversation', iat: Math.floor(Date.now() / 1000) - 3600 }, SECRET, {
      issuer: 'gallery-access-assistant/directline',
      expiresIn: 1800,
    });
    expect((await call(`/conversations/${a.conversationId}/activities`, { token: expired })).status).toBe(403);
    expect((await call(`/conversations/${a.conversationId}/activities`, { token: expired, body: message })).status).toBe(403);
    expect((await call('/tokens/refresh', { method: 'POST', token: expired })).status).toBe(403);
  });

  it('a stream URL token opens only the stream, and a stream needs one', async () => {
    const a = await started();
    const resume = (await (await call(`/conversations/${a.conversationId}`, { token: a.token })).json()) as { streamUrl: string; token: string };
    const streamToken = new URL(resume.streamUrl).searchParams.get('t') ?? '';
    expect((await call(`/conversations/${a.conversationId}/activities`, { token: streamToken })).status).toBe(403);
    const refused = (url: string) =>
      new Promise<number>((done) => {
        const socket = new WebSocket(url);
        socket.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          done(101);
        });
        socket.on('error', () => done(-1));
      });
    const streamBase = resume.streamUrl.split('?')[0]!;
    expect(await refused(`${streamBase}?t=${a.token}`)).toBe(403);
    expect(await refused(streamBase)).toBe(403);
    const b = await started();
    expect(await refused(`${streamBase.replace(a.conversationId, b.conversationId)}?t=${streamToken}`)).toBe(403);
    expect(await refused(resume.streamUrl)).toBe(101);
  });

  it('the user id comes from the token, whatever the activity says, and the server sets id, time and channel', async () => {
    const a = await started();
    const user = (jwt.decode(a.token) as { user: string }).user;
    const posted = await call(`/conversations/${a.conversationId}/activities`, {
      token: a.token,
      body: { ...message, id: 'mine', channelId: 'msteams', timestamp: '2000-01-01T00:00:00Z', from: { id: 'photographer', role: 'bot' } },
    });
    expect(posted.status).toBe(200);
    const { id } = (await posted.json()) as { id: string };
    const log = (await (await call(`/conversations/${a.conversationId}/activities?watermark=`, { token: a.token })).json()) as {
      activities: { id: string; from: { id: string; role: string }; channelId: string; timestamp: string }[];
      watermark: string;
    };
    const echo = log.activities.find((activity) => activity.id === id);
    expect(echo).toMatchObject({ from: { id: user, role: 'user' }, channelId: 'directline' });
    expect(Date.parse(echo!.timestamp)).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(log.watermark).toMatch(/^\d+$/);
    // After the watermark, only what came later.
    const later = (await (await call(`/conversations/${a.conversationId}/activities?watermark=${log.watermark}`, { token: a.token })).json()) as { activities: unknown[] };
    expect(later.activities.length).toBeLessThan(log.activities.length);
  });

  it('tokens/refresh gives a new token for the same conversation and user', async () => {
    const a = await started();
    const response = await call('/tokens/refresh', { method: 'POST', token: a.token });
    expect(response.status).toBe(200);
    const refreshed = (await response.json()) as { conversationId: string; token: string };
    expect(refreshed.conversationId).toBe(a.conversationId);
    expect((jwt.decode(refreshed.token) as { user: string }).user).toBe((jwt.decode(a.token) as { user: string }).user);
    expect((await call(`/conversations/${a.conversationId}/activities`, { token: refreshed.token })).status).toBe(200);
  });

  it('an activity a user cannot send is a 400 that names the field', async () => {
    const a = await started();
    const response = await call(`/conversations/${a.conversationId}/activities`, { token: a.token, body: { type: 'conversationUpdate' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('type');
  });
});

describe('only JSON, of a bounded size', () => {
  it('answers 415 to other content types and to compressed bodies, 413 to a body over 64 KB', async () => {
    const a = await started();
    const path = `/conversations/${a.conversationId}/activities`;
    expect((await call(path, { token: a.token, body: 'type=message&text=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await call(path, { token: a.token, body: 'hi', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await call(path, { token: a.token, body: '{}', headers: { 'content-type': 'multipart/form-data; boundary=x' } })).status).toBe(415);
    expect((await call(path, { token: a.token, body: JSON.stringify(message), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } })).status).toBe(415);
    expect((await call(path, { token: a.token, body: { ...message, text: 'x'.repeat(70 * 1024) } })).status).toBe(413);
    expect((await fetch(`${bot.url}/widget/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
  });

  it('a body that is not JSON is a 400, and a long paste within the limit is taken', async () => {
    const a = await started();
    const path = `/conversations/${a.conversationId}/activities`;
    expect((await call(path, { token: a.token, body: '{"type":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await call(path, { token: a.token, body: { ...message, text: 'x'.repeat(10_000) } })).status).toBe(200);
  });
});

describe('CORS for the shops of WIDGET_ORIGINS only', () => {
  it('a preflight from a listed shop is allowed with the headers the clients send', async () => {
    const response = await fetch(`${base}/conversations`, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-ms-bot-agent' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(response.headers.get('access-control-allow-headers')).toContain('x-ms-bot-agent');
    const token = await fetch(`${bot.url}/widget/token`, { method: 'POST', headers: { origin: SHOP, 'content-type': 'application/json' }, body: '{}' });
    expect(token.status).toBe(200);
    expect(token.headers.get('access-control-allow-origin')).toBe(SHOP);
  });

  it('another origin gets 403 and no CORS header, before anything happens', async () => {
    const preflight = await fetch(`${base}/conversations`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const token = await fetch(`${bot.url}/widget/token`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(token.status).toBe(403);
    const generate = await call('/tokens/generate', { method: 'POST', token: SECRET, headers: { origin: 'https://evil.example' } });
    expect(generate.status).toBe(403);
  });

  it("the bot's own origin needs no listing", async () => {
    const token = await fetch(`${bot.url}/widget/token`, { method: 'POST', headers: { origin: bot.url, 'content-type': 'application/json' }, body: '{}' });
    expect(token.status).toBe(200);
  });
});

describe('the widget token endpoint', () => {
  it('gives a page a token for a new conversation in its language, without the secret', async () => {
    const response = await fetch(`${bot.url}/widget/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'fr-FR' }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const grant = (await response.json()) as { conversationId: string; token: string };
    expect(JSON.stringify(grant)).not.toContain(SECRET);
    const start = await call('/conversations', { method: 'POST', token: grant.token, body: {} });
    expect(start.status).toBe(201);
    // The greeting is in the page's language.
    let greeting: { locale?: string } | undefined;
    for (let tries = 0; tries < 200 && greeting === undefined; tries += 1) {
      const log = (await (await call(`/conversations/${grant.conversationId}/activities`, { token: grant.token })).json()) as { activities: { locale?: string; entities?: { locale?: string }[] }[] };
      greeting = log.activities[0]?.entities?.[0];
      if (greeting === undefined) await new Promise((tick) => setTimeout(tick, 25));
    }
    expect(greeting?.locale).toBe('fr-FR');
  });

  it('limits tokens per client address (rate-limiter-flexible), with Retry-After', async () => {
    const limited = await startTestBot({ DIRECTLINE_SECRET: SECRET });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let index = 0; index < 22; index += 1) {
        const response = await fetch(`${limited.url}/widget/token`, { method: 'POST', headers: { 'content-length': '0' } });
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
      }
      expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});

describe('the page and its files', () => {
  it('GET / is the shop page with a strict CSP: scripts from this origin only, no inline script, frames only for listed shops', async () => {
    const response = await fetch(`${bot.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`frame-ancestors 'self' ${SHOP}`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Every script has a src on this origin; none is inline.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/widget\//);
      expect(body?.trim()).toBe('');
    }
    // The style nonce is fresh on every load.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(html).toContain(`data-style-nonce="${nonce}"`);
    const again = await fetch(`${bot.url}/`);
    expect(again.headers.get('content-security-policy')).not.toContain(`nonce-${nonce}`);
  });

  it('without WIDGET_ORIGINS only the bot itself may frame the page', async () => {
    const own = await startTestBot({ DIRECTLINE_SECRET: SECRET });
    try {
      const response = await fetch(`${own.url}/`);
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'(;|$)/);
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    } finally {
      await own.stop();
    }
  });

  it("serves Web Chat's bundle from this server, compressed and revalidated", async () => {
    const response = await fetch(`${bot.url}/widget/webchat.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect((await response.text()).length).toBeGreaterThan(1_000_000);
    const etag = response.headers.get('etag') ?? '';
    expect((await fetch(`${bot.url}/widget/webchat.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${bot.url}/widget/index.html`)).status).toBe(404);
    expect((await fetch(`${bot.url}/widget/..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('the Direct Line secret', () => {
  it('is generated on the first start, kept in the data folder for the bot only, and the same after a restart', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gallery-secret-'));
    try {
      const env = { STORAGE: 'sqlite', STORAGE_PATH: join(folder, 'bot.sqlite') };
      const first = await startTestBot(env);
      await first.stop();
      const file = join(folder, 'directline-secret');
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o077).toBe(0);
      const secret = readFileSync(file, 'utf8').trim();
      expect(secret.length).toBeGreaterThanOrEqual(32);
      const second = await startTestBot(env);
      try {
        await generateToken(second.url, secret);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
