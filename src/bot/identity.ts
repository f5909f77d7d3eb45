import type { Activity } from 'botbuilder';
import { slackUserId } from '../channels/slackPayload.js';
import type { Photographer } from '../domain/platformModel.js';
import { type PlatformPort, PlatformUnavailableError } from '../platform/port.js';

/** Channels whose users are always customers: the shop's help chat widget. */
const CUSTOMER_CHANNELS = new Set(['webchat', 'directline']);

/** Channels whose users are photographers, identified by the channel's own user id. */
export type PhotographerChannel = 'msteams' | 'slack';

/**
 * Who is talking, as the channel vouches for it. The role never comes from what
 * somebody types: a Web Chat user who writes "I am the photographer" is a customer.
 */
export type Identity =
  | { role: 'customer' }
  /** A Teams or Slack user mapped to a photographer account: data access to their own jobs. */
  | { role: 'photographer'; photographer: Photographer }
  /** A Teams or Slack user the platform does not know (or could not be asked about): guidance only. */
  | { role: 'photographer'; photographer: null; channel: PhotographerChannel; platformDown: boolean }
  /** Emulator, tests, unknown channels: the bot asks, and the answer never unlocks data. */
  | { role: null };

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The channel's user id the platform maps photographers by, or null when there is none. */
export function channelUserId(activity: Partial<Activity>): { channel: PhotographerChannel; userId: string } | null {
  if (activity.channelId === 'msteams') {
    const userId = text(activity.from?.aadObjectId);
    return userId === null ? null : { channel: 'msteams', userId };
  }
  if (activity.channelId === 'slack') {
    const userId = slackUserId(activity);
    return userId === undefined ? null : { channel: 'slack', userId };
  }
  return null;
}

/** The role a channel alone vouches for, before any platform look-up (e.g. for an apology when nothing else is known). */
export function channelRole(channelId: string | undefined): 'customer' | 'photographer' | null {
  if (CUSTOMER_CHANNELS.has(channelId ?? '')) return 'customer';
  return channelId === 'msteams' || channelId === 'slack' ? 'photographer' : null;
}

export async function identify(activity: Partial<Activity>, platform: PlatformPort): Promise<Identity> {
  const channelId = activity.channelId ?? '';
  if (CUSTOMER_CHANNELS.has(channelId)) return { role: 'customer' };
  if (channelId !== 'msteams' && channelId !== 'slack') return { role: null };
  const user = channelUserId(activity);
  if (user === null) return { role: 'photographer', photographer: null, channel: channelId, platformDown: false };
  try {
    const photographer = await platform.photographerByChannelUser(user.channel, user.userId);
    return photographer === null
      ? { role: 'photographer', photographer: null, channel: user.channel, platformDown: false }
      : { role: 'photographer', photographer };
  } catch (error) {
    if (!(error instanceof PlatformUnavailableError)) throw error;
    return { role: 'photographer', photographer: null, channel: user.channel, platformDown: true };
  }
}

/** The photographer account the channel identity maps to: the only key to data and changes. */
export function linkedPhotographer(identity: Identity): Photographer | null {
  return identity.role === 'photographer' ? identity.photographer : null;
}
