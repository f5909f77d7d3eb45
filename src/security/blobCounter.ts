import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { digest } from '../storage/blobDigests.js';
import { downloadText, isBlobStatus } from '../storage/blobStateStorage.js';
import type { CounterSpec, WindowLimiter } from './hourlyLimit.js';

export const COUNTERS = 'counters/';
const UPDATE_TRIES = 20;

/** A window's count: points so far and when the window ends (epoch ms; null: never). */
interface Window {
  points: number;
  expire: number | null;
}

/**
 * A window counter in the Azure Blob container every instance shares, with the semantics
 * of rate-limiter-flexible's stores (the SQLite one here): counting adds to a window that
 * has not ended, else starts a new one; a block sets the count over the limit for its
 * time. One blob per key, named by the digest of the key (person keys are personal data);
 * every count is a read and a write with If-Match, again when another instance counted in
 * between, so no count is lost.
 */
export class BlobWindowLimiter implements WindowLimiter {
  private readonly durationMs: number;

  constructor(
    private readonly container: ContainerClient,
    private readonly spec: CounterSpec,
  ) {
    this.durationMs = spec.windowSeconds * 1000;
  }

  private blob(key: string | number): BlockBlobClient {
    return this.container.getBlockBlobClient(`${COUNTERS}${digest(`${this.spec.keyPrefix}:${key}`)}`);
  }

  private result(window: Window, changed: number): RateLimiterRes {
    const consumed = window.points;
    return new RateLimiterRes(Math.max(this.spec.points - consumed, 0), window.expire === null ? -1 : Math.max(window.expire - Date.now(), 0), consumed, changed === consumed);
  }

  private async change(key: string | number, next: (current: Window | null, now: number) => Window): Promise<Window> {
    const blob = this.blob(key);
    for (let attempt = 1; ; attempt++) {
      const found = await downloadText(blob);
      const now = Date.now();
      const current = found === null ? null : (JSON.parse(found.text) as Window);
      const window = next(current, now);
      const body = JSON.stringify(window);
      try {
        await blob.upload(body, Buffer.byteLength(body), { conditions: found === null ? { ifNoneMatch: '*' } : { ifMatch: found.eTag } });
        return window;
      } catch (error) {
        if (!isBlobStatus(error, 409, 412) || attempt >= UPDATE_TRIES) throw error;
        // Another instance wrote first: a little random wait, so the next round is not another tie.
        await new Promise((tick) => setTimeout(tick, Math.random() * 20 * attempt));
      }
    }
  }

  async consume(key: string | number, points = 1): Promise<RateLimiterRes> {
    const window = await this.change(key, (current, now) =>
      current !== null && (current.expire === null || current.expire > now) ? { points: current.points + points, expire: current.expire } : { points, expire: now + this.durationMs },
    );
    const result = this.result(window, points);
    // As the library does: over the limit is a rejection carrying the state.
    if (result.consumedPoints > this.spec.points) throw result;
    return result;
  }

  async get(key: string | number): Promise<RateLimiterRes | null> {
    const found = await downloadText(this.blob(key));
    if (found === null) return null;
    const window = JSON.parse(found.text) as Window;
    if (window.expire !== null && window.expire <= Date.now()) return null;
    return this.result(window, 0);
  }

  async block(key: string | number, seconds: number): Promise<RateLimiterRes> {
    const points = this.spec.points + 1;
    const window = await this.change(key, (_current, now) => ({ points, expire: seconds > 0 ? now + seconds * 1000 : null }));
    return this.result(window, points);
  }

  async delete(key: string | number): Promise<boolean> {
    return (await this.blob(key).deleteIfExists()).succeeded;
  }
}
