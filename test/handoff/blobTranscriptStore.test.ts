import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobTranscriptStore, transcriptBlobName } from '../../src/handoff/blobTranscriptStore.js';
import { createLogger } from '../../src/logger.js';
import { freshContainer, useAzurite } from '../support/azurite.js';
import { Chat, startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';

/**
 * botbuilder's transcript logging with STORAGE=azure-blob: in the shared container, so the
 * transcript a handoff carries holds the turns every instance handled.
 */

const azurite = useAzurite();

function activity(conversationId: string, text: string, fields: Partial<Activity> = {}): Activity {
  return { type: 'message', channelId: 'webchat', conversation: { id: conversationId }, from: { id: 'parent-1', role: 'user' }, text, timestamp: new Date('2026-11-27T10:00:00Z'), ...fields } as Activity;
}

describe('BlobTranscriptStore', () => {
  it('keeps the lines of two instances in one conversation, in order, with their umlauts, and reads what it is still writing', async () => {
    const container = await freshContainer(azurite(), 'transcripts');
    const [one, two] = [new BlobTranscriptStore(container), new BlobTranscriptStore(container)];
    // As TranscriptLoggerMiddleware does: one call per activity, none awaited.
    const written = ['Grüß Gott', 'Ça marche', 'dank je'].map((text) => void one.logActivity(activity('c-1', text)));
    expect(written).toHaveLength(3);
    expect((await one.conversation('webchat', 'c-1')).map((line) => line.text)).toEqual(['Grüß Gott', 'Ça marche', 'dank je']);
    await two.logActivity(activity('c-1', 'from the other instance'));
    await two.logActivity(activity('c-1', '', { type: 'typing' }));
    await two.logActivity(activity('c-1', '', { type: 'event', name: 'handoff.initiate' }));
    await two.logActivity(activity('c-2', 'another conversation'));
    const lines = await one.conversation('webchat', 'c-1');
    expect(lines.map((line) => line.text)).toEqual(['Grüß Gott', 'Ça marche', 'dank je', 'from the other instance']);
    expect(lines[0]!.timestamp).toEqual(new Date('2026-11-27T10:00:00Z'));
    expect(await one.conversation('msteams', 'c-1')).toEqual([]);
    // Named by digest: the conversation id is not in the container's listing.
    const names: string[] = [];
    for await (const item of container.listBlobsFlat()) names.push(item.name);
    expect(names.sort()).toEqual([transcriptBlobName('webchat', 'c-1'), transcriptBlobName('webchat', 'c-2')].sort());
    expect(names.join()).not.toContain('c-1');

    expect(await two.remove([{ channelId: 'webchat', conversationId: 'c-1' }, { channelId: 'webchat', conversationId: 'missing' }])).toBe(4);
    expect(await one.conversation('webchat', 'c-1')).toEqual([]);
    expect(await one.conversation('webchat', 'c-2')).toHaveLength(1);
    // A conversation goes on after its transcript went: a new one starts.
    await one.logActivity(activity('c-1', 'again'));
    expect((await two.conversation('webchat', 'c-1')).map((line) => line.text)).toEqual(['again']);
  });

  it('a line that cannot be written costs that line, not the turn', async () => {
    const container = await freshContainer(azurite(), 'transcripts');
    const lines: string[] = [];
    const store = new BlobTranscriptStore(container, { logger: createLogger('info', (line) => lines.push(line)) });
    await container.delete();
    await expect(store.logActivity(activity('c-1', 'lost'))).resolves.toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('transcript line not kept');
    expect(lines[0]).not.toContain('lost');
  });
});

describe('the handoff transcript with two instances', () => {
  let one: TestBot;
  let two: TestBot;

  beforeAll(async () => {
    const env = { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString, AZURE_STORAGE_CONTAINER: 'handoff-transcripts' };
    [one, two] = await Promise.all([startTestBot(env), startTestBot(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
  });

  it('holds every turn of the conversation, whichever instance handled it', async () => {
    const conversationId = `handoff-across-instances-${process.pid}`;
    const chats = [one, two].map((bot) => new Chat(bot.url, { conversationId, userId: 'parent-across' }));
    const inputs = ['the shop says I missed the sale', DEMO_CODES['job-archived'], 'I want to talk to a person', 'parent@example.com'];
    const botTexts: string[] = [];
    let event: Partial<Activity> | undefined;
    for (const [turn, text] of inputs.entries()) {
      // Turns alternate between the instances: one, two, one, two.
      const replies = await chats[turn % 2]!.send({ text, id: `${conversationId}-turn-${turn}` });
      botTexts.push(...replies.filter((reply) => reply.type === 'message').map((reply) => reply.text ?? ''));
      event = replies.find((reply) => reply.type === 'event' && reply.name === 'handoff.initiate') ?? event;
    }
    expect(event).toBeDefined();
    const transcript = event!.attachments?.find((attachment) => attachment.name === 'Transcript');
    const lines = (transcript?.content as { activities: Partial<Activity>[] }).activities;
    expect(lines.filter((line) => line.from?.id === 'parent-across').map((line) => line.text)).toEqual(inputs);
    // Every reply of both instances, in order, the last turn's included.
    expect(lines.filter((line) => line.type === 'message' && line.from?.id !== 'parent-across').map((line) => line.text ?? '')).toEqual(botTexts);
    expect(lines.some((line) => line.type === 'event' && line.name === 'handoff.initiate')).toBe(false);
  });
});
