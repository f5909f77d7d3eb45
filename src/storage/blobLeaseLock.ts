import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../logger.js';
import { digest } from './blobDigests.js';
import { isBlobStatus as isStatus } from './blobStateStorage.js';
import { type ConversationLock, InProcessLock } from './conversationLock.js';
import { StorageUnavailableError } from './storageHealth.js';

/** One lock blob per conversation, named by the digest of its id. */
export const LOCKS = 'locks/';

export class ConversationBusyError extends Error {
  override readonly name = 'ConversationBusyError';
}

export interface BlobLeaseLockOptions {
  logger: Logger;
  /** Lease length (Azure allows 15–60 s); renewed while the turn runs, so a crashed instance frees it after this long. */
  leaseSeconds?: number;
  /** How long a turn waits for another instance's turn of the same conversation. */
  waitMs?: number;
}

/** The lock could not be taken because the blob service failed: the turn cannot be saved either. */
function unavailable(error: unknown): StorageUnavailableError {
  return new StorageUnavailableError(`conversation lock: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Several instances: a lease on one small blob per conversation (`locks/<digest>`) in
 * the state container. Within an instance turns queue in memory first, so only one of
 * them competes for the lease at a time.
 */
export class BlobLeaseLock implements ConversationLock {
  private readonly local = new InProcessLock();
  private readonly leaseSeconds: number;
  private readonly waitMs: number;

  constructor(
    private readonly container: ContainerClient,
    private readonly options: BlobLeaseLockOptions,
  ) {
    this.leaseSeconds = Math.min(60, Math.max(15, options.leaseSeconds ?? 30));
    this.waitMs = options.waitMs ?? 30_000;
  }

  run<T>(conversationId: string, turn: () => Promise<T>): Promise<T> {
    return this.local.run(conversationId, () => this.leased(conversationId, turn));
  }

  private async leased<T>(conversationId: string, turn: () => Promise<T>): Promise<T> {
    // The conversation id can be long and hold any character; its digest is a safe blob name.
    const name = `${LOCKS}${digest(conversationId)}`;
    const blob = this.container.getBlockBlobClient(name);
    const lease = blob.getBlobLeaseClient(randomUUID());
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await lease.acquireLease(this.leaseSeconds);
        break;
      } catch (error) {
        if (isStatus(error, 404)) {
          // First turn of this conversation anywhere: create the lock blob (a racing creator is fine).
          await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } }).catch((createError: unknown) => {
            if (!isStatus(createError, 409, 412)) throw unavailable(createError);
          });
          continue;
        }
        if (!isStatus(error, 409)) throw unavailable(error);
        if (Date.now() > deadline) throw new ConversationBusyError(`conversation turn waited ${this.waitMs} ms for another instance`);
        await sleep(Math.min(250, 20 * 2 ** Math.min(attempt, 4)) + Math.random() * 30);
      }
    }
    const renew = setInterval(
      () => void lease.renewLease().catch((error: unknown) => this.options.logger.warn('conversation lease not renewed', { error })),
      (this.leaseSeconds * 1000) / 3,
    );
    try {
      return await turn();
    } finally {
      clearInterval(renew);
      await lease.releaseLease().catch((error: unknown) => this.options.logger.warn('conversation lease not released', { error }));
    }
  }
}
