import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Activity, MemoryStorage, PrivateConversationState, type StoreItems, TestAdapter, TurnContext } from 'botbuilder';
import { MainDialog } from '../../dialogs/mainDialog.js';
import { apologize, GalleryBot } from '../../src/bot/galleryBot.js';
import { createDelivery } from '../../src/channels/delivery.js';
import { SqliteCaseOutbox } from '../../src/handoff/sqliteCaseOutbox.js';
import { PhraseFileRecognizer } from '../../src/language/recognizer.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import { EmbeddedPlatform } from '../../src/platform/embeddedPlatform.js';
import type { PlatformPort } from '../../src/platform/port.js';
import { ConversationStore } from '../../src/proactive/conversationStore.js';
import { ProactiveNotices } from '../../src/proactive/proactiveNotices.js';
import { projectRoot } from '../../src/projectRoot.js';
import { RateLimitedCodeLookups } from '../../src/security/codeLookupLimit.js';
import { RateLimitedNewCases } from '../../src/security/newCaseLimit.js';
import { openDatabase } from '../../src/storage/database.js';
import { PersonalConversationState } from '../../src/bot/personalConversationState.js';

/**
 * A GalleryBot wired like src/main.ts (PersonalConversationState, MainDialog, the SQLite
 * outbox, an onTurnError that apologizes in en-US), but over botbuilder's TestAdapter and a
 * MemoryStorage the test can read and seed, on a temp copy of the demo data.
 */
export interface AdapterBot {
  adapter: TestAdapter;
  storage: MemoryStorage;
  state: PrivateConversationState;
  /** The embedded platform on the temp copy; `platform` (what the bot uses) may wrap it. */
  embedded: EmbeddedPlatform;
  platform: PlatformPort;
  outbox: SqliteCaseOutbox;
  dataFile: string;
  /** Errors that reached onTurnError, in order. */
  turnErrors: unknown[];
  /** Processes one activity and returns what the bot sent in that turn. */
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  /** The PrivateConversationState storage key of an activity's person in its conversation. */
  storageKey(activity: Partial<Activity>): string;
  read(activity: Partial<Activity>): Promise<Record<string, unknown> | undefined>;
  write(activity: Partial<Activity>, item: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface AdapterBotOptions {
  /** Wraps the embedded platform, e.g. to make one call fail. */
  platform?: (embedded: EmbeddedPlatform) => PlatformPort;
  now?: () => Date;
  /** The bot's logger (silent by default), e.g. to read what a turn logged. */
  logger?: Logger;
}

export async function createAdapterBot(options: AdapterBotOptions = {}): Promise<AdapterBot> {
  const folder = await mkdtemp(join(tmpdir(), 'gallery-adapter-bot-'));
  const dataFile = join(folder, 'platform.json');
  await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
  const embedded = await EmbeddedPlatform.load(dataFile);
  const platform = options.platform?.(embedded) ?? embedded;
  const db = openDatabase(':memory:');
  const outbox = new SqliteCaseOutbox(db);
  const storage = new MemoryStorage();
  const state = new PersonalConversationState(storage);
  let adapter: TestAdapter | undefined;
  const notices = new ProactiveNotices({
    adapter: { continueConversationAsync: (appId, reference, logic) => adapter!.continueConversationAsync(appId, reference, logic) },
    store: new ConversationStore(db),
    platform,
    logger: silentLogger,
    appId: '',
  });
  const recognizer = new PhraseFileRecognizer();
  const bot = new GalleryBot({
    state,
    platform,
    delivery: createDelivery({ logger: silentLogger }),
    recognizer,
    rootDialog: new MainDialog({ recognizer, platform, outbox, notices, logger: silentLogger, codeLookups: await RateLimitedCodeLookups.onSqlite(db), newCases: await RateLimitedNewCases.onSqlite(db), now: options.now ?? (() => new Date()) }),
    defaultLocale: 'en-US',
    logger: options.logger ?? silentLogger,
  });
  adapter = new TestAdapter(async (context) => bot.run(context));
  const turnErrors: unknown[] = [];
  adapter.onTurnError = async (context, error) => {
    turnErrors.push(error);
    await apologize(context, 'en-US');
  };

  const storageKey = (activity: Partial<Activity>): string => {
    const key = state.getStorageKey(new TurnContext(adapter, activity));
    if (key === undefined) throw new Error('no storage key');
    return key;
  };

  return {
    adapter,
    storage,
    state,
    embedded,
    platform,
    outbox,
    dataFile,
    turnErrors,
    async send(activity) {
      adapter.activeQueue.splice(0);
      await adapter.receiveActivity({ ...activity });
      return adapter.activeQueue.splice(0);
    },
    storageKey,
    async read(activity) {
      const key = storageKey(activity);
      return (await storage.read([key]))[key] as Record<string, unknown> | undefined;
    },
    async write(activity, item) {
      const changes: StoreItems = { [storageKey(activity)]: { ...item, eTag: '*' } };
      await storage.write(changes);
    },
    async close() {
      db.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

let activityCounter = 0;

/** A message from one person in one conversation. */
export function messageFrom(
  person: { channelId: string; conversationId: string; from: Partial<Activity['from']>; locale?: string },
  fields: Partial<Activity>,
): Partial<Activity> {
  activityCounter += 1;
  return {
    type: 'message',
    id: `adapter-activity-${activityCounter}`,
    channelId: person.channelId,
    conversation: { id: person.conversationId } as Activity['conversation'],
    from: { name: 'Test user', ...person.from } as Activity['from'],
    recipient: { id: 'bot', name: 'Gallery Access Assistant' } as Activity['recipient'],
    locale: person.locale ?? 'en-US',
    ...fields,
  };
}
