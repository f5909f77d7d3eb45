import type { Activity } from 'botbuilder';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localizer } from '../../src/language/messages.js';
import { projectRoot } from '../../src/projectRoot.js';
import { type Azurite, startAzurite } from '../support/azurite.js';
import { postActivity, startTestBot, type TestBot } from '../support/botServer.js';
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
let serviceUrl: string;
let azurite: Azurite;
let folder: string;
let platform: string;
let one: TestBot;
let two: TestBot;

beforeAll(async () => {
  [serviceUrl, azurite, folder] = await Promise.all([connector.start(), startAzurite(), mkdtemp(join(tmpdir(), 'two-instances-notices-'))]);
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

let counter = 0;

/** One conversation over /api/messages; `say` returns what the connector received for it during the turn. */
class Conversation {
  readonly conversationId: string;
  private sent = 0;

  constructor(private readonly fields: { channelId: string; locale: string; from: Record<string, string> }) {
    counter += 1;
    this.conversationId = `${fields.channelId}-two-instances-${process.pid}-${counter}`;
  }

  received(): Partial<Activity>[] {
    return connector.activitiesOf(this.conversationId);
  }

  async send(bot: TestBot, fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    const before = this.received().length;
    this.sent += 1;
    const response = await postActivity(bot.url, {
      type: 'message',
      id: `${this.conversationId}-${this.sent}`,
      channelId: this.fields.channelId,
      serviceUrl,
      conversation: { id: this.conversationId } as Activity['conversation'],
      from: this.fields.from as unknown as Activity['from'],
      recipient: { id: 'bot', name: 'Gallery Access Assistant' } as Activity['recipient'],
      locale: this.fields.locale,
      timestamp: new Date(),
      ...fields,
    });
    expect(response.status, await response.text()).toBe(200);
    return this.received().slice(before);
  }
}

const de = localizer('de-DE', 'photographer');
const en = localizer('en-US', 'customer');

describe('proactive messages across two instances', () => {
  it('reach the photographer from the other instance, update one notice, and tell each customer once', async () => {
    const lena = new Conversation({ channelId: 'msteams', locale: 'de-DE', from: { id: '29:lena-teams', name: 'Lena Brandt', aadObjectId: DEMO_PHOTOGRAPHERS.lena.msteams.at(-1)! } });
    expect((await lena.send(one, { text: 'Hallo' })).length).toBeGreaterThan(0);

    // The first customer talks to the other instance only.
    const first = new Conversation({ channelId: 'webchat', locale: 'en-US', from: { id: 'parent-a', name: 'Parent' } });
    await first.send(two, { text: `it says missed the sale, my code is ${ARCHIVED.code}` });
    const agreed = await first.send(two, { text: t('en-US', 'notify.yes') });
    expect(agreed[0]?.text).toBe(t('en-US', 'customer.notify.sent', { later: 'yes' }));
    const notices = () => connector.posts.filter((post) => post.conversationId === lena.conversationId && post.replyToId === null);
    expect(notices()).toHaveLength(1);

    // The second customer, on the first instance, within the hour: the same notice, now counting two.
    const second = new Conversation({ channelId: 'webchat', locale: 'en-US', from: { id: 'parent-b', name: 'Parent' } });
    await second.send(one, { text: `it says missed the sale, my code is ${SECOND_CODE}` });
    await second.send(one, { text: t('en-US', 'notify.yes') });
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
    for (const [index, step] of steps.entries()) done = await lena.send(instances[index % 2]!, step);
    expect(entityOf(done.at(-1))).toMatchObject({ role: 'photographer' });
    expect(done.flatMap(replyLines).join('\n')).toContain(de.t('change.customersTold', { count: 2 }));

    // Each customer's conversation: told once, in their language.
    const open = en.t('customer.galleryOpen', { again: 'yes', until: 'date', date: 'December 20, 2026' });
    for (const customer of [first, second]) expect(customer.received().filter((activity) => activity.text === open)).toHaveLength(1);
  }, 120_000);
});
