import { readFile } from 'node:fs/promises';
import type { Activity } from 'botbuilder';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { localizer } from '../../src/language/messages.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBot, startTestBot } from '../support/botServer.js';
import { DEMO_CASES, DEMO_CODES } from '../support/demoCodes.js';
import { allText, type ContractChat, choicesOf, lastEntity, replyLines, slackPhotographer, teamsPhotographer } from '../support/photographerChat.js';

/**
 * Review fixes 4–6: "do it for me" on a step done by hand is refused and marks nothing
 * done; every question of the walk-through ends (three unreadable step results, four
 * answers without a usable archive date); a fix verified after any step counts as fixed.
 */

const PLANNING = DEMO_CASES['job-in-planning'];

let bot: TestBot;

beforeEach(async () => {
  bot = await startTestBot();
});

afterEach(async () => {
  await bot?.stop();
});

/** Lines of a reply without Slack's *bold* markers. */
function plainLines(reply: Partial<Activity>): string[] {
  return replyLines(reply).map((line) => line.replace(/^\*(.*)\*$/, '$1'));
}

function says(chat: ContractChat, replies: readonly Partial<Activity>[], key: Parameters<ContractChat['t']>[0]): boolean {
  const wanted = chat.t(key);
  return replies.some((reply) => plainLines(reply).some((line) => line.includes(wanted)));
}

async function escalations(jobId: string): Promise<number> {
  return (await bot.outbox.pending()).filter((record) => record.kind === 'escalation' && record.jobId === jobId).length;
}

/** Megan (Slack, en-US) at step 1 of the job-in-planning plan: confirm-photos-linked, done by hand. */
async function meganAtPlanningStep1(): Promise<ContractChat> {
  const megan = slackPhotographer(bot.url, 'megan');
  const diagnosis = await megan.say(`the customer sees "your photos are almost ready", code ${PLANNING.code}`);
  expect(lastEntity(diagnosis)).toMatchObject({ scenario: 'job-in-planning', secondary: [], awaiting: 'step-result' });
  const step1 = await megan.say('step by step');
  expect(lastEntity(step1)).toMatchObject({ step: 1, steps: 3, awaiting: 'step-result' });
  expect(plainLines(step1.at(-1)!)).toContain(megan.t('step.confirm-photos-linked'));
  return megan;
}

/** Lena (Teams, de-DE) at step 1 of the archived job's plan, walked step by step. */
async function lenaAtArchivedStep1(): Promise<ContractChat> {
  const lena = teamsPhotographer(bot.url, 'lena');
  await lena.say(`Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`);
  const step1 = await lena.submit({ choice: 'walk' });
  expect(lastEntity(step1)).toMatchObject({ step: 1, awaiting: 'step-result' });
  return lena;
}

describe('"do it for me" at a step done by hand', () => {
  it('typed "do it for me" at confirm-photos-linked (en-US, Slack): walk.manualOnly, the step stays open; "done" still works', async () => {
    const megan = await meganAtPlanningStep1();
    const refused = await megan.say('do it for me');
    expect(says(megan, refused, 'walk.manualOnly'), JSON.stringify(allText(refused))).toBe(true);
    expect(lastEntity(refused)).toMatchObject({ step: 1, steps: 3, awaiting: 'step-result' });
    expect(plainLines(refused.at(-1)!)).toContain(megan.t('walk.title', { step: 1, steps: 3 }));
    expect(choicesOf(refused.at(-1))).toEqual([megan.t('walk.done'), megan.t('walk.failed')]);
    const next = await megan.say('done');
    expect(lastEntity(next)).toMatchObject({ step: 2, steps: 3, awaiting: 'step-result' });
    expect(plainLines(next.at(-1)!)).toContain(megan.t('step.set-status-selling'));
    expect((await bot.outbox.pending()).length).toBe(0);
  });

  it('"do it for me, please" at a step done by hand is refused too, not read as "done"', async () => {
    const megan = await meganAtPlanningStep1();
    for (const typed of ['do it for me, please', 'please do it for me']) {
      const refused = await megan.say(typed);
      expect(lastEntity(refused), typed).toMatchObject({ step: 1, steps: 3, awaiting: 'step-result' });
      expect(says(megan, refused, 'walk.manualOnly'), typed).toBe(true);
    }
  });

  it('"Mach das für mich" at tell-customer after the unhide was applied (de-DE, Teams): refused, step 2 stays; "erledigt" finishes', async () => {
    const lena = teamsPhotographer(bot.url, 'lena');
    const diagnosis = await lena.say(`fast fertig, Code ${DEMO_CODES['photos-hidden']}`);
    expect(lastEntity(diagnosis)).toMatchObject({ scenario: 'photos-hidden', awaiting: 'step-result' });
    const summary = await lena.say('Mach das für mich');
    expect(lastEntity(summary).awaiting).toBe('confirm');
    const applied = await lena.say('ja');
    expect(says(lena, applied, 'change.doneTitle')).toBe(true);
    expect(lastEntity(applied)).toMatchObject({ step: 2, steps: 2, awaiting: 'step-result' });
    expect(choicesOf(applied.at(-1))).toEqual(['done', 'failed']);
    const dataAfterChange = await readFile(bot.dataFile, 'utf8');

    const refused = await lena.say('Mach das für mich');
    expect(says(lena, refused, 'walk.manualOnly')).toBe(true);
    expect(lastEntity(refused)).toMatchObject({ step: 2, steps: 2, awaiting: 'step-result' });
    expect(says(lena, refused, 'walk.allDone')).toBe(false);
    const submitted = await lena.submit({ choice: 'auto' });
    expect(says(lena, submitted, 'walk.manualOnly')).toBe(true);
    expect(lastEntity(submitted)).toMatchObject({ step: 2, steps: 2, awaiting: 'step-result' });
    expect(await readFile(bot.dataFile, 'utf8')).toBe(dataAfterChange);

    const finished = await lena.say('erledigt');
    expect(says(lena, finished, 'walk.allDone')).toBe(true);
    expect(says(lena, finished, 'walk.fixed')).toBe(true);
    expect(lastEntity(finished)).toMatchObject({ step: null, awaiting: 'feedback' });
  });

  it('"do it for me" at check-code-gallery (Camille, fr-FR, Teams): refused, the step stays open', async () => {
    const camille = teamsPhotographer(bot.url, 'camille');
    const diagnosis = await camille.say(`le client voit « vos photos sont presque prêtes », code ${DEMO_CODES['code-not-activated']}`);
    expect(lastEntity(diagnosis)).toMatchObject({ scenario: 'code-not-activated', awaiting: 'step-result' });
    await camille.submit({ choice: 'walk' });
    const step2 = await camille.submit({ choice: 'done' });
    expect(lastEntity(step2)).toMatchObject({ step: 2, awaiting: 'step-result' });
    expect(replyLines(step2.at(-1)!)).toContain(camille.t('step.check-code-gallery'));
    expect(choicesOf(step2.at(-1))).toEqual(['done', 'failed']);
    for (const refused of [await camille.say(camille.t('walk.auto')), await camille.submit({ choice: 'auto' })]) {
      expect(says(camille, refused, 'walk.manualOnly')).toBe(true);
      expect(lastEntity(refused)).toMatchObject({ step: 2, awaiting: 'step-result' });
    }
    // Done by hand, but the code is still not activated in the data: before step 3 ("tell the
    // customer it's open") the bot looks again and walks the plan once more.
    const lookedAgain = await camille.submit({ choice: 'done' });
    expect(says(camille, lookedAgain, 'walk.stillBlocked')).toBe(true);
    expect(lastEntity(lookedAgain)).toMatchObject({ step: 1, awaiting: 'step-result' });
  });
});

describe('"do it for me" in other words at a step', () => {
  it('"ok schule sagt passt. mach für mich, in 3 wochen" at the reopen step (Lena): the summary with that date, the step not taken as done by hand', async () => {
    const lena = await lenaAtArchivedStep1();
    const summary = await lena.say('ok schule sagt passt. mach für mich, in 3 wochen');
    expect(lastEntity(summary)).toMatchObject({ awaiting: 'confirm' });
    expect(allText(summary)).toContain(lena.t('change.summaryTitle'));
  });
});

describe('leaving a walk-through', () => {
  it.each([
    ['lena', 'hm, nein doch nicht, stopp', 'job-archived', 'missed-sale'],
    ['camille', 'laisse tomber, je verrai demain', 'code-not-activated', 'almost-ready'],
    ['sanne', 'laat maar', 'job-archived+photos-hidden', 'missed-sale'],
  ] as const)('%s: "%s" at a step ends the case there, kindly; nothing goes to support', async (who, typed, name, seen) => {
    const chat = teamsPhotographer(bot.url, who);
    await chat.say(`${chat.t(`symptom.choice.${seen}`)} ${DEMO_CODES[name]}`);
    const step1 = await chat.submit({ choice: 'walk' });
    expect(lastEntity(step1)).toMatchObject({ step: 1, awaiting: 'step-result' });
    const left = await chat.say(typed);
    expect(allText(left)).toContain(chat.t('case.withdrawn'));
    expect(lastEntity(left)).toMatchObject({ awaiting: null });
    expect(await escalations(DEMO_CASES[name].jobId!)).toBe(0);
  });

  it('another code at a step (Lena): that code\'s case, not an unreadable step result', async () => {
    const lena = await lenaAtArchivedStep1();
    const next = await lena.say(`anderer Fall: ${DEMO_CODES['photos-hidden']}, Mutter sieht Fotos fast fertig`);
    expect(allText(next)).toContain(lena.t('code.corrected', { code: formatAccessCode(DEMO_CODES['photos-hidden']) }));
    expect(lastEntity(next)).toMatchObject({ scenario: 'photos-hidden' });
  });
});

describe('a code in none of the photographer\'s jobs', () => {
  it('with a message it would not give (Megan, Lena\'s code): check the code with the customer, nothing offered to fix', async () => {
    const megan = slackPhotographer(bot.url, 'megan');
    const replies = await megan.say(`customer has code ${DEMO_CODES['photos-hidden']}, photos almost ready`);
    expect(lastEntity(replies)).toMatchObject({ scenario: 'unknown-code', awaiting: 'feedback' });
    expect(allText(replies)).toContain(megan.t('photographer.checkFirst'));
    expect(allText(replies)).not.toContain(megan.t('photographer.mismatch.offerFix'));
  });
});

describe('a new request at "did this help?"', () => {
  it('"spring portraits 2027, mom says almost ready. set it to selling pls" (Megan, Slack): that job\'s case, not a "no" handed to support', async () => {
    const megan = slackPhotographer(bot.url, 'megan');
    const told = await megan.say(`code ${DEMO_CODES['look-alike-o']}, the customer sees missed the sale`);
    expect(lastEntity(told)).toMatchObject({ awaiting: 'feedback' });
    const next = await megan.say('spring portraits 2027, mom says almost ready. set it to selling pls');
    expect(lastEntity(next)).toMatchObject({ scenario: 'job-in-planning' });
    expect(allText(next)).not.toContain(megan.t('escalation.recorded'));
    expect(await escalations(PLANNING.jobId!)).toBe(0);
    expect((await bot.outbox.pending()).filter((record) => record.kind === 'escalation')).toEqual([]);
  });
});

describe('several codes from a photographer at once', () => {
  it('"Kundin sagt falscher Zugangscode bei GPF3HR8N und GPF7WQ2K" (Lena): said so, the first code\'s case, then the second\'s, none dropped', async () => {
    const lena = teamsPhotographer(bot.url, 'lena');
    const first = await lena.say('Kundin sagt falscher Zugangscode bei GPF3HR8N und GPF7WQ2K');
    expect(allText(first)).toContain(lena.t('photographer.several.first', { count: 2, code: 'GPF3 HR8N' }));
    expect(lastEntity(first)).toMatchObject({ scenario: 'code-from-deleted-job', awaiting: 'step-result' });
    let replies = first;
    for (let turn = 0; turn < 4 && lastEntity(replies).awaiting === 'step-result'; turn += 1) replies = await lena.submit({ choice: 'done' });
    expect(lastEntity(replies).awaiting).toBe('feedback');
    const next = await lena.submit({ choice: 'yes' });
    expect(allText(next)).toContain(lena.t('photographer.several.next', { code: 'GPF7 WQ2K' }));
    expect(lastEntity(next)).toMatchObject({ scenario: 'code-from-deleted-job', awaiting: 'step-result' });
  });
});

describe('a question at a step is no "didn\'t work"', () => {
  it.each(['cant you check that yourself? you have the data', "can't you look it up yourself?"])('"%s" (Slack, en-US): the step stays open, nothing goes to support', async (typed) => {
    const megan = await meganAtPlanningStep1();
    const replies = await megan.say(typed);
    expect(lastEntity(replies)).toMatchObject({ step: 1, steps: 3, awaiting: 'step-result' });
    expect(says(megan, replies, 'walk.escalated')).toBe(false);
    expect(await escalations(PLANNING.jobId!)).toBe(0);
    // "No" at the start is still an answer: "no? it still says almost ready" did not work.
    const failed = await megan.say('no, it still says almost ready?');
    expect(lastEntity(failed)).not.toMatchObject({ step: 1, awaiting: 'step-result' });
  });
});

describe('"how would you like to fix it?" in the photographer\'s own words', () => {
  it.each([
    ['lena', 'mach du bitte', 'job-archived', 'missed-sale', 'archive-date'],
    ['lena', 'ach ne, mach du doch', 'job-archived', 'missed-sale', 'archive-date'],
    ['camille', 'faites-le svp', 'code-not-activated', 'almost-ready', 'confirm'],
    // With the date in the same words: the summary at once, not the date question.
    ['lena', 'mach du, bis Ende Januar', 'job-archived', 'missed-sale', 'confirm'],
  ] as const)('%s: "%s" asks the bot to do it (%s): the change is prepared, not the question again', async (who, typed, name, seen, next) => {
    const chat = teamsPhotographer(bot.url, who);
    const diagnosis = await chat.say(`${chat.t(`symptom.choice.${seen}`)} ${DEMO_CODES[name]}`);
    expect(choicesOf(diagnosis.at(-1))).toContain('auto');
    const replies = await chat.say(typed);
    expect(lastEntity(replies)).toMatchObject({ awaiting: next });
  });

  it.each([
    ['lena', 'hi, eine Mama sagt Verkauf verpasst bei MXR2 9PLT. mach du, bis Ende Januar', '2027-01-31'],
    ['sanne', 'job-3540 moet weer open, doe jij het maar, tot 20 december', null],
  ] as const)('%s: "%s" in the first message: the summary at once, with that date', async (who, typed, date) => {
    const chat = teamsPhotographer(bot.url, who);
    const summary = await chat.say(typed);
    expect(lastEntity(summary)).toMatchObject({ awaiting: 'confirm' });
    expect(allText(summary)).toContain(chat.t('change.summaryTitle'));
    if (date !== null) expect(allText(summary)).toContain(localizer(chat.locale).fullDate(date));
  });

  it('an answer it cannot read gets this question again, not the question of a step', async () => {
    const lena = teamsPhotographer(bot.url, 'lena');
    await lena.say(`Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`);
    const retry = await lena.say('hmm');
    expect(says(lena, retry, 'photographer.howToFix.retry')).toBe(true);
    expect(says(lena, retry, 'walk.retry')).toBe(false);
  });
});

describe('every question of the walk-through ends', () => {
  it('unreadable answers at a step are never taken for "didn\'t work": asked differently, then a person offered', async () => {
    const lena = await lenaAtArchivedStep1();
    const retry = await lena.say('Banane');
    expect(lastEntity(retry)).toMatchObject({ step: 1, awaiting: 'step-result' });
    expect(says(lena, retry, 'walk.retry')).toBe(true);
    for (const unreadable of ['blau', 'hmm']) {
      const again = await lena.say(unreadable);
      expect(lastEntity(again)).toMatchObject({ step: 1, awaiting: 'step-result' });
      expect(says(lena, again, 'ask.offerPerson')).toBe(true);
      expect(choicesOf(again.at(-1))).toEqual(['done', 'failed', 'auto', 'agent']);
    }
    expect(await escalations(DEMO_CASES['job-archived'].jobId!)).toBe(0);
    // Answered after all: the walk goes on where it was.
    const step2 = await lena.submit({ choice: 'done' });
    expect(lastEntity(step2)).toMatchObject({ step: 2, awaiting: 'step-result' });
  });

  it('answers without a usable date at the archive date: each reason said, a person offered, nothing changed or guessed', async () => {
    const lena = teamsPhotographer(bot.url, 'lena');
    await lena.say(`Verkauf verpasst, Code ${DEMO_CODES['job-archived']}`);
    const dateQuestion = await lena.submit({ choice: 'auto' });
    expect(lastEntity(dateQuestion)).toMatchObject({ step: 1, awaiting: 'archive-date' });
    const before = await readFile(bot.dataFile, 'utf8');
    for (const answer of ['Banane', '01.01.2020', 'irgendwann', 'keine Ahnung']) {
      const retry = await lena.say(answer);
      expect(lastEntity(retry)).toMatchObject({ step: 1, awaiting: 'archive-date' });
      expect(says(lena, retry, 'change.cancelled')).toBe(false);
      expect(says(lena, retry, 'change.summaryTitle')).toBe(false);
    }
    const last = await lena.say('weiß nicht');
    expect(says(lena, last, 'reopen.noDate')).toBe(true);
    expect(says(lena, last, 'ask.offerPerson')).toBe(true);
    expect(choicesOf(last.at(-1))).toContain('agent');
    expect(await readFile(bot.dataFile, 'utf8')).toBe(before);
    expect(await bot.outbox.pending()).toEqual([]);
  });
});

describe('a fix of a job without a customer\'s code', () => {
  it('says only the job is fine now, and names the codes of the job still not activated', async () => {
    const camille = teamsPhotographer(bot.url, 'camille');
    const job = DEMO_CASES['job-in-planning+code-not-activated'];
    await camille.say('les parents du collège victor hugo voient tous « vos photos sont presque prêtes »');
    await camille.submit({ choice: 'auto' });
    await camille.submit({ choice: 'done' });
    await camille.submit({ choice: 'yes' });
    const finished = await camille.submit({ choice: 'done' });
    const verdict = camille.t('walk.fixedJob', { inactive: 1, codes: 'VHC4 LZ9T' });
    expect(job.code).toBe('VHC4LZ9T');
    expect(finished.flatMap(replyLines)).toContain(verdict);
    expect(says(camille, finished, 'walk.fixed')).toBe(false);
    expect(lastEntity(finished)).toMatchObject({ awaiting: 'feedback' });
  });
});

describe('a fix verified right after any step counts as fixed', () => {
  it('job in planning: set-selling applied, then "didn\'t work" on the next step → walk.fixed, no escalation', async () => {
    const megan = await meganAtPlanningStep1();
    const step2 = await megan.say('done');
    expect(lastEntity(step2)).toMatchObject({ step: 2, awaiting: 'step-result' });
    const summary = await megan.say('do it for me');
    expect(lastEntity(summary).awaiting).toBe('confirm');
    const applied = await megan.say('yes');
    expect(says(megan, applied, 'change.doneTitle')).toBe(true);
    expect(lastEntity(applied)).toMatchObject({ step: 3, steps: 3, awaiting: 'step-result' });
    expect(plainLines(applied.at(-1)!)).toContain(megan.t('step.tell-customer'));
    const planningJob = JSON.parse(await readFile(bot.dataFile, 'utf8')).jobs.find((job: { id: string }) => job.id === PLANNING.jobId);
    expect(planningJob.status).toBe('selling');

    const failed = await megan.say("didn't work");
    expect(says(megan, failed, 'walk.fixed')).toBe(true);
    expect(says(megan, failed, 'walk.escalated')).toBe(false);
    expect(lastEntity(failed)).toMatchObject({ awaiting: 'feedback' });
    expect(await escalations(PLANNING.jobId!)).toBe(0);
  });
});

