import { type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder-core';
import type { DialogState } from './dialogKit.js';
import { z } from 'zod';
import { createDelivery, type ReplyDelivery } from '../channels/delivery.js';
import { type Logger, silentLogger } from '../logger.js';
import { languageOf } from '../language/languages.js';
import { localizer, resolveLocale } from '../language/messages.js';
import type { Recognizer } from '../language/recognizer.js';
import { appendTranscript, type CaseState, newCase, snapshotOf } from './caseState.js';
import { caseStateSchema } from './caseStateSchema.js';
import type { PlatformPort } from '../platform/port.js';
import { type Identity, identify, linkedPhotographer } from './identity.js';
import { attachTurn, clientAddressOf, createTurn, type Turn } from './turn.js';
import { isUserInput, readTurnInput } from './turnInput.js';

/** Activity ids remembered per conversation to recognise redeliveries. */
const RECENT_ACTIVITIES = 50;

const LANGUAGE_LOCALES = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL' } as const;

/** The outline of botbuilder's dialog state that continuing a dialog relies on. */
const dialogStateSchema = z.object({ dialogStack: z.array(z.object({ id: z.string().min(1), state: z.unknown() }).loose()) }).loose();
const recentActivitiesSchema = z.array(z.string());

/** What was read from storage for one person in one conversation, checked. */
interface StoredCase {
  /** The stored case, with the fields of today's release it lacked; undefined when there is none (or it was unusable). */
  stored: CaseState | undefined;
  dialogState: DialogState;
  /** The stored state did not fit its schema and was set aside: the person starts afresh. */
  reset: boolean;
}

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
    /** Tells the language the person writes in. */
    private readonly recognizer: Recognizer,
    private readonly defaultLocale: string,
    private readonly delivery: ReplyDelivery = createDelivery({ logger: silentLogger }),
    private readonly logger: Logger = silentLogger,
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
    const kept: unknown = await this.recentActivities.get(context, []);
    // Unreadable ids (a damaged record) only mean a redelivery may go unnoticed once.
    const recent = recentActivitiesSchema.safeParse(kept).data ?? [];
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
    // A conversation that follows the language written in keeps it when a message tells none;
    // else the channel's locale answers.
    const otherwise: { locale: string; from: CaseState['localeFrom'] } =
      current?.localeFrom === 'text' ? { locale: current.locale, from: 'text' } : { locale: this.channelLocale(context, current, identity, text), from: 'channel' };
    // A message that can only be in the language it would be answered in anyway needs no
    // detector to say so (the detector is the dearest part of a first turn).
    const written = isUserInput(context.activity) ? this.recognizer.writtenLanguage(text, languageOf(otherwise.locale)) : null;
    if (written !== null) {
      // The same language keeps its regional form (en-GB stays en-GB); another one takes the channel's if it is that language.
      if (current !== undefined && languageOf(current.locale) === written) return { locale: current.locale, from: 'text' };
      if (languageOf(fromChannel) === written) return { locale: resolveLocale(fromChannel, this.defaultLocale), from: 'text' };
      if (languageOf(otherwise.locale) === written) return { locale: otherwise.locale, from: 'text' };
      return { locale: LANGUAGE_LOCALES[written], from: 'text' };
    }
    return otherwise;
  }

  private channelLocale(context: TurnContext, current: CaseState | undefined, identity: Identity, text: string): string {
    const fromChannel = context.activity.locale;
    if (languageOf(fromChannel) !== null) return resolveLocale(fromChannel, this.defaultLocale);
    if (current !== undefined) return current.locale;
    const account = linkedPhotographer(identity)?.locale;
    if (languageOf(account) !== null) return resolveLocale(account, this.defaultLocale);
    const guessed = this.recognizer.likelyLanguage(text);
    return guessed !== null ? LANGUAGE_LOCALES[guessed] : resolveLocale(undefined, this.defaultLocale);
  }

  /**
   * The stored case and dialog stack, checked against their schemas: state is data from
   * outside this turn (another release, a damaged file, a bug elsewhere), and a case that
   * does not fit is set aside, logged (which fields, never their content) and started
   * afresh instead of failing every turn of the person.
   */
  private async readStored(context: TurnContext): Promise<StoredCase> {
    const rawDialogs: unknown = await this.dialogState.get(context, { dialogStack: [] });
    const rawCase: unknown = await this.caseState.get(context);
    const dialogs = dialogStateSchema.safeParse(rawDialogs);
    // A case kept by an older release gets today's fields with their defaults.
    const upgraded = rawCase !== null && typeof rawCase === 'object' && !Array.isArray(rawCase) ? { ...newCase(this.defaultLocale), ...rawCase } : rawCase;
    const stored = rawCase === undefined ? null : caseStateSchema.safeParse(upgraded);
    if (dialogs.success && (stored === null || stored.success)) {
      return { stored: stored?.data, dialogState: rawDialogs as DialogState, reset: false };
    }
    const issues = [...(dialogs.error?.issues ?? []).map((issue) => ['DialogState', ...issue.path]), ...(stored?.error?.issues ?? []).map((issue) => ['case', ...issue.path])];
    this.logger.warn('stored case does not fit its schema; the person starts afresh', {
      channel: context.activity.channelId,
      fields: [...new Set(issues.map((path) => path.join('.')))].slice(0, 10),
    });
    const dialogState: DialogState = { dialogStack: [] };
    await this.dialogState.set(context, dialogState);
    return { stored: undefined, dialogState, reset: true };
  }

  async open(context: TurnContext): Promise<Turn> {
    const activity = context.activity;
    const input = readTurnInput(activity);
    const { stored, dialogState, reset } = await this.readStored(context);
    // Identity is worked out again on every turn: an account unlinked a minute ago has no data access now.
    const identity = await identify(activity, this.platform);
    const { locale, from } = this.localeFor(context, stored, identity, input.text);
    // A finished case stays for the record of its last replies; the next message opens a new one.
    const current = stored !== undefined && dialogState.dialogStack.length > 0 ? stored : newCase(locale, stored);
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
      clientAddress: clientAddressOf(context),
      case: current,
      // Read on every sentence: the role can become known during this turn.
      l: localizer(locale, () => turn.case.role),
    });
    if (reset) turn.say({ text: turn.l.t('error.caseReset') });
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
