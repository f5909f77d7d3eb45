import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Chat, lastDiagnosis, postActivity, startTestBot, type TestBot } from '../support/botServer.js';
import { CHANNEL_TOKEN_ISSUER, createSigningKey, type MetadataServer, signJwt, startMetadataServer } from '../support/channelAuthServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';

/**
 * Channel authentication end to end, offline: the bot runs with app credentials and the
 * SDK's OpenID metadata URLs pointed at a local server that publishes our own RSA key.
 * Every request uses `deliveryMode: expectReplies`, so the bot never needs a token from
 * Microsoft's login service to answer.
 */

const APP_ID = '1f5c7a2e-0b3d-4e8f-9a61-2c4d6e8f0a1b';
const SERVICE_URL = 'http://127.0.0.1:1/unused';

const channelKey = createSigningKey('channel-key-1');
const teamsOnlyKey = createSigningKey('teams-only-key');
const strangerKey = createSigningKey('stranger-key');

let metadata: MetadataServer;
let bot: TestBot;

beforeAll(async () => {
  // The SDK console.error()s every rejected token; keep the test output readable.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  metadata = await startMetadataServer([
    { key: channelKey, endorsements: ['webchat', 'directline', 'msteams', 'slack', 'emulator', 'test'] },
    { key: teamsOnlyKey, endorsements: ['msteams'] },
  ]);
  bot = await startTestBot({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-password',
    ToBotFromChannelOpenIdMetadataUrl: metadata.channelMetadataUrl,
    ToBotFromChannelTokenIssuer: CHANNEL_TOKEN_ISSUER,
    ToBotFromEmulatorOpenIdMetadataUrl: metadata.emulatorMetadataUrl,
  });
});

afterAll(async () => {
  await bot?.stop();
  await metadata?.close();
  vi.restoreAllMocks();
});

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: CHANNEL_TOKEN_ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now - 60, exp: now + 3600, ...overrides };
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** One webchat message (the customer's symptom and code) with the given headers. */
async function send(headers: Record<string, string>, channelId = 'webchat'): Promise<Response> {
  const chat = new Chat(bot.url, { channelId });
  return postActivity(bot.url, chat.activity({ text: `it says missed the sale, my code is ${DEMO_CODES['job-archived']}` }), headers);
}

async function statusOf(headers: Record<string, string>, channelId?: string): Promise<number> {
  const response = await send(headers, channelId);
  await response.arrayBuffer();
  return response.status;
}

describe('channel authentication with app credentials', () => {
  it('accepts a valid channel token and answers with the replies', async () => {
    const response = await send(bearer(signJwt(claims(), channelKey)));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { activities: { text?: string }[] };
    expect(body.activities.length).toBeGreaterThan(0);
    expect(lastDiagnosis(body.activities).scenario).toBe('job-archived');
    expect(metadata.hits.get('/keys')).toBeGreaterThanOrEqual(1);
  });

  it('accepts a token signed with a key endorsed for exactly the activity channel', async () => {
    expect(await statusOf(bearer(signJwt(claims(), teamsOnlyKey)), 'msteams')).toBe(200);
  });

  it('rejects a request without Authorization header with 401', async () => {
    expect(await statusOf({})).toBe(401);
  });

  it('rejects an empty or non-Bearer Authorization header with 401', async () => {
    expect(await statusOf({ authorization: '' })).toBe(401);
    expect(await statusOf({ authorization: `Basic ${signJwt(claims(), channelKey)}` })).toBe(401);
    expect(await statusOf({ authorization: 'Bearer' })).toBe(401);
  });

  it('rejects an expired token (beyond the 5 minutes of clock tolerance) with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await statusOf(bearer(signJwt(claims({ nbf: now - 7200, exp: now - 600 }), channelKey)))).toBe(401);
  });

  it('tolerates a token that expired less than 5 minutes ago (SDK clock tolerance)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await statusOf(bearer(signJwt(claims({ nbf: now - 3600, exp: now - 60 }), channelKey)))).toBe(200);
  });

  it('rejects a token for another bot (wrong aud) with 401', async () => {
    expect(await statusOf(bearer(signJwt(claims({ aud: 'another-bot-app-id' }), channelKey)))).toBe(401);
    expect(await statusOf(bearer(signJwt(claims({ aud: undefined }), channelKey)))).toBe(401);
  });

  it('rejects a token from another issuer (wrong iss) with 401', async () => {
    expect(await statusOf(bearer(signJwt(claims({ iss: 'https://evil.example.com' }), channelKey)))).toBe(401);
    // An issuer the SDK takes for the Emulator goes to the emulator metadata, which has no keys.
    const emulatorIssuer = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
    expect(await statusOf(bearer(signJwt(claims({ iss: emulatorIssuer, ver: '1.0', appid: APP_ID }), channelKey)))).toBe(401);
  });

  it('rejects a token whose kid is not in the key set with 401', async () => {
    expect(await statusOf(bearer(signJwt(claims(), strangerKey)))).toBe(401);
  });

  it('rejects a token minted for another serviceUrl with 401', async () => {
    expect(await statusOf(bearer(signJwt(claims({ serviceurl: 'https://attacker.example.com/' }), channelKey)))).toBe(401);
    expect(await statusOf(bearer(signJwt(claims({ serviceurl: undefined }), channelKey)))).toBe(401);
  });

  it('rejects a token whose key is not endorsed for the activity channel with 401', async () => {
    expect(await statusOf(bearer(signJwt(claims(), teamsOnlyKey)), 'webchat')).toBe(401);
  });

  // The SDK alone answers 500 here (the token library's errors are not AuthenticationErrors); GalleryAdapter maps them.
  it('answers 401 to a bad signature made with a known kid', async () => {
    const forged = signJwt(claims(), { ...strangerKey, kid: channelKey.kid });
    expect(await statusOf(bearer(forged))).toBe(401);
  });

  it('never accepts a tampered payload under a valid signature', async () => {
    const [head, , signature] = signJwt(claims(), channelKey).split('.');
    const tampered = Buffer.from(JSON.stringify(claims({ aud: APP_ID, extra: 'x' }))).toString('base64url');
    expect(await statusOf(bearer(`${head}.${tampered}.${signature}`))).toBe(401);
  });

  it('never accepts alg "none" or a token that is not valid yet', async () => {
    const unsigned = signJwt(claims(), channelKey, { alg: 'none' }).split('.').slice(0, 2).join('.') + '.';
    expect(await statusOf(bearer(unsigned))).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect(await statusOf(bearer(signJwt(claims({ nbf: now + 3600 }), channelKey)))).toBe(401);
  });

  it('rejects garbage in the Authorization header and stays healthy', async () => {
    expect(await statusOf({ authorization: 'Bearer garbage' })).toBe(401);
    expect(await statusOf({ authorization: 'Bearer a.b.c' })).toBe(401);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('local mode (no MicrosoftAppId)', () => {
  it('accepts any request, even with a garbage Authorization header (never expose this mode)', async () => {
    const local = await startTestBot();
    try {
      const chat = new Chat(local.url);
      const response = await postActivity(local.url, chat.activity({ text: `missed the sale ${DEMO_CODES['job-archived']}` }), {
        authorization: 'Bearer garbage',
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { activities: { text?: string }[] };
      expect(lastDiagnosis(body.activities).scenario).toBe('job-archived');
    } finally {
      await local.stop();
    }
  });
});
