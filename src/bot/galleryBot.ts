import { ActivityHandler, type BotState, type InvokeResponse, type TurnContext } from 'botbuilder-core';
import { type Dialog, DialogSet, type DialogStateManagerConfiguration, DialogTurnStatus } from './dialogKit.js';
import type { ReplyDelivery } from '../channels/delivery.js';
import { rendererFor } from '../channels/renderers.js';
import { adaptiveCardMessageResponse } from '../channels/teamsRenderer.js';
import { localizer, resolveLocale } from '../language/messages.js';
import type { Recognizer } from '../language/recognizer.js';
import type { Logger } from '../logger.js';
import { HANDOFF_STATUS } from '../handoff/openHandoff.js';
import type { PlatformPort } from '../platform/port.js';
import { type ConversationLock, InProcessLock } from '../storage/conversationLock.js';
import { newCase, snapshotOf } from './caseState.js';
import { CaseTurns } from './caseTurns.js';
import { channelRole } from './identity.js';
import { clientAddressOf, createTurn, type Turn, turnOf } from './turn.js';
import { CARD_ACTION_INVOKE, isUserInput, readTurnInput } from './turnInput.js';
import type { TurnHooks } from './turnHooks.js';

/**
 * Where botbuilder's DialogStateManager looks, in turn state, for its memory scopes and path
 * resolvers before building them anew (a dependency-injection container per turn).
 */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/** Set on a turn whose failure made the bot drop the case. */
const CASE_DROPPED = Symbol('gallery-access.case-dropped');

export interface GalleryBotOptions {
  /**
   * Where cases live: one per person in a conversation (PrivateConversationState), so
   * two photographers in one Slack channel never share, or act on, each other's case.
   */
  state: BotState;
  platform: PlatformPort;
  delivery: ReplyDelivery;
  /** The root dialog; every conversation begins and continues there. */
  rootDialog: Dialog;
  /** The recognizer the dialogs were given: the turn reads the person's language with it too. */
  recognizer: Recognizer;
  defaultLocale: string;
  logger: Logger;
  hooks?: readonly TurnHooks[];
  /**
   * Holds a conversation from reading its state to saving it: in this process by default;
   * a blob lease when several instances share the state.
   */
  lock?: ConversationLock;
}

/**
 * The one turn pipeline, for /api/messages, the bot's own Direct Line and the dialog tests
 * alike (they all call `run`): turns of a conversation one at a time; a redelivered activity
 * ignored; the case opened (state loaded once, identity from the channel, language); the
 * `beforeDialogs` hooks; the dialogs; the replies rendered for the channel and delivered;
 * the `afterTurn` hooks; the state saved once. Authentication happens before, in the adapter.
 */
export class GalleryBot extends ActivityHandler {
  private readonly turns: CaseTurns;
  private readonly dialogs: DialogSet;
  private readonly lock: ConversationLock;
  /** Failed turns in a row, per person in a conversation (each has their own case). */
  private readonly failures = new Map<string, number>();
  /** The dialogs' memory scopes and path resolvers: the same for every turn, so built by the first one and kept. */
  private dialogStateConfiguration: DialogStateManagerConfiguration | undefined;

  constructor(private readonly options: GalleryBotOptions) {
    super();
    this.lock = options.lock ?? new InProcessLock();
    this.turns = new CaseTurns(options.state, options.platform, options.recognizer, options.defaultLocale, options.delivery, options.logger);
    this.dialogs = new DialogSet(this.turns.dialogState).add(options.rootDialog);

    this.onMessage(async (context, next) => {
      await this.converse(context);
      await next();
    });
    // The agent hub's answers to a handoff (accepted, failed, completed) are told to the person.
    this.onEvent(async (context, next) => {
      if (context.activity.name === HANDOFF_STATUS) await this.converse(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = context.activity.membersAdded?.some((member) => member.id !== context.activity.recipient?.id);
      if (joined) await this.converse(context);
      await next();
    });
  }

  /**
   * Turns of one conversation run one after another: a double click sends two
   * activities at once, and both must not read the same state and act twice.
   */
  override async run(context: TurnContext): Promise<void> {
    const conversation = `${context.activity.channelId ?? ''}/${context.activity.conversation?.id ?? ''}`;
    const person = `${conversation}/${context.activity.from?.id ?? ''}`;
    await this.lock.run(conversation, () => this.runGuarded(person, context));
  }

  /**
   * A turn that fails keeps the state it started from, so the person can simply try
   * again. A second failure in a row means the state itself is the problem: the case
   * is dropped, so the conversation can go on with a new one instead of failing forever.
   */
  private async runGuarded(key: string, context: TurnContext): Promise<void> {
    try {
      await super.run(context);
      // Saved once, without botbuilder's change check (two more serialisations of the whole
      // state): a turn that read the state has changed it (the activity id at least). A turn
      // that never read it (an event the bot ignores) has nothing to save.
      if (this.options.state.get(context) !== undefined) await this.options.state.saveChanges(context, true);
      this.failures.delete(key);
    } catch (error) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      if (failures >= 2) {
        this.failures.delete(key);
        await this.options.state.delete(context);
        context.turnState.set(CASE_DROPPED, true);
        this.options.logger.warn('case dropped after repeated failures', { channel: context.activity.channelId });
      }
      throw error;
    }
  }

  /** Teams Universal Actions (`Action.Execute`) are card submits that arrive as an invoke. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== CARD_ACTION_INVOKE) return super.onInvokeActivity(context);
    const turn = await this.converse(context);
    return { status: 200, body: adaptiveCardMessageResponse(turn?.replies.at(-1)?.text ?? '') };
  }

  private async handledBeforeDialogs(context: TurnContext, turn: Turn): Promise<boolean> {
    for (const hooks of this.options.hooks ?? []) if ((await hooks.beforeDialogs?.(context, turn)) === true) return true;
    return false;
  }

  private async runDialogs(context: TurnContext, turn: Turn): Promise<void> {
    if (this.dialogStateConfiguration !== undefined) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.dialogStateConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.dialogStateConfiguration ??= dc.state.configuration;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.options.rootDialog.id);
    if (isUserInput(context.activity) && turn.replies.length === 0) {
      // The bot never goes silent: whatever got here unanswered gets the open question again.
      turn.say({ text: turn.l.t('input.unreadable') });
      if (dc.activeDialog !== undefined) await dc.repromptDialog();
    }
  }

  private async converse(context: TurnContext): Promise<Turn | null> {
    if (await this.turns.isRedelivery(context)) {
      this.options.logger.info('redelivered activity ignored', { channel: context.activity.channelId, type: context.activity.type });
      return null;
    }
    const turn = await this.turns.open(context);
    if (!(await this.handledBeforeDialogs(context, turn))) await this.runDialogs(context, turn);
    await this.turns.close(context, turn);
    for (const hooks of this.options.hooks ?? []) await hooks.afterTurn?.(context, turn);
    this.options.logger.info('turn', {
      channel: context.activity.channelId,
      type: context.activity.type,
      role: turn.case.role,
      scenario: turn.case.scenario,
      awaiting: turn.case.awaiting,
      replies: turn.replies.length,
    });
    return turn;
  }
}

/**
 * The apology of a failed turn, rendered like any reply so it carries the diagnosis entity.
 * `storage`: the conversation could not be saved, and saying "try again" would not be true.
 */
export async function apologize(context: TurnContext, defaultLocale: string, because: 'storage' | null = null): Promise<void> {
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
      clientAddress: clientAddressOf(context),
      case: { ...newCase(locale), role: channelRole(context.activity.channelId) },
      l: localizer(locale, () => turn.case.role),
    });
  }
  const dropped = context.turnState.get(CASE_DROPPED) === true;
  const snapshot = dropped ? { ...snapshotOf(turn.case), awaiting: null } : snapshotOf(turn.case);
  const key = because === 'storage' ? 'error.storageUnavailable' : dropped ? 'error.caseDropped' : 'error.generic';
  await context.sendActivities(rendererFor(context.activity.channelId)([{ text: turn.l.t(key) }], snapshot));
}
