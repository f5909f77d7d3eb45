import { type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { createDelivery, type ReplyDelivery } from '../channels/delivery.js';
import { silentLogger } from '../logger.js';
import { languageOf } from '../language/languages.js';
import { localizer, resolveLocale } from '../language/messages.js';
import { recognizeIntent } from '../language/intents.js';
import { guessLanguage } from '../language/recognizer.js';
import { writtenLanguage } from '../language/writtenLanguage.js';
import { appendTranscript, type CaseState, newCase, snapshotOf } from './caseState.js';
import type { PlatformPort } from '../platform/port.js';
import { type Identity, identify, linkedPhotographer } from './identity.js';
import { attachTurn, createTurn, type Turn } from './turn.js';
import { isUserInput, readTurnInput } from './turnInput.js';

/** Activity ids remembered per conversation to recognise redeliveries. */
const RECENT_ACTIVITIES = 50;

const LANGUAGE_LOCALES = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL' } as const;

/**
 * Opens and closes the typed turn around the dialogs: before, it works out the case,
 * the language and the role from the channel; after, it renders the dialogs' replies
 * for the channel, each with the diagnosis entity, and keeps the case in state.
 */
export class CaseTurns {
  readonly caseState: StatePropertyAccessor<CaseState>;
  readonly dialogState: StatePropertyAccessor<DialogState>;

  private readonly recentActivities: StatePropertyAccessor<string[]>;

  constructor(
    state: BotState,
    private readonly platform: PlatformPort,
    private readonly defaultLocale: string,
    private readonly delivery: ReplyDelivery = createDelivery({ logger: silentLogger }),
  ) {
    this.caseState = state.createProperty<CaseState>('case');
    // The name botbuilder's own DialogTestClient uses, so the same state serves both.
    this.dialogState = state.createProperty<DialogState>('DialogState');
    this.recentActivities = state.createProperty<string[]>('recentActivities');
  }

  /**
   * A channel redelivers an activity it thinks was lost (same id): it was handled
   * already, and handling it again could apply a change twice.
   */
  async isRedelivery(context: TurnContext): Promise<boolean> {
    const id = context.activity.id;
    if (typeof id !== 'string' || id === '') return false;
    const recent = await this.recentActivities.get(context, []);
    if (recent.includes(id)) return true;
    await this.recentActivities.set(context, [...recent, id].slice(-RECENT_ACTIVITIES));
    return false;
  }

  /**
   * The locale to answer in: the language the person clearly writes in (this message, or an
   * earlier one of the conversation), else the channel's, else the case's, else the
   * photographer account's, else a guess from the text, else the default.
   */
  private localeFor(context: TurnContext, current: CaseState | undefined, identity: Identity, text: string): { locale: string; from: CaseState['localeFrom'] } {
    const fromChannel = context.activity.locale;
    const written = isUserInput(context.activity) ? writtenLanguage(text, recognizeIntent(text).languages) : null;
    if (written !== null) {
      // The same language keeps its regional form (en-GB stays en-GB); another one takes the channel's if it is that language.
      if (current !== undefined && languageOf(current.locale) === written) return { locale: current.locale, from: 'text' };
      if (languageOf(fromChannel) === written) return { locale: resolveLocale(fromChannel, this.defaultLocale), from: 'text' };
      return { locale: LANGUAGE_LOCALES[written], from: 'text' };
    }
    if (current?.localeFrom === 'text') return { locale: current.locale, from: 'text' };
    return { locale: this.channelLocale(context, current, identity, text), from: 'channel' };
  }

  private channelLocale(context: TurnContext, current: CaseState | undefined, identity: Identity, text: string): string {
    const fromChannel = context.activity.locale;
    if (languageOf(fromChannel) !== null) return resolveLocale(fromChannel, this.defaultLocale);
    if (current !== undefined) return current.locale;
    const account = linkedPhotographer(identity)?.locale;
    if (languageOf(account) !== null) return resolveLocale(account, this.defaultLocale);
    const guessed = guessLanguage(text);
    return guessed !== null ? LANGUAGE_LOCALES[guessed] : resolveLocale(undefined, this.defaultLocale);
  }

  async open(context: TurnContext): Promise<Turn> {
    const activity = context.activity;
    const input = readTurnInput(activity);
    const dialogState = await this.dialogState.get(context, { dialogStack: [] });
    const stored = await this.caseState.get(context);
    // Identity is worked out again on every turn: an account unlinked a minute ago has no data access now.
    const identity = await identify(activity, this.platform);
    const { locale, from } = this.localeFor(context, stored, identity, input.text);
    // A finished case stays for the record of its last replies; the next message opens a new one.
    // A case kept by an older release gets today's fields with their defaults.
    const current = stored !== undefined && dialogState.dialogStack.length > 0 ? { ...newCase(locale), ...stored } : newCase(locale, stored);
    current.locale = locale;
    current.localeFrom = from;
    if (identity.role !== null) {
      current.role = identity.role;
      if (identity.role === 'photographer') current.photographerId = linkedPhotographer(identity)?.id ?? null;
    }
    if (isUserInput(activity)) appendTranscript(current, 'user', input.text);
    const turn = createTurn({
      identity,
      input,
      channelId: activity.channelId,
      conversationId: activity.conversation?.id ?? '',
      userId: activity.from?.id ?? '',
      case: current,
      // Read on every sentence: the role can become known during this turn.
      l: localizer(locale, () => turn.case.role),
    });
    attachTurn(context, turn);
    return turn;
  }

  async close(context: TurnContext, turn: Turn): Promise<void> {
    for (const reply of turn.replies) appendTranscript(turn.case, 'bot', reply.text);
    // Once the bot has spoken, a greeting later in the conversation would be odd.
    if (turn.replies.length > 0) turn.case.greeted = true;
    await this.caseState.set(context, turn.case);
    if (turn.replies.length === 0) return;
    await this.delivery.deliver(context, turn.replies, snapshotOf(turn.case));
  }
}
