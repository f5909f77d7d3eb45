import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './botProcess.js';

/**
 * The Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground`) run offline as a
 * child process in front of a bot, driven over its HTTP API the way its web client does:
 *
 * - the CLI is `<package>/cli.js` (the package's `main` points at a file that does not exist);
 * - ready when `GET /_debug/ping` answers "pong" and stdout says `Listening on <port>`;
 * - user → bot: `POST /_conversation/v1/conversations/{id}/messages` and `POST /_conversation/v1/submit`;
 * - bot → user: the bot POSTs to the activity's serviceUrl (the Playground's `/_connector`) and
 *   the Playground pushes each message as a frame on the WebSocket
 *   `/_ws_conversation/v1/conversations/stream` (what its chat UI renders: no `entities`);
 * - the log stream `/_ws/log/stream` (its "Log" panel) has every request between it and the
 *   bot with its status code, including the full activities the bot POSTed to the connector.
 *
 * Node 20 has a global WebSocket only behind `--experimental-websocket`, which a vitest worker
 * does not get; so a tiny child Node process holds both WebSockets and prints every frame as
 * one JSON line on stdout. That keeps vitest's configuration untouched.
 */

/** The Playground's default Teams user (its `from.id`; aadObjectId is PLAYGROUND_AAD_OBJECT_ID). */
export const PLAYGROUND_USER_ID = 'user-id-0';

/** A message the bot sent, as the Playground forwards it to its web client. */
export interface PlaygroundMessage {
  messageId: string;
  text?: string;
  textFormat?: string;
  summary?: string;
  attachments?: { contentType: string; content: unknown }[];
  entities?: { type: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface PlaygroundFrame {
  action: string;
  message: PlaygroundMessage;
  [key: string]: unknown;
}

/** A frame of the Playground's log stream (its "Log" panel): every request between it and the bot. */
export interface PlaygroundLogFrame {
  logAction?: string;
  log?: {
    conversationId?: string;
    activityName?: string;
    messageId?: string;
    from?: string;
    to?: string;
    request?: { body?: Record<string, unknown> };
    response?: { statusCode?: number; body?: unknown };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface Playground {
  port: number;
  base: string;
  conversationId: string;
  /** Every frame received so far, in order. */
  frames: PlaygroundFrame[];
  /** Every frame of the log stream so far, in order. */
  logItems: PlaygroundLogFrame[];
  /** Waits for the first frame after index `from` that matches; returns it with its index. */
  waitForFrame(predicate: (frame: PlaygroundFrame) => boolean, what: string, options?: { from?: number; timeoutMs?: number }): Promise<{ frame: PlaygroundFrame; index: number }>;
  /** Waits until `condition` holds (checked whenever a frame or log item arrives, and every 250 ms). */
  waitUntil(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** What the Playground's client does on load: installationUpdate + conversationUpdate to the bot. */
  install(): Promise<void>;
  sendText(text: string): Promise<{ messageId?: string } | undefined>;
  /** An Action.Submit click: `value` is the action's data merged with the card's inputs. */
  submit(replyToId: string, value: Record<string, unknown>): Promise<unknown>;
  /** stdout and stderr of the Playground and of the WebSocket child, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const playgroundCli = join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');

/** The WebSocket child: `open` once connected, then one `{"frame": …}` line per message. */
const WEBSOCKET_CHILD = `
const out = (line) => process.stdout.write(JSON.stringify(line) + '\\n');
const sockets = process.argv.slice(1).map((url, source) => {
  const ws = new WebSocket(url);
  ws.onopen = () => out({ source, open: true });
  ws.onmessage = (event) => { try { out({ source, frame: JSON.parse(String(event.data)) }); } catch { out({ source, raw: String(event.data) }); } };
  ws.onerror = (event) => out({ source, error: String(event.message ?? event.type) });
  ws.onclose = (event) => { out({ source, closed: event.code }); process.exit(0); };
  return ws;
});
process.stdin.on('end', () => { for (const ws of sockets) { try { ws.close(); } catch {} } process.exit(0); });
process.stdin.resume();
`;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function stopProcessGroup(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const hard = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 3000);
  await exited;
  clearTimeout(hard);
}

export async function startPlayground(options: { botUrl: string; conversationId: string; readyTimeoutMs?: number }): Promise<Playground> {
  const { conversationId } = options;
  const work = mkdtempSync(join(tmpdir(), 'agents-playground-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const frames: PlaygroundFrame[] = [];
  const logItems: PlaygroundLogFrame[] = [];
  let wake: () => void = () => {};
  let pg: ChildProcess | undefined;
  let socket: ChildProcess | undefined;

  const stop = async () => {
    if (socket && socket.exitCode === null && socket.signalCode === null) {
      const exited = new Promise((done) => socket!.once('exit', done));
      socket.stdin?.end();
      const hard = setTimeout(() => socket!.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(hard);
    }
    await stopProcessGroup(pg);
    rmSync(work, { recursive: true, force: true });
  };

  try {
    pg = spawn(
      process.execPath,
      [playgroundCli, '-e', `${options.botUrl}/api/messages`, '-c', 'msteams', '-p', String(port), '--su', `${base}/_connector`, '--conversation-id', conversationId, '--dt'],
      {
        cwd: work,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          TEAMSAPPTESTER_BROWSER: 'none',
          APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
          M365_AGENTS_PLAYGROUND_LOGFILE: join(work, 'playground.log'),
        },
      },
    );
    pg.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    pg.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));

    const readyBy = Date.now() + (options.readyTimeoutMs ?? 60_000);
    for (;;) {
      if (pg.exitCode !== null || pg.signalCode !== null) throw new Error(`the Playground exited before it was ready:\n${log}`);
      if (Date.now() > readyBy) throw new Error(`the Playground was not ready in time:\n${log}`);
      try {
        const response = await fetch(`${base}/_debug/ping`);
        if ((await response.text()) === 'pong') break;
      } catch {
        /* not listening yet */
      }
      await sleep(50);
    }
    // It silently falls back to another port when the one asked for is taken.
    if (!log.includes(`Listening on ${port}`)) throw new Error(`the Playground is not listening on ${port}:\n${log}`);

    const flags = process.allowedNodeEnvironmentFlags.has('--experimental-websocket') && typeof WebSocket === 'undefined' ? ['--experimental-websocket'] : [];
    const streams = [`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`, `ws://127.0.0.1:${port}/_ws/log/stream`];
    socket = spawn(process.execPath, [...flags, '--no-warnings', '-e', WEBSOCKET_CHILD, ...streams], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    socket.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += `[ws] ${chunk}`));
    const opened = new Promise<void>((open, fail) => {
      const open_ = new Set<number>();
      createInterface({ input: socket!.stdout! }).on('line', (line) => {
        let parsed: { source?: number; open?: true; frame?: unknown; error?: string; closed?: number; raw?: string };
        try {
          parsed = JSON.parse(line) as typeof parsed;
        } catch {
          log += `[ws] ${line}\n`;
          return;
        }
        if (parsed.open) {
          open_.add(parsed.source ?? -1);
          if (open_.size === streams.length) open();
        } else if (parsed.frame !== undefined && parsed.source === 0) {
          frames.push(parsed.frame as PlaygroundFrame);
          wake();
        } else if (parsed.frame !== undefined && parsed.source === 1) {
          logItems.push(parsed.frame as PlaygroundLogFrame);
          wake();
        } else {
          log += `[ws] ${line}\n`;
          if (parsed.error !== undefined) fail(new Error(`WebSocket error: ${parsed.error}`));
        }
      });
      socket!.once('exit', (code) => fail(new Error(`the WebSocket child exited (${code}):\n${log}`)));
    });
    await Promise.race([opened, sleep(60_000).then(() => Promise.reject(new Error(`the WebSockets did not open:\n${log}`)))]);
  } catch (error) {
    await stop();
    throw error;
  }

  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };

  const nextEvent = () =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, 250);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });

  const waitForFrame: Playground['waitForFrame'] = async (predicate, what, { from = 0, timeoutMs = 60_000 } = {}) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (let index = from; index < frames.length; index += 1) {
        const frame = frames[index]!;
        if (predicate(frame)) return { frame, index };
      }
      if (Date.now() > until) {
        const seen = frames.slice(from).map((frame) => JSON.stringify(frame).slice(0, 600));
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; frames since #${from}:\n${seen.join('\n')}\nPlayground output:\n${log.slice(-3000)}`);
      }
      await nextEvent();
    }
  };

  const waitUntil: Playground['waitUntil'] = async (condition, what, timeoutMs = 60_000) => {
    const until = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nPlayground output:\n${log.slice(-3000)}`);
      await nextEvent();
    }
  };

  return {
    port,
    base,
    conversationId,
    frames,
    logItems,
    waitForFrame,
    waitUntil,
    install: async () => {
      await post(`/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
    },
    sendText: async (text) =>
      (await post(`/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        from: { id: PLAYGROUND_USER_ID },
        text,
        textFormat: 'plain',
      })) as { messageId?: string } | undefined,
    submit: (replyToId, value) => post('/_conversation/v1/submit', { conversation: { id: conversationId }, from: { id: PLAYGROUND_USER_ID }, replyToId, value }),
    output: () => log,
    stop,
  };
}
