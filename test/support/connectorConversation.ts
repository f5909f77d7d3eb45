import type { Activity } from 'botbuilder';
import { expect } from 'vitest';
import { postActivity } from './botServer.js';
import type { ConnectorStandIn } from './connectorStandIn.js';

/** Who talks, on which channel and in which language. */
export interface ConversationFields {
  channelId: string;
  locale: string;
  from: Record<string, string>;
  channelData?: unknown;
}

let counter = 0;

/**
 * One conversation over /api/messages delivered the normal way: the bot answers 200 with no
 * body and posts its replies to the connector stand-in; `send` returns what was posted for
 * this conversation during the turn. A turn goes to `botUrl` unless it names another
 * instance (several bots behind one load balancer).
 */
export class ConnectorConversation {
  readonly conversationId: string;
  private sent = 0;

  constructor(
    private readonly connector: ConnectorStandIn,
    private readonly botUrl: string,
    private readonly fields: ConversationFields,
  ) {
    counter += 1;
    this.conversationId = `${fields.channelId}-conversation-${process.pid}-${counter}`;
  }

  /** Everything the connector received for this conversation, in order. */
  received(): Partial<Activity>[] {
    return this.connector.activitiesOf(this.conversationId);
  }

  async send(fields: Partial<Activity>, botUrl = this.botUrl): Promise<Partial<Activity>[]> {
    const before = this.received().length;
    this.sent += 1;
    const response = await postActivity(botUrl, {
      type: 'message',
      id: `${this.conversationId}-${this.sent}`,
      channelId: this.fields.channelId,
      serviceUrl: this.connector.serviceUrl,
      conversation: { id: this.conversationId } as Activity['conversation'],
      from: this.fields.from as unknown as Activity['from'],
      recipient: { id: 'bot', name: 'Gallery Access Assistant' } as Activity['recipient'],
      locale: this.fields.locale,
      timestamp: new Date(),
      ...(this.fields.channelData === undefined ? {} : { channelData: this.fields.channelData }),
      ...fields,
    });
    expect(response.status, await response.text()).toBe(200);
    return this.received().slice(before);
  }

  say(text: string): Promise<Partial<Activity>[]> {
    return this.send({ text });
  }
}
