import { closeSync, existsSync, openSync, readSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startWalCheckpoints } from '../../src/storage/walCheckpoints.js';
import { useSqliteFiles } from '../support/sqliteFiles.js';

const files = useSqliteFiles('wal-checkpoints-');

/**
 * The salt of the write-ahead log's header (bytes 16–23): SQLite draws a new one each time
 * a writer starts the log from its beginning again, which it does only once a checkpoint
 * has copied all of it into the file.
 */
function logSalt(path: string): string {
  const handle = openSync(`${path}-wal`, 'r');
  try {
    const header = Buffer.alloc(32);
    readSync(handle, header, 0, 32, 0);
    return header.subarray(16, 24).toString('hex');
  } finally {
    closeSync(handle);
  }
}

describe('startWalCheckpoints', () => {
  it("copies the log back into the file from its own thread, so the bot's writes start the log afresh without checkpointing themselves", async () => {
    const path = files.path('bot.sqlite');
    const db = files.open(path);
    db.exec('CREATE TABLE lines (text TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO lines (text) VALUES (?)');
    // About 200 pages: far below the connection's own checkpoint, which the thread leaves as a backstop.
    db.transaction(() => {
      for (let line = 0; line < 200; line += 1) insert.run('x'.repeat(4000));
    })();
    const before = logSalt(path);
    const checkpoints = startWalCheckpoints(db, createLogger('silent'));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(8000);
    try {
      // Each small write is where the writer would start the log again, once the thread has copied it all.
      await expect
        .poll(
          () => {
            insert.run('one more');
            return logSalt(path);
          },
          { timeout: 10_000, interval: 20 },
        )
        .not.toBe(before);
    } finally {
      await checkpoints.stop();
    }
    expect((db.prepare('SELECT count(*) AS lines FROM lines').get() as { lines: number }).lines).toBeGreaterThan(200);
    // The thread's connection is closed: the bot's is the last, and closing it removes the log.
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('gives the checkpoints back to the connection, and says so, when the thread fails', async () => {
    const lines: string[] = [];
    // The file is gone (the bot's connection keeps what it had open): the thread cannot open it and fails at once.
    const path = files.path('bot.sqlite');
    const db = files.open(path);
    rmSync(path);
    const checkpoints = startWalCheckpoints(db, createLogger('error', (line) => lines.push(line)));
    try {
      await expect.poll(() => db.pragma('wal_autocheckpoint', { simple: true }), { timeout: 10_000, interval: 20 }).toBe(1000);
    } finally {
      await checkpoints.stop();
    }
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'error', message: 'write-ahead log checkpoints back on the bot connection', error: expect.objectContaining({ code: 'SQLITE_CANTOPEN' }) }),
    ]);
  });

  it("stops more than once, and leaves the bot's connection open", async () => {
    const db = files.open(files.path('bot.sqlite'));
    const checkpoints = startWalCheckpoints(db, createLogger('silent'));
    await checkpoints.stop();
    await checkpoints.stop();
    expect(db.open).toBe(true);
  });
});
