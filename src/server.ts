import type { Activity, TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { GalleryAdapter } from './bot/galleryAdapter.js';
import restify, { type Request, type Response, type Server } from 'restify';
import { z } from 'zod';
import { channelTokenFirst } from './http/channelToken.js';
import { jsonBody, jsonOnly } from './http/jsonOnly.js';
import type { Logger } from './logger.js';

/** Activities are small; a megabyte leaves room for cards and transcripts without inviting abuse. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The smallest shape the adapter can work with. Anything else is a client error and
 * gets a 400 here instead of an exception deep inside the adapter.
 */
const activityEnvelope = z
  .object({
    type: z.string().min(1),
    channelId: z.string().min(1),
    conversation: z.object({ id: z.string().min(1) }),
    from: z.object({ id: z.string().min(1) }),
    serviceUrl: z.string().optional(),
    deliveryMode: z.string().optional(),
  })
  .refine((activity) => activity.deliveryMode === 'expectReplies' || typeof activity.serviceUrl === 'string', {
    message: 'serviceUrl is required unless deliveryMode is expectReplies',
    path: ['serviceUrl'],
  });

/**
 * The activity's dates as Date objects, the raw strings kept, as botbuilder's own
 * validateAndFixActivity does: the adapter is handed the activity directly (the envelope
 * above is its only validation), not through CloudAdapter.process, which parses it again.
 */
function withDates(activity: Activity): Activity {
  const fields = activity as unknown as Record<string, unknown>;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = fields[field];
    if (typeof value === 'string') {
      fields[raw] = value;
      fields[field] = new Date(value);
    }
  }
  return activity;
}

export interface ServerOptions {
  adapter: Pick<GalleryAdapter, 'handle'>;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  /** Bot Framework credentials are set: requests to /api/messages need a channel token, checked before the body is read. */
  appId?: string | undefined;
  /** What /readyz checks: each named dependency (storage, platform) usable right now. */
  readiness?: () => Promise<Record<string, boolean>>;
}

export interface BotServer {
  server: Server;
  /** Turns being processed right now; shutdown waits for them. */
  inFlight(): number;
}

function problem(res: Response, status: number, message: string): void {
  res.status(status);
  res.json({ error: message });
}

export function createServer({ adapter, logic, logger, appId, readiness }: ServerOptions): BotServer {
  const server = restify.createServer({ name: 'gallery-access-assistant', handleUncaughtExceptions: false });
  let inFlight = 0;

  // Before routing and before any byte of a body is read: every route, including those
  // other modules register on this server, takes uncompressed JSON only.
  const bodyRefused = (reason: string, req: Request) => logger.debug('request refused', { path: req.getPath(), reason });
  server.pre(jsonOnly({ maxBodyBytes: MAX_BODY_BYTES, onRefused: bodyRefused }));
  if (appId !== undefined) {
    server.pre(channelTokenFirst({ appId, paths: ['/api/messages'], onRefused: (req) => logger.debug('request refused', { path: req.getPath(), reason: 'channel-token' }) }));
  }
  server.use(jsonBody(MAX_BODY_BYTES, bodyRefused));

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });

  // 200 only while every dependency is usable: a load balancer stops sending turns that would fail.
  // Only names and yes/no here; what is wrong goes to the log.
  server.get('/readyz', async (_req: Request, res: Response) => {
    const checks = readiness === undefined ? {} : await readiness();
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503);
    res.json({ status: ready ? 'ready' : 'not ready', checks });
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const body: unknown = req.body;
    const envelope = activityEnvelope.safeParse(body);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      problem(res, 400, `Not a Bot Framework activity: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    inFlight += 1;
    try {
      const response = await adapter.handle(req.header('authorization', ''), withDates(body as Activity), logic);
      res.status(response?.status ?? 200);
      if (response?.body !== undefined) res.json(response.body);
      else res.end();
    } catch (error) {
      if (error instanceof AuthenticationError) {
        logger.debug('request refused', { path: req.getPath(), reason: 'authentication' });
        if (!res.headersSent) problem(res, 401, 'Unauthorized');
        return;
      }
      logger.error('request failed', { error });
      if (!res.headersSent) problem(res, 500, 'The bot could not process this activity.');
    } finally {
      inFlight -= 1;
    }
  });

  server.on('restifyError', (req: Request, res: Response, error: Error & { statusCode?: number }, callback: () => void) => {
    // Client errors (bad JSON, too large, wrong content type) are expected; log them quietly.
    logger.debug('request rejected', { path: req.path(), status: error.statusCode, reason: error.name });
    callback();
  });

  return { server, inFlight: () => inFlight };
}
