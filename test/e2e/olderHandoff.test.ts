import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, type TestBot, startTestBot, textOf } from '../support/botServer.js';
import { msg } from '../support/dialogHarness.js';

/**
 * A handoff an older release opened kept no opening time. Over HTTP with the SQLite state:
 * such a handoff starts its clock at the person's next message, so it too ends a day later
 * instead of catching every message for ever.
 */

const DAY = 24 * 60 * 60_000;
let now = Date.parse('2026-11-27T10:00:00Z');
let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ STORAGE: 'sqlite' }, { now: () => new Date(now) });
});

afterAll(async () => {
  await bot?.stop();
});

/** The stored cases as an older release left them: a handoff without `handoffOpenedAt`. */
function forgetOpeningTimes(): number {
  const db = new Database(bot.config.STORAGE_PATH);
  try {
    const rows = db.prepare<[], { key: string; document: string }>("SELECT key, document FROM bot_state WHERE document LIKE '%handoffOpenedAt%'").all();
    const update = db.prepare<[string, string]>('UPDATE bot_state SET document = ? WHERE key = ?');
    let changed = 0;
    for (const row of rows) {
      const document = row.document.replace(/"handoffOpenedAt":"[^"]+"/g, '"handoffOpenedAt":null');
      if (document !== row.document) changed += update.run(document, row.key).changes;
    }
    return changed;
  } finally {
    db.close();
  }
}

describe('a handoff of an older release', () => {
  it('starts its clock at the next message and ends a day later, like any other', async () => {
    const chat = new Chat(bot.url, { locale: 'en-US' });
    await chat.say('I want to talk to a person');
    expect(textOf(await chat.say('skip'))).toContain(msg('en-US', 'escalation.requested'));
    expect(forgetOpeningTimes()).toBe(1);

    now += 2 * DAY;
    expect(textOf(await chat.say('hello?'))).toBe(msg('en-US', 'handoff.added'));
    now += DAY + 60_000;
    const fresh = await chat.say('the shop says I missed the sale');
    expect(textOf(fresh)).toContain(msg('en-US', 'handoff.stale'));
  });
});
