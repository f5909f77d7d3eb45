import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { Chat, diagnosisOf, startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';

/** What a conversation's stored state holds, read from the SQLite file by a second connection. */

let bot: TestBot | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

it("a customer's stored conversation keeps the gallery of their code, never the job's other galleries and their codes", async () => {
  bot = await startTestBot({ STORAGE: 'sqlite' });
  const chat = new Chat(bot.url, { channelId: 'webchat', locale: 'en-US', userId: 'one-family' });
  // The job of this code has two more galleries, each with another family's code.
  expect(diagnosisOf((await chat.say(`it says missed the sale, my code is ${DEMO_CODES['job-archived']}`)).at(-1))).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  const file = new Database(bot.config.STORAGE_PATH, { readonly: true });
  try {
    const documents = (file.prepare('SELECT document FROM bot_state').all() as { document: string }[]).map((row) => row.document).join('\n');
    expect(documents).toContain(DEMO_CODES['job-archived']);
    expect(documents).toContain('g-4102-1');
    for (const other of ['HWT4BN7C', 'ZKN8SJ3E', 'g-4102-2', 'g-4102-3']) expect(documents).not.toContain(other);
  } finally {
    file.close();
  }
});
