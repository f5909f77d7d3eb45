import type { BlockBlobClient } from '@azure/storage-blob';
import { downloadText, isBlobStatus } from './blobStateStorage.js';

/**
 * JSON records in the shared container, as the stores of several instances keep them:
 * read with the eTag of that very version, written unconditionally or only if nobody
 * wrote first (If-Match, If-None-Match: *), and changed by read, change, conditional write.
 */

/** How often a change is tried again after another instance wrote first. */
const UPDATE_TRIES = 20;

export type WriteCondition = { ifMatch: string } | { ifNoneMatch: '*' };

export async function readJson<T>(blob: BlockBlobClient): Promise<{ value: T; eTag: string } | null> {
  const found = await downloadText(blob);
  return found === null ? null : { value: JSON.parse(found.text) as T, eTag: found.eTag };
}

/**
 * Writes `value` as UTF-8 JSON (with its byte length: texts hold ü, é, ß); the new eTag.
 * `metadata`: what a listing should tell without reading the blob (a case's state, say).
 */
export async function writeJson(blob: BlockBlobClient, value: unknown, conditions?: WriteCondition, metadata?: Record<string, string>): Promise<string> {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const response = await blob.upload(body, body.length, {
    ...(conditions === undefined ? {} : { conditions }),
    ...(metadata === undefined ? {} : { metadata }),
    blobHTTPHeaders: { blobContentType: 'application/json' },
  });
  return response.etag ?? '';
}

/** Whether a conditional write failed because another writer came first (409 for If-None-Match, 412 for If-Match). */
export const isWriteConflict = (error: unknown): boolean => isBlobStatus(error, 409, 412);

/**
 * Reads, changes (or leaves: `change` returns null) and writes back unless another
 * instance wrote first, then again from what it wrote. Resolves to the value written, or
 * null when `change` left it. `metadataOf`: the metadata written with the value.
 */
export async function updateJson<T>(blob: BlockBlobClient, change: (current: T | null) => T | null, metadataOf?: (value: T) => Record<string, string>): Promise<T | null> {
  for (let attempt = 1; ; attempt++) {
    const found = await readJson<T>(blob);
    const next = change(found?.value ?? null);
    if (next === null) return null;
    try {
      await writeJson(blob, next, found === null ? { ifNoneMatch: '*' } : { ifMatch: found.eTag }, metadataOf?.(next));
      return next;
    } catch (error) {
      if (!isWriteConflict(error) || attempt >= UPDATE_TRIES) throw error;
      // Another instance wrote first: a little random wait, so the next round is not another tie.
      await new Promise((tick) => setTimeout(tick, Math.random() * 20 * attempt));
    }
  }
}
