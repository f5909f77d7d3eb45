import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { ContractChat, allText, lastEntity } from '../support/photographerChat.js';
import { PLATFORM_TOKEN, startTestPlatformApi, type TestPlatformApi } from '../support/platformApi.js';

/**
 * GET /readyz: 200 only while storage and the platform are usable, 503 (with which one is
 * not) otherwise, while /healthz stays 200 as long as the server takes turns. A turn that
 * cannot save its conversation says so plainly, with the diagnosis entity, and nothing internal.
 */

const stoppers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
});

async function bot(env: Record<string, string> = {}): Promise<TestBot> {
  const started = await startTestBot(env);
  stoppers.push(() => started.stop());
  return started;
}

async function readyz(url: string): Promise<{ status: number; body: { status: string; checks: Record<string, boolean> } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, boolean> } };
}

describe('/readyz', () => {
  it('is 200 with storage and the embedded platform usable', async () => {
    const running = await bot();
    expect(await readyz(running.url)).toEqual({ status: 200, body: { status: 'ready', checks: { storage: true, platform: true } } });
  });

  it('SQLite becomes unusable: /readyz 503 naming storage, /healthz 200, every turn says the conversation cannot be saved', async () => {
    const running = await bot({ STORAGE: 'sqlite' });
    const parent = new ContractChat(running.url, { channelId: 'webchat', locale: 'de-DE', role: 'customer' });
    expect(lastEntity(await parent.say('da steht, meine Fotos sind fast fertig')).awaiting).toBe('access-code');
    expect((await readyz(running.url)).status).toBe(200);

    // Someone else's hands on the file: the bot's table is gone.
    const other = new Database(running.config.STORAGE_PATH);
    other.exec('DROP TABLE bot_state');
    other.close();

    expect(await readyz(running.url)).toEqual({ status: 503, body: { status: 'not ready', checks: { storage: false, platform: true } } });
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    for (const text of ['KDG4 77QP', 'hallo?']) {
      const replies = await parent.say(text);
      expect(allText(replies)).toBe(parent.t('error.storageUnavailable'));
      expect(allText(replies)).not.toMatch(/sqlite|bot_state|error:|at \S+:\d+/i);
    }
  });

  it('the platform API down: 503 naming the platform; back up: 200 again', async () => {
    const api: TestPlatformApi = await startTestPlatformApi();
    stoppers.push(() => api.stop());
    const running = await bot({ PLATFORM_API_URL: api.url, PLATFORM_API_TOKEN: PLATFORM_TOKEN, PLATFORM_API_TIMEOUT_MS: '300' });
    expect((await readyz(running.url)).body.checks).toEqual({ storage: true, platform: true });
    api.fault({ kind: 'status', status: 503 });
    expect(await readyz(running.url)).toEqual({ status: 503, body: { status: 'not ready', checks: { storage: true, platform: false } } });
    api.clearFaults();
    expect((await readyz(running.url)).status).toBe(200);
  });

  it('a refused platform token is not ready', async () => {
    const api: TestPlatformApi = await startTestPlatformApi();
    stoppers.push(() => api.stop());
    const running = await bot({ PLATFORM_API_URL: api.url, PLATFORM_API_TOKEN: 'not-the-token' });
    expect((await readyz(running.url)).body.checks.platform).toBe(false);
  });
});
