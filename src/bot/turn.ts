import type { TurnContext } from 'botbuilder';
import type { Reply } from '../channels/replyModel.js';
import type { Localizer } from '../language/messages.js';
import type { CaseState } from './caseState.js';
import type { Identity } from './identity.js';
import type { TurnInput } from './turnInput.js';

/**
 * The typed state of one turn, shared by the bot and the dialogs: what was said, the
 * case it belongs to, the language to answer in, and the replies to send. Dialogs add
 * replies here instead of sending activities, so the channel renderer sees the whole
 * turn and every reply carries the case as it stands at the end of the turn.
 */
export interface Turn {
  /** Who is talking, as the channel vouches for it (never from typed text). */
  readonly identity: Identity;
  readonly input: TurnInput;
  readonly channelId: string;
  readonly conversationId: string;
  /** The channel's user id (Teams aadObjectId, Slack user id, Web Chat user id). */
  readonly userId: string;
  /**
   * Where the request came from (as src/web/clientAddress.ts reads it), on the
   * bot's own Direct Line only: there anybody can get a new user id by opening a new chat,
   * so limits also count per address. Null where a channel relays the turn (its address
   * is the channel's, not the person's).
   */
  readonly clientAddress: string | null;
  /** Replaced by `restartCase`; always read it through the turn. */
  case: CaseState;
  readonly l: Localizer;
  readonly replies: Reply[];
  say(...replies: Reply[]): void;
}

const TURN_KEY = Symbol('gallery-access.turn');
const CLIENT_ADDRESS_KEY = Symbol('gallery-access.client-address');

/** Set by the adapter that took the request from the person directly (the bot's own Direct Line). */
export function attachClientAddress(context: TurnContext, address: string | null): void {
  if (address !== null) context.turnState.set(CLIENT_ADDRESS_KEY, address);
}

export function clientAddressOf(context: TurnContext): string | null {
  const address: unknown = context.turnState.get(CLIENT_ADDRESS_KEY);
  return typeof address === 'string' ? address : null;
}

export function attachTurn(context: TurnContext, turn: Turn): void {
  context.turnState.set(TURN_KEY, turn);
}

export function turnOf(context: TurnContext): Turn {
  const turn = context.turnState.get(TURN_KEY) as Turn | undefined;
  if (turn === undefined) throw new Error('No turn attached: dialogs run inside GalleryBot.onTurn only');
  return turn;
}

export function createTurn(fields: Omit<Turn, 'replies' | 'say'>): Turn {
  const replies: Reply[] = [];
  return {
    ...fields,
    replies,
    say: (...more) => {
      replies.push(...more);
    },
  };
}
