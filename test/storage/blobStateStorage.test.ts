import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { channelUserDigest, conversationDigest } from '../../src/storage/blobDigests.js';
import { BlobStateStorage, digestNamedStateKeys, stateBlobName } from '../../src/storage/blobStateStorage.js';
import { conversationStateKey } from '../../src/storage/sqliteStorage.js';
import { BlobLeaseLock } from '../../src/storage/blobLeaseLock.js';
import { type Azurite, freshContainer, startAzurite } from '../support/azurite.js';

/**
 * Bot state and conversation locks on a real Blob REST API (azurite in memory): two
 * storage objects on one container stand for two instances of the bot.
 */

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
}, 90_000);

afterAll(async () => {
  await azurite?.stop();
});


describe('BlobStateStorage', () => {
  it('keeps what was written, with text in any language, and gives every version a new eTag', async () => {
    const storage = new BlobStateStorage(await freshContainer(azurite, 'state-test'));
    const key = 'directline/conversations/c-1/users/u-1/';
    expect(await storage.read([key])).toEqual({});
    const document = { case: { transcript: [{ text: 'Grüße, ça ne marche pas, ß and 写真 🙂' }] } };
    await storage.write({ [key]: { ...document, eTag: '*' } });
    const first = await storage.read([key]);
    expect(first[key]).toEqual({ ...document, eTag: expect.any(String) });
    await storage.write({ [key]: { ...first[key], step: 2, eTag: '*' } });
    const second = await storage.read([key]);
    expect(second[key]?.step).toBe(2);
    expect(second[key]?.eTag).not.toBe(first[key]?.eTag);
  });

  it('refuses a save over what another instance saved since this one read, instead of losing it', async () => {
    const container = await freshContainer(azurite, 'state-test');
    const one = new BlobStateStorage(container);
    const two = new BlobStateStorage(container);
    const key = 'msteams/conversations/c-2/users/u-2/';
    await one.write({ [key]: { answers: ['first'], eTag: '*' } });
    const readByOne = await one.read([key]);
    const readByTwo = await two.read([key]);
    await two.write({ [key]: { answers: ['first', 'from two'], eTag: '*' } });
    // What BotState.saveChanges sends: eTag "*".
    await expect(one.write({ [key]: { ...readByOne[key], answers: ['first', 'from one'], eTag: '*' } })).rejects.toThrow(/eTag conflict/);
    expect((await one.read([key]))[key]?.answers).toEqual(['first', 'from two']);
    // After reading again, the save goes through.
    await one.write({ [key]: { answers: ['first', 'from two', 'from one'], eTag: '*' } });
    expect((await two.read([key]))[key]?.answers).toEqual(['first', 'from two', 'from one']);
    void readByTwo;
  });

  it('refuses to create over a state another instance created after this one found none', async () => {
    const container = await freshContainer(azurite, 'state-test');
    const one = new BlobStateStorage(container);
    const two = new BlobStateStorage(container);
    const key = 'slack/conversations/c-3/users/u-3/';
    expect(await one.read([key])).toEqual({});
    expect(await two.read([key])).toEqual({});
    await two.write({ [key]: { by: 'two', eTag: '*' } });
    await expect(one.write({ [key]: { by: 'one', eTag: '*' } })).rejects.toThrow(/eTag conflict/);
    expect((await one.read([key]))[key]?.by).toBe('two');
  });

  it('honours an explicit eTag, writes a key never read unconditionally, and deletes', async () => {
    const container = await freshContainer(azurite, 'state-test');
    const storage = new BlobStateStorage(container);
    const other = new BlobStateStorage(container);
    const key = 'webchat/conversations/c-4/users/u-4/';
    await storage.write({ [key]: { n: 1 } });
    const { eTag } = (await other.read([key]))[key] as { eTag: string };
    await other.write({ [key]: { n: 2, eTag: '*' } });
    await expect(storage.write({ [key]: { n: 3, eTag } })).rejects.toThrow(/eTag conflict/);
    await storage.delete([key]);
    expect(await other.read([key])).toEqual({});
  });

  it('names blobs so that no key can reach outside the state prefix, long keys included', () => {
    expect(stateBlobName('a/../../locks/x')).toBe('state/a%2F..%2F..%2Flocks%2Fx');
    const long = stateBlobName(`directline/conversations/${'x'.repeat(2000)}/users/u/`);
    expect(long).toMatch(/^state\/~[0-9a-f]{64}$/);
  });

  it('keeps a key too long for a blob name under its digest, indexed by person and conversation, and reads it back as saved', async () => {
    const container = await freshContainer(azurite, 'state-test');
    const storage = new BlobStateStorage(container);
    const [conversationId, userId] = ['c'.repeat(700), 'u'.repeat(400)];
    const key = conversationStateKey('msteams', conversationId, userId);
    await storage.write({ [key]: { turns: 1, eTag: '*' } });
    expect(await new BlobStateStorage(container).read([key])).toEqual({ [key]: { turns: 1, eTag: expect.any(String) } });
    const properties = await container.getBlockBlobClient(stateBlobName(key)).getProperties();
    expect(properties.metadata).toEqual({ user: channelUserDigest('msteams', userId), conversation: conversationDigest('msteams', conversationId) });
    expect(await digestNamedStateKeys(container, (index) => index.user === channelUserDigest('msteams', userId))).toEqual([key]);
    expect(await digestNamedStateKeys(container, (index) => index.user === channelUserDigest('msteams', 'someone else'))).toEqual([]);
  });
});

describe('BlobLeaseLock', () => {
  it('runs the turns of one conversation one at a time across instances, other conversations side by side', async () => {
    const container = await freshContainer(azurite, 'state-test');
    const instances = [new BlobLeaseLock(container, { logger: silentLogger }), new BlobLeaseLock(container, { logger: silentLogger })];
    const running = new Map<string, number>();
    let overlapsWithin = 0;
    let maxAcross = 0;
    const turn = (conversation: string) => async () => {
      const now = (running.get(conversation) ?? 0) + 1;
      running.set(conversation, now);
      if (now > 1) overlapsWithin += 1;
      maxAcross = Math.max(maxAcross, [...running.values()].filter((count) => count > 0).length);
      await new Promise((tick) => setTimeout(tick, 20));
      running.set(conversation, (running.get(conversation) ?? 1) - 1);
      return conversation;
    };
    const all = [];
    for (let i = 0; i < 24; i++) {
      const conversation = `conversation-${i % 3}`;
      all.push(instances[i % 2]!.run(conversation, turn(conversation)));
    }
    const results = await Promise.all(all);
    expect(results).toHaveLength(24);
    expect(overlapsWithin).toBe(0);
    // Nothing held one conversation's turns behind another's.
    expect(maxAcross).toBeGreaterThan(1);
  }, 60_000);

  it('gives the conversation back when a turn fails', async () => {
    const container = await freshContainer(azurite, 'state-test');
    const one = new BlobLeaseLock(container, { logger: silentLogger });
    const two = new BlobLeaseLock(container, { logger: silentLogger, waitMs: 20_000 });
    await expect(one.run('c', async () => Promise.reject(new Error('turn failed')))).rejects.toThrow('turn failed');
    await expect(two.run('c', async () => 'next turn')).resolves.toBe('next turn');
  }, 60_000);
});
