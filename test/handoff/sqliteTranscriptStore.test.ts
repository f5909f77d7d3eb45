import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { SqliteTranscriptStore, TRANSCRIPT_PAGE_SIZE } from '../../src/handoff/sqliteTranscriptStore.js';
import { createLogger } from '../../src/logger.js';
import { useSqliteFiles } from '../support/sqliteFiles.js';

/** botbuilder's TranscriptStore on the bot's SQLite file: what the transcript logger writes, paged back, kept across a restart. */

const { open, path } = useSqliteFiles('transcripts-');

function activity(conversationId: string, text: string, fields: Partial<Activity> = {}): Activity {
  return { type: 'message', channelId: 'webchat', conversation: { id: conversationId }, from: { id: 'parent-1', role: 'user' }, text, timestamp: new Date('2026-11-27T10:00:00Z'), ...fields } as Activity;
}

describe('SqliteTranscriptStore', () => {
  it('gives a conversation back in the order it was logged, a page at a time, and all of it after a restart', async () => {
    const file = path('bot.sqlite');
    const store = new SqliteTranscriptStore(open(file));
    const count = TRANSCRIPT_PAGE_SIZE * 2 + 7;
    for (let i = 0; i < count; i++) await store.logActivity(activity('c-1', `line ${i}`));
    await store.logActivity(activity('c-2', 'another conversation'));
    // What a graceful stop does before the database closes.
    store.flush();

    const reopened = new SqliteTranscriptStore(open(file));
    const first = await reopened.getTranscriptActivities('webchat', 'c-1');
    expect(first.items).toHaveLength(TRANSCRIPT_PAGE_SIZE);
    expect(first.continuationToken).not.toBe('');
    const second = await reopened.getTranscriptActivities('webchat', 'c-1', first.continuationToken);
    const third = await reopened.getTranscriptActivities('webchat', 'c-1', second.continuationToken);
    expect(third.items).toHaveLength(7);
    expect(third.continuationToken).toBe('');
    const texts = [...first.items, ...second.items, ...third.items].map((item) => item.text);
    expect(texts).toEqual(Array.from({ length: count }, (_, i) => `line ${i}`));
    expect((await reopened.conversation('webchat', 'c-1')).map((item) => item.text)).toEqual(texts);
    // Timestamps come back as dates, as botbuilder's own stores give them.
    expect(first.items[0]!.timestamp).toEqual(new Date('2026-11-27T10:00:00Z'));
    expect(await reopened.getTranscriptActivities('msteams', 'c-1')).toEqual({ items: [], continuationToken: '' });
  });

  it('keeps messages and events, not typing indicators nor the handoff event that carries the transcript itself', async () => {
    const store = new SqliteTranscriptStore(open());
    await store.logActivity(activity('c-1', 'hello'));
    await store.logActivity(activity('c-1', '', { type: 'typing' }));
    await store.logActivity(activity('c-1', '', { type: 'event', name: 'handoff.initiate' }));
    await store.logActivity(activity('c-1', '', { type: 'event', name: 'handoff.status', value: { state: 'accepted' } }));
    await store.logActivity(activity('c-1', '', { type: 'conversationUpdate' }));
    const kept = await store.conversation('webchat', 'c-1');
    expect(kept.map((item) => [item.type, item.name ?? item.text])).toEqual([
      ['message', 'hello'],
      ['event', 'handoff.status'],
    ]);
  });

  it('lists, deletes one conversation, and takes only the lines from a start date', async () => {
    const store = new SqliteTranscriptStore(open());
    await store.logActivity(activity('c-1', 'early', { timestamp: new Date('2026-11-26T09:00:00Z') }));
    await store.logActivity(activity('c-1', 'late', { timestamp: new Date('2026-11-27T09:00:00Z') }));
    await store.logActivity(activity('c-2', 'other', { timestamp: new Date('2026-11-27T09:30:00Z') }));
    const since = await store.getTranscriptActivities('webchat', 'c-1', undefined, new Date('2026-11-27T00:00:00Z'));
    expect(since.items.map((item) => item.text)).toEqual(['late']);
    const listed = await store.listTranscripts('webchat');
    expect(listed.items).toEqual([
      { channelId: 'webchat', id: 'c-1', created: new Date('2026-11-26T09:00:00Z') },
      { channelId: 'webchat', id: 'c-2', created: new Date('2026-11-27T09:30:00Z') },
    ]);
    await store.deleteTranscript('webchat', 'c-1');
    expect(await store.conversation('webchat', 'c-1')).toEqual([]);
    expect((await store.listTranscripts('webchat')).items.map((item) => item.id)).toEqual(['c-2']);
  });

  it('a write that fails costs the line, never the turn, and the log names neither the text nor the conversation', async () => {
    const lines: string[] = [];
    const db = open();
    const store = new SqliteTranscriptStore(db, { logger: createLogger('info', (line) => lines.push(line)) });
    db.close();
    await expect(store.logActivity(activity('conversation-of-anna', 'my code is MXR29PLT, anna@example.com'))).resolves.toBeUndefined();
    await new Promise((written) => setImmediate(written));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('transcript lines not kept');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', channels: ['webchat'], lines: 1 });
    expect(lines[0]).not.toMatch(/MXR29PLT|anna/);
  });

  it('writes the lines of a moment together once its callbacks are done, and a read sees them before that', async () => {
    const file = path('bot.sqlite');
    const store = new SqliteTranscriptStore(open(file));
    const other = open(file);
    const rowsSeen = () => (other.prepare('SELECT count(*) AS n FROM transcript_activities').get() as { n: number }).n;
    for (const text of ['hello', 'reply 1', 'reply 2']) await store.logActivity(activity('c-1', text));
    // Not written one by one: the three lines wait for the end of this moment.
    expect(rowsSeen()).toBe(0);
    await new Promise((written) => setImmediate(written));
    expect(rowsSeen()).toBe(3);

    await store.logActivity(activity('c-1', 'hello?'));
    // A handoff reading the transcript at once gets the line just logged.
    expect((await store.conversation('webchat', 'c-1')).map((item) => item.text)).toEqual(['hello', 'reply 1', 'reply 2', 'hello?']);
    other.close();
  });
});
