import { RateLimiterMemory, type RateLimiterAbstract, RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible';
import type { SqliteDatabase } from '../storage/database.js';

/**
 * One counter per key over a window, in rate-limiter-flexible: on the bot's SQLite database
 * (counts survive "restart", new conversations and a process restart), or in memory for
 * tests and tools, or in the Azure Blob container several instances share (blobCounter.ts).
 */
/** What the limits use of a limiter: rate-limiter-flexible's own stores have it, and so does the Azure Blob one. */
export type WindowLimiter = Pick<RateLimiterAbstract, 'consume' | 'get' | 'block' | 'delete'>;

export interface WindowCounter {
  limiter: WindowLimiter;
  /** How many the window allows. */
  points: number;
}

export interface CounterSpec {
  /** Distinguishes the counters that share a table. */
  keyPrefix: string;
  points: number;
  windowSeconds: number;
}

/**
 * The database as rate-limiter-flexible uses it (`prepare` and `transaction`), with each
 * statement compiled once: the library prepares its few fixed statements again on every
 * call, which cost a visible share of a turn.
 */
function preparedOnce(database: SqliteDatabase): Pick<SqliteDatabase, 'prepare' | 'transaction'> {
  const statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  return {
    prepare: ((sql: string) => {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    }) as SqliteDatabase['prepare'],
    transaction: ((fn: Parameters<SqliteDatabase['transaction']>[0]) => database.transaction(fn)) as SqliteDatabase['transaction'],
  };
}

/** Counters in the `tableName` table of the bot's database; expired rows are dropped at start. */
export async function sqliteCounter(database: SqliteDatabase, tableName: string, spec: CounterSpec): Promise<WindowCounter> {
  const limiter = await new Promise<RateLimiterSQLite>((ready, fail) => {
    const created: RateLimiterSQLite = new RateLimiterSQLite(
      { storeClient: preparedOnce(database), storeType: 'better-sqlite3', tableName, keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.windowSeconds },
      (error?: Error) => (error === undefined || error === null ? ready(created) : fail(error)),
    );
  });
  // The library's own hourly clean-up timer would outlive the database; once at start is enough.
  await (limiter as unknown as { clearExpired(nowMs: number): Promise<unknown> }).clearExpired(Date.now());
  return { limiter, points: spec.points };
}

export function memoryCounter(spec: CounterSpec): WindowCounter {
  return { limiter: new RateLimiterMemory({ keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.windowSeconds }), points: spec.points };
}

/** When the window of `key` allows more again, or null while it does. */
export async function fullUntil(counter: WindowCounter, key: string): Promise<Date | null> {
  const state = await counter.limiter.get(key);
  if (state === null || state.consumedPoints < counter.points) return null;
  return new Date(Date.now() + state.msBeforeNext);
}

/** Counts one for `key`: the state after it (a key already over the limit answers with its state, not an error). */
export async function countOne(counter: WindowCounter, key: string): Promise<RateLimiterRes> {
  try {
    return await counter.limiter.consume(key, 1);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return rejection;
  }
}

/** The later of two times, either possibly null. */
export function later(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() >= b.getTime() ? a : b;
}
