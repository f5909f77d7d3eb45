import { type Activity, type ConversationReference, DeliveryModes, TurnContext } from 'botbuilder-core';
import type { ScenarioId } from '../domain/scenarios.js';
import type { Symptom } from '../domain/symptoms.js';

/**
 * What the dialogs may ask of proactive messages: telling a job's photographer that
 * customers wait, and telling waiting customers that their gallery opens. The dialogs
 * depend on this port only; src/proactive/proactiveNotices.ts carries it out.
 */

/** A customer's conversation that reported a code of a job the photographer has to fix. */
export interface CustomerReport {
  jobId: string;
  photographerId: string;
  conversationId: string;
  /** Where the customer can be told later (the reference of the turn that reported it); null: nowhere. */
  reference: Partial<ConversationReference> | null;
  locale: string;
  /** Normalised access code. */
  accessCode: string;
  symptom: Symptom | null;
  scenario: ScenarioId;
  secondary: ScenarioId[];
}

/**
 * `sent`: a new message to the photographer; `updated`: the message of a customer shortly
 * before now counts this one too. `unreachable`: the photographer never talked to the bot
 * (`never-talked`) or the channel did not take the message (`failed`).
 */
export type PhotographerNoticeResult =
  | { kind: 'sent' | 'updated'; waiting: number }
  | { kind: 'unreachable'; reason: 'never-talked' | 'failed' };

/** The customer a "fix it" button walks through: the latest report of the job. */
export interface WaitingReport {
  accessCode: string;
  symptom: Symptom | null;
}

export interface Notices {
  /** Keeps the customer's conversation, to be told when the gallery opens. */
  customerReported(report: CustomerReport): Promise<void>;
  /** Keeps the customer's conversation as asking, and tells the job's photographer. */
  notifyPhotographer(report: CustomerReport): Promise<PhotographerNoticeResult>;
  latestReport(jobId: string): Promise<WaitingReport | null>;
  /** Whether this conversation asked for the job's photographer to be told, and has not yet heard that the gallery opened. */
  askedBefore(jobId: string, conversationId: string): Promise<boolean>;
  /**
   * Tells every waiting customer of the job whose own code opens the gallery now (the
   * platform's data decides, not the photographer's word); returns how many were told.
   */
  tellCustomersIfOpen(jobId: string): Promise<number>;
}

/** The choice id of the button in a photographer's notice: starts the fix walk-through of the job. */
export const FIX_JOB_CHOICE_PREFIX = 'fix-job:';

export function fixJobChoice(jobId: string): string {
  return `${FIX_JOB_CHOICE_PREFIX}${jobId}`;
}

/** The job a clicked (or, on text-only channels, sent) "fix it" button names, or null. */
export function fixJobOf(choiceOrText: string | null): string | null {
  if (choiceOrText === null || !choiceOrText.startsWith(FIX_JOB_CHOICE_PREFIX)) return null;
  const jobId = choiceOrText.slice(FIX_JOB_CHOICE_PREFIX.length).trim();
  return /^[\w.-]{1,100}$/.test(jobId) ? jobId : null;
}

/**
 * Where the person of this activity can be reached later, or null: a turn whose replies
 * come back in the HTTP response (`expectReplies`) has no channel to send to afterwards.
 * Without the activity's id: a message sent later is a message of its own, not a reply
 * threaded under what the person said then (Web Chat would even hold it, waiting for that id).
 */
export function reachableReference(activity: Partial<Activity>): Partial<ConversationReference> | null {
  if (activity.deliveryMode === DeliveryModes.ExpectReplies || typeof activity.serviceUrl !== 'string' || activity.serviceUrl === '') return null;
  const { activityId: _said, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

