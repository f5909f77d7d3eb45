import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { normalizeAccessCode, sameAccessCode } from '../domain/accessCode.js';
import { todayIn } from '../domain/archiveDate.js';
import type { Job } from '../domain/platformModel.js';
import { galleryToWire, jobToWire, wireJobChangeSchema, type WireJobChange } from './apiModel.js';
import { type EmbeddedPlatform, jobVersion } from './embeddedPlatform.js';
import { type JobChange, PlatformRefusedError, PlatformUnavailableError } from './port.js';

/**
 * The embedded platform served as the platform REST API (`platform-api.yaml`): a real
 * HTTP server of the contract, for a staging set-up without the real platform and for
 * the client's tests. Writes go through the embedded platform, so they are atomic,
 * durable and idempotent by `Idempotency-Key` exactly as it is.
 *
 * It serves the changes the bot makes: a PATCH is a reopen (status Selling, archiving
 * on with a date, campaign off) or status Selling alone; any other combination is
 * answered 422 `unsupported-change`.
 */

export interface PlatformApiServerOptions {
  platform: EmbeddedPlatform;
  token: string;
  /**
   * Runs before the contract's handling; returns true when it answered the request
   * itself. Tests put faults here (slow answers, 5xx, malformed bodies).
   */
  intercept?: (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;
  /** For the "archive date must be in the future" rule: today's date, yyyy-MM-dd. */
  today?: () => string;
}

export interface RunningPlatformApi {
  url: string;
  server: Server;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(400, 'too-large', 'The body is too large.');
    chunks.push(chunk);
  }
  if (!/\bjson\b/i.test(request.headers['content-type'] ?? '')) throw new HttpError(400, 'bad-content-type', 'Expected application/json.');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'The body is not JSON.');
  }
}

function header(request: IncomingMessage, name: string, maxLength = 256): string {
  const value = request.headers[name.toLowerCase()];
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) throw new HttpError(400, 'missing-header', `The ${name} header is required.`);
  return value.trim();
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The contract's PATCH body as one of the embedded platform's changes. */
function jobChangeOf(body: WireJobChange, jobId: string, photographerId: string): JobChange {
  const keys = Object.keys(body).sort().join(',');
  if (keys === 'archiving,campaignActive,status' && body.status === 'selling' && body.archiving?.enabled === true && body.archiving.date !== null && body.campaignActive === false) {
    return { kind: 'reopen-job', jobId, photographerId, archiveDate: body.archiving.date };
  }
  if (keys === 'status' && body.status === 'selling') return { kind: 'set-selling', jobId, photographerId };
  throw new HttpError(422, 'unsupported-change', 'This platform accepts a reopen or status Selling.');
}

function refusal(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof PlatformRefusedError) {
    const status = { 'not-found': 404, 'not-owner': 403, 'job-changed': 409, 'job-deleted': 422, 'invalid-change': 422 }[error.reason];
    return new HttpError(status, error.reason, error.message);
  }
  if (error instanceof PlatformUnavailableError) return new HttpError(503, 'unavailable', 'The change could not be saved.');
  return new HttpError(500, 'internal', 'Internal error.');
}

export function createPlatformApiServer(options: PlatformApiServerOptions): Server {
  const { platform } = options;
  // The last calendar day on Earth to reach midnight: a date is past only once it is past everywhere.
  const today = options.today ?? (() => todayIn('Etc/GMT+12', new Date()));

  const jobAnswer = (response: ServerResponse, job: Job): void => send(response, 200, jobToWire(job), { etag: jobVersion(job) });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://platform.invalid');
    const path = url.pathname.replace(/^\/api(?=\/)/, '');
    const method = request.method ?? 'GET';
    const auth = request.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !sameToken(auth.slice('Bearer '.length), options.token)) {
      throw new HttpError(401, 'unauthorized', 'Missing or wrong token.');
    }

    let match: RegExpMatchArray | null;
    if (method === 'GET' && (match = path.match(/^\/v1\/access-codes\/([^/]+)$/))) {
      const code = normalizeAccessCode(decodeURIComponent(match[1] ?? ''));
      if (!/^[A-Z0-9]{4,16}$/.test(code)) throw new HttpError(400, 'bad-code', 'An access code is 4 to 16 letters and digits.');
      const lookup = await platform.lookupCode(code);
      if (lookup.kind === 'unknown') throw new HttpError(404, 'not-found', 'No such access code.');
      const gallery = lookup.job.galleries.find((candidate) => sameAccessCode(candidate.accessCode, code));
      send(response, 200, { code, state: lookup.kind === 'retired' ? 'retired' : 'active', jobId: lookup.job.id, galleryId: gallery?.id ?? '' });
      return;
    }
    if ((match = path.match(/^\/v1\/jobs\/([^/]+)$/))) {
      const jobId = decodeURIComponent(match[1] ?? '');
      if (method === 'GET') {
        const job = await platform.getJob(jobId);
        if (job === null) throw new HttpError(404, 'not-found', 'No such job.');
        jobAnswer(response, job);
        return;
      }
      if (method === 'PATCH') {
        const ifMatch = header(request, 'If-Match');
        const idempotencyKey = header(request, 'Idempotency-Key', 128);
        const acting = header(request, 'X-Acting-Photographer');
        const parsed = wireJobChangeSchema.safeParse(await readJson(request));
        if (!parsed.success) throw new HttpError(400, 'bad-change', parsed.error.issues[0]?.message ?? 'Not a JobChange.');
        const change = jobChangeOf(parsed.data, jobId, acting);
        if (change.kind === 'reopen-job' && change.archiveDate <= today()) throw new HttpError(422, 'past-date', 'The archive date must be in the future.');
        const { after } = await platform.applyChange(change, { idempotencyKey, ifVersion: ifMatch });
        jobAnswer(response, after);
        return;
      }
    }
    if (method === 'POST' && (match = path.match(/^\/v1\/galleries\/([^/]+)\/(activate|unhide-photos)$/))) {
      const galleryId = decodeURIComponent(match[1] ?? '');
      const idempotencyKey = header(request, 'Idempotency-Key', 128);
      const acting = header(request, 'X-Acting-Photographer');
      const job = await platform.jobOfGallery(galleryId);
      if (job === null) throw new HttpError(404, 'not-found', 'No such gallery.');
      const kind = match[2] === 'activate' ? 'activate-code' : 'unhide-photos';
      const { after } = await platform.applyChange({ kind, jobId: job.id, photographerId: acting, galleryId }, { idempotencyKey });
      const gallery = after.galleries.find((candidate) => candidate.id === galleryId);
      if (gallery === undefined) throw new HttpError(404, 'not-found', 'No such gallery.');
      send(response, 200, galleryToWire(after.id, gallery));
      return;
    }
    if (method === 'GET' && path === '/v1/photographers') {
      const channel = url.searchParams.get('channel');
      const userId = url.searchParams.get('userId');
      if ((channel !== 'msteams' && channel !== 'slack') || userId === null || userId === '') throw new HttpError(400, 'bad-query', 'channel and userId are required.');
      const photographer = await platform.photographerByChannelUser(channel, userId);
      send(response, 200, { items: photographer === null ? [] : [photographer] });
      return;
    }
    if (method === 'GET' && (match = path.match(/^\/v1\/photographers\/([^/]+)\/jobs$/))) {
      const photographerId = decodeURIComponent(match[1] ?? '');
      const q = url.searchParams.get('q') ?? '';
      if (q.trim() === '') throw new HttpError(400, 'bad-query', 'q is required.');
      if ((await platform.photographer(photographerId)) === null) throw new HttpError(404, 'not-found', 'No such photographer.');
      const jobs = await platform.findJobs(photographerId, q);
      send(response, 200, { items: jobs.slice(0, 20).map(jobToWire) });
      return;
    }
    throw new HttpError(404, 'not-found', `No route ${method} ${path}.`);
  }

  return createServer((request, response) => {
    void (async () => {
      try {
        if (options.intercept !== undefined && (await options.intercept(request, response))) return;
        await handle(request, response);
      } catch (error) {
        const answer = refusal(error);
        if (!response.headersSent) send(response, answer.status, { error: { code: answer.code, message: answer.message } });
        else response.end();
      }
    })();
  });
}

/** Listens on 127.0.0.1 (port 0: a free one) and says where. */
export async function startPlatformApi(options: PlatformApiServerOptions & { port?: number; host?: string }): Promise<RunningPlatformApi> {
  const server = createPlatformApiServer(options);
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ready());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
