import type { Activity } from 'botbuilder';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localizer } from '../../src/language/messages.js';
import { projectRoot } from '../../src/projectRoot.js';
import { type Azurite, startAzurite } from '../support/azurite.js';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { ConnectorConversation } from '../support/connectorConversation.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { DEMO_CASES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { entityOf } from '../support/directLineClient.js';
import { jobIn, replyLines } from '../support/photographerChat.js';
import { t } from './e2eSupport.js';

/**
 * Proactive messages with two instances on one Azure Blob container, every turn delivered
 * the normal way (replies posted to a Bot Connector stand-in): the photographer talked to
 * one instance, the customers talk to the other, and the notice still reaches her; the
 * second customer's request updates that same notice from the other instance; the fix,
 * its turns alternating between the instances, tells each waiting customer exactly once.
 */

/** The demo data's "today" (demo/README.md), so the new archive date is in the future. */
const DEMO_TODAY = new Date('2026-11-27T10:00:00Z');
const NEW_DATE = '2026-12-20';
const ARCHIVED = DEMO_CASES['job-archived'];
const JOB_ID = ARCHIVED.jobId!;
/** A second code of the same archived job. */
const SECOND_CODE = 'ZKN8SJ3E';

const connector = new ConnectorStandIn();
let azurite: Azurite;
let folder: string;
let platform: string;
let one: TestBot;
let two: TestBot;

beforeAll(async () => {
  [, azurite, folder] = await Promise.all([connector.start(), startAzurite(), mkdtemp(join(tmpdir(), 'two-instances-notices-'))]);
  // One platform behind both instances, as the real platform API would be.
  platform = join(folder, 'platform.json');
  await copyFile(join(projectRoot(), 'demo', 'platform.json'), platform);
  const env = { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: 'notices', PLATFORM_DATA: platform };
  [one, two] = await Promise.all([startTestBot(env, { now: () => DEMO_TODAY }), startTestBot(env, { now: () => DEMO_TODAY })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await Promise.all([azurite?.stop(), connector.stop()]);
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

const de = localizer('de-DE', 'photographer');
const en = localizer('en-US', 'customer');

describe('proactive messages across two instances', () => {
  it('reach the photographer from the other instance, update one notice, and tell each customer once', async () => {
    const lena = new ConnectorConversation(connector, one.url, { channelId: 'msteams', locale: 'de-DE', from: { id: '29:lena-teams', name: 'Lena Brandt', aadObjectId: DEMO_PHOTOGRAPHERS.lena.msteams.at(-1)! } });
    expect((await lena.send({ text: 'Hallo' }, one.url)).length).toBeGreaterThan(0);

    // The first customer talks to the other instance only.
    const first = new ConnectorConversation(connector, one.url, { channelId: 'webchat', locale: 'en-US', from: { id: 'parent-a', name: 'Parent' } });
    await first.send({ text: `it says missed the sale, my code is ${ARCHIVED.code}` }, two.url);
    const agreed = await first.send({ text: t('en-US', 'notify.yes') }, two.url);
    expect(agreed[0]?.text).toBe(t('en-US', 'customer.notify.sent', { later: 'yes' }));
    const notices = () => connector.posts.filter((post) => post.conversationId === lena.conversationId && post.replyToId === null);
    expect(notices()).toHaveLength(1);

    // The second customer, on the first instance, within the hour: the same notice, now counting two.
    const second = new ConnectorConversation(connector, one.url, { channelId: 'webchat', locale: 'en-US', from: { id: 'parent-b', name: 'Parent' } });
    await second.send({ text: `it says missed the sale, my code is ${SECOND_CODE}` }, one.url);
    await second.send({ text: t('en-US', 'notify.yes') }, one.url);
    expect(notices()).toHaveLength(1);
    expect(connector.updates).toHaveLength(1);
    expect(connector.updates[0]?.conversationId).toBe(lena.conversationId);
    const jobName = (await jobIn(platform, JOB_ID)).name;
    expect(replyLines(connector.updates[0]!.activity)[0]).toBe(de.t('photographer.notice.title', { count: 2, job: jobName }));

    // The fix from the notice's button, its turns alternating between the instances.
    const instances = [two, one];
    const steps: Partial<Activity>[] = [
      { value: { choice: `fix-job:${JOB_ID}` } },
      { value: { choice: 'auto' } },
      { value: { choice: 'date-input', date: NEW_DATE } },
      { value: { choice: 'yes' } },
    ];
    let done: Partial<Activity>[] = [];
    for (const [index, step] of steps.entries()) done = await lena.send(step, instances[index % 2]!.url);
    expect(entityOf(done.at(-1))).toMatchObject({ role: 'photographer' });
    expect(done.flatMap(replyLines).join('\n')).toContain(de.t('change.customersTold', { count: 2 }));

    // Each customer's conversation: told once, in their language.
    const open = en.t('customer.galleryOpen', { again: 'yes', until: 'date', date: 'December 20, 2026' });
    for (const customer of [first, second]) expect(customer.received().filter((activity) => activity.text === open)).toHaveLength(1);
  }, 120_000);
});
