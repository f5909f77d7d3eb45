import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../src/projectRoot.js';

/**
 * The real process entry (`node --import tsx src/main.ts`) run as a child process, in a
 * folder of the test's choosing, with only the environment the test gives it (plus PATH
 * and HOME): no `.env`, nothing inherited from the test runner.
 */

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const entry = join(projectRoot(), 'src', 'main.ts');

/** A port that was free a moment ago (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((found, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => found(port));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from spawn (or from the last `signal()` call) to exit. */
  afterMs: number;
}

export interface BotProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Waits for the "listening" log line and returns the URL it names. */
  listening(timeoutMs?: number): Promise<string>;
  /** Sends a signal and remembers when, for Exit.afterMs. */
  signal(signal: NodeJS.Signals): void;
  /** Kills the process if it still runs (cleanup). */
  kill(): Promise<void>;
}

export function spawnBot(cwd: string, env: Record<string, string>): BotProcess {
  let out = '';
  let err = '';
  let since = Date.now();
  const child = spawn(process.execPath, ['--import', tsxLoader, entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal, afterMs: Date.now() - since })));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async listening(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const line of out.split('\n')) {
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line) as { message?: string; url?: string };
          if (entry.message === 'listening' && entry.url !== undefined) return entry.url;
        }
        if (hasExited) throw new Error(`the bot exited before listening.\nstdout: ${out}\nstderr: ${err}`);
        await new Promise((tick) => setTimeout(tick, 25));
      }
      throw new Error(`the bot did not listen within ${timeoutMs} ms.\nstdout: ${out}\nstderr: ${err}`);
    },
    signal(signal) {
      since = Date.now();
      child.kill(signal);
    },
    async kill() {
      if (hasExited) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
