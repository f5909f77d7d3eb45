import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixPlan } from '../../src/domain/fixPlans.js';
import { type TestBot, startTestBot } from '../support/botServer.js';
import { DEMO_CODES, type DemoPhotographerName } from '../support/demoCodes.js';
import {
  allText,
  buttonTitles,
  type ContractChat,
  lastEntity,
  photographerChat,
  planReply,
  planSteps,
  readPlatform,
} from '../support/photographerChat.js';
import { CheckedChat, t } from './e2eSupport.js';

/**
 * Issue 11 over HTTP: the first message as people write it. A code alone or a code inside a
 * sentence, however it is grouped, is diagnosed at once; several codes get a diagnosis each; a
 * photographer's job name or id (or part of the name, in any language) is the job. The number
 * of turns until the diagnosis is printed for the closing note.
 */

let bot: TestBot;
let jobNames: Map<string, string>;
const turnsToDiagnosis: string[] = [];

beforeAll(async () => {
  bot = await startTestBot();
  jobNames = new Map((await readPlatform(bot.dataFile)).jobs.map((job) => [job.id, job.name]));
});

afterAll(async () => {
  console.log(`turns until the diagnosis:\n  ${turnsToDiagnosis.join('\n  ')}`);
  await bot?.stop();
});

describe('a customer\'s first message', () => {
  it.each([
    ['en-US', 'photos almost ready?? its been 3 weeks since picture day. code RJ6 TCX 9B', 'almost-ready', 'photos-hidden', 'confirm'],
    ['en-US', 'it says missed the sale, code MXR2-9PLT', 'missed-sale', 'job-archived', 'confirm'],
    ['de-DE', 'Hallo, bei mir steht Verkauf verpasst. Code: mxr2.9plt', 'missed-sale', 'job-archived', 'confirm'],
    ['fr-FR', "ça dit code d'accès incorrect, mon code est GPF-3HR-8N", 'incorrect-code', 'code-from-deleted-job', 'confirm'],
    ['nl-NL', 'bijna klaar, code RJ 6T CX 9B', 'almost-ready', 'photos-hidden', 'confirm'],
    ['en-US', 'KDG4 77QP', null, 'job-in-planning', 'symptom'],
    ['de-DE', 'jmv8\u200Brt4x', null, 'code-not-activated', 'symptom'],
  ] as const)('%s: %j is diagnosed in the first reply', async (locale, text, symptom, scenario, awaiting) => {
    const chat = new CheckedChat(bot.url, { locale });
    const replies = await chat.say(text);
    expect(lastEntity(replies)).toMatchObject({ role: 'customer', symptom, scenario, awaiting });
    turnsToDiagnosis.push(`customer ${locale} ${JSON.stringify(text)}: 1`);
  });

  it('a code alone: "is that the message you see?" — yes — the offer to tell the photographer', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    const first = await chat.say(DEMO_CODES['job-in-planning']);
    expect(first.at(-1)?.text).toBe(t('en-US', 'customer.seen.question'));
    const offer = await chat.say('yes');
    expect(offer.at(-1)?.text).toBe(t('en-US', 'notify.offerPhotographer'));
    expect(lastEntity(offer)).toMatchObject({ symptom: 'almost-ready', scenario: 'job-in-planning', awaiting: 'confirm' });
  });

  it('0AK7Q2M9 finds OAK7Q2M9 and says so', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    const replies = await chat.say('my code is 0AK7Q2M9');
    expect(allText(replies)).toContain(t('en-US', 'code.readAs', { code: 'OAK7 Q2M9' }));
    expect(lastEntity(replies)).toMatchObject({ awaiting: 'symptom' });
    const diagnosed = await chat.say(t('en-US', 'symptom.choice.other'));
    expect(lastEntity(diagnosed)).toMatchObject({ scenario: 'no-known-cause', awaiting: 'feedback' });
    turnsToDiagnosis.push('customer en-US "my code is 0AK7Q2M9" (nothing wrong in the data): 2');
  });

  it('"my code is OAK7Q2M9 and also my sons code is KDG477QP": two diagnoses, each naming its code', async () => {
    const chat = new CheckedChat(bot.url, { locale: 'en-US' });
    const first = await chat.say('my code is OAK7Q2M9 and also my sons code is KDG477QP');
    expect(allText(first)).toContain(t('en-US', 'code.several.first', { count: 2, code: 'OAK7 Q2M9' }));
    const second = await chat.say('something else');
    expect(allText(second)).toContain(t('en-US', 'customer.no-known-cause'));
    expect(allText(second)).toContain(t('en-US', 'code.several.next', { code: 'KDG4 77QP' }));
    expect(lastEntity(second)).toMatchObject({ scenario: 'job-in-planning', awaiting: 'symptom' });
    const offer = await chat.say('yes');
    expect(lastEntity(offer)).toMatchObject({ scenario: 'job-in-planning', symptom: 'almost-ready', awaiting: 'confirm' });
  });
});

/** The plan reply and the job it is about; fails with the replies when there is none. */
function expectJobPlan(chat: ContractChat, replies: readonly Partial<Activity>[], jobId: string, scenario: 'job-archived' | 'job-in-planning' | 'photos-hidden'): void {
  expect(allText(replies)).toContain(jobNames.get(jobId)!);
  expect(planSteps(planReply(replies))).toEqual(fixPlan({ scenario, secondary: [] }).map((step) => chat.t(`step.${step.id}`)));
  expect(lastEntity(replies)).toMatchObject({ role: 'photographer', scenario });
  // The job told it: no question about the customer's screen came first.
  expect(allText(replies)).not.toContain(chat.t('symptom.questionPhotographer'));
}

describe('a photographer\'s first message names the job', () => {
  it.each<[DemoPhotographerName, string, string, 'job-archived' | 'job-in-planning']>([
    ['megan', 'Oak Lane Kindergarten – Spring Portraits 2027', 'job-4270', 'job-in-planning'],
    ['megan', 'a parent of the Spring Portraits 2027 job cannot order', 'job-4270', 'job-in-planning'],
    ['lena', 'job-4102 ist archiviert', 'job-4102', 'job-archived'],
    ['lena', 'Eine Mutter aus Grundschule Am Park Herbst 2026 kommt nicht rein', 'job-4102', 'job-archived'],
    ['camille', 'problème avec les photos du Collège Victor Hugo', 'job-4251', 'job-in-planning'],
    ['sanne', "een ouder van Schoolfoto's 2025 kan niet meer bestellen", 'job-3540', 'job-archived'],
  ])('%s: %j → the job\'s diagnosis and plan at once', async (name, text, jobId, scenario) => {
    const chat = photographerChat(bot.url, name);
    const replies = await chat.say(text);
    expectJobPlan(chat, replies, jobId, scenario);
    turnsToDiagnosis.push(`photographer ${chat.locale} ${JSON.stringify(text)}: 1`);
  });

  it('a part of the name two jobs share ("Oak Lane"): which one?, then that job', async () => {
    const chat = photographerChat(bot.url, 'megan');
    const asked = await chat.say('a mom from Oak Lane says her photos are almost ready');
    expect(allText(asked)).toContain(chat.t('photographer.whichJob'));
    expect(buttonTitles(asked.at(-1)).sort()).toEqual([jobNames.get('job-4263'), jobNames.get('job-4270')]);
    const replies = await chat.choose('job-4270', jobNames.get('job-4270')!);
    expect(lastEntity(replies)).toMatchObject({ scenario: 'job-in-planning', symptom: 'almost-ready' });
  });

  it('a Selling job by name: the customer\'s code is needed, then the diagnosis', async () => {
    const chat = photographerChat(bot.url, 'lena');
    const needsCode = await chat.say('Kita Sonnenschein – Sommerfest 2026');
    expect(allText(needsCode)).toContain(chat.t('photographer.jobNeedsCode'));
    expect(lastEntity(needsCode)).toMatchObject({ awaiting: 'access-code', scenario: null });
    const replies = await chat.say('RJ6 TCX 9B');
    expectJobPlan(chat, replies, 'job-4215', 'photos-hidden');
    expect(buttonTitles(replies.at(-1))).toEqual([chat.t('photographer.walk'), chat.t('photographer.auto')]);
    turnsToDiagnosis.push('photographer de-DE "Kita Sonnenschein – Sommerfest 2026" (a Selling job), then the code: 2');
  });

  it('another photographer\'s job id is not taken: the usual first question', async () => {
    const chat = photographerChat(bot.url, 'megan');
    const replies = await chat.say('job-4102 is archived');
    expect(lastEntity(replies)).toMatchObject({ scenario: null });
    expect(['symptom', 'access-code']).toContain(lastEntity(replies).awaiting);
    expect(allText(replies)).not.toContain(jobNames.get('job-4102')!);
  });

  it('a code whose data cannot tell what the customer sees: that is asked, then the plan', async () => {
    const chat = photographerChat(bot.url, 'lena');
    const asked = await chat.say(`Code ${DEMO_CODES['no-known-cause']}`);
    expect(allText(asked)).toContain(chat.t('photographer.dataCannotTell'));
    expect(lastEntity(asked)).toMatchObject({ awaiting: 'symptom', scenario: null });
    const replies = await chat.choose('missed-sale', chat.t('symptom.choice.missed-sale'));
    // "Missed the sale" for a Selling job: the bot says so and asks to check the code first.
    expect(allText(replies)).toContain(chat.t('photographer.checkFirst'));
    expect(lastEntity(replies)).toMatchObject({ scenario: 'no-known-cause', symptom: 'missed-sale' });
  });

  it('a look-alike spelling of the photographer\'s code says which code it read', async () => {
    const chat = photographerChat(bot.url, 'megan');
    const asked = await chat.say('customer typed FOXB1K7T');
    expect(lastEntity(asked)).toMatchObject({ awaiting: 'symptom' });
    const replies = await chat.choose('other', chat.t('symptom.choice.other'));
    expect(allText(replies)).toContain(chat.t('code.readAs', { code: 'F0XB 1K7T' }));
    expect(allText(replies)).toContain('F0XB 1K7T');
  });
});
