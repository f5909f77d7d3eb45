import { type Activity, TestAdapter, TurnContext } from 'botbuilder';
import { ClaimsIdentity } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { DIRECT_LINE_SERVICE_URL } from '../../src/directline/directLineAdapter.js';
import { statusFromChannel } from '../../src/handoff/openHandoff.js';

/** Where a `handoff.status` may come from: the channel, never a person at a Direct Line client. */

function contextOf(activity: Partial<Activity>, identity?: ClaimsIdentity): TurnContext {
  const adapter = new TestAdapter();
  const context = new TurnContext(adapter, { type: 'event', name: 'handoff.status', value: { state: 'completed' }, channelId: 'webchat', ...activity } as Activity);
  if (identity !== undefined) context.turnState.set(adapter.BotIdentityKey, identity);
  return context;
}

describe('statusFromChannel', () => {
  it("the bot's own Direct Line never counts, whatever its identity says", () => {
    const own = { channelId: 'directline', serviceUrl: DIRECT_LINE_SERVICE_URL };
    expect(statusFromChannel(contextOf(own), false)).toBe(false);
    expect(statusFromChannel(contextOf(own, new ClaimsIdentity([{ type: 'aud', value: 'app-id' }], true)), true)).toBe(false);
  });

  it('with channel authentication on, only a request the Bot Framework authenticated counts', () => {
    const connector = { serviceUrl: 'https://smba.trafficmanager.net/emea/' };
    expect(statusFromChannel(contextOf(connector), true)).toBe(false);
    expect(statusFromChannel(contextOf(connector, new ClaimsIdentity([], false)), true)).toBe(false);
    expect(statusFromChannel(contextOf(connector, new ClaimsIdentity([{ type: 'aud', value: 'app-id' }], true)), true)).toBe(true);
  });

  it('in local mode (no channel authentication) /api/messages counts, as every request there does', () => {
    expect(statusFromChannel(contextOf({ serviceUrl: 'http://127.0.0.1:1/connector' }), false)).toBe(true);
  });
});
