import type { ContainerClient } from '@azure/storage-blob';
import type { BlobConversationLog } from '../directline/blobConversationLog.js';
import { DIRECT_LINE_CHANNEL_ID } from '../directline/directLineAdapter.js';
import { BlobCaseOutbox } from '../handoff/blobCaseOutbox.js';
import { BlobTranscriptStore } from '../handoff/blobTranscriptStore.js';
import { WAITING } from '../proactive/blobConversationStore.js';
import { personKey } from '../security/requester.js';
import { channelUserDigest, conversationDigest, digest } from '../storage/blobDigests.js';
import { digestNamedStateKeys, isBlobStatus, STATE_PREFIX, stateBlobName } from '../storage/blobStateStorage.js';
import type { Person } from './person.js';

/** What an erasure removed from the shared container. */
export interface SharedErasureCounts {
  conversationStates: number;
  cases: number;
  waitingCustomerEntries: number;
  transcriptActivities: number;
  directLineConversations: number;
  directLineActivities: number;
}

/**
 * One person's data in the Azure Blob container several instances share, found the same
 * way as in SQLite (src/privacy/erasure.ts): their state in every conversation of their
 * channel, the cases of those conversations and their own (by person key), the cases that
 * give an e-mail address with the people of those conversations, and the waiting-customer
 * entries and logged transcripts of those conversations, and the help chat's Direct Line
 * conversations of those people and cases with every message in them. State keys too long
 * for a blob name (kept under their digest) are found by the digests of person and
 * conversation in their metadata, and read from the blob itself.
 */
export class SharedPersonalData {
  private readonly outbox: BlobCaseOutbox;
  private readonly transcripts: BlobTranscriptStore;

  constructor(
    private readonly container: ContainerClient,
    private readonly directLine: BlobConversationLog,
  ) {
    this.outbox = new BlobCaseOutbox(container);
    this.transcripts = new BlobTranscriptStore(container);
  }

  /** The state keys starting with `prefix`, by name, and those kept under a digest whose index matches. */
  private async stateKeys(prefix: string, index: (metadata: Record<string, string>) => boolean): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix: `${STATE_PREFIX}${encodeURIComponent(prefix)}` })) {
      keys.push(decodeURIComponent(item.name.slice(STATE_PREFIX.length)));
    }
    for (const key of await digestNamedStateKeys(this.container, index)) if (key.startsWith(prefix)) keys.push(key);
    return keys;
  }

  /** One person's state in every conversation of the channel: its keys and the conversations. */
  private async statesOfUser(person: Person): Promise<{ key: string; conversationId: string }[]> {
    const prefix = `${person.channelId}/conversations/`;
    const suffix = `/users/${person.userId}/`;
    const user = channelUserDigest(person.channelId, person.userId);
    return (await this.stateKeys(prefix, (index) => index.user === user))
      .filter((key) => key.endsWith(suffix) && key.length > prefix.length + suffix.length)
      .map((key) => ({ key, conversationId: key.slice(prefix.length, key.length - suffix.length) }));
  }

  /** Everybody's state in one conversation. */
  private async statesOfConversation(channelId: string, conversationId: string): Promise<{ key: string; userId: string }[]> {
    const prefix = `${channelId}/conversations/${conversationId}/users/`;
    const conversation = conversationDigest(channelId, conversationId);
    return (await this.stateKeys(prefix, (index) => index.conversation === conversation))
      .filter((key) => key.endsWith('/') && !key.slice(prefix.length, -1).includes('/users/'))
      .map((key) => ({ key, userId: key.slice(prefix.length, -1) }));
  }

  async erase(request: { user: Person } | { email: string }): Promise<SharedErasureCounts & { people: Person[] }> {
    const people = new Map<string, Person>();
    const stateKeys = new Set<string>();
    const conversations = new Set<string>();
    /** Conversations by channel, whose transcripts go. */
    const transcripts = new Map<string, { channelId: string; conversationId: string }>();
    const addConversation = (channelId: string, conversationId: string) => {
      conversations.add(conversationId);
      transcripts.set(JSON.stringify([channelId, conversationId]), { channelId, conversationId });
    };
    const cases = new Set<string>();
    const directLineConversations = new Set<string>();
    if ('user' in request) {
      people.set(personKey(request.user), request.user);
    } else {
      for (const entry of await this.outbox.withEmailAddress(request.email)) {
        cases.add(entry.id);
        addConversation(entry.channel, entry.conversationId);
        const prefix = `${entry.channel}:`;
        if (entry.person?.startsWith(prefix)) {
          const person = { channelId: entry.channel, userId: entry.person.slice(prefix.length) };
          people.set(personKey(person), person);
        }
        for (const { userId } of await this.statesOfConversation(entry.channel, entry.conversationId)) {
          people.set(personKey({ channelId: entry.channel, userId }), { channelId: entry.channel, userId });
        }
        if (entry.channel === DIRECT_LINE_CHANNEL_ID) {
          directLineConversations.add(entry.conversationId);
          const conversation = await this.directLine.get(entry.conversationId);
          if (conversation !== null) people.set(personKey({ channelId: entry.channel, userId: conversation.userId }), { channelId: entry.channel, userId: conversation.userId });
        }
      }
    }
    for (const person of people.values()) {
      const ofPerson = new Set<string>();
      for (const { key, conversationId } of await this.statesOfUser(person)) {
        stateKeys.add(key);
        ofPerson.add(conversationId);
        addConversation(person.channelId, conversationId);
      }
      if (person.channelId === DIRECT_LINE_CHANNEL_ID) {
        for (const id of await this.directLine.conversationsOf(person.userId)) {
          directLineConversations.add(id);
          ofPerson.add(id);
          addConversation(person.channelId, id);
        }
      }
      for (const id of await this.outbox.idsOf(person.channelId, ofPerson, personKey(person))) cases.add(id);
    }
    let conversationStates = 0;
    for (const key of stateKeys) {
      if ((await this.container.getBlockBlobClient(stateBlobName(key)).deleteIfExists()).succeeded) conversationStates += 1;
    }
    const removedCases = await this.outbox.remove([...cases]);
    const waitingCustomerEntries = await this.forgetWaiting(conversations);
    const transcriptActivities = await this.transcripts.remove(transcripts.values());
    const directLine = await this.directLine.remove([...directLineConversations]);
    return {
      conversationStates,
      cases: removedCases,
      waitingCustomerEntries,
      transcriptActivities,
      directLineConversations: directLine.conversations,
      directLineActivities: directLine.activities,
      people: [...people.values()],
    };
  }

  /** Waiting-customer entries of these conversations, on any job. */
  private async forgetWaiting(conversationIds: Set<string>): Promise<number> {
    if (conversationIds.size === 0) return 0;
    const digests = new Set([...conversationIds].map(digest));
    let removed = 0;
    for await (const item of this.container.listBlobsFlat({ prefix: WAITING })) {
      if (!digests.has(item.name.slice(item.name.lastIndexOf('/') + 1))) continue;
      try {
        if ((await this.container.getBlockBlobClient(item.name).deleteIfExists()).succeeded) removed += 1;
      } catch (error) {
        if (!isBlobStatus(error, 404)) throw error;
      }
    }
    return removed;
  }
}
