// `npm start`: the build brought up to date (./build-if-stale.mjs), then the bot, in this
// one process. A `prestart` script did the check in a Node process of its own, which cost
// npm another process start (about 0.1 s) before the bot's own.
import { buildIfStale } from './build-if-stale.mjs';

buildIfStale();
const { main } = await import('../dist/src/main.js');
await main();
