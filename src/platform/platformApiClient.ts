import { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, handleType, type CircuitBreakerPolicy } from 'cockatiel';
import type { z } from 'zod';
import { normalizeAccessCode } from '../domain/accessCode.js';
import type { CodeLookup, Job, Photographer } from '../domain/platformModel.js';
import type { Logger } from '../logger.js';
import {
  galleryFromWire,
  jobFromWire,
  jobListSchema,
  photographerFromWire,
  photographerListSchema,
  wireAccessCodeSchema,
  wireErrorSchema,
  wireGallerySchema,
  wireJobSchema,
  type WireJobChange,
} from './apiModel.js';
import {
  type ApplyOptions,
  type ChangeResult,
  type JobChange,
  PlatformRefusedError,
  type PlatformPort,
  type PlatformReadiness,
  PlatformUnavailableError,
} from './port.js';

/**
 * The platform's REST API (`platform-api.yaml`, design contract 3) behind the platform
 * port. Every answer is validated (apiModel.ts) before the bot believes it, and every
 * way the platform can fail (down, slow, 5xx, a refused token, an answer that is not
 * the contract) becomes `PlatformUnavailableError`, which the dialogs answer by asking
 * instead of guessing. Only a well-formed 404 of the contract means "not found": a
 * misrouted URL answering 404 with an HTML page must never tell a customer their code
 * is wrong.
 *
 * Resilience: a timeout per attempt; one retry of a request that is safe to repeat
 * (reads, and writes under their Idempotency-Key) after a network error, a timeout or a
 * 5xx; `Retry-After` honoured once on 429 when it is short; and a circuit breaker that
 * stops calling a platform that failed several times in a row and tries again by itself
 * after a short pause.
 */

export interface PlatformApiOptions {
  baseUrl: string;
  token: string;
  logger: Logger;
  /** Per attempt, answer body included. */
  timeoutMs?: number;
  /** Consecutive failed requests that open the circuit. */
  breakerFailures?: number;
  /** How long an open circuit refuses calls before one request may try again. */
  breakerPauseMs?: number;
  /** The longest `Retry-After` waited for; a longer one counts as unavailable. */
  maxRetryAfterMs?: number;
  /** Pause before the one retry of a failed attempt. */
  retryDelayMs?: number;
}

const DEFAULTS = { timeoutMs: 3000, breakerFailures: 5, breakerPauseMs: 10_000, maxRetryAfterMs: 3000, retryDelayMs: 200 };

/** The contract's pattern for a code in a path: anything else cannot be a code of the platform. */
const CODE_IN_PATH = /^[A-Z0-9]{4,16}$/;

interface Call {
  method: 'GET' | 'PATCH' | 'POST';
  /** The path as logged: templates only, never an access code. */
  route: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Answer {
  status: number;
  json: unknown;
  etag: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A failure worth one more attempt: no answer, a 5xx, a 429. */
class TransientFailure extends PlatformUnavailableError {
  /** When a 429 or 503 named when to come back. */
  retryAfterMs: number | null = null;
}

export class PlatformApiClient implements PlatformPort, PlatformReadiness {
  private readonly base: string;
  private readonly settings: typeof DEFAULTS;
  private readonly breaker: CircuitBreakerPolicy;

  constructor(private readonly options: PlatformApiOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.settings = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      breakerFailures: options.breakerFailures ?? DEFAULTS.breakerFailures,
      breakerPauseMs: options.breakerPauseMs ?? DEFAULTS.breakerPauseMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
      retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
    };
    this.breaker = circuitBreaker(handleType(PlatformUnavailableError), {
      halfOpenAfter: this.settings.breakerPauseMs,
      breaker: new ConsecutiveBreaker(this.settings.breakerFailures),
    });
    this.breaker.onBreak(() => options.logger.warn('platform API circuit opened', { pauseMs: this.settings.breakerPauseMs }));
    this.breaker.onReset(() => options.logger.info('platform API circuit closed'));
  }

  async lookupCode(code: string): Promise<CodeLookup> {
    const normalised = normalizeAccessCode(code);
    if (!CODE_IN_PATH.test(normalised)) return { kind: 'unknown' };
    const answer = await this.request({ method: 'GET', route: '/v1/access-codes/{code}', path: `/v1/access-codes/${encodeURIComponent(normalised)}` });
    if (answer.status === 404) return { kind: 'unknown' };
    const found = this.read(answer, wireAccessCodeSchema, 'access code');
    const job = await this.getJob(found.jobId);
    // The code names a job the platform cannot find: not the customer's mistake, an inconsistent answer.
    if (job === null) throw new PlatformUnavailableError(`platform API: access code points to job ${found.jobId}, which is not found`);
    if (found.state === 'retired' || job.deleted) return { kind: 'retired', job };
    const gallery = job.galleries.find((candidate) => candidate.id === found.galleryId);
    if (gallery === undefined) throw new PlatformUnavailableError(`platform API: gallery ${found.galleryId} is not part of job ${job.id}`);
    return { kind: 'found', job, gallery };
  }

  async photographerByChannelUser(channel: 'msteams' | 'slack', userId: string): Promise<Photographer | null> {
    const query = new URLSearchParams({ channel, userId });
    const answer = await this.request({ method: 'GET', route: '/v1/photographers', path: `/v1/photographers?${query}` });
    const { items } = this.read(answer, photographerListSchema, 'photographer list');
    const [first] = items;
    return first === undefined ? null : photographerFromWire(first);
  }

  async findJobs(photographerId: string, query: string): Promise<Job[]> {
    const wanted = query.trim();
    if (wanted === '') return [];
    const answer = await this.request({
      method: 'GET',
      route: '/v1/photographers/{id}/jobs',
      path: `/v1/photographers/${encodeURIComponent(photographerId)}/jobs?${new URLSearchParams({ q: wanted })}`,
    });
    if (answer.status === 404) return [];
    // Deleted jobs are never offered as the job a photographer means.
    return this.read(answer, jobListSchema, 'job list').items.map(jobFromWire).filter((job) => !job.deleted);
  }

  async getJob(jobId: string): Promise<Job | null> {
    const answer = await this.readJob(jobId);
    return answer === null ? null : answer.job;
  }

  private async readJob(jobId: string): Promise<{ job: Job; etag: string | null } | null> {
    const answer = await this.request({ method: 'GET', route: '/v1/jobs/{id}', path: `/v1/jobs/${encodeURIComponent(jobId)}` });
    if (answer.status === 404) return null;
    return { job: jobFromWire(this.read(answer, wireJobSchema, 'job')), etag: answer.etag };
  }

  async applyChange(change: JobChange, { idempotencyKey }: ApplyOptions): Promise<ChangeResult> {
    const writeHeaders = { 'Idempotency-Key': idempotencyKey, 'X-Acting-Photographer': change.photographerId };
    switch (change.kind) {
      case 'reopen-job':
        return this.patchJob(change, { status: 'selling', archiving: { enabled: true, date: change.archiveDate }, campaignActive: false }, writeHeaders);
      case 'set-selling':
        return this.patchJob(change, { status: 'selling' }, writeHeaders);
      case 'activate-code':
      case 'unhide-photos': {
        const before = await this.jobForChange(change);
        const action = change.kind === 'activate-code' ? 'activate' : 'unhide-photos';
        const answer = await this.request({
          method: 'POST',
          route: `/v1/galleries/{id}/${action}`,
          path: `/v1/galleries/${encodeURIComponent(change.galleryId)}/${action}`,
          headers: writeHeaders,
        });
        this.refuseOnError(answer);
        const updated = galleryFromWire(this.read(answer, wireGallerySchema, 'gallery'));
        const after = structuredClone(before.job);
        after.galleries = after.galleries.map((candidate) => (candidate.id === updated.id ? updated : candidate));
        return { before: before.job, after };
      }
    }
  }

  /**
   * One PATCH with the version just read (`If-Match`). A 409 means the job changed in
   * between: read it again and try once more (same key: a refused write changed
   * nothing, so there is no first result to repeat); a second 409 is said as such.
   */
  private async patchJob(change: JobChange, body: WireJobChange, headers: Record<string, string>): Promise<ChangeResult> {
    for (let attempt = 1; ; attempt += 1) {
      const before = await this.jobForChange(change);
      if (before.etag === null) throw new PlatformUnavailableError('platform API: job answer without an ETag, so no change can be made safely');
      const answer = await this.request({
        method: 'PATCH',
        route: '/v1/jobs/{id}',
        path: `/v1/jobs/${encodeURIComponent(change.jobId)}`,
        headers: { ...headers, 'If-Match': before.etag },
        body,
      });
      if (answer.status === 409 && attempt === 1) continue;
      this.refuseOnError(answer);
      return { before: before.job, after: jobFromWire(this.read(answer, wireJobSchema, 'job')) };
    }
  }

  private async jobForChange(change: JobChange): Promise<{ job: Job; etag: string | null }> {
    const read = await this.readJob(change.jobId);
    if (read === null) throw new PlatformRefusedError('not-found', `No job with the id "${change.jobId}".`);
    return read;
  }

  /** The platform's refusals of a write, as the port names them. */
  private refuseOnError(answer: Answer): void {
    if (answer.status < 400) return;
    const error = wireErrorSchema.safeParse(answer.json);
    const code = error.success ? error.data.error.code : '';
    const message = error.success ? error.data.error.message : `status ${answer.status}`;
    switch (answer.status) {
      case 403:
        throw new PlatformRefusedError('not-owner', message);
      case 404:
        throw new PlatformRefusedError('not-found', message);
      case 409:
        throw new PlatformRefusedError('job-changed', message);
      case 422:
        throw new PlatformRefusedError(/deleted/i.test(code) ? 'job-deleted' : 'invalid-change', message);
      default:
        throw new PlatformUnavailableError(`platform API refused the request: ${answer.status} ${code}`.trim());
    }
  }

  /** A 2xx answer in the contract's shape, else the platform is not usable. */
  private read<T>(answer: Answer, schema: z.ZodType<T>, what: string): T {
    if (answer.status < 200 || answer.status >= 300) throw new PlatformUnavailableError(`platform API answered ${answer.status} for a ${what}`);
    const parsed = schema.safeParse(answer.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PlatformUnavailableError(`platform API: unreadable ${what} (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`);
    }
    return parsed.data;
  }

  /** Usable when the circuit is closed and an authenticated read answers in the contract's shape. */
  async readiness(): Promise<{ ready: boolean; detail: string }> {
    try {
      await this.photographerByChannelUser('msteams', 'readiness-probe');
      return { ready: true, detail: 'platform API' };
    } catch (error) {
      return { ready: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  // ---- transport ---------------------------------------------------------------------

  private async request(call: Call): Promise<Answer> {
    try {
      return await this.breaker.execute(() => this.withRetry(call));
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new PlatformUnavailableError('platform API: not called while its circuit is open (it failed repeatedly)');
      throw error;
    }
  }

  /**
   * Every call here is safe to repeat (reads; writes carry their Idempotency-Key), so a
   * transient failure gets one more attempt, after `Retry-After` when the platform names it.
   */
  private async withRetry(call: Call): Promise<Answer> {
    try {
      return await this.attempt(call);
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      const wait = error.retryAfterMs ?? this.settings.retryDelayMs;
      if (wait > this.settings.maxRetryAfterMs) throw new PlatformUnavailableError(`${error.message}; retry only after ${Math.ceil(wait / 1000)} s`);
      this.options.logger.debug('platform API retry', { route: call.route, method: call.method, reason: error.message });
      await sleep(wait);
      return this.attempt(call);
    }
  }

  private async attempt(call: Call): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.options.token}`, ...call.headers };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.base}${call.path}`, {
        method: call.method,
        headers,
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal,
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      const timedOut = signal.aborted;
      const reason = timedOut ? `no answer within ${this.settings.timeoutMs} ms` : `not reachable (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`;
      this.options.logger.warn('platform API call failed', { route: call.route, method: call.method, reason });
      throw new TransientFailure(`platform API ${call.method} ${call.route}: ${reason}`, { cause: error });
    }

    if (response.status === 401) {
      this.options.logger.error('platform API refused the token (401): check PLATFORM_API_TOKEN', { route: call.route });
      throw new PlatformUnavailableError('platform API: the token was refused (401)');
    }
    if (response.status === 429 || response.status >= 500) {
      this.options.logger.warn('platform API call failed', { route: call.route, method: call.method, status: response.status });
      const failure = new TransientFailure(`platform API ${call.method} ${call.route}: status ${response.status}`);
      failure.retryAfterMs = retryAfterMs(response.headers.get('retry-after'));
      throw failure;
    }
    let json: unknown = null;
    if (text.trim() !== '') {
      try {
        if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '')) throw new Error(`content type ${response.headers.get('content-type') ?? 'none'}`);
        json = JSON.parse(text);
      } catch (error) {
        this.options.logger.warn('platform API answer unreadable', { route: call.route, status: response.status, reason: (error as Error).message });
        throw new PlatformUnavailableError(`platform API ${call.method} ${call.route}: the answer is not JSON`);
      }
    }
    // A 404 of the contract carries its error body; anything else answering 404 is not the platform.
    if (response.status === 404 && !wireErrorSchema.safeParse(json).success) {
      throw new PlatformUnavailableError(`platform API ${call.method} ${call.route}: 404 without the contract's error body (is PLATFORM_API_URL right?)`);
    }
    return { status: response.status, json, etag: response.headers.get('etag') };
  }
}

