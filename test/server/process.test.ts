import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { startBot } from '../../src/main.js';
import { projectRoot } from '../../src/projectRoot.js';
import { type BotProcess, freePort, spawnBot } from '../support/botProcess.js';
import { Chat, lastDiagnosis, postActivity } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';

/**
 * The real process entry on its embedded defaults (SQLite, a working copy of the demo
 * data in `<cwd>/data/`), as `npm start` runs it: start, talk, SIGTERM, restart on the
 * same folder, and the start-up failures a wrong configuration must give.
 */

const folders: string[] = [];
const running: BotProcess[] = [];

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gallery-process-'));
  folders.push(folder);
  return folder;
}

async function start(cwd: string, env: Record<string, string> = {}): Promise<{ bot: BotProcess; url: string }> {
  const bot = spawnBot(cwd, { PORT: String(await freePort()), HOST: '127.0.0.1', ...env });
  running.push(bot);
  return { bot, url: await bot.listening() };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what}: not within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

afterAll(async () => {
  await Promise.all(running.map((bot) => bot.kill()));
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('the process on its defaults (STORAGE=sqlite)', { timeout: 120_000 }, () => {
  let cwd: string;
  const conversationId = `process-conversation-${process.pid}`;
  const userId = 'process-user';

  beforeAll(async () => {
    cwd = await tempFolder();
  });

  it('creates data/bot.sqlite and data/platform.json, answers /healthz and a conversation, and stops on SIGTERM with code 0', async () => {
    const { bot, url } = await start(cwd);
    expect((await stat(join(cwd, 'data', 'bot.sqlite'))).isFile()).toBe(true);
    const copy = await readFile(join(cwd, 'data', 'platform.json'), 'utf8');
    expect(copy).toBe(await readFile(join(projectRoot(), 'demo', 'platform.json'), 'utf8'));

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const replies = await new Chat(url, { conversationId, userId }).say('my photos are almost ready');
    expect(lastDiagnosis(replies)).toMatchObject({ role: 'customer', symptom: 'almost-ready', awaiting: 'access-code' });

    bot.signal('SIGTERM');
    const exit = await within(bot.exited, 30_000, 'exit after SIGTERM');
    expect(exit.code).toBe(0);
    // The stop ran to its end (the process did not simply run out of work halfway), and the
    // database was closed: SQLite folds the write-ahead log into the file and removes it.
    const messages = bot.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { message?: string }).message);
    expect(messages.slice(-2)).toEqual(['shutting down', 'stopped']);
    await expect(stat(join(cwd, 'data', 'bot.sqlite-wal'))).rejects.toThrow(/ENOENT/);

    expect(bot.stderr()).toBe('');
  });

  it('loads neither the Slack SDK nor Azure Blob Storage when nothing asks for them: a start on SQLite does without', async () => {
    const report = join(projectRoot(), 'test', 'server', 'fixtures', 'reportLoadedPackages.cjs');
    const { bot, url } = await start(await tempFolder(), { NODE_OPTIONS: `--require ${report}` });
    const replies = await new Chat(url, { conversationId: `${conversationId}-packages`, userId }).say('my photos are almost ready');
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'access-code' });
    bot.signal('SIGTERM');
    expect((await within(bot.exited, 30_000, 'exit after SIGTERM')).code).toBe(0);

    const line = bot.stderr().split('\n').find((text) => text.startsWith('loaded packages: '));
    const packages = JSON.parse(line?.slice('loaded packages: '.length) ?? 'null') as string[] | null;
    expect(packages).toEqual(expect.arrayContaining(['better-sqlite3', 'botbuilder', 'restify']));
    expect(packages).not.toContain('@slack/web-api');
    expect(packages).not.toContain('@azure/storage-blob');
  });

  it('continues the conversation after a restart on the same folder (SQLite state survived)', async () => {
    const { bot, url } = await start(cwd);
    // A new activity id: the bot ignores a redelivered activity (same id) as already answered.
    const replies = await new Chat(url, { conversationId, userId }).send({ id: `${conversationId}-after-restart`, text: DEMO_CODES['job-in-planning'] });
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'almost-ready', scenario: 'job-in-planning' });
    bot.signal('SIGTERM');
    expect((await within(bot.exited, 30_000, 'exit after SIGTERM')).code).toBe(0);
  });

  it('finishes a turn in flight at SIGTERM: new requests are refused, its replies are delivered and the request answered', async () => {
    // A connector (the channel's serviceUrl) that holds the bot's first reply until the test
    // has seen new requests refused, so the turn is still running when SIGTERM arrives however
    // slowly this machine handles the signal.
    const received: Partial<Activity>[] = [];
    let firstReply!: () => void;
    const firstReplyArrived = new Promise<void>((arrived) => (firstReply = arrived));
    let releaseFirstReply!: () => void;
    const firstReplyReleased = new Promise<void>((released) => (releaseFirstReply = released));
    const readJson = async (req: IncomingMessage): Promise<unknown> => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      return JSON.parse(body);
    };
    const connector: Server = createServer((req, res) => {
      void readJson(req).then(async (activity) => {
        received.push(activity as Partial<Activity>);
        if (received.length === 1) {
          firstReply();
          await within(firstReplyReleased, 60_000, 'the test to release the first reply').catch(() => undefined);
        }
        // Not chained: restify (loaded in this process) patches ServerResponse.writeHead to return nothing.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${received.length}` }));
      });
    });
    await new Promise<void>((ready) => connector.listen(0, '127.0.0.1', () => ready()));
    const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
    try {
      const { bot, url } = await start(cwd);
      const chat = new Chat(url, { userId: 'in-flight-user' });
      const request = postActivity(url, {
        ...chat.activity({ text: `it says missed the sale, my code is ${DEMO_CODES['job-archived']}` }),
        deliveryMode: 'normal',
        serviceUrl,
      });
      await within(firstReplyArrived, 10_000, 'first reply at the connector');
      let answered = false;
      void request.then(() => (answered = true), () => undefined);
      bot.signal('SIGTERM');
      // New requests are refused at once, while the turn in flight still runs.
      let refused = false;
      const giveUpAt = Date.now() + 30_000;
      while (!refused && Date.now() < giveUpAt) {
        refused = await fetch(`${url}/healthz`).then(
          () => false,
          () => true,
        );
        if (!refused) await new Promise((tick) => setTimeout(tick, 20));
      }
      expect(refused).toBe(true);
      expect(answered).toBe(false);
      releaseFirstReply();
      const response = await request.catch((error: unknown) => {
        throw new Error(`the in-flight request failed: ${String(error)}\nbot stdout: ${bot.stdout()}\nbot stderr: ${bot.stderr()}\nconnector got ${received.length}`);
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const exit = await within(bot.exited, 30_000, 'exit after SIGTERM');
      expect(exit.code).toBe(0);
      expect(bot.stdout().indexOf('"shutting down"')).toBeLessThan(bot.stdout().indexOf('"turn"')); // really in flight
      const last = received.at(-1);
      expect(received.length).toBeGreaterThanOrEqual(2);
      expect(lastDiagnosis(received)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
      expect(last?.text).toBeTruthy();
    } finally {
      releaseFirstReply();
      connector.closeAllConnections();
      await new Promise<void>((closed) => connector.close(() => closed()));
    }
  });
});

describe('a wrong configuration stops the start', { timeout: 90_000 }, () => {
  /** Starts the entry with `env` and expects a quick non-zero exit with one line on stderr. */
  async function failedStart(env: Record<string, string>): Promise<string> {
    const cwd = await tempFolder();
    const bot = spawnBot(cwd, { PORT: String(await freePort()), HOST: '127.0.0.1', ...env });
    running.push(bot);
    const exit = await within(bot.exited, 60_000, `exit with ${JSON.stringify(env)}`);
    expect(exit.code, bot.stderr()).not.toBe(0);
    expect(exit.code, bot.stderr()).not.toBeNull();
    const lines = bot.stderr().trimEnd().split('\n');
    expect(lines, bot.stderr()).toHaveLength(1);
    expect(bot.stderr()).not.toMatch(/^\s+at /m);
    return lines[0] ?? '';
  }

  it('STORAGE=redis names STORAGE', async () => {
    expect(await failedStart({ STORAGE: 'redis' })).toMatch(/\bSTORAGE\b.*redis/);
  });

  it('a too short ADMIN_TOKEN names ADMIN_TOKEN and does not show it', async () => {
    const line = await failedStart({ ADMIN_TOKEN: 'tooShortAdminToken' });
    expect(line).toMatch(/\bADMIN_TOKEN\b/);
    expect(line).not.toContain('tooShortAdminToken');
  });

  it('PORT=abc names PORT', async () => {
    expect(await failedStart({ PORT: 'abc' })).toMatch(/\bPORT\b/);
  });

  it('PLATFORM_DATA=/nonexistent.json names PLATFORM_DATA', async () => {
    const line = await failedStart({ PLATFORM_DATA: '/nonexistent.json' });
    expect(line).toMatch(/\bPLATFORM_DATA\b/);
    expect(line).toContain('/nonexistent.json');
  });

  it('a PLATFORM_DATA file with a bad field names the file and the field', async () => {
    const folder = await tempFolder();
    const data = JSON.parse(await readFile(join(projectRoot(), 'demo', 'platform.json'), 'utf8')) as { jobs: Record<string, unknown>[] };
    data.jobs[0]!.campaignActive = 'yes';
    const file = join(folder, 'bad-platform.json');
    await writeFile(file, JSON.stringify(data));
    const line = await failedStart({ PLATFORM_DATA: file });
    expect(line).toMatch(/\bPLATFORM_DATA\b/);
    expect(line).toContain('jobs[0].campaignActive');
  });
});

/**
 * The same rule for failures that only show when the bot starts (files, network). They are
 * checked in-process on `startBot`: the entry prints exactly the error's message.
 */
describe('a wrong value found at start-up names its variable', () => {
  async function startFailure(env: Record<string, string>): Promise<string> {
    const dataFile = join(await tempFolder(), 'platform.json');
    await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
    const fullEnv = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PLATFORM_DATA: dataFile, ...env };
    const started = startBot(loadConfig(fullEnv), fullEnv, silentLogger);
    const error = await started.then(
      async (bot) => {
        await bot.close();
        throw new Error('the bot started');
      },
      (failure: unknown) => failure,
    );
    const message = error instanceof Error ? error.message : String(error);
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }

  // The design: "a wrong value stops the start with one clear line that names the variable".
  it('an unusable STORAGE_PATH (its folder is a file) names STORAGE_PATH', async () => {
    const folder = await tempFolder();
    const file = join(folder, 'not-a-folder');
    await writeFile(file, 'x');
    expect(await startFailure({ STORAGE: 'sqlite', STORAGE_PATH: join(file, 'bot.sqlite') })).toMatch(/\bSTORAGE_PATH\b/);
  });

  it('a STORAGE_PATH that is not a SQLite file names STORAGE_PATH', async () => {
    const folder = await tempFolder();
    const file = join(folder, 'notes.txt');
    await writeFile(file, 'this is not a database, just some text that is long enough for SQLite to look at');
    expect(await startFailure({ STORAGE: 'sqlite', STORAGE_PATH: file })).toMatch(/\bSTORAGE_PATH\b/);
  });

  it('a HOST that does not resolve names HOST', async () => {
    expect(await startFailure({ STORAGE: 'memory', HOST: '999.1.1.1' })).toMatch(/\bHOST\b/);
  });

  it('a PORT already in use names PORT', async () => {
    const blocker = createServer();
    await new Promise<void>((ready) => blocker.listen(0, '127.0.0.1', () => ready()));
    try {
      const port = String((blocker.address() as AddressInfo).port);
      expect(await startFailure({ STORAGE: 'memory', PORT: port })).toMatch(/\bPORT\b/);
    } finally {
      await new Promise<void>((closed) => blocker.close(() => closed()));
    }
  });
});
