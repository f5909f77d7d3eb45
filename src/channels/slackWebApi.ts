import type { WebClient } from '@slack/web-api';
import type { Reply } from './replyModel.js';
import { isRecord, type SlackTarget } from './slackPayload.js';
import { slackText, toBlockKit } from './slackRenderer.js';

/**
 * The Slack Web API path. When the Azure Bot Service Slack channel hands the bot the
 * workspace's bot token (`channelData.ApiToken`), replies can be posted as Block Kit with
 * `chat.postMessage` instead of the channel's text-and-hero-card rendering; Slack then sends
 * button clicks and date picks back as `block_actions`, which the channel forwards with the
 * raw payload in `channelData.SlackMessage` (read by slackPayload.ts).
 */

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

/** Slack's `ErrorCode.PlatformError`: Slack answered, and said no. */
const PLATFORM_ERROR = 'slack_webapi_platform_error';

/**
 * Posts a turn's replies as Block Kit messages, one `chat.postMessage` per reply, in order.
 * The Slack SDK (and its HTTP client) is loaded with the first message for Slack: a bot
 * that never talks to Slack starts without it, 40–50 ms sooner.
 */
export class SlackBlockKitSender {
  private client: Promise<WebClient> | undefined;

  constructor(private readonly options: SlackBlockKitSenderOptions = {}) {}

  private webClient(): Promise<WebClient> {
    const { slackApiUrl, retries, timeoutMs } = this.options;
    this.client ??= import('@slack/web-api').then(
      ({ LogLevel, WebClient }) =>
        new WebClient(undefined, {
          ...(slackApiUrl !== undefined ? { slackApiUrl } : {}),
          retryConfig: { retries: retries ?? 0, factor: 1, minTimeout: 200, maxTimeout: 1000 },
          timeout: timeoutMs ?? 5000,
          rejectRateLimitedCalls: true,
          // Method names only: a method name can never send the token to another host.
          allowAbsoluteUrls: false,
          logLevel: LogLevel.ERROR,
        }),
    );
    return this.client;
  }

  /**
   * Sends each reply in order with the workspace's bot token (`xoxb-…`, from `channelData.ApiToken`):
   * `blocks` from `toBlockKit`, and `text` in mrkdwn as the notification and accessibility
   * fallback. Rejects with a `SlackDeliveryError` that says how many replies Slack took
   * before it failed (its cause a `SlackApiError` when Slack said no), so the rest can go
   * another way without showing any reply twice.
   */
  async send(token: string, target: SlackTarget, replies: readonly Reply[]): Promise<void> {
    let client: WebClient;
    try {
      client = await this.webClient();
    } catch (error) {
      this.client = undefined;
      throw new SlackDeliveryError(0, error);
    }
    for (const [sent, reply] of replies.entries()) {
      try {
        await client.chat.postMessage({
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
  if (isRecord(error) && error.code === PLATFORM_ERROR && isRecord(error.data) && typeof error.data.error === 'string') {
    return new SlackApiError(method, error.data.error);
  }
  return error;
}
