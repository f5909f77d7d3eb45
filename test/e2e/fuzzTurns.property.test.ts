import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Activity } from 'botbuilder';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseStateSchema } from '../../src/bot/caseStateSchema.js';
import { loadConfig } from '../../src/config.js';
import { translate } from '../../src/language/messages.js';
import { createLogger } from '../../src/logger.js';
import { type RunningBot, startBot } from '../../src/main.js';
import { projectRoot } from '../../src/projectRoot.js';
import { DIAGNOSIS_ENTITY_TYPE } from '../../src/channels/diagnosisEntity.js';
import { postActivity } from '../support/botServer.js';
import { DEMO_CODES, PLAYGROUND_AAD_OBJECT_ID } from '../support/demoCodes.js';

/**
 * Issue #10, robust turns: random sequences of activities, sent through the real server
 * and the real CloudAdapter to the bot on SQLite, the way a hostile or broken client
 * could send them: text in many scripts up to 100,000 characters, zero-width and
 * right-to-left marks, HTML and escaped HTML, card values of every shape, unknown activity
 * types, events, invokes, missing fields, repeated ids and turns out of order.
 *
 * After every activity: no turn failed (no 5xx, no apology, no "turn failed" log), every
 * message turn with a new id got an answer with the diagnosis entity, the stored case is
 * valid against its zod schema, and no reply, stored transcript or recorded case holds
 * user input as live HTML. The totals are printed for the closing note.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

// ---------------------------------------------------------------------------------------
// What people (and attackers) type.

/** Characters of many scripts, and the invisible ones that ride along in copied text. */
const SCRIPT_RANGES: readonly [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0xc0, 0x17f], // Latin-1 and Extended-A (de, fr, nl)
  [0x391, 0x3c9], // Greek
  [0x410, 0x44f], // Cyrillic
  [0x5d0, 0x5ea], // Hebrew
  [0x620, 0x64a], // Arabic
  [0x900, 0x97f], // Devanagari
  [0xe01, 0xe5b], // Thai
  [0x3041, 0x30ff], // Hiragana, Katakana
  [0x4e00, 0x4fff], // CJK
  [0xac00, 0xad00], // Hangul
  [0x1f300, 0x1f64f], // emoji
];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

const scriptChar = fc.oneof(
  ...SCRIPT_RANGES.map(([from, to]) => fc.integer({ min: from, max: to }).map((code) => String.fromCodePoint(code))),
  fc.constantFrom(...INVISIBLE),
  fc.constantFrom(' ', '\n', '\t', '\u00a0'),
);
const scriptText = fc.array(scriptChar, { maxLength: 120 }).map((chars) => chars.join(''));

/** Tag names injected as HTML; the check below looks for exactly these coming back alive. */
const TAGS = ['img', 'script', 'svg', 'iframe', 'a', 'b', 'div', 'style', 'at', 'object', 'body'];
const htmlText = fc
  .tuple(fc.constantFrom(...TAGS), scriptText, fc.constantFrom('plain', 'escaped', 'double-escaped', 'unclosed'))
  .map(([tag, inner, form]) => {
    const live = `<${tag} src=x onerror=alert(1)>${inner}</${tag}>`;
    if (form === 'escaped') return live.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    if (form === 'double-escaped') return live.replace(/</g, '&amp;lt;').replace(/>/g, '&amp;gt;');
    if (form === 'unclosed') return `<${tag} onerror=alert(1) ${inner}`;
    return live;
  });

/** A demo code with invisible characters, spaces or dashes inside, as copied from a letter. */
const mangledCode = fc
  .tuple(fc.constantFrom(...Object.values(DEMO_CODES)), fc.array(fc.tuple(fc.nat(8), fc.constantFrom(...INVISIBLE, ' ', '-', '\u2011')), { maxLength: 3 }))
  .map(([code, inserts]) => {
    const chars = [...code];
    for (const [at, mark] of inserts) chars.splice(Math.min(at, chars.length), 0, mark);
    return chars.join('');
  });

const PHRASES = [
  'my photos are almost ready',
  'it says incorrect access code',
  'missed the sale',
  'Verkauf verpasst',
  'vente manquée',
  'bijna klaar',
  'restart',
  'help',
  'agent',
  'Mitarbeiter',
  'yes',
  'no',
  'ja',
  'nee',
  'done',
  'do it for me',
  "didn't work",
  'next Sunday',
  'in 3 weeks',
  '31.02.2027',
  '2026-12-20',
  'parent@example.com',
  'not an email @',
];

const longText = fc
  .tuple(fc.constantFrom('a', 'ab1 ', 'مرحبا ', '你好', '😀', '\u200b', '<b>', '&lt;'), fc.integer({ min: 1_000, max: 100_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PHRASES) },
  { weight: 3, arbitrary: mangledCode },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...PHRASES), mangledCode).map(([phrase, code]) => `${phrase} ${code}`) },
  { weight: 2, arbitrary: scriptText },
  { weight: 2, arbitrary: htmlText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: longText },
);

/** Card values of every shape: the ones the bot's cards send, with the wrong types, and anything. */
const cardValue = fc.oneof(
  fc.record({ choice: fc.oneof(fc.constantFrom('almost-ready', 'incorrect-code', 'missed-sale', 'other', 'yes', 'no', 'auto', 'walk', 'done', 'failed', 'customer', 'photographer', 'date-input', 'job-4102'), fc.string()), question: fc.oneof(fc.nat(40), fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }),
  fc.record({ choice: fc.constant('date-input'), date: fc.oneof(fc.string(), fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toISOString().slice(0, 10)))) }),
  fc.record({ text: fc.oneof(text, fc.anything()) }),
  fc.anything({ maxDepth: 3 }),
);

// ---------------------------------------------------------------------------------------
// Activities.

interface Person {
  channelId: string;
  from: Record<string, unknown>;
  channelData?: unknown;
}

const person: fc.Arbitrary<Person> = fc.oneof(
  fc.nat(5).map((n) => ({ channelId: 'webchat', from: { id: `fuzz-parent-${n}` } })),
  fc.nat(5).map((n) => ({ channelId: 'directline', from: { id: `dl_fuzz-${n}` } })),
  fc.constant({ channelId: 'msteams', from: { id: '29:fuzz-lena', aadObjectId: PLAYGROUND_AAD_OBJECT_ID } }),
  fc.uuid().map((aad) => ({ channelId: 'msteams', from: { id: `29:${aad}`, aadObjectId: aad } })),
  fc.constant({ channelId: 'slack', from: { id: 'U0FUZZ:T0FUZZ' } }),
  fc.constant({ channelId: 'emulator', from: { id: 'emulator-user' } }),
  fc.constantFrom('test', 'skype', 'x-unknown-channel').map((channelId) => ({ channelId, from: { id: 'someone' } })),
);

type Step =
  | { kind: 'message'; text?: string; value?: unknown; attachments?: boolean }
  | { kind: 'invoke'; name: string; value: unknown }
  | { kind: 'event'; name: string; value: unknown }
  | { kind: 'other'; type: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('message' as const), text }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('message' as const), value: cardValue, text: fc.option(text, { nil: undefined }) }, { requiredKeys: ['kind', 'value'] }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('message' as const), attachments: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'message' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('invoke' as const), name: fc.constantFrom('adaptiveCard/action', 'composeExtension/query', 'task/fetch', 'signin/verifyState', ''), value: fc.oneof(fc.record({ action: fc.record({ type: fc.constant('Action.Execute'), data: cardValue }) }), fc.anything({ maxDepth: 2 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('event' as const), name: fc.constantFrom('webchat/join', 'handoff.status', 'tokens/response', 'x'), value: fc.anything({ maxDepth: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('other' as const), type: fc.constantFrom('conversationUpdate', 'typing', 'messageReaction', 'endOfConversation', 'installationUpdate', 'messageUpdate', 'messageDelete', 'trace', 'handoff', 'x-unknown', 'MESSAGE') }) },
);

/** How an activity differs from a well-formed one: fields left out, an old id again, a time out of order. */
const quirks = fc.record({
  drop: fc.subarray(['id', 'locale', 'recipient', 'timestamp', 'from.name', 'text'] as const),
  repeatId: fc.boolean(),
  locale: fc.constantFrom('en-US', 'de-DE', 'fr-FR', 'nl-NL', 'es-ES', 'xx', '', 5, null),
  timestampShift: fc.integer({ min: -400 * 86_400_000, max: 400 * 86_400_000 }),
  /** Now and then a field the protocol requires is missing: that is a 400, never a 500. */
  broken: fc.oneof(
    { weight: 15, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom('from', 'from.id', 'conversation', 'conversation.id', 'type', 'channelId', 'serviceUrl') },
  ),
});

const sequence = fc.record({ person, steps: fc.array(fc.tuple(step, quirks), { minLength: 1, maxLength: 12 }) });

// ---------------------------------------------------------------------------------------
// The bot, its SQLite file and what the checks read.

let bot: RunningBot;
let folder: string;
let state: Database.Database;
const logLines: string[] = [];
const APOLOGIES = ['en', 'de', 'fr', 'nl'].flatMap((language) => [translate(language as 'en', 'error.generic'), translate(language as 'en', 'error.caseDropped')]);
/** User input coming back as a live tag: `<img ...`, `</script`, `<at>`. */
const LIVE_HTML = new RegExp(`<\\s*/?\\s*(${TAGS.join('|')})\\b`, 'i');

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gallery-fuzz-'));
  const dataFile = join(folder, 'platform.json');
  await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
  const env = { PORT: '0', HOST: '127.0.0.1', STORAGE: 'sqlite', STORAGE_PATH: join(folder, 'bot.sqlite'), PLATFORM_DATA: dataFile, LOG_LEVEL: 'warn' };
  bot = await startBot(loadConfig(env), env, createLogger('warn', (line) => logLines.push(line)));
  state = new Database(join(folder, 'bot.sqlite'), { readonly: true, fileMustExist: true });
});

afterAll(async () => {
  state?.close();
  await bot?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

function storedState(channelId: string, conversationId: string, userId: string): Record<string, unknown> | null {
  // PrivateConversationState's key: channel, conversation, user, then its namespace.
  const row = state
    .prepare<[string], { document: string }>("SELECT document FROM bot_state WHERE key LIKE ? ESCAPE '\\'")
    .get(`${`${channelId}/conversations/${conversationId}/users/${userId}/`.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return row === undefined ? null : (JSON.parse(row.document) as Record<string, unknown>);
}

function visibleText(reply: Partial<Activity>): string {
  // Events are not shown: handoff.initiate carries the transcript, the person's words as they wrote them, for the agent hub.
  if (reply.type !== undefined && reply.type !== 'message') return '';
  return JSON.stringify([reply.text ?? '', reply.speak ?? '', reply.attachments ?? [], reply.suggestedActions ?? []]);
}

interface Totals {
  sequences: number;
  activities: number;
  messageTurns: number;
  answered: number;
  redeliveries: number;
  refused400: number;
  longest: number;
  statesChecked: number;
}

const totals: Totals = { sequences: 0, activities: 0, messageTurns: 0, answered: 0, redeliveries: 0, refused400: 0, longest: 0, statesChecked: 0 };
let conversationCounter = 0;

async function runSequence({ person: who, steps }: (typeof sequence extends fc.Arbitrary<infer T> ? T : never)): Promise<void> {
  conversationCounter += 1;
  totals.sequences += 1;
  const conversationId = `fuzz-${process.pid}-${conversationCounter}`;
  const sentIds: string[] = [];
  const base = Date.now();
  for (const [index, [current, quirk]] of steps.entries()) {
    const fresh = `${conversationId}-a${index}`;
    const id = quirk.repeatId && sentIds.length > 0 ? sentIds[index % sentIds.length]! : fresh;
    const activity: Record<string, unknown> = {
      id,
      channelId: who.channelId,
      serviceUrl: 'http://127.0.0.1:1/unused',
      deliveryMode: 'expectReplies',
      conversation: { id: conversationId },
      from: { name: 'Fuzz', ...who.from },
      recipient: { id: 'bot', name: 'Gallery Access Assistant' },
      locale: quirk.locale,
      timestamp: new Date(base + quirk.timestampShift).toISOString(),
    };
    switch (current.kind) {
      case 'message':
        Object.assign(activity, { type: 'message', text: current.text, value: current.value });
        if (current.attachments) activity.attachments = [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:1/screenshot.png', name: 'screenshot.png' }];
        break;
      case 'invoke':
        Object.assign(activity, { type: 'invoke', name: current.name, value: current.value });
        break;
      case 'event':
        Object.assign(activity, { type: 'event', name: current.name, value: current.value });
        break;
      case 'other':
        Object.assign(activity, { type: current.type, membersAdded: current.type === 'conversationUpdate' ? [who.from] : undefined });
        break;
    }
    for (const field of quirk.drop) {
      if (field === 'from.name') delete (activity.from as Record<string, unknown>).name;
      else delete activity[field];
    }
    if (quirk.broken === 'from.id') delete (activity.from as Record<string, unknown>).id;
    else if (quirk.broken === 'conversation.id') delete (activity.conversation as Record<string, unknown>).id;
    else if (quirk.broken === 'serviceUrl') Object.assign(activity, { serviceUrl: undefined, deliveryMode: undefined });
    else if (quirk.broken !== null) delete activity[quirk.broken];
    if (typeof activity.text === 'string') totals.longest = Math.max(totals.longest, activity.text.length);
    const repeated = typeof activity.id === 'string' && sentIds.includes(activity.id);
    if (typeof activity.id === 'string' && !repeated) sentIds.push(activity.id);

    const logsBefore = logLines.length;
    const response = await postActivity(bot.url, activity as Partial<Activity>);
    totals.activities += 1;
    const what = `${who.channelId} ${String(activity.type)} #${index} ${JSON.stringify(activity).slice(0, 300)}`;
    expect(response.status, what).toBeLessThan(500);
    const body = await response.text();
    const failures = logLines.slice(logsBefore).filter((line) => /"turn failed"|"request failed"/.test(line));
    expect(failures, what).toEqual([]);
    if (quirk.broken !== null) {
      expect(response.status, what).toBe(400);
      totals.refused400 += 1;
      continue;
    }
    expect(response.status, what).toBe(200);
    const replies = body === '' ? [] : (((JSON.parse(body) as { activities?: Partial<Activity>[] }).activities ?? []) as Partial<Activity>[]);
    for (const reply of replies) {
      const shown = visibleText(reply);
      for (const apology of APOLOGIES) expect(shown, what).not.toContain(apology);
      expect(shown, what).not.toMatch(LIVE_HTML);
    }
    const isMessage = activity.type === 'message';
    if (isMessage) {
      totals.messageTurns += 1;
      if (repeated) totals.redeliveries += 1;
      else {
        // Every message turn gets an answer, and every answer carries the diagnosis entity.
        expect(replies.length, what).toBeGreaterThan(0);
        totals.answered += 1;
        for (const reply of replies) {
          if (reply.type !== 'message') continue;
          expect(reply.entities?.filter((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE), what).toHaveLength(1);
        }
      }
    }

    const userId = String((activity.from as { id: string }).id);

    const stored = storedState(who.channelId, conversationId, userId);
    if (stored !== null && stored.case !== undefined) {
      totals.statesChecked += 1;
      const parsed = caseStateSchema.safeParse(stored.case);
      expect(parsed.success ? [] : parsed.error.issues, `${what}\nstate: ${JSON.stringify(stored.case).slice(0, 2000)}`).toEqual([]);
      for (const line of (stored.case as { transcript: { text: string }[] }).transcript) expect(line.text, what).not.toMatch(LIVE_HTML);
    }
  }
}

describe('random sequences of activities through the real adapter', () => {
  it(`${RUNS} sequences: no turn fails, every message is answered, the state stays valid, no live HTML`, async () => {
    await fc.assert(fc.asyncProperty(sequence, runSequence), { numRuns: RUNS, endOnFailure: true });
    // Recorded cases (the transcript a helpdesk reads) hold no live HTML either.
    for (const record of await bot.outbox.pending(10_000)) {
      for (const line of record.transcript) expect(line.text).not.toMatch(LIVE_HTML);
    }
    expect(totals.answered).toBeGreaterThan(0);
    expect(totals.statesChecked).toBeGreaterThan(totals.answered / 2); // the checks really read the stored state
    console.info(
      `fuzzed: ${totals.sequences} sequences, ${totals.activities} activities, ${totals.messageTurns} message turns (${totals.answered} answered, ${totals.redeliveries} redeliveries), ${totals.refused400} refused 400, ${totals.statesChecked} stored states validated, longest text ${totals.longest} chars`,
    );
  }, 600_000);
});

describe('zero-width characters inside a code', () => {
  it.each([
    ['zero-width space', 'MXR2\u200b9PLT'],
    ['word joiner and BOM', 'M\u2060XR29\ufeffPLT'],
    ['soft hyphen', 'MXR2\u00ad9PLT'],
    ['right-to-left marks', '\u200fMXR2 9PLT\u200e'],
    ['zero-width joiner inside a group', 'MX\u200dR2 9P\u200cLT'],
  ])('are ignored (%s)', async (_name, code) => {
    const response = await postActivity(bot.url, {
      type: 'message',
      id: `zw-${code.length}-${Math.random()}`,
      channelId: 'webchat',
      serviceUrl: 'http://127.0.0.1:1/unused',
      deliveryMode: 'expectReplies',
      conversation: { id: `zero-width-${Math.random()}` } as Activity['conversation'],
      from: { id: `zw-parent-${Math.random()}` } as Activity['from'],
      recipient: { id: 'bot' } as Activity['recipient'],
      locale: 'en-US',
      text: `it says missed the sale, my code is ${code}`,
    });
    expect(response.status).toBe(200);
    const { activities } = (await response.json()) as { activities: Partial<Activity>[] };
    const entity = activities.at(-1)?.entities?.find((candidate) => candidate.type === DIAGNOSIS_ENTITY_TYPE) as { scenario?: string } | undefined;
    expect(entity?.scenario).toBe('job-archived');
  });
});
