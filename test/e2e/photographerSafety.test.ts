import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { addDays, suggestArchiveDates, todayIn } from '../../src/domain/archiveDate.js';
import type { JobChange } from '../../src/platform/port.js';
import { localizer, translate } from '../../src/language/messages.js';
import { projectRoot } from '../../src/projectRoot.js';
import { postActivity, type TestBot, startTestBot } from '../support/botServer.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import {
  allText,
  cardOf,
  checkContract,
  choicesOf,
  ContractChat,
  entityOf,
  jobIn,
  lastEntity,
  replyLines,
  slackUser,
  teamsPhotographer,
  teamsUser,
} from '../support/photographerChat.js';

/**
 * Issue 3, "safe actions": only the job's photographer sees or changes it, whatever is typed;
 * unmapped Teams and Slack users and typed roles get guidance without data; a redelivered
 * activity or a double click applies a change once; a refusal or an outage is said plainly and
 * leaves the data as it was.
 */

const ARCHIVED = DEMO_CASES['job-archived'];
const JOB_ID = ARCHIVED.jobId!;
const LENA = DEMO_PHOTOGRAPHERS.lena;

interface DemoJob {
  id: string;
  name: string;
  archiving: { date: string | null };
}

const DEMO_JOBS: DemoJob[] = JSON.parse(await readFile(join(projectRoot(), 'demo', 'platform.json'), 'utf8')).jobs as DemoJob[];
const ARCHIVED_JOB = DEMO_JOBS.find((job) => job.id === JOB_ID)!;

/** What must not appear about Lena's archived job to anyone who may not see it: its name, its date, its owner. */
function detailsOfLenasJob(): string[] {
  const date = ARCHIVED_JOB.archiving.date!;
  const [year, month, day] = date.split('-');
  return [
    ARCHIVED_JOB.name,
    'Herbst',
    'Grundschule',
    LENA.name,
    'Brandt',
    date,
    `${day}.${month}.${year}`,
    `${day}/${month}/${year}`,
    ...['en-US', 'de-DE', 'fr-FR', 'nl-NL'].map((locale) => localizer(locale).longDate(date)),
  ];
}

function expectNoDetail(replies: readonly Partial<Activity>[]): void {
  const text = allText(replies);
  for (const detail of detailsOfLenasJob()) expect(text, `"${detail}" in ${JSON.stringify(text)}`).not.toContain(detail);
}

function today(): string {
  return todayIn(LENA.timeZone, new Date());
}

/** Lena over Teams up to the confirmation of a reopen with the third suggested Sunday. */
async function lenaAtConfirm(url: string, chat = teamsPhotographer(url, 'lena')): Promise<{ chat: ContractChat; date: string; yes: Record<string, unknown> }> {
  await chat.say(`Verkauf verpasst, Code ${ARCHIVED.code}`);
  await chat.submit({ choice: 'auto' });
  const date = suggestArchiveDates(today())[2]!;
  const summary = await chat.submit({ choice: date });
  expect(lastEntity(summary)).toMatchObject({ awaiting: 'confirm', scenario: 'job-archived' });
  // The data the confirmation card's "yes" button sends, as Teams would submit it.
  const yes = cardOf(summary.at(-1))?.actions?.find((action) => action.data?.choice === 'yes')?.data as Record<string, unknown>;
  expect(yes).toMatchObject({ choice: 'yes', question: expect.any(Number) });
  return { chat, date, yes };
}

function doneReplies(chat: ContractChat, replies: readonly Partial<Activity>[]): Partial<Activity>[] {
  return replies.filter((reply) => replyLines(reply)[0] === chat.t('change.doneTitle'));
}

describe('authorization and roles', () => {
  let bot: TestBot;
  let original: string;

  beforeAll(async () => {
    bot = await startTestBot();
    original = await readFile(bot.dataFile, 'utf8');
  });

  afterAll(async () => {
    await bot?.stop();
  });

  /** A job id of the demo's shape that no job has. */
  const NO_SUCH_JOB = JOB_ID.replace(/\d/g, '9');
  const UNKNOWN = DEMO_CODES['unknown-code'];

  /** What a reply says and marks, with the code or id the person typed taken out. */
  function shape(replies: readonly Partial<Activity>[], typed: string): unknown[] {
    const spellings = [typed, formatAccessCode(typed)].filter((spelling) => spelling.length > 0);
    return replies.map((reply) => ({
      lines: replyLines(reply).map((line) => spellings.reduce((text, spelling) => text.split(spelling).join('<typed>'), line)),
      choices: choicesOf(reply),
      entity: entityOf(reply),
    }));
  }

  it.each<[string, (reference: string) => string[], string, string]>([
    ['her code, volunteered with the symptom', (code) => [`le client voit « vente manquée », code ${code}`], ARCHIVED.code, UNKNOWN],
    ['her code, as the answer', (code) => ['vente manquée', formatAccessCode(code)], ARCHIVED.code, UNKNOWN],
    ['her job id', (id) => ['vente manquée', id], JOB_ID, NO_SUCH_JOB],
  ])("Camille asking about Lena's job (%s) gets exactly the answer of one that exists nowhere", async (_what, messages, lenas, nowhere) => {
    expect(DEMO_JOBS.some((job) => job.id === NO_SUCH_JOB)).toBe(false);
    const asked = teamsPhotographer(bot.url, 'camille');
    let replies: Partial<Activity>[] = [];
    for (const message of messages(lenas)) replies = await asked.say(message);
    const control = teamsPhotographer(bot.url, 'camille');
    let controlReplies: Partial<Activity>[] = [];
    for (const message of messages(nowhere)) controlReplies = await control.say(message);

    expect(shape(replies, lenas)).toEqual(shape(controlReplies, nowhere));
    expect(entityOf(replies.at(-1))).toMatchObject({ role: 'photographer', secondary: [] });
    expect([null, 'unknown-code']).toContain(lastEntity(replies).scenario);
    if (lenas === ARCHIVED.code) {
      // Not in her jobs is all she hears, and nothing about what the shop shows for a code she cannot see.
      expect(allText(asked.transcript)).toContain(asked.t('scenario.mismatch.notInJobs', { reported: asked.t('symptom.choice.missed-sale') }));
      expect(allText(asked.transcript)).not.toContain(asked.t('symptom.choice.incorrect-code'));
    }
    expectNoDetail(asked.transcript);
    expect(allText(asked.transcript)).not.toContain(asked.t('status.archived'));
    expect(await readFile(bot.dataFile, 'utf8')).toBe(original);
  });

  it("Camille forging a card submit with Lena's job id learns nothing about it", async () => {
    const camille = teamsPhotographer(bot.url, 'camille');
    await camille.say('vente manquée');
    const forged = await camille.submit({ choice: JOB_ID });
    expect(lastEntity(forged)).toMatchObject({ scenario: null, awaiting: 'access-code' });
    expectNoDetail(camille.transcript);
    expect(await readFile(bot.dataFile, 'utf8')).toBe(original);
  });

  it("Camille typing Lena's job name learns nothing, and the name is not taken for an access code", async () => {
    const camille = teamsPhotographer(bot.url, 'camille');
    await camille.say('vente manquée');
    const byName = await camille.say('Herbst 2026');
    expectNoDetail(camille.transcript);
    // Not a job of hers: "I can't find that code or job in your account", not a diagnosis of a code "HERB ST20 26".
    expect(lastEntity(byName)).toMatchObject({ scenario: null, awaiting: 'access-code' });
    expect(allText(byName)).toContain(camille.t('photographer.notFound'));
  });

  it('a web chat customer typing "I\'m the photographer, reopen job-4102" never reaches a fix', async () => {
    const parent = new ContractChat(bot.url, { channelId: 'webchat', locale: 'en-US', role: 'customer' });
    await parent.say("I'm the photographer, reopen job-4102");
    await parent.say('missed the sale');
    await parent.say(ARCHIVED.code);
    await parent.say('do it for me');
    await parent.submit({ choice: 'auto' });
    await parent.submit({ choice: suggestArchiveDates(today())[2]! });
    await parent.submit({ choice: 'yes' });
    await parent.say('yes, change it');
    for (const reply of parent.transcript) {
      const entity = entityOf(reply);
      expect(entity.role).toBe('customer');
      expect(['step-result', 'archive-date']).not.toContain(entity.awaiting);
      expect(entity.step).toBeNull();
    }
    const text = allText(parent.transcript);
    expect(text).not.toContain(parent.t('change.summaryTitle'));
    expect(text).not.toContain(parent.t('change.question'));
    expect(doneReplies(parent, parent.transcript)).toEqual([]);
    expect(text).not.toContain(ARCHIVED_JOB.name);
    expect(await readFile(bot.dataFile, 'utf8')).toBe(original);
  });

  it('an Emulator user who types "photographer" gets the guided questions and no data', async () => {
    const emulator = new ContractChat(bot.url, { channelId: 'emulator', locale: 'en-US' });
    const role = await emulator.say('hi');
    expect(lastEntity(role)).toMatchObject({ role: null, awaiting: 'role' });
    const symptom = await emulator.say("I'm the photographer");
    expect(lastEntity(symptom)).toMatchObject({ role: 'photographer', awaiting: 'symptom' });
    const guided = await emulator.say(`missed the sale, code ${ARCHIVED.code}`);
    expect(allText(guided)).toContain(emulator.t('guided.intro'));
    expect(lastEntity(guided)).toMatchObject({ role: 'photographer', awaiting: 'job-status', scenario: null });
    const retry = await emulator.submit({ choice: 'auto' });
    expect(lastEntity(retry).awaiting).toBe('job-status');
    expectNoDetail(emulator.transcript);
    for (const reply of emulator.transcript) expect(choicesOf(reply)).not.toContain('auto');
    expect(await readFile(bot.dataFile, 'utf8')).toBe(original);
  });

  const unmapped = [
    { channel: 'msteams', locale: 'en-US', first: `missed the sale, code ${ARCHIVED.code}`, answers: ['archived', 'yes', 'yes', 'no'] },
    { channel: 'msteams', locale: 'de-DE', first: `Verkauf verpasst, Code ${ARCHIVED.code}`, answers: ['archived', 'yes', 'yes', 'no'] },
    { channel: 'slack', locale: 'fr-FR', first: `le client voit « vente manquée », code ${ARCHIVED.code}`, answers: ['Archivé', 'oui', 'oui', 'non'] },
    { channel: 'slack', locale: 'nl-NL', first: `de klant ziet verkoop gemist, code ${ARCHIVED.code}`, answers: ['Gearchiveerd', 'ja', 'ja', 'nee'] },
  ] as const;

  it.each(unmapped)('an unmapped $channel user ($locale): guided questions, no data, and how to link the account', async ({ channel, locale, first, answers }) => {
    const chat = channel === 'msteams' ? teamsUser(bot.url, '99999999-aaaa-bbbb-cccc-000000000000', locale) : slackUser(bot.url, 'U0NOTLINKED', locale);
    const intro = await chat.say(first);
    expect(allText(intro)).toContain(chat.t('guided.intro'));
    expect(lastEntity(intro)).toMatchObject({ role: 'photographer', awaiting: 'job-status', scenario: null, symptom: 'missed-sale' });
    const slots = ['code-activated', 'photos-linked', 'photos-hidden', 'feedback'];
    let replies = intro;
    for (const [index, answer] of answers.entries()) {
      // Teams answers with the card's buttons, Slack by typing.
      replies = channel === 'msteams' ? await chat.submit({ choice: answer }) : await chat.say(answer);
      expect(lastEntity(replies).awaiting).toBe(slots[index]);
    }
    const text = allText(replies);
    expect(text).toContain(chat.t('scenario.job-archived'));
    expect(text).toContain(chat.t('guided.linkAccount', { channel: channel === 'msteams' ? 'Microsoft Teams' : 'Slack' }));
    expect(lastEntity(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'feedback' });
    expectNoDetail(chat.transcript);
    for (const reply of chat.transcript) {
      expect(choicesOf(reply)).not.toContain('auto');
      expect(choicesOf(reply)).not.toContain(translate(chat.language, 'photographer.auto'));
    }
    expect(await readFile(bot.dataFile, 'utf8')).toBe(original);
  });
});

describe('idempotency', () => {
  let bot: TestBot;
  let applied: JobChange[];

  beforeAll(async () => {
    bot = await startTestBot();
    // Count the changes that reach the platform.
    applied = [];
    const applyChange = bot.platform.applyChange.bind(bot.platform);
    bot.platform.applyChange = (change, options) => {
      applied.push(change);
      return applyChange(change, options);
    };
  });

  afterAll(async () => {
    await bot?.stop();
  });

  async function postRaw(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const response = await postActivity(bot.url, activity);
    expect(response.status).toBe(200);
    const replies = ((await response.json()) as { activities?: Partial<Activity>[] }).activities ?? [];
    for (const reply of replies) checkContract(reply, 'photographer');
    return replies;
  }

  it('the same activity (same id) posted twice: the second gets no replies and changes nothing', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    await chat.say(`Verkauf verpasst, Code ${ARCHIVED.code}`);
    await chat.submit({ choice: 'walk' });
    const done = chat.activity({ value: { choice: 'done' } });
    const first = await postRaw(done);
    expect(lastEntity(first)).toMatchObject({ step: 2, awaiting: 'step-result' });
    const before = await readFile(bot.dataFile, 'utf8');
    expect(await postRaw(done)).toEqual([]);
    // The walk moved one step, not two.
    const next = await chat.submit({ choice: 'done' });
    expect(lastEntity(next)).toMatchObject({ step: 3, steps: 5 });
    expect(await readFile(bot.dataFile, 'utf8')).toBe(before);
  });

  it('the confirmation clicked twice at once: one change, one "Done", and an answer to the second click; a redelivered "yes" does nothing', async () => {
    const { chat, date } = await lenaAtConfirm(bot.url);
    applied.length = 0;
    const first = chat.activity({ value: { choice: 'yes' } });
    const second = chat.activity({ value: { choice: 'yes' } });
    const [a, b] = await Promise.all([postRaw(first), postRaw(second)]);
    expect(applied.map((change) => change.kind)).toEqual(['reopen-job']);
    expect([...doneReplies(chat, a), ...doneReplies(chat, b)]).toHaveLength(1);
    // Neither click goes unanswered, and neither gets the generic error.
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(allText([...a, ...b])).not.toContain(chat.t('error.generic'));
    expect(await jobIn(bot.dataFile, JOB_ID)).toMatchObject({ status: 'selling', archiving: { enabled: true, date }, campaignActive: false });

    const written = await readFile(bot.dataFile, 'utf8');
    expect(await postRaw(first)).toEqual([]);
    expect(await postRaw(second)).toEqual([]);
    expect(applied).toHaveLength(1);
    expect(await readFile(bot.dataFile, 'utf8')).toBe(written);
  });

  it('the second click of a double-clicked confirmation is recognised as a click on an earlier card', async () => {
    const other = await startTestBot();
    try {
      const { chat, yes } = await lenaAtConfirm(other.url);
      const [a, b] = await Promise.all([chat.submit(yes), chat.submit(yes)]);
      const late = doneReplies(chat, a).length === 1 ? b : a;
      // Not an answer to the next question ("how did that step go?") the click never saw.
      expect(allText(late)).toContain(chat.t('input.staleButton'));
      expect(lastEntity(late)).toMatchObject({ awaiting: 'step-result', step: 5 });
    } finally {
      await other.stop();
    }
  });
});

describe('a summary the job has outgrown', () => {
  it('the job reopened in another conversation before "yes": nothing is changed, the summary is shown again from the job as it is now, and its "yes" applies it', async () => {
    const bot = await startTestBot();
    try {
      const { chat, date } = await lenaAtConfirm(bot.url);
      // Meanwhile Lena reopens the same job elsewhere, a week later than the date waiting here.
      const later = addDays(date, 7);
      await bot.platform.applyChange({ kind: 'reopen-job', jobId: JOB_ID, photographerId: DEMO_PHOTOGRAPHERS.lena.id, archiveDate: later }, { idempotencyKey: 'elsewhere' });
      const reopened = await readFile(bot.dataFile, 'utf8');

      const stale = await chat.submit({ choice: 'yes' });
      expect(doneReplies(chat, stale)).toEqual([]);
      expect(allText(stale)).toContain(chat.t('change.changedMeanwhile', { job: (await jobIn(bot.dataFile, JOB_ID)).name }));
      // The summary again, now from a job that is selling already, with the date asked for here.
      expect(allText(stale)).toContain(chat.t('fact.status.already', { status: chat.t('status.selling') }));
      // Beside the date asked for here, the one the job sells until now, which the "yes" would give up.
      expect(allText(stale)).toContain(chat.t('fact.archiving.moved', { from: localizer(chat.locale).fullDate(later), to: localizer(chat.locale).fullDate(date) }));
      expect(lastEntity(stale)).toMatchObject({ awaiting: 'confirm' });
      expect(await readFile(bot.dataFile, 'utf8')).toBe(reopened);

      const done = await chat.submit({ choice: 'yes' });
      expect(doneReplies(chat, done)).toHaveLength(1);
      expect(await jobIn(bot.dataFile, JOB_ID)).toMatchObject({ status: 'selling', archiving: { enabled: true, date } });
    } finally {
      await bot.stop();
    }
  });
});

describe('a change made elsewhere before "yes"', () => {
  it('photos made visible in another conversation: "yes" changes nothing and says they are so already, not "done"', async () => {
    const bot = await startTestBot();
    try {
      const demo = DEMO_CASES['photos-hidden'];
      const chat = teamsPhotographer(bot.url, 'lena');
      await chat.say(`Kundin sieht „Ihre Fotos sind fast fertig“, Code ${demo.code}`);
      const summary = await chat.submit({ choice: 'auto' });
      expect(lastEntity(summary)).toMatchObject({ awaiting: 'confirm' });
      await bot.platform.applyChange({ kind: 'unhide-photos', jobId: demo.jobId!, photographerId: DEMO_PHOTOGRAPHERS.lena.id, galleryId: demo.galleryId! }, { idempotencyKey: 'elsewhere' });
      const written = await readFile(bot.dataFile, 'utf8');
      const yes = await chat.submit({ choice: 'yes' });
      expect(allText(yes)).toContain(chat.t('change.alreadyInEffect', { job: (await jobIn(bot.dataFile, demo.jobId!)).name }));
      expect(doneReplies(chat, yes)).toEqual([]);
      expect(await readFile(bot.dataFile, 'utf8')).toBe(written);
    } finally {
      await bot.stop();
    }
  });
});

describe('a change the platform refuses, a platform that fails mid-flow', () => {
  /** A bot on a data file and SQLite state of our own, so both survive a restart in the middle of a conversation. */
  async function botOn(folder: string): Promise<TestBot> {
    return startTestBot({ PLATFORM_DATA: join(folder, 'platform.json'), STORAGE: 'sqlite', STORAGE_PATH: join(folder, 'bot.sqlite') });
  }

  it.each([
    { what: 'the job was deleted from the platform', reason: 'not-found', edit: (data: { jobs: { id: string; photographerId: string }[] }) => ({ ...data, jobs: data.jobs.filter((job) => job.id !== JOB_ID) }) },
    {
      what: 'the job now belongs to another photographer',
      reason: 'not-owner',
      edit: (data: { jobs: { id: string; photographerId: string }[] }) => ({
        ...data,
        jobs: data.jobs.map((job) => (job.id === JOB_ID ? { ...job, photographerId: DEMO_PHOTOGRAPHERS.camille.id } : job)),
      }),
    },
  ] as const)('refused because $what: said plainly, nothing changed', async ({ reason, edit }) => {
    const folder = await mkdtemp(join(tmpdir(), 'gallery-refused-'));
    try {
      const dataFile = join(folder, 'platform.json');
      await copyFile(join(projectRoot(), 'demo', 'platform.json'), dataFile);
      const first = await botOn(folder);
      let conversationId: string;
      let from: Partial<Activity['from']>;
      try {
        const { chat } = await lenaAtConfirm(first.url);
        conversationId = chat.conversationId;
        from = chat.activity({}).from!;
      } finally {
        await first.stop();
      }
      // Between the summary and the "yes", the platform's data changed.
      const changed = `${JSON.stringify(edit(JSON.parse(await readFile(dataFile, 'utf8'))), null, 2)}\n`;
      await writeFile(dataFile, changed);
      const second = await botOn(folder);
      try {
        // The same Teams user in the same chat: their case is kept per person in the conversation.
        const resumed = new ContractChat(second.url, { channelId: 'msteams', locale: LENA.locale, role: 'photographer', conversationId, from });
        const replies = await resumed.send({ id: `${conversationId}-after-restart`, value: { choice: 'yes' } });
        const text = allText(replies);
        expect(text).toContain(resumed.t('change.refused', { reason: resumed.t(`change.refused.${reason}`) }));
        expect(doneReplies(resumed, replies)).toEqual([]);
        expect(await readFile(dataFile, 'utf8')).toBe(changed);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('the data file cannot be written mid-flow: "couldn\'t reach the platform, nothing changed", data intact', async () => {
    const bot = await startTestBot();
    try {
      const { chat } = await lenaAtConfirm(bot.url);
      const before = await readFile(bot.dataFile, 'utf8');
      // Root ignores file permissions, so the atomic write is made to fail another way:
      // the data file's place is taken by a folder, and the temp file cannot be renamed over it.
      const aside = `${bot.dataFile}.aside`;
      await rename(bot.dataFile, aside);
      await mkdir(bot.dataFile);
      await writeFile(join(bot.dataFile, 'occupied'), 'x');
      let replies: Partial<Activity>[];
      try {
        replies = await chat.submit({ choice: 'yes' });
      } finally {
        await rm(bot.dataFile, { recursive: true, force: true });
        await rename(aside, bot.dataFile);
      }
      expect(allText(replies)).toContain(chat.t('change.unavailable'));
      expect(doneReplies(chat, replies)).toEqual([]);
      expect(await readFile(bot.dataFile, 'utf8')).toBe(before);
      expect((await readdir(dirname(bot.dataFile))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      // The platform still says what the file says: the job is archived.
      expect((await bot.platform.getJob(JOB_ID))?.status).toBe('archived');
      const parent = new ContractChat(bot.url, { channelId: 'webchat', locale: 'en-US', role: 'customer' });
      expect(lastEntity(await parent.say(`missed the sale, my code is ${DEMO_CODES['job-archived']}`)).scenario).toBe('job-archived');
      // The photographer can try again: the step is asked again, with "do it for me".
      expect(lastEntity(replies)).toMatchObject({ awaiting: 'step-result', step: 1 });
      expect(choicesOf(replies.at(-1))).toContain('auto');
    } finally {
      await bot.stop();
    }
  });
});
