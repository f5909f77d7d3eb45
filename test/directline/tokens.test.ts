import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectLineTokens, loadDirectLineSecret, STREAM_TOKEN_LIFETIME_SECONDS, TOKEN_LIFETIME_SECONDS } from '../../src/directline/tokens.js';

/** Direct Line tokens: bound, short-lived, of one kind, signed with the secret. */

const SECRET = 'unit-test-directline-secret-0123456789';

describe('DirectLineTokens', () => {
  it('a token names its conversation and user, and verifies only with its secret', () => {
    const tokens = new DirectLineTokens(SECRET);
    const token = tokens.issue('conv-1', 'dl_user');
    expect(tokens.verify(token)).toEqual({ conversationId: 'conv-1', userId: 'dl_user', kind: 'conversation' });
    expect(new DirectLineTokens(`${SECRET}-other`).verify(token)).toBeNull();
    expect(tokens.verify(`${token}x`)).toBeNull();
    expect(tokens.verify('')).toBeNull();
  });

  it('lives 30 minutes, longer than the clients’ 15-minute refresh, and not a second more', () => {
    let now = Date.parse('2026-12-02T10:00:00Z');
    const tokens = new DirectLineTokens(SECRET, () => now);
    const token = tokens.issue('conv-1', 'dl_user');
    expect(TOKEN_LIFETIME_SECONDS).toBeGreaterThan(15 * 60);
    now += (TOKEN_LIFETIME_SECONDS - 1) * 1000;
    expect(tokens.verify(token)).not.toBeNull();
    now += 2000;
    expect(tokens.verify(token)).toBeNull();
  });

  it('a stream token opens only a stream, and lives a few minutes', () => {
    let now = Date.parse('2026-12-02T10:00:00Z');
    const tokens = new DirectLineTokens(SECRET, () => now);
    const stream = tokens.issue('conv-1', 'dl_user', 'stream');
    expect(tokens.verify(stream)).toBeNull();
    expect(tokens.verify(stream, 'stream')?.conversationId).toBe('conv-1');
    expect(tokens.verify(tokens.issue('conv-1', 'dl_user'), 'stream')).toBeNull();
    now += (STREAM_TOKEN_LIFETIME_SECONDS + 1) * 1000;
    expect(tokens.verify(stream, 'stream')).toBeNull();
  });

  it('recognises the secret itself, and nothing close to it', () => {
    const tokens = new DirectLineTokens(SECRET);
    expect(tokens.isSecret(SECRET)).toBe(true);
    expect(tokens.isSecret(SECRET.slice(0, -1))).toBe(false);
    expect(tokens.isSecret(`${SECRET} `)).toBe(false);
    expect(tokens.isSecret(tokens.issue('c', 'u'))).toBe(false);
  });
});

describe('loadDirectLineSecret', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gallery-dl-secret-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('takes DIRECTLINE_SECRET when set, writing nothing', () => {
    const file = join(folder, 'configured', 'directline-secret');
    expect(loadDirectLineSecret(SECRET, file)).toBe(SECRET);
    expect(() => readFileSync(file)).toThrow();
  });

  it('else generates one, keeps it, and reads the same one next time', () => {
    const file = join(folder, 'generated', 'directline-secret');
    const first = loadDirectLineSecret(undefined, file);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadDirectLineSecret(undefined, file)).toBe(first);
  });

  it('replaces a kept secret too short to sign safely', () => {
    const file = join(folder, 'short-secret');
    writeFileSync(file, 'short\n');
    const secret = loadDirectLineSecret(undefined, file);
    expect(secret).not.toBe('short');
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
  });
});
