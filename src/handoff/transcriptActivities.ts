import { type Activity, ActivityTypes } from 'botbuilder-core';
import { HANDOFF_INITIATE } from './openHandoff.js';

/**
 * The conversation as it happened, what botbuilder's TranscriptLoggerMiddleware hands over:
 * what people wrote and what the bot sent (messages, their updates and deletions, events).
 * Typing indicators say nothing to a person reading it later; the handoff event carries the
 * transcript itself and would nest it in every later handoff.
 */
export function worthKeeping(activity: Partial<Activity>): boolean {
  switch (activity.type) {
    case ActivityTypes.Message:
    case ActivityTypes.MessageUpdate:
    case ActivityTypes.MessageDelete:
      return true;
    case ActivityTypes.Event:
      return activity.name !== HANDOFF_INITIATE;
    default:
      return false;
  }
}

/** The activity as it was logged, its timestamps as dates again. */
export function revive(json: string): Activity {
  const activity = JSON.parse(json) as Activity & { timestamp?: Date | string; localTimestamp?: Date | string };
  if (typeof activity.timestamp === 'string') activity.timestamp = new Date(activity.timestamp);
  if (typeof activity.localTimestamp === 'string') activity.localTimestamp = new Date(activity.localTimestamp);
  return activity;
}
