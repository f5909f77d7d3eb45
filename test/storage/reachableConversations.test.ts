import { describe, expect, it } from 'vitest';
import { BlobConversationStore } from '../../src/proactive/blobConversationStore.js';
import { ConversationStore, type ReachableConversations, type WaitingCustomer } from '../../src/proactive/conversationStore.js';
import { openDatabase } from '../../src/storage/database.js';
import { freshContainer, useAzurite } from '../support/azurite.js';

/** Whether a conversation asked for a job's photographer, in SQLite and in Azure Blob alike: one record read. */

const azurite = useAzurite();

const customer = (conversationId: string, asked: boolean): WaitingCustomer => ({
  jobId: 'job-4102',
  conversationId,
  reference: null,
  locale: 'de-DE',
  accessCode: 'MXR29PLT',
  symptom: 'missed-sale',
  asked,
});

describe.each([
  ['SQLite', async (): Promise<ReachableConversations> => new ConversationStore(openDatabase(':memory:'))],
  ['Azure Blob', async (): Promise<ReachableConversations> => new BlobConversationStore(await freshContainer(azurite(), 'asked-before'))],
])('askedBefore (%s)', (_store, open) => {
  it('is true for a conversation that asked, until it is told; false for one that only reported, another job or another conversation', async () => {
    const store = await open();
    const at = new Date('2026-12-07T10:00:00Z');
    await store.saveCustomer(customer('asked', true), at);
    await store.saveCustomer(customer('reported', false), at);
    expect(await store.askedBefore('job-4102', 'asked')).toBe(true);
    expect(await store.askedBefore('job-4102', 'reported')).toBe(false);
    expect(await store.askedBefore('job-4102', 'nobody')).toBe(false);
    expect(await store.askedBefore('job-4215', 'asked')).toBe(false);
    expect(await store.markTold('job-4102', 'asked', at)).toBe(true);
    expect(await store.askedBefore('job-4102', 'asked')).toBe(false);
  });
});
