import { randomBytes } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { ContainerClient } from '@azure/storage-blob';
import { ConfigurationBotFrameworkAuthentication, type Storage, TranscriptLoggerMiddleware, type TurnContext } from 'botbuilder-core';
import { MainDialog } from '../dialogs/mainDialog.js';
import { registerAdmin } from './admin/adminEndpoints.js';
import { keepEntityProperties } from './bot/connectorEntities.js';
import { apologize, GalleryBot } from './bot/galleryBot.js';
import { createDelivery } from './channels/delivery.js';
import { SlackBlockKitSender } from './channels/slackWebApi.js';
import { channelAuthenticationEnabled, type Config, ConfigError, isLoopback, loadConfig } from './config.js';
import type { BlobConversationLog } from './directline/blobConversationLog.js';
import type { ConversationLog } from './directline/conversationLog.js';
import { DirectLineAdapter } from './directline/directLineAdapter.js';
import { DIRECT_LINE_PREFIX, registerDirectLine } from './directline/directLineEndpoints.js';
import { DirectLineService } from './directline/directLineService.js';
import { SqliteConversationLog } from './directline/sqliteConversationLog.js';
import { DirectLineTokens, loadDirectLineSecret } from './directline/tokens.js';
import type { CaseOutbox } from './handoff/caseRecord.js';
import { Shutdown, type ShutdownRegistry } from './lifecycle/shutdown.js';
import type { SharedPersonalData } from './privacy/blobErasure.js';
import { type ConversationDataStores, PersonalData } from './privacy/erasure.js';
import { RetentionSweeper, type SharedRetention } from './privacy/retention.js';
import { HandoffInitiation, openHandoffHooks } from './handoff/openHandoff.js';
import type { BlobCaseOutbox } from './handoff/blobCaseOutbox.js';
import type { BlobTranscriptStore } from './handoff/blobTranscriptStore.js';
import { type OutboxListing, SqliteCaseOutbox, type TicketQueue } from './handoff/sqliteCaseOutbox.js';
import { SqliteTranscriptStore } from './handoff/sqliteTranscriptStore.js';
import { tellTicketReference } from './handoff/ticketNotice.js';
import { TicketWorker, type TicketWorkerOptions } from './handoff/ticketWorker.js';
import { PhraseFileRecognizer } from './language/recognizer.js';
import { createLogger, type Logger } from './logger.js';
import { EmbeddedPlatform } from './platform/embeddedPlatform.js';
import { PlatformApiClient } from './platform/platformApiClient.js';
import type { PlatformPort, PlatformReadiness } from './platform/port.js';
import type { BlobConversationStore } from './proactive/blobConversationStore.js';
import { ConversationStore, type ReachableConversations } from './proactive/conversationStore.js';
import { conversationReferenceHooks, ProactiveNotices } from './proactive/proactiveNotices.js';
import { projectRoot } from './projectRoot.js';
import { RateLimitedCodeLookups } from './security/codeLookupLimit.js';
import { RateLimitedNewCases } from './security/newCaseLimit.js';
import { createServer } from './server.js';
import { openDatabase, type SqliteDatabase } from './storage/database.js';
import { startWalCheckpoints } from './storage/walCheckpoints.js';
import { groupCommitOf } from './storage/groupCommit.js';
import type { ConversationLock } from './storage/conversationLock.js';
import { SqliteStorage } from './storage/sqliteStorage.js';
import { GuardedStorage, type StorageReadiness, StorageUnavailableError } from './storage/storageHealth.js';
import { protectBrowserEndpoints } from './web/webSafety.js';
import { registerWidget, WIDGET_TOKEN_PATH } from './widget/widgetEndpoints.js';
import { PersonalConversationState } from './bot/personalConversationState.js';

/**
 * The composition root: the one place that knows every implementation and wires them
 * together. Nothing imports it but the process entry below and the end-to-end tests.
 */

/** Bot Framework SDK settings passed through as they are (channel-authentication overrides). */
const SDK_SETTINGS = [
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'OAuthUrl',
  'CallerId',
  'ValidateAuthority',
] as const;

/** A failed listen, said in terms of the variable to change. */
function listenError(error: unknown, config: Config): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new ConfigError(`Invalid configuration: PORT (got "${config.PORT}"): the port is already in use`);
  if (code === 'EACCES') return new ConfigError(`Invalid configuration: PORT (got "${config.PORT}"): not allowed to listen on this port`);
  if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN') {
    return new ConfigError(`Invalid configuration: HOST (got "${config.HOST}"): not an address of this machine`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The one line said at start in local mode: louder when the address is reachable from elsewhere. */
export function localModeWarning(config: Pick<Config, 'HOST' | 'MicrosoftAppId'>): string | null {
  if (config.MicrosoftAppId !== undefined) return null;
  if (isLoopback(config.HOST)) return 'local mode: requests are not authenticated (no MicrosoftAppId); listening on this machine only';
  return `LOCAL MODE ON ${config.HOST}: requests are NOT authenticated (no MicrosoftAppId), anyone who reaches this address can act as any user; set MicrosoftAppId, or HOST=127.0.0.1`;
}

export interface RunningBot {
  url: string;
  config: Config;
  platform: PlatformPort;
  outbox: CaseOutbox;
  /**
   * The bot's one adapter: `continueConversationAsync` with a kept conversation reference
   * reaches Bot Connector channels and the bot's own Direct Line alike.
   */
  adapter: DirectLineAdapter;
  /** Sends escalations to the helpdesk; null without HANDOFF_WEBHOOK_URL (cases stay in the outbox). */
  tickets: TicketWorker | null;
  /** Where other work beside the turns registers how to stop. */
  shutdown: ShutdownRegistry;
  personalData: PersonalData;
  retention: RetentionSweeper;
  /** Stops taking requests, waits for turns in flight, the ticket being sent and the registered stops, closes storage. */
  close(): Promise<void>;
}

/** Without PLATFORM_DATA the bot works on its own copy of the demo data, so changes never touch the repository. */
async function platformDataFile(config: Config): Promise<string> {
  if (config.PLATFORM_DATA !== undefined) return resolve(config.PLATFORM_DATA);
  const workingCopy = resolve(dirname(config.STORAGE_PATH), 'platform.json');
  if (!existsSync(workingCopy)) {
    await mkdir(dirname(workingCopy), { recursive: true });
    await copyFile(join(projectRoot(), 'demo', 'platform.json'), workingCopy);
  }
  return workingCopy;
}

async function createPlatform(config: Config, logger: Logger): Promise<PlatformPort & PlatformReadiness> {
  if (config.PLATFORM_API_URL !== undefined && config.PLATFORM_API_TOKEN !== undefined) {
    return new PlatformApiClient({
      baseUrl: config.PLATFORM_API_URL,
      token: config.PLATFORM_API_TOKEN,
      timeoutMs: config.PLATFORM_API_TIMEOUT_MS,
      logger: logger.child({ component: 'platform-api' }),
    });
  }
  return EmbeddedPlatform.load(await platformDataFile(config));
}

interface BotStorage {
  storage: Storage;
  readiness: StorageReadiness;
  /**
   * The SQLite database of the recorded cases (the outbox), conversation references, Direct
   * Line conversations and counters, and for sqlite and memory of the state too; in memory
   * for STORAGE=memory.
   */
  database: SqliteDatabase;
  /** The state in SQLite, for erasure and retention (empty with STORAGE=azure-blob). */
  state: SqliteStorage;
  /** Serialises the turns of a conversation across instances; in the process when there is one. */
  lock?: ConversationLock;
  /** With STORAGE=azure-blob: the recorded cases in the shared container, for the turns, the ticket workers and the admin. */
  sharedOutbox?: BlobCaseOutbox;
  /** With STORAGE=azure-blob: where photographers and waiting customers can be reached, in the shared container. */
  sharedConversations?: BlobConversationStore;
  /** With STORAGE=azure-blob: the shared container, where the rate-limit counters are kept too. */
  container?: ContainerClient;
  /** With STORAGE=azure-blob: a person's data in the shared container, for erasure. */
  sharedPersonalData?: SharedPersonalData;
  /** With STORAGE=azure-blob: the logged transcripts in the shared container, so a handoff carries every instance's turns. */
  sharedTranscripts?: BlobTranscriptStore;
  /** With STORAGE=azure-blob: what the retention sweeps in the shared container. */
  sharedRetention?: SharedRetention;
  /** With STORAGE=azure-blob: the help chat's Direct Line conversations, in the shared container. */
  sharedDirectLine?: BlobConversationLog;
  /** With STORAGE=azure-blob and no DIRECTLINE_SECRET: the Direct Line secret every instance reads from the container. */
  sharedDirectLineSecret?: string;
}

/** A write lock taken and given back: fails on a read-only, locked-out or broken file. */
function probeSqlite(database: SqliteDatabase): void {
  database.prepare('SELECT 1 FROM bot_state LIMIT 1').get();
  database.exec('BEGIN IMMEDIATE');
  database.exec('ROLLBACK');
}

function openSqliteStorage(config: Config): BotStorage {
  let database: SqliteDatabase | undefined;
  try {
    database = openDatabase(resolve(config.STORAGE_PATH));
    const sqlite = new SqliteStorage(database);
    // A read-only or locked file opens fine and fails at the first save: find out now.
    probeSqlite(database);
    const opened = database;
    const storage = new GuardedStorage(sqlite, `STORAGE_PATH ${config.STORAGE_PATH}`, async () => probeSqlite(opened));
    return { storage, readiness: storage, database, state: sqlite };
  } catch (error) {
    database?.close();
    throw new ConfigError(`Invalid configuration: STORAGE_PATH (got "${config.STORAGE_PATH}"): ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function openBlobStorage(config: Config, logger: Logger, options: StartOptions): Promise<BotStorage> {
  // Loaded only here: the Azure SDK takes a noticeable part of a start, and instances on SQLite never need it.
  const [
    { BlobContainerHealth, BlobStateStorage, isBlobStatus, openContainer },
    { BlobLeaseLock },
    { BlobCaseOutbox },
    { BlobConversationStore },
    { SharedPersonalData },
    { BlobTranscriptStore },
    { ContainerRetention, sharedRecords },
    { BlobConversationLog },
    { sharedDirectLineSecret, SHARED_SECRET_BLOB },
  ] = await Promise.all([
    import('./storage/blobStateStorage.js'),
    import('./storage/blobLeaseLock.js'),
    import('./handoff/blobCaseOutbox.js'),
    import('./proactive/blobConversationStore.js'),
    import('./privacy/blobErasure.js'),
    import('./handoff/blobTranscriptStore.js'),
    import('./privacy/blobRetention.js'),
    import('./directline/blobConversationLog.js'),
    import('./directline/sharedSecret.js'),
  ]);
  const connectionString = config.AZURE_STORAGE_CONNECTION_STRING ?? '';
  const name = config.AZURE_STORAGE_CONTAINER;
  let container: ContainerClient;
  try {
    container = openContainer(connectionString, name);
  } catch {
    // The SDK's message may quote the string, and with it the account key.
    throw new ConfigError('Invalid configuration: AZURE_STORAGE_CONNECTION_STRING: not an Azure Storage connection string (AccountName and AccountKey, or a SAS, with the blob endpoint)');
  }
  const blobs = new BlobContainerHealth(container);
  let reachable = true;
  try {
    await blobs.probe();
  } catch (error) {
    reachable = false;
    if (isBlobStatus(error, 401, 403)) {
      throw new ConfigError(`Invalid configuration: AZURE_STORAGE_CONNECTION_STRING: the storage account refused it (${(error as { code?: string }).code ?? 'forbidden'})`);
    }
    // Unreachable now is not a configuration error: the instance starts, /readyz says 503 until it is reachable.
    logger.warn('Azure Blob Storage not reachable at start; /readyz answers 503 until it is', { container: name, error });
  }
  const local = openSqliteStorage(config);
  const storage = new GuardedStorage(new BlobStateStorage(container, blobs), `Azure Blob container ${name}`, () => blobs.probe());
  logger.info(`STORAGE=azure-blob: bot state, the escalation outbox, the logged transcripts, the conversation references for proactive messages, the rate-limit counters and the web chat's Direct Line conversations are shared in the container`, {
    container: name,
    storagePath: config.STORAGE_PATH,
  });
  const directLine = new BlobConversationLog(container, {
    logger: logger.child({ component: 'directline' }),
    ...(options.directLine?.holdMs === undefined ? {} : { holdMs: options.directLine.holdMs }),
  });
  let directLineSecret: string | undefined;
  if (config.DIRECTLINE_SECRET === undefined) {
    // Not tried when the container did not answer the probe: the start would wait for its retries again.
    directLineSecret = reachable ? await sharedDirectLineSecret(container).catch(() => undefined) : undefined;
    if (directLineSecret !== undefined) {
      logger.info(`STORAGE=azure-blob without DIRECTLINE_SECRET: the Direct Line secret is the one kept in the container (${SHARED_SECRET_BLOB}), the same on every instance`);
    } else {
      logger.warn('STORAGE=azure-blob without DIRECTLINE_SECRET, and the container not readable at start: this instance signs web chat tokens with its own secret until it is restarted, which other instances refuse; set the same DIRECTLINE_SECRET on every instance');
    }
  }
  const sharedOutbox = new BlobCaseOutbox(container);
  return {
    ...local,
    storage,
    readiness: storage,
    lock: new BlobLeaseLock(container, { logger: logger.child({ component: 'conversation-lock' }) }),
    sharedOutbox,
    sharedConversations: new BlobConversationStore(container),
    container,
    sharedPersonalData: new SharedPersonalData(container, directLine),
    sharedDirectLine: directLine,
    ...(directLineSecret === undefined ? {} : { sharedDirectLineSecret: directLineSecret }),
    sharedTranscripts: new BlobTranscriptStore(container, { logger: logger.child({ component: 'transcripts' }) }),
    sharedRetention: new ContainerRetention(container, sharedRecords(sharedOutbox), directLine),
  };
}

async function createStorage(config: Config, logger: Logger, options: StartOptions): Promise<BotStorage> {
  switch (config.STORAGE) {
    case 'memory': {
      // The same storage on a private in-memory database: gone with the process, erasable and swept like the file.
      const database = openDatabase(':memory:');
      const state = new SqliteStorage(database);
      const storage = new GuardedStorage(state, 'memory storage', async () => undefined);
      return { storage, readiness: storage, database, state };
    }
    case 'sqlite':
      return openSqliteStorage(config);
    case 'azure-blob':
      return openBlobStorage(config, logger, options);
  }
}

/**
 * The helpdesk delivery of escalations, when HANDOFF_WEBHOOK_URL names a helpdesk: tickets in
 * the deployment's language, and the ticket's reference told to the person in their chat.
 */
function createTicketWorker(config: Config, outbox: TicketQueue, adapter: DirectLineAdapter, logger: Logger, options: StartOptions): TicketWorker | null {
  if (config.HANDOFF_WEBHOOK_URL === undefined) return null;
  const workerLogger = logger.child({ component: 'tickets' });
  return new TicketWorker({
    outbox,
    helpdesk: { format: config.HANDOFF_FORMAT, url: config.HANDOFF_WEBHOOK_URL, apiKey: config.HANDOFF_API_KEY, locale: config.DEFAULT_LOCALE },
    logger: workerLogger,
    ...options.tickets,
    onTicketCreated: async (record, ticketReference) => {
      if (ticketReference === null) return;
      const told = await tellTicketReference(adapter, config.MicrosoftAppId ?? '', record, ticketReference);
      workerLogger.info(told ? 'ticket reference told' : 'ticket reference kept for the next turn', { caseId: record.id, channel: record.channel });
    },
  });
}

/** Direct Line bodies are single activities typed by a person; 64 KB holds a long paste. */
const MAX_DIRECT_LINE_BODY_BYTES = 64 * 1024;

/** With several instances: how often each looks for turns an instance left unfinished (held a minute each). */
const UNHANDLED_CHECK_MS = 30_000;

/**
 * DIRECTLINE_SECRET, else with STORAGE=azure-blob the one in the container (`shared`), else
 * one generated and kept beside the SQLite file (in memory for STORAGE=memory).
 */
function directLineSecret(config: Config, shared: string | undefined): string {
  if (config.DIRECTLINE_SECRET === undefined && shared !== undefined) return shared;
  if (config.STORAGE === 'memory' && config.DIRECTLINE_SECRET === undefined) return randomBytes(32).toString('base64url');
  return loadDirectLineSecret(config.DIRECTLINE_SECRET, resolve(dirname(config.STORAGE_PATH), 'directline-secret'));
}

function createAdapter(config: Config, env: NodeJS.ProcessEnv, logger: Logger, log: ConversationLog): DirectLineAdapter {
  const settings: Record<string, string | undefined> = {
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  };
  for (const name of SDK_SETTINGS) if (env[name] !== undefined) settings[name] = env[name];
  keepEntityProperties();
  const adapter = new DirectLineAdapter(new ConfigurationBotFrameworkAuthentication(settings), { log, appId: config.MicrosoftAppId ?? '' });
  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed', { error, channel: context.activity.channelId, type: context.activity.type });
    try {
      await apologize(context, config.DEFAULT_LOCALE, error instanceof StorageUnavailableError ? 'storage' : null);
    } catch (sendError) {
      logger.error('apology could not be sent', { error: sendError });
    }
  };
  return adapter;
}

/** What only tests change: where the Slack Web API is (a local stand-in), and the clock. */
export interface StartOptions {
  slackApiUrl?: string;
  /** "Now" for the dialogs (today's date, suggested archive dates); the real clock by default. */
  now?: () => Date;
  /** The ticket worker's waits (backoff, polling), shortened by tests that restart the bot. */
  tickets?: Pick<TicketWorkerOptions, 'backoff' | 'pollMs' | 'timeoutMs'>;
  /** With STORAGE=azure-blob: how long a turn is held and how often unfinished ones are looked for, shortened by tests of a dead instance. */
  directLine?: { holdMs?: number; unhandledCheckMs?: number };
}

export async function startBot(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(config.LOG_LEVEL),
  options: StartOptions = {},
): Promise<RunningBot> {
  const platform = await createPlatform(config, logger);
  const {
    storage,
    database,
    state,
    readiness: storageReadiness,
    lock,
    sharedOutbox,
    sharedConversations,
    container,
    sharedPersonalData,
    sharedTranscripts,
    sharedRetention,
    sharedDirectLine,
    sharedDirectLineSecret,
  } = await createStorage(config, logger, options);
  // The file's write-ahead log is copied back into it beside the turns, not in one of them.
  const checkpoints = database.memory ? undefined : startWalCheckpoints(database, logger.child({ component: 'storage' }));
  const shutdown = new Shutdown(logger);
  // Erasure and retention work on the SQLite outbox only (empty with STORAGE=azure-blob, as the start says).
  const localOutbox = new SqliteCaseOutbox(database);
  const outbox: CaseOutbox & TicketQueue & OutboxListing = sharedOutbox ?? localOutbox;
  // On the bot's database, or the container all instances share: the limit holds across conversations, "restart", restarts and instances.
  const codeLookups = container === undefined ? await RateLimitedCodeLookups.onSqlite(database) : await RateLimitedCodeLookups.onBlob(container);
  const newCases = container === undefined ? await RateLimitedNewCases.onSqlite(database) : await RateLimitedNewCases.onBlob(container);
  // Erasure and retention work on the SQLite log (empty with STORAGE=azure-blob, whose erasure and sweep reach the shared one).
  const conversationLog = new SqliteConversationLog(database);
  const directLineLog: ConversationLog = sharedDirectLine ?? conversationLog;
  const adapter = createAdapter(config, env, logger, directLineLog);
  // Every conversation's transcript (botbuilder's transcript logging), on the bot's database or in the
  // container all instances share: it goes with the handoff event, and is erased and swept like the
  // rest of a person's data. The handoff event's middleware comes first, so it runs once the turn is
  // written down.
  const transcripts = new SqliteTranscriptStore(database, { logger: logger.child({ component: 'transcripts' }) });
  const logged = sharedTranscripts ?? transcripts;
  shutdown.register('transcript lines being written', () => (sharedTranscripts ?? transcripts).flush());
  adapter.use(new HandoffInitiation({ transcripts: logged, logger })).use(new TranscriptLoggerMiddleware(logged));
  // Where photographers and waiting customers can be reached later, on the bot's database too.
  const conversations = new ConversationStore(database);
  const reachable: ReachableConversations = sharedConversations ?? conversations;
  const notices = new ProactiveNotices({ adapter, store: reachable, platform, logger: logger.child({ component: 'proactive' }), appId: config.MicrosoftAppId ?? '' });
  // The one recognizer: the dialogs read free text with it, the turn the person's language.
  const recognizer = new PhraseFileRecognizer();
  const bot = new GalleryBot({
    state: new PersonalConversationState(storage),
    platform,
    delivery: createDelivery({ slack: new SlackBlockKitSender(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }), logger }),
    rootDialog: new MainDialog({ recognizer, platform, outbox, notices, logger, codeLookups, newCases, now: options.now ?? (() => new Date()), supportHours: config.SUPPORT_HOURS ?? null }),
    recognizer,
    defaultLocale: config.DEFAULT_LOCALE,
    logger,
    hooks: [openHandoffHooks({ outbox, logger, recognizer, platform, channelAuthentication: channelAuthenticationEnabled(config), ...(options.now === undefined ? {} : { now: options.now }) }), conversationReferenceHooks({ store: reachable, logger })],
    ...(lock === undefined ? {} : { lock }),
  });
  const conversationData: ConversationDataStores = { db: database, state, conversationLog, outbox: localOutbox, conversations, transcripts };
  const personalData = new PersonalData({
    ...conversationData,
    codeLookups,
    newCases,
    ...(sharedPersonalData === undefined ? {} : { shared: sharedPersonalData }),
  });
  const retention = new RetentionSweeper({
    ...conversationData,
    days: config.RETENTION_DAYS,
    logger: logger.child({ component: 'retention' }),
    ...(sharedRetention === undefined ? {} : { shared: sharedRetention }),
  });
  const readiness = async (): Promise<Record<string, boolean>> => {
    const [storageState, platformState] = await Promise.all([storageReadiness.readiness(), platform.readiness()]);
    for (const [name, state] of [['storage', storageState], ['platform', platformState]] as const) {
      if (!state.ready) logger.warn('not ready', { dependency: name, reason: state.detail });
    }
    return { storage: storageState.ready, platform: platformState.ready };
  };
  const logic = (context: TurnContext) => bot.run(context);
  const tickets = createTicketWorker(config, outbox, adapter, logger, options);
  const { server, inFlight } = createServer({ adapter, logic, logger, appId: config.MicrosoftAppId, readiness });
  // The help chat: the page, its token endpoint and the bot's own Direct Line, into the same bot.
  const directLine = new DirectLineService(directLineLog, new DirectLineTokens(directLineSecret(config, sharedDirectLineSecret)), (activity, clientAddress) => adapter.receive(activity, logic, clientAddress), logger);
  protectBrowserEndpoints(server, { prefixes: [DIRECT_LINE_PREFIX, WIDGET_TOKEN_PATH], origins: config.WIDGET_ORIGINS, maxBodyBytes: MAX_DIRECT_LINE_BODY_BYTES });
  const streams = registerDirectLine(server, { service: directLine, origins: config.WIDGET_ORIGINS, logger });
  registerWidget(server, { service: directLine, origins: config.WIDGET_ORIGINS, logger });
  // No token, no admin endpoints: they answer 404 like any path that does not exist.
  if (config.ADMIN_TOKEN !== undefined) registerAdmin(server, { token: config.ADMIN_TOKEN, outbox, personalData, logger: logger.child({ component: 'admin' }) });

  try {
    await new Promise<void>((ready, fail) => {
      server.once('error', fail);
      server.listen(config.PORT, config.HOST, () => ready());
    });
  } catch (error) {
    await checkpoints?.stop();
    database.close();
    throw listenError(error, config);
  }
  tickets?.start();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  logger.info('listening', { url, storage: config.STORAGE, channelAuthentication: channelAuthenticationEnabled(config), admin: config.ADMIN_TOKEN !== undefined });
  const warning = localModeWarning(config);
  if (warning !== null) logger.warn(warning);
  retention.start();
  // Turns a previous process died in the middle of: answered now; with several instances,
  // also those of an instance that died and may not come back.
  const resume = () => directLine.resumeUnhandled().catch((error: unknown) => logger.error('direct line turns could not be resumed', { error }));
  void resume();
  const resuming = sharedDirectLine === undefined ? undefined : setInterval(resume, options.directLine?.unhandledCheckMs ?? UNHANDLED_CHECK_MS);
  resuming?.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(resuming);
      const stopped = new Promise<void>((done) => server.close(() => done()));
      streams.closeStreams();
      server.server.closeIdleConnections();
      for (let waited = 0; inFlight() + directLine.inFlight() > 0 && waited < 10_000; waited += 50) {
        await new Promise((tick) => setTimeout(tick, 50));
        // A keep-alive connection busy at the close is idle once its request is answered: closed
        // then, so its client cannot go on sending requests while the turns in flight finish.
        server.server.closeIdleConnections();
      }
      server.server.closeAllConnections();
      await stopped;
      // Then what works beside the turns (a ticket being sent is written down), before the database goes.
      await Promise.all([tickets?.stop(), shutdown.run()]);
      retention.stop();
      // The writes waiting for the database's next group commit are committed before the file closes.
      groupCommitOf(database).flush();
      // The checkpoint thread's connection first: the last connection to close removes the log.
      await checkpoints?.stop();
      database.close();
      logger.info('stopped');
    })());

  return { url, config, platform, outbox, adapter, tickets, shutdown, personalData, retention, close };
}

/**
 * The process: configuration from the environment (and `.env`), graceful stop on SIGTERM and
 * SIGINT. Run by `node dist/src/main.js`, and by `npm start` (scripts/start.mjs) once the build is current.
 */
export async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  try {
    const bot = await startBot(config, process.env, logger);
    const stop = (signal: string) => {
      logger.info('shutting down', { signal });
      bot.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', { error });
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}
