import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { InvalidCursorError, type OutboxEntry, type OutboxListing } from '../handoff/sqliteCaseOutbox.js';
import type { Logger } from '../logger.js';
import type { ErasureRequest, PersonalData } from '../privacy/erasure.js';
import { type AdminLimiters, requireAdmin } from './adminAuth.js';

/**
 * The admin endpoints, JSON only, behind `ADMIN_TOKEN`: the recorded cases of the outbox
 * (for an operator while no helpdesk receives them), and erasing one person's data. Without a token they are not
 * registered at all, so they answer 404 like any path that does not exist.
 */
export const ADMIN_PREFIX = '/admin';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** An access code as an operator sees it: its length and last two characters, enough to match it with what a customer quotes. */
export function maskAccessCode(code: string): string {
  const visible = code.length > 4 ? 2 : 0;
  return '*'.repeat(code.length - visible) + code.slice(code.length - visible);
}

/** A case as the endpoints show it: the code masked; the transcript only on the single case. */
export function caseView(entry: OutboxEntry, { transcript }: { transcript: boolean }): Record<string, unknown> {
  const { record } = entry;
  const { transcript: lines, accessCode, ...facts } = record;
  return {
    ...facts,
    accessCode: accessCode === null ? null : maskAccessCode(accessCode),
    state: entry.state,
    deliveredAt: entry.deliveredAt,
    // What the helpdesk answered is kept short by the worker and holds no request or key.
    attempts: entry.delivery.attempts,
    nextAttemptAt: entry.delivery.nextAttemptAt,
    failedAt: entry.delivery.failedAt,
    lastError: entry.delivery.lastError,
    ticketReference: entry.delivery.ticketReference,
    ...(transcript ? { transcript: lines } : { transcriptLines: lines.length }),
  };
}

/** Channel ids and user ids as channels send them: short, printable. */
const identifier = z.string().trim().min(1).max(512);

/** Who to erase: a channel user, or the customer who gave an e-mail address. */
const erasureRequest = z.union([
  z.strictObject({ user: z.strictObject({ channelId: identifier, userId: identifier }) }),
  z.strictObject({ email: z.email().max(320) }),
]);

export interface AdminOptions {
  token: string;
  outbox: OutboxListing;
  personalData: PersonalData;
  logger: Logger;
  limiters?: AdminLimiters;
}

function problem(res: Response, status: number, message: string): void {
  res.status(status);
  res.json({ error: message });
}

function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://admin.invalid').searchParams;
}

/** `limit` as a page size, or a message saying what is wrong with it. */
function pageSize(raw: string | null): number | string {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE_SIZE) return `limit: expected a whole number from 1 to ${MAX_PAGE_SIZE}`;
  return Number(raw);
}

export function registerAdmin(server: Server, { token, outbox, personalData, logger, limiters }: AdminOptions): void {
  const admin = requireAdmin({ token, logger, ...(limiters === undefined ? {} : { limiters }) });
  const noStore = (_req: Request, res: Response, next: () => void): void => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };

  server.get(`${ADMIN_PREFIX}/outbox`, noStore, admin, async (req: Request, res: Response) => {
    const query = queryOf(req);
    const limit = pageSize(query.get('limit'));
    if (typeof limit === 'string') return problem(res, 400, limit);
    try {
      const page = await outbox.list({ limit, after: query.get('after') ?? undefined });
      res.json({ cases: page.entries.map((entry) => caseView(entry, { transcript: false })), next: page.next });
    } catch (error) {
      if (error instanceof InvalidCursorError) return problem(res, 400, 'after: not a cursor this endpoint gave');
      throw error;
    }
  });

  server.get(`${ADMIN_PREFIX}/outbox/:caseId`, noStore, admin, async (req: Request, res: Response) => {
    const entry = await outbox.entry(String(req.params.caseId ?? ''));
    if (entry === null) return problem(res, 404, 'no such case');
    res.json(caseView(entry, { transcript: true }));
  });

  // Puts a case back into delivery now: one the helpdesk refused (kept for an operator), one
  // waiting for its next attempt, or the lines refused after its ticket.
  server.post(`${ADMIN_PREFIX}/outbox/:caseId/retry`, noStore, admin, async (req: Request, res: Response) => {
    const caseId = String(req.params.caseId ?? '');
    const outcome = await outbox.retry(caseId);
    switch (outcome) {
      case 'unknown':
        return problem(res, 404, 'no such case');
      case 'delivered':
        return problem(res, 409, 'the case is delivered: the helpdesk has it');
      case 'matter-open':
        return problem(res, 409, 'the person has a newer open case of the same matter, which has what they said');
      case 'retried': {
        logger.info('case put back into delivery', { caseId });
        const entry = await outbox.entry(caseId);
        res.json(entry === null ? { retried: caseId } : caseView(entry, { transcript: false }));
        return;
      }
    }
  });

  server.post(`${ADMIN_PREFIX}/erase`, noStore, admin, async (req: Request, res: Response) => {
    const parsed = erasureRequest.safeParse(req.body);
    if (!parsed.success) return problem(res, 400, 'expected { "user": { "channelId", "userId" } } or { "email" }');
    const request: ErasureRequest = parsed.data;
    const erased = await personalData.erase(request);
    // Which kind of request and how much went, never who.
    logger.info('personal data erased', { by: 'user' in request ? 'channel user' : 'e-mail address', ...erased });
    res.json({ erased });
  });
}
