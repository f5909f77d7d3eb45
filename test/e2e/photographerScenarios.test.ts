import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixPlan, type FixStep } from '../../src/domain/fixPlans.js';
import { SCENARIO_INFO } from '../../src/domain/scenarios.js';
import type { Symptom } from '../../src/domain/symptoms.js';
import type { CaseRecord } from '../../src/handoff/caseRecord.js';
import { localizer } from '../../src/language/messages.js';
import { type TestBot, startTestBot } from '../support/botServer.js';
import { DEMO_CASES, DEMO_CODES, type DemoCase, type DemoCodeName, DEMO_PHOTOGRAPHERS, type DemoPhotographerName } from '../support/demoCodes.js';
import {
  allText,
  buttonTitles,
  choicesOf,
  type ContractChat,
  entityOf,
  lastEntity,
  photographerChat,
  planReply,
  planSteps,
  readPlatform,
  replyLines,
  teamsPhotographer,
} from '../support/photographerChat.js';

/**
 * Issue 3, the photographer flow over HTTP (Teams for Lena's, Camille's and Sanne's codes,
 * Slack for Megan's): every demo code gets the diagnosis with the job and the whole ordered
 * plan, then a walk through the plan step by step; steps done by hand that change nothing
 * make the bot look again once and then hand the case to support. Jobs by name and id.
 */

let bot: TestBot;
let demoData: Awaited<ReturnType<typeof readPlatform>>;

beforeAll(async () => {
  bot = await startTestBot();
  demoData = await readPlatform(bot.dataFile);
});

afterAll(async () => {
  await bot?.stop();
});

// The same photographer escalating the same code again adds to the case while it is open;
// each test here is a new matter, as if support had taken the earlier cases.
beforeEach(async () => {
  for (const record of await bot.outbox.pending()) await bot.outbox.markDelivered(record.id);
});

/** Scenarios whose fix happens outside the data: the walk ends with "all steps done" and feedback. */
const UNVERIFIABLE = new Set(['unknown-code', 'code-from-deleted-job']);

function ownerOf(demo: DemoCase): DemoPhotographerName {
  return demo.photographer ?? 'lena';
}

function symptomOf(demo: DemoCase): Symptom {
  return SCENARIO_INFO[demo.scenario].expectedSymptom ?? 'other';
}

async function casesOf(conversationId: string): Promise<CaseRecord[]> {
  return (await bot.outbox.pending()).filter((record) => record.conversationId === conversationId);
}

function jobName(jobId: string | null): string | null {
  return jobId === null ? null : (demoData.jobs.find((job) => job.id === jobId)?.name ?? null);
}

/** What the diagnosis says first, in the photographer's words. */
function primarySentence(chat: ContractChat, demo: DemoCase): string {
  if (demo.unknownJobStatus !== null) return chat.t('scenario.cannot-diagnose', { status: demo.unknownJobStatus });
  if (demo.scenario === 'job-archived') {
    const date = demoData.jobs.find((job) => job.id === demo.jobId)?.archiving.date;
    return chat.t('photographer.archivedSince', { job: jobName(demo.jobId)!, date: localizer(chat.locale).longDate(date!) });
  }
  if (demo.someHidden !== null) return chat.t('scenario.no-known-cause.someHidden', demo.someHidden);
  return chat.t(`scenario.${demo.scenario}`);
}

function expectPlan(chat: ContractChat, replies: readonly Partial<Activity>[], plan: readonly FixStep[]): void {
  const reply = planReply(replies);
  expect(reply, `a reply with the plan in ${JSON.stringify(allText(replies))}`).toBeDefined();
  expect(planSteps(reply)).toEqual(plan.map((step) => chat.t(`step.${step.id}`)));
}

/** The card of step `index` (1-based) of `plan`: "step i of n", its text, its buttons, the entity. */
function expectStep(chat: ContractChat, replies: readonly Partial<Activity>[], plan: readonly FixStep[], index: number): void {
  const reply = replies.at(-1);
  const step = plan[index - 1]!;
  const lines = replyLines(reply!);
  const title = chat.t('walk.title', { step: index, steps: plan.length });
  // Teams shows the title as a card heading; Slack as a bold first line.
  expect(lines).toContain(chat.channel === 'slack' ? `*${title}*` : title);
  expect(lines).toContain(chat.t(`step.${step.id}`));
  const expectedButtons = [chat.t('walk.done'), chat.t('walk.failed'), ...(step.action === null ? [] : [chat.t('walk.auto')])];
  expect(buttonTitles(reply)).toEqual(expectedButtons);
  if (chat.channel === 'msteams') expect(choicesOf(reply)).toEqual(['done', 'failed', ...(step.action === null ? [] : ['auto'])]);
  const entity = entityOf(reply);
  expect(entity).toMatchObject({ role: 'photographer', step: index, steps: plan.length, awaiting: 'step-result' });
}

/**
 * Walks the plan from step 1 with "done" (typed on Slack, clicked on Teams, both ways mixed).
 * Steps done by hand change nothing in the data here, so the walk ends before "tell the
 * customer it's open": the bot looks at the data first and does not announce a closed gallery.
 */
async function walkWithDone(chat: ContractChat, first: readonly Partial<Activity>[], plan: readonly FixStep[]): Promise<Partial<Activity>[]> {
  let replies = first;
  const repairs = plan.filter((step) => step.id !== 'tell-customer');
  for (let index = 1; index <= repairs.length; index += 1) {
    expectStep(chat, replies, plan, index);
    replies = index % 2 === 0 ? await chat.say(chat.t('walk.done')) : await chat.choose('done', chat.t('walk.done'));
  }
  return [...replies];
}

describe('every demo code, for the photographer who owns it', () => {
  const names = Object.keys(DEMO_CODES) as DemoCodeName[];

  it.each(names)('%s: diagnosis with the whole plan, then the walk to its end', async (name) => {
    const demo = DEMO_CASES[name];
    const owner = ownerOf(demo);
    const chat = photographerChat(bot.url, owner);
    expect(chat.channel).toBe(DEMO_PHOTOGRAPHERS[owner].msteams.length > 0 ? 'msteams' : 'slack');
    const symptom = symptomOf(demo);
    // Photos hidden beside visible ones: the plan makes them visible.
    const plan = fixPlan({ scenario: demo.scenario, secondary: demo.secondary }, { someHidden: demo.someHidden !== null });

    // The code alone: when its data says what the customer sees, the diagnosis comes at once;
    // otherwise the bot asks what the customer sees, then diagnoses.
    const predicted = demo.unknownJobStatus === null && SCENARIO_INFO[demo.scenario].expectedSymptom !== null;
    const opening = await chat.say(demo.code);
    let diagnosis = opening;
    if (!predicted) {
      expect(lastEntity(opening)).toMatchObject({ role: 'photographer', awaiting: 'symptom', scenario: null, locale: chat.locale });
      expect(allText(opening)).toContain(chat.t('photographer.dataCannotTell'));
      diagnosis = await chat.choose(symptom, chat.t(`symptom.choice.${symptom}`));
    }
    const text = allText(diagnosis);
    const name_ = jobName(demo.jobId);
    if (name_ !== null) expect(text).toContain(name_);
    expect(text).toContain(primarySentence(chat, demo));
    if (demo.secondary.length > 0) {
      const faults = localizer(chat.locale).list(demo.secondary.map((fault) => chat.t(`fault.${fault as 'code-not-activated'}`)));
      expect(text).toContain(chat.t('scenario.secondary', { count: demo.secondary.length, faults }));
    }
    expectPlan(chat, diagnosis, plan);
    for (const reply of diagnosis) {
      expect(entityOf(reply)).toMatchObject({
        role: 'photographer',
        locale: chat.locale,
        symptom: predicted ? null : symptom,
        scenario: demo.scenario,
        secondary: demo.secondary,
        steps: plan.length,
      });
    }

    if (plan.every((step) => step.id === 'escalate-to-support')) {
      // Nothing to repair: the plan is "pass it to support", offered as a question.
      expect(demo.scenario).toBe('no-known-cause');
      expect(text).toContain(chat.t('notify.offerSupport'));
      expect(lastEntity(diagnosis).awaiting).toBe('confirm');
      const recorded = await chat.choose('yes', chat.t('notify.yes'));
      expect(allText(recorded)).toContain(chat.t('notify.recordedSupport'));
      const cases = await casesOf(chat.conversationId);
      expect(cases.map((record) => [record.kind, record.scenario, record.jobId])).toEqual([['escalation', 'no-known-cause', demo.jobId]]);
      return;
    }

    let first: Partial<Activity>[] = [...diagnosis];
    if (plan.some((step) => step.action !== null)) {
      // The platform can do some of it: "step by step" or "do it for me".
      expect(allText(diagnosis)).toContain(chat.t('photographer.howToFix'));
      expect(buttonTitles(diagnosis.at(-1))).toEqual([chat.t('photographer.walk'), chat.t('photographer.auto')]);
      first = await chat.choose('walk', chat.t('photographer.walk'));
    }
    const before = await readPlatform(bot.dataFile);
    let end = await walkWithDone(chat, first, plan);

    if (UNVERIFIABLE.has(demo.scenario)) {
      expect(allText(end)).toContain(chat.t('walk.allDone'));
      expect(allText(end)).toContain(chat.t('feedback.question'));
      expect(lastEntity(end)).toMatchObject({ awaiting: 'feedback', step: null, scenario: demo.scenario });
      const thanks = await chat.choose('yes', chat.t('feedback.yes'));
      expect(allText(thanks)).toContain(chat.t('feedback.thanks'));
      expect(await casesOf(chat.conversationId)).toEqual([]);
      return;
    }

    // Done by hand, but the data did not change: the bot looks again before anyone tells the
    // customer, says so once, with a new plan…
    expect(plan.at(-1)?.id).toBe('tell-customer');
    const tellCustomerTitle = chat.t('walk.title', { step: plan.length, steps: plan.length });
    const tellCustomerCards = () => chat.transcript.filter((reply) => replyLines(reply).some((line) => line.includes(tellCustomerTitle)));
    expect(tellCustomerCards()).toEqual([]);
    const again = allText(end);
    expect(again).toContain(chat.t('walk.stillBlocked'));
    expectPlan(chat, end, plan);
    expect(lastEntity(end)).toMatchObject({ scenario: demo.scenario, secondary: demo.secondary, steps: plan.length, step: 1 });
    end = await walkWithDone(chat, end, plan);

    // …and the second time hands the case to support instead of looping.
    const escalated = allText(end);
    expect(tellCustomerCards()).toEqual([]);
    expect(escalated).toContain(chat.t('walk.escalated'));
    expect(escalated).not.toContain(chat.t('walk.stillBlocked'));
    expect(lastEntity(end)).toMatchObject({ awaiting: null, step: null, scenario: demo.scenario });
    const stillBlocked = chat.transcript.filter((reply) => replyLines(reply).includes(chat.t('walk.stillBlocked')));
    expect(stillBlocked).toHaveLength(1);
    const cases = await casesOf(chat.conversationId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      kind: 'escalation',
      role: 'photographer',
      scenario: demo.scenario,
      secondary: demo.secondary,
      jobId: demo.jobId,
      accessCode: demo.code,
      photographerId: DEMO_PHOTOGRAPHERS[owner].id,
    });
    expect(Array.isArray(cases[0]!.stepsTried)).toBe(true);
    // Steps done by hand change nothing in the platform.
    expect(await readPlatform(bot.dataFile)).toEqual(before);
  });

  it('the escalation after a plan done by hand tells support which steps were tried', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    const plan = fixPlan({ scenario: 'job-archived', secondary: [] });
    await chat.say(`Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`);
    let replies = await chat.choose('walk', chat.t('photographer.walk'));
    replies = await walkWithDone(chat, replies, plan);
    await walkWithDone(chat, replies, plan);
    const [record] = await casesOf(chat.conversationId);
    expect(record?.kind).toBe('escalation');
    // Support must not ask the photographer again what they already did.
    expect(record?.stepsTried.length, `stepsTried: ${JSON.stringify(record?.stepsTried)}`).toBeGreaterThan(0);
    expect(record?.stepsTried.join('\n')).toContain('untick-archiving-set-date');
  });

  it('"didn\'t work" looks at the data again and, with nothing new, offers to do the step; declined, it goes to support at once', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    await chat.say(`Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`);
    await chat.choose('walk', chat.t('photographer.walk'));
    const offer = await chat.choose('failed', chat.t('walk.failed'));
    expect(allText(offer)).toContain(chat.t('walk.offerAuto'));
    expect(await casesOf(chat.conversationId)).toEqual([]);
    const replies = await chat.choose('support', chat.t('walk.toSupport'));
    expect(allText(replies)).toContain(chat.t('walk.escalated'));
    expect(lastEntity(replies)).toMatchObject({ awaiting: null, step: null });
    const [record] = await casesOf(chat.conversationId);
    expect(record).toMatchObject({ kind: 'escalation', scenario: 'job-archived', jobId: 'job-4102' });
    expect(record?.stepsTried).toContain('untick-archiving-set-date: did not work');
  });
});

describe('the job as reference: by name, by id, several matches', () => {
  const archivedJob = DEMO_CASES['job-archived'];

  it.each([
    ['by name', 'Herbst 2026'],
    ['by id', 'job-4102'],
  ])('an archived job %s ("%s") gets the job-archived diagnosis and plan', async (_how, reference) => {
    const chat = teamsPhotographer(bot.url, 'lena');
    const asked = await chat.say('Verkauf verpasst');
    expect(lastEntity(asked)).toMatchObject({ awaiting: 'access-code', symptom: 'missed-sale' });
    expect(allText(asked)).toContain(chat.t('photographer.reference'));
    const replies = await chat.say(reference);
    expect(allText(replies)).toContain(jobName(archivedJob.jobId)!);
    expect(lastEntity(replies)).toMatchObject({ scenario: 'job-archived', steps: fixPlan({ scenario: 'job-archived', secondary: [] }).length });
    expectPlan(chat, replies, fixPlan({ scenario: 'job-archived', secondary: [] }));
    // An archived job is not Selling: the bot must not say so.
    expect(allText(replies)).not.toContain(chat.t('photographer.jobNeedsCode'));
  });

  it('several matching jobs: the bot offers them as a choice; the chosen Selling job needs the code', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    await chat.say('Die Fotos sind fast fertig');
    const choice = await chat.say('2026');
    expect(allText(choice)).toContain(chat.t('photographer.whichJob'));
    expect(choicesOf(choice.at(-1))).toEqual(['job-4102', 'job-4215']);
    expect(buttonTitles(choice.at(-1))).toEqual([jobName('job-4102'), jobName('job-4215')]);
    expect(lastEntity(choice)).toMatchObject({ awaiting: 'access-code', scenario: null });
    const needsCode = await chat.choose('job-4215', jobName('job-4215')!);
    expect(allText(needsCode)).toContain(chat.t('photographer.jobNeedsCode'));
    expect(lastEntity(needsCode)).toMatchObject({ awaiting: 'access-code', scenario: null });
    const diagnosis = await chat.say(DEMO_CODES['photos-hidden']);
    expect(lastEntity(diagnosis)).toMatchObject({ scenario: 'photos-hidden', symptom: 'almost-ready' });
    expectPlan(chat, diagnosis, fixPlan({ scenario: 'photos-hidden', secondary: [] }));
  });

  it('a job in Planning by name gets the job-in-planning diagnosis', async () => {
    const chat = teamsPhotographer(bot.url, 'camille');
    await chat.say('le client voit que ses photos sont presque prêtes');
    const replies = await chat.say('Victor Hugo');
    expect(allText(replies)).toContain(jobName('job-4251')!);
    expect(lastEntity(replies)).toMatchObject({ scenario: 'job-in-planning', symptom: 'almost-ready' });
    expectPlan(chat, replies, fixPlan({ scenario: 'job-in-planning', secondary: [] }));
    expect(allText(replies)).not.toContain(chat.t('photographer.jobNeedsCode'));
  });

  it('a Selling job by name: the bot asks for the customer\'s code, then diagnoses it', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    await chat.say('Die Fotos sind fast fertig');
    const needsCode = await chat.say('Sommerfest');
    expect(allText(needsCode)).toContain(chat.t('photographer.jobNeedsCode'));
    expect(lastEntity(needsCode)).toMatchObject({ awaiting: 'access-code', scenario: null, steps: null });
    const diagnosis = await chat.say(DEMO_CODES['photos-hidden']);
    expect(allText(diagnosis)).toContain(jobName('job-4215')!);
    expect(lastEntity(diagnosis)).toMatchObject({ scenario: 'photos-hidden' });
  });

  it('asks for the code of a Selling job once, not the same question twice in one message', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    await chat.say('Die Fotos sind fast fertig');
    const needsCode = await chat.say('Sommerfest');
    const question = chat.t('code.questionPhotographer');
    const text = allText(needsCode);
    expect(text.split(question).length - 1, `"${text}"`).toBe(1);
  });
});

describe('the reported message does not fit the data', () => {
  function symptomName(chat: ContractChat, symptom: Symptom | null): string {
    return symptom === null || symptom === 'other' ? chat.t('scenario.mismatch.none') : chat.t(`symptom.choice.${symptom}`);
  }

  it.each([
    ['lena', 'de-DE', `Die Kundin sieht „Verkauf verpasst“, Code ${DEMO_CODES['photos-hidden']}`, 'missed-sale', 'photos-hidden'],
    ['camille', 'fr-FR', 'Vente manquée ? … code VHC7NQ3R', 'missed-sale', 'job-in-planning'],
    ['sanne', 'nl-NL', `de klant krijgt onjuiste toegangscode, code ${DEMO_CODES['job-archived+photos-hidden']}`, 'incorrect-code', 'job-archived'],
    ['megan', 'en-US', `customer says incorrect access code, code ${DEMO_CODES['job-in-planning']}`, 'incorrect-code', 'job-in-planning'],
  ] as const)('%s (%s): both messages said, the data\'s fault offered to be fixed, nothing started unasked', async (name, locale, first, reported, scenario) => {
    const chat = photographerChat(bot.url, name);
    expect(chat.locale).toBe(locale);
    const replies = await chat.say(first);
    const text = allText(replies);
    const expected = SCENARIO_INFO[scenario].expectedSymptom;
    expect(text).toContain(chat.t('scenario.mismatch', { reported: symptomName(chat, reported), expected: symptomName(chat, expected) }));
    expect(text).toContain(chat.t('photographer.mismatch.offerFix'));
    expect(text).not.toContain(chat.t('photographer.howToFix'));
    expect(lastEntity(replies)).toMatchObject({ symptom: reported, scenario, step: null, awaiting: 'confirm' });
    expect(buttonTitles(replies.at(-1))).toEqual([chat.t('photographer.mismatch.fix'), chat.t('photographer.mismatch.wait')]);
    expect(text).not.toMatch(/[.!?]\s?[”“»"]\s?\./u);
  });

  it('"no, ask the customer first": check the code and reload, then feedback; nothing walked, nothing changed', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    const before = await readPlatform(bot.dataFile);
    await chat.say(`Die Kundin sieht „Verkauf verpasst“, Code ${DEMO_CODES['photos-hidden']}`);
    const wait = await chat.choose('no', chat.t('photographer.mismatch.wait'));
    expect(allText(wait)).toContain(chat.t('photographer.checkFirst'));
    expect(lastEntity(wait)).toMatchObject({ scenario: 'photos-hidden', step: null, awaiting: 'feedback' });
    const after = await chat.choose('yes', chat.t('feedback.yes'));
    expect(allText(after)).toContain(chat.t('feedback.thanks'));
    expect(chat.transcript.every((reply) => entityOf(reply).step === null)).toBe(true);
    expect(await readPlatform(bot.dataFile)).toEqual(before);
  });

  it('"yes, fix it": the usual choice of step by step or "do it for me", and the fix', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    await chat.say(`Die Kundin sieht „Verkauf verpasst“, Code ${DEMO_CODES['photos-hidden']}`);
    const how = await chat.choose('yes', chat.t('photographer.mismatch.fix'));
    expect(allText(how)).toContain(chat.t('photographer.howToFix'));
    const summary = await chat.choose('auto', chat.t('photographer.auto'));
    expect(lastEntity(summary).awaiting).toBe('confirm');
    const done = await chat.say('ja');
    expect(allText(done)).toContain(chat.t('change.doneTitle'));
    const job = (await readPlatform(bot.dataFile)).jobs.find((candidate) => candidate.id === 'job-4215')!;
    expect(job.galleries.find((gallery) => gallery.accessCode === DEMO_CODES['photos-hidden'])!.photos.every((photo) => !photo.hidden)).toBe(true);
  });

  it('nothing wrong in the data (a Selling job, an activated code with visible photos): check the code and reload, no fix offered', async () => {
    const chat = teamsPhotographer(bot.url, 'lena');
    const replies = await chat.say(`Die Kundin sieht „Verkauf verpasst“, Code ${DEMO_CODES['no-known-cause']}`);
    const text = allText(replies);
    expect(text).toContain(chat.t('scenario.mismatch', { reported: chat.t('symptom.choice.missed-sale'), expected: chat.t('scenario.mismatch.none') }));
    expect(text).toContain(chat.t('photographer.checkFirst'));
    expect(text).not.toContain(chat.t('photographer.mismatch.offerFix'));
    // No plan of one step "pass the case to support" beside it: the "No" it names does that.
    expect(text).not.toContain(chat.t('step.escalate-to-support'));
    expect(chat.t('photographer.checkFirst')).toContain(chat.t('feedback.no'));
    expect(lastEntity(replies)).toMatchObject({ scenario: 'no-known-cause', step: null, awaiting: 'feedback' });
    const no = await chat.say(chat.t('feedback.no'));
    expect(allText(no)).toContain(chat.t('escalation.recorded'));
  });
});
