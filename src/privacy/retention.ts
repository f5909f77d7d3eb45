import type { Logger } from '../logger.js';
import type { ConversationDataStores } from './erasure.js';

/** The container several instances share (src/privacy/blobRetention.ts): what went, by kind. */
export interface SharedRetention {
  sweep(before: Date, signal: AbortSignal): Promise<Record<string, number>>;
}

/**
 * RETENTION_DAYS: what the bot keeps about a conversation is deleted once the conversation
 * has been idle that long — its state (with the case's transcript), the Direct Line
 * conversation with its messages, its transcript (botbuilder's transcript logging), the
 * waiting-customer entry, and recorded cases a
 * helpdesk has taken delivery of. Cases still waiting for a person are kept until they are
 * delivered (an escalation is never lost to a timer); they remember whose they are, so
 * an erasure request still finds them.
 *
 * The sweep runs at start and then every `intervalMs`; the freed pages are handed back to
 * the file system (incremental vacuum) and the write-ahead log is truncated, so the file
 * stays as large as what is kept, not as large as it ever was. With STORAGE=azure-blob the
 * same sweep goes through the shared container too, on every instance (its deletes are
 * conditional and idempotent); one still running when the next is due is not doubled.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Hourly: a conversation outlives its retention by at most an hour. */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface SweepCounts {
  conversationStates: number;
  directLineConversations: number;
  directLineActivities: number;
  deliveredCases: number;
  waitingCustomerEntries: number;
  transcriptActivities: number;
}

export interface RetentionOptions extends ConversationDataStores {
  days: number;
  logger: Logger;
  now?: () => Date;
  intervalMs?: number;
  /** With STORAGE=azure-blob: the container several instances share. */
  shared?: SharedRetention;
}

export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => Date;
  /** Stops the container sweep under way, if any (at stop). */
  private sweeping: AbortController | null = null;

  constructor(private readonly options: RetentionOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private retentionStart(): Date {
    return new Date(this.now().getTime() - this.options.days * DAY_MS);
  }

  /** Deletes what has been idle for longer than the retention, and gives the space back. */
  sweep(): SweepCounts {
    const { db, state, conversationLog, outbox, conversations, transcripts } = this.options;
    const before = this.retentionStart();
    const directLine = conversationLog.removeIdle(before);
    const counts: SweepCounts = {
      conversationStates: state.deleteIdle(before),
      directLineConversations: directLine.conversations,
      directLineActivities: directLine.activities,
      deliveredCases: outbox.removeDeliveredBefore(before),
      waitingCustomerEntries: conversations.forgetCustomersReportedBefore(before),
      transcriptActivities: transcripts.removeIdle(before),
    };
    if (Object.values(counts).some((count) => count > 0)) {
      db.pragma('incremental_vacuum');
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return counts;
  }

  /** A sweep now, then one every interval; the timer never keeps the process alive. */
  start(): void {
    this.run();
    this.timer = setInterval(() => this.run(), this.options.intervalMs ?? SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Deletes from the shared container what has not changed for longer than the retention; null without one. */
  async sweepContainer(signal: AbortSignal = new AbortController().signal): Promise<Record<string, number> | null> {
    return this.options.shared === undefined ? null : this.options.shared.sweep(this.retentionStart(), signal);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sweeping?.abort();
  }

  private run(): void {
    const { logger, days } = this.options;
    try {
      const counts = this.sweep();
      logger.info('retention sweep', { retentionDays: days, ...counts });
    } catch (error) {
      // A busy or unwritable file: the next sweep tries again; turns are not affected.
      logger.error('retention sweep failed', { error });
    }
    if (this.options.shared === undefined || this.sweeping !== null) return;
    const sweeping = new AbortController();
    this.sweeping = sweeping;
    void this.sweepContainer(sweeping.signal)
      .then(
        (counts) => logger.info('container retention sweep', { retentionDays: days, ...counts }),
        // An unreachable account: the next sweep tries again; turns are not affected.
        (error: unknown) => logger.error('container retention sweep failed', { error }),
      )
      .finally(() => {
        if (this.sweeping === sweeping) this.sweeping = null;
      });
  }
}
