import type { Activity } from 'botbuilder';
import type { ContainerClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { BlobCaseOutbox } from '../../src/handoff/blobCaseOutbox.js';
import { BlobTranscriptStore } from '../../src/handoff/blobTranscriptStore.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { ContainerRetention, sharedRecords } from '../../src/privacy/blobRetention.js';
import { DAY_MS, type RetentionOptions, RetentionSweeper } from '../../src/privacy/retention.js';
import { BlobConversationStore } from '../../src/proactive/blobConversationStore.js';
import { BlobWindowLimiter } from '../../src/security/blobCounter.js';
import { BlobLeaseLock } from '../../src/storage/blobLeaseLock.js';
import { BlobStateStorage } from '../../src/storage/blobStateStorage.js';
import { openDatabase } from '../../src/storage/database.js';
import { conversationStateKey, SqliteStorage } from '../../src/storage/sqliteStorage.js';
import { SqliteConversationLog } from '../../src/directline/sqliteConversationLog.js';
import { BlobConversationLog } from '../../src/directline/blobConversationLog.js';
import { SqliteCaseOutbox } from '../../src/handoff/sqliteCaseOutbox.js';
import { SqliteTranscriptStore } from '../../src/handoff/sqliteTranscriptStore.js';
import { ConversationStore } from '../../src/proactive/conversationStore.js';
import { freshContainer, useAzurite } from '../support/azurite.js';
import { startTestBot } from '../support/botServer.js';
import { archivedJobCase } from '../support/cases.js';
import { DEMO_CODES } from '../support/demoCodes.js';

/**
 * RETENTION_DAYS in the Azure Blob container several instances share (azurite in memory).
 * The sweep goes by each blob's own lastModified, which the service sets and a test cannot:
 * the old records are written, a second passes, the young ones are written, and the sweep
 * runs on a clock that puts the retention's start between the two.
 */

const azurite = useAzurite();

const DAYS = 30;

function message(conversationId: string, text: string): Activity {
  return { type: 'message', channelId: 'webchat', conversation: { id: conversationId }, from: { id: 'parent', role: 'user' }, text, timestamp: new Date() } as Activity;
}

async function names(container: ContainerClient): Promise<string[]> {
  const found: string[] = [];
  for await (const item of container.listBlobsFlat()) found.push(item.name);
  return found.sort();
}

/** Waits until the service's clock (whole seconds in lastModified) has passed a second boundary; that boundary. */
async function nextSecond(): Promise<Date> {
  const boundary = Math.ceil((Date.now() + 1) / 1000) * 1000;
  await new Promise((tick) => setTimeout(tick, boundary - Date.now() + 50));
  return new Date(boundary);
}

/** A sweeper over empty SQLite stores and this container, on a clock RETENTION_DAYS after the retention's start. */
function sweeperOf(container: ContainerClient, retentionStart: Date, options: Partial<RetentionOptions> = {}): RetentionSweeper {
  const db = openDatabase(':memory:');
  return new RetentionSweeper({
    days: DAYS,
    db,
    state: new SqliteStorage(db),
    conversationLog: new SqliteConversationLog(db),
    outbox: new SqliteCaseOutbox(db),
    conversations: new ConversationStore(db),
    transcripts: new SqliteTranscriptStore(db),
    logger: silentLogger,
    now: () => new Date(retentionStart.getTime() + DAYS * DAY_MS),
    shared: new ContainerRetention(container, sharedRecords(new BlobCaseOutbox(container))),
    ...options,
  });
}

describe('the retention sweep in the shared container', () => {
  it('deletes what has not changed since the retention began, and keeps what is younger and every case still waiting', async () => {
    const container = await freshContainer(azurite(), 'retention');
    const state = new BlobStateStorage(container);
    const transcripts = new BlobTranscriptStore(container);
    const outbox = new BlobCaseOutbox(container);
    const reachable = new BlobConversationStore(container);
    const counter = new BlobWindowLimiter(container, { keyPrefix: 'lookups', points: 5, windowSeconds: 3600 });
    const lock = new BlobLeaseLock(container, { logger: silentLogger });
    const longId = 'x'.repeat(1100);

    // Old: a conversation of every kind, long over.
    await state.write({ [conversationStateKey('webchat', 'old', 'parent')]: { turns: 3 }, [conversationStateKey('webchat', longId, 'parent')]: { turns: 1 } });
    await transcripts.logActivity(message('old', 'hello'));
    await transcripts.logActivity(message('old-but-going-on', 'hello'));
    await reachable.savePhotographer({ photographerId: 'ph-brandt', reference: { conversation: { id: 'ph-old' } as never }, locale: 'de-DE', updatedAt: new Date().toISOString() });
    await reachable.saveCustomer({ jobId: 'job-4102', conversationId: 'old', reference: null, locale: 'en-US', accessCode: DEMO_CODES['job-archived'], symptom: 'missed-sale', asked: true }, new Date());
    await reachable.saveNotice({ jobId: 'job-4102', photographerId: 'ph-brandt', conversationId: 'ph-old', activityId: 'a-1', sentAt: new Date().toISOString() });
    await counter.consume('webchat:parent');
    await lock.run('old', async () => undefined);
    const refused = await outbox.record(archivedJobCase('refused'), 'webchat:refused');
    const claim = await outbox.claimDue('worker', 60_000);
    expect(claim?.record.id).toBe(refused.id);
    await outbox.markFailed(claim!, 'helpdesk said 400');
    const delivered = await outbox.record(archivedJobCase('delivered'), 'webchat:delivered');
    await outbox.markDelivered(delivered.id);
    const waiting = await outbox.record(archivedJobCase('waiting'), 'webchat:waiting');
    // A marker left by a crash between the marker and its case: it holds nothing.
    await container.getBlockBlobClient('open-cases/left-by-a-crash').upload('case-never-written', 18);
    // Records of other prefixes are not this sweep's (the shared Direct Line secret, the Direct Line log's own retention).
    for (const name of ['config/directline-secret', 'directline/conversations/dl-1/conversation']) await container.getBlockBlobClient(name).upload('{}', 2);

    const retentionStart = await nextSecond();
    // Young: a conversation of today, and the old one that went on.
    await state.write({ [conversationStateKey('webchat', 'young', 'parent')]: { turns: 1 } });
    await transcripts.logActivity(message('young', 'hello'));
    await transcripts.logActivity(message('old-but-going-on', 'still there?'));
    const kept = await names(container);

    const sweeper = sweeperOf(container, retentionStart);
    expect(await sweeper.sweepContainer()).toEqual({
      conversationStates: 2,
      transcripts: 1,
      photographerConversations: 1,
      waitingCustomerEntries: 1,
      sentNotices: 1,
      counters: 1,
      conversationLocks: 1,
      deliveredCases: 1,
      openCaseMarkers: 1,
    });
    const left = await names(container);
    expect(left).toHaveLength(8);
    expect(left).toEqual(expect.arrayContaining(['config/directline-secret', 'directline/conversations/dl-1/conversation']));
    expect(left.every((name) => kept.includes(name))).toBe(true);
    expect(Object.keys(await state.read([conversationStateKey('webchat', 'young', 'parent'), conversationStateKey('webchat', 'old', 'parent')]))).toEqual([
      conversationStateKey('webchat', 'young', 'parent'),
    ]);
    expect(await transcripts.conversation('webchat', 'old')).toEqual([]);
    expect((await transcripts.conversation('webchat', 'old-but-going-on')).map((line) => line.text)).toEqual(['hello', 'still there?']);
    expect(await reachable.photographer('ph-brandt')).toBeNull();
    expect(await reachable.waiting('job-4102')).toEqual([]);
    // The waiting case, its open matter and the refused one stay, whatever their age; the delivered one went.
    expect((await outbox.pending()).map((record) => record.id).sort()).toEqual([refused.id, waiting.id].sort());
    expect(await outbox.openCase('webchat:waiting', archivedJobCase('waiting'))).toMatchObject({ id: waiting.id });
    expect(await outbox.entry(delivered.id)).toBeNull();

    // Asked again, nothing is left to go.
    expect(Object.values((await sweeper.sweepContainer())!).every((count) => count === 0)).toBe(true);
    // A minute later on the sweep's clock, the young conversation is old too; the waiting cases still stay.
    const minuteLater = sweeperOf(container, new Date(retentionStart.getTime() + 60_000));
    expect(await minuteLater.sweepContainer()).toMatchObject({ conversationStates: 1, transcripts: 2, deliveredCases: 0, openCaseMarkers: 0 });
  }, 60_000);

  it("goes through the help chat's Direct Line conversations whole: one still going on stays with its first messages", async () => {
    const container = await freshContainer(azurite(), 'retention-directline');
    const log = new BlobConversationLog(container, { logger: silentLogger });
    const user = (text: string) => ({ type: 'message', text, from: { id: 'dl_parent', role: 'user' } as Activity['from'] });
    await log.create('over', 'dl_parent', null);
    await log.appendAll('over', [user('hello'), user('thanks')]);
    await log.create('going-on', 'dl_parent', null);
    await log.appendAll('going-on', [user('hello')]);
    const retentionStart = await nextSecond();
    await log.appendAll('going-on', [user('still there?')]);

    const sweeper = sweeperOf(container, retentionStart, { shared: new ContainerRetention(container, sharedRecords(new BlobCaseOutbox(container)), log) });
    expect(await sweeper.sweepContainer()).toMatchObject({ directLineConversations: 1, directLineActivities: 2 });
    expect(await log.get('over')).toBeNull();
    expect((await log.after('going-on', null)).activities.map((activity) => activity.text)).toEqual(['hello', 'still there?']);
    expect(await log.conversationsOf('dl_parent')).toEqual(['going-on']);
  }, 60_000);

  it('keeps a blob written after it was listed, and a lock leased by a turn in progress', async () => {
    const container = await freshContainer(azurite(), 'retention');
    const state = new BlobStateStorage(container);
    const key = conversationStateKey('webchat', 'busy', 'parent');
    await state.write({ [key]: { turns: 1 } });
    const lock = new BlobLeaseLock(container, { logger: silentLogger });
    await lock.run('busy', async () => undefined);
    const before = await nextSecond();

    // A turn saves the state between the listing and the delete.
    const racing = new ContainerRetention(container, [
      {
        name: 'conversationStates',
        prefix: 'state/',
        keep: async () => {
          await new BlobStateStorage(container).write({ [key]: { turns: 2 } });
          return false;
        },
      },
    ]);
    expect(await racing.sweep(before, new AbortController().signal)).toEqual({ conversationStates: 0 });
    expect(await state.read([key])).toMatchObject({ [key]: { turns: 2 } });

    const records = sharedRecords(new BlobCaseOutbox(container)).filter((record) => record.name === 'conversationLocks');
    const during = await lock.run('busy', () => new ContainerRetention(container, records).sweep(before, new AbortController().signal));
    expect(during).toEqual({ conversationLocks: 0 });
    expect(await new ContainerRetention(container, records).sweep(before, new AbortController().signal)).toEqual({ conversationLocks: 1 });
  }, 60_000);

  it('runs with the SQLite sweep, at start and every interval, on every instance with STORAGE=azure-blob', async () => {
    const container = await freshContainer(azurite(), 'retention');
    const lines: string[] = [];
    const scheduled = sweeperOf(container, new Date(), { logger: createLogger('info', (line) => lines.push(line)), intervalMs: 200 });
    scheduled.start();
    try {
      await expect.poll(() => lines.filter((line) => line.includes('"container retention sweep"')).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      scheduled.stop();
    }
    expect(lines.filter((line) => line.includes('"retention sweep"')).length).toBeGreaterThanOrEqual(2);
    expect(lines.find((line) => line.includes('"container retention sweep"'))).toContain('"deliveredCases":0');

    const bot = await startTestBot({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString, AZURE_STORAGE_CONTAINER: 'retention-bot' });
    try {
      expect(await bot.retention.sweepContainer()).toMatchObject({ conversationStates: 0, transcripts: 0, deliveredCases: 0 });
    } finally {
      await bot.stop();
    }
  }, 60_000);
});
