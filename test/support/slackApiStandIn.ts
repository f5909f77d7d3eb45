import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the stand-in received, whatever it answered. */
export interface PostedMessage {
  path: string;
  contentType: string;
  token: string | undefined;
  args: Record<string, unknown>;
  /** The `ts` Slack gave the posted message, when the call succeeded. */
  ts?: string;
}

/**
 * A stand-in for Slack's Web API on 127.0.0.1 that speaks its wire format: POST
 * /api/<method> with a form-encoded body (objects JSON-encoded in a field) or a JSON body,
 * the token as `Authorization: Bearer` or a `token` field, and HTTP 200 answers of
 * `{ ok: true, … }` or `{ ok: false, error }`. Only `botToken` is a valid token; any other
 * gets `invalid_auth`, as a revoked or foreign token would from Slack.
 */
export class SlackStandIn {
  readonly posted: PostedMessage[] = [];
  /** Set to make the next call hang (never answered) or fail at the HTTP level. */
  mode: 'normal' | 'hang' | 'http-500' = 'normal';
  /** When set, calls are answered HTTP 200 `{ ok: false, error: slackError }` (after being recorded)… */
  slackError: string | null = null;
  /** …once this many calls have been recorded (0: from the first call on). */
  slackErrorAfter = 0;
  private server: Server | undefined;
  private sequence = 0;
  private readonly hanging: ServerResponse[] = [];

  constructor(readonly botToken: string) {}

  /** Starts on a free port; resolves to the base URL to pass as `slackApiUrl` (ending in `/api/`). */
  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Back to answering normally, with nothing recorded. */
  reset(): void {
    this.posted.length = 0;
    this.mode = 'normal';
    this.slackError = null;
    this.slackErrorAfter = 0;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const contentType = request.headers['content-type'] ?? '';
    const answer = (body: unknown, status = 200): void => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    if (this.mode === 'hang') return void this.hanging.push(response);
    if (this.mode === 'http-500') return answer({ ok: false, error: 'internal_error' }, 500);
    if (request.method !== 'POST') return answer({ ok: false, error: 'invalid_request' });
    let args: Record<string, unknown>;
    if (contentType.startsWith('application/json')) {
      args = JSON.parse(raw) as Record<string, unknown>;
    } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
      args = Object.fromEntries(new URLSearchParams(raw));
      // Slack reads structured arguments of a form post as JSON strings.
      for (const key of ['blocks', 'attachments', 'metadata']) {
        if (typeof args[key] === 'string') {
          try {
            args[key] = JSON.parse(args[key]);
          } catch {
            return answer({ ok: false, error: key === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments' });
          }
        }
      }
    } else {
      return answer({ ok: false, error: 'invalid_form_data' });
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    const path = request.url ?? '';
    const entry: PostedMessage = { path, contentType, token, args };
    this.posted.push(entry);
    if (this.slackError !== null && this.posted.length > this.slackErrorAfter) return answer({ ok: false, error: this.slackError });
    if (token === undefined) return answer({ ok: false, error: 'not_authed' });
    if (token !== this.botToken) return answer({ ok: false, error: 'invalid_auth' });
    if (path !== '/api/chat.postMessage') return answer({ ok: false, error: 'unknown_method' });
    if (typeof args.channel !== 'string' || args.channel === '') return answer({ ok: false, error: 'channel_not_found' });
    if (typeof args.text !== 'string' && !Array.isArray(args.blocks)) return answer({ ok: false, error: 'no_text' });
    if (args.blocks !== undefined && (!Array.isArray(args.blocks) || args.blocks.length > 50)) return answer({ ok: false, error: 'invalid_blocks' });
    this.sequence += 1;
    const ts = `1733900100.${String(this.sequence).padStart(6, '0')}`;
    entry.ts = ts;
    answer({
      ok: true,
      channel: args.channel,
      ts,
      message: { type: 'message', bot_id: 'B0GALLERY', text: args.text, ts, ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}) },
    });
  }
}
