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
  /** Replaced by `restartCase`; always read it through the turn. */
  case: CaseState;
  readonly l: Localizer;
  readonly replies: Reply[];
  say(...replies: Reply[]): void;
}

const TURN_KEY = Symbol('gallery-access.turn');

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
