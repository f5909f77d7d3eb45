import type { Activity } from 'botbuilder';
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import type { Reply } from './replyModel.js';
import { SLACK_CHOICE_ACTION_PREFIX, SLACK_DATE_ACTION_ID, slackText, toBlockKit, SLACK_QUESTION_BLOCK_PREFIX } from './slackRenderer.js';
import { DATE_INPUT_CHOICE_ID } from './teamsRenderer.js';

/**
 * The Slack Web API path. When the Azure Bot Service Slack channel hands the bot the
 * workspace's bot token (`channelData.ApiToken`), replies can be posted as Block Kit with
 * `chat.postMessage` instead of the channel's text-and-hero-card rendering; Slack then sends
 * button clicks and date picks back as `block_actions`, which the channel forwards with the
 * raw payload in `channelData.SlackMessage`. Nothing here is wired into the bot by itself.
 */

/** Where a Slack reply goes: a channel (C…, D… for a direct message) and the thread in it. */
export interface SlackTarget {
  channel: string;
  threadTs?: string;
}

/** Slack took the first `sent` replies of a turn, then failed. */
export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';

  constructor(
    readonly sent: number,
    override readonly cause: unknown,
  ) {
    super(`Slack took ${sent} replies, then failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A choice or a date picked in a Block Kit message, read from a `block_actions` payload. */
export interface SlackAction {
  choiceId?: string;
  date?: string;
  /** The number of the question whose message held the clicked element. */
  questionId?: number;
}

/** Slack answered `ok: false`; `slackError` is Slack's error code (`invalid_auth`, `channel_not_found`, …). */
export class SlackApiError extends Error {
  readonly slackError: string;

  constructor(method: string, slackError: string) {
    super(`Slack ${method} failed: ${slackError}`);
    this.name = 'SlackApiError';
    this.slackError = slackError;
  }
}

export interface SlackBlockKitSenderOptions {
  /** The Web API base URL; Slack's own (`https://slack.com/api/`) by default. Tests point it at a stand-in. */
  slackApiUrl?: string;
  /** Milliseconds before a call is given up; 5 s by default. */
  timeoutMs?: number;
  /** Retries of a failed call (network errors, 5xx); none by default, since a retried post may show twice. */
  retries?: number;
}

/** Posts a turn's replies as Block Kit messages, one `chat.postMessage` per reply, in order. */
export class SlackBlockKitSender {
  private readonly client: WebClient;

  constructor(options: SlackBlockKitSenderOptions = {}) {
    this.client = new WebClient(undefined, {
      ...(options.slackApiUrl !== undefined ? { slackApiUrl: options.slackApiUrl } : {}),
      retryConfig: { retries: options.retries ?? 0, factor: 1, minTimeout: 200, maxTimeout: 1000 },
      timeout: options.timeoutMs ?? 5000,
      rejectRateLimitedCalls: true,
      // Method names only: a method name can never send the token to another host.
      allowAbsoluteUrls: false,
      logLevel: LogLevel.ERROR,
    });
  }

  /**
   * Sends each reply in order with the workspace's bot token (`xoxb-…`, from `channelData.ApiToken`):
   * `blocks` from `toBlockKit`, and `text` in mrkdwn as the notification and accessibility
   * fallback. Rejects with a `SlackDeliveryError` that says how many replies Slack took
   * before it failed (its cause a `SlackApiError` when Slack said no), so the rest can go
   * another way without showing any reply twice.
   */
  async send(token: string, target: SlackTarget, replies: readonly Reply[]): Promise<void> {
    for (const [sent, reply] of replies.entries()) {
      try {
        await this.client.chat.postMessage({
          token,
          channel: target.channel,
          ...(target.threadTs !== undefined ? { thread_ts: target.threadTs } : {}),
          text: slackText(reply),
          blocks: toBlockKit(reply),
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        throw new SlackDeliveryError(sent, toSlackError('chat.postMessage', error));
      }
    }
  }
}

function toSlackError(method: string, error: unknown): unknown {
  if (isRecord(error) && error.code === ErrorCode.PlatformError && isRecord(error.data) && typeof error.data.error === 'string') {
    return new SlackApiError(method, error.data.error);
  }
  return error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
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

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
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
      if (date !== undefined && ISO_DATE.test(date)) return { choiceId: DATE_INPUT_CHOICE_ID, date, ...questionId };
      continue;
    }
    if (actionId.startsWith(SLACK_CHOICE_ACTION_PREFIX)) {
      const choiceId = typeof action.value === 'string' && action.value !== '' ? action.value : actionId.slice(SLACK_CHOICE_ACTION_PREFIX.length);
      if (choiceId !== '') return { choiceId: choiceId.slice(0, 100), ...questionId };
    }
  }
  return null;
}
