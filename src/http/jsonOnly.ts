import type { Next, Request, RequestHandler, Response } from 'restify';
import restify from 'restify';

/**
 * The one rule for request bodies, on every endpoint: JSON, uncompressed, at most
 * `maxBodyBytes`, and nothing else ever reaches a parser.
 *
 * restify's `bodyParser()` would also accept multipart uploads (written to /tmp by
 * formidable before any handler runs, and never deleted), form posts (which a web page
 * can send cross-origin without a CORS preflight), and gzip bodies that it inflates
 * before looking at their size. So the checks here run in `server.pre()`, before routing
 * and before a single byte of the body is read, and the only parser behind them is
 * `restify.plugins.jsonBodyParser()`.
 */

/** What was refused, for logs and counters (never the body). */
export type RefusedBody = 'content-type' | 'content-encoding' | 'too-large';

export interface JsonOnlyOptions {
  maxBodyBytes: number;
  /** Told about every refusal (e.g. to log it quietly). */
  onRefused?: (reason: RefusedBody, req: Request) => void;
}

/** `application/json` with optional parameters (`; charset=utf-8`), case-insensitive. */
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The request announces a body: a non-zero Content-Length or a chunked transfer. */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined && length.trim() !== '0') return true;
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Answers without reading the body. `Connection: close` makes Node drop the socket after
 * the answer instead of reading (and discarding) the rest of a large upload.
 */
export function refuse(res: Response, status: number, message: string): void {
  res.setHeader('connection', 'close');
  res.status(status);
  res.json({ error: message });
}

/** The pre-handler: `server.pre(jsonOnly({ maxBodyBytes }))` covers every route, present and future. */
export function jsonOnly({ maxBodyBytes, onRefused }: JsonOnlyOptions): RequestHandler {
  return function jsonOnlyBodies(req: Request, res: Response, next: Next): void {
    if (!METHODS_WITH_BODY.has(req.method ?? '') || !hasBody(req)) {
      next();
      return;
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      onRefused?.('content-encoding', req);
      res.setHeader('accept-encoding', 'identity');
      refuse(res, 415, 'Content-Encoding is not supported: send the JSON uncompressed.');
      next(false);
      return;
    }
    // restify's body reader knows only "no header" and gzip; identity means no header.
    delete req.headers['content-encoding'];
    const contentType = req.headers['content-type'] ?? '';
    if (!JSON_MEDIA_TYPE.test(contentType)) {
      onRefused?.('content-type', req);
      refuse(res, 415, 'Only application/json bodies are accepted.');
      next(false);
      return;
    }
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > maxBodyBytes) {
      onRefused?.('too-large', req);
      refuse(res, 413, `Request body size exceeds ${maxBodyBytes}`);
      next(false);
      return;
    }
    next();
  };
}

/**
 * The JSON parser alone, for `server.use(...)`: it reads at most `maxBodyBytes` (a chunked
 * body over the limit is answered 413) and parses only what `jsonOnly` let through.
 */
export function jsonBody(maxBodyBytes: number): RequestHandler[] {
  // @types/restify 8 leaves out `maxBodySize`, which restify 12's jsonBodyParser passes to its body reader.
  const options = { maxBodySize: maxBodyBytes, mapParams: false } as Parameters<typeof restify.plugins.jsonBodyParser>[0];
  return restify.plugins.jsonBodyParser(options) as unknown as RequestHandler[];
}
