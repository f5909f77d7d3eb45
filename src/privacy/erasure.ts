import type { SqliteConversationLog } from '../directline/sqliteConversationLog.js';
import type { SqliteCaseOutbox } from '../handoff/sqliteCaseOutbox.js';
import type { SqliteTranscriptStore } from '../handoff/sqliteTranscriptStore.js';
import type { ConversationStore } from '../proactive/conversationStore.js';
import { personKey, type RateLimitedCodeLookups } from '../security/codeLookupLimit.js';
import type { RateLimitedNewCases } from '../security/newCaseLimit.js';
import type { SqliteDatabase } from '../storage/database.js';
import { groupCommitOf } from '../storage/groupCommit.js';
import type { SqliteStorage } from '../storage/sqliteStorage.js';
import type { SharedPersonalData } from './blobErasure.js';
import type { Person } from './person.js';

/**
 * Erasing one person's data on request (GDPR, art. 17): everything the bot keeps about a
 * channel user, or about the customer who gave an e-mail address, in its SQLite file —
 * conversation state, the Direct Line conversations with every message in them, recorded
 * cases (with their transcripts and the address), the conversations' transcripts (botbuilder's
 * transcript logging), the waiting-customer entries kept to
 * tell them when a gallery opens, and the counters of guessed codes and of new cases. Asking twice
 * erases nothing the second time and says so with zeros.
 *
 * A person is the channel's user id on that channel. Erasing by e-mail address finds the
 * cases that give it, and from them the conversations and the people in them, whose data
 * is then erased as a whole.
 */

/** The bot's own Direct Line: its conversations are in the conversation log. */
const DIRECT_LINE_CHANNEL = 'directline';

export type ErasureRequest = { user: Person } | { email: string };

/** How many records of each kind were removed. */
export interface ErasureCounts {
  conversationStates: number;
  directLineConversations: number;
  directLineActivities: number;
  cases: number;
  waitingCustomerEntries: number;
  transcriptActivities: number;
  codeLookupCounters: number;
  newCaseCounters: number;
}

/**
 * Where this instance keeps what it knows about conversations. Erasure and the retention
 * sweep are given the same stores, so a store added here is reached by both.
 */
export interface ConversationDataStores {
  db: SqliteDatabase;
  state: SqliteStorage;
  conversationLog: SqliteConversationLog;
  outbox: SqliteCaseOutbox;
  conversations: ConversationStore;
  transcripts: SqliteTranscriptStore;
}

export interface PersonalDataStores extends ConversationDataStores {
  codeLookups: RateLimitedCodeLookups;
  newCases: RateLimitedNewCases;
  /** With STORAGE=azure-blob: the state, cases and waiting customers in the container several instances share. */
  shared?: SharedPersonalData;
}

/** Everything found to erase: keys, conversation ids, case ids, people. */
interface Found {
  stateKeys: Set<string>;
  directLineConversations: Set<string>;
  /** Conversation ids on any channel (waiting customers are keyed by conversation). */
  conversations: Set<string>;
  cases: Set<string>;
  /** Conversations by channel, whose transcripts go. */
  transcripts: Map<string, { channelId: string; conversationId: string }>;
  people: Map<string, Person>;
}

function addTranscript(found: Found, channelId: string, conversationId: string): void {
  found.transcripts.set(JSON.stringify([channelId, conversationId]), { channelId, conversationId });
}

export class PersonalData {
  constructor(private readonly stores: PersonalDataStores) {}

  private findPerson(person: Person, found: Found): void {
    const { state, conversationLog, outbox } = this.stores;
    found.people.set(personKey(person), person);
    const conversationIds = new Set<string>();
    for (const { key, conversationId } of state.statesOfUser(person.channelId, person.userId)) {
      found.stateKeys.add(key);
      conversationIds.add(conversationId);
    }
    if (person.channelId === DIRECT_LINE_CHANNEL) {
      for (const id of conversationLog.conversationsOf(person.userId)) {
        found.directLineConversations.add(id);
        conversationIds.add(id);
      }
    }
    for (const id of outbox.idsOf(person.channelId, conversationIds, personKey(person))) found.cases.add(id);
    for (const id of conversationIds) {
      found.conversations.add(id);
      addTranscript(found, person.channelId, id);
    }
  }

  /** The people of the cases that give the address: the case's own person and everybody kept in its conversation. */
  private peopleWithEmail(email: string, found: Found): Person[] {
    const { state, conversationLog } = this.stores;
    const people: Person[] = [];
    for (const entry of this.stores.outbox.withEmailAddress(email)) {
      found.cases.add(entry.id);
      found.conversations.add(entry.conversationId);
      addTranscript(found, entry.channel, entry.conversationId);
      // The case's own person, when its key is a channel user of that channel (not a photographer account).
      const prefix = `${entry.channel}:`;
      if (entry.person?.startsWith(prefix)) people.push({ channelId: entry.channel, userId: entry.person.slice(prefix.length) });
      for (const { userId } of state.statesOfConversation(entry.channel, entry.conversationId)) people.push({ channelId: entry.channel, userId });
      if (entry.channel === DIRECT_LINE_CHANNEL) {
        const conversation = conversationLog.get(entry.conversationId);
        if (conversation !== null) people.push({ channelId: entry.channel, userId: conversation.userId });
        found.directLineConversations.add(entry.conversationId);
      }
    }
    return people;
  }

  async erase(request: ErasureRequest): Promise<ErasureCounts> {
    const { db, state, conversationLog, outbox, conversations, transcripts, codeLookups, newCases } = this.stores;
    const found: Found = { stateKeys: new Set(), directLineConversations: new Set(), conversations: new Set(), cases: new Set(), transcripts: new Map(), people: new Map() };
    // What waits for the next group commit (a turn's state, its transcript lines) is written
    // first, so it is found and erased with the rest instead of landing after the erasure.
    groupCommitOf(db).flush();
    // Finding and deleting in one transaction: nothing written in between is half erased.
    const counts = db.transaction(() => {
      const people = 'user' in request ? [request.user] : this.peopleWithEmail(request.email, found);
      for (const person of people) this.findPerson(person, found);
      const directLine = conversationLog.remove([...found.directLineConversations]);
      return {
        conversationStates: state.deleteKeys([...found.stateKeys]),
        directLineConversations: directLine.conversations,
        directLineActivities: directLine.activities,
        cases: outbox.remove([...found.cases]),
        waitingCustomerEntries: conversations.forgetCustomerConversations([...found.conversations]),
        transcriptActivities: transcripts.remove(found.transcripts.values()),
      };
    })();
    if (this.stores.shared !== undefined) {
      const shared = await this.stores.shared.erase(request);
      counts.conversationStates += shared.conversationStates;
      counts.cases += shared.cases;
      counts.waitingCustomerEntries += shared.waitingCustomerEntries;
      counts.transcriptActivities += shared.transcriptActivities;
      counts.directLineConversations += shared.directLineConversations;
      counts.directLineActivities += shared.directLineActivities;
      for (const person of shared.people) found.people.set(personKey(person), person);
    }
    let codeLookupCounters = 0;
    let newCaseCounters = 0;
    for (const key of found.people.keys()) {
      if (await codeLookups.forget(key)) codeLookupCounters += 1;
      if (await newCases.forget(key)) newCaseCounters += 1;
    }
    return { ...counts, codeLookupCounters, newCaseCounters };
  }
}
