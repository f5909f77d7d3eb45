import { randomBytes } from 'node:crypto';
import { startTestBot } from '../test/support/botServer.js';
import { loadBuild } from './build.js';
import { startLoadWorker } from './load.js';

/**
 * `npx tsx --cpu-prof bench/profile.ts [first|customer|mid|directline] [seconds]`: one bot workload
 * under load at 50 connections for a CPU profile (`--cpu-prof` writes it to the current
 * folder); the load generator and the bot's SQLite checkpoints run in worker threads, which get
 * profiles of their own (the largest file is the server thread's).
 * `first` is a Teams photographer's first message (the plan card), `customer` a Web Chat
 * customer's (row c of the benchmark), `mid` the plan, *Do it for me* and the archive date,
 * `directline` a help-chat customer's first message through the bot's own Direct Line (row e).
 * The bot is the build's (bench/build.ts), as in the benchmark.
 */
const workload = (['customer', 'mid', 'directline'] as const).find((name) => name === process.argv[2]) ?? 'first';
const seconds = Number(process.argv[3] ?? 10);
const directLineSecret = randomBytes(32).toString('base64url');
const bot = await startTestBot({ STORAGE: 'sqlite', DIRECTLINE_SECRET: directLineSecret }, {}, (await loadBuild()).main.startBot);
const load = startLoadWorker();
let sequence = 0;
const body = (conversation: string, turn: number, fields: Record<string, unknown>) =>
  JSON.stringify({
    type: 'message',
    id: `${conversation}-${turn}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:1/unused',
    deliveryMode: 'expectReplies',
    conversation: { id: conversation },
    from: { id: `29:${conversation}`, name: 'Bench photographer', aadObjectId: '00000000-0000-0000-0000-0000000000020' },
    recipient: { id: 'bot' },
    locale: 'en-US',
    ...fields,
  });
const customerBody = (conversation: string) =>
  body(conversation, 1, { channelId: 'webchat', from: { id: `user-${conversation}`, name: 'Bench user' }, text: 'it says missed the sale, my code is MXR2 9PLT' });
const plan = { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'step-result', card: true } as const;
const started = performance.now();
let turns = 0;
while (performance.now() - started < seconds * 1000) {
  const conversations = Array.from({ length: 500 }, () => `profile-${process.pid}-${++sequence}`);
  const first = conversations.map((conversation) => body(conversation, 1, { text: 'a parent sees missed the sale, code MXR2 9PLT' }));
  if (workload === 'directline') {
    const texts = conversations.map(() => 'it says missed the sale, my code is MXR2 9PLT');
    const result = await load.runDirectLine({ url: bot.url, secret: directLineSecret, texts, locale: 'en-US', concurrency: 50, check: { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'confirm' } });
    turns += result.requests;
  } else if (workload === 'customer') {
    const result = await load.run({ url: bot.url, concurrency: 50, bodies: conversations.map(customerBody), check: { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'confirm' } });
    turns += result.requests;
  } else if (workload === 'first') {
    const result = await load.run({ url: bot.url, concurrency: 50, bodies: first, check: plan });
    turns += result.requests;
  } else {
    await load.run({ url: bot.url, concurrency: 50, bodies: first, check: plan });
    await load.run({ url: bot.url, concurrency: 50, bodies: conversations.map((c) => body(c, 2, { value: { choice: 'auto' } })), check: { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'archive-date', card: true } });
    const result = await load.run({ url: bot.url, concurrency: 50, bodies: conversations.map((c) => body(c, 3, { text: 'in 3 weeks' })), check: { kind: 'diagnosis', scenario: 'job-archived', awaiting: 'confirm', card: true } });
    turns += result.requests * 3;
  }
}
process.stdout.write(`${turns} turns in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
await load.close();
await bot.stop();
