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
 * Reads a body of at most `maxBodyBytes` into `req.body` (a string), for the JSON parser.
 * restify's own body reader drops what is over its limit but reads on to the end, so a
 * chunked body of no stated length would be read to its last byte (or forever) before the
 * 413. This one answers 413 the moment the limit is passed and reads nothing more.
 */
function boundedBodyReader(maxBodyBytes: number, onRefused?: JsonOnlyOptions['onRefused']): RequestHandler {
  return function readBoundedBody(req: Request, res: Response, next: Next): void {
    if (!METHODS_WITH_BODY.has(req.method ?? '') || !hasBody(req)) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (outcome?: Error | false): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      next(outcome);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= maxBodyBytes) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.pause();
      onRefused?.('too-large', req);
      refuse(res, 413, `Request body size exceeds ${maxBodyBytes}`);
      // Connection: close ends the exchange once the answer is out; the rest is never read.
      res.once('finish', () => req.socket.destroy());
      settle(false);
    };
    const onEnd = (): void => {
      req.body = Buffer.concat(chunks).toString('utf8');
      settle();
    };
    const onError = (error: Error): void => settle(error);
    // The client gave up half way: nothing to answer, nothing to keep.
    const onAborted = (): void => settle(false);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('aborted', onAborted);
    req.resume();
  };
}

/**
 * The JSON parser alone, for `server.use(...)`: the body read by `boundedBodyReader` (413
 * as soon as it passes `maxBodyBytes`, with or without a Content-Length), then parsed by
 * restify's JSON parser, and only what `jsonOnly` let through.
 */
export function jsonBody(maxBodyBytes: number, onRefused?: JsonOnlyOptions['onRefused']): RequestHandler[] {
  // `bodyReader: true` tells restify's jsonBodyParser that the body is read already: it only parses.
  const parse = restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false } as Parameters<typeof restify.plugins.jsonBodyParser>[0]) as unknown as RequestHandler[];
  return [boundedBodyReader(maxBodyBytes, onRefused), ...parse];
}
