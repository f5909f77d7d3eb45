import { RateLimiterMemory, type RateLimiterAbstract, RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible';
import type { SqliteDatabase } from '../storage/database.js';

/**
 * Access codes are the only key to a family's photos, so guessing them must not pay:
 * after FAILED_LOOKUPS codes that exist nowhere within LOOKUP_WINDOW_SECONDS, one person
 * gets no more code lookups for at least BLOCK_SECONDS, in any conversation and after any
 * "restart". Other people are not affected.
 *
 * A person is a channel user, keyed by what the channel vouches for: channel id and the
 * channel's user id (for the widget's Direct Line, the user id its token was issued for).
 * The counters live in rate-limiter-flexible, on the bot's SQLite database (they survive a
 * process restart); a shared store (Redis, Postgres) for several instances is one
 * constructor away.
 */

export const FAILED_LOOKUPS = 20;
export const LOOKUP_WINDOW_SECONDS = 60 * 60;
export const BLOCK_SECONDS = 15 * 60;

/** What the dialogs use: a port, so they never name the limiter's store. */
export interface CodeLookupLimit {
  /** When this person may look codes up again, or null when they may now. */
  blockedUntil(person: string): Promise<Date | null>;
  /** A looked-up code exists nowhere (for this person): counts, and says when the block ends if this one reached the limit. */
  failed(person: string): Promise<Date | null>;
}

/** Whole minutes until `until` on the limiter's clock, at least 1: what the person is told. */
export function minutesLeft(until: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
}

/**
 * The key of one person, from what the channel vouches for (never typed text, never a
 * code): a linked photographer is their account, on Teams and Slack alike; anybody else
 * is the channel's user id on that channel.
 */
export function personKey(who: { channelId: string; userId: string; photographerId?: string | null }): string {
  return who.photographerId ? `photographer:${who.photographerId}` : `${who.channelId}:${who.userId}`;
}

export class RateLimitedCodeLookups implements CodeLookupLimit {
  /** The library keeps its own clock (Date.now), so times here come from it too. */
  private constructor(private readonly limiter: RateLimiterAbstract) {}

  /** Counters in a table of the bot's SQLite database. */
  static async onSqlite(database: SqliteDatabase): Promise<RateLimitedCodeLookups> {
    const limiter = await new Promise<RateLimiterSQLite>((ready, fail) => {
      const created: RateLimiterSQLite = new RateLimiterSQLite(
        {
          storeClient: database,
          storeType: 'better-sqlite3',
          tableName: 'code_lookup_failures',
          keyPrefix: 'code',
          points: FAILED_LOOKUPS,
          duration: LOOKUP_WINDOW_SECONDS,
        },
        (error?: Error) => (error === undefined || error === null ? ready(created) : fail(error)),
      );
    });
    // Expired counters are dropped at start; the library's own hourly timer would outlive the database.
    await (limiter as unknown as { clearExpired(nowMs: number): Promise<unknown> }).clearExpired(Date.now());
    return new RateLimitedCodeLookups(limiter);
  }

  /** Counters in this process only (tests, tools). */
  static inMemory(): RateLimitedCodeLookups {
    return new RateLimitedCodeLookups(new RateLimiterMemory({ keyPrefix: 'code', points: FAILED_LOOKUPS, duration: LOOKUP_WINDOW_SECONDS }));
  }

  /** Drops the person's counter (an erasure of their data); true when there was one. */
  async forget(person: string): Promise<boolean> {
    return this.limiter.delete(person);
  }

  async blockedUntil(person: string): Promise<Date | null> {
    const state = await this.limiter.get(person);
    if (state === null || state.consumedPoints < FAILED_LOOKUPS) return null;
    return new Date(Date.now() + state.msBeforeNext);
  }

  async failed(person: string): Promise<Date | null> {
    let state: RateLimiterRes;
    try {
      state = await this.limiter.consume(person, 1);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      state = rejection; // already over the limit
    }
    if (state.consumedPoints < FAILED_LOOKUPS) return null;
    // However the failures were spread over the hour, the pause is never shorter than BLOCK_SECONDS.
    const seconds = Math.max(BLOCK_SECONDS, Math.ceil(state.msBeforeNext / 1000));
    await this.limiter.block(person, seconds);
    return new Date(Date.now() + seconds * 1000);
  }
}
