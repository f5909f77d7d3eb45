import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import type { SqliteDatabase } from './database.js';

/** How often the thread copies the write-ahead log back into the file. */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * SQLite's own checkpoint size (pages): the connection checkpoints by itself at this size
 * when the thread does not (it failed, or cannot keep up).
 */
const OWN_CHECKPOINT_PAGES = 1000;

/**
 * The connection's checkpoint while the thread runs: only a backstop, far above what the
 * thread lets the log grow to between two of its checkpoints.
 */
const BACKSTOP_CHECKPOINT_PAGES = 8 * OWN_CHECKPOINT_PAGES;

/**
 * The thread: a connection of its own to the same file that runs a PASSIVE checkpoint on a
 * timer. A PASSIVE checkpoint never waits for the writer and never holds it up; it copies
 * what the readers no longer need, and the writer starts the log from its beginning again
 * once everything was copied. At the stop it only closes: the bot's connection, closing last,
 * folds in what is left. Plain CommonJS, so it runs the same from the build and from
 * the sources under a test runner; the driver is resolved by the bot's own module.
 */
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpoints {
  /** Ends the thread and closes its connection (before the bot's own closes, which then removes the log). */
  stop(): Promise<void>;
}

/**
 * Checkpoints of the bot's SQLite file in a thread of their own. In WAL mode every commit
 * appends the pages it changed to the log, and the committing connection copies the log
 * back into the file once it reaches 1,000 pages, with an fsync of both: under load that
 * was about 40 % of what the group commits cost the turns, and a turn that hit it waited
 * up to 10 ms with every turn behind it. Here the bot's connection keeps its own
 * checkpoint only as a backstop, and a second connection in a worker thread checkpoints
 * four times a second beside the turns. If the thread fails, the connection checkpoints
 * by itself again, as SQLite does by default.
 */
export function startWalCheckpoints(database: SqliteDatabase, logger: Logger): WalCheckpoints {
  const worker = new Worker(CHECKPOINT_THREAD, {
    eval: true,
    workerData: { path: database.name, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  database.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  let stopped = false;
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  worker.once('error', (error) => {
    if (database.open) database.pragma(`wal_autocheckpoint = ${OWN_CHECKPOINT_PAGES}`);
    logger.error('write-ahead log checkpoints back on the bot connection', { error });
  });
  // The thread never keeps the process alive: the bot's stop ends it.
  worker.unref();
  return {
    async stop() {
      if (!stopped) {
        stopped = true;
        // Held until the thread has ended, or the process would end first, in the middle of the stop.
        worker.ref();
        worker.postMessage('stop');
      }
      await exited;
    },
  };
}
