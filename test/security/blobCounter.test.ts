import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobWindowLimiter } from '../../src/security/blobCounter.js';
import { BLOCK_SECONDS, FAILED_LOOKUPS, RateLimitedCodeLookups } from '../../src/security/codeLookupLimit.js';
import { countOne, fullUntil } from '../../src/security/hourlyLimit.js';
import { NEW_CASES_PER_HOUR, RateLimitedNewCases } from '../../src/security/newCaseLimit.js';
import { type Azurite, freshContainer, startAzurite } from '../support/azurite.js';

/**
 * Rate-limit counters in Azure Blob (azurite in memory), two limiter objects on one
 * container standing for two instances: counts made at once on both are all kept, and a
 * pause reached on one holds on the other.
 */

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
}, 90_000);

afterAll(() => azurite?.stop());

function container() {
  return freshContainer(azurite, 'counters-test');
}

const who = (person: string) => ({ person, address: null, account: false });

describe('BlobWindowLimiter', () => {
  it('keeps every count made at once on two instances, and says when the window ends', async () => {
    const shared = await container();
    const spec = { keyPrefix: 'test', points: 100, windowSeconds: 3600 };
    const [one, two] = [new BlobWindowLimiter(shared, spec), new BlobWindowLimiter(shared, spec)];
    await Promise.all(Array.from({ length: 30 }, (_, i) => countOne({ limiter: i % 2 === 0 ? one : two, points: spec.points }, 'parent')));
    const state = await two.get('parent');
    expect(state?.consumedPoints).toBe(30);
    expect(state?.msBeforeNext).toBeGreaterThan(3_500_000);
    expect(await fullUntil({ limiter: one, points: 30 }, 'parent')).toBeInstanceOf(Date);
    expect(await one.get('someone-else')).toBeNull();
    expect(await two.delete('parent')).toBe(true);
    expect(await one.get('parent')).toBeNull();
    expect(await two.delete('parent')).toBe(false);
  }, 60_000);

  it('a window that has ended starts again', async () => {
    const limiter = new BlobWindowLimiter(await container(), { keyPrefix: 'short', points: 2, windowSeconds: 1 });
    await limiter.consume('k');
    await limiter.consume('k');
    await expect(limiter.consume('k')).rejects.toMatchObject({ consumedPoints: 3 });
    await new Promise((tick) => setTimeout(tick, 1_500));
    expect(await limiter.get('k')).toBeNull();
    expect((await limiter.consume('k')).consumedPoints).toBe(1);
  }, 60_000);
});

describe('the limits on blobs', () => {
  it('a guesser paused on one instance is paused on the other; erasing the person drops the counter', async () => {
    const shared = await container();
    const [one, two] = await Promise.all([RateLimitedCodeLookups.onBlob(shared), RateLimitedCodeLookups.onBlob(shared)]);
    let until: Date | null = null;
    for (let i = 0; i < FAILED_LOOKUPS; i++) until = await (i % 2 === 0 ? one : two).failed(who('guesser'));
    expect(until).not.toBeNull();
    const blocked = await one.blockedUntil(who('guesser'));
    expect(blocked!.getTime() - Date.now()).toBeGreaterThan((BLOCK_SECONDS - 60) * 1000);
    expect(await two.blockedUntil(who('guesser'))).not.toBeNull();
    expect(await two.blockedUntil(who('honest parent'))).toBeNull();
    expect(await one.forget('guesser')).toBe(true);
    expect(await two.blockedUntil(who('guesser'))).toBeNull();
  }, 60_000);

  it('new cases count across instances', async () => {
    const shared = await container();
    const [one, two] = await Promise.all([RateLimitedNewCases.onBlob(shared), RateLimitedNewCases.onBlob(shared)]);
    for (let i = 0; i < NEW_CASES_PER_HOUR; i++) expect(await (i % 2 === 0 ? one : two).take(who('parent'))).toBeNull();
    expect(await one.take(who('parent'))).toBeInstanceOf(Date);
    expect(await two.take(who('parent'))).toBeInstanceOf(Date);
  }, 60_000);
});
