import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

/** One activity the bot changed (`PUT /v3/conversations/:id/activities/:activityId`). */
export interface ConnectorUpdate {
  conversationId: string;
  activityId: string;
  activity: Partial<Activity>;
}

/** One activity the bot sent to the connector. */
export interface ConnectorPost {
  /** The decoded conversation id of the URL. */
  conversationId: string;
  /** The activity id of `/activities/:replyToId` (a reply), or null (`/activities`, a new message). */
  replyToId: string | null;
  authorization: string | undefined;
  activity: Partial<Activity>;
}

/**
 * A tiny Bot Connector (Bot Framework REST API v3) on 127.0.0.1, the `serviceUrl` of the
 * activities a test sends when it wants the bot's normal delivery: it records
 * `POST /v3/conversations/:id/activities[/:replyToId]` and answers 200 `{ id }`, and
 * `PUT /v3/conversations/:id/activities/:activityId` (an update) for an id it gave; anything
 * else gets 404. `status` makes every post and update fail with that HTTP status instead.
 */
export class ConnectorStandIn {
  readonly posts: ConnectorPost[] = [];
  readonly updates: ConnectorUpdate[] = [];
  /** Requests it did not understand (method and path), to see what the bot tried. */
  readonly unexpected: string[] = [];
  status = 200;
  /** Conversations whose posts and updates fail with the given status (the others go through). */
  private readonly refused = new Map<string, number>();
  private server: Server | undefined;
  private sequence = 0;
  /** The ids it answered posts with, and their conversation: only those can be updated. */
  private readonly given = new Map<string, string>();

  /** Starts on a free port; resolves to the service URL (with a trailing slash, as channels send it). */
  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.serviceUrl;
  }

  /** The service URL activities name to have the bot's replies posted here (once started). */
  get serviceUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (address === null || address === undefined) throw new Error('the connector stand-in is not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  reset(): void {
    this.posts.length = 0;
    this.updates.length = 0;
    this.unexpected.length = 0;
    this.status = 200;
    this.refused.clear();
  }

  /** Makes every post and update to one conversation fail with `status`. */
  refuse(conversationId: string, status: number): void {
    this.refused.set(conversationId, status);
  }

  /** The activities posted for one conversation, in order. */
  activitiesOf(conversationId: string): Partial<Activity>[] {
    return this.posts.filter((post) => post.conversationId === conversationId).map((post) => post.activity);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const path = (request.url ?? '').split('?')[0] ?? '';
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    const given = (id: string) => this.given.get(id) === decodeURIComponent(match?.[1] ?? '');
    if (request.method === 'PUT' && match !== null && match[2] !== undefined && given(decodeURIComponent(match[2]))) {
      let activity: Partial<Activity>;
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>;
      } catch {
        return answer(400, { error: { code: 'BadArgument', message: 'body is not JSON' } });
      }
      const failure = this.refused.get(decodeURIComponent(match[1]!)) ?? this.status;
      if (failure !== 200) return answer(failure, { error: { code: 'ServiceError', message: 'stand-in told to fail' } });
      const activityId = decodeURIComponent(match[2]);
      this.updates.push({ conversationId: decodeURIComponent(match[1]!), activityId, activity });
      return answer(200, { id: activityId });
    }
    if (request.method !== 'POST' || match === null) {
      this.unexpected.push(`${request.method ?? '?'} ${request.url ?? ''}`);
      return answer(404, { error: { code: 'NotFound', message: 'not a path of this stand-in' } });
    }
    let activity: Partial<Activity>;
    try {
      activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>;
    } catch {
      return answer(400, { error: { code: 'BadArgument', message: 'body is not JSON' } });
    }
    this.posts.push({
      conversationId: decodeURIComponent(match[1]!),
      replyToId: match[2] === undefined ? null : decodeURIComponent(match[2]),
      authorization: request.headers.authorization,
      activity,
    });
    const failure = this.refused.get(decodeURIComponent(match[1]!)) ?? this.status;
    if (failure !== 200) return answer(failure, { error: { code: 'ServiceError', message: 'stand-in told to fail' } });
    this.sequence += 1;
    const id = `connector-activity-${this.sequence}`;
    this.given.set(id, decodeURIComponent(match[1]!));
    answer(200, { id });
  }
}
