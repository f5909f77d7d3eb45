import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { projectRoot } from '../src/projectRoot.js';
import type { TestBot } from '../test/support/botServer.js';
import { freePort } from '../test/support/botProcess.js';
import type { Build } from './build.js';
import type { LoadWorker } from './load.js';

/**
 * The benchmark's measurements that are not throughput: the recognizer's time per
 * utterance, the state stored per conversation, the memory a process keeps per finished
 * conversation, and the time from `npm start` to a healthy /healthz.
 */

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

// ---------------------------------------------------------------------------------------
// The recognizer.

export interface RecognizerTiming {
  utterances: number;
  /** recognizeSymptom alone, µs per utterance: every phrase set of the three shop messages. */
  symptom: { medianUs: number; p99Us: number };
  /** What a first free-text turn asks of it: command, symptom, access code, language. */
  firstTurn: { medianUs: number; p99Us: number };
  /** The first pass over the sentences (words not seen before by this process), median µs. */
  firstSightMedianUs: number;
}

/**
 * Every sentence of the labelled sets, each timed alone, five passes after a warm-up pass.
 * Each is read as a new message: the texts a turn remembered having read (recentTexts.ts)
 * are forgotten first, so a pass after the first times the reading, not a lookup.
 */
export function timeRecognizer(build: Build): RecognizerTiming {
  const { extractAccessCode } = build.accessCodes;
  const { recognizeCommand } = build.commands;
  const { guessLanguage } = build.phraseLanguage;
  const { forgetRecentTexts } = build.recentTexts;
  const { recognizeSymptom } = build.symptomRecognition;
  const file = join(projectRoot(), 'test', 'language', 'fixtures', 'symptom-sentences.json');
  const texts = (JSON.parse(readFileSync(file, 'utf8')) as { text: string }[]).map((sentence) => sentence.text);
  const time = (work: (text: string) => unknown, passes: number): number[] => {
    const samples: number[] = [];
    for (let pass = 0; pass < passes; pass++) {
      for (const text of texts) {
        forgetRecentTexts();
        const started = process.hrtime.bigint();
        work(text);
        samples.push(Number(process.hrtime.bigint() - started) / 1000);
      }
    }
    return samples.sort((a, b) => a - b);
  };
  const firstTurn = (text: string): void => {
    recognizeCommand(text);
    recognizeSymptom(text);
    extractAccessCode(text);
    guessLanguage(text);
  };
  const firstSight = time(recognizeSymptom, 1);
  time(firstTurn, 1);
  const symptom = time(recognizeSymptom, 5);
  const turn = time(firstTurn, 5);
  return {
    utterances: texts.length,
    symptom: { medianUs: round(percentile(symptom, 50), 1), p99Us: round(percentile(symptom, 99), 1) },
    firstTurn: { medianUs: round(percentile(turn, 50), 1), p99Us: round(percentile(turn, 99), 1) },
    firstSightMedianUs: round(percentile(firstSight, 50), 1),
  };
}

// ---------------------------------------------------------------------------------------
// State per conversation, memory per conversation.

interface DiagnosisLike {
  type?: string;
  awaiting?: string | null;
}

/** The answer a customer gives to each question of a whole conversation. */
const ANSWERS: Readonly<Record<string, string>> = {
  role: 'I am a parent',
  symptom: 'it says missed the sale',
  'access-code': 'MXR2 9PLT',
  confirm: 'yes',
  feedback: 'yes',
};

async function say(url: string, conversation: string, turn: number, text: string): Promise<string | null> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `${conversation}-${turn}`,
      channelId: 'webchat',
      serviceUrl: 'http://127.0.0.1:1/unused',
      deliveryMode: 'expectReplies',
      conversation: { id: conversation },
      from: { id: `user-${conversation}`, name: 'Bench user' },
      recipient: { id: 'bot', name: 'Gallery Access Assistant' },
      locale: 'en-US',
      text,
    }),
  });
  if (response.status !== 200) throw new Error(`a whole conversation: status ${response.status} on turn ${turn}`);
  const { activities } = (await response.json()) as { activities: { entities?: DiagnosisLike[] }[] };
  const entity = activities.at(-1)?.entities?.find((candidate) => candidate.type === 'gallery-access/diagnosis');
  return entity?.awaiting ?? null;
}

export interface StoredState {
  turns: number;
  /** Bytes of the stored documents (JSON) of the conversation, all keys together. */
  bytes: number;
  keys: number;
}

/**
 * A whole customer conversation (symptom and code, the diagnosis, yes to the offer, the
 * feedback) on a bot with SQLite state; then the documents stored for it, measured.
 */
export async function storedStatePerConversation(bot: TestBot, storagePath: string): Promise<StoredState> {
  const conversation = `bench-stored-${process.pid}-${Date.now()}`;
  let turns = 1;
  let awaiting = await say(bot.url, conversation, turns, 'it says missed the sale, my code is MXR2 9PLT');
  while (awaiting !== null && turns < 12) {
    turns += 1;
    awaiting = await say(bot.url, conversation, turns, ANSWERS[awaiting] ?? 'yes');
  }
  const db = new Database(storagePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[string], { document: string }>('SELECT document FROM bot_state WHERE key LIKE ?').all(`%${conversation}%`);
    return { turns, bytes: rows.reduce((sum, row) => sum + Buffer.byteLength(row.document), 0), keys: rows.length };
  } finally {
    db.close();
  }
}

export interface MemoryFootprint {
  conversations: number;
  heapUsedMB: number;
  rssMB: number;
  /** Heap kept per finished conversation: heap after minus before, both after a full GC, ÷ conversations. */
  heapGrowthPerConversationBytes: number;
}

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** `count` conversations of one first turn each (the bot's state in SQLite), then the process's memory. */
export async function memoryAfterConversations(bot: TestBot, load: LoadWorker, count: number, concurrency: number): Promise<MemoryFootprint> {
  const gc = collectGarbage();
  const body = (index: number): string =>
    JSON.stringify({
      type: 'message',
      id: `m-${index}`,
      channelId: 'webchat',
      serviceUrl: 'http://127.0.0.1:1/unused',
      deliveryMode: 'expectReplies',
      conversation: { id: `bench-memory-${process.pid}-${index}` },
      from: { id: `user-${index}`, name: 'Bench user' },
      recipient: { id: 'bot', name: 'Gallery Access Assistant' },
      locale: 'en-US',
      text: 'it says missed the sale, my code is MXR2 9PLT',
    });
  const check = { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'confirm' } as const;
  // A first batch so that everything created once (caches, compiled code) exists before "before".
  await load.run({ url: bot.url, concurrency, check, bodies: Array.from({ length: 500 }, (_, index) => body(-1 - index)) });
  gc();
  const before = process.memoryUsage().heapUsed;
  let failures = 0;
  for (let start = 0; start < count; start += 2000) {
    const result = await load.run({ url: bot.url, concurrency, check, bodies: Array.from({ length: Math.min(2000, count - start) }, (_, index) => body(start + index)) });
    failures += result.failures;
  }
  if (failures > 0) throw new Error(`memory run: ${failures} failed turns`);
  gc();
  const after = process.memoryUsage();
  return {
    conversations: count,
    heapUsedMB: round(after.heapUsed / 2 ** 20, 1),
    rssMB: round(after.rss / 2 ** 20, 1),
    heapGrowthPerConversationBytes: round((after.heapUsed - before) / count, 0),
  };
}

// ---------------------------------------------------------------------------------------
// Start-up.

export interface StartUp {
  /** `npm start` (npm, the build check, node) until /healthz answers 200, median of `runs`, ms. */
  npmStartMs: number;
  /** `node dist/src/main.js` alone to a healthy /healthz, median, ms. */
  nodeStartMs: number;
  runs: number;
}

async function timeToHealthy(command: string, args: string[], cwd: string, folder: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', STORAGE: 'sqlite', STORAGE_PATH: join(folder, `bot-${port}.sqlite`), LOG_LEVEL: 'silent' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode} before it was healthy`);
      if (performance.now() - started > 120_000) throw new Error(`${command} ${args.join(' ')}: not healthy within 120 s`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((tick) => setTimeout(tick, 10));
    }
  } finally {
    // npm starts node as its child: stop the whole group.
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await new Promise((exited) => (child.exitCode !== null ? exited(null) : child.once('exit', exited)));
  }
}

/** Builds first if needed (untimed: `npm start` builds only when sources changed), then times the starts. */
export async function timeStartUp(runs = 3): Promise<StartUp> {
  const root = projectRoot();
  const folder = await mkdtemp(join(tmpdir(), 'gallery-bench-start-'));
  try {
    await timeToHealthy('npm', ['start', '--silent'], root, folder);
    if (!existsSync(join(root, 'dist', 'src', 'main.js'))) throw new Error('npm start did not build dist/src/main.js');
    const npm: number[] = [];
    const node: number[] = [];
    for (let run = 0; run < runs; run++) {
      npm.push(await timeToHealthy('npm', ['start', '--silent'], root, folder));
      node.push(await timeToHealthy(process.execPath, [join('dist', 'src', 'main.js')], root, folder));
    }
    const median = (values: number[]) => round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN, 0);
    return { npmStartMs: median(npm), nodeStartMs: median(node), runs };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
