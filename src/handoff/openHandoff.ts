import { type Activity, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder-core';
import { EventFactory } from 'botbuilder/lib/eventFactory.js';
import type { ClaimsIdentity } from 'botframework-connector';
import { isOwnDirectLine } from '../directline/directLineAdapter.js';
import { sameAccessCode } from '../domain/accessCode.js';
import type { TurnHooks } from '../bot/turnHooks.js';
import type { Turn } from '../bot/turn.js';
import { isUserInput } from '../bot/turnInput.js';
import type { Recognizer } from '../language/recognizer.js';
import type { Logger } from '../logger.js';
import type { PlatformPort } from '../platform/port.js';
import { newsOfCode } from '../proactive/galleryNews.js';
import type { CaseOutbox, CaseRecord } from './caseRecord.js';

/** The Bot Framework handoff protocol's event names (botbuilder's HandoffEventNames). */
export const HANDOFF_INITIATE = 'handoff.initiate';
export const HANDOFF_STATUS = 'handoff.status';

const PENDING_INITIATION = Symbol('gallery-access.handoff-initiation');

/** What the agent hub gets in `handoff.initiate`'s value: the case as a person needs it. */
export interface HandoffContext {
  caseId: string;
  role: CaseRecord['role'];
  locale: string;
  symptom: CaseRecord['symptom'];
  scenario: CaseRecord['scenario'];
  secondary: CaseRecord['secondary'];
  accessCode: string | null;
  jobId: string | null;
  photographerId: string | null;
  stepsTried: string[];
  /** Null: the customer can only be reached in this chat. */
  email: string | null;
}

/** Asks for the handoff event to be sent after this turn's replies. */
export function queueHandoffInitiation(context: TurnContext, record: CaseRecord): void {
  context.turnState.set(PENDING_INITIATION, record);
}

/** The case as the person who takes it needs it: `handoff.initiate`'s value, and a generic webhook's context. */
export function handoffContextOf(record: CaseRecord): HandoffContext {
  return {
    caseId: record.id,
    role: record.role,
    locale: record.locale,
    symptom: record.symptom,
    scenario: record.scenario,
    secondary: record.secondary,
    accessCode: record.accessCode,
    jobId: record.jobId,
    photographerId: record.photographerId,
    stepsTried: record.stepsTried,
    email: record.email ?? null,
  };
}

/** Where the conversation's transcript is kept (botbuilder's transcript logging, src/handoff/sqliteTranscriptStore.ts). */
export interface ConversationTranscripts {
  /** Every activity logged in the conversation, oldest first. */
  conversation(channelId: string, conversationId: string): Promise<Activity[]>;
}

/**
 * Sends `handoff.initiate` (botbuilder's EventFactory) with the case in its value and the
 * conversation's transcript attached, after the turn that handed the case over. Added to the
 * adapter before botbuilder's TranscriptLoggerMiddleware, so it runs once that has written
 * the turn down: the transcript holds the whole conversation up to the handoff, this turn's
 * messages included (and never the event itself).
 */
export class HandoffInitiation implements Middleware {
  constructor(private readonly options: { transcripts: ConversationTranscripts; logger: Logger }) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    await next();
    const record = context.turnState.get(PENDING_INITIATION) as CaseRecord | undefined;
    if (record === undefined) return;
    const { channelId, conversation } = context.activity;
    const activities = await this.options.transcripts.conversation(channelId, conversation.id);
    await context.sendActivity(EventFactory.createHandoffInitiation(context, handoffContextOf(record), { activities }));
    this.options.logger.info('handoff initiated', { caseId: record.id, channel: channelId, transcriptActivities: activities.length });
  }
}

const STATES = ['accepted', 'failed', 'completed'] as const;
type HandoffState = (typeof STATES)[number];

/** The state a `handoff.status` event reports, or null when it is none the protocol names. */
function statusOf(activity: Activity): HandoffState | null {
  const state = (activity.value as { state?: unknown } | null | undefined)?.state;
  return STATES.find((known) => known === state) ?? null;
}

/**
 * Whether a `handoff.status` event comes from the channel (the agent hub behind it), never
 * from a person: a Direct Line client (the help chat widget) can post any event, so the bot's
 * own Direct Line never counts; with channel authentication on, only a request the Bot
 * Framework authenticated counts (without it, local mode accepts any request anyway).
 */
export function statusFromChannel(context: TurnContext, channelAuthentication: boolean): boolean {
  if (isOwnDirectLine(context.activity)) return false;
  if (!channelAuthentication) return true;
  const identity = context.turnState.get(context.adapter.BotIdentityKey) as ClaimsIdentity | undefined;
  return identity?.isAuthenticated === true;
}

/**
 * How long a handoff stays open without a `handoff.status` closing it. Long enough for support
 * to answer within a working day (a ticket, a weekend aside); after it, the person who writes
 * again is told their request is still with support, and starts afresh.
 */
export const HANDOFF_OPEN_MS = 24 * 60 * 60_000;

/** The handoff is over for this conversation (the case stays with support). */
function closeHandoff(turn: Turn): void {
  turn.case.handoffCaseId = null;
  turn.case.handoffOpenedAt = null;
}

/** Whether the open handoff has gone unanswered for longer than HANDOFF_OPEN_MS. */
function handoffStale(turn: Turn, now: Date): boolean {
  const opened = turn.case.handoffOpenedAt;
  return opened !== null && now.getTime() - Date.parse(opened) > HANDOFF_OPEN_MS;
}

/** A handoff opened by an older release, which kept no opening time: its clock starts now, so it too ends in time. */
function startClockOfOlderHandoff(turn: Turn, now: Date): void {
  if (turn.case.handoffCaseId !== null && turn.case.handoffOpenedAt === null) turn.case.handoffOpenedAt = now.toISOString();
}

/**
 * The message names a code the handed-over case is not about ("ik heb nog een code: MXR29PLT"):
 * that is a case of its own, for the bot to look at, not a line added to the one support has.
 */
function namesAnotherCode(turn: Turn, recognizer: Recognizer): boolean {
  const known = [turn.case.accessCode, turn.case.lastCode, ...turn.case.moreCodes].filter((code): code is string => code !== null);
  return recognizer.accessCodes(turn.input.text).some((code) => !known.some((same) => sameAccessCode(same, code)));
}

/**
 * The open handoff around the dialogs (the `handoff.initiate` event is HandoffInitiation's):
 * while it is open, what the person writes goes into the case with one short answer;
 * `handoff.status` events from the agent hub are told to the person, and "completed" or
 * "failed" closes the handoff. So do "restart", a message with another access code, and a
 * message after HANDOFF_OPEN_MS without a status: the case stays with support, the person is
 * told so, and the flow starts afresh with that message.
 */
export function openHandoffHooks({
  outbox,
  logger,
  recognizer,
  platform,
  channelAuthentication = false,
  now = () => new Date(),
}: {
  outbox: CaseOutbox;
  logger: Logger;
  /** The dialogs' recognizer: "restart", thanks, goodbyes and "any news?" mean here what they mean there. */
  recognizer: Recognizer;
  /** Where a customer's "any news?" looks whether their gallery has opened meanwhile. */
  platform: PlatformPort;
  channelAuthentication?: boolean;
  now?: () => Date;
}): TurnHooks {
  return {
    async beforeDialogs(context: TurnContext, turn: Turn): Promise<boolean> {
      const activity = context.activity;
      if (activity.type === ActivityTypes.Event && activity.name === HANDOFF_STATUS) {
        if (!statusFromChannel(context, channelAuthentication)) {
          // A person cannot close (or accept) their own handoff: nothing changes, nothing is said.
          logger.warn('handoff status ignored: not from the channel', { channel: activity.channelId });
          return true;
        }
        const state = statusOf(activity);
        // A status without an open handoff, or one we cannot read, changes nothing.
        if (state === null || turn.case.handoffCaseId === null) {
          logger.warn('handoff status ignored', { channel: activity.channelId, open: turn.case.handoffCaseId !== null, known: state !== null });
          return true;
        }
        logger.info('handoff status', { caseId: turn.case.handoffCaseId, state, channel: activity.channelId });
        turn.say({ text: turn.l.t(`handoff.${state}`) });
        if (state !== 'accepted') closeHandoff(turn);
        return true;
      }
      const caseId = turn.case.handoffCaseId;
      if (caseId === null || !isUserInput(activity)) return false;
      const restart = recognizer.command(turn.input.text) === 'restart';
      const at = now();
      startClockOfOlderHandoff(turn, at);
      const anotherCode = namesAnotherCode(turn, recognizer);
      if (restart || anotherCode || handoffStale(turn, at)) {
        const by = restart ? 'restart' : anotherCode ? 'another code' : 'no status in time';
        logger.info('handoff ended in the conversation; the case stays with support', { caseId, by, channel: activity.channelId });
        closeHandoff(turn);
        turn.say({ text: turn.l.t(restart ? 'handoff.restarted' : 'handoff.stale') });
        // The dialogs take the message as the first of a new case.
        return false;
      }
      const line = turn.case.transcript.at(-1);
      try {
        if (line !== undefined && line.from === 'user') await outbox.append(caseId, line);
        const { intent } = recognizer.intent(turn.input.text);
        if (intent === 'thanks' || intent === 'goodbye') {
          // "Danke, tschüss" is no addition to the request, though it is kept with it.
          turn.say({ text: turn.l.t('handoff.thanks') });
          return true;
        }
        if (recognizer.solved(turn.input.text)) {
          // "C'est bon, ça marche maintenant": kept with the case above, so the person who takes it knows.
          turn.say({ text: turn.l.t('handoff.solved') });
          return true;
        }
        if (intent === 'what-next') {
          // "Any news?": the gallery may have opened meanwhile (the photographer fixed it); else nobody
          // has answered yet, or the status would have said so.
          // The flow that handed the case over has ended: its code is the case's `lastCode` then.
          const code = turn.case.accessCode ?? turn.case.lastCode;
          const news = turn.identity.role === 'customer' && code !== null ? await newsOfCode(platform, turn.l, code, turn.case.symptom) : null;
          turn.say({ text: news ?? turn.l.t('handoff.waiting') });
          return true;
        }
        const [email, ...others] = recognizer.emailAddresses(turn.input.text);
        if (turn.identity.role === 'customer' && email !== undefined && others.length === 0) {
          // "Oops, typo: it's jane.doe@gmail.com": kept with the case above, and said so.
          turn.say({ text: turn.l.t('handoff.email.added', { email }) });
          return true;
        }
        const ticket = await outbox.ticketReference(caseId);
        turn.say({ text: ticket === null ? turn.l.t('handoff.added') : turn.l.t('handoff.addedTicket', { ticket }) });
      } catch (error) {
        logger.error('could not add to the handed-over case', { error, caseId });
        turn.say({ text: turn.l.t('handoff.notAdded') });
      }
      return true;
    },
  };
}
