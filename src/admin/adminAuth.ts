import { createHash, timingSafeEqual } from 'node:crypto';
import type { Next, Request, RequestHandler, Response } from 'restify';
import { RateLimiterMemory, type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';

/**
 * Who may use the admin endpoints: whoever sends `Authorization: Bearer <ADMIN_TOKEN>`.
 *
 * The comparison takes the same time whatever is sent (both sides are hashed to the same
 * length first, then compared with `timingSafeEqual`), and a wrong or missing token gets
 * the same bare 401, so an answer never tells how close a guess was. Each client address
 * gets a few wrong tokens per window; past that every admin request from it, even one
 * with the right token, is refused with 429 until the window ends, so a lucky guess
 * cannot even be recognised. A general per-address request limit keeps an admin script
 * gone wrong from hammering the database.
 */

/** Wrong tokens one address may send per window before it is shut out. */
export const FAILED_ATTEMPTS = 10;
export const FAILED_WINDOW_SECONDS = 15 * 60;
/** Admin requests one address may send per minute, right token or not. */
export const REQUESTS_PER_MINUTE = 120;

export interface AdminLimiters {
  failures: RateLimiterAbstract;
  requests: RateLimiterAbstract;
}

export function defaultAdminLimiters(): AdminLimiters {
  return {
    failures: new RateLimiterMemory({ keyPrefix: 'admin-failures', points: FAILED_ATTEMPTS, duration: FAILED_WINDOW_SECONDS }),
    requests: new RateLimiterMemory({ keyPrefix: 'admin-requests', points: REQUESTS_PER_MINUTE, duration: 60 }),
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when `presented` is the token; its time does not depend on where they differ. */
export function tokenMatches(expected: string, presented: string): boolean {
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The token of an `Authorization: Bearer <token>` header, or '' for anything else. */
function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return '';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

function tooMany(res: Response, refusal: RateLimiterRes): void {
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000))));
  res.status(429);
  res.json({ error: 'too many requests' });
}

/** Is the address already over a limit? Reads without counting. */
async function refusedBy(limiter: RateLimiterAbstract, key: string, points: number): Promise<RateLimiterRes | null> {
  const state = await limiter.get(key);
  return state !== null && state.consumedPoints >= points ? state : null;
}

export interface AdminAuthOptions {
  token: string;
  logger: Logger;
  limiters?: AdminLimiters;
}

/** The answer for one request: null lets it through. */
async function refusal(req: Request, token: string, limiters: AdminLimiters, logger: Logger): Promise<((res: Response) => void) | null> {
  const address = req.socket.remoteAddress ?? 'unknown';
  try {
    const shutOut = await refusedBy(limiters.failures, address, FAILED_ATTEMPTS);
    if (shutOut !== null) return (res) => tooMany(res, shutOut);
    await limiters.requests.consume(address);
  } catch (error) {
    if (error instanceof RateLimiterRes) return (res) => tooMany(res, error);
    throw error;
  }
  if (tokenMatches(token, bearerToken(req))) return null;
  // Counted, and said to the log without anything that was sent.
  await limiters.failures.consume(address).catch((error: unknown) => {
    if (!(error instanceof RateLimiterRes)) throw error;
  });
  logger.warn('admin request refused', { path: req.getPath(), address });
  return (res) => {
    res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(401);
    res.json({ error: 'unauthorized' });
  };
}

/** The handler in front of every admin route (callback style: restify cannot stop a chain from an async handler). */
export function requireAdmin({ token, logger, limiters = defaultAdminLimiters() }: AdminAuthOptions): RequestHandler {
  return function adminOnly(req: Request, res: Response, next: Next): void {
    refusal(req, token, limiters, logger).then(
      (refuse) => {
        if (refuse === null) {
          next();
          return;
        }
        refuse(res);
        next(false);
      },
      (error: unknown) => {
        logger.error('admin authentication failed', { error });
        res.status(500);
        res.json({ error: 'internal error' });
        next(false);
      },
    );
  };
}
