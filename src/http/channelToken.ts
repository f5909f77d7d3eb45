import type { Next, Request, RequestHandler, Response } from 'restify';
import { refuse } from './jsonOnly.js';

/**
 * With Bot Framework credentials set, a request to /api/messages without a plausible
 * channel token is refused before its body is read.
 *
 * The full check (signature against the channel's published keys, the key's endorsement
 * of the activity's channel, the `serviceurl` claim against the activity's serviceUrl)
 * stays with the adapter: the Bot Framework protocol binds the token to fields of the
 * activity, so it cannot be completed before the body is parsed. What can be decided from
 * the header alone is decided here: a Bearer JWT signed with RS256 under a key id, issued
 * for this bot, not expired. That turns away anonymous traffic (and anything a
 * browser can send cross-site) before a byte of the body is read; what gets through is a
 * JSON body of bounded size (see jsonOnly.ts).
 */

/** The token library's tolerance for clock skew, the same as botframework-connector's. */
const CLOCK_TOLERANCE_SECONDS = 5 * 60;

function decodePart(part: string | undefined): Record<string, unknown> | null {
  if (part === undefined || !/^[A-Za-z0-9_-]+$/.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Why the header cannot be a channel token for `appId`, or null when it may be one. */
export function implausibleChannelToken(authorization: string | undefined, appId: string, nowSeconds = Date.now() / 1000): string | null {
  if (authorization === undefined || authorization.trim() === '') return 'missing Authorization header';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (match === null) return 'not a Bearer token';
  const parts = match[1]!.split('.');
  if (parts.length !== 3) return 'not a JWT';
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (header === null || claims === null) return 'not a JWT';
  if (header.alg !== 'RS256' || typeof header.kid !== 'string') return 'not signed with a channel key';
  // Channel tokens name the bot in `aud`; the Emulator's in `appid` (v1) or `azp` (v2).
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(appId) && claims.appid !== appId && claims.azp !== appId) return 'issued for another bot';
  if (typeof claims.exp !== 'number' || claims.exp + CLOCK_TOLERANCE_SECONDS < nowSeconds) return 'expired';
  return null;
}

export interface ChannelTokenOptions {
  appId: string;
  /** The paths that take Bot Framework activities. */
  paths: readonly string[];
  onRefused?: (req: Request) => void;
}

/** The pre-handler: `server.pre(channelTokenFirst({ appId, paths: ['/api/messages'] }))`. */
export function channelTokenFirst({ appId, paths, onRefused }: ChannelTokenOptions): RequestHandler {
  const guarded = new Set(paths);
  return function channelTokenBeforeBody(req: Request, res: Response, next: Next): void {
    if (req.method !== 'POST' || !guarded.has(req.getPath())) {
      next();
      return;
    }
    const reason = implausibleChannelToken(req.headers.authorization, appId);
    if (reason === null) {
      next();
      return;
    }
    onRefused?.(req);
    refuse(res, 401, `Unauthorized: ${reason}`);
    next(false);
  };
}
