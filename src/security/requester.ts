/**
 * Who a limit counts: the person, keyed by what the channel vouches for (never typed text,
 * never a code), and, on the bot's own Direct Line, the address the request came from.
 */
export interface Requester {
  person: string;
  /** The client address (src/web/clientAddress.ts), or null where a channel relays the turn. */
  address: string | null;
  /** A photographer account linked to the channel user: the platform knows who it is. */
  account: boolean;
}

/**
 * The key of one person: a linked photographer is their account, on Teams and Slack alike;
 * anybody else is the channel's user id on that channel (for the widget's Direct Line, the
 * user id its token was issued for).
 */
export function personKey(who: { channelId: string; userId: string; photographerId?: string | null }): string {
  return who.photographerId ? `photographer:${who.photographerId}` : `${who.channelId}:${who.userId}`;
}

/** The requester of a turn; `photographerId` only for a photographer whose account is linked. */
export function requesterOf(turn: { channelId: string; userId: string; clientAddress: string | null }, photographerId?: string | null): Requester {
  return {
    person: personKey({ channelId: turn.channelId, userId: turn.userId, photographerId: photographerId ?? null }),
    address: turn.clientAddress,
    account: typeof photographerId === 'string' && photographerId !== '',
  };
}

/** Whole minutes until `until` on the limiters' clock (Date.now), at least 1: what the person is told. */
export function minutesLeft(until: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
}
