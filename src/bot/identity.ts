import type { Role } from '../channels/replyModel.js';

/** Channels whose users are always customers: the shop's help chat widget. */
const CUSTOMER_CHANNELS = new Set(['webchat', 'directline']);

/**
 * The role a channel vouches for. It comes from the channel, never from what somebody
 * types: a Web Chat user who writes "I am the photographer" is still a customer.
 * Null: the channel carries no identity (Emulator, tests, unknown channels), so the
 * bot asks, and an answer it gets that way never unlocks data or actions.
 */
export function channelRole(channelId: string): Role | null {
  return CUSTOMER_CHANNELS.has(channelId) ? 'customer' : null;
}
