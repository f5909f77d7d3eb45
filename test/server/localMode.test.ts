import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { localModeWarning, startBot } from '../../src/main.js';
import { projectRoot } from '../../src/projectRoot.js';

/** Local mode is local: loopback by default, one line at start saying nothing is authenticated. */

describe('local mode at start', () => {
  it('listens on 127.0.0.1 without HOST and says in one line that requests are not authenticated', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gallery-local-mode-'));
    const lines: string[] = [];
    try {
      const dataFile = join(folder, 'platform.json');
      await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
      const env = { PORT: '0', STORAGE: 'memory', PLATFORM_DATA: dataFile };
      const bot = await startBot(loadConfig(env), env, createLogger('info', (line) => lines.push(line)));
      await bot.close();
      expect(new URL(bot.url).hostname).toBe('127.0.0.1');
      const warnings = lines.map((line) => JSON.parse(line) as { level: string; message: string }).filter((entry) => entry.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.message).toMatch(/^local mode: requests are not authenticated/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('warns loudly when HOST is set to an address others can reach, and not at all with credentials', () => {
    for (const HOST of ['0.0.0.0', '::', '192.168.1.20', 'bot.example.com']) {
      expect(localModeWarning({ HOST, MicrosoftAppId: undefined }), HOST).toMatch(new RegExp(`^LOCAL MODE ON ${HOST.replace(/\./g, '\\.')}: requests are NOT authenticated`));
    }
    expect(localModeWarning({ HOST: '::1', MicrosoftAppId: undefined })).toMatch(/^local mode:/);
    expect(localModeWarning({ HOST: '0.0.0.0', MicrosoftAppId: 'app-id' })).toBeNull();
  });
});

describe('configuration at start', () => {
  // The embedded platform writes to its data file: each start gets its own copy.
  let folder: string;
  let dataFile: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gallery-refused-config-'));
    dataFile = join(folder, 'platform.json');
    await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('HANDOFF_FORMAT=generic alone is the default and starts, keeping cases in the outbox', async () => {
    const env = { PORT: '0', STORAGE: 'memory', PLATFORM_DATA: dataFile, HANDOFF_FORMAT: 'generic' };
    const bot = await startBot(loadConfig(env), env, createLogger('silent'));
    expect(bot.tickets).toBeNull();
    await bot.close();
  });

  it.each([
    { HANDOFF_FORMAT: 'freshdesk', HANDOFF_WEBHOOK_URL: 'https://example.freshdesk.com', HANDOFF_API_KEY: 'key' },
    { HANDOFF_FORMAT: 'zendesk', HANDOFF_WEBHOOK_URL: 'https://example.zendesk.com', HANDOFF_API_KEY: 'agent@example.com/token:t' },
    { HANDOFF_WEBHOOK_URL: 'https://hooks.example.com/gallery' },
  ])('a helpdesk starts the ticket worker: %j', async (settings) => {
    const env = { PORT: '0', STORAGE: 'memory', PLATFORM_DATA: dataFile, ...settings };
    const bot = await startBot(loadConfig(env), env, createLogger('silent'));
    expect(bot.tickets).not.toBeNull();
    await bot.close();
  });
});
