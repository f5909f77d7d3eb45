import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPlatform } from '../../src/platform/embeddedPlatform.js';
import { startPlatformApi } from '../../src/platform/platformApiServer.js';
import { projectRoot } from '../../src/projectRoot.js';

/**
 * The platform REST API as a real HTTP server on 127.0.0.1 (the embedded platform on its
 * own copy of the demo data, served by src/platform/platformApiServer.ts), with faults a
 * test can switch on: each fault answers the requests it matches instead of the platform.
 * Keep this file free of vitest: the crash tests run it beside a bot process.
 */

export const PLATFORM_TOKEN = 'test-platform-token';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export type Fault =
  /** Waits this long, then answers normally (or not at all if the client gave up). */
  | { kind: 'slow'; ms: number }
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** Lets the request through, then destroys the connection before any answer. */
  | { kind: 'hang-up' }
  /** Runs before the platform handles the request (e.g. a concurrent change), then lets it through. */
  | { kind: 'before'; run: () => Promise<void> }
  /** The platform handles the request; this runs before its answer leaves (e.g. the client dies waiting). */
  | { kind: 'after'; run: () => Promise<void> };

interface FaultRule {
  match: (request: SeenRequest) => boolean;
  fault: Fault;
  /** How many requests it still answers; Infinity for "until cleared". */
  times: number;
}

export interface TestPlatformApi {
  url: string;
  dataFile: string;
  platform: EmbeddedPlatform;
  /** Every request the server received, in order. */
  requests: SeenRequest[];
  fault(fault: Fault, options?: { times?: number; match?: (request: SeenRequest) => boolean }): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

export async function startTestPlatformApi(options: { dataFile?: string; port?: number } = {}): Promise<TestPlatformApi> {
  let folder: string | null = null;
  let dataFile = options.dataFile;
  if (dataFile === undefined) {
    folder = await mkdtemp(join(tmpdir(), 'platform-api-'));
    dataFile = join(folder, 'platform.json');
    await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
  }
  const platform = await EmbeddedPlatform.load(dataFile);
  const requests: SeenRequest[] = [];
  let rules: FaultRule[] = [];

  const intercept = async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const seen: SeenRequest = { method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers };
    requests.push(seen);
    const rule = rules.find((candidate) => candidate.times > 0 && candidate.match(seen));
    if (rule === undefined) return false;
    rule.times -= 1;
    const { fault } = rule;
    switch (fault.kind) {
      case 'slow':
        await new Promise((done) => setTimeout(done, fault.ms));
        return response.destroyed;
      case 'status':
        response.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json', ...fault.headers });
        response.end(fault.body ?? JSON.stringify({ error: { code: `status-${fault.status}`, message: 'fault' } }));
        return true;
      case 'hang-up':
        response.socket?.destroy();
        return true;
      case 'before':
        await fault.run();
        return false;
      case 'after': {
        const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
        const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
        let head: unknown[] | null = null;
        response.writeHead = ((...args: unknown[]) => {
          head = args;
          return response;
        }) as ServerResponse['writeHead'];
        response.end = ((...args: unknown[]) => {
          void fault.run().then(() => {
            if (head !== null) writeHead(...head);
            end(...args);
          });
          return response;
        }) as ServerResponse['end'];
        return false;
      }
    }
  };

  const api = await startPlatformApi({ platform, token: PLATFORM_TOKEN, intercept, ...(options.port === undefined ? {} : { port: options.port }) });
  return {
    url: api.url,
    dataFile,
    platform,
    requests,
    fault(fault, { times = Infinity, match = () => true } = {}) {
      rules.push({ fault, times, match });
    },
    clearFaults() {
      rules = [];
    },
    async stop() {
      await api.close();
      if (folder !== null) await rm(folder, { recursive: true, force: true });
    },
  };
}
