import type { BlobItem, ContainerClient } from '@azure/storage-blob';
import type { BlobConversationLog } from '../directline/blobConversationLog.js';
import { type BlobCaseOutbox, CASES, OPEN_CASES } from '../handoff/blobCaseOutbox.js';
import { TRANSCRIPTS } from '../handoff/blobTranscriptStore.js';
import { NOTICES, PHOTOGRAPHERS, WAITING } from '../proactive/blobConversationStore.js';
import { COUNTERS } from '../security/blobCounter.js';
import { LOCKS } from '../storage/blobLeaseLock.js';
import { isBlobStatus, STATE_PREFIX } from '../storage/blobStateStorage.js';
import type { SharedRetention } from './retention.js';

/**
 * One kind of record in the shared container, for the retention sweep: every blob under
 * `prefix` not changed since the retention began goes, unless `keep` says it must stay.
 */
export interface SweptPrefix {
  /** What the sweep's counts call these blobs. */
  name: string;
  prefix: string;
  /** Whether `keep` needs each blob's metadata in the listing. */
  metadata?: boolean;
  /** A blob past its retention that stays all the same (a case still waiting for a person). */
  keep?: (item: BlobItem) => boolean | Promise<boolean>;
}

/**
 * What the retention sweeps in the container several instances share. A blob's last change
 * is the service's own `lastModified`: every write refreshes it, no writer can forget to.
 */
export function sharedRecords(outbox: BlobCaseOutbox): SweptPrefix[] {
  return [
    { name: 'conversationStates', prefix: STATE_PREFIX },
    // One append blob per conversation: its last change is the conversation's last activity.
    { name: 'transcripts', prefix: TRANSCRIPTS },
    { name: 'photographerConversations', prefix: PHOTOGRAPHERS },
    { name: 'waitingCustomerEntries', prefix: WAITING },
    { name: 'sentNotices', prefix: NOTICES },
    { name: 'counters', prefix: COUNTERS },
    // A lock is leased while a turn runs, and a leased blob refuses to be deleted.
    { name: 'conversationLocks', prefix: LOCKS },
    // Only cases a helpdesk has taken delivery of: a case still waiting, or refused for good, stays at any age.
    { name: 'deliveredCases', prefix: CASES, metadata: true, keep: (item) => !item.metadata?.delivered },
    { name: 'openCaseMarkers', prefix: OPEN_CASES, keep: (item) => outbox.holdsOpenCase(item.name) },
  ];
}

/**
 * The retention sweep in the shared container: prefix by prefix, what has not changed
 * since the retention began is deleted. Each delete is conditional on the version listed
 * (If-Match), so a blob written since the listing (a turn, a delivery, a count) stays:
 * instances may sweep at the same time, and a sweep never takes what is in use.
 *
 * The help chat's Direct Line conversations go whole, not blob by blob: a conversation's
 * record is written once at its start, and must stay while its messages are recent.
 */
export class ContainerRetention implements SharedRetention {
  constructor(
    private readonly container: ContainerClient,
    private readonly records: readonly SweptPrefix[],
    private readonly directLine?: Pick<BlobConversationLog, 'removeIdle'>,
  ) {}

  async sweep(before: Date, signal: AbortSignal): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const record of this.records) {
      if (signal.aborted) break;
      counts[record.name] = await this.sweepPrefix(record, before, signal);
    }
    if (this.directLine !== undefined && !signal.aborted) {
      const removed = await this.directLine.removeIdle(before);
      counts.directLineConversations = removed.conversations;
      counts.directLineActivities = removed.activities;
    }
    return counts;
  }

  private async sweepPrefix({ prefix, metadata = false, keep }: SweptPrefix, before: Date, signal: AbortSignal): Promise<number> {
    let deleted = 0;
    for await (const item of this.container.listBlobsFlat({ prefix, includeMetadata: metadata })) {
      if (signal.aborted) break;
      const { lastModified, etag } = item.properties;
      if (lastModified >= before || etag === undefined) continue;
      if (keep !== undefined && (await keep(item))) continue;
      try {
        await this.container.deleteBlob(item.name, { conditions: { ifMatch: etag } });
        deleted += 1;
      } catch (error) {
        // Changed since the listing or leased by a turn (412), or gone already (404): not this sweep's.
        if (!isBlobStatus(error, 404, 409, 412)) throw error;
      }
    }
    return deleted;
  }
}
