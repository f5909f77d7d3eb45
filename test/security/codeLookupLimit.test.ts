import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ADDRESS_FAILED_LOOKUPS,
  BLOCK_SECONDS,
  FAILED_LOOKUPS,
  LOOKUP_WINDOW_SECONDS,
  minutesLeft,
  personKey,
  RateLimitedCodeLookups,
  type LookupRequester,
} from '../../src/security/codeLookupLimit.js';
import { limitAddress } from '../../src/web/clientAddress.js';
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

/** A person on a channel that relays turns: no client address. */
const alone = (person: string): LookupRequester => ({ person, address: null });

async function fail(limit: RateLimitedCodeLookups, who: string | LookupRequester, times: number): Promise<Date | null> {
  let last: Date | null = null;
  for (let index = 0; index < times; index += 1) last = await limit.failed(typeof who === 'string' ? alone(who) : who);
  return last;
}

describe('RateLimitedCodeLookups', () => {
  it(`blocks a person at the ${FAILED_LOOKUPS}th failed lookup of the hour, for ${BLOCK_SECONDS / 60} minutes, and nobody else`, async () => {
    const limit = await RateLimitedCodeLookups.onSqlite(open(':memory:'));
    expect(await fail(limit, 'webchat:a', FAILED_LOOKUPS - 1)).toBeNull();
    expect(await limit.blockedUntil(alone('webchat:a'))).toBeNull();
    const until = await limit.failed(alone('webchat:a'));
    expect(until).not.toBeNull();
    expect(until!.getTime() - Date.now()).toBeGreaterThanOrEqual(BLOCK_SECONDS * 1000);
    expect((await limit.blockedUntil(alone('webchat:a')))!.getTime()).toBeGreaterThanOrEqual(Date.now() + BLOCK_SECONDS * 1000 - 1000);
    expect(await limit.blockedUntil(alone('webchat:b'))).toBeNull();
    expect(await limit.blockedUntil(alone('directline:a'))).toBeNull();

    vi.setSystemTime(START.getTime() + 14 * MINUTE);
    expect(await limit.blockedUntil(alone('webchat:a'))).not.toBeNull();
    vi.setSystemTime(until!.getTime() + 1000);
    expect(await limit.blockedUntil(alone('webchat:a'))).toBeNull();
  });

  it('blocks for at least 15 minutes even when the failures were spread over the hour', async () => {
    const limit = await RateLimitedCodeLookups.onSqlite(open(':memory:'));
    await fail(limit, 'webchat:slow', FAILED_LOOKUPS - 1);
    vi.setSystemTime(START.getTime() + (LOOKUP_WINDOW_SECONDS * 1000 - 30_000)); // the window ends in 30 s
    const until = await limit.failed(alone('webchat:slow'));
    expect(until!.getTime() - Date.now()).toBeGreaterThanOrEqual(BLOCK_SECONDS * 1000);
    vi.setSystemTime(Date.now() + 10 * MINUTE);
    expect(await limit.blockedUntil(alone('webchat:slow'))).not.toBeNull();
  });

  it('forgets failures older than the hour', async () => {
    const limit = await RateLimitedCodeLookups.onSqlite(open(':memory:'));
    await fail(limit, 'webchat:c', FAILED_LOOKUPS - 1);
    vi.setSystemTime(START.getTime() + LOOKUP_WINDOW_SECONDS * 1000 + 1000);
    expect(await fail(limit, 'webchat:c', FAILED_LOOKUPS - 1)).toBeNull();
    expect(await limit.blockedUntil(alone('webchat:c'))).toBeNull();
  });

  it('survives a process restart: a new limiter on the same SQLite file still blocks', async () => {
    const file = sqlite.path('bot.sqlite');
    const database = open(file);
    const first = await RateLimitedCodeLookups.onSqlite(database);
    await fail(first, 'msteams:aad-1', FAILED_LOOKUPS);
    database.close();
    const second = await RateLimitedCodeLookups.onSqlite(open(file));
    expect(await second.blockedUntil(alone('msteams:aad-1'))).not.toBeNull();
    expect(await second.blockedUntil(alone('msteams:aad-2'))).toBeNull();
  });

  it('keeps failures per limiter in memory too', async () => {
    const limit = RateLimitedCodeLookups.inMemory();
    await fail(limit, 'x', FAILED_LOOKUPS);
    expect(await limit.blockedUntil(alone('x'))).not.toBeNull();
  });
});

describe('per client address (the bot\'s own Direct Line)', () => {
  it(`blocks an address at the ${ADDRESS_FAILED_LOOKUPS}th failure of the hour, whatever user ids it used, and no other address`, async () => {
    const limit = await RateLimitedCodeLookups.onSqlite(open(':memory:'));
    // A new Direct Line user for every three guesses, as a client minting new chats would be.
    let failures = 0;
    let until: Date | null = null;
    for (let user = 0; until === null; user += 1) {
      for (let guess = 0; guess < 3 && until === null; guess += 1) {
        until = await limit.failed({ person: `directline:dl_user${user}`, address: '203.0.113.7' });
        failures += 1;
      }
    }
    expect(failures).toBe(ADDRESS_FAILED_LOOKUPS);
    expect(until!.getTime() - Date.now()).toBeGreaterThanOrEqual(BLOCK_SECONDS * 1000);
    // A user id never seen before at that address is paused too; the same user elsewhere, and another address, are not.
    expect(await limit.blockedUntil({ person: 'directline:dl_fresh', address: '203.0.113.7' })).not.toBeNull();
    expect(await limit.blockedUntil({ person: 'directline:dl_fresh', address: '198.51.100.2' })).toBeNull();
    expect(await limit.blockedUntil(alone('directline:dl_user0'))).toBeNull();
  });

  it('still pauses one person at their own limit, long before the address limit', async () => {
    const limit = await RateLimitedCodeLookups.onSqlite(open(':memory:'));
    const parent = { person: 'directline:dl_parent', address: '203.0.113.8' };
    expect(await fail(limit, parent, FAILED_LOOKUPS - 1)).toBeNull();
    expect(await limit.failed(parent)).not.toBeNull();
    // Other families behind the same address go on.
    expect(await limit.blockedUntil({ person: 'directline:dl_neighbour', address: '203.0.113.8' })).toBeNull();
  });

  it('counts IPv6 by its /64 network and IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(limitAddress('2001:db8:1:2:aaaa::1')).toBe(limitAddress('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(limitAddress('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(limitAddress('2001:db8:1:3::1')).not.toBe(limitAddress('2001:db8:1:2::1'));
    expect(limitAddress('::1')).toBe('0:0:0:0::/64');
    expect(limitAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(limitAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(limitAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(limitAddress(undefined)).toBe('unknown');
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
