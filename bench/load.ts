import http from 'node:http';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { WebSocket } from 'ws';

/**
 * A small closed-loop HTTP load generator (node:http, keep-alive, one socket per lane).
 *
 * It runs in a worker thread so that sending requests and reading responses does not share
 * the event loop of the servers being measured (they live on the main thread). Same
 * process, two threads: on a 2-core machine, roughly one core each.
 */

/** How a response is judged. Everything but a 200 with the expected body is a failure. */
export type Check =
  /** The bare server: exactly `{"activities":[]}`. */
  | { kind: 'empty' }
  /** The echo bot: one reply whose text starts with `echo: `. */
  | { kind: 'echo' }
  /** The real bot: every reply carries the diagnosis entity; the last one has this scenario and awaits this. */
  | { kind: 'diagnosis'; scenario: string; awaiting: string; card?: boolean };

export interface LoadJob {
  /** Base URL of the server; requests go to `${url}/api/messages`. */
  url: string;
  /** One request body per request (JSON text), sent in order by `concurrency` lanes. */
  bodies: string[];
  concurrency: number;
  check: Check;
}

/**
 * Whole turns through the bot's own Direct Line, as the help chat's widget holds them: per
 * conversation, untimed, `POST /conversations` (with the secret), the WebSocket stream opened
 * and the greeting received; then, timed, the message posted and the bot's last reply of the
 * turn (the diagnosis entity with the expected scenario and question) read from the stream.
 */
export interface DirectLineJob {
  url: string;
  /** The Direct Line secret (DIRECTLINE_SECRET of the bot). */
  secret: string;
  /** One conversation per text, sent in order by `concurrency` lanes. */
  texts: string[];
  locale: string;
  concurrency: number;
  check: Extract<Check, { kind: 'diagnosis' }>;
}

export interface LoadResult {
  requests: number;
  /** From the first request sent to the last response read. */
  wallMs: number;
  /** Per request, in the order of `bodies`. */
  latenciesMs: number[];
  failures: number;
  /** The first few failures, said briefly. */
  failureSamples: string[];
}

const DIAGNOSIS_ENTITY_TYPE = 'gallery-access/diagnosis';
const REQUEST_TIMEOUT_MS = 30_000;

interface Reply {
  text?: string;
  attachments?: { contentType?: string }[];
  entities?: { type?: string; scenario?: unknown; awaiting?: unknown }[];
}

/** Why a response fails its check, or null when it passes. */
export function judge(check: Check, status: number, body: string): string | null {
  if (status !== 200) return `status ${status}: ${body.slice(0, 160)}`;
  let replies: Reply[];
  try {
    const parsed = JSON.parse(body) as { activities?: Reply[] };
    if (!Array.isArray(parsed.activities)) return `no activities array: ${body.slice(0, 160)}`;
    replies = parsed.activities;
  } catch {
    return `not JSON: ${body.slice(0, 160)}`;
  }
  switch (check.kind) {
    case 'empty':
      return replies.length === 0 ? null : `expected no activities, got ${replies.length}`;
    case 'echo':
      return replies.length === 1 && replies[0]?.text?.startsWith('echo: ') === true ? null : `expected one echo, got ${body.slice(0, 160)}`;
    case 'diagnosis': {
      if (replies.length === 0) return 'no replies';
      const entities = replies.map((reply) => reply.entities?.find((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE));
      if (entities.some((entity) => entity === undefined)) return 'a reply without the diagnosis entity';
      const last = entities.at(-1)!;
      if (last.scenario !== check.scenario || last.awaiting !== check.awaiting) {
        return `expected ${check.scenario}/${check.awaiting}, got ${String(last.scenario)}/${String(last.awaiting)}`;
      }
      if (check.card === true && !replies.some((reply) => reply.attachments?.some((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive'))) {
        return 'expected an Adaptive Card';
      }
      return null;
    }
  }
}

function post(agent: http.Agent, target: URL, body: string, path = '/api/messages', headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', fail);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', fail);
    request.end(body);
  });
}

/** One keep-alive agent per server, kept across warm-up and measurement. */
const agents = new Map<string, http.Agent>();

function agentFor(url: string, concurrency: number): http.Agent {
  const key = `${url} ${concurrency}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    agents.set(key, agent);
  }
  return agent;
}

export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const target = new URL(job.url);
  const agent = agentFor(job.url, job.concurrency);
  const latenciesMs = new Array<number>(job.bodies.length).fill(0);
  const failureSamples: string[] = [];
  let failures = 0;
  let next = 0;

  const fail = (index: number, reason: string): void => {
    failures += 1;
    if (failureSamples.length < 5) failureSamples.push(`#${index}: ${reason}`);
  };

  const lane = async (): Promise<void> => {
    while (next < job.bodies.length) {
      const index = next;
      next += 1;
      const started = performance.now();
      try {
        const response = await post(agent, target, job.bodies[index]!);
        latenciesMs[index] = performance.now() - started;
        const reason = judge(job.check, response.status, response.body);
        if (reason !== null) fail(index, reason);
      } catch (error) {
        latenciesMs[index] = performance.now() - started;
        fail(index, error instanceof Error ? error.message : String(error));
      }
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.bodies.length) }, lane));
  return { requests: job.bodies.length, wallMs: performance.now() - started, latenciesMs, failures, failureSamples };
}

interface StreamedActivity {
  type?: string;
  from?: { role?: string };
  entities?: { type?: string; scenario?: unknown; awaiting?: unknown }[];
}

/** One Direct Line conversation, started and listening, waiting for the bot's replies. */
class StreamedConversation {
  private waiter: { accept: (reply: StreamedActivity) => boolean; done: () => void; fail: (error: Error) => void } | null = null;
  private readonly socket: WebSocket;

  constructor(
    readonly conversationId: string,
    readonly token: string,
    streamUrl: string,
  ) {
    this.socket = new WebSocket(streamUrl);
    this.socket.on('message', (data) => {
      if (this.waiter === null) return;
      const text = data.toString();
      if (text === '') return;
      const set = JSON.parse(text) as { activities?: StreamedActivity[] };
      for (const activity of set.activities ?? []) {
        if (activity.from?.role !== 'bot' || activity.type === 'typing') continue;
        const waiter = this.waiter;
        if (waiter !== null && waiter.accept(activity)) {
          this.waiter = null;
          waiter.done();
        }
      }
    });
    this.socket.on('error', (error) => this.waiter?.fail(error));
    this.socket.on('close', () => this.waiter?.fail(new Error('stream closed')));
  }

  /** Resolves when a bot activity the predicate accepts arrives (after `trigger` ran). */
  next(accept: (reply: StreamedActivity) => boolean, trigger: () => Promise<void> = async () => undefined): Promise<void> {
    return new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no reply within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
      this.waiter = {
        accept,
        done: () => {
          clearTimeout(timer);
          done();
        },
        fail: (error) => {
          clearTimeout(timer);
          this.waiter = null;
          fail(error);
        },
      };
      trigger().catch((error: unknown) => this.waiter?.fail(error instanceof Error ? error : new Error(String(error))));
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

export async function runDirectLine(job: DirectLineJob): Promise<LoadResult> {
  const target = new URL(job.url);
  const agent = agentFor(job.url, job.concurrency);
  const latenciesMs = new Array<number>(job.texts.length).fill(0);
  const failureSamples: string[] = [];
  let failures = 0;
  const fail = (index: number, reason: string): void => {
    failures += 1;
    if (failureSamples.length < 5) failureSamples.push(`#${index}: ${reason}`);
  };
  const lanes = async (count: number, work: (index: number) => Promise<void>): Promise<void> => {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < count) {
        const index = next;
        next += 1;
        await work(index);
      }
    };
    await Promise.all(Array.from({ length: Math.min(job.concurrency, count) }, lane));
  };

  // Untimed: every conversation started, its stream open and its greeting read.
  const conversations: (StreamedConversation | null)[] = new Array(job.texts.length).fill(null);
  await lanes(job.texts.length, async (index) => {
    try {
      const started = await post(agent, target, JSON.stringify({ locale: job.locale }), '/v3/directline/conversations', { authorization: `Bearer ${job.secret}` });
      if (started.status !== 201) throw new Error(`start: status ${started.status}: ${started.body.slice(0, 160)}`);
      const grant = JSON.parse(started.body) as { conversationId: string; token: string; streamUrl: string };
      const conversation = new StreamedConversation(grant.conversationId, grant.token, grant.streamUrl);
      await conversation.next(() => true);
      conversations[index] = conversation;
    } catch (error) {
      fail(index, `set-up: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  const expected = (reply: StreamedActivity): boolean => {
    const entity = reply.entities?.find((candidate) => candidate.type === DIAGNOSIS_ENTITY_TYPE);
    return entity?.scenario === job.check.scenario && entity.awaiting === job.check.awaiting;
  };
  const started = performance.now();
  await lanes(job.texts.length, async (index) => {
    const conversation = conversations[index];
    if (conversation === null || conversation === undefined) return;
    const body = JSON.stringify({ type: 'message', text: job.texts[index], locale: job.locale });
    const path = `/v3/directline/conversations/${encodeURIComponent(conversation.conversationId)}/activities`;
    const turnStarted = performance.now();
    try {
      await conversation.next(expected, async () => {
        const response = await post(agent, target, body, path, { authorization: `Bearer ${conversation.token}` });
        if (response.status !== 200) throw new Error(`post: status ${response.status}: ${response.body.slice(0, 160)}`);
      });
    } catch (error) {
      fail(index, error instanceof Error ? error.message : String(error));
    }
    latenciesMs[index] = performance.now() - turnStarted;
  });
  const wallMs = performance.now() - started;
  for (const conversation of conversations) conversation?.close();
  return { requests: job.texts.length, wallMs, latenciesMs, failures, failureSamples };
}

// ---------------------------------------------------------------------------------------
// The worker side and the main thread's handle on it.

type ToWorker = { id: number; job: LoadJob } | { id: number; directLine: DirectLineJob } | { id: number; close: true };
type FromWorker = { id: number; result: LoadResult } | { id: number; error: string } | { id: number; closed: true };

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  port.on('message', (message: ToWorker) => {
    if ('close' in message) {
      closeAgents();
      port.postMessage({ id: message.id, closed: true } satisfies FromWorker);
      port.close();
      return;
    }
    ('directLine' in message ? runDirectLine(message.directLine) : runLoad(message.job)).then(
      (result) => port.postMessage({ id: message.id, result } satisfies FromWorker),
      (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies FromWorker),
    );
  });
}

export interface LoadWorker {
  run(job: LoadJob): Promise<LoadResult>;
  runDirectLine(job: DirectLineJob): Promise<LoadResult>;
  /** Closes the worker's sockets and ends the thread. */
  close(): Promise<void>;
}

/** Starts this module in a worker thread (through tsx's loader, since the file is TypeScript). */
export function startLoadWorker(): LoadWorker {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const self = import.meta.url;
  const worker = new Worker(
    `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(self)}); });`,
    { eval: true },
  );
  let counter = 0;
  const pending = new Map<number, { done: (message: FromWorker) => void; fail: (error: Error) => void }>();
  worker.on('message', (message: FromWorker) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    waiting?.done(message);
  });
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.fail(error);
    pending.clear();
  });
  const ask = (message: ToWorker): Promise<FromWorker> =>
    new Promise((done, fail) => {
      pending.set(message.id, { done, fail });
      worker.postMessage(message);
    });

  return {
    async run(job) {
      counter += 1;
      const answer = await ask({ id: counter, job });
      if ('error' in answer) throw new Error(`load worker: ${answer.error}`);
      if (!('result' in answer)) throw new Error('load worker: unexpected answer');
      return answer.result;
    },
    async runDirectLine(directLine) {
      counter += 1;
      const answer = await ask({ id: counter, directLine });
      if ('error' in answer) throw new Error(`load worker: ${answer.error}`);
      if (!('result' in answer)) throw new Error('load worker: unexpected answer');
      return answer.result;
    },
    async close() {
      counter += 1;
      const exited = new Promise<void>((done) => worker.once('exit', () => done()));
      await Promise.race([ask({ id: counter, close: true }), new Promise((tick) => setTimeout(tick, 2_000))]);
      await worker.terminate();
      await exited;
    },
  };
}
