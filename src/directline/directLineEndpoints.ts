import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response, Server } from 'restify';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { clientAddress } from '../web/clientAddress.js';
import { bearerOf, originAllowed, sendError } from '../web/webSafety.js';
import { DirectLineError, type DirectLineService } from './directLineService.js';

/**
 * Direct Line 3.0 over HTTP under /v3/directline, as Azure serves it and the official
 * clients (botframework-directlinejs, Web Chat) call it: Bearer tokens on every call,
 * watermarks as strings, a WebSocket stream whose URL carries its own token.
 */
export const DIRECT_LINE_PREFIX = '/v3/directline';

/** Past this a stream is taken for dead: browsers do not always notice a broken connection. */
const STREAM_PING_MS = 30_000;

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;

/** The origin the client reached us at, for the stream URL (scheme as the proxy in front says, if any). */
function requestOrigin(req: Request): string {
  const forwarded = req.headers['x-forwarded-proto'];
  const scheme = (typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined) ?? (req.isSecure() ? 'https' : 'http');
  return `${scheme === 'https' ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

function query(req: Request, name: string): string | null {
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get(name);
}

function param(req: Request, name: string): string {
  return String((req.params as Record<string, unknown> | undefined)?.[name] ?? '');
}

/** Runs an endpoint: its answer as JSON, a DirectLineError as its status, anything else as 500. */
function endpoint(logger: Logger, status: number, handle: (req: Request) => unknown) {
  return async (req: Request, res: Response) => {
    try {
      const body = await handle(req);
      res.status(status);
      res.json(body);
    } catch (error) {
      if (error instanceof DirectLineError) {
        sendError(res, error.status, error.code, error.message);
        return;
      }
      logger.error('direct line request failed', { error, path: req.path() });
      sendError(res, 500, 'ServiceError', 'The help chat could not handle this request.');
    }
  };
}

export interface DirectLineEndpoints {
  /** Ends every open stream (at shutdown). */
  closeStreams(): void;
}

export function registerDirectLine(
  server: Server,
  options: { service: DirectLineService; origins: readonly string[]; logger: Logger },
): DirectLineEndpoints {
  const { service, logger } = options;
  const p = DIRECT_LINE_PREFIX;

  server.post(`${p}/tokens/generate`, endpoint(logger, 200, (req) => service.generate(bearerOf(req), req.body)));
  server.post(`${p}/tokens/refresh`, endpoint(logger, 200, (req) => service.refresh(bearerOf(req))));
  server.post(`${p}/conversations`, endpoint(logger, 201, (req) => service.start(bearerOf(req), req.body, requestOrigin(req))));
  server.get(
    `${p}/conversations/:conversationId`,
    endpoint(logger, 200, (req) => service.resume(bearerOf(req), param(req, 'conversationId'), query(req, 'watermark'), requestOrigin(req))),
  );
  server.get(
    `${p}/conversations/:conversationId/activities`,
    endpoint(logger, 200, (req) => service.activities(bearerOf(req), param(req, 'conversationId'), query(req, 'watermark'))),
  );
  server.post(
    `${p}/conversations/:conversationId/activities`,
    endpoint(logger, 200, (req) => service.post(bearerOf(req), param(req, 'conversationId'), req.body, clientAddress(req))),
  );
  // Web Chat's upload button is hidden: the bot reads text, not files.
  server.post(`${p}/conversations/:conversationId/upload`, async (_req: Request, res: Response) => {
    sendError(res, 501, 'NotImplemented', 'Uploads are not supported by this bot.');
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const stream = (ws: WebSocket, conversationId: string, watermark: string | null) => {
    let alive = true;
    ws.on('pong', () => (alive = true));
    // Clients send empty messages to keep the connection awake; there is nothing to read.
    ws.on('message', () => undefined);
    ws.on('error', () => ws.terminate());
    const unfollow = service.follow(conversationId, watermark, (set) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(set));
    });
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, STREAM_PING_MS);
    ping.unref();
    ws.on('close', () => {
      clearInterval(ping);
      unfollow();
    });
  };
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    const reject = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (match === null) return reject(404, 'Not Found');
    if (!originAllowed(req.headers.origin, req.headers, options.origins)) return reject(403, 'Forbidden');
    let conversationId: string;
    try {
      conversationId = decodeURIComponent(match[1] ?? '');
    } catch {
      return reject(404, 'Not Found');
    }
    // The stream opens once the conversation is found (in the shared container, with several instances).
    service.streamConversation(url.searchParams.get('t'), conversationId).then(
      (conversation) => {
        if (conversation === null) return reject(403, 'Forbidden');
        sockets.handleUpgrade(req, socket, head, (ws) => stream(ws, conversation.id, url.searchParams.get('watermark')));
      },
      (error: unknown) => {
        logger.error('direct line stream could not be opened', { error });
        reject(503, 'Service Unavailable');
      },
    );
  });

  return {
    closeStreams() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
    },
  };
}
