import { afterEach, describe, expect, it, vi } from 'vitest';
import { Shutdown } from '../../src/lifecycle/shutdown.js';
import { createLogger } from '../../src/logger.js';
import type { NewCase } from '../../src/handoff/caseRecord.js';
import { startTestBot } from '../support/botServer.js';

/**
 * Stopping gracefully: what registers a stop (the outbox worker) is awaited after the
 * server stopped taking requests and before the database closes; a stop that never ends
 * is given up on after its time limit, one that fails is logged, and neither keeps the
 * others or the shutdown from finishing.
 */

afterEach(() => {
  vi.useRealTimers();
});

function logLines(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger('info', (line) => lines.push(line)) };
}

describe('Shutdown', () => {
  it('runs every stop once, all at once, and waits for each', async () => {
    const { logger } = logLines();
    const shutdown = new Shutdown(logger);
    const order: string[] = [];
    shutdown.register('slow', async () => {
      order.push('slow begins');
      await new Promise((done) => setTimeout(done, 200));
      order.push('slow ends');
    });
    shutdown.register('quick', () => {
      order.push('quick');
    });
    await shutdown.run();
    expect(order).toEqual(['slow begins', 'quick', 'slow ends']);
    await shutdown.run();
    expect(order).toHaveLength(3);
  });

  it('gives up on a stop after its time limit and logs a failing one, and still finishes', async () => {
    vi.useFakeTimers();
    const { lines, logger } = logLines();
    const shutdown = new Shutdown(logger, 5_000);
    shutdown.register('helpdesk that never answers', () => new Promise<void>(() => undefined));
    shutdown.register('broken', async () => {
      throw new Error('worker broke');
    });
    let finished = false;
    const running = shutdown.run().then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await running;
    expect(finished).toBe(true);
    expect(lines.some((line) => line.includes('stopped waiting at shutdown') && line.includes('helpdesk that never answers'))).toBe(true);
    expect(lines.some((line) => line.includes('stop at shutdown failed') && line.includes('worker broke'))).toBe(true);
  });
});

describe('RunningBot.close', { timeout: 60_000 }, () => {
  it('awaits a registered stop (an outbox send in hand) after the server stopped taking requests, before the database closes', async () => {
    const bot = await startTestBot({ STORAGE: 'sqlite' });
    const recorded = await bot.outbox.record({
      kind: 'escalation',
      reason: 'requested',
      role: 'customer',
      channel: 'webchat',
      conversationId: 'shutdown-conversation',
      locale: 'en-US',
      symptom: null,
      scenario: null,
      secondary: [],
      accessCode: null,
      jobId: null,
      photographerId: null,
      stepsTried: [],
      transcript: [],
    } satisfies NewCase);
    const seen: string[] = [];
    bot.shutdown.register('outbox worker', async () => {
      // The server takes no new request any more...
      await fetch(`${bot.url}/healthz`).then(
        () => seen.push('request answered'),
        () => seen.push('request refused'),
      );
      // ...while the send in hand finishes and is written down.
      await new Promise((done) => setTimeout(done, 1_000));
      await bot.outbox.markDelivered(recorded.id);
      seen.push('delivered');
    });
    await bot.stop();
    expect(seen).toEqual(['request refused', 'delivered']);
    // The database is closed now.
    await expect(bot.outbox.pending()).rejects.toThrow(/not open/);
  });
});
