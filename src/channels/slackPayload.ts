import type { Activity } from 'botbuilder';
import { isIsoDate } from '../domain/archiveDate.js';
import { DATE_INPUT_CHOICE_ID } from './replyModel.js';
import { SLACK_CHOICE_ACTION_PREFIX, SLACK_DATE_ACTION_ID, SLACK_QUESTION_BLOCK_PREFIX } from './slackRenderer.js';

/**
 * What a Slack activity from the Azure Bot Service Slack channel says, read from the raw
 * Slack envelope in `channelData.SlackMessage`: who wrote, where to answer, the bot token
 * the channel passed along, and a click in a Block Kit message.
 */

/** Where a Slack reply goes: a channel (C…, D… for a direct message) and the thread in it. */
export interface SlackTarget {
  channel: string;
  threadTs?: string;
}

/** A choice or a date picked in a Block Kit message, read from a `block_actions` payload. */
export interface SlackAction {
  choiceId?: string;
  date?: string;
  /** The number of the question whose message held the clicked element. */
  questionId?: number;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return typeof current === 'string' && current !== '' ? current : undefined;
}

/** The raw Slack envelope the Azure Bot Service Slack channel puts in `channelData.SlackMessage`. */
function slackMessage(activity: Partial<Activity>): Record<string, unknown> | undefined {
  const channelData: unknown = activity.channelData;
  if (!isRecord(channelData)) return undefined;
  return isRecord(channelData.SlackMessage) ? channelData.SlackMessage : undefined;
}

/**
 * The interactive payload (`block_actions`) of an activity, if it is one: under
 * `SlackMessage.payload` or, in the form Microsoft's Slack extension reads, `SlackMessage` itself.
 */
function interactivePayload(activity: Partial<Activity>): Record<string, unknown> | undefined {
  const message = slackMessage(activity);
  if (!message) return undefined;
  if (isRecord(message.payload)) return message.payload;
  return message.type === 'block_actions' || Array.isArray(message.actions) ? message : undefined;
}

function slackEvent(activity: Partial<Activity>): Record<string, unknown> | undefined {
  const event = slackMessage(activity)?.event;
  return isRecord(event) ? event : undefined;
}

/** The bot token the channel passed along (`channelData.ApiToken`), if any. */
export function slackApiToken(activity: Partial<Activity>): string | undefined {
  return stringAt(activity.channelData, 'ApiToken');
}

/**
 * Where to answer an incoming Slack activity: for an Events API message, `event.channel` and
 * its thread (`event.thread_ts`, else the message's own `event.ts`, so the answer starts a
 * thread under it); for a `block_actions` payload, `channel.id` (or `container.channel_id`) and
 * the thread of the message that held the button. Null when the activity carries neither.
 */
export function slackTarget(activity: Partial<Activity>): SlackTarget | null {
  const event = slackEvent(activity);
  const eventChannel = stringAt(event, 'channel');
  if (event && eventChannel) {
    const threadTs = stringAt(event, 'thread_ts') ?? stringAt(event, 'ts');
    return threadTs !== undefined ? { channel: eventChannel, threadTs } : { channel: eventChannel };
  }
  const payload = interactivePayload(activity);
  const channel = stringAt(payload, 'channel', 'id') ?? stringAt(payload, 'container', 'channel_id');
  if (!payload || !channel) return null;
  const threadTs =
    stringAt(payload, 'message', 'thread_ts') ??
    stringAt(payload, 'container', 'thread_ts') ??
    stringAt(payload, 'message', 'ts') ??
    stringAt(payload, 'container', 'message_ts');
  return threadTs !== undefined ? { channel, threadTs } : { channel };
}

/**
 * The Slack user id (U…) of the person behind an activity: `event.user`, else the interactive
 * payload's `user.id`, else the part of `from.id` before `:` (the channel writes `U…:T…`).
 */
export function slackUserId(activity: Partial<Activity>): string | undefined {
  const fromEvent = stringAt(slackEvent(activity), 'user');
  if (fromEvent) return fromEvent;
  const fromPayload = stringAt(interactivePayload(activity), 'user', 'id');
  if (fromPayload) return fromPayload;
  const fromId = activity.from?.id;
  if (typeof fromId !== 'string' || fromId === '') return undefined;
  const user = fromId.split(':')[0];
  return user !== undefined && user !== '' ? user : undefined;
}

const QUESTION_BLOCK = new RegExp(`^${SLACK_QUESTION_BLOCK_PREFIX}(\\d{1,9}):`);

/**
 * A click in a Block Kit message posted by `SlackBlockKitSender`, read from the `block_actions`
 * payload: a button (`action_id` `choice:<id>`) gives `{ choiceId }`; the date picker
 * (`action_id` `date`, `selected_date` yyyy-MM-dd) gives `{ choiceId: 'date-input', date }`,
 * the same as Teams' date submit. Null for anything else. To feed it to the dialogs, set the
 * activity's `value` to `{ choice: choiceId, date }`, which `readTurnInput` reads.
 */
export function readSlackAction(activity: Partial<Activity>): SlackAction | null {
  const actions = interactivePayload(activity)?.actions;
  if (!Array.isArray(actions)) return null;
  for (const action of actions) {
    if (!isRecord(action)) continue;
    const actionId = typeof action.action_id === 'string' ? action.action_id : '';
    const question = typeof action.block_id === 'string' ? QUESTION_BLOCK.exec(action.block_id)?.[1] : undefined;
    const questionId = question === undefined ? {} : { questionId: Number(question) };
    if (actionId === SLACK_DATE_ACTION_ID || action.type === 'datepicker') {
      const date = typeof action.selected_date === 'string' ? action.selected_date : undefined;
      if (isIsoDate(date)) return { choiceId: DATE_INPUT_CHOICE_ID, date, ...questionId };
      continue;
    }
    if (actionId.startsWith(SLACK_CHOICE_ACTION_PREFIX)) {
      const choiceId = typeof action.value === 'string' && action.value !== '' ? action.value : actionId.slice(SLACK_CHOICE_ACTION_PREFIX.length);
      if (choiceId !== '') return { choiceId: choiceId.slice(0, 100), ...questionId };
    }
  }
  return null;
}
