import type { IncomingHttpHeaders } from 'node:http';
import type { Next, Request, Response, Server } from 'restify';
import { jsonOnly } from '../http/jsonOnly.js';

/**
 * What every endpoint the browser talks to shares: which other origins may call it
 * (CORS for the shop origins of WIDGET_ORIGINS, nothing else), and JSON-only bodies of a
 * bounded size, refused before the body is read.
 */

/** Headers Web Chat and botframework-directlinejs send across origins. */
const ALLOWED_HEADERS = 'authorization, content-type, x-ms-bot-agent, x-requested-with';

export interface BrowserEndpoints {
  /** Paths (prefixes) these rules apply to. */
  prefixes: string[];
  /** Other origins allowed to call them (WIDGET_ORIGINS); the bot's own origin always is. */
  origins: readonly string[];
  /** The largest request body, in bytes. */
  maxBodyBytes: number;
}

/** The request's own origin as the browser sees it: the Host header, whatever the scheme behind a proxy. */
function isOwnOrigin(origin: string, headers: IncomingHttpHeaders): boolean {
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/** Whether a request with this Origin header may be served (no Origin: not a browser's cross-origin call). */
export function originAllowed(origin: string | undefined, headers: IncomingHttpHeaders, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  return isOwnOrigin(origin, headers) || allowed.includes(origin);
}

function refuse(res: Response, next: Next, status: number, code: string, message: string): void {
  res.status(status);
  res.json({ error: { code, message } });
  next(false);
}

/**
 * Registers the rules as a `pre` handler, so they run before routing and before any body
 * is read: a preflight gets its answer here, a call from an origin not allowed gets 403;
 * then the server's one body rule (jsonOnly: JSON, uncompressed) with these endpoints'
 * smaller limit, and a body of unknown length (chunked) gets 411.
 */
export function protectBrowserEndpoints(server: Server, rules: BrowserEndpoints): void {
  const bodies = jsonOnly({ maxBodyBytes: rules.maxBodyBytes });
  server.pre((req: Request, res: Response, next: Next) => {
    const path = req.path();
    if (!rules.prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return next();
    res.header('X-Content-Type-Options', 'nosniff');
    res.header('Cache-Control', 'no-store');
    const origin = req.headers.origin;
    if (!originAllowed(origin, req.headers, rules.origins)) return refuse(res, next, 403, 'OriginNotAllowed', 'This origin may not use the help chat.');
    if (origin !== undefined) {
      res.header('Access-Control-Allow-Origin', origin);
      res.header('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.header('Access-Control-Max-Age', '600');
      res.status(204);
      res.end();
      return next(false);
    }
    if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) {
      return refuse(res, next, 411, 'LengthRequired', 'Send the body with a Content-Length.');
    }
    return bodies(req, res, next);
  });
}

/** A Bearer token of the Authorization header, or null. */
export function bearerOf(req: Request): string | null {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** A Direct Line style error body: `{ error: { code, message } }`. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status);
  res.json({ error: { code, message } });
}
