import { createRequire } from 'node:module';
import type { Activity } from 'botbuilder';
import { WebSocket } from 'ws';
import { DIAGNOSIS_ENTITY_TYPE, type DiagnosisEntity } from '../../src/channels/diagnosisEntity.js';

/**
 * The official Direct Line client, botframework-directlinejs, in Node: it needs an
 * XMLHttpRequest (xhr2) and, for WebSocket streaming, a WebSocket class both as its
 * option and as the global it checks for.
 */
const require = createRequire(import.meta.url);
const globals = globalThis as unknown as { XMLHttpRequest?: unknown; WebSocket?: unknown };
globals.XMLHttpRequest ??= require('xhr2');
globals.WebSocket ??= WebSocket;

interface DirectLineJs {
  DirectLine: new (options: Record<string, unknown>) => DirectLineClient;
  ConnectionStatus: Record<string, number>;
}

export interface DirectLineClient {
  activity$: { subscribe(next: (activity: Partial<Activity>) => void, error?: (error: unknown) => void): { unsubscribe(): void } };
  connectionStatus$: { subscribe(next: (status: number) => void): { unsubscribe(): void } };
  postActivity(activity: Partial<Activity>): { subscribe(next: (id: string) => void, error?: (error: unknown) => void): { unsubscribe(): void } };
  end(): void;
  conversationId?: string;
  token?: string;
  watermark?: string;
}

const directLineJs = require('botframework-directlinejs') as DirectLineJs;
export const ConnectionStatus = directLineJs.ConnectionStatus;

export interface ClientOptions {
  domain: string;
  token: string;
  conversationId?: string;
  webSocket: boolean;
  locale?: string;
}

/**
 * One customer at the keyboard: the client plus everything it received, so a test can
 * wait for the bot's next message and read its diagnosis entity.
 */
export class DirectLineCustomer {
  readonly client: DirectLineClient;
  readonly received: Partial<Activity>[] = [];
  private readonly subscription: { unsubscribe(): void };
  private readonly userId: string;

  constructor(options: ClientOptions) {
    this.client = new directLineJs.DirectLine({
      domain: options.domain,
      token: options.token,
      webSocket: options.webSocket,
      WebSocket,
      pollingInterval: 200,
      ...(options.conversationId === undefined ? {} : { conversationId: options.conversationId }),
      ...(options.locale === undefined ? {} : { conversationStartProperties: { locale: options.locale } }),
    });
    this.userId = JSON.parse(Buffer.from(options.token.split('.')[1] ?? '', 'base64url').toString('utf8')).user as string;
    this.subscription = this.client.activity$.subscribe((activity) => this.received.push(activity));
  }

  /** Messages of the bot (not typing), in order. */
  botMessages(): Partial<Activity>[] {
    return this.received.filter((activity) => activity.from?.role === 'bot' && activity.type === 'message');
  }

  /** Waits until the bot has sent `count` messages in all, and returns them. */
  async waitForBotMessages(count: number, timeoutMs = 15_000): Promise<Partial<Activity>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.botMessages().length < count) {
      if (Date.now() > deadline) throw new Error(`waited for ${count} bot messages, got ${this.botMessages().length}: ${JSON.stringify(this.botMessages().map((a) => a.text))}`);
      await new Promise((tick) => setTimeout(tick, 20));
    }
    return this.botMessages();
  }

  /** Sends a message as Web Chat does (with a client activity id) and resolves with the id the server gave it. */
  say(text: string, locale = 'en-US', value?: unknown): Promise<string> {
    return new Promise((resolve, reject) => {
      this.client
        .postActivity({
          type: 'message',
          text,
          locale,
          from: { id: this.userId, name: 'Parent' } as Activity['from'],
          channelData: { clientActivityID: `client-${Date.now()}-${Math.random()}` },
          ...(value === undefined ? {} : { value }),
        })
        .subscribe(resolve, reject);
    });
  }

  /** Waits for the first bot message after the `after`-th whose diagnosis entity awaits `slot` (null: awaits nothing). */
  async waitForSlot(slot: string | null, after = 0, timeoutMs = 15_000): Promise<Partial<Activity>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const messages = this.botMessages().slice(after);
      const index = messages.findIndex((activity) => entityOf(activity).awaiting === slot);
      if (index >= 0) return messages.slice(0, index + 1);
      if (Date.now() > deadline) throw new Error(`waited for a message awaiting ${slot}, got ${JSON.stringify(messages.map((a) => [a.text, entityOf(a).awaiting]))}`);
      await new Promise((tick) => setTimeout(tick, 20));
    }
  }

  /** Says `text` and returns the bot's messages up to the one that awaits `slot`. */
  async answer(text: string, slot: string | null, locale = 'en-US'): Promise<Partial<Activity>[]> {
    const before = this.botMessages().length;
    await this.say(text, locale);
    return this.waitForSlot(slot, before);
  }

  end(): void {
    this.subscription.unsubscribe();
    this.client.end();
  }
}

export function entityOf(activity: Partial<Activity> | undefined): DiagnosisEntity {
  const entity = activity?.entities?.find((candidate) => candidate.type === DIAGNOSIS_ENTITY_TYPE);
  if (entity === undefined) throw new Error(`no diagnosis entity on ${JSON.stringify(activity)}`);
  return entity as DiagnosisEntity;
}

/** A token for a new conversation from the bot's tokens/generate, with the secret as the Bearer. */
export async function generateToken(url: string, secret: string, body?: unknown): Promise<{ conversationId: string; token: string; expires_in: number }> {
  const response = await fetch(`${url}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status !== 200) throw new Error(`tokens/generate answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { conversationId: string; token: string; expires_in: number };
}
