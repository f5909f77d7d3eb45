import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { Chat, diagnosisOf, startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { lastEntity, teamsPhotographer } from '../support/photographerChat.js';

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
  const documents = storedDocuments(bot);
  expect(documents).toContain(DEMO_CODES['job-archived']);
  expect(documents).toContain('g-4102-1');
  for (const other of ['HWT4BN7C', 'ZKN8SJ3E', 'g-4102-2', 'g-4102-3']) expect(documents).not.toContain(other);
});

it("a photographer's conversation at \"Shall I make these changes?\" keeps the job before the change without its galleries, and still reports the change", async () => {
  bot = await startTestBot({ STORAGE: 'sqlite' });
  const chat = teamsPhotographer(bot.url, 'lena');
  expect(lastEntity(await chat.say(`eine Mutter sieht Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`))).toMatchObject({ awaiting: 'step-result' });
  expect(lastEntity(await chat.submit({ choice: 'auto' }))).toMatchObject({ awaiting: 'archive-date' });
  expect(lastEntity(await chat.say('in 3 Wochen'))).toMatchObject({ awaiting: 'confirm' });

  const documents = storedDocuments(bot);
  expect(documents).toContain('Grundschule Am Park');
  for (const gallery of ['HWT4BN7C', 'ZKN8SJ3E', 'g-4102-2', 'g-4102-3', 'p-4102-1-1']) expect(documents).not.toContain(gallery);

  const done = await chat.submit({ choice: 'yes' });
  expect(done.map((reply) => reply.attachments?.map((card) => JSON.stringify(card.content)).join('') ?? reply.text).join('\n')).toContain(chat.t('fact.campaign.off'));
});

it('a conversation saved by the version that kept the whole job at "Shall I make these changes?" is still confirmed and reported', async () => {
  bot = await startTestBot({ STORAGE: 'sqlite' });
  const chat = teamsPhotographer(bot.url, 'lena');
  await chat.say(`eine Mutter sieht Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`);
  await chat.submit({ choice: 'auto' });
  expect(lastEntity(await chat.say('in 3 Wochen'))).toMatchObject({ awaiting: 'confirm' });
  const job = (JSON.parse(await readFile(bot.dataFile, 'utf8')) as { jobs: { id: string }[] }).jobs.find((candidate) => candidate.id === 'job-4102');

  // What the earlier version stored: `job`, the whole job, instead of `before`.
  const file = new Database(bot.config.STORAGE_PATH);
  try {
    const row = file.prepare('SELECT key, document FROM bot_state').get() as { key: string; document: string };
    const state = JSON.parse(row.document) as unknown;
    const values = findObjectWith(state, 'before');
    expect(values).toBeDefined();
    delete values!.before;
    values!.job = job;
    file.prepare('UPDATE bot_state SET document = ? WHERE key = ?').run(JSON.stringify(state), row.key);
  } finally {
    file.close();
  }

  const done = await chat.submit({ choice: 'yes' });
  expect(done.map((reply) => reply.attachments?.map((card) => JSON.stringify(card.content)).join('') ?? reply.text).join('\n')).toContain(chat.t('fact.campaign.off'));
});

/** The first object in a JSON value that has this key (depth first). */
function findObjectWith(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (!Array.isArray(value) && key in value) return value as Record<string, unknown>;
  for (const child of Object.values(value)) {
    const found = findObjectWith(child, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Every stored state document, read from the SQLite file by a second connection. */
function storedDocuments(running: TestBot): string {
  const file = new Database(running.config.STORAGE_PATH, { readonly: true });
  try {
    return (file.prepare('SELECT document FROM bot_state').all() as { document: string }[]).map((row) => row.document).join('\n');
  } finally {
    file.close();
  }
}
