import type { TurnContext } from 'botbuilder';
import type { Turn } from './turn.js';

/**
 * Steps other parts of the product add to every turn, in the order given, without a second
 * path around the dialogs (handoff routing, transcript logging). A module of its own, so the
 * parts that add them (src/handoff, src/proactive) need not import the bot that runs them.
 */
export interface TurnHooks {
  /**
   * After the case is opened, before the dialogs. Returning true says the turn is handled
   * (say, relayed to the agent of an open handoff): the dialogs do not run, the turn's
   * replies (if any) are still delivered and the state saved.
   */
  beforeDialogs?(context: TurnContext, turn: Turn): Promise<boolean | void>;
  /** After the replies are delivered, before the state is saved once for the turn. */
  afterTurn?(context: TurnContext, turn: Turn): Promise<void>;
}
