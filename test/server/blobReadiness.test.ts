import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startBot } from '../../src/main.js';
import { projectRoot } from '../../src/projectRoot.js';
import { type Azurite, azuriteConnectionString, startAzurite } from '../support/azurite.js';
import { freePort } from '../support/botProcess.js';
import { allText, ContractChat } from '../support/photographerChat.js';

/**
 * STORAGE=azure-blob at start and while running: a connection string that is not one, or
 * that the account refuses, stops the start naming the variable and never the key; a blob
 * service that cannot be reached leaves /readyz at 503 and every turn says the conversation
 * cannot be saved; and the start says what the instances share.
 */

let folder: string;
let dataFile: string;
const stoppers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gallery-blob-readiness-'));
  dataFile = join(folder, 'platform.json');
  await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
});

afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
});

afterAll(() => rm(folder, { recursive: true, force: true }));

let instance = 0;
function blobEnv(connectionString: string): Record<string, string> {
  instance += 1;
  return { PORT: '0', STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: connectionString, STORAGE_PATH: join(folder, `instance-${instance}`, 'bot.sqlite'), PLATFORM_DATA: dataFile };
}

async function start(env: Record<string, string>, lines: string[] = []) {
  const bot = await startBot(loadConfig(env), env, createLogger('info', (line) => lines.push(line)));
  stoppers.push(() => bot.close());
  return bot;
}

async function readyz(url: string): Promise<{ status: number; checks: Record<string, boolean> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, checks: ((await response.json()) as { checks: Record<string, boolean> }).checks };
}

function warnings(lines: readonly string[]): string[] {
  return lines.map((line) => JSON.parse(line) as { level: string; message: string }).filter((entry) => entry.level === 'warn').map((entry) => entry.message);
}

describe('STORAGE=azure-blob', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  }, 90_000);
  afterAll(() => azurite?.stop());

  it('starts ready on a reachable account and says at start what the instances share', async () => {
    const lines: string[] = [];
    const bot = await start(blobEnv(azurite.connectionString), lines);
    expect(await readyz(bot.url)).toEqual({ status: 200, checks: { storage: true, platform: true } });
    const said = lines.map((line) => (JSON.parse(line) as { message: string }).message).filter((message) => message.startsWith('STORAGE=azure-blob: bot state'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain("the web chat's Direct Line conversations are shared");
    expect(lines.join('\n')).not.toContain('Eby8vdM02xNOcq');
    // Web chat tokens are signed with the Direct Line secret: without DIRECTLINE_SECRET the one kept in the container, nothing to warn about.
    expect(warnings(lines).filter((message) => message.includes('DIRECTLINE_SECRET'))).toEqual([]);
    expect(lines.some((line) => line.includes('the Direct Line secret is the one kept in the container'))).toBe(true);
    const withSecret: string[] = [];
    await start({ ...blobEnv(azurite.connectionString), DIRECTLINE_SECRET: 'one-secret-for-every-instance-0123456789' }, withSecret);
    expect(warnings(withSecret).filter((message) => message.includes('DIRECTLINE_SECRET'))).toEqual([]);
  });

  it('a key the account refuses stops the start, naming the variable and not the key', async () => {
    const wrongKey = azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.from('SECRET-wrong-key').toString('base64')}`);
    const env = blobEnv(wrongKey);
    const started = startBot(loadConfig(env), env, createLogger('silent'));
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/^Invalid configuration: AZURE_STORAGE_CONNECTION_STRING: the storage account refused it/);
    await started.catch((error: Error) => expect(error.message).not.toMatch(/U0VDUkVU|SECRET/));
  });
});

describe('STORAGE=azure-blob, blob service unreachable', () => {
  it('a connection string that is not one stops the start without echoing it', async () => {
    const env = blobEnv('AccountKey=SECRET-not-a-connection-string');
    const started = startBot(loadConfig(env), env, createLogger('silent'));
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/^Invalid configuration: AZURE_STORAGE_CONNECTION_STRING: not an Azure Storage connection string/);
    await started.catch((error: Error) => expect(error.message).not.toContain('SECRET'));
  });

  it('unreachable at start: the start says so, /readyz 503 naming storage, every turn says the conversation cannot be saved', async () => {
    const lines: string[] = [];
    const bot = await start(blobEnv(azuriteConnectionString(await freePort())), lines);
    expect(warnings(lines)).toContain('Azure Blob Storage not reachable at start; /readyz answers 503 until it is');
    expect(await readyz(bot.url)).toEqual({ status: 503, checks: { storage: false, platform: true } });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const parent = new ContractChat(bot.url, { channelId: 'webchat', locale: 'fr-FR', role: 'customer' });
    for (const text of ['mes photos sont presque prêtes', 'KDG4 77QP']) {
      const replies = await parent.say(text);
      expect(allText(replies)).toBe(parent.t('error.storageUnavailable'));
      expect(allText(replies)).not.toMatch(/ECONNREFUSED|blob|error:|at \S+:\d+/i);
    }
  }, 120_000);

  it('the blob service goes away while running: /readyz turns 503', async () => {
    const azurite = await startAzurite();
    stoppers.push(() => azurite.stop());
    const bot = await start(blobEnv(azurite.connectionString));
    const parent = new ContractChat(bot.url, { channelId: 'webchat', locale: 'en-US', role: 'customer' });
    expect((await parent.say('it says my photos are almost ready')).length).toBeGreaterThan(0);
    expect((await readyz(bot.url)).status).toBe(200);
    await azurite.stop();
    expect(await readyz(bot.url)).toEqual({ status: 503, checks: { storage: false, platform: true } });
    expect(allText(await parent.say('KDG4 77QP'))).toBe(parent.t('error.storageUnavailable'));
  }, 120_000);
});
