import type { ContainerClient } from '@azure/storage-blob';
import type { SqliteDatabase } from '../storage/database.js';
import { countOne, fullUntil, later, memoryCounter, sqliteCounter, type WindowCounter } from './hourlyLimit.js';
import type { Requester } from './requester.js';

export { minutesLeft, personKey, type Requester, requesterOf } from './requester.js';

/**
 * Access codes are the only key to a family's photos, so guessing them must not pay:
 * after FAILED_LOOKUPS codes that exist nowhere within LOOKUP_WINDOW_SECONDS, one person
 * gets no more code lookups for at least BLOCK_SECONDS, in any conversation and after any
 * "restart". Other people are not affected.
 *
 * On the bot's own Direct Line anybody can become a new person by opening a new chat (the
 * widget's token endpoint hands out a new user id each time), so there the client address
 * is counted too, with ADDRESS_FAILED_LOOKUPS.
 */

export const FAILED_LOOKUPS = 20;
/**
 * Failed lookups per client address and hour on the bot's own Direct Line. Higher than a
 * person's limit on purpose: a school, an office or a mobile carrier puts many families
 * behind one address, and an honest parent fails at most a few times (the bot stops
 * asking after three wrong codes). A hundred is a whole class of parents each mistyping
 * three times in the same hour, yet it holds a client that mints new chats from one address
 * to a hundred guesses an hour. Whoever is paused anyway is told so kindly and offered
 * support, and a code that exists never counts.
 */
export const ADDRESS_FAILED_LOOKUPS = 100;
export const LOOKUP_WINDOW_SECONDS = 60 * 60;
export const BLOCK_SECONDS = 15 * 60;

/** Code lookups count the same for a linked account and anybody else. */
export type LookupRequester = Pick<Requester, 'person' | 'address'>;

/** What the dialogs use: a port, so they never name the limiter's store. */
export interface CodeLookupLimit {
  /** When this requester may look codes up again, or null when they may now. */
  blockedUntil(who: LookupRequester): Promise<Date | null>;
  /** A looked-up code exists nowhere (for this person): counts, and says when the pause ends if this one reached a limit. */
  failed(who: LookupRequester): Promise<Date | null>;
}

interface Counters {
  person: WindowCounter;
  address: WindowCounter;
}

const PERSON = { keyPrefix: 'code', points: FAILED_LOOKUPS, windowSeconds: LOOKUP_WINDOW_SECONDS };
const ADDRESS = { keyPrefix: 'code-address', points: ADDRESS_FAILED_LOOKUPS, windowSeconds: LOOKUP_WINDOW_SECONDS };

export class RateLimitedCodeLookups implements CodeLookupLimit {
  /** The library keeps its own clock (Date.now), so times here come from it too. */
  private constructor(private readonly counters: Counters) {}

  /** Counters in a table of the bot's SQLite database. */
  static async onSqlite(database: SqliteDatabase): Promise<RateLimitedCodeLookups> {
    const table = 'code_lookup_failures';
    return new RateLimitedCodeLookups({ person: await sqliteCounter(database, table, PERSON), address: await sqliteCounter(database, table, ADDRESS) });
  }

  /** Counters in the Azure Blob container that several instances share: a pause holds on all of them. */
  static async onBlob(container: ContainerClient): Promise<RateLimitedCodeLookups> {
    // Loaded here, not at the top: an instance on SQLite never loads the Azure SDK.
    const { BlobWindowLimiter } = await import('./blobCounter.js');
    const counter = (spec: typeof PERSON) => ({ limiter: new BlobWindowLimiter(container, spec), points: spec.points });
    return new RateLimitedCodeLookups({ person: counter(PERSON), address: counter(ADDRESS) });
  }

  /** Counters in this process only (tests, tools). */
  static inMemory(): RateLimitedCodeLookups {
    return new RateLimitedCodeLookups({ person: memoryCounter(PERSON), address: memoryCounter(ADDRESS) });
  }

  /** Drops the person's counter (an erasure of their data); true when there was one. */
  async forget(person: string): Promise<boolean> {
    return this.counters.person.limiter.delete(person);
  }

  /** Each counter that applies to `who`, with its key. */
  private keyed(who: LookupRequester): [WindowCounter, string][] {
    const keyed: [WindowCounter, string][] = [[this.counters.person, who.person]];
    if (who.address !== null) keyed.push([this.counters.address, who.address]);
    return keyed;
  }

  async blockedUntil(who: LookupRequester): Promise<Date | null> {
    let until: Date | null = null;
    for (const [counter, key] of this.keyed(who)) until = later(until, await fullUntil(counter, key));
    return until;
  }

  async failed(who: LookupRequester): Promise<Date | null> {
    let until: Date | null = null;
    for (const [counter, key] of this.keyed(who)) {
      const state = await countOne(counter, key);
      if (state.consumedPoints < counter.points) continue;
      // However the failures were spread over the hour, the pause is never shorter than BLOCK_SECONDS.
      const seconds = Math.max(BLOCK_SECONDS, Math.ceil(state.msBeforeNext / 1000));
      await counter.limiter.block(key, seconds);
      until = later(until, new Date(Date.now() + seconds * 1000));
    }
    return until;
  }
}
