import { createHash } from 'node:crypto';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { downloadText, isBlobStatus } from '../storage/blobStateStorage.js';
import type { PhotographerConversation, ReachableConversations, SentNotice, WaitingCustomer } from './conversationStore.js';

export const PHOTOGRAPHERS = 'proactive/photographers/';
export const WAITING = 'proactive/waiting/';
export const NOTICES = 'proactive/notices/';
const UPDATE_TRIES = 20;

/** A waiting customer as kept: with when they reported and when they were told (null: still waiting). */
interface WaitingEntry extends WaitingCustomer {
  reportedAt: string;
  toldAt: string | null;
}

/** Ids from channels and the platform can hold any character: their digests make safe blob names. */
const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Where people can be reached later, in the Azure Blob container every instance shares:
 * one blob per linked photographer's last conversation, per waiting customer of a job
 * (`proactive/waiting/<job>/<conversation>`) and per job's sent notice. Marking a customer
 * told is a write with If-Match on the version that said "not told", so of two instances
 * applying fixes of one job at once only one tells the customer.
 */
export class BlobConversationStore implements ReachableConversations {
  constructor(private readonly container: ContainerClient) {}

  private blob(name: string): BlockBlobClient {
    return this.container.getBlockBlobClient(name);
  }

  private async readJson<T>(blob: BlockBlobClient): Promise<{ value: T; eTag: string } | null> {
    const found = await downloadText(blob);
    return found === null ? null : { value: JSON.parse(found.text) as T, eTag: found.eTag };
  }

  private async put(blob: BlockBlobClient, value: unknown, conditions: { ifMatch: string } | { ifNoneMatch: '*' } | undefined = undefined): Promise<void> {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    await blob.upload(body, body.length, { ...(conditions === undefined ? {} : { conditions }), blobHTTPHeaders: { blobContentType: 'application/json' } });
  }

  /** Reads, changes (or leaves: null) and writes back unless another instance wrote first, then again. */
  private async update<T>(blob: BlockBlobClient, change: (current: T | null) => T | null): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const found = await this.readJson<T>(blob);
      const next = change(found?.value ?? null);
      if (next === null) return false;
      try {
        await this.put(blob, next, found === null ? { ifNoneMatch: '*' } : { ifMatch: found.eTag });
        return true;
      } catch (error) {
        if (!isBlobStatus(error, 409, 412) || attempt >= UPDATE_TRIES) throw error;
        // Another instance wrote first: a little random wait, so the next round is not another tie.
        await new Promise((tick) => setTimeout(tick, Math.random() * 20 * attempt));
      }
    }
  }

  private waitingBlob(jobId: string, conversationId: string): BlockBlobClient {
    return this.blob(`${WAITING}${digest(jobId)}/${digest(conversationId)}`);
  }

  async savePhotographer(conversation: PhotographerConversation): Promise<void> {
    // The latest conversation wins: that is where the photographer is now.
    await this.put(this.blob(`${PHOTOGRAPHERS}${digest(conversation.photographerId)}`), conversation);
  }

  async photographer(photographerId: string): Promise<PhotographerConversation | null> {
    return (await this.readJson<PhotographerConversation>(this.blob(`${PHOTOGRAPHERS}${digest(photographerId)}`)))?.value ?? null;
  }

  async saveCustomer(customer: WaitingCustomer, at: Date): Promise<void> {
    // Reporting again (another code, another day) makes the customer wait again; having asked stays.
    await this.update<WaitingEntry>(this.waitingBlob(customer.jobId, customer.conversationId), (current) => ({
      ...customer,
      asked: customer.asked || (current?.asked ?? false),
      reportedAt: at.toISOString(),
      toldAt: null,
    }));
  }

  private async entries(jobId: string): Promise<WaitingEntry[]> {
    const names: string[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix: `${WAITING}${digest(jobId)}/` })) names.push(item.name);
    const found = await Promise.all(names.map(async (name) => (await this.readJson<WaitingEntry>(this.blob(name)))?.value ?? null));
    return found.filter((entry): entry is WaitingEntry => entry !== null);
  }

  async waiting(jobId: string): Promise<WaitingCustomer[]> {
    return (await this.entries(jobId))
      .filter((entry) => entry.toldAt === null)
      .sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : 0))
      .map(({ reportedAt, toldAt, ...customer }) => {
        void reportedAt;
        void toldAt;
        return customer;
      });
  }

  async countAsked(jobId: string): Promise<number> {
    return (await this.entries(jobId)).filter((entry) => entry.toldAt === null && entry.asked).length;
  }

  async markTold(jobId: string, conversationId: string, at: Date): Promise<boolean> {
    return this.update<WaitingEntry>(this.waitingBlob(jobId, conversationId), (current) =>
      current === null || current.toldAt !== null ? null : { ...current, toldAt: at.toISOString() },
    );
  }

  async unmarkTold(jobId: string, conversationId: string): Promise<void> {
    await this.update<WaitingEntry>(this.waitingBlob(jobId, conversationId), (current) => (current === null ? null : { ...current, toldAt: null }));
  }

  async notice(jobId: string): Promise<SentNotice | null> {
    return (await this.readJson<SentNotice>(this.blob(`${NOTICES}${digest(jobId)}`)))?.value ?? null;
  }

  async saveNotice(notice: SentNotice): Promise<void> {
    await this.put(this.blob(`${NOTICES}${digest(notice.jobId)}`), notice);
  }

  async dropNotice(jobId: string): Promise<void> {
    await this.blob(`${NOTICES}${digest(jobId)}`).deleteIfExists();
  }
}
