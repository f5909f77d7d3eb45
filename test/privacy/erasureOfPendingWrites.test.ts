import type { Activity } from 'botbuilder';
import { expect, it } from 'vitest';
import { SqliteConversationLog } from '../../src/directline/sqliteConversationLog.js';
import { SqliteCaseOutbox } from '../../src/handoff/sqliteCaseOutbox.js';
import { SqliteTranscriptStore } from '../../src/handoff/sqliteTranscriptStore.js';
import { PersonalData } from '../../src/privacy/erasure.js';
import { ConversationStore } from '../../src/proactive/conversationStore.js';
import { RateLimitedCodeLookups } from '../../src/security/codeLookupLimit.js';
import { RateLimitedNewCases } from '../../src/security/newCaseLimit.js';
import { conversationStateKey, SqliteStorage } from '../../src/storage/sqliteStorage.js';
import { useSqliteFiles } from '../support/sqliteFiles.js';

/**
 * An erasure in the moment a turn of the same person ends: the state and transcript lines
 * that wait for the database's group commit are erased with the rest, not written after it.
 */
const { open, path } = useSqliteFiles('erasure-pending-');

it('erases the state and transcript lines still waiting for the next commit', async () => {
  const db = open(path('bot.sqlite'));
  const state = new SqliteStorage(db);
  const transcripts = new SqliteTranscriptStore(db);
  const personalData = new PersonalData({
    db,
    state,
    conversationLog: new SqliteConversationLog(db),
    outbox: new SqliteCaseOutbox(db),
    conversations: new ConversationStore(db),
    transcripts,
    codeLookups: RateLimitedCodeLookups.inMemory(),
    newCases: RateLimitedNewCases.inMemory(),
  });
  const key = conversationStateKey('webchat', 'conv-anna', 'anna');
  // The end of Anna's turn: her state and the turn's lines wait for the moment's commit.
  const saved = state.write({ [key]: { case: { transcript: [{ from: 'user', text: 'my code is MXR29PLT' }] }, eTag: '*' } });
  await transcripts.logActivity({ type: 'message', channelId: 'webchat', conversation: { id: 'conv-anna' }, from: { id: 'anna' }, text: 'my code is MXR29PLT' } as Activity);
  const erased = await personalData.erase({ user: { channelId: 'webchat', userId: 'anna' } });
  await saved;
  await new Promise((moment) => setImmediate(moment));
  expect(erased).toMatchObject({ conversationStates: 1, transcriptActivities: 1 });
  expect(await state.read([key])).toEqual({});
  expect(await transcripts.conversation('webchat', 'conv-anna')).toEqual([]);
});
