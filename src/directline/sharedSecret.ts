import { randomBytes } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { downloadText } from '../storage/blobStateStorage.js';
import { isWriteConflict } from '../storage/blobJson.js';

/**
 * With STORAGE=azure-blob and no DIRECTLINE_SECRET: one Direct Line secret for every
 * instance, kept in the shared container, so a token one instance signed is valid on all
 * of them. The first instance to start generates it and creates the blob with
 * If-None-Match: *; an instance that starts at the same moment and loses reads the winner's.
 * Outside the prefixes the retention sweep deletes from.
 */
export const SHARED_SECRET_BLOB = 'config/directline-secret';

export async function sharedDirectLineSecret(container: ContainerClient): Promise<string> {
  const blob = container.getBlockBlobClient(SHARED_SECRET_BLOB);
  for (;;) {
    const kept = await downloadText(blob);
    if (kept !== null && kept.text.trim().length >= 32) return kept.text.trim();
    const generated = randomBytes(32).toString('base64url');
    try {
      // A damaged (too short) secret is replaced only if it is still that version.
      await blob.upload(generated, generated.length, { conditions: kept === null ? { ifNoneMatch: '*' } : { ifMatch: kept.eTag } });
      return generated;
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
    }
  }
}
