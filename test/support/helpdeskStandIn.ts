import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the helpdesk stand-in received. */
export interface HelpdeskRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The body parsed as JSON (the raw text when it is not JSON). */
  body: unknown;
}

/** How the stand-in answers one request: a status, a body, headers; `hang` never answers. */
export type HelpdeskAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/**
 * A helpdesk on 127.0.0.1 (Freshdesk, Zendesk or a generic webhook, by what the test tells
 * it to answer): records every request and answers with the next scripted answer, then with
 * `accept` for the rest. A request that arrives after `stop` is never answered.
 */
export class HelpdeskStandIn {
  readonly requests: HelpdeskRequest[] = [];
  /** Answers for the next requests, in order. */
  readonly script: HelpdeskAnswer[] = [];
  private server: Server | undefined;
  private readonly hanging: ServerResponse[] = [];

  constructor(private readonly accept: HelpdeskAnswer) {}

  /** Starts on a free port; resolves to its base URL (no trailing slash). */
  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging.splice(0)) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    this.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
    const answer = this.script.shift() ?? this.accept;
    if (answer === 'hang') {
      this.hanging.push(response);
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}
