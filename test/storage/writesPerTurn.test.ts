import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { Chat, diagnosisOf } from '../support/botServer.js';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';

/**
 * One write of the conversation state per turn, counted by the SQLite file itself: a
 * trigger on the state table, created from a second connection, records every insert and
 * update the bot makes, whichever code path makes it.
 */

let bot: TestBot | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

it('a customer conversation of four turns writes its state four times, once per turn', async () => {
  bot = await startTestBot({ STORAGE: 'sqlite' });
  const counter = new Database(bot.config.STORAGE_PATH);
  try {
    counter.exec(`
      CREATE TABLE state_writes (key TEXT NOT NULL);
      CREATE TRIGGER count_state_inserts AFTER INSERT ON bot_state BEGIN INSERT INTO state_writes VALUES (new.key); END;
      CREATE TRIGGER count_state_updates AFTER UPDATE ON bot_state BEGIN INSERT INTO state_writes VALUES (new.key); END;
    `);
    const writes = (): number => (counter.prepare('SELECT count(*) AS count FROM state_writes').get() as { count: number }).count;
    const chat = new Chat(bot.url, { channelId: 'webchat', locale: 'en-US', userId: 'one-write-parent' });
    const turns: [string, string | null][] = [
      ['hello', 'symptom'],
      ['it says my photos are almost ready', 'access-code'],
      [DEMO_CODES['job-in-planning'], 'confirm'],
      ['no thanks', 'feedback'],
    ];
    for (const [index, [text, awaiting]] of turns.entries()) {
      expect(diagnosisOf((await chat.say(text)).at(-1)).awaiting, text).toBe(awaiting);
      expect(writes(), `after turn ${index + 1}`).toBe(index + 1);
    }
    const keys = counter.prepare('SELECT DISTINCT key FROM state_writes').all() as { key: string }[];
    expect(keys).toEqual([{ key: `webchat/conversations/${chat.conversationId}/users/one-write-parent/` }]);
  } finally {
    counter.close();
  }
});
