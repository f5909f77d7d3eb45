import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { CaseRecord } from './caseRecord.js';
import type { ClaimedCase, ClaimedLine, MaybePromise, TicketQueue } from './sqliteCaseOutbox.js';
import { type HelpdeskSettings, lineRequest, type TicketRequest, ticketReferenceOf, ticketRequest } from './ticketRequests.js';

/**
 * Carries the recorded cases (escalations, and customers whose photographer the bot could
 * not tell) from the outbox to the helpdesk, one case at a time, in the bot's process: claims the oldest due case, sends its ticket, and writes down what came of it.
 *
 * - accepted (2xx): delivered, with the helpdesk's ticket reference when it gave one;
 * - not reached (a 5xx, 408, 429, a timeout, a network error): tried again later, each wait
 *   twice the one before (the attempts and the time of the next one are in the row);
 * - refused (any other 4xx, or a redirect): kept as failed for an operator, never resent.
 *
 * Then the lines written into a case after its ticket was created go to that ticket, in order,
 * one at a time, with the same claims, backoff and refusals (a refused line holds the case's
 * later lines back with it, for an operator: they go in order or not at all).
 *
 * Logs name the case, the helpdesk's status and the attempt, never the request, the key,
 * the URL's path or the answer's body (they hold e-mail addresses, access codes, secrets).
 */

/** What becomes of one attempt. */
export type SendOutcome =
  | { kind: 'accepted'; ticketReference: string | null }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  | { kind: 'refused'; error: string };

export interface TicketWorkerOptions {
  outbox: TicketQueue;
  helpdesk: HelpdeskSettings;
  logger: Logger;
  now?: () => Date;
  /** How long to wait after the `attempt`-th failed attempt (1, 2, …), in milliseconds. */
  backoff?: (attempt: number) => number;
  /** How long one request may take. */
  timeoutMs?: number;
  /** How long a claim holds: far longer than a request, so only a worker that died loses it. */
  leaseMs?: number;
  /** How often an idle worker looks for due cases. */
  pollMs?: number;
  /** Told once about every accepted case, after it is marked delivered (e.g. to tell the customer). */
  onTicketCreated?: (record: CaseRecord, ticketReference: string | null) => Promise<void>;
  fetch?: typeof fetch;
}

/** 30 s, 1 min, 2 min, … up to one hour between attempts. */
export function exponentialBackoff(attempt: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}

const DEFAULTS = { timeoutMs: 15_000, leaseMs: 5 * 60_000, pollMs: 2_000 };

/** A helpdesk that asks for longer is asked again after a day: a case must not sleep for weeks. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/** Retry-After in seconds or as an HTTP date, in milliseconds from now (at most a day); null when absent or unreadable. */
function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  const at = /^\d+$/.test(trimmed) ? now.getTime() + Number(trimmed) * 1000 : Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now.getTime()));
}

export class TicketWorker {
  private readonly owner = `worker-${randomUUID()}`;
  private readonly now: () => Date;
  private readonly backoff: (attempt: number) => number;
  private readonly settings: typeof DEFAULTS;
  private readonly fetch: typeof fetch;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly options: TicketWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.backoff = options.backoff ?? exponentialBackoff;
    this.fetch = options.fetch ?? fetch;
    this.settings = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
    };
  }

  /** Looks for due cases now and then every `pollMs` until `stop`. */
  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    const tick = (): void => {
      this.timer = undefined;
      void this.runDue().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.settings.pollMs).unref();
      });
    };
    tick();
  }

  /** No new attempts; resolves once the attempt in flight (if any) is written down. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * Sends every case that is due now, one after the other, then every line due for a ticket,
   * and resolves to how many requests were tried. Calls while one runs share it.
   */
  runDue(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    const { outbox } = this.options;
    const { leaseMs } = this.settings;
    const tickets = await this.drainQueue(() => outbox.claimDue(this.owner, leaseMs), (claimed) => this.attempt(claimed));
    if (tickets.readFailed) return tickets.tried;
    const lines = await this.drainQueue(() => outbox.claimDueLine(this.owner, leaseMs), (claimed) => this.attemptLine(claimed));
    return tickets.tried + lines.tried;
  }

  /** Claims and attempts one due item after the other until none is due (or the outbox cannot be read). */
  private async drainQueue<T>(claim: () => MaybePromise<T | null>, attempt: (claimed: T) => Promise<void>): Promise<{ tried: number; readFailed: boolean }> {
    let tried = 0;
    while (!this.stopped) {
      let claimed: T | null;
      try {
        claimed = await claim();
      } catch (error) {
        this.options.logger.error('ticket outbox could not be read', { error });
        return { tried, readFailed: true };
      }
      if (claimed === null) break;
      tried += 1;
      await attempt(claimed);
    }
    return { tried, readFailed: false };
  }

  /** When a request that was not reached is tried again: the backoff, or later when the helpdesk asks for it. */
  private nextAttemptAt(attempt: number, outcome: { retryAfterMs?: number }): Date {
    return new Date(this.now().getTime() + Math.max(this.backoff(attempt), outcome.retryAfterMs ?? 0));
  }

  private async attemptLine(claimed: ClaimedLine): Promise<void> {
    const { outbox, logger, helpdesk } = this.options;
    const fields = { caseId: claimed.caseId, line: claimed.index, format: helpdesk.format, attempt: claimed.attempts + 1 };
    const request = lineRequest(helpdesk, claimed);
    const outcome: SendOutcome = request === null ? { kind: 'refused', error: 'the helpdesk gave the ticket no number to add lines to' } : await this.request(request);
    try {
      switch (outcome.kind) {
        case 'accepted':
          if (await outbox.markLineSent(claimed)) logger.info('line added to the ticket', fields);
          else logger.warn('line added after the claim ran out', fields);
          return;
        case 'retry': {
          const next = this.nextAttemptAt(fields.attempt, outcome);
          await outbox.markLineRetry(claimed, next, outcome.error);
          logger.warn('line not added to the ticket, trying again later', { ...fields, error: outcome.error, nextAttemptAt: next.toISOString() });
          return;
        }
        case 'refused':
          await outbox.markLineFailed(claimed, outcome.error);
          logger.error('helpdesk refused a line of the ticket; it and the later ones are kept for an operator', { ...fields, error: outcome.error });
          return;
      }
    } catch (error) {
      // The claim runs out and the line is tried again; nothing is lost.
      logger.error('line outcome could not be written down', { error, caseId: claimed.caseId });
    }
  }

  private async attempt(claimed: ClaimedCase): Promise<void> {
    const { outbox, logger, helpdesk } = this.options;
    const caseId = claimed.record.id;
    const attempt = claimed.attempts + 1;
    const outcome = await this.send(claimed.record);
    const fields = { caseId, format: helpdesk.format, attempt };
    try {
      switch (outcome.kind) {
        case 'accepted': {
          if (!(await outbox.markTicketCreated(claimed, outcome.ticketReference))) {
            logger.warn('ticket created after the claim ran out', fields);
            return;
          }
          logger.info('ticket created', { ...fields, ticketReference: outcome.ticketReference });
          await this.options.onTicketCreated?.(claimed.record, outcome.ticketReference).catch((error: unknown) => {
            logger.error('customer could not be told the ticket reference', { error, caseId });
          });
          return;
        }
        case 'retry': {
          const next = this.nextAttemptAt(attempt, outcome);
          await outbox.markRetry(claimed, next, outcome.error);
          logger.warn('ticket not delivered, trying again later', { ...fields, error: outcome.error, nextAttemptAt: next.toISOString() });
          return;
        }
        case 'refused':
          await outbox.markFailed(claimed, outcome.error);
          logger.error('helpdesk refused the ticket; kept in the outbox for an operator', { ...fields, error: outcome.error });
          return;
      }
    } catch (error) {
      // The claim runs out and the case is tried again; nothing is lost.
      logger.error('ticket outcome could not be written down', { error, caseId });
    }
  }

  /** One HTTP attempt to create the case's ticket, said as an outcome; never throws. */
  send(record: CaseRecord): Promise<SendOutcome> {
    return this.request(ticketRequest(this.options.helpdesk, record));
  }

  /** One HTTP attempt, said as an outcome; never throws. */
  private async request(request: TicketRequest): Promise<SendOutcome> {
    const { helpdesk } = this.options;
    let response: Response;
    try {
      response = await this.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: JSON.stringify(request.body),
        // A redirected POST would be resent as a GET elsewhere: a wrong URL is the operator's to fix.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { kind: 'retry', error: timedOut ? `no answer within ${this.settings.timeoutMs} ms` : 'helpdesk not reachable' };
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      let answer: unknown = null;
      try {
        answer = JSON.parse(await response.text());
      } catch {
        answer = null;
      }
      return { kind: 'accepted', ticketReference: ticketReferenceOf(helpdesk.format, answer) };
    }
    await response.body?.cancel().catch(() => undefined);
    const error = `HTTP ${status}`;
    if (status >= 500 || status === 408 || status === 429) {
      const after = retryAfterMs(response.headers.get('retry-after'), this.now());
      return after === null ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs: after };
    }
    return { kind: 'refused', error };
  }
}
