import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { factsFromLookup } from '../../src/domain/facts.js';
import { diagnose } from '../../src/domain/scenarios.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { PlatformApiClient, type PlatformApiOptions } from '../../src/platform/platformApiClient.js';
import { changeIdempotencyKey, type JobChange, PlatformRefusedError, PlatformUnavailableError } from '../../src/platform/port.js';
import { EmbeddedPlatform } from '../../src/platform/embeddedPlatform.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS, type DemoCodeName } from '../support/demoCodes.js';
import { PLATFORM_TOKEN, startTestPlatformApi, type TestPlatformApi } from '../support/platformApi.js';

/**
 * The REST client against a real HTTP server of platform-api.yaml (the embedded platform
 * served by platformApiServer.ts): the whole contract, then every fault the client must
 * turn into "ask instead" without a wrong answer.
 */

let api: TestPlatformApi;
const logLines: string[] = [];
const logger: Logger = createLogger('debug', (line) => logLines.push(line));

function client(options: Partial<PlatformApiOptions> = {}): PlatformApiClient {
  return new PlatformApiClient({ baseUrl: api.url, token: PLATFORM_TOKEN, logger, timeoutMs: 1000, retryDelayMs: 10, breakerPauseMs: 300, ...options });
}

const LENA = DEMO_PHOTOGRAPHERS.lena.id;
const ARCHIVED = { jobId: 'job-4102', photographerId: LENA };
let keyCounter = 0;
const freshKey = (): string => `client-test-${process.pid}-${(keyCounter += 1)}`;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

async function expectUnavailable(promise: Promise<unknown>): Promise<PlatformUnavailableError> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(PlatformUnavailableError);
  return error as PlatformUnavailableError;
}

beforeAll(async () => {
  api = await startTestPlatformApi();
});

afterAll(async () => {
  await api.stop();
});

afterEach(() => {
  api.clearFaults();
  api.requests.length = 0;
});

describe('the contract', () => {
  it('looks every demo code up to the same diagnosis as the embedded platform', async () => {
    const embedded = await EmbeddedPlatform.load(api.dataFile);
    const http = client();
    for (const name of Object.keys(DEMO_CODES) as DemoCodeName[]) {
      const code = DEMO_CODES[name];
      const [overHttp, inProcess] = await Promise.all([http.lookupCode(code), embedded.lookupCode(code)]);
      expect(overHttp.kind, name).toBe(inProcess.kind);
      expect(diagnose(factsFromLookup(overHttp), 'other'), name).toEqual(diagnose(factsFromLookup(inProcess), 'other'));
      expect(diagnose(factsFromLookup(overHttp), 'other').scenario, name).toBe(DEMO_CASES[name].scenario);
    }
  });

  it('sends the code normalised in the path and the token as a Bearer', async () => {
    await client().lookupCode('mxr2-9plt');
    expect(api.requests[0]?.path).toBe('/api/v1/access-codes/MXR29PLT');
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${PLATFORM_TOKEN}`);
  });

  it('never asks about something that cannot be a code', async () => {
    expect(await client().lookupCode('x')).toEqual({ kind: 'unknown' });
    expect(api.requests).toHaveLength(0);
  });

  it('finds a photographer by Teams and Slack user, and nobody for an unknown user', async () => {
    const http = client();
    expect((await http.photographerByChannelUser('msteams', DEMO_PHOTOGRAPHERS.lena.msteams[0]))?.id).toBe(LENA);
    expect((await http.photographerByChannelUser('slack', DEMO_PHOTOGRAPHERS.megan.slack[0]))?.id).toBe(DEMO_PHOTOGRAPHERS.megan.id);
    expect(await http.photographerByChannelUser('slack', 'U-NOBODY')).toBeNull();
  });

  it("finds a photographer's jobs by name or id, never another's, never a deleted one", async () => {
    const http = client();
    expect((await http.findJobs(LENA, 'grundschule')).map((job) => job.id)).toEqual(['job-4102']);
    expect((await http.findJobs(LENA, 'job-4215')).map((job) => job.id)).toEqual(['job-4215']);
    expect(await http.findJobs(LENA, 'Oak Lane')).toEqual([]);
    expect(await http.findJobs('ph-nobody', 'Oak')).toEqual([]);
    expect(await http.findJobs(LENA, '  ')).toEqual([]);
  });

  it('reads a job and knows an unknown one', async () => {
    const http = client();
    const job = await http.getJob('job-4215');
    expect(job?.galleries.map((gallery) => [gallery.id, gallery.photos.length, gallery.photos.filter((photo) => photo.hidden).length])).toEqual([
      ['g-4215-1', 3, 0],
      ['g-4215-2', 4, 2],
      ['g-4215-3', 3, 3],
    ]);
    expect(await http.getJob('job-0000')).toBeNull();
  });

  it('reopens an archived job in one PATCH with If-Match, Idempotency-Key and X-Acting-Photographer', async () => {
    const change: JobChange = { kind: 'reopen-job', ...ARCHIVED, archiveDate: '2099-12-20' };
    const key = changeIdempotencyKey('case-reopen', change);
    const { before, after } = await client().applyChange(change, { idempotencyKey: key });
    expect(before.status).toBe('archived');
    expect(after).toMatchObject({ status: 'selling', archiving: { enabled: true, date: '2099-12-20' }, campaignActive: false });
    const writes = api.requests.filter((request) => request.method !== 'GET');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PATCH', path: '/api/v1/jobs/job-4102' });
    expect(writes[0]?.headers).toMatchObject({ 'idempotency-key': key, 'x-acting-photographer': LENA, 'content-type': 'application/json' });
    expect(writes[0]?.headers['if-match']).toMatch(/^".+"$/);
    expect((await client().getJob('job-4102'))?.status).toBe('selling');
  });

  it('answers a repeated key with the first result and changes nothing more', async () => {
    const http = client();
    const first: JobChange = { kind: 'reopen-job', jobId: 'job-3540', photographerId: DEMO_PHOTOGRAPHERS.sanne.id, archiveDate: '2099-01-04' };
    const key = freshKey();
    const original = await http.applyChange(first, { idempotencyKey: key });
    // Someone changes the job again afterwards, under a key of their own.
    await http.applyChange({ ...first, archiveDate: '2099-02-01' }, { idempotencyKey: freshKey() });
    const repeated = await http.applyChange(first, { idempotencyKey: key });
    expect(repeated.after).toEqual(original.after);
    expect((await http.getJob('job-3540'))?.archiving.date).toBe('2099-02-01');
  });

  it('activates a code and unhides photos through their gallery endpoints', async () => {
    const http = client();
    const camille = DEMO_PHOTOGRAPHERS.camille.id;
    const activated = await http.applyChange({ kind: 'activate-code', jobId: 'job-4230', photographerId: camille, galleryId: 'g-4230-1' }, { idempotencyKey: freshKey() });
    expect(activated.before.galleries.find((gallery) => gallery.id === 'g-4230-1')?.activated).toBe(false);
    expect(activated.after.galleries.find((gallery) => gallery.id === 'g-4230-1')?.activated).toBe(true);
    const unhidden = await http.applyChange({ kind: 'unhide-photos', jobId: 'job-4215', photographerId: LENA, galleryId: 'g-4215-3' }, { idempotencyKey: freshKey() });
    expect(unhidden.after.galleries.find((gallery) => gallery.id === 'g-4215-3')?.photos.some((photo) => photo.hidden)).toBe(false);
    expect(api.requests.filter((request) => request.method === 'POST').map((request) => request.path)).toEqual([
      '/api/v1/galleries/g-4230-1/activate',
      '/api/v1/galleries/g-4215-3/unhide-photos',
    ]);
  });

  it.each<[string, JobChange, PlatformRefusedError['reason']]>([
    ['another photographer', { kind: 'set-selling', jobId: 'job-4270', photographerId: LENA }, 'not-owner'],
    ['a deleted job', { kind: 'reopen-job', jobId: 'job-3877', photographerId: LENA, archiveDate: '2099-12-20' }, 'job-deleted'],
    ['an unknown job', { kind: 'set-selling', jobId: 'job-0000', photographerId: LENA }, 'not-found'],
    ['a past archive date', { kind: 'reopen-job', jobId: 'job-4102', photographerId: LENA, archiveDate: '2001-01-07' }, 'invalid-change'],
  ])('says the platform refused a change for %s', async (_name, change, reason) => {
    const error = await failure(client().applyChange(change, { idempotencyKey: freshKey() }));
    expect(error).toBeInstanceOf(PlatformRefusedError);
    expect((error as PlatformRefusedError).reason).toBe(reason);
  });
});

describe('faults', () => {
  it('a slow platform: gives up after the timeout, retries a read once, then says unavailable', async () => {
    api.fault({ kind: 'slow', ms: 1500 });
    const started = Date.now();
    const error = await expectUnavailable(client({ timeoutMs: 200 }).getJob('job-4215'));
    expect(error.message).toMatch(/no answer within 200 ms/);
    expect(api.requests).toHaveLength(2);
    // Two attempts of 200 ms, not the 1.5 s the platform took.
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('a slow first answer: the retry succeeds', async () => {
    api.fault({ kind: 'slow', ms: 1500 }, { times: 1 });
    expect((await client({ timeoutMs: 300 }).getJob('job-4215'))?.id).toBe('job-4215');
    expect(api.requests).toHaveLength(2);
  });

  it('a 5xx once is retried; 5xx every time is unavailable', async () => {
    api.fault({ kind: 'status', status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' }, { times: 1 });
    expect((await client().lookupCode(DEMO_CODES['job-archived'])).kind).toBe('found');
    api.fault({ kind: 'status', status: 503 });
    await expectUnavailable(client().lookupCode(DEMO_CODES['job-archived']));
  });

  it('a connection dropped without an answer is retried', async () => {
    api.fault({ kind: 'hang-up' }, { times: 1 });
    expect(await client().photographerByChannelUser('slack', 'U-NOBODY')).toBeNull();
  });

  it('a refused token is unavailable, not "unknown code", and is logged as a configuration problem', async () => {
    logLines.length = 0;
    await expectUnavailable(client({ token: 'wrong-token' }).lookupCode(DEMO_CODES['unknown-code']));
    expect(api.requests).toHaveLength(1);
    expect(logLines.join('\n')).toContain('PLATFORM_API_TOKEN');
    expect(logLines.join('\n')).not.toContain('wrong-token');
  });

  it.each([
    ['not JSON', { kind: 'status', status: 200, body: 'OK', contentType: 'text/plain' }],
    ['JSON of another shape', { kind: 'status', status: 200, body: JSON.stringify({ code: 'MXR29PLT', state: 'maybe' }) }],
    ['truncated JSON', { kind: 'status', status: 200, body: '{"code":"MXR2' }],
    ['a 404 page that is not the contract', { kind: 'status', status: 404, body: '<h1>Not Found</h1>', contentType: 'text/html' }],
    ['a 404 with JSON of another shape', { kind: 'status', status: 404, body: '{"message":"no route"}' }],
    ['a 400', { kind: 'status', status: 400 }],
  ] as const)('an answer that is %s is unavailable, never "unknown code"', async (_name, fault) => {
    api.fault(fault);
    await expectUnavailable(client().lookupCode(DEMO_CODES['unknown-code']));
  });

  it('a job answer with a missing field is unavailable', async () => {
    api.fault({ kind: 'status', status: 200, body: JSON.stringify({ id: 'job-4215', name: 'x', status: 'selling' }) }, { match: (request) => request.path.includes('/jobs/') });
    await expectUnavailable(client().lookupCode(DEMO_CODES['no-known-cause']));
  });

  it('a 429 with a short Retry-After is waited for; a long one is not', async () => {
    api.fault({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { times: 1 });
    const started = Date.now();
    expect((await client({ maxRetryAfterMs: 2000 }).getJob('job-4215'))?.id).toBe('job-4215');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    api.fault({ kind: 'status', status: 429, headers: { 'retry-after': '120' } }, { times: 1 });
    const error = await expectUnavailable(client({ maxRetryAfterMs: 2000 }).getJob('job-4215'));
    expect(error.message).toMatch(/retry only after 120 s/);
  });

  it('a stale If-Match (409): reads the job again and applies once; a second 409 is "the job changed"', async () => {
    const http = client();
    const change: JobChange = { kind: 'set-selling', jobId: 'job-4251', photographerId: DEMO_PHOTOGRAPHERS.camille.id };
    // Between the client's read and its PATCH, someone activates a code of the job: its version moves on.
    const concurrent = api.platform.applyChange(
      { kind: 'activate-code', jobId: 'job-4251', photographerId: DEMO_PHOTOGRAPHERS.camille.id, galleryId: 'g-4251-1' },
      { idempotencyKey: freshKey() },
    );
    api.fault({ kind: 'before', run: () => concurrent.then(() => undefined) }, { times: 1, match: (request) => request.method === 'PATCH' });
    const { after } = await http.applyChange(change, { idempotencyKey: freshKey() });
    expect(after.status).toBe('selling');
    expect(after.galleries.find((gallery) => gallery.id === 'g-4251-1')?.activated).toBe(true);
    expect(api.requests.filter((request) => request.method === 'PATCH')).toHaveLength(2);

    api.fault({ kind: 'status', status: 409, body: JSON.stringify({ error: { code: 'stale', message: 'changed' } }) }, { match: (request) => request.method === 'PATCH' });
    const error = await failure(http.applyChange({ kind: 'reopen-job', ...ARCHIVED, archiveDate: '2099-06-07' }, { idempotencyKey: freshKey() }));
    expect(error).toBeInstanceOf(PlatformRefusedError);
    expect((error as PlatformRefusedError).reason).toBe('job-changed');
  });

  it('a write that timed out is sent again with the same key and applied once', async () => {
    const http = client({ timeoutMs: 400 });
    const change: JobChange = { kind: 'unhide-photos', jobId: 'job-4215', photographerId: LENA, galleryId: 'g-4215-2' };
    const key = freshKey();
    // The platform applies the first attempt but answers too late.
    api.fault({ kind: 'slow', ms: 600 }, { times: 1, match: (request) => request.method === 'POST' });
    const slowFirst = await http.applyChange(change, { idempotencyKey: key });
    const posts = api.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.headers['idempotency-key'])).toEqual([key, key]);
    expect(slowFirst.after.galleries.find((gallery) => gallery.id === 'g-4215-2')?.photos.every((photo) => !photo.hidden)).toBe(true);
  });

  it('opens the circuit after failures in a row, stops calling, and closes it by itself', async () => {
    const http = client({ breakerFailures: 3, breakerPauseMs: 300 });
    api.fault({ kind: 'status', status: 500 });
    for (let i = 0; i < 3; i += 1) await expectUnavailable(http.getJob('job-4215'));
    const calls = api.requests.length;
    const open = await expectUnavailable(http.getJob('job-4215'));
    expect(open.message).toMatch(/circuit is open/);
    expect(api.requests).toHaveLength(calls);
    api.clearFaults();
    await new Promise((done) => setTimeout(done, 400));
    expect((await http.getJob('job-4215'))?.id).toBe('job-4215');
    expect((await http.getJob('job-4263'))?.id).toBe('job-4263');
  });

  it('unreachable (nothing listens): unavailable, and readiness says so', async () => {
    const http = new PlatformApiClient({ baseUrl: 'http://127.0.0.1:1/api', token: PLATFORM_TOKEN, logger, timeoutMs: 500, retryDelayMs: 10 });
    await expectUnavailable(http.lookupCode(DEMO_CODES['job-archived']));
    expect((await http.readiness()).ready).toBe(false);
    expect((await client().readiness()).ready).toBe(true);
  });
});
