import type { ContainerClient } from '@azure/storage-blob';
import type { SqliteDatabase } from '../storage/database.js';
import { countOne, fullUntil, later, memoryCounter, sqliteCounter, type WindowCounter } from './hourlyLimit.js';
import type { Requester } from './requester.js';

/**
 * Recorded cases reach people (support, a photographer), so one client must not bury them:
 * a person may open NEW_CASES_PER_HOUR new cases an hour. Repeating the same request adds
 * to the open case instead and does not count (see dialogs/escalation.ts). As with code
 * lookups, on the bot's own Direct Line (a new chat is a new user) the client address
 * counts too, with a limit that leaves room for many families behind one address.
 */
export const NEW_CASES_PER_HOUR = 5;
/**
 * For a linked photographer account: a studio whose school day went wrong may hand several
 * codes and jobs to support within the hour, and the platform knows who is asking.
 */
export const ACCOUNT_NEW_CASES_PER_HOUR = 30;
/** A busy school's parents asking for support from one address within the hour stay far below this. */
export const ADDRESS_NEW_CASES_PER_HOUR = 30;
export const NEW_CASE_WINDOW_SECONDS = 60 * 60;

/** What the dialogs use: a port, so they never name the limiter's store. */
export interface NewCaseLimit {
  /** Counts one new case for `who` and returns null, or, when a limit is reached, says when one may be opened again (and counts nothing). */
  take(who: Requester): Promise<Date | null>;
}

const PERSON = { keyPrefix: 'case', points: NEW_CASES_PER_HOUR, windowSeconds: NEW_CASE_WINDOW_SECONDS };
const ACCOUNT = { keyPrefix: 'case-account', points: ACCOUNT_NEW_CASES_PER_HOUR, windowSeconds: NEW_CASE_WINDOW_SECONDS };
const ADDRESS = { keyPrefix: 'case-address', points: ADDRESS_NEW_CASES_PER_HOUR, windowSeconds: NEW_CASE_WINDOW_SECONDS };

export class RateLimitedNewCases implements NewCaseLimit {
  private constructor(
    private readonly person: WindowCounter,
    private readonly account: WindowCounter,
    private readonly address: WindowCounter,
  ) {}

  /** Counters in a table of the bot's SQLite database: they hold across conversations and restarts. */
  static async onSqlite(database: SqliteDatabase): Promise<RateLimitedNewCases> {
    const table = 'new_case_counts';
    return new RateLimitedNewCases(await sqliteCounter(database, table, PERSON), await sqliteCounter(database, table, ACCOUNT), await sqliteCounter(database, table, ADDRESS));
  }

  /** Counters in the Azure Blob container that several instances share: a person's limit holds on all of them. */
  static async onBlob(container: ContainerClient): Promise<RateLimitedNewCases> {
    // Loaded here, not at the top: an instance on SQLite never loads the Azure SDK.
    const { BlobWindowLimiter } = await import('./blobCounter.js');
    const counter = (spec: typeof PERSON) => ({ limiter: new BlobWindowLimiter(container, spec), points: spec.points });
    return new RateLimitedNewCases(counter(PERSON), counter(ACCOUNT), counter(ADDRESS));
  }

  static inMemory(): RateLimitedNewCases {
    return new RateLimitedNewCases(memoryCounter(PERSON), memoryCounter(ACCOUNT), memoryCounter(ADDRESS));
  }

  /** Drops the person's counter (an erasure of their data); true when there was one. */
  async forget(person: string): Promise<boolean> {
    return this.person.limiter.delete(person);
  }

  async take(who: Requester): Promise<Date | null> {
    const keyed: [WindowCounter, string][] = [[who.account ? this.account : this.person, who.person]];
    if (who.address !== null) keyed.push([this.address, who.address]);
    let full: Date | null = null;
    for (const [counter, key] of keyed) full = later(full, await fullUntil(counter, key));
    if (full !== null) return full;
    for (const [counter, key] of keyed) await countOne(counter, key);
    return null;
  }
}
