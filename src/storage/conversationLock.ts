
/**
 * Turns of one conversation, one at a time. botbuilder saves state with eTag `*` (last
 * writer wins), so two turns of a conversation that overlap, on one instance or on two
 * behind a load balancer, would silently lose one of their updates; and a redelivered
 * activity is recognised only by a turn that sees the state its first delivery saved.
 * Holding this lock from reading the state to saving it gives both.
 */
export interface ConversationLock {
  run<T>(conversationId: string, turn: () => Promise<T>): Promise<T>;
}

/** One instance: a promise chain per conversation. */
export class InProcessLock implements ConversationLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(conversationId: string, turn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversationId) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(turn);
    this.tails.set(conversationId, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(conversationId) === current) this.tails.delete(conversationId);
    }
  }
}
