import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { digest } from '../storage/blobDigests.js';
import { readJson, updateJson, writeJson } from '../storage/blobJson.js';
import type { PhotographerConversation, ReachableConversations, SentNotice, WaitingCustomer } from './conversationStore.js';

export const PHOTOGRAPHERS = 'proactive/photographers/';
export const WAITING = 'proactive/waiting/';
export const NOTICES = 'proactive/notices/';

/** A waiting customer as kept: with when they reported and when they were told (null: still waiting). */
interface WaitingEntry extends WaitingCustomer {
  reportedAt: string;
  toldAt: string | null;
}

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

  /** Reads, changes (or leaves: null) and writes back unless another instance wrote first; whether it wrote. */
  private async update<T>(blob: BlockBlobClient, change: (current: T | null) => T | null): Promise<boolean> {
    return (await updateJson(blob, change)) !== null;
  }

  private waitingBlob(jobId: string, conversationId: string): BlockBlobClient {
    return this.blob(`${WAITING}${digest(jobId)}/${digest(conversationId)}`);
  }

  async savePhotographer(conversation: PhotographerConversation): Promise<void> {
    // The latest conversation wins: that is where the photographer is now.
    await writeJson(this.blob(`${PHOTOGRAPHERS}${digest(conversation.photographerId)}`), conversation);
  }

  async photographer(photographerId: string): Promise<PhotographerConversation | null> {
    return (await readJson<PhotographerConversation>(this.blob(`${PHOTOGRAPHERS}${digest(photographerId)}`)))?.value ?? null;
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
    const found = await Promise.all(names.map(async (name) => (await readJson<WaitingEntry>(this.blob(name)))?.value ?? null));
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

  async askedBefore(jobId: string, conversationId: string): Promise<boolean> {
    const entry = (await readJson<WaitingEntry>(this.waitingBlob(jobId, conversationId)))?.value ?? null;
    return entry !== null && entry.toldAt === null && entry.asked;
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
    return (await readJson<SentNotice>(this.blob(`${NOTICES}${digest(jobId)}`)))?.value ?? null;
  }

  async saveNotice(notice: SentNotice): Promise<void> {
    await writeJson(this.blob(`${NOTICES}${digest(notice.jobId)}`), notice);
  }

  async dropNotice(jobId: string): Promise<void> {
    await this.blob(`${NOTICES}${digest(jobId)}`).deleteIfExists();
  }
}
