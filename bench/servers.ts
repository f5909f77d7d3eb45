import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import { MAX_BODY_BYTES } from '../src/server.js';
import type { Build } from './build.js';

/**
 * The three reference servers of the benchmark, each on 127.0.0.1 with a free port: bare
 * restify and the echo bot with the bot's body parsing (bodyParser with the same body limit),
 * and the pipeline floor on the bot's own server.
 */

export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

function restifyServer(name: string): Server {
  const server = restify.createServer({ name, handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));
  return server;
}

async function listen(server: Server): Promise<BenchServer> {
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.server.closeAllConnections();
      }),
  };
}

/** The baseline: restify parsing the activity and answering a fixed `{ activities: [] }`, no bot. */
export function startBareRestify(): Promise<BenchServer> {
  const server = restifyServer('bench-bare');
  const answer = { activities: [] };
  server.post('/api/messages', async (_req: Request, res: Response) => {
    res.json(answer);
  });
  return listen(server);
}

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

/** The SDK's floor: CloudAdapter (local mode, no credentials) and an ActivityHandler that echoes. */
export function startEchoBot(): Promise<BenchServer> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new EchoBot();
  const server = restifyServer('bench-echo');
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  return listen(server);
}

/**
 * What the bot's own pipeline costs before any of its work: the bot's HTTP server (JSON
 * only, the envelope check) and its adapter (expectReplies without a connector client),
 * with the echo bot as the logic. No turn of the bot can be faster than this; the difference
 * from a real turn is what the recognizer, the dialogs, the platform and the state cost.
 */
export function startPipelineFloor(build: Build): Promise<BenchServer> {
  const adapter = new build.adapter.GalleryAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new EchoBot();
  const { server } = build.server.createServer({ adapter, logic: (context) => bot.run(context), logger: build.logger.createLogger('silent') });
  return listen(server);
}
