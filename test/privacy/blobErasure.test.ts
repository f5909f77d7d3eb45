import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobCaseOutbox } from '../../src/handoff/blobCaseOutbox.js';
import { BlobTranscriptStore } from '../../src/handoff/blobTranscriptStore.js';
import { BlobStateStorage, openContainer } from '../../src/storage/blobStateStorage.js';
import { conversationStateKey } from '../../src/storage/sqliteStorage.js';
import { type Azurite, startAzurite } from '../support/azurite.js';
import { Chat, startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CASES } from '../support/demoCodes.js';
import { t } from '../e2e/e2eSupport.js';

/**
 * Erasing one person's data with STORAGE=azure-blob: asked on one instance, it reaches what
 * the person left through the other in the shared container (state, cases, waiting-customer
 * entries, transcripts, counters), and nobody else's.
 */

let azurite: Azurite;
let one: TestBot;
let two: TestBot;

beforeAll(async () => {
  azurite = await startAzurite();
  const env = { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: 'erasure' };
  [one, two] = await Promise.all([startTestBot(env), startTestBot(env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await azurite?.stop();
});

/** A parent who reports an archived job's code, asks for support and leaves an address. */
async function escalate(chat: Chat, email: string): Promise<void> {
  await chat.join();
  await chat.say('it says missed the sale');
  await chat.say(DEMO_CASES['job-archived'].code);
  await chat.say(t('en-US', 'notify.no'));
  await chat.say(t('en-US', 'feedback.no'));
  await chat.say(email);
}

describe('erasure with STORAGE=azure-blob', () => {
  it('by e-mail address and by channel user, from the other instance, only that person', async () => {
    const state = new BlobStateStorage(openContainer(azurite.connectionString, 'erasure'));
    const outbox = new BlobCaseOutbox(openContainer(azurite.connectionString, 'erasure'));
    const transcripts = new BlobTranscriptStore(openContainer(azurite.connectionString, 'erasure'));
    const transcriptOf = (chat: Chat) => transcripts.conversation('webchat', chat.conversationId);
    const byEmail = new Chat(one.url, { userId: 'parent-erased-by-email' });
    const byUser = new Chat(one.url, { userId: 'parent-erased-by-user' });
    const kept = new Chat(one.url, { userId: 'parent-kept' });
    await escalate(byEmail, 'Erase.Me@example.com');
    await escalate(byUser, 'by-user@example.com');
    await escalate(kept, 'keep@example.com');
    const key = (chat: Chat) => conversationStateKey('webchat', chat.conversationId, chat.userId);
    const casesOf = async (chat: Chat) => (await outbox.pending()).filter((record) => record.conversationId === chat.conversationId);
    for (const chat of [byEmail, byUser, kept]) {
      expect(Object.keys(await state.read([key(chat)]))).toHaveLength(1);
      expect(await casesOf(chat)).toHaveLength(1);
      expect((await transcriptOf(chat)).length).toBeGreaterThan(5);
    }

    const erasedByEmail = await two.personalData.erase({ email: 'erase.me@EXAMPLE.com' });
    expect(erasedByEmail).toMatchObject({ conversationStates: 1, cases: 1, waitingCustomerEntries: 1 });
    expect(erasedByEmail.transcriptActivities).toBeGreaterThan(5);
    const erasedByUser = await two.personalData.erase({ user: { channelId: 'webchat', userId: 'parent-erased-by-user' } });
    expect(erasedByUser).toMatchObject({ conversationStates: 1, cases: 1, waitingCustomerEntries: 1 });

    for (const chat of [byEmail, byUser]) {
      expect(await state.read([key(chat)])).toEqual({});
      expect(await casesOf(chat)).toEqual([]);
      expect(await transcriptOf(chat)).toEqual([]);
    }
    expect(Object.keys(await state.read([key(kept)]))).toHaveLength(1);
    expect((await transcriptOf(kept)).length).toBeGreaterThan(5);
    expect(await casesOf(kept)).toHaveLength(1);
    // Asking again erases nothing and says so.
    expect(await one.personalData.erase({ email: 'erase.me@example.com' })).toMatchObject({ conversationStates: 0, cases: 0, waitingCustomerEntries: 0, transcriptActivities: 0 });
  }, 120_000);

  it("a help chat conversation: erased from the other instance with its messages, the parent's state and case; another parent's kept", async () => {
    async function widgetChat(email: string): Promise<{ conversationId: string; token: string; userId: string }> {
      const { token } = (await (await fetch(`${one.url}/widget/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { token: string };
      const start = (await (await fetch(`${one.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { conversationId: string; token: string };
      const userId = JSON.parse(Buffer.from(start.token.split('.')[1] ?? '', 'base64url').toString('utf8')).user as string;
      let answered = 0;
      for (const text of ['it says missed the sale', DEMO_CASES['job-archived'].code, t('en-US', 'notify.no'), t('en-US', 'feedback.no'), email]) {
        await fetch(`${two.url}/v3/directline/conversations/${start.conversationId}/activities`, {
          method: 'POST',
          headers: { authorization: `Bearer ${start.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'message', text, locale: 'en-US' }),
        });
        answered += 1;
        // Each message waits for its answer, as a parent does.
        for (const deadline = Date.now() + 15_000; ; ) {
          const { activities } = (await (await fetch(`${one.url}/v3/directline/conversations/${start.conversationId}/activities`, { headers: { authorization: `Bearer ${start.token}` } })).json()) as {
            activities: { from: { role: string }; replyToId?: string }[];
          };
          const users = activities.filter((activity) => activity.from.role === 'user').length;
          if (users === answered && activities.at(-1)?.from.role === 'bot') break;
          if (Date.now() > deadline) throw new Error('no answer');
          await new Promise((tick) => setTimeout(tick, 50));
        }
      }
      return { ...start, userId };
    }
    const erased = await widgetChat('widget-erased@example.com');
    const kept = await widgetChat('widget-kept@example.com');
    const outbox = new BlobCaseOutbox(openContainer(azurite.connectionString, 'erasure'));
    expect((await outbox.pending()).filter((record) => record.conversationId === erased.conversationId)).toHaveLength(1);

    const counts = await two.personalData.erase({ user: { channelId: 'directline', userId: erased.userId } });
    expect(counts).toMatchObject({ conversationStates: 1, cases: 1, directLineConversations: 1 });
    expect(counts.directLineActivities).toBeGreaterThanOrEqual(10);
    const history = (id: string, token: string) => fetch(`${one.url}/v3/directline/conversations/${id}/activities`, { headers: { authorization: `Bearer ${token}` } });
    expect((await history(erased.conversationId, erased.token)).status).toBe(404);
    expect((await history(kept.conversationId, kept.token)).status).toBe(200);
    expect((await outbox.pending()).filter((record) => record.conversationId === kept.conversationId)).toHaveLength(1);
    const names: string[] = [];
    for await (const item of openContainer(azurite.connectionString, 'erasure').listBlobsFlat()) names.push(item.name);
    expect(names.filter((name) => name.includes(encodeURIComponent(erased.conversationId)))).toEqual([]);
    // By the case's address: the other conversation goes too.
    expect(await one.personalData.erase({ email: 'widget-kept@example.com' })).toMatchObject({ cases: 1, directLineConversations: 1 });
    expect((await history(kept.conversationId, kept.token)).status).toBe(404);
  }, 120_000);

  it('finds a person whose ids are too long for a blob name (state kept under a digest), by user and by address', async () => {
    const container = openContainer(azurite.connectionString, 'erasure');
    const state = new BlobStateStorage(container);
    const outbox = new BlobCaseOutbox(container);
    const transcripts = new BlobTranscriptStore(container);
    // Ids of this length make a state key beyond Azure's 1024 characters for a blob name.
    const long = (who: string) => ({ userId: `${who}-${'u'.repeat(600)}`, conversationId: `${who}-${'c'.repeat(600)}` });
    const byUser = new Chat(one.url, long('long-by-user'));
    const byEmail = new Chat(one.url, long('long-by-email'));
    const kept = new Chat(one.url, long('long-kept'));
    await escalate(byUser, 'long-by-user@example.com');
    await escalate(byEmail, 'long-by-email@example.com');
    await escalate(kept, 'long-kept@example.com');
    const key = (chat: Chat) => conversationStateKey('webchat', chat.conversationId, chat.userId);
    const hashed: string[] = [];
    for await (const item of container.listBlobsFlat({ prefix: 'state/~' })) hashed.push(item.name);
    expect(hashed.length).toBeGreaterThanOrEqual(3);
    const casesOf = async (chat: Chat) => (await outbox.pending()).filter((record) => record.conversationId === chat.conversationId);
    for (const chat of [byUser, byEmail, kept]) {
      expect(Object.keys(await state.read([key(chat)]))).toHaveLength(1);
      expect(await casesOf(chat)).toHaveLength(1);
    }

    const erasedByUser = await two.personalData.erase({ user: { channelId: 'webchat', userId: byUser.userId } });
    expect(erasedByUser).toMatchObject({ conversationStates: 1, cases: 1, waitingCustomerEntries: 1, newCaseCounters: 1 });
    expect(erasedByUser.transcriptActivities).toBeGreaterThan(5);
    const erasedByEmail = await two.personalData.erase({ email: 'long-by-email@example.com' });
    expect(erasedByEmail).toMatchObject({ conversationStates: 1, cases: 1, waitingCustomerEntries: 1, newCaseCounters: 1 });
    expect(erasedByEmail.transcriptActivities).toBeGreaterThan(5);

    for (const chat of [byUser, byEmail]) {
      expect(await state.read([key(chat)])).toEqual({});
      expect(await casesOf(chat)).toEqual([]);
      expect(await transcripts.conversation('webchat', chat.conversationId)).toEqual([]);
    }
    expect(Object.keys(await state.read([key(kept)]))).toHaveLength(1);
    expect(await casesOf(kept)).toHaveLength(1);
    expect((await transcripts.conversation('webchat', kept.conversationId)).length).toBeGreaterThan(5);
    // The state itself reads back as it was saved: the key it carries is not part of it.
    expect(JSON.stringify(await state.read([key(kept)]))).not.toContain('~stateKey');
  }, 120_000);
});

