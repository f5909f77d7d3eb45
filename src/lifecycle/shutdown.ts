import type { Logger } from '../logger.js';

/**
 * What must finish before the process stops, beyond the turns in flight: a worker sending
 * from the outbox registers how to stop (take nothing new, finish the send in hand), and
 * the shutdown awaits it before the database is closed. Each stop gets a time limit, so a
 * helpdesk that never answers cannot keep the process from exiting; what was not sent
 * stays in the outbox for the next start.
 */
export const STOP_TIMEOUT_MS = 20_000;

export interface ShutdownRegistry {
  /** `stop` runs once, when the process shuts down, after the server stopped taking requests and the turns in flight finished. */
  register(name: string, stop: () => Promise<void> | void): void;
}

export class Shutdown implements ShutdownRegistry {
  private readonly stops: { name: string; stop: () => Promise<void> | void }[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = STOP_TIMEOUT_MS,
  ) {}

  register(name: string, stop: () => Promise<void> | void): void {
    this.stops.push({ name, stop });
  }

  /** Runs every registered stop at once and waits for each, up to the time limit. */
  async run(): Promise<void> {
    await Promise.all(
      this.stops.splice(0).map(async ({ name, stop }) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((done) => {
          timer = setTimeout(() => done('late'), this.timeoutMs);
        });
        try {
          const outcome = await Promise.race([Promise.resolve().then(stop), late]);
          if (outcome === 'late') this.logger.warn('stopped waiting at shutdown', { what: name, afterMs: this.timeoutMs });
        } catch (error) {
          this.logger.error('stop at shutdown failed', { what: name, error });
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
}
