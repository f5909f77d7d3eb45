import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunningBot } from '../src/main.js';
import { projectRoot } from '../src/projectRoot.js';
import { startTestBot } from '../test/support/botServer.js';
import { loadBuild } from './build.js';
import { type Check, type LoadResult, type LoadWorker, startLoadWorker } from './load.js';
import { type BenchServer, startBareRestify, startEchoBot, startPipelineFloor } from './servers.js';
import { memoryAfterConversations, type MemoryFootprint, type RecognizerTiming, type StartUp, storedStatePerConversation, type StoredState, timeRecognizer, timeStartUp } from './footprint.js';

/**
 * `npm run bench [-- --quick] [-- --requests N --concurrency C]`
 *
 * Whole bot turns over HTTP (`deliveryMode: "expectReplies"`), measured against two
 * references started in the same process and measured in the same run: bare restify
 * (the baseline) and a botbuilder echo bot (the SDK's floor). The figures that matter are
 * the ratios; absolute numbers depend on the machine and on whatever else runs on it.
 * No thresholds: the exit code is 1 only when a request failed.
 */

const USAGE = `usage: npm run bench -- [--quick] [--requests N] [--rounds R] [--concurrency C]
  --requests N     timed requests per bot workload and round (default 500, quick 150);
                   the echo bot gets 2×N, bare restify 10×N (it is much faster)
  --rounds R       every target is measured once per round, interleaved (default 3, quick 1)
  --concurrency C  requests in flight, one keep-alive socket each (default 50)
  --quick          one short round: checks that everything works, figures are rough`;

const TEAMS_PHOTOGRAPHER = '00000000-0000-0000-0000-0000000000020';
const CUSTOMER_TEXT = 'it says missed the sale, my code is MXR2 9PLT';
const PHOTOGRAPHER_TEXT = 'a parent sees missed the sale, code MXR2 9PLT';
const DATE_TEXT = 'in 3 weeks';

interface Settings {
  /** Timed requests per bot workload and round; the echo bot gets 2×, bare restify 10×. */
  requests: number;
  /** Every target is measured once per round; rounds interleave the targets so drift hits them alike. */
  rounds: number;
  concurrency: number;
  /** Each target is warmed up for at least this long (and at least `warmupRequests`) before it is timed. */
  warmupMs: number;
  warmupRequests: number;
  quick: boolean;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`--${name} expects a positive whole number, got "${value}"`);
  return parsed;
}

class UsageError extends Error {}

function readSettings(argv: string[]): Settings | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        requests: { type: 'string' },
        concurrency: { type: 'string' },
        rounds: { type: 'string' },
        quick: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const quick = values.quick === true;
  const requests = positiveInteger('requests', values.requests, quick ? 150 : 500);
  const concurrency = positiveInteger('concurrency', values.concurrency, 50);
  const rounds = positiveInteger('rounds', values.rounds, quick ? 1 : 3);
  return { requests, rounds, concurrency, warmupMs: quick ? 1000 : 1500, warmupRequests: Math.max(quick ? 50 : 200, 2 * concurrency), quick };
}

// ---------------------------------------------------------------------------------------
// Activities: every request a new conversation (or its own prepared one), so turns never
// wait for each other behind the bot's one-turn-at-a-time-per-conversation lock.

let sequence = 0;

function newConversation(prefix: string): string {
  sequence += 1;
  return `bench-${prefix}-${process.pid}-${sequence}`;
}

interface Sender {
  channelId: string;
  from: Record<string, string>;
}

const webchatUser = (conversation: string): Sender => ({ channelId: 'webchat', from: { id: `user-${conversation}`, name: 'Bench user' } });
const teamsPhotographer = (conversation: string): Sender => ({
  channelId: 'msteams',
  from: { id: `29:${conversation}`, name: 'Bench photographer', aadObjectId: TEAMS_PHOTOGRAPHER },
});

function activity(conversation: string, turn: number, sender: Sender, fields: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'message',
    id: `${conversation}-${turn}`,
    channelId: sender.channelId,
    serviceUrl: 'http://127.0.0.1:1/unused',
    deliveryMode: 'expectReplies',
    conversation: { id: conversation },
    from: sender.from,
    recipient: { id: 'bot', name: 'Gallery Access Assistant' },
    locale: 'en-US',
    timestamp: new Date().toISOString(),
    ...fields,
  });
}

function firstMessages(prefix: string, count: number, sender: (conversation: string) => Sender, text: string): string[] {
  return Array.from({ length: count }, () => {
    const conversation = newConversation(prefix);
    return activity(conversation, 1, sender(conversation), { text });
  });
}

// ---------------------------------------------------------------------------------------
// Targets.

interface Target {
  key: string;
  name: string;
  what: string;
  url: string;
  check: Check;
  /** Timed requests, as a multiple of `--requests`. */
  scale: number;
  /** The request bodies, after any untimed set-up those requests need. */
  prepare(count: number, load: LoadWorker, settings: Settings): Promise<{ bodies: string[]; setupFailures: number; setupSamples: string[] }>;
  /** Instead of bodies for /api/messages: `count` whole turns through the bot's own Direct Line (its set-up untimed). */
  directLine?: (count: number, load: LoadWorker, settings: Settings) => Promise<LoadResult>;
}

const DIRECT_LINE_CHECK = { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'confirm' } as const;
const PLAN: Check = { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'step-result', card: true };

function targets(bare: BenchServer, echo: BenchServer, floor: BenchServer, bot: RunningBot, directLineSecret: string): Target[] {
  const simple = (prefix: string, sender: (conversation: string) => Sender, text: string) => async (count: number) => ({
    bodies: firstMessages(prefix, count, sender, text),
    setupFailures: 0,
    setupSamples: [],
  });
  return [
    {
      key: 'bare',
      name: '(a) bare restify',
      what: 'restify + bodyParser answering a fixed {"activities":[]} (baseline)',
      url: bare.url,
      check: { kind: 'empty' },
      scale: 10,
      prepare: simple('bare', webchatUser, 'hello'),
    },
    {
      key: 'echo',
      name: '(b) echo bot',
      what: 'CloudAdapter + ActivityHandler echoing the text, expectReplies (SDK floor)',
      url: echo.url,
      check: { kind: 'echo' },
      scale: 2,
      prepare: simple('echo', webchatUser, 'hello'),
    },
    {
      key: 'floor',
      name: 'pipeline floor',
      what: "the bot's HTTP server and adapter with the echo bot as the logic: the most any turn of the bot can reach",
      url: floor.url,
      check: { kind: 'echo' },
      scale: 2,
      prepare: simple('floor', webchatUser, 'hello'),
    },
    {
      key: 'diagnosis',
      name: '(c) first turn',
      what: `customer's first message with symptom and code ("${CUSTOMER_TEXT}") → the diagnosis`,
      url: bot.url,
      check: { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'confirm' },
      scale: 1,
      prepare: simple('diagnosis', webchatUser, CUSTOMER_TEXT),
    },
    {
      key: 'plan',
      name: 'Teams plan card',
      what: `Teams photographer's first message ("${PHOTOGRAPHER_TEXT}") → diagnosis and fix plan card`,
      url: bot.url,
      check: PLAN,
      scale: 1,
      prepare: simple('plan', teamsPhotographer, PHOTOGRAPHER_TEXT),
    },
    {
      key: 'date',
      name: '(d) mid-dialog',
      what: `typed archive date ("${DATE_TEXT}") in a conversation at the archive-date question → the summary`,
      url: bot.url,
      check: { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'confirm', card: true },
      scale: 1,
      // Untimed: each conversation is taken to the archive-date question (plan, then "Do it for me").
      async prepare(count, load, settings) {
        const conversations = Array.from({ length: count }, () => newConversation('date'));
        const common = { url: bot.url, concurrency: settings.concurrency };
        const plan = await load.run({
          ...common,
          bodies: conversations.map((conversation) => activity(conversation, 1, teamsPhotographer(conversation), { text: PHOTOGRAPHER_TEXT })),
          check: PLAN,
        });
        const question = await load.run({
          ...common,
          bodies: conversations.map((conversation) => activity(conversation, 2, teamsPhotographer(conversation), { value: { choice: 'auto' } })),
          check: { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'archive-date', card: true },
        });
        return {
          bodies: conversations.map((conversation) => activity(conversation, 3, teamsPhotographer(conversation), { text: DATE_TEXT })),
          setupFailures: plan.failures + question.failures,
          setupSamples: [...plan.failureSamples, ...question.failureSamples].map((sample) => `set-up ${sample}`),
        };
      },
    },
    {
      key: 'directline',
      name: '(e) Direct Line',
      what: `help chat customer's first message ("${CUSTOMER_TEXT}") posted to /v3/directline, until the diagnosis arrives on the WebSocket stream`,
      url: bot.url,
      check: DIRECT_LINE_CHECK,
      scale: 1,
      prepare: async () => ({ bodies: [], setupFailures: 0, setupSamples: [] }),
      directLine: (count, load, settings) =>
        load.runDirectLine({ url: bot.url, secret: directLineSecret, texts: Array.from({ length: count }, () => CUSTOMER_TEXT), locale: 'en-US', concurrency: settings.concurrency, check: DIRECT_LINE_CHECK }),
    },
  ];
}

// ---------------------------------------------------------------------------------------
// Measuring.

/** One timed run of one target. */
interface Round {
  requests: number;
  wallMs: number;
  reqPerSec: number;
  latenciesMs: number[];
  serverBusy: number;
  warmup: number;
  failures: { timed: number; warmup: number; setup: number };
  failureSamples: string[];
}

async function measureRound(target: Target, load: LoadWorker, settings: Settings, warmupMs: number): Promise<Round> {
  const requests = target.scale * settings.requests;
  const job = { url: target.url, concurrency: settings.concurrency, check: target.check };
  const failures = { timed: 0, warmup: 0, setup: 0 };
  const samples: string[] = [];

  // Warm-up by time, not by count: V8 needs a second or more of traffic before the code
  // (the load generator's too) runs at full speed; a small fixed count measured it cold.
  let warmup = 0;
  const batch = Math.max(5 * settings.concurrency, Math.ceil(requests / 10));
  const warmupStarted = performance.now();
  while (warmup < settings.warmupRequests || performance.now() - warmupStarted < warmupMs) {
    if (target.directLine !== undefined) {
      const warm = await target.directLine(batch, load, settings);
      warmup += batch;
      failures.warmup += warm.failures;
      samples.push(...warm.failureSamples.map((sample) => `warm-up ${sample}`));
      continue;
    }
    const prepared = await target.prepare(batch, load, settings);
    const warm = await load.run({ ...job, bodies: prepared.bodies });
    warmup += batch;
    failures.warmup += warm.failures;
    failures.setup += prepared.setupFailures;
    samples.push(...prepared.setupSamples, ...warm.failureSamples.map((sample) => `warm-up ${sample}`));
  }

  const prepared = await target.prepare(requests, load, settings);
  failures.setup += prepared.setupFailures;
  samples.push(...prepared.setupSamples);
  const busyBefore = performance.eventLoopUtilization();
  // Direct Line: the busy share includes the untimed set-up (conversations started, streams opened).
  const timed: LoadResult = target.directLine !== undefined ? await target.directLine(requests, load, settings) : await load.run({ ...job, bodies: prepared.bodies });
  const serverBusy = performance.eventLoopUtilization(busyBefore).utilization;
  failures.timed = timed.failures;
  samples.push(...timed.failureSamples);

  return {
    requests,
    wallMs: timed.wallMs,
    reqPerSec: (timed.requests / timed.wallMs) * 1000,
    latenciesMs: timed.latenciesMs,
    serverBusy,
    warmup,
    failures,
    failureSamples: samples.slice(0, 5),
  };
}

interface Summary {
  key: string;
  name: string;
  what: string;
  rounds: number;
  /** Timed requests per round. */
  requests: number;
  concurrency: number;
  /** Median over the rounds. */
  reqPerSec: number;
  reqPerSecByRound: number[];
  /** Over every timed request of every round. */
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
  failures: { timed: number; warmup: number; setup: number; total: number };
  failureSamples: string[];
  /** Share of the timed runs the servers' thread was busy (event-loop utilisation): near 1 = the server is the bottleneck. */
  serverBusy: number;
  /** Median over the rounds of (this target's req/s ÷ the reference's req/s in the same round). */
  ratioToBare: number;
  ratioToEcho: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function summarise(target: Target, rounds: readonly Round[], bare: readonly Round[], echo: readonly Round[], settings: Settings): Summary {
  const latencies = rounds.flatMap((run) => run.latenciesMs).sort((a, b) => a - b);
  const mean = latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length);
  const sum = (pick: (run: Round) => number) => rounds.reduce((total, run) => total + pick(run), 0);
  const failures = { timed: sum((run) => run.failures.timed), warmup: sum((run) => run.failures.warmup), setup: sum((run) => run.failures.setup) };
  const ratio = (reference: readonly Round[]) => median(rounds.map((run, index) => run.reqPerSec / reference[index]!.reqPerSec));
  return {
    key: target.key,
    name: target.name,
    what: target.what,
    rounds: rounds.length,
    requests: target.scale * settings.requests,
    concurrency: settings.concurrency,
    reqPerSec: round(median(rounds.map((run) => run.reqPerSec)), 1),
    reqPerSecByRound: rounds.map((run) => round(run.reqPerSec, 1)),
    latencyMs: {
      p50: round(percentile(latencies, 50), 2),
      p95: round(percentile(latencies, 95), 2),
      p99: round(percentile(latencies, 99), 2),
      mean: round(mean, 2),
      max: round(latencies.at(-1) ?? Number.NaN, 2),
    },
    failures: { ...failures, total: failures.timed + failures.warmup + failures.setup },
    failureSamples: rounds.flatMap((run) => run.failureSamples).slice(0, 5),
    serverBusy: round(sum((run) => run.serverBusy) / rounds.length, 2),
    ratioToBare: round(ratio(bare), 4),
    ratioToEcho: round(ratio(echo), 3),
  };
}

/** `1234 ±5%`: the median and how far the rounds were from it at most. */
function rateCell(summary: Summary): string {
  const spread = Math.max(...summary.reqPerSecByRound.map((rate) => Math.abs(rate / summary.reqPerSec - 1)));
  return summary.rounds > 1 ? `${summary.reqPerSec.toFixed(0)} ±${(spread * 100).toFixed(0)}%` : summary.reqPerSec.toFixed(0);
}

function table(results: readonly Summary[]): string {
  const header = ['target', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'failures', '× bare', '× echo', 'srv busy'];
  const rows = results.map((result) => [
    result.name,
    rateCell(result),
    result.latencyMs.p50.toFixed(1),
    result.latencyMs.p95.toFixed(1),
    result.latencyMs.p99.toFixed(1),
    String(result.failures.total),
    result.ratioToBare.toFixed(3),
    result.ratioToEcho.toFixed(2),
    result.serverBusy.toFixed(2),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function extras(results: readonly Summary[], recognizer: RecognizerTiming, stored: StoredState, memory: MemoryFootprint, startUp: StartUp): string {
  const byKey = new Map(results.map((result) => [result.key, result]));
  const ratio = (key: string) => (byKey.get(key)?.ratioToEcho ?? Number.NaN).toFixed(2);
  const p99 = (key: string) => (byKey.get(key)?.latencyMs.p99 ?? Number.NaN).toFixed(1);
  // Server time per request, from the rate: the servers' thread is busy all through (srv busy ≈ 1).
  const microseconds = (key: string) => 1e6 / (byKey.get(key)?.reqPerSec ?? Number.NaN);
  const budget = microseconds('echo') / 2 - microseconds('floor');
  return [
    `pipeline floor: ${ratio('floor')} × echo, the most a turn of the bot can reach; beyond the floor a first turn (c) spends ` +
      `${(microseconds('diagnosis') - microseconds('floor')).toFixed(0)} µs, a mid-dialog turn (d) ${(microseconds('date') - microseconds('floor')).toFixed(0)} µs; ` +
      (budget > 0 ? `c/b ≥ 2 leaves a turn ${budget.toFixed(0)} µs beyond it` : 'c/b ≥ 2 is above the floor itself'),
    `ratios to (b): c/b ${ratio('diagnosis')}, d/b ${ratio('date')}, e/b ${ratio('directline')} (targets ≥ 2); ` +
      `p99 c ${p99('diagnosis')} ms, d ${p99('date')} ms, e ${p99('directline')} ms (target ≤ 40)`,
    `recognizer per utterance (${recognizer.utterances} labelled sentences): symptom median ${recognizer.symptom.medianUs} µs, p99 ${recognizer.symptom.p99Us} µs; ` +
      `all a first turn asks (command, symptom, code, language) median ${recognizer.firstTurn.medianUs} µs, p99 ${recognizer.firstTurn.p99Us} µs; first sight median ${recognizer.firstSightMedianUs} µs (target ≤ 50)`,
    `stored state after a whole conversation (${stored.turns} turns): ${stored.bytes} bytes in ${stored.keys} document(s) (target ≤ 2048)`,
    `after ${memory.conversations} more conversations: heap ${memory.heapUsedMB} MB, RSS ${memory.rssMB} MB, heap growth ${memory.heapGrowthPerConversationBytes} bytes per conversation (target ≤ 1024; whole process: bench servers and load worker included)`,
    `start to healthy /healthz: npm start ${startUp.npmStartMs} ms, node dist/src/main.js ${startUp.nodeStartMs} ms (median of ${startUp.runs}; target ≤ 1500)`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// The run.

async function run(settings: Settings): Promise<number> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`clean-up: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  };
  const interrupted = () => {
    process.stderr.write('\ninterrupted: cleaning up\n');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);

  try {
    // The bot as it runs by default: SQLite state (a temporary file), its own copy of the demo data, no logs.
    const directLineSecret = randomBytes(32).toString('base64url');
    const build = await loadBuild();
    const bot = await startTestBot({ STORAGE: 'sqlite', DIRECTLINE_SECRET: directLineSecret }, {}, build.main.startBot);
    cleanups.push(() => bot.stop());
    const bare = await startBareRestify();
    cleanups.push(() => bare.close());
    const echo = await startEchoBot();
    cleanups.push(() => echo.close());
    const floor = await startPipelineFloor(build);
    cleanups.push(() => floor.close());
    const load = startLoadWorker();
    cleanups.push(() => load.close());

    const started = performance.now();
    process.stdout.write(
      `bench: ${settings.rounds} round(s); per round ${settings.requests} timed requests per bot workload ` +
        `(echo and floor ${2 * settings.requests}, bare ${10 * settings.requests}) after a warm-up of ≥ ${settings.warmupMs} ms ` +
        `(round 1) or ≥ ${Math.round(settings.warmupMs / 3)} ms; concurrency ${settings.concurrency}${settings.quick ? ' (quick)' : ''}; ` +
        `${cpus().length} cores, Node ${process.version}\n`,
    );
    const all = targets(bare, echo, floor, bot, directLineSecret);
    const rounds = new Map<string, Round[]>(all.map((target) => [target.key, []]));
    for (let index = 1; index <= settings.rounds; index += 1) {
      process.stdout.write(`  round ${index}:`);
      for (const target of all) {
        const result = await measureRound(target, load, settings, index === 1 ? settings.warmupMs : settings.warmupMs / 3);
        rounds.get(target.key)!.push(result);
        process.stdout.write(` ${target.key} ${result.reqPerSec.toFixed(0)}`);
      }
      process.stdout.write(' req/s\n');
    }
    const bareRounds = rounds.get('bare')!;
    const echoRounds = rounds.get('echo')!;
    const results = all.map((target) => summarise(target, rounds.get(target.key)!, bareRounds, echoRounds, settings));
    const recognizer = timeRecognizer(build);
    const stored = await storedStatePerConversation(bot, bot.config.STORAGE_PATH);
    const memory = await memoryAfterConversations(bot, load, settings.quick ? 2000 : 10_000, settings.concurrency);
    const startUp = await timeStartUp(settings.quick ? 1 : 3);
    const elapsedS = round((performance.now() - started) / 1000, 1);

    process.stdout.write(`\n${table(results)}\n\n`);
    process.stdout.write(`${extras(results, recognizer, stored, memory, startUp)}\n\n`);
    process.stdout.write(
      `req/s: median of the rounds (± the farthest round); × bare, × echo: median of the same-round ratios of req/s; ` +
        `srv busy: share of the time the servers' thread was busy. ${elapsedS} s.\n`,
    );
    const failed = results.filter((result) => result.failures.total > 0);
    for (const result of failed) {
      process.stdout.write(`FAILED ${result.name}: ${result.failures.total} (${result.failureSamples.join('; ')})\n`);
    }

    const resultsFolder = join(projectRoot(), 'bench', 'results');
    await mkdir(resultsFolder, { recursive: true });
    const file = join(resultsFolder, 'latest.json');
    await writeFile(
      file,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', loadavg: loadavg().map((value) => round(value, 2)), node: process.version, platform: process.platform },
          settings,
          elapsedS,
          results,
          recognizer,
          stored,
          memory,
          startUp,
        },
        null,
        2,
      ) + '\n',
    );
    process.stdout.write(`results: ${file}\n`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', interrupted);
    await cleanUp();
  }
}

async function main(): Promise<void> {
  let settings: Settings | 'help';
  try {
    settings = readSettings(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (settings === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  process.exitCode = await run(settings);
}

await main();
