import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { RateLimiterMemory, type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { DirectLineError, type DirectLineService } from '../directline/directLineService.js';
import type { Logger } from '../logger.js';
import { projectRoot } from '../projectRoot.js';
import { clientAddress } from '../web/clientAddress.js';
import { sendError } from '../web/webSafety.js';

/**
 * The help chat widget as this server serves it: the demo shop page at `/`, the widget's
 * own files and Web Chat's browser bundle under `/widget/`, and the token endpoint the
 * page gets its Direct Line token from (it never sees the secret).
 */
export const WIDGET_PREFIX = '/widget';
export const WIDGET_TOKEN_PATH = `${WIDGET_PREFIX}/token`;

/** Where the widget's files are; `vendor/webchat.js` is copied there by `npm run build` (scripts/copy-webchat.mjs). */
export const PUBLIC_FOLDER = join(projectRoot(), 'public');
export const WEBCHAT_BUNDLE = join(PUBLIC_FOLDER, 'vendor', 'webchat.js');

/** The files the server hands out, and nothing else of the folder. */
const FILES: Record<string, { path: string; type: string }> = {
  'widget.js': { path: join(PUBLIC_FOLDER, 'widget.js'), type: 'text/javascript; charset=utf-8' },
  'widget.css': { path: join(PUBLIC_FOLDER, 'widget.css'), type: 'text/css; charset=utf-8' },
  'shop.js': { path: join(PUBLIC_FOLDER, 'shop.js'), type: 'text/javascript; charset=utf-8' },
  'shop.css': { path: join(PUBLIC_FOLDER, 'shop.css'), type: 'text/css; charset=utf-8' },
  'webchat.js': { path: WEBCHAT_BUNDLE, type: 'text/javascript; charset=utf-8' },
};

/**
 * A parent asks for a token when opening the chat, and again only when one expired;
 * twenty in five minutes from one address leaves room for a family behind one router.
 */
export function defaultTokenLimiter(): RateLimiterAbstract {
  return new RateLimiterMemory({ points: 20, duration: 300, keyPrefix: 'widget-token' });
}

interface LoadedFile {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  type: string;
}

export interface WidgetOptions {
  service: DirectLineService;
  /** Shop origins allowed to frame the page (WIDGET_ORIGINS). */
  origins: readonly string[];
  logger: Logger;
  /** Per-address limit of the token endpoint; a shared store (Redis, ...) for several instances. */
  tokenLimiter?: RateLimiterAbstract;
}

/** The hash of an empty style element: Web Chat creates one without its nonce, and an empty style does nothing. */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/**
 * The page's Content-Security-Policy: scripts from this origin only (no inline script at
 * all), styles from here or with the page's nonce (Web Chat's CSS-in-JS takes the nonce),
 * images from here, data: (the shop pictures) and blob: (Web Chat's own icons).
 */
export function pageSecurityPolicy(nonce: string, origins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}' ${EMPTY_STYLE_HASH}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    `frame-ancestors ${["'self'", ...origins].join(' ')}`,
  ].join('; ');
}

export function registerWidget(server: Server, options: WidgetOptions): void {
  const limiter = options.tokenLimiter ?? defaultTokenLimiter();
  const cache = new Map<string, LoadedFile>();

  const load = (name: string): LoadedFile | null => {
    const known = FILES[name];
    if (known === undefined || !existsSync(known.path)) return null;
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    const body = readFileSync(known.path);
    const file = { body, gzipped: gzipSync(body), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, type: known.type };
    // The bundle is 3.9 MB and never changes while the server runs; the small files are re-read in development.
    if (name === 'webchat.js') cache.set(name, file);
    return file;
  };

  const page = readFileSync(join(PUBLIC_FOLDER, 'index.html'), 'utf8');

  server.get('/', async (_req: Request, res: Response) => {
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', pageSecurityPolicy(nonce, options.origins));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    // Browsers too old for frame-ancestors: only this origin may frame the page unless shops are listed.
    if (options.origins.length === 0) res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.writeHead(200);
    res.end(page.replaceAll('__STYLE_NONCE__', nonce));
  });

  server.get(`${WIDGET_PREFIX}/:file`, async (req: Request, res: Response) => {
    const name = String((req.params as Record<string, unknown>).file ?? '');
    const file = load(name);
    if (file === null) {
      const missingBundle = name === 'webchat.js';
      sendError(
        res,
        missingBundle ? 503 : 404,
        missingBundle ? 'BundleMissing' : 'NotFound',
        missingBundle ? 'Web Chat is not installed here: run npm run build (it copies the bundle into public/vendor).' : 'No such file.',
      );
      return;
    }
    res.setHeader('Content-Type', file.type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', file.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304);
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.writeHead(200);
    res.end(gzip ? file.gzipped : file.body);
  });

  server.post(WIDGET_TOKEN_PATH, async (req: Request, res: Response) => {
    try {
      await limiter.consume(clientAddress(req));
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) {
        res.setHeader('Retry-After', String(Math.ceil(refusal.msBeforeNext / 1000)));
        sendError(res, 429, 'TooManyRequests', 'Too many chats were opened from here; please try again in a few minutes.');
        return;
      }
      // A limiter whose store is down must not keep parents out of the help chat.
      options.logger.warn('token rate limiter unavailable', { error: refusal });
    }
    const body = (req.body ?? {}) as { locale?: unknown };
    try {
      const grant = await options.service.newConversation(typeof body.locale === 'string' ? { locale: body.locale } : {});
      res.json(grant);
    } catch (error) {
      if (error instanceof DirectLineError) {
        sendError(res, error.status, error.code, error.message);
        return;
      }
      throw error;
    }
  });
}
