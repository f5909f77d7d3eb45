import { createHash } from 'node:crypto';

/**
 * Ids from channels and the platform can hold any character and are personal data: blob
 * names and metadata in the shared container carry their SHA-256 digests instead.
 */
export const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** One conversation of one channel, as the case outbox, the transcripts and the state index name it. */
export function conversationDigest(channel: string, conversationId: string): string {
  return digest(`${channel}\n${conversationId}`);
}

/** One person on one channel, as the index of a state blob names them. */
export function channelUserDigest(channel: string, userId: string): string {
  return digest(`${channel}\n${userId}`);
}
