import { readFile } from 'node:fs/promises';
import type { Activity } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { suggestArchiveDates, todayIn } from '../../src/domain/archiveDate.js';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { allText, ContractChat, lastEntity, teamsPhotographer } from '../support/photographerChat.js';
import { type Fault, PLATFORM_TOKEN, startTestPlatformApi, type TestPlatformApi } from '../support/platformApi.js';

/**
 * The bot with PLATFORM_API_URL: whole conversations against a real HTTP server of the
 * platform API contract, and the same conversations while the platform is down, slow,
 * refuses the token or answers nonsense. A customer is never told their code is wrong
 * and nobody gets a diagnosis the data did not give; every turn is answered.
 */

let api: TestPlatformApi;
let bot: TestBot;
const ARCHIVED = DEMO_CASES['job-archived'];

function today(): string {
  return todayIn(DEMO_PHOTOGRAPHERS.lena.timeZone, new Date());
}

function customer(): ContractChat {
  return new ContractChat(bot.url, { channelId: 'webchat', locale: 'en-US', role: 'customer' });
}

/** Nothing internal reaches a person: no stack, no status code, no URL, no error class. */
function expectNothingInternal(replies: readonly Partial<Activity>[]): void {
  const text = allText(replies);
  expect(text).not.toMatch(/Error\b|\bat .+\(.+:\d+:\d+\)|HTTP|\b[45]\d\d\b|127\.0\.0\.1|platform API|ECONN|timeout|undefined|null/i);
}

beforeAll(async () => {
  api = await startTestPlatformApi();
  bot = await startTestBot({ PLATFORM_API_URL: api.url, PLATFORM_API_TOKEN: PLATFORM_TOKEN, PLATFORM_API_TIMEOUT_MS: '400' });
});

afterAll(async () => {
  await bot?.stop();
  await api?.stop();
});

afterEach(() => {
  api.clearFaults();
});

describe('with the platform API up', () => {
  it('a customer gets the diagnosis from the API', async () => {
    const parent = customer();
    const replies = await parent.say(`it says I missed the sale, code ${formatAccessCode(ARCHIVED.code)}`);
    expect(lastEntity(replies)).toMatchObject({ role: 'customer', scenario: 'job-archived' });
    expect(api.requests.some((request) => request.path === `/api/v1/access-codes/${ARCHIVED.code}`)).toBe(true);
  });

  it('a photographer reopens an archived job: one PATCH with the case-derived Idempotency-Key, acting as herself', async () => {
    api.requests.length = 0;
    const lena = teamsPhotographer(bot.url, 'lena');
    const diagnosis = await lena.say(`Eine Mutter sieht „Verkauf verpasst“ – Code ${formatAccessCode(ARCHIVED.code)}`);
    expect(lastEntity(diagnosis)).toMatchObject({ scenario: 'job-archived', awaiting: 'step-result' });
    await lena.submit({ choice: 'auto' });
    const date = suggestArchiveDates(today())[2]!;
    expect(lastEntity(await lena.submit({ choice: date }))).toMatchObject({ awaiting: 'confirm' });
    const done = await lena.submit({ choice: 'yes' });
    expect(allText(done)).toContain(lena.t('change.doneTitle'));
    const patches = api.requests.filter((request) => request.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]?.headers['idempotency-key']).toMatch(/^gaa-reopen-job-[A-Za-z0-9_-]{43}$/);
    expect(patches[0]?.headers['x-acting-photographer']).toBe(DEMO_PHOTOGRAPHERS.lena.id);
    const data = JSON.parse(await readFile(api.dataFile, 'utf8')) as { jobs: { id: string; status: string; archiving: { date: string } }[] };
    expect(data.jobs.find((job) => job.id === ARCHIVED.jobId)).toMatchObject({ status: 'selling', archiving: { date } });
  });
});

const FAULTS: [string, Fault][] = [
  ['down (5xx)', { kind: 'status', status: 503 }],
  ['slow', { kind: 'slow', ms: 1500 }],
  ['refusing the token (401)', { kind: 'status', status: 401 }],
  ['answering nonsense', { kind: 'status', status: 200, body: '{"items":"yes"}' }],
  ['answering 404 pages that are not the contract', { kind: 'status', status: 404, body: '<h1>Not Found</h1>', contentType: 'text/html' }],
];

describe.each(FAULTS)('with the platform API %s', (_name, fault) => {
  it('a customer with a code is told the check is not possible now and offered support, never "wrong code"', async () => {
    api.fault(fault);
    const parent = customer();
    const first = await parent.say('my photos are almost ready??');
    const replies = await parent.say(DEMO_CODES['unknown-code']);
    expect(allText(replies)).toContain(parent.t('customer.platformDown'));
    expect(allText(replies)).not.toContain(parent.t('code.giveUp'));
    for (const reply of [...first, ...replies]) expect(lastEntity([reply]).scenario).toBeNull();
    expect(['confirm', 'email', 'feedback']).toContain(lastEntity(replies).awaiting);
    expectNothingInternal([...first, ...replies]);
    // The conversation goes on: the next answer is answered too.
    const next = await parent.say('yes');
    expect(next.length).toBeGreaterThan(0);
    expectNothingInternal(next);
  });

  it('a photographer gets the guided questions instead of a diagnosis', async () => {
    api.fault(fault);
    const lena = teamsPhotographer(bot.url, 'lena');
    // In her own language: a message that is clearly English would be answered in English.
    const replies = await lena.say(`Eine Mutter sieht „Verkauf verpasst“, Code ${formatAccessCode(ARCHIVED.code)}`);
    // Her account cannot be looked up either, so she is asked as an unlinked photographer would be.
    const said = allText(replies);
    expect(said.includes(lena.t('photographer.platformDown')) || said.includes(lena.t('guided.intro'))).toBe(true);
    expect(lastEntity(replies)).toMatchObject({ scenario: null, awaiting: 'job-status' });
    expectNothingInternal(replies);
    const answered = await lena.say('archived');
    expect(answered.length).toBeGreaterThan(0);
    expectNothingInternal(answered);
  });
});
