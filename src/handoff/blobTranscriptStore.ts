import type { Activity, TranscriptLogger } from 'botbuilder';
import type { AppendBlobClient, ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../logger.js';
import { conversationDigest } from '../storage/blobDigests.js';
import { downloadText, isBlobStatus } from '../storage/blobStateStorage.js';
import type { ConversationTranscripts } from './openHandoff.js';
import { revive, worthKeeping } from './transcriptActivities.js';

export const TRANSCRIPTS = 'transcripts/';

/** The transcript of one conversation: named by its digest (ids are personal data and may be long). */
export function transcriptBlobName(channelId: string, conversationId: string): string {
  return `${TRANSCRIPTS}${conversationDigest(channelId, conversationId)}`;
}

/**
 * botbuilder's transcript logging in the Azure Blob container every instance shares, so a
 * handoff's transcript holds the turns of every instance: one append blob per conversation
 * (`transcripts/<digest>`), one line of JSON per activity, each line its own append block.
 * Appends from two instances never overwrite each other; the blob's last change is the
 * conversation's last activity, which is what the retention sweep goes by.
 *
 * botbuilder-azure-blobs' BlobsTranscriptStore is not used: it opens a container client of
 * its own from the connection string, sends a body's length in characters rather than
 * bytes (wrong for any line with ü, é or ß), writes the user ids into blob metadata (which
 * takes ASCII only), names one blob per activity by the conversation id in clear, and is
 * not waited for by the transcript logging, so a handoff could miss the turn that asked.
 *
 * TranscriptLoggerMiddleware does not wait for `logActivity`: the writes of a conversation
 * are chained here, in order, and reading a conversation waits for the writes this instance
 * still has in hand, so the handoff right after a turn sees that turn. A write that fails is
 * logged by the conversation's channel alone and costs a line, not the turn.
 */
export class BlobTranscriptStore implements TranscriptLogger, ConversationTranscripts {
  /** Blob name → the last write this instance started on it. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    private readonly container: ContainerClient,
    private readonly options: { logger?: Logger } = {},
  ) {}

  logActivity(activity: Activity): Promise<void> {
    if (!worthKeeping(activity)) return Promise.resolve();
    const channelId = activity.channelId ?? '';
    const conversationId = activity.conversation?.id ?? '';
    if (channelId === '' || conversationId === '') return Promise.resolve();
    const name = transcriptBlobName(channelId, conversationId);
    const line = Buffer.from(`${JSON.stringify(activity)}\n`, 'utf8');
    const written = (this.writing.get(name) ?? Promise.resolve()).then(() =>
      this.append(this.container.getAppendBlobClient(name), line).catch((error: unknown) => {
        // Only the channel: the activity and its conversation are a person's data.
        this.options.logger?.error('transcript line not kept', { channel: channelId, error: error instanceof Error ? error.name : 'unknown' });
      }),
    );
    this.writing.set(name, written);
    void written.then(() => {
      if (this.writing.get(name) === written) this.writing.delete(name);
    });
    return written;
  }

  private async append(blob: AppendBlobClient, line: Buffer): Promise<void> {
    try {
      await blob.appendBlock(line, line.length);
    } catch (error) {
      // The conversation's first line (or its first since the sweep or an erasure removed the blob).
      if (!isBlobStatus(error, 404)) throw error;
      await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
      await blob.appendBlock(line, line.length);
    }
  }

  /** Every activity logged in the conversation by any instance, in the order they were appended. */
  async conversation(channelId: string, conversationId: string): Promise<Activity[]> {
    const name = transcriptBlobName(channelId, conversationId);
    await this.writing.get(name);
    const found = await downloadText(this.container.getBlockBlobClient(name));
    if (found === null) return [];
    return found.text
      .split('\n')
      .filter((line) => line !== '')
      .map(revive);
  }

  /** Waits for the lines still being written (at shutdown). */
  async flush(): Promise<void> {
    await Promise.all(this.writing.values());
  }

  /** Deletes these conversations' transcripts; how many activities they held. */
  async remove(conversations: Iterable<{ channelId: string; conversationId: string }>): Promise<number> {
    let removed = 0;
    for (const { channelId, conversationId } of conversations) {
      const blob = this.container.getAppendBlobClient(transcriptBlobName(channelId, conversationId));
      try {
        // One block per line: the committed blocks are the activities.
        const { blobCommittedBlockCount } = await blob.getProperties();
        if ((await blob.deleteIfExists()).succeeded) removed += blobCommittedBlockCount ?? 0;
      } catch (error) {
        if (!isBlobStatus(error, 404)) throw error;
      }
    }
    return removed;
  }
}
