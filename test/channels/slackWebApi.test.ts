import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readTurnInput } from '../../src/bot/turnInput.js';
import { slackText, toBlockKit } from '../../src/channels/slackRenderer.js';
import { readSlackAction, slackApiToken, slackTarget, slackUserId } from '../../src/channels/slackPayload.js';
import { SlackApiError, SlackBlockKitSender, SlackDeliveryError } from '../../src/channels/slackWebApi.js';
import { SlackStandIn } from '../support/slackApiStandIn.js';
import { archiveDateReply, planReply, stepReply } from './fixtures.js';

const BOT_TOKEN = 'xoxb-1111-2222-test';

/** A direct message to the bot, as the Azure Bot Service Slack channel delivers it. */
function eventActivity(event: Record<string, unknown> = {}): Partial<Activity> {
  return {
    type: 'message',
    id: '6d2b8c1e-4a0f-4b7a-9e51-1c1f2f0a9b10',
    channelId: 'slack',
    serviceUrl: 'https://slack.botframework.com/',
    from: { id: 'U0MEGAN01:T0STUDIO1', name: 'megan' },
    conversation: { id: 'B0GALLERY:T0STUDIO1:D0MEGANDM', isGroup: false, name: '', conversationType: 'personal' },
    recipient: { id: 'B0GALLERY:T0STUDIO1', name: 'galleryassistant' },
    text: 'Missed the sale MXR2 9PLT',
    channelData: {
      SlackMessage: {
        token: 'verification-token',
        team_id: 'T0STUDIO1',
        api_app_id: 'A0GALLERY',
        event: {
          client_msg_id: '0f6d3c8e-1111-4222-8333-944455556666',
          type: 'message',
          text: 'Missed the sale MXR2 9PLT',
          user: 'U0MEGAN01',
          ts: '1733900000.000200',
          team: 'T0STUDIO1',
          channel: 'D0MEGANDM',
          event_ts: '1733900000.000200',
          channel_type: 'im',
          ...event,
        },
        type: 'event_callback',
        event_id: 'Ev0GALLERY01',
        event_time: 1733900000,
      },
      ApiToken: BOT_TOKEN,
    },
  };
}

/** A click in a Block Kit message the bot posted in a thread: Slack's block_actions payload, forwarded by the channel. */
function blockActionsPayload(action: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: 'U0MEGAN01', username: 'megan', name: 'megan', team_id: 'T0STUDIO1' },
    api_app_id: 'A0GALLERY',
    token: 'verification-token',
    container: { type: 'message', message_ts: '1733900100.000001', channel_id: 'C0STUDIO', is_ephemeral: false, thread_ts: '1733900000.000200' },
    trigger_id: '1111.2222.abcdef',
    team: { id: 'T0STUDIO1', domain: 'studio' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: 'C0STUDIO', name: 'support' },
    message: {
      type: 'message',
      bot_id: 'B0GALLERY',
      text: 'Bis wann soll der Shop offen sein?',
      user: 'U0GALLERYBOT',
      ts: '1733900100.000001',
      thread_ts: '1733900000.000200',
      blocks: toBlockKit(archiveDateReply),
    },
    state: { values: {} },
    response_url: 'https://hooks.slack.com/actions/T0STUDIO1/1111/abc',
    actions: [action],
  };
}

function interactiveActivity(payload: Record<string, unknown>, wrap = true): Partial<Activity> {
  return {
    type: 'message',
    channelId: 'slack',
    from: { id: 'U0MEGAN01:T0STUDIO1', name: 'megan' },
    conversation: { id: 'B0GALLERY:T0STUDIO1:C0STUDIO', isGroup: true, name: 'support', conversationType: 'channel' },
    channelData: { SlackMessage: wrap ? { payload } : payload, ApiToken: BOT_TOKEN },
  };
}

const buttonClick = { type: 'button', action_id: 'choice:2026-12-13', block_id: 'b1', text: { type: 'plain_text', text: 'So 13.12.', emoji: true }, value: '2026-12-13', action_ts: '1733900200.000300' };
const datePick = { type: 'datepicker', action_id: 'date', block_id: 'b0', selected_date: '2026-12-20', initial_date: '2026-11-30', action_ts: '1733900201.000400' };

describe('SlackBlockKitSender against a Slack Web API stand-in', () => {
  const slack = new SlackStandIn(BOT_TOKEN);
  let slackApiUrl = '';

  beforeAll(async () => {
    slackApiUrl = await slack.start();
  });
  afterAll(async () => {
    await slack.stop();
  });
  beforeEach(() => {
    slack.posted.length = 0;
    slack.mode = 'normal';
  });

  it('posts each reply to the channel and thread with its blocks, the mrkdwn fallback text and the token', async () => {
    const sender = new SlackBlockKitSender({ slackApiUrl });
    await sender.send(BOT_TOKEN, { channel: 'D0MEGANDM', threadTs: '1733900000.000200' }, [planReply, stepReply]);
    expect(slack.posted).toHaveLength(2);
    const [first, second] = slack.posted;
    expect(first).toMatchObject({ path: '/api/chat.postMessage', token: BOT_TOKEN });
    expect(first!.args).toMatchObject({ channel: 'D0MEGANDM', thread_ts: '1733900000.000200', text: slackText(planReply) });
    expect(first!.args.blocks).toEqual(toBlockKit(planReply));
    expect(second!.args.text).toBe(slackText(stepReply));
    expect(second!.args.blocks).toEqual(toBlockKit(stepReply));
  });

  it('posts without thread_ts when the target has no thread', async () => {
    await new SlackBlockKitSender({ slackApiUrl }).send(BOT_TOKEN, { channel: 'C0STUDIO' }, [archiveDateReply]);
    expect(slack.posted[0]!.args).not.toHaveProperty('thread_ts');
    expect(slack.posted[0]!.args.blocks).toContainEqual({ type: 'actions', elements: [{ type: 'datepicker', action_id: 'date', initial_date: '2026-11-30' }] });
  });

  it("rejects with Slack's error code when Slack answers ok: false, and stops sending", async () => {
    const sender = new SlackBlockKitSender({ slackApiUrl });
    const failure = sender.send('xoxb-revoked', { channel: 'D0MEGANDM' }, [planReply, stepReply]);
    await expect(failure).rejects.toBeInstanceOf(SlackDeliveryError);
    await expect(failure).rejects.toMatchObject({ sent: 0, cause: expect.any(SlackApiError) });
    await expect(failure).rejects.toMatchObject({ cause: { slackError: 'invalid_auth', message: 'Slack chat.postMessage failed: invalid_auth' } });
    expect(slack.posted).toHaveLength(1);
    await expect(sender.send(BOT_TOKEN, { channel: '' }, [planReply])).rejects.toMatchObject({ cause: { slackError: 'channel_not_found' } });
  });

  it('says how many replies Slack took before it failed', async () => {
    slack.slackError = 'ratelimited';
    slack.slackErrorAfter = slack.posted.length + 1;
    const failure = new SlackBlockKitSender({ slackApiUrl }).send(BOT_TOKEN, { channel: 'C0STUDIO' }, [planReply, stepReply]);
    await expect(failure).rejects.toMatchObject({ sent: 1, cause: { slackError: 'ratelimited' } });
  });

  it('gives up on an HTTP error and on a Slack that does not answer', async () => {
    slack.mode = 'http-500';
    await expect(new SlackBlockKitSender({ slackApiUrl }).send(BOT_TOKEN, { channel: 'C0STUDIO' }, [planReply])).rejects.toMatchObject({
      cause: { code: 'slack_webapi_http_error', statusCode: 500 },
    });
    slack.mode = 'hang';
    const started = Date.now();
    await expect(new SlackBlockKitSender({ slackApiUrl, timeoutMs: 300 }).send(BOT_TOKEN, { channel: 'C0STUDIO' }, [planReply])).rejects.toMatchObject({
      cause: { code: 'slack_webapi_request_error' },
    });
    // The 300 ms timeout ended it, not the test's own limit: a wide margin, no bet on speed.
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});

describe('reading Slack activities from the Azure Bot Service channel', () => {
  it('finds the token, the target thread and the user of an Events API message', () => {
    const activity = eventActivity();
    expect(slackApiToken(activity)).toBe(BOT_TOKEN);
    expect(slackTarget(activity)).toEqual({ channel: 'D0MEGANDM', threadTs: '1733900000.000200' });
    expect(slackTarget(eventActivity({ thread_ts: '1733899000.000100' }))).toEqual({ channel: 'D0MEGANDM', threadTs: '1733899000.000100' });
    expect(slackUserId(activity)).toBe('U0MEGAN01');
    expect(readSlackAction(activity)).toBeNull();
  });

  it('finds the target thread and the user of a block_actions payload', () => {
    const activity = interactiveActivity(blockActionsPayload(buttonClick));
    expect(slackTarget(activity)).toEqual({ channel: 'C0STUDIO', threadTs: '1733900000.000200' });
    const { thread_ts: _thread, ...unthreaded } = blockActionsPayload(buttonClick).message as Record<string, unknown>;
    const topLevel = { ...blockActionsPayload(buttonClick), message: unthreaded, container: { type: 'message', message_ts: '1733900100.000001', channel_id: 'C0STUDIO' } };
    expect(slackTarget(interactiveActivity(topLevel))).toEqual({ channel: 'C0STUDIO', threadTs: '1733900100.000001' });
    expect(slackUserId(activity)).toBe('U0MEGAN01');
    expect(slackApiToken(activity)).toBe(BOT_TOKEN);
  });

  it('reads a button click as its choice id and a date pick as the date', () => {
    expect(readSlackAction(interactiveActivity(blockActionsPayload(buttonClick)))).toEqual({ choiceId: '2026-12-13' });
    const pick = readSlackAction(interactiveActivity(blockActionsPayload(datePick)));
    expect(pick).toEqual({ choiceId: 'date-input', date: '2026-12-20' });
    // Fed to the dialogs as a card submit, it reads like Teams' date picker.
    expect(readTurnInput({ type: 'message', value: { choice: pick!.choiceId, date: pick!.date } })).toMatchObject({ text: '2026-12-20', choiceId: 'date-input' });
  });

  it('also reads the payload when the channel puts it directly in SlackMessage', () => {
    const activity = interactiveActivity(blockActionsPayload(datePick), false);
    expect(readSlackAction(activity)).toEqual({ choiceId: 'date-input', date: '2026-12-20' });
    expect(slackTarget(activity)).toEqual({ channel: 'C0STUDIO', threadTs: '1733900000.000200' });
    expect(slackUserId(activity)).toBe('U0MEGAN01');
  });

  it('ignores actions it did not create and cleared date pickers', () => {
    expect(readSlackAction(interactiveActivity(blockActionsPayload({ type: 'button', action_id: 'other', value: 'x' })))).toBeNull();
    expect(readSlackAction(interactiveActivity(blockActionsPayload({ ...datePick, selected_date: null })))).toBeNull();
    expect(readSlackAction(interactiveActivity(blockActionsPayload({ ...datePick, selected_date: '20.12.2026' })))).toBeNull();
  });

  it('falls back to from.id and answers null or undefined without Slack data', () => {
    const bare: Partial<Activity> = { type: 'message', channelId: 'slack', from: { id: 'U0MEGAN01:T0STUDIO1', name: 'megan' } };
    expect(slackUserId(bare)).toBe('U0MEGAN01');
    expect(slackTarget(bare)).toBeNull();
    expect(slackApiToken(bare)).toBeUndefined();
    expect(readSlackAction(bare)).toBeNull();
    expect(slackUserId({ type: 'message' })).toBeUndefined();
    expect(slackTarget({ channelData: 'nonsense' })).toBeNull();
  });
});
