import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { BlobStateStorage, openContainer } from '../../src/storage/blobStateStorage.js';
import { conversationStateKey } from '../../src/storage/sqliteStorage.js';
import { BlobCaseOutbox } from '../../src/handoff/blobCaseOutbox.js';
import { type Azurite, startAzurite } from '../support/azurite.js';
import { HelpdeskStandIn } from '../support/helpdeskStandIn.js';
import { postActivity, startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES, type DemoCodeName } from '../support/demoCodes.js';
import { LOCALES, t, type TestLocale } from './e2eSupport.js';

/**
 * Two real bot servers sharing one Azure Blob container (azurite in memory), as behind a
 * load balancer: 50 customer conversations whose turns alternate between the servers,
 * run side by side, with some activities delivered twice (to both servers at once, or
 * again later) and some turns of one conversation sent to both servers at once. Every
 * conversation must end where a single server ends it, turn by turn and in its stored
 * case, and every answer must be in the state.
 */

const CONVERSATIONS = 50;
/** Conversations in flight at once: enough to make the servers' turns interleave. */
const PARALLEL = 10;

let azurite: Azurite;
let reference: TestBot;
let one: TestBot;
let two: TestBot;
let shared: BlobStateStorage;
let alone: BlobStateStorage;
/** The helpdesks (generic webhooks) of the single server and of the pair. */
const helpdeskAlone = new HelpdeskStandIn({ status: 201, body: { id: 'ok' } });
const helpdeskPair = new HelpdeskStandIn({ status: 201, body: { id: 'ok' } });

function blobEnv(container: string, helpdesk: string): Record<string, string> {
  return { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: container, HANDOFF_WEBHOOK_URL: helpdesk };
}

beforeAll(async () => {
  azurite = await startAzurite();
  const [aloneUrl, pairUrl] = await Promise.all([helpdeskAlone.start(), helpdeskPair.start()]);
  const tickets = { tickets: { pollMs: 100 } };
  // The single server: the same storage, its own container.
  [reference, one, two] = await Promise.all([
    startTestBot(blobEnv('single-instance', aloneUrl), tickets),
    startTestBot(blobEnv('two-instances', pairUrl), tickets),
    startTestBot(blobEnv('two-instances', pairUrl), tickets),
  ]);
  shared = new BlobStateStorage(openContainer(azurite.connectionString, 'two-instances'));
  alone = new BlobStateStorage(openContainer(azurite.connectionString, 'single-instance'));
}, 120_000);

afterAll(async () => {
  await Promise.all([reference?.stop(), one?.stop(), two?.stop()]);
  await Promise.all([azurite?.stop(), helpdeskAlone.stop(), helpdeskPair.stop()]);
});

const SYMPTOM_TEXT: Record<TestLocale, string> = {
  'en-US': 'it says error, incorrect access code',
  'de-DE': 'Fehler, falscher Zugangscode',
  'fr-FR': "erreur, code d'accès incorrect",
  'nl-NL': 'fout, onjuiste toegangscode',
};

const CODE_NAMES = Object.keys(DEMO_CODES) as DemoCodeName[];

interface Script {
  conversationId: string;
  userId: string;
  locale: TestLocale;
  /** What the person sends, in order; null is joining the conversation. */
  inputs: (string | null)[];
  /** The turn delivered twice, and how: to both servers at once, or again to the other one afterwards. */
  duplicate: { turn: number; how: 'at once' | 'afterwards' } | null;
}

function scriptFor(index: number, run: string): Script {
  const locale = LOCALES[index % LOCALES.length]!;
  const name = CODE_NAMES[index % CODE_NAMES.length]!;
  const yes = (index >> 1) % 2 === 0;
  const answer = (key: 'notify' | 'feedback', positive: boolean) => t(locale, positive ? `${key}.yes` : `${key}.no`);
  const inputs = [
    null,
    SYMPTOM_TEXT[locale],
    formatAccessCode(DEMO_CODES[name]),
    answer('notify', yes),
    answer('feedback', !yes),
    `parent-${index}@example.com`,
  ];
  const duplicate = index % 3 === 0 ? { turn: 2 + (index % 4), how: 'at once' as const } : index % 3 === 1 ? { turn: 1 + (index % 5), how: 'afterwards' as const } : null;
  return { conversationId: `${run}-conversation-${index}`, userId: `${run}-parent-${index}`, locale, inputs, duplicate };
}

function activityOf(script: Script, turn: number): Partial<Activity> {
  const input = script.inputs[turn];
  const common = {
    id: `${script.conversationId}-activity-${turn}`,
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1:1/unused',
    deliveryMode: 'expectReplies',
    conversation: { id: script.conversationId } as Activity['conversation'],
    from: { id: script.userId, name: 'Parent' } as Activity['from'],
    recipient: { id: 'bot', name: 'Gallery Access Assistant' } as Activity['recipient'],
    locale: script.locale,
  };
  if (input === null || input === undefined) {
    return { ...common, type: 'conversationUpdate', membersAdded: [{ id: script.userId, name: 'Parent' }] as Activity['membersAdded'] };
  }
  return { ...common, type: 'message', text: input };
}

/** The bot's replies to one delivery, as the person sees them: texts, and whether it asks something. */
async function deliver(url: string, activity: Partial<Activity>): Promise<string[]> {
  const response = await postActivity(url, { ...activity, timestamp: new Date() });
  if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { activities?: Partial<Activity>[] };
  return (body.activities ?? []).map((reply) => `${reply.type}: ${reply.type === 'message' ? (reply.text ?? '') : (reply.name ?? '')}`);
}

/** One conversation on the single server, each activity once. */
async function runAlone(script: Script): Promise<string[][]> {
  const replies: string[][] = [];
  for (let turn = 0; turn < script.inputs.length; turn++) replies.push(await deliver(reference.url, activityOf(script, turn)));
  return replies;
}

interface Observed {
  replies: string[][];
  /** Replies to the second delivery of the duplicated activity. */
  duplicateReplies: string[] | null;
}

/** The same conversation on the pair: turn n on server (index + n) mod 2, the duplicate as the script says. */
async function runOnPair(script: Script, index: number): Promise<Observed> {
  const servers = [one.url, two.url];
  const replies: string[][] = [];
  let duplicateReplies: string[] | null = null;
  for (let turn = 0; turn < script.inputs.length; turn++) {
    const here = servers[(index + turn) % 2]!;
    const there = servers[(index + turn + 1) % 2]!;
    const activity = activityOf(script, turn);
    if (script.duplicate?.turn === turn && script.duplicate.how === 'at once') {
      const both = await Promise.all([deliver(here, activity), deliver(there, activity)]);
      // Either server may win the conversation: the other delivery is the redelivery.
      const answered = both.filter((delivered) => delivered.length > 0);
      replies.push(answered[0] ?? []);
      duplicateReplies = answered.length === 2 ? both[1]! : [];
    } else {
      replies.push(await deliver(here, activity));
      if (script.duplicate?.turn === turn) duplicateReplies = await deliver(there, activity);
    }
  }
  return { replies, duplicateReplies };
}

/**
 * "Added to your request (ticket …)" said as "added to your request": whether the helpdesk has
 * accepted the case by the next line depends on when a ticket worker came by (two instances
 * poll twice as often as one), not on the conversation.
 */
function ticketTimingIgnored(text: string, locale: TestLocale): string {
  return text.replace(t(locale, 'handoff.addedTicket', { ticket: 'ok' }), t(locale, 'handoff.added'));
}

function repliesCompared(replies: string[][], locale: TestLocale): string[][] {
  return replies.map((turn) => turn.map((reply) => ticketTimingIgnored(reply, locale)));
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!, index);
    }),
  );
  return results;
}

interface StoredCase {
  transcript: { from: string; text: string; at: string }[];
  [field: string]: unknown;
}

async function storedCase(storage: BlobStateStorage, script: Script): Promise<StoredCase | undefined> {
  const key = conversationStateKey('webchat', script.conversationId, script.userId);
  return ((await storage.read([key]))[key] as { case?: StoredCase } | undefined)?.case;
}

/** A stored case without what differs between any two runs (its random id, times). */
function comparable(stored: StoredCase | undefined, locale: TestLocale): unknown {
  if (stored === undefined) return undefined;
  const { id, handoffCaseId, handoffOpenedAt, transcript, ...rest } = stored;
  void id;
  return { ...rest, handoffCase: handoffCaseId !== null, handoffOpened: handoffOpenedAt !== null, transcript: transcript.map(({ from, text }) => ({ from, text: ticketTimingIgnored(text, locale) })) };
}

describe('two instances on one Azure Blob container', () => {
  it('end every conversation where one server ends it, with every answer in the state, redeliveries ignored', async () => {
    const scripts = Array.from({ length: CONVERSATIONS }, (_, index) => scriptFor(index, 'pair'));
    const expected = await inBatches(scripts, PARALLEL, runAlone);
    const observed = await inBatches(scripts, PARALLEL, runOnPair);

    let turns = 0;
    let duplicates = 0;
    let answersKept = 0;
    const ends = new Set<string>();
    for (const [index, script] of scripts.entries()) {
      const label = `conversation ${index}`;
      expect(repliesCompared(observed[index]!.replies, script.locale), label).toEqual(repliesCompared(expected[index]!, script.locale));
      turns += script.inputs.length;
      if (script.duplicate !== null) {
        duplicates += 1;
        expect(observed[index]!.duplicateReplies, `${label}: the second delivery is ignored`).toEqual([]);
      }
      const mine = await storedCase(shared, script);
      expect(comparable(mine, script.locale), label).toEqual(comparable(await storedCase(alone, script), script.locale));
      // Every answer of the open case, once and in order: a lost update would drop one, a
      // repeated redelivery would add one. (A case closed by the flow starts a new one.)
      const said = mine!.transcript.filter((line) => line.from === 'user').map((line) => line.text);
      const answers = script.inputs.filter((input): input is string => input !== null);
      expect(said.length, label).toBeGreaterThan(0);
      expect(said, label).toEqual(answers.slice(answers.length - said.length));
      ends.add(String(mine!.awaiting));
      answersKept += said.length;
    }
    expect(turns).toBe(CONVERSATIONS * 6);
    expect(duplicates).toBeGreaterThanOrEqual(30);
    // The scripts leave conversations in different places, not all at one end.
    expect(ends.size, [...ends].join(', ')).toBeGreaterThanOrEqual(3);
    expect(answersKept).toBeGreaterThan(CONVERSATIONS);

    // Every escalation yields one ticket: the pair's workers send each recorded case once, as many as the single server's.
    const pairOutbox = new BlobCaseOutbox(openContainer(azurite.connectionString, 'two-instances'));
    const aloneOutbox = new BlobCaseOutbox(openContainer(azurite.connectionString, 'single-instance'));
    for (const deadline = Date.now() + 120_000; (await pairOutbox.pending()).length + (await aloneOutbox.pending()).length > 0; ) {
      if (Date.now() > deadline) throw new Error('cases still waiting for their ticket after 2 minutes');
      await new Promise((tick) => setTimeout(tick, 200));
    }
    const cases = (await pairOutbox.list({ limit: 100 })).entries;
    const requestsOf = (helpdesk: HelpdeskStandIn) =>
      helpdesk.requests.filter((request) => String((request.body as { conversationId?: string }).conversationId).startsWith('pair-'));
    const isLine = (request: HelpdeskStandIn['requests'][number]) => (request.body as { type?: string }).type === 'case-line';
    const ticketsOf = (helpdesk: HelpdeskStandIn) => requestsOf(helpdesk).filter((request) => !isLine(request));
    const keys = ticketsOf(helpdeskPair).map((request) => request.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
    // A line written after its ticket was created reaches the ticket once, whichever worker sent it.
    const lineKeys = requestsOf(helpdeskPair).filter(isLine).map((request) => request.headers['idempotency-key']);
    expect(new Set(lineKeys).size).toBe(lineKeys.length);
    expect([...keys].sort()).toEqual(cases.map((entry) => entry.record.id).sort());
    const perConversation = (requests: ReturnType<typeof ticketsOf>) =>
      requests.map((request) => `${(request.body as { conversationId: string }).conversationId} ${(request.body as { kind: string }).kind}`).sort();
    expect(perConversation(ticketsOf(helpdeskPair))).toEqual(perConversation(ticketsOf(helpdeskAlone)));
    expect(keys.length).toBeGreaterThanOrEqual(10);
    console.info(
      `two instances: ${CONVERSATIONS} conversations, ${turns} turns, ${duplicates} delivered twice; ends: ${[...ends].join(', ')}; answers in state: ${answersKept}; tickets: ${keys.length} for ${cases.length} cases`,
    );
  }, 600_000);

  it('keeps both of two turns of one conversation that arrive at the two servers at once', async () => {
    const scripts = Array.from({ length: 10 }, (_, index) => scriptFor(index, 'together'));
    await inBatches(scripts, PARALLEL, async (script, index) => {
      // The first turns, alternating, then two messages at once, one to each server.
      for (let turn = 0; turn < 3; turn++) await deliver([one.url, two.url][(index + turn) % 2]!, activityOf(script, turn));
      const first = { ...activityOf(script, 3), id: `${script.conversationId}-first-of-two`, text: 'hello, is anyone there' };
      const second = { ...activityOf(script, 3), id: `${script.conversationId}-second-of-two`, text: 'my daughter is in class 4b' };
      const [repliesOne, repliesTwo] = await Promise.all([deliver(one.url, first), deliver(two.url, second)]);
      // The bot never goes silent, whichever turn came first.
      expect(repliesOne.length, `conversation ${index}`).toBeGreaterThan(0);
      expect(repliesTwo.length, `conversation ${index}`).toBeGreaterThan(0);
      const said = (await storedCase(shared, script))!.transcript.filter((line) => line.from === 'user').map((line) => line.text);
      expect(said.slice(0, 2)).toEqual([script.inputs[1], script.inputs[2]]);
      expect(said.slice(2).sort()).toEqual([first.text, second.text].sort());
    });
  }, 300_000);
});
