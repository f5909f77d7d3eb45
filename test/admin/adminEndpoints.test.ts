import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAILED_ATTEMPTS } from '../../src/admin/adminAuth.js';
import { maskAccessCode, MAX_PAGE_SIZE } from '../../src/admin/adminEndpoints.js';
import { loadConfig } from '../../src/config.js';
import type { NewCase } from '../../src/handoff/caseRecord.js';
import { createLogger } from '../../src/logger.js';
import { type RunningBot, type StartOptions, startBot } from '../../src/main.js';
import { projectRoot } from '../../src/projectRoot.js';
import { DEMO_CASES, DEMO_CODES } from '../support/demoCodes.js';
import { HelpdeskStandIn } from '../support/helpdeskStandIn.js';

/**
 * The admin endpoints over real HTTP on a real bot: off without ADMIN_TOKEN (404 like any
 * unknown path), a bare 401 for a missing or wrong token, 429 for an address that keeps
 * guessing, and the outbox listed newest first, page by page, codes masked, with nothing
 * personal in the log.
 */

const TOKEN = 'admin-token-for-the-tests-0123456789abcdef';
const stoppers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
});

interface AdminBot {
  bot: RunningBot;
  url: string;
  logLines: string[];
}

async function start(env: Record<string, string> = {}, options: StartOptions = {}): Promise<AdminBot> {
  const folder = await mkdtemp(join(tmpdir(), 'gallery-admin-'));
  const dataFile = join(folder, 'platform.json');
  await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
  const fullEnv = { PORT: '0', HOST: '127.0.0.1', STORAGE: 'sqlite', STORAGE_PATH: join(folder, 'bot.sqlite'), PLATFORM_DATA: dataFile, ...env };
  const logLines: string[] = [];
  const bot = await startBot(loadConfig(fullEnv), fullEnv, createLogger('debug', (line) => logLines.push(line)), options);
  stoppers.push(async () => {
    await bot.close();
    await rm(folder, { recursive: true, force: true });
  });
  return { bot, url: bot.url, logLines };
}

async function get(url: string, authorization?: string): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const response = await fetch(url, { headers: authorization === undefined ? {} : { authorization } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text), text };
}

const bearer = `Bearer ${TOKEN}`;

const EMAIL = 'parent.of.lina@example.org';

function newCase(overrides: Partial<NewCase> = {}): NewCase {
  const archived = DEMO_CASES['job-archived'];
  return {
    kind: 'escalation',
    reason: 'requested',
    role: 'customer',
    channel: 'webchat',
    conversationId: 'conv-1',
    locale: 'de-DE',
    symptom: 'missed-sale',
    scenario: archived.scenario,
    secondary: [],
    accessCode: DEMO_CODES['job-archived'],
    jobId: archived.jobId,
    photographerId: 'ph-brandt',
    stepsTried: [],
    transcript: [
      { from: 'user', text: 'Verkauf verpasst?', at: '2026-11-27T08:00:00.000Z' },
      { from: 'bot', text: 'Welcher Code steht auf Ihrer Karte?', at: '2026-11-27T08:00:01.000Z' },
    ],
    email: EMAIL,
    ...overrides,
  };
}

describe('without ADMIN_TOKEN', () => {
  it('the admin endpoints do not exist: 404 exactly like an unknown path, with or without a token', async () => {
    const { url } = await start();
    const unknown = await get(`${url}/no-such-path`);
    expect(unknown.status).toBe(404);
    for (const path of ['/admin/outbox', '/admin/outbox/case-1']) {
      for (const authorization of [undefined, bearer]) {
        const answer = await get(`${url}${path}`, authorization);
        expect(answer.status, `${path} ${authorization ?? ''}`).toBe(404);
        expect(answer.text.replace(path, '/no-such-path')).toBe(unknown.text);
      }
    }
    const erase = await fetch(`${url}/admin/erase`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: bearer }, body: '{}' });
    expect(erase.status).toBe(404);
  });
});

describe('with ADMIN_TOKEN', () => {
  it('a missing, wrong or non-Bearer token gets the same bare 401; the right one 200', async () => {
    const { url, logLines } = await start({ ADMIN_TOKEN: TOKEN });
    const refusals = [
      await get(`${url}/admin/outbox`),
      await get(`${url}/admin/outbox`, `Bearer ${TOKEN.slice(0, -1)}x`),
      await get(`${url}/admin/outbox`, `Bearer ${TOKEN}${TOKEN}`),
      await get(`${url}/admin/outbox`, `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`),
      await get(`${url}/admin/outbox`, TOKEN),
      await get(`${url}/admin/outbox`, 'Bearer '),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(401);
      expect(refusal.body).toEqual({ error: 'unauthorized' });
      expect(refusal.headers.get('www-authenticate')).toBe('Bearer');
    }
    const allowed = await get(`${url}/admin/outbox`, bearer);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ cases: [], next: null });
    expect(allowed.headers.get('cache-control')).toBe('no-store');
    expect(logLines.filter((line) => line.includes('admin request refused'))).toHaveLength(refusals.length);
    expect(logLines.join('\n')).not.toContain(TOKEN.slice(0, 20));
  });

  it(`after ${FAILED_ATTEMPTS} wrong tokens the address gets 429, even with the right token`, async () => {
    const { url } = await start({ ADMIN_TOKEN: TOKEN });
    for (let i = 0; i < FAILED_ATTEMPTS; i++) expect((await get(`${url}/admin/outbox`, `Bearer wrong-${i}`)).status).toBe(401);
    const shutOut = await get(`${url}/admin/outbox`, bearer);
    expect(shutOut.status).toBe(429);
    expect(Number(shutOut.headers.get('retry-after'))).toBeGreaterThan(60);
    expect((await get(`${url}/admin/outbox`, 'Bearer wrong-again')).status).toBe(429);
    // The bot itself goes on for everyone else.
    expect((await get(`${url}/healthz`)).status).toBe(200);
  });

  it('lists every recorded case newest first, page by page, codes masked, e-mail for the operator, state pending or delivered', async () => {
    const { bot, url, logLines } = await start({ ADMIN_TOKEN: TOKEN });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await bot.outbox.record(newCase({ conversationId: `conv-${i}` }))).id);
    await bot.outbox.markDelivered(ids[1]!);

    const seen: Record<string, unknown>[] = [];
    let next: string | null = null;
    const pages: number[] = [];
    do {
      const answer = await get(`${url}/admin/outbox?limit=2${next === null ? '' : `&after=${encodeURIComponent(next)}`}`, bearer);
      expect(answer.status).toBe(200);
      const body = answer.body as { cases: Record<string, unknown>[]; next: string | null };
      pages.push(body.cases.length);
      seen.push(...body.cases);
      next = body.next;
      expect(answer.text).not.toContain(DEMO_CODES['job-archived']);
      expect(answer.text).not.toContain('Verkauf verpasst?');
    } while (next !== null);

    expect(pages).toEqual([2, 2, 1]);
    expect(seen.map((item) => item.id)).toEqual([...ids].reverse());
    expect(seen.map((item) => item.state)).toEqual(['pending', 'pending', 'pending', 'delivered', 'pending']);
    expect(seen[3]?.deliveredAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(seen[0]).toMatchObject({
      kind: 'escalation',
      channel: 'webchat',
      conversationId: 'conv-4',
      scenario: 'job-archived',
      accessCode: maskAccessCode(DEMO_CODES['job-archived']),
      email: EMAIL,
      transcriptLines: 2,
      deliveredAt: null,
    });
    expect(String(seen[0]?.accessCode)).toMatch(/^\*{6}[A-Z0-9]{2}$/);

    const one = await get(`${url}/admin/outbox/${ids[2]}`, bearer);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: ids[2], conversationId: 'conv-2', accessCode: maskAccessCode(DEMO_CODES['job-archived']), transcript: newCase().transcript });
    expect(one.text).not.toContain(DEMO_CODES['job-archived']);
    expect((await get(`${url}/admin/outbox/case-that-never-was`, bearer)).status).toBe(404);

    const log = logLines.join('\n');
    expect(log).not.toContain(EMAIL);
    expect(log).not.toContain(DEMO_CODES['job-archived']);
  });

  it('a bad page size or cursor is a 400 saying which', async () => {
    const { url } = await start({ ADMIN_TOKEN: TOKEN });
    for (const limit of ['0', String(MAX_PAGE_SIZE + 1), 'ten', '-1', '2.5']) {
      const answer = await get(`${url}/admin/outbox?limit=${limit}`, bearer);
      expect(answer.status, limit).toBe(400);
      expect((answer.body as { error: string }).error).toMatch(/^limit/);
    }
    for (const after of ['nonsense', Buffer.from('["x"]').toString('base64url')]) {
      const answer = await get(`${url}/admin/outbox?after=${after}`, bearer);
      expect(answer.status, after).toBe(400);
      expect((answer.body as { error: string }).error).toMatch(/^after/);
    }
  });
});

describe('POST /admin/outbox/{id}/retry', () => {
  const post = async (url: string, authorization?: string) => {
    const response = await fetch(url, { method: 'POST', headers: authorization === undefined ? {} : { authorization } });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
  };
  const waitFor = async (what: string, done: () => boolean | Promise<boolean>) => {
    for (const deadline = Date.now() + 10_000; !(await done()); await new Promise((tick) => setTimeout(tick, 25))) {
      if (Date.now() > deadline) throw new Error(`waited for ${what}`);
    }
  };

  it('puts a case the helpdesk refused back into delivery now; 404 for an unknown id, 409 once delivered, 401 without the token', async () => {
    const helpdesk = new HelpdeskStandIn({ status: 201, body: { id: 'T-77' } });
    const helpdeskUrl = await helpdesk.start();
    stoppers.push(() => helpdesk.stop());
    // The first attempt is refused (the helpdesk's 422: an operator fixes its settings).
    helpdesk.script.push({ status: 422 });
    const { bot, url } = await start({ ADMIN_TOKEN: TOKEN, HANDOFF_WEBHOOK_URL: helpdeskUrl }, { tickets: { pollMs: 50 } });
    const record = await bot.outbox.record(newCase());
    const entry = async () => (await get(`${url}/admin/outbox/${record.id}`, bearer)).body as { state: string; lastError: string | null; ticketReference: string | null };
    await waitFor('the refusal', async () => (await entry()).state === 'failed');
    expect(await entry()).toMatchObject({ state: 'failed', lastError: 'HTTP 422' });
    expect(helpdesk.requests).toHaveLength(1);

    expect((await post(`${url}/admin/outbox/${record.id}/retry`)).status).toBe(401);
    const retried = await post(`${url}/admin/outbox/${record.id}/retry`, bearer);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: record.id, state: expect.stringMatching(/^(pending|sending|delivered)$/) });
    await waitFor('the ticket', async () => (await entry()).state === 'delivered');
    expect(await entry()).toMatchObject({ state: 'delivered', ticketReference: 'T-77' });
    expect(helpdesk.requests).toHaveLength(2);

    const again = await post(`${url}/admin/outbox/${record.id}/retry`, bearer);
    expect(again).toEqual({ status: 409, body: { error: 'the case is delivered: the helpdesk has it' } });
    expect(await post(`${url}/admin/outbox/case-00000000-0000-0000-0000-000000000000/retry`, bearer)).toEqual({ status: 404, body: { error: 'no such case' } });
    expect(helpdesk.requests).toHaveLength(2);
  });
});

describe('maskAccessCode', () => {
  it('keeps the length and the last two characters of a code', () => {
    expect(maskAccessCode('MXR29PLT')).toBe('******LT');
    expect(maskAccessCode('ABC')).toBe('***');
  });
});
