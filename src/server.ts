import type { CloudAdapter, TurnContext } from 'botbuilder';
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

export interface ServerOptions {
  adapter: CloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  /** Bot Framework credentials are set: requests to /api/messages need a channel token, checked before the body is read. */
  appId?: string | undefined;
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

export function createServer({ adapter, logic, logger, appId }: ServerOptions): BotServer {
  const server = restify.createServer({ name: 'gallery-access-assistant', handleUncaughtExceptions: false });
  let inFlight = 0;

  // Before routing and before any byte of a body is read: every route, including those
  // other modules register on this server, takes uncompressed JSON only.
  server.pre(jsonOnly({ maxBodyBytes: MAX_BODY_BYTES, onRefused: (reason, req) => logger.debug('request refused', { path: req.getPath(), reason }) }));
  if (appId !== undefined) {
    server.pre(channelTokenFirst({ appId, paths: ['/api/messages'], onRefused: (req) => logger.debug('request refused', { path: req.getPath(), reason: 'channel-token' }) }));
  }
  server.use(jsonBody(MAX_BODY_BYTES));

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
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
      await adapter.process(req, res, logic);
    } catch (error) {
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
