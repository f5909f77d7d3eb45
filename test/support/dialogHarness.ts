import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Activity, ActivityTypes, type BotState, MemoryStorage, TestAdapter, TranscriptLoggerMiddleware } from 'botbuilder';
import { afterEach, expect } from 'vitest';
import { MainDialog } from '../../dialogs/mainDialog.js';
import { GalleryBot } from '../../src/bot/galleryBot.js';
import type { TurnHooks } from '../../src/bot/turnHooks.js';
import { createDelivery } from '../../src/channels/delivery.js';
import { DIAGNOSIS_ENTITY_TYPE, type DiagnosisEntity } from '../../src/channels/diagnosisEntity.js';
import { SLOTS, type Slot } from '../../src/channels/replyModel.js';
import { HandoffInitiation, openHandoffHooks } from '../../src/handoff/openHandoff.js';
import { SqliteTranscriptStore } from '../../src/handoff/sqliteTranscriptStore.js';
import type { SupportHours } from '../../src/domain/supportHours.js';
import { SqliteCaseOutbox } from '../../src/handoff/sqliteCaseOutbox.js';
import { languageOf } from '../../src/language/languages.js';
import { type MessageKey, type MessageValues, translate } from '../../src/language/messages.js';
import { PhraseFileRecognizer, type Recognizer } from '../../src/language/recognizer.js';
import { silentLogger } from '../../src/logger.js';
import { EmbeddedPlatform } from '../../src/platform/embeddedPlatform.js';
import { type PlatformPort, PlatformUnavailableError } from '../../src/platform/port.js';
import { ConversationStore } from '../../src/proactive/conversationStore.js';
import { ProactiveNotices } from '../../src/proactive/proactiveNotices.js';
import { projectRoot } from '../../src/projectRoot.js';
import { RateLimitedCodeLookups } from '../../src/security/codeLookupLimit.js';
import { RateLimitedNewCases } from '../../src/security/newCaseLimit.js';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { PersonalConversationState } from '../../src/bot/personalConversationState.js';

/** "Today" of the demo data (demo/README.md): Friday 27 November 2026. */
export const DEMO_TODAY = new Date('2026-11-27T10:00:00Z');

export const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'nl-NL'] as const;
export type TestLocale = (typeof LOCALES)[number];

export const DIAGNOSIS_KEYS = ['awaiting', 'locale', 'role', 'scenario', 'secondary', 'step', 'steps', 'symptom', 'type'] as const;

/** The text of a message in the language of a locale, as the bot says it. */
export function msg(locale: string, key: MessageKey, values?: MessageValues): string {
  return translate(languageOf(locale) ?? 'en', key, values);
}

/** Every access code of the demo data file. */
export function allDemoAccessCodes(): string[] {
  return demoJobs().flatMap((job) => job.galleries.map((gallery) => gallery.accessCode));
}

export function allDemoJobNames(): string[] {
  return demoJobs().map((job) => job.name);
}

interface DemoJob {
  id: string;
  name: string;
  galleries: { accessCode: string }[];
}

let demoData: DemoJob[] | undefined;
function demoJobs(): DemoJob[] {
  if (demoData === undefined) {
    // Read once from the repository's demo file (never from a copy a test changed).
    const raw = readFileSync(join(projectRoot(), 'demo', 'platform.json'), 'utf8');
    demoData = (JSON.parse(raw) as { jobs: DemoJob[] }).jobs;
  }
  return demoData;
}

/** A platform that is down: every call fails the way an unreachable API does. */
export function unreachablePlatform(): PlatformPort {
  const down = async (): Promise<never> => {
    throw new PlatformUnavailableError('platform unreachable (test stand-in)');
  };
  return { lookupCode: down, photographerByChannelUser: down, findJobs: down, getJob: down, applyChange: down };
}

export interface SendOptions {
  locale?: string;
  /** A card submit value, e.g. `{ choice: 'missed-sale' }`. */
  value?: unknown;
  attachments?: Activity['attachments'];
  /**
   * Check that the turn's `awaiting` matches the question asked (default true). Only a test
   * about something else may switch it off for a turn a known bug makes inconsistent.
   */
  checkConsistency?: boolean;
  /** The locale the bot must answer in (default: the activity's); another one when the text is clearly in another language. */
  answerLocale?: string;
}

export interface DialogHarness {
  /** The bot as production builds it; every turn goes through `bot.run`, as on /api/messages. */
  bot: GalleryBot;
  /** Where the bot keeps cases (per person in a conversation, in memory). */
  state: BotState;
  outbox: SqliteCaseOutbox;
  /** Every conversation's transcript, as botbuilder's transcript logging writes it (in memory). */
  transcripts: SqliteTranscriptStore;
  platform: PlatformPort;
  /** The temp copy of demo/platform.json the embedded platform works on (null with a custom platform). */
  dataFile: string | null;
  channelId: string;
  /** Every reply of every turn so far, in order. */
  allReplies: Partial<Activity>[];
  /** Every event activity the bot sent to the channel so far (`handoff.initiate`), in order. */
  events: Partial<Activity>[];
  /** Sends one message (text with a locale, or a card value) and returns all replies of the turn, each checked against contract 1. */
  send(text: string, options?: SendOptions): Promise<Partial<Activity>[]>;
  /** Sends a ready-made activity (any type) and returns all replies of the turn. */
  sendActivity(activity: Partial<Activity>, checkConsistency?: boolean, answerLocale?: string): Promise<Partial<Activity>[]>;
  /** Sends several messages in one locale; returns the replies of each turn. */
  talk(texts: readonly string[], locale?: string): Promise<Partial<Activity>[][]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  channelId?: string;
  /** Replaces the embedded demo platform (the platform is the edge: only an unreachable stand-in is used). */
  platform?: PlatformPort;
  defaultLocale?: string;
  /** Steps added to every turn, as production's composition root may add them. */
  hooks?: readonly TurnHooks[];
  /** SUPPORT_HOURS, read; unset by default, as in production. */
  supportHours?: SupportHours;
  /** The recognizer the dialogs are given; production's (the phrase files) by default. */
  recognizer?: Recognizer;
  /** The clock of the dialogs and of the open handoff; DEMO_TODAY by default. */
  now?: () => Date;
}

/**
 * MainDialog inside the production turn pipeline (GalleryBot.run: one turn per conversation
 * at a time, redeliveries ignored, the case opened, the dialogs run, the replies rendered for
 * the channel, the state saved once), driven by botbuilder's TestAdapter; the embedded
 * platform on a temp copy of the demo data and the SQLite case outbox in memory. Turn errors
 * are not apologised for here (production's onTurnError): they fail the test.
 */
export async function createHarness(options: HarnessOptions = {}): Promise<DialogHarness> {
  const channelId = options.channelId ?? 'webchat';
  let folder: string | null = null;
  let dataFile: string | null = null;
  let platform: PlatformPort;
  if (options.platform !== undefined) {
    platform = options.platform;
  } else {
    folder = await mkdtemp(join(tmpdir(), 'gallery-dialogs-'));
    dataFile = join(folder, 'platform.json');
    await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
    platform = await EmbeddedPlatform.load(dataFile);
  }
  const now = options.now ?? (() => DEMO_TODAY);
  const db: SqliteDatabase = openDatabase(':memory:');
  const outbox = new SqliteCaseOutbox(db, { now: () => DEMO_TODAY });
  const codeLookups = await RateLimitedCodeLookups.onSqlite(db);
  const state = new PersonalConversationState(new MemoryStorage());
  // The adapter comes to life below; notices reach it only once turns run.
  let adapter: TestAdapter | undefined;
  const notices = new ProactiveNotices({
    adapter: { continueConversationAsync: (appId, reference, logic) => adapter!.continueConversationAsync(appId, reference, logic) },
    store: new ConversationStore(db),
    platform,
    logger: silentLogger,
    appId: '',
    now: () => DEMO_TODAY,
  });
  const recognizer = options.recognizer ?? new PhraseFileRecognizer();
  const bot = new GalleryBot({
    state,
    platform,
    delivery: createDelivery({ logger: silentLogger }),
    recognizer,
    rootDialog: new MainDialog({ recognizer, platform, outbox, notices, logger: silentLogger, codeLookups, newCases: await RateLimitedNewCases.onSqlite(db), now, supportHours: options.supportHours ?? null }),
    defaultLocale: options.defaultLocale ?? 'en-US',
    logger: silentLogger,
    // The open handoff as production has it, then the test's own steps.
    hooks: [openHandoffHooks({ outbox, logger: silentLogger, recognizer, platform, now }), ...(options.hooks ?? [])],
  });
  adapter = new TestAdapter((context) => bot.run(context), { channelId });
  // As production has them: the handoff event once the transcript logger has written the turn down.
  const transcripts = new SqliteTranscriptStore(db);
  adapter.use(new HandoffInitiation({ transcripts, logger: silentLogger })).use(new TranscriptLoggerMiddleware(transcripts));
  const allReplies: Partial<Activity>[] = [];
  const events: Partial<Activity>[] = [];

  const sendActivity = async (activity: Partial<Activity>, checkConsistency = true, answerLocale = activity.locale): Promise<Partial<Activity>[]> => {
    await adapter.processActivity({ ...activity });
    // Events to the channel (the handoff to a person) are no replies to a person: kept apart.
    const sent = adapter.activeQueue.splice(0);
    events.push(...sent.filter((reply) => reply.type === ActivityTypes.Event));
    const replies = sent.filter((reply) => reply.type !== ActivityTypes.Event);
    for (const reply of replies) {
      expectDiagnosisEntity(reply);
      // The bot answers in the locale the channel sends, unless the text is clearly in another of the four languages.
      if (answerLocale !== undefined) expect(diagnosisOf(reply).locale, 'entity locale').toBe(answerLocale);
    }
    if (checkConsistency) expectTurnConsistent(replies);
    allReplies.push(...replies);
    return replies;
  };

  const send = (text: string, sendOptions: SendOptions = {}): Promise<Partial<Activity>[]> => {
    const activity: Partial<Activity> = { type: ActivityTypes.Message, text, locale: sendOptions.locale ?? 'en-US' };
    if (sendOptions.value !== undefined) activity.value = sendOptions.value;
    if (sendOptions.attachments !== undefined) activity.attachments = sendOptions.attachments;
    return sendActivity(activity, sendOptions.checkConsistency ?? true, sendOptions.answerLocale ?? activity.locale);
  };

  return {
    bot,
    state,
    outbox,
    transcripts,
    platform,
    dataFile,
    channelId,
    allReplies,
    events,
    sendActivity,
    send,
    talk: async (texts, locale = 'en-US') => {
      const turns: Partial<Activity>[][] = [];
      for (const text of texts) turns.push(await send(text, { locale }));
      return turns;
    },
    close: async () => {
      db.close();
      if (folder !== null) await rm(folder, { recursive: true, force: true });
    },
  };
}

export interface Harnesses {
  /** A new harness (`createHarness`), closed after the test. */
  harness(options?: HarnessOptions): Promise<DialogHarness>;
  /** Closes a harness made elsewhere after the test; returns it. */
  track(h: DialogHarness): DialogHarness;
}

/** Harnesses that are all closed after each test. Call at the top level of a test file. */
export function useHarnesses(): Harnesses {
  let harnesses: DialogHarness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
    harnesses = [];
  });
  const track = (h: DialogHarness): DialogHarness => {
    harnesses.push(h);
    return h;
  };
  return { harness: async (options) => track(await createHarness(options)), track };
}

/** The diagnosis entity of a reply (contract 1); fails the test when it is missing. */
export function diagnosisOf(reply: Partial<Activity> | undefined): DiagnosisEntity {
  expect(reply, 'a reply').toBeDefined();
  const entities = (reply?.entities ?? []).filter((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE);
  expect(entities, 'exactly one diagnosis entity').toHaveLength(1);
  return entities[0] as DiagnosisEntity;
}

/** The diagnosis entity of the last reply of a turn: the state the bot waits in. */
export function lastDiagnosis(replies: readonly Partial<Activity>[]): DiagnosisEntity {
  expect(replies.length, 'the bot answered').toBeGreaterThan(0);
  return diagnosisOf(replies[replies.length - 1]);
}

interface CardContent {
  body?: { type?: string; text?: string }[];
  buttons?: { title?: string }[];
  actions?: { title?: string }[];
}

/** The text a person reads: the message text, or the text blocks of an Adaptive Card (Teams). */
export function textOf(reply: Partial<Activity> | undefined): string {
  if (reply === undefined) return '';
  if (typeof reply.text === 'string') return reply.text;
  return (reply.attachments ?? [])
    .flatMap((attachment) => ((attachment.content as CardContent | undefined)?.body ?? []).filter((element) => element.type === 'TextBlock'))
    .map((block) => block.text ?? '')
    .join('\n');
}

export function textsOf(replies: readonly Partial<Activity>[]): string[] {
  return replies.map((reply) => textOf(reply));
}

export function allText(replies: readonly Partial<Activity>[]): string {
  return textsOf(replies).join('\n');
}

/** The labels of the buttons of a reply: hero-card buttons (shop pictures) and suggested actions. */
export function buttonsOf(reply: Partial<Activity> | undefined): string[] {
  if (reply === undefined) return [];
  const cards = (reply.attachments ?? []).flatMap((attachment) => {
    const content = attachment.content as CardContent | undefined;
    return [...(content?.buttons ?? []), ...(content?.actions ?? [])].map((button) => button.title ?? '');
  });
  const suggested = (reply.suggestedActions?.actions ?? []).map((action) => action.title ?? '');
  return [...cards, ...suggested];
}

/** Contract 1: exactly the nine keys, with values of the right shape. */
export function expectDiagnosisEntity(reply: Partial<Activity>): void {
  const entity = diagnosisOf(reply);
  expect(Object.keys(entity).sort(), 'diagnosis entity keys').toEqual([...DIAGNOSIS_KEYS]);
  expect(entity.type).toBe(DIAGNOSIS_ENTITY_TYPE);
  expect([null, 'customer', 'photographer']).toContain(entity.role);
  expect(typeof entity.locale).toBe('string');
  expect([null, 'almost-ready', 'incorrect-code', 'missed-sale', 'other']).toContain(entity.symptom);
  expect(Array.isArray(entity.secondary)).toBe(true);
  expect(entity.awaiting === null || (SLOTS as readonly string[]).includes(entity.awaiting)).toBe(true);
}

/** What a question waiting in each slot may say (its question, its retries), per language. */
const SLOT_TEXTS: Readonly<Record<Slot, readonly MessageKey[]>> = {
  role: ['role.question', 'role.retry'],
  symptom: ['symptom.question', 'symptom.questionPhotographer', 'symptom.retry', 'customer.seen.question', 'customer.seen.retry'],
  'access-code': ['code.question', 'code.questionPhotographer', 'code.retryNoCode', 'code.tryAgain'],
  confirm: ['notify.offerPhotographer', 'notify.offerSupport', 'confirm.retry'],
  feedback: ['feedback.question', 'feedback.retry'],
  'job-status': ['guided.job-status', 'guided.retry'],
  'code-activated': ['guided.code-activated', 'guided.retry'],
  'photos-linked': ['guided.photos-linked', 'guided.retry'],
  'photos-hidden': ['guided.photos-hidden', 'guided.retry'],
  'step-result': [],
  'archive-date': [],
  email: ['handoff.email.question', 'handoff.email.retry', 'handoff.email.which'],
};

/**
 * One turn's replies agree with each other and with the question asked: the same entity on
 * each; `awaiting` set exactly when the last reply asks something (its text is that slot's
 * question or retry, in the entity's language); buttons only on a question.
 */
export function expectTurnConsistent(replies: readonly Partial<Activity>[]): void {
  if (replies.length === 0) return;
  const entities = replies.map((reply) => diagnosisOf(reply));
  for (const entity of entities) expect(entity, 'every reply of a turn carries the same case').toEqual(entities[0]);
  const last = replies[replies.length - 1]!;
  const { awaiting, locale, role } = entities[0]!;
  for (const reply of replies.slice(0, -1)) expect(buttonsOf(reply), 'only the question has buttons').toEqual([]);
  if (awaiting === null) {
    expect(buttonsOf(last), 'no buttons when nothing is asked').toEqual([]);
    expect(last.inputHint).toBe('acceptingInput');
    return;
  }
  expect(last.inputHint).toBe('expectingInput');
  const candidates = SLOT_TEXTS[awaiting].map((key) => msg(locale, key, { audience: role ?? 'unknown' }).split('{')[0]!.trim());
  expect(
    candidates.some((candidate) => candidate !== '' && textOf(last).includes(candidate)),
    `the last reply asks the "${awaiting}" question: ${JSON.stringify(textOf(last))}`,
  ).toBe(true);
}

/** The localized button labels of the symptom question. */
export function symptomLabels(locale: string): string[] {
  return (['almost-ready', 'incorrect-code', 'missed-sale', 'other'] as const).map((symptom) => msg(locale, `symptom.choice.${symptom}`));
}
