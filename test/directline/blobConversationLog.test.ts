import type { ContainerClient } from '@azure/storage-blob';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobConversationLog } from '../../src/directline/blobConversationLog.js';
import type { ActivitySet } from '../../src/directline/conversationLog.js';
import { createLogger } from '../../src/logger.js';
import { type Azurite, freshContainer, startAzurite } from '../support/azurite.js';

/**
 * The Direct Line conversation log in the shared container, as two instances use it at
 * once (two logs on one azurite container): numbers never shared, followers on one
 * instance told of what the other appended, a dead instance's unfinished turns claimed by
 * exactly one other, and erasure and expiry removing every blob of a conversation.
 */

let azurite: Azurite;
const logger = createLogger('silent');

beforeAll(async () => {
  azurite = await startAzurite();
}, 90_000);

afterAll(() => azurite?.stop());

function twoInstances(container: ContainerClient, options: { holdMs?: number; now?: () => number } = {}): [BlobConversationLog, BlobConversationLog] {
  return [new BlobConversationLog(container, { logger, pollMs: 50, ...options }), new BlobConversationLog(container, { logger, pollMs: 50, ...options })];
}

const userSays = (text: string): Partial<Activity> => ({ type: 'message', text, from: { id: 'dl_user', role: 'user' } as Activity['from'] });
const botSays = (text: string): Partial<Activity> => ({ type: 'message', text, from: { id: 'bot', role: 'bot' } as Activity['from'] });

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`waited for ${what}`);
    await new Promise((tick) => setTimeout(tick, 10));
  }
}

describe('the Direct Line log in Azure Blob Storage', () => {
  it('a conversation created on one instance is read, started once and appended to on the other', async () => {
    const [a, b] = twoInstances(await freshContainer(azurite, 'dl-basics'));
    await a.create('conv-1', 'dl_user', 'de-DE');
    expect(await b.get('conv-1')).toEqual({ id: 'conv-1', userId: 'dl_user', locale: 'de-DE', started: false });
    expect(await b.get('no-such-conversation')).toBeNull();
    expect(await b.get('x'.repeat(2000))).toBeNull();
    const starts = await Promise.all([a.start('conv-1'), b.start('conv-1'), a.start('conv-1')]);
    expect(starts.filter(Boolean)).toHaveLength(1);
    expect((await a.get('conv-1'))?.started).toBe(true);

    const [first] = await a.appendAll('conv-1', [userSays('hallo')]);
    const replies = await b.appendAll('conv-1', [botSays('eins'), botSays('zwei')]);
    expect([first!.seq, ...replies.map((reply) => reply.seq)]).toEqual([1, 2, 3]);
    expect(replies.map((reply) => reply.entry.id)).toEqual(['conv-1|0000002', 'conv-1|0000003']);
    const all = await a.after('conv-1', null);
    expect(all.watermark).toBe('3');
    expect(all.activities.map((activity) => activity.text)).toEqual(['hallo', 'eins', 'zwei']);
    const times = all.activities.map((activity) => new Date(activity.timestamp!).getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(new Set(times).size).toBe(3);
    expect((await b.after('conv-1', 2)).activities.map((activity) => activity.text)).toEqual(['zwei']);
    // A watermark past the end counts from the end.
    expect(await b.after('conv-1', 99)).toEqual({ activities: [], watermark: '3' });
  });

  it('appends on both instances at once take distinct numbers, none skipped, each activity once', async () => {
    const [a, b] = twoInstances(await freshContainer(azurite, 'dl-concurrent'));
    await a.create('busy', 'dl_user', null);
    const sent = Array.from({ length: 24 }, (_, i) => `message ${i}`);
    const stored = await Promise.all(sent.map((text, i) => (i % 2 === 0 ? a : b).appendAll('busy', [userSays(text)])));
    const seqs = stored.map(([entry]) => entry!.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const all = await b.after('busy', null);
    expect(all.activities).toHaveLength(24);
    expect(new Set(all.activities.map((activity) => activity.text))).toEqual(new Set(sent));
    expect(all.activities.map((activity) => activity.id)).toEqual(seqs.map((seq) => `busy|${String(seq).padStart(7, '0')}`));
  });

  it('a follower on one instance gets what the other appends, in order, each once, and nothing after it stops', async () => {
    const [a, b] = twoInstances(await freshContainer(azurite, 'dl-follow'));
    await a.create('followed', 'dl_user', null);
    await a.appendAll('followed', [botSays('before')]);
    const sets: ActivitySet[] = [];
    const stop = a.follow('followed', 1, (set) => sets.push(set));
    const received = () => sets.flatMap((set) => set.activities.map((activity) => activity.text));
    await b.appendAll('followed', [userSays('one')]);
    await a.appendAll('followed', [botSays('two')]);
    await b.appendAll('followed', [botSays('three'), botSays('four')]);
    await until(() => received().length >= 4, 'four activities');
    await new Promise((tick) => setTimeout(tick, 200));
    expect(received()).toEqual(['one', 'two', 'three', 'four']);
    expect(sets.at(-1)?.watermark).toBe('5');
    // A follower from the start gets the backlog first.
    const fromStart: string[] = [];
    const stopSecond = b.follow('followed', null, (set) => fromStart.push(...set.activities.map((activity) => activity.text ?? '')));
    await until(() => fromStart.length >= 5, 'the backlog');
    expect(fromStart).toEqual(['before', 'one', 'two', 'three', 'four']);
    stop();
    stopSecond();
    await b.appendAll('followed', [botSays('unheard')]);
    await new Promise((tick) => setTimeout(tick, 200));
    expect(received()).not.toContain('unheard');
    expect(fromStart).not.toContain('unheard');
  });

  it('a turn left unfinished is claimed by exactly one instance once its hold is over, and not again once handled', async () => {
    let now = Date.now();
    const [a, b] = twoInstances(await freshContainer(azurite, 'dl-unhandled'), { holdMs: 60_000, now: () => now });
    await a.create('crashed', 'dl_user', null);
    await a.appendAll('crashed', [userSays('answered')]);
    await a.markHandled('crashed', 1);
    await a.appendAll('crashed', [userSays('lost'), botSays('a reply is no turn')]);
    // The instance running the turn still holds it.
    expect(await b.claimUnhandled()).toEqual([]);
    now += 61_000;
    const claims = await Promise.all([a.claimUnhandled(), b.claimUnhandled(), b.claimUnhandled()]);
    const claimed = claims.flat();
    expect(claimed.map(({ conversationId, seq, entry }) => [conversationId, seq, entry.text])).toEqual([['crashed', 2, 'lost']]);
    await (claims[0]!.length > 0 ? a : b).markHandled('crashed', 2);
    now += 61_000;
    expect([...(await a.claimUnhandled()), ...(await b.claimUnhandled())]).toEqual([]);
  });

  it('erasure and expiry remove every blob of a conversation, and only of that one', async () => {
    const container = await freshContainer(azurite, 'dl-remove');
    const [a, b] = twoInstances(container);
    await a.create('erased-1', 'dl_erased', null);
    await b.create('erased-2', 'dl_erased', null);
    await a.create('kept', 'dl_kept', null);
    for (const id of ['erased-1', 'erased-2', 'kept']) await a.appendAll(id, [userSays(`hi from ${id}`), botSays('hello')]);
    expect((await b.conversationsOf('dl_erased')).sort()).toEqual(['erased-1', 'erased-2']);
    expect(await b.remove(await b.conversationsOf('dl_erased'))).toEqual({ conversations: 2, activities: 4 });
    expect(await a.get('erased-1')).toBeNull();
    expect(await a.conversationsOf('dl_erased')).toEqual([]);
    const names: string[] = [];
    for await (const item of container.listBlobsFlat()) names.push(item.name);
    expect(names.filter((name) => name.includes('erased'))).toEqual([]);
    expect(names.some((name) => name.includes('kept'))).toBe(true);

    // Expiry: written before the cut-off goes, written after it stays.
    expect(await a.removeIdle(new Date(Date.now() - 60_000))).toEqual({ conversations: 0, activities: 0 });
    expect(await a.removeIdle(new Date(Date.now() + 60_000))).toEqual({ conversations: 1, activities: 2 });
    const left: string[] = [];
    for await (const item of container.listBlobsFlat()) left.push(item.name);
    expect(left.filter((name) => name.startsWith('directline/'))).toEqual([]);
  });
});
