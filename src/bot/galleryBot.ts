import { ActivityHandler, ActivityTypes, type ConversationState, type TurnContext } from 'botbuilder';
import { type Dialog, DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { rendererFor } from '../channels/renderers.js';
import { localizer, resolveLocale } from '../language/messages.js';
import type { Logger } from '../logger.js';
import type { PlatformPort } from '../platform/port.js';
import { newCase, snapshotOf } from './caseState.js';
import { CaseTurns } from './caseTurns.js';
import { createTurn, type Turn, turnOf } from './turn.js';
import { readTurnInput } from './turnInput.js';

export interface GalleryBotOptions {
  conversationState: ConversationState;
  platform: PlatformPort;
  /** The root dialog; every conversation begins and continues there. */
  rootDialog: Dialog;
  defaultLocale: string;
  logger: Logger;
}

/**
 * The activity handler: opens the turn (who, which language, which case), runs the
 * dialogs, and closes the turn by rendering their replies for the channel.
 */
export class GalleryBot extends ActivityHandler {
  private readonly turns: CaseTurns;
  private readonly dialogs: DialogSet;

  constructor(private readonly options: GalleryBotOptions) {
    super();
    this.turns = new CaseTurns(options.conversationState, options.platform, options.defaultLocale);
    this.dialogs = new DialogSet(this.turns.dialogState).add(options.rootDialog);

    this.onMessage(async (context, next) => {
      await this.converse(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = context.activity.membersAdded?.some((member) => member.id !== context.activity.recipient?.id);
      if (joined) await this.converse(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.options.conversationState.saveChanges(context, false);
  }

  private async converse(context: TurnContext): Promise<void> {
    const turn = await this.turns.open(context);
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.options.rootDialog.id);
    if (context.activity.type === ActivityTypes.Message && turn.replies.length === 0) {
      // The bot never goes silent: whatever got here unanswered gets the open question again.
      turn.say({ text: turn.l.t('input.unreadable') });
      if (dc.activeDialog !== undefined) await dc.repromptDialog();
    }
    await this.turns.close(context, turn);
    this.options.logger.info('turn', {
      channel: context.activity.channelId,
      type: context.activity.type,
      role: turn.case.role,
      scenario: turn.case.scenario,
      awaiting: turn.case.awaiting,
      replies: turn.replies.length,
    });
  }
}

/** The apology of a failed turn, rendered like any reply so it carries the diagnosis entity. */
export async function apologize(context: TurnContext, defaultLocale: string): Promise<void> {
  let turn: Turn;
  try {
    turn = turnOf(context);
  } catch {
    const locale = resolveLocale(context.activity.locale, defaultLocale);
    turn = createTurn({
      identity: { role: null },
      input: readTurnInput(context.activity),
      channelId: context.activity.channelId,
      conversationId: context.activity.conversation?.id ?? '',
      userId: context.activity.from?.id ?? '',
      case: newCase(locale),
      l: localizer(locale),
    });
  }
  await context.sendActivities(rendererFor(context.activity.channelId)([{ text: turn.l.t('error.generic') }], snapshotOf(turn.case)));
}
