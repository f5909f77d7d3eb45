import { ActivityHandler, ActivityTypes, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState, DialogTurnStatus, type Dialog } from 'botbuilder-dialogs';
import { rendererFor } from '../channels/renderers.js';
import { languageOf } from '../language/languages.js';
import { localizer, resolveLocale } from '../language/messages.js';
import { guessLanguage } from '../language/recognizer.js';
import type { Logger } from '../logger.js';
import { appendTranscript, type CaseState, newCase, snapshotOf } from './caseState.js';
import { channelRole } from './identity.js';
import { attachTurn, createTurn, type Turn, turnOf } from './turn.js';
import { readTurnInput } from './turnInput.js';

export interface GalleryBotOptions {
  conversationState: ConversationState;
  /** The root dialog; every conversation begins and continues there. */
  rootDialog: Dialog;
  defaultLocale: string;
  logger: Logger;
}

const LANGUAGE_LOCALES = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL' } as const;

/**
 * The activity handler: works out who is talking, in which language and about which
 * case, runs the dialogs, then renders their replies for the channel, each carrying
 * the diagnosis entity.
 */
export class GalleryBot extends ActivityHandler {
  private readonly caseState: StatePropertyAccessor<CaseState>;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;

  constructor(private readonly options: GalleryBotOptions) {
    super();
    this.caseState = options.conversationState.createProperty<CaseState>('case');
    this.dialogState = options.conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState).add(options.rootDialog);

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

  /** The locale to answer in: the channel's, else the case's, else a guess from the text, else the default. */
  private localeFor(context: TurnContext, current: CaseState | undefined, text: string): string {
    const fromChannel = context.activity.locale;
    if (languageOf(fromChannel) !== null) return resolveLocale(fromChannel, this.options.defaultLocale);
    if (current !== undefined) return current.locale;
    const guessed = guessLanguage(text);
    return guessed !== null ? LANGUAGE_LOCALES[guessed] : resolveLocale(undefined, this.options.defaultLocale);
  }

  private async converse(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const input = readTurnInput(activity);
    const dialogState = await this.dialogState.get(context, { dialogStack: [] });
    const stored = await this.caseState.get(context);
    const locale = this.localeFor(context, stored, input.text);
    // A finished case stays for the record of its last replies; the next message opens a new one.
    const current = stored !== undefined && dialogState.dialogStack.length > 0 ? stored : newCase(locale, stored);
    current.locale = locale;
    const role = channelRole(activity.channelId);
    if (role !== null) {
      current.role = role;
      current.roleSource = 'channel';
    }
    if (activity.type === ActivityTypes.Message) appendTranscript(current, 'user', input.text);

    const turn = createTurn({
      input,
      channelId: activity.channelId,
      conversationId: activity.conversation?.id ?? '',
      userId: activity.from?.id ?? '',
      case: current,
      l: localizer(locale),
    });
    attachTurn(context, turn);

    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.options.rootDialog.id);
    if (activity.type === ActivityTypes.Message && turn.replies.length === 0) {
      // The bot never goes silent: whatever got here unanswered gets the open question again.
      turn.say({ text: turn.l.t('input.unreadable') });
      if (dc.activeDialog !== undefined) await dc.repromptDialog();
    }
    await this.send(context, turn);
    this.options.logger.info('turn', {
      channel: activity.channelId,
      type: activity.type,
      role: turn.case.role,
      scenario: turn.case.scenario,
      awaiting: turn.case.awaiting,
      replies: turn.replies.length,
    });
  }

  private async send(context: TurnContext, turn: Turn): Promise<void> {
    for (const reply of turn.replies) appendTranscript(turn.case, 'bot', reply.text);
    await this.caseState.set(context, turn.case);
    if (turn.replies.length === 0) return;
    const activities = rendererFor(context.activity.channelId)(turn.replies, snapshotOf(turn.case));
    await context.sendActivities(activities);
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
      input: readTurnInput(context.activity),
      channelId: context.activity.channelId,
      conversationId: context.activity.conversation?.id ?? '',
      userId: context.activity.from?.id ?? '',
      case: newCase(locale),
      l: localizer(locale),
    });
  }
  const activities = rendererFor(context.activity.channelId)([{ text: turn.l.t('error.generic') }], snapshotOf(turn.case));
  await context.sendActivities(activities);
}
