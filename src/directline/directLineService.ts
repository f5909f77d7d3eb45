import { randomBytes, randomUUID } from 'node:crypto';
import { type Activity, ActivityTypes } from 'botbuilder-core';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { type ActivitySet, type ConversationLog, type DirectLineConversation } from './conversationLog.js';
import { DIRECT_LINE_BOT, DIRECT_LINE_CHANNEL_ID, DIRECT_LINE_SERVICE_URL } from './directLineAdapter.js';
import { type DirectLineTokens, TOKEN_LIFETIME_SECONDS } from './tokens.js';

/**
 * Direct Line 3.0 as the bot serves it, apart from HTTP: conversations, their tokens, and
 * the way a posted activity becomes a turn of the bot. The endpoints (directLineEndpoints.ts)
 * and the WebSocket stream (directLineStream.ts) are thin layers over this.
 */

/** What `POST /tokens/generate`, `/tokens/refresh` and `/conversations` answer. */
export interface ConversationGrant {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl?: string;
}

/**
 * Runs one turn of the bot for an activity that came in over Direct Line; `clientAddress`
 * is where the request came from (src/web/clientAddress.ts), null for turns the server
 * starts itself.
 */
export type DirectLineTurn = (activity: Partial<Activity>, clientAddress: string | null) => Promise<void>;

/** A refusal the endpoints turn into an HTTP status with a Direct Line error body. */
export class DirectLineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const forbidden = () => new DirectLineError(403, 'TokenInvalid', 'The token is not valid for this conversation (forged, expired or another conversation).');

/** Azure Direct Line reserves `dl_` user ids for ids embedded in tokens: only the server picks them. */
function newUserId(): string {
  return `dl_${randomBytes(12).toString('base64url')}`;
}

function newConversationId(): string {
  return randomBytes(18).toString('base64url');
}

const locale = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).max(35);

/** What a client may post: the fields of an activity a user can send; everything else is the server's to set. */
const postedActivity = z.object({
  type: z.enum([ActivityTypes.Message, ActivityTypes.Event, ActivityTypes.Typing]),
  text: z.string().optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: locale.optional(),
  value: z.unknown().optional(),
  name: z.string().max(256).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.object({ type: z.string() }).loose()).max(20).optional(),
  attachments: z.array(z.object({ contentType: z.string(), contentUrl: z.string().optional(), content: z.unknown().optional(), name: z.string().optional() })).max(10).optional(),
  from: z.object({ name: z.string().max(128).optional() }).loose().optional(),
});

/** The optional body of `tokens/generate` and `POST /conversations`. */
const conversationStart = z
  .object({
    user: z.object({ id: z.string().max(128).optional(), name: z.string().max(128).optional() }).loose().optional(),
    locale: locale.optional(),
  })
  .loose();

export class DirectLineService {
  private readonly turns = new Set<Promise<void>>();

  constructor(
    private readonly log: ConversationLog,
    private readonly tokens: DirectLineTokens,
    private readonly turn: DirectLineTurn,
    private readonly logger: Logger,
  ) {}

  private grant(conversation: DirectLineConversation): ConversationGrant {
    return { conversationId: conversation.id, token: this.tokens.issue(conversation.id, conversation.userId), expires_in: TOKEN_LIFETIME_SECONDS };
  }

  /** A stream URL for `origin` (ws: or wss:), with a stream-only token in its query as browsers cannot set WebSocket headers. */
  private streamUrl(conversation: DirectLineConversation, origin: string, watermark: string | null): string {
    const url = new URL(`/v3/directline/conversations/${encodeURIComponent(conversation.id)}/stream`, origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (watermark !== null) url.searchParams.set('watermark', watermark);
    url.searchParams.set('t', this.tokens.issue(conversation.id, conversation.userId, 'stream'));
    return url.toString();
  }

  /** The secret as Bearer: the server side of a shop (or the widget's token endpoint) gets a conversation for one user. */
  async generate(bearer: string | null, body: unknown): Promise<ConversationGrant> {
    if (bearer === null || !this.tokens.isSecret(bearer)) throw new DirectLineError(403, 'SecretInvalid', 'tokens/generate needs the Direct Line secret as the Bearer.');
    return this.newConversation(body);
  }

  /** A new conversation, not yet started, for a user of the server's choosing (or a `dl_` id the caller gave). */
  async newConversation(body: unknown): Promise<ConversationGrant> {
    const start = conversationStart.safeParse(body ?? {});
    if (!start.success) throw new DirectLineError(400, 'BadArgument', 'The body is not a conversation start ({ user: { id }, locale }).');
    const requested = start.data.user?.id;
    const userId = requested !== undefined && /^dl_[A-Za-z0-9_-]{8,120}$/.test(requested) ? requested : newUserId();
    return this.grant(await this.log.create(newConversationId(), userId, start.data.locale ?? null));
  }

  async refresh(bearer: string | null): Promise<ConversationGrant> {
    return this.grant(await this.authorize(bearer, null));
  }

  /**
   * The conversation a Bearer may use: a token's own conversation, or with the secret any
   * conversation (`conversationId` null asks for the token's). Anything else is 403.
   */
  private async authorize(bearer: string | null, conversationId: string | null): Promise<DirectLineConversation> {
    if (bearer === null) throw new DirectLineError(401, 'TokenMissing', 'Send the Direct Line token as the Bearer.');
    if (conversationId !== null && this.tokens.isSecret(bearer)) {
      const conversation = await this.log.get(conversationId);
      if (conversation === null) throw new DirectLineError(404, 'NotFound', 'No such conversation.');
      return conversation;
    }
    const claims = this.tokens.verify(bearer);
    if (claims === null || (conversationId !== null && claims.conversationId !== conversationId)) throw forbidden();
    const conversation = await this.log.get(claims.conversationId);
    if (conversation === null) throw new DirectLineError(404, 'NotFound', 'No such conversation.');
    if (conversation.userId !== claims.userId) throw forbidden();
    return conversation;
  }

  /** `POST /conversations`: starts the token's conversation (or, with the secret, a new one). */
  async start(bearer: string | null, body: unknown, origin: string): Promise<ConversationGrant> {
    let conversation: DirectLineConversation;
    if (bearer !== null && this.tokens.isSecret(bearer)) {
      const grant = await this.newConversation(body);
      conversation = (await this.log.get(grant.conversationId)) as DirectLineConversation;
    } else {
      conversation = await this.authorize(bearer, null);
    }
    const start = conversationStart.safeParse(body ?? {});
    await this.ensureStarted(conversation, start.success ? (start.data.locale ?? null) : null);
    return { ...this.grant(conversation), streamUrl: this.streamUrl(conversation, origin, null) };
  }

  /** `GET /conversations/{id}`: resume, and every WebSocket reconnect; a fresh token and stream URL. */
  async resume(bearer: string | null, conversationId: string, watermark: string | null, origin: string): Promise<ConversationGrant> {
    const conversation = await this.authorize(bearer, conversationId);
    return { ...this.grant(conversation), streamUrl: this.streamUrl(conversation, origin, parseWatermark(watermark) === null ? null : watermark) };
  }

  async activities(bearer: string | null, conversationId: string, watermark: string | null): Promise<ActivitySet> {
    const conversation = await this.authorize(bearer, conversationId);
    return this.log.after(conversation.id, parseWatermark(watermark));
  }

  /** The conversation a stream token opens, or null. */
  async streamConversation(token: string | null, conversationId: string): Promise<DirectLineConversation | null> {
    const claims = token === null ? null : this.tokens.verify(token, 'stream');
    if (claims === null || claims.conversationId !== conversationId) return null;
    const conversation = await this.log.get(conversationId);
    return conversation !== null && conversation.userId === claims.userId ? conversation : null;
  }

  /** What the stream sends: the backlog after `watermark`, then each activity as it is appended (on any instance). */
  follow(conversationId: string, watermark: string | null, send: (set: ActivitySet) => void): () => void {
    return this.log.follow(conversationId, parseWatermark(watermark), send);
  }

  /**
   * `POST /conversations/{id}/activities`: the activity goes into the log as the user's
   * (the id, the user, the time and the channel are the server's), then to the bot. The
   * answer does not wait for the turn: the bot's replies arrive over the stream.
   */
  async post(bearer: string | null, conversationId: string, body: unknown, clientAddress: string | null = null): Promise<{ id: string }> {
    const conversation = await this.authorize(bearer, conversationId);
    const parsed = postedActivity.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DirectLineError(400, 'BadArgument', `Not an activity a user can send: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    const { from, ...fields } = parsed.data;
    // A user typing is nothing the bot acts on and nothing worth keeping.
    if (fields.type === ActivityTypes.Typing) return { id: '' };
    await this.ensureStarted(conversation, fields.locale ?? null);
    const appended = await this.log.appendAll(conversation.id, [
      {
        ...fields,
        channelId: DIRECT_LINE_CHANNEL_ID,
        conversation: { id: conversation.id } as Activity['conversation'],
        from: { id: conversation.userId, ...(from?.name === undefined ? {} : { name: from.name }), role: 'user' } as Activity['from'],
        recipient: { ...DIRECT_LINE_BOT },
      },
    ]);
    const { entry: stored, seq } = appended[0]!;
    this.run({ ...stored, serviceUrl: DIRECT_LINE_SERVICE_URL }, clientAddress, () => this.log.markHandled(conversation.id, seq));
    return { id: stored.id ?? '' };
  }

  /** The first time a conversation is used, the bot is told the user joined, so it greets them. */
  private async ensureStarted(conversation: DirectLineConversation, locale: string | null): Promise<void> {
    if (conversation.started || !(await this.log.start(conversation.id))) return;
    const greetingLocale = locale ?? conversation.locale;
    this.run({
      type: ActivityTypes.ConversationUpdate,
      id: randomUUID(),
      channelId: DIRECT_LINE_CHANNEL_ID,
      serviceUrl: DIRECT_LINE_SERVICE_URL,
      timestamp: new Date(),
      conversation: { id: conversation.id } as Activity['conversation'],
      from: { id: conversation.userId, role: 'user' } as Activity['from'],
      recipient: { ...DIRECT_LINE_BOT },
      membersAdded: [{ ...DIRECT_LINE_BOT }, { id: conversation.userId, role: 'user' }] as Activity['membersAdded'],
      ...(greetingLocale === null ? {} : { locale: greetingLocale }),
    });
  }

  /**
   * Turns run in the background; `close` waits for them. `handled` runs once the turn has
   * ended (answered, or failed and apologised for) — not when the process dies during it.
   */
  private run(activity: Partial<Activity>, clientAddress: string | null = null, handled?: () => unknown): void {
    const turn: Promise<void> = this.turn(activity, clientAddress)
      .catch((error: unknown) => this.logger.error('direct line turn failed', { error, type: activity.type }))
      .then(async () => {
        await handled?.();
      })
      .catch((error: unknown) => this.logger.error('direct line turn could not be marked handled', { error }))
      .finally(() => this.turns.delete(turn));
    this.turns.add(turn);
  }

  /**
   * At start (and with several instances, now and then): what customers wrote while a
   * process died mid-turn is run again, in order (the bot recognises an activity whose turn
   * did end, by its id, and does not act twice).
   */
  async resumeUnhandled(): Promise<number> {
    const pending = await this.log.claimUnhandled();
    for (const { conversationId, seq, entry } of pending) {
      this.run({ ...entry, serviceUrl: DIRECT_LINE_SERVICE_URL }, null, () => this.log.markHandled(conversationId, seq));
    }
    if (pending.length > 0) this.logger.info('direct line turns resumed', { count: pending.length });
    return pending.length;
  }

  /** Turns still running. */
  inFlight(): number {
    return this.turns.size;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.turns]);
  }
}

/** A watermark is the number of the last activity seen; anything else means "from the start". */
export function parseWatermark(watermark: string | null | undefined): number | null {
  return typeof watermark === 'string' && /^\d{1,15}$/.test(watermark) ? Number(watermark) : null;
}
