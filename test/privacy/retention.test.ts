import { statSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity, StoreItems } from 'botbuilder';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SqliteConversationLog } from '../../src/directline/sqliteConversationLog.js';
import { SqliteCaseOutbox } from '../../src/handoff/sqliteCaseOutbox.js';
import { SqliteTranscriptStore } from '../../src/handoff/sqliteTranscriptStore.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { startBot } from '../../src/main.js';
import { DAY_MS, RetentionSweeper, SWEEP_INTERVAL_MS } from '../../src/privacy/retention.js';
import { ConversationStore } from '../../src/proactive/conversationStore.js';
import { projectRoot } from '../../src/projectRoot.js';
import { conversationStateKey, SqliteStorage } from '../../src/storage/sqliteStorage.js';
import { Chat, diagnosisOf } from '../support/botServer.js';
import { archivedJobCase } from '../support/cases.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { useSqliteFiles } from '../support/sqliteFiles.js';

/**
 * RETENTION_DAYS on a real SQLite file, with a fake clock: what has been idle longer goes
 * (conversation state, Direct Line conversations and their messages, waiting-customer
 * entries, delivered cases), what is younger and cases still waiting for a person stay,
 * and the file shrinks back instead of growing with every month of conversations.
 */

const { open, path: inFolder } = useSqliteFiles('retention-');
const T0 = new Date('2026-06-01T08:00:00.000Z');

afterEach(() => {
  vi.useRealTimers();
});

function stores(file: string) {
  const db = open(file);
  const state = new SqliteStorage(db);
  const conversationLog = new SqliteConversationLog(db);
  const outbox = new SqliteCaseOutbox(db);
  const conversations = new ConversationStore(db);
  const transcripts = new SqliteTranscriptStore(db);
  const sweeper = new RetentionSweeper({ days: 30, db, state, conversationLog, outbox, conversations, transcripts, logger: silentLogger });
  return { db, state, conversationLog, outbox, conversations, transcripts, sweeper };
}

type Stores = ReturnType<typeof stores>;

/** A conversation as a real one leaves it: a case state with a full transcript, a Direct Line log, and its transcript. */
async function converse(s: Stores, name: string): Promise<void> {
  const transcript = Array.from({ length: 40 }, (_, i) => ({ from: i % 2 === 0 ? 'user' : 'bot', text: `line ${i} of ${name} `.repeat(4), at: new Date().toISOString() }));
  const item: StoreItems = { [conversationStateKey('directline', name, `dl_${name}`)]: { case: { transcript, locale: 'en-US' }, eTag: '*' } };
  await s.state.write(item);
  await s.conversationLog.create(name, `dl_${name}`, 'en-US');
  for (let i = 0; i < 6; i++) await s.conversationLog.appendAll(name, [{ type: 'message', text: `message ${i} of ${name} `.repeat(5), from: { id: `dl_${name}`, name: '' } }]);
  for (let i = 0; i < 4; i++) {
    await s.transcripts.logActivity({ type: 'message', channelId: 'directline', conversation: { id: name }, text: `transcript ${i} of ${name}`, timestamp: new Date() } as Activity);
  }
}

function rows(s: Stores, table: string): number {
  return (s.db.prepare(`SELECT count(*) AS count FROM ${table}`).get() as { count: number }).count;
}

/** The database file and its write-ahead log, after a checkpoint: what the disk holds. */
function diskBytes(s: Stores, file: string): number {
  s.db.pragma('wal_checkpoint(TRUNCATE)');
  const wal = (() => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  })();
  return statSync(file).size + wal;
}

describe('the retention sweep', () => {
  it('deletes what has been idle for more than RETENTION_DAYS, keeps the rest and cases still waiting for a person', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const s = stores(inFolder('bot.sqlite'));
    await converse(s, 'old-1');
    await converse(s, 'old-2');
    const waiting = await s.outbox.record(archivedJobCase('old-1'));
    const delivered = await s.outbox.record(archivedJobCase('old-2'));
    await s.outbox.markDelivered(delivered.id);
    s.conversations.saveCustomer(
      { jobId: 'job-1', conversationId: 'old-1', reference: null, locale: 'en-US', accessCode: DEMO_CODES['job-archived'], symptom: 'missed-sale', asked: true },
      new Date(),
    );

    vi.setSystemTime(T0.getTime() + 29 * DAY_MS);
    await converse(s, 'recent');
    // Day 29: nothing is old enough yet.
    expect(s.sweeper.sweep()).toEqual({ conversationStates: 0, directLineConversations: 0, directLineActivities: 0, deliveredCases: 0, waitingCustomerEntries: 0, transcriptActivities: 0 });

    vi.setSystemTime(T0.getTime() + 30 * DAY_MS + 60_000);
    expect(s.sweeper.sweep()).toEqual({ conversationStates: 2, directLineConversations: 2, directLineActivities: 12, deliveredCases: 1, waitingCustomerEntries: 1, transcriptActivities: 8 });
    expect((await s.transcripts.getTranscriptActivities('directline', 'recent')).items).toHaveLength(4);
    expect((await s.transcripts.getTranscriptActivities('directline', 'old-1')).items).toEqual([]);
    expect(s.state.statesOfConversation('directline', 'recent')).toHaveLength(1);
    expect(s.conversationLog.get('recent')).not.toBeNull();
    expect(s.conversationLog.get('old-1')).toBeNull();
    expect(rows(s, 'directline_activities')).toBe(6);
    expect(s.outbox.entry(waiting.id)?.state).toBe('pending');
    expect(s.outbox.entry(delivered.id)).toBeNull();
    // A second sweep at the same time finds nothing more.
    expect(Object.values(s.sweeper.sweep()).every((count) => count === 0)).toBe(true);
  });

  it('keeps the file flat: many conversations a month, swept every month, the file shrinks back each time', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const file = inFolder('bot.sqlite');
    const s = stores(file);
    expect(s.db.pragma('auto_vacuum', { simple: true })).toBe(2); // incremental
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const empty = diskBytes(s, file);
    const sizes: { full: number; swept: number }[] = [];
    for (let month = 0; month < 3; month++) {
      vi.setSystemTime(T0.getTime() + month * 31 * DAY_MS);
      for (let i = 0; i < 600; i++) await converse(s, `m${month}-c${i}`);
      const full = diskBytes(s, file);
      vi.setSystemTime(T0.getTime() + (month + 1) * 31 * DAY_MS);
      const counts = s.sweeper.sweep();
      expect(counts.conversationStates).toBe(600);
      expect(counts.directLineConversations).toBe(600);
      sizes.push({ full, swept: diskBytes(s, file) });
    }
    // Figures for the README: one month of 600 conversations and what is left after the sweep.
    console.info('retention file sizes (bytes)', JSON.stringify({ empty, sizes }));
    for (const { full, swept } of sizes) {
      expect(full).toBeGreaterThan(2_000_000);
      expect(swept).toBeLessThan(full / 5);
    }
    // Month after month the file is as large as one month, not as large as all of them.
    expect(sizes[2]!.full).toBeLessThan(sizes[0]!.full * 1.2);
    expect(sizes[2]!.swept).toBeLessThan(sizes[0]!.swept * 1.5 + 65_536);
  });

  it('runs at start and then every interval, on a timer that never keeps the process alive, until stopped', () => {
    vi.useFakeTimers({ now: T0 });
    const lines: string[] = [];
    const s = stores(inFolder('bot.sqlite'));
    const sweeper = new RetentionSweeper({ ...s, days: 30, logger: createLogger('info', (line) => lines.push(line)) });
    const sweeps = vi.spyOn(sweeper, 'sweep');
    sweeper.start();
    expect(sweeps).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(SWEEP_INTERVAL_MS - 1);
    expect(sweeps).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(sweeps).toHaveBeenCalledTimes(2);
    expect((sweeper as unknown as { timer: NodeJS.Timeout }).timer.hasRef()).toBe(false);
    sweeper.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10 * SWEEP_INTERVAL_MS);
    expect(sweeps).toHaveBeenCalledTimes(2);
    expect(lines.filter((line) => line.includes('"retention sweep"'))).toHaveLength(2);
  });
});

describe('RETENTION_DAYS on the running bot', { timeout: 60_000 }, () => {
  it('an idle customer conversation starts afresh after the sweep, and the pending case is still found to erase', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const folder = await mkdtemp(join(tmpdir(), 'gallery-retention-'));
    const dataFile = join(folder, 'platform.json');
    await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
    const token = 'retention-admin-token-0123456789abcdef012345';
    const env = { PORT: '0', HOST: '127.0.0.1', STORAGE: 'sqlite', STORAGE_PATH: join(folder, 'bot.sqlite'), PLATFORM_DATA: dataFile, RETENTION_DAYS: '7', ADMIN_TOKEN: token };
    const bot = await startBot(loadConfig(env), env, silentLogger);
    try {
      const chat = new Chat(bot.url, { channelId: 'webchat', locale: 'en-US', userId: 'idle-parent' });
      expect(diagnosisOf((await chat.say('it says I missed the sale')).at(-1)).awaiting).toBe('access-code');
      const replies = await chat.say('agent');
      expect(diagnosisOf(replies.at(-1)).awaiting).toBe('email');
      await chat.say('skip');
      expect((await bot.outbox.pending()).map((record) => record.conversationId)).toEqual([chat.conversationId]);

      vi.setSystemTime(T0.getTime() + 6 * DAY_MS);
      expect(bot.retention.sweep().conversationStates).toBe(0);
      vi.setSystemTime(T0.getTime() + 7 * DAY_MS + 60_000);
      expect(bot.retention.sweep().conversationStates).toBe(1);
      // The case waits for a person still; the conversation itself has expired.
      expect(await bot.outbox.pending()).toHaveLength(1);

      const erased = await fetch(`${bot.url}/admin/erase`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ user: { channelId: 'webchat', userId: 'idle-parent' } }),
      });
      expect(((await erased.json()) as { erased: { cases: number; conversationStates: number } }).erased).toMatchObject({ cases: 1, conversationStates: 0 });
      expect(await bot.outbox.pending()).toEqual([]);
      expect(diagnosisOf((await chat.say('hello?')).at(-1)).awaiting).toBe('symptom');
    } finally {
      await bot.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
