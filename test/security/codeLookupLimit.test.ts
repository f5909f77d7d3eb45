import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BLOCK_SECONDS, FAILED_LOOKUPS, LOOKUP_WINDOW_SECONDS, minutesLeft, personKey, RateLimitedCodeLookups } from '../../src/security/codeLookupLimit.js';
import { useSqliteFiles } from '../support/sqliteFiles.js';

/**
 * The limiter on its real store (rate-limiter-flexible on the bot's SQLite file), with the
 * clock moved by hand: the library reads Date.now, which fake timers control.
 */

const MINUTE = 60_000;
const START = new Date('2026-12-02T10:00:00.000Z');

const sqlite = useSqliteFiles('gallery-code-lookups-');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});

afterEach(() => {
  vi.useRealTimers();
});

const open = (path: string) => sqlite.open(path);

async function fail(limit: RateLimitedCodeLookups, person: string, times: number): Promise<Date | null> {
  let last: Date | null = null;
  for (let index = 0; index < times; index += 1) last = await limit.failed(person);
  return last;
}

describe('RateLimitedCodeLookups', () => {
  it(`blocks a person at the ${FAILED_LOOKUPS}th failed lookup of the hour, for ${BLOCK_SECONDS / 60} minutes, and nobody else`, async () => {
    const limit = await RateLimitedCodeLookups.onSqlite(open(':memory:'));
    expect(await fail(limit, 'webchat:a', FAILED_LOOKUPS - 1)).toBeNull();
    expect(await limit.blockedUntil('webchat:a')).toBeNull();
    const until = await limit.failed('webchat:a');
    expect(until).not.toBeNull();
    expect(until!.getTime() - Date.now()).toBeGreaterThanOrEqual(BLOCK_SECONDS * 1000);
    expect((await limit.blockedUntil('webchat:a'))!.getTime()).toBeGreaterThanOrEqual(Date.now() + BLOCK_SECONDS * 1000 - 1000);
    expect(await limit.blockedUntil('webchat:b')).toBeNull();
    expect(await limit.blockedUntil('directline:a')).toBeNull();

    vi.setSystemTime(START.getTime() + 14 * MINUTE);
    expect(await limit.blockedUntil('webchat:a')).not.toBeNull();
    vi.setSystemTime(until!.getTime() + 1000);
    expect(await limit.blockedUntil('webchat:a')).toBeNull();
  });

  it('blocks for at least 15 minutes even when the failures were spread over the hour', async () => {
    const limit = await RateLimitedCodeLookups.onSqlite(open(':memory:'));
    await fail(limit, 'webchat:slow', FAILED_LOOKUPS - 1);
    vi.setSystemTime(START.getTime() + (LOOKUP_WINDOW_SECONDS * 1000 - 30_000)); // the window ends in 30 s
    const until = await limit.failed('webchat:slow');
    expect(until!.getTime() - Date.now()).toBeGreaterThanOrEqual(BLOCK_SECONDS * 1000);
    vi.setSystemTime(Date.now() + 10 * MINUTE);
    expect(await limit.blockedUntil('webchat:slow')).not.toBeNull();
  });

  it('forgets failures older than the hour', async () => {
    const limit = await RateLimitedCodeLookups.onSqlite(open(':memory:'));
    await fail(limit, 'webchat:c', FAILED_LOOKUPS - 1);
    vi.setSystemTime(START.getTime() + LOOKUP_WINDOW_SECONDS * 1000 + 1000);
    expect(await fail(limit, 'webchat:c', FAILED_LOOKUPS - 1)).toBeNull();
    expect(await limit.blockedUntil('webchat:c')).toBeNull();
  });

  it('survives a process restart: a new limiter on the same SQLite file still blocks', async () => {
    const file = sqlite.path('bot.sqlite');
    const database = open(file);
    const first = await RateLimitedCodeLookups.onSqlite(database);
    await fail(first, 'msteams:aad-1', FAILED_LOOKUPS);
    database.close();
    const second = await RateLimitedCodeLookups.onSqlite(open(file));
    expect(await second.blockedUntil('msteams:aad-1')).not.toBeNull();
    expect(await second.blockedUntil('msteams:aad-2')).toBeNull();
  });

  it('keeps failures per limiter in memory too', async () => {
    const limit = RateLimitedCodeLookups.inMemory();
    await fail(limit, 'x', FAILED_LOOKUPS);
    expect(await limit.blockedUntil('x')).not.toBeNull();
  });
});

describe('personKey and minutesLeft', () => {
  it('keys a linked photographer by account, everybody else by channel and channel user', () => {
    expect(personKey({ channelId: 'msteams', userId: '29:x', photographerId: 'ph-1' })).toBe('photographer:ph-1');
    expect(personKey({ channelId: 'slack', userId: 'U1:T1', photographerId: 'ph-1' })).toBe('photographer:ph-1');
    expect(personKey({ channelId: 'webchat', userId: 'dl_abc' })).toBe('webchat:dl_abc');
    expect(personKey({ channelId: 'msteams', userId: '29:x', photographerId: null })).toBe('msteams:29:x');
  });

  it('rounds up to whole minutes, at least one', () => {
    expect(minutesLeft(new Date(Date.now() + 15 * MINUTE))).toBe(15);
    expect(minutesLeft(new Date(Date.now() + 14 * MINUTE + 1))).toBe(15);
    expect(minutesLeft(new Date(Date.now() - MINUTE))).toBe(1);
  });
});
