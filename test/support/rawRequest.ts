import { request } from 'node:http';

/**
 * One HTTP request written by hand, so a test can send what a browser or fetch would not:
 * a body streamed in chunks, a Content-Length larger than what is sent, any encoding.
 * The server may answer and close before the body is sent; the write errors that follow
 * (EPIPE, ECONNRESET) are the expected outcome, not a failure.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes of the body written before the answer arrived. */
  bytesSentBeforeAnswer: number;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers: Record<string, string>;
  /** Chunks written one after another; generated lazily so 100 MB never sit in memory. */
  body?: Iterable<Buffer | string>;
  /** Stop writing after this many bytes (to show the answer did not wait for the rest). */
  stopAfterBytes?: number;
}

export async function rawRequest(baseUrl: string, { method = 'POST', path, headers, body = [], stopAfterBytes = Infinity }: RawRequest): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise<RawResponse>((answered, failed) => {
    let sent = 0;
    let answeredAt: number | null = null;
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers, agent: false }, (res) => {
      answeredAt = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        answered({ status: res.statusCode ?? 0, headers: res.headers, body: text, bytesSentBeforeAnswer: answeredAt ?? sent });
        req.destroy(); // a request held open (stopAfterBytes) ends with its answer
      });
      res.on('error', failed);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server answered and hung up while the body was still being written.
      if (answeredAt !== null || error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
      failed(error);
    });
    const chunks = body[Symbol.iterator]();
    const writeMore = (): void => {
      while (answeredAt === null && !req.destroyed) {
        if (sent >= stopAfterBytes) return; // hold the request open: the answer must come without the rest
        const next = chunks.next();
        if (next.done === true) {
          req.end();
          return;
        }
        sent += Buffer.byteLength(next.value);
        if (!req.write(next.value)) {
          req.once('drain', writeMore);
          return;
        }
      }
    };
    req.flushHeaders();
    writeMore();
  });
}

/** `count` chunks of `size` bytes, made on demand. */
export function* repeatedChunks(size: number, count: number, fill = 0x61): Generator<Buffer> {
  const chunk = Buffer.alloc(size, fill);
  for (let index = 0; index < count; index += 1) yield chunk;
}
