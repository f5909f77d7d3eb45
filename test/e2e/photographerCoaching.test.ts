import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatAccessCode } from '../../src/domain/accessCode.js';
import { fixPlan } from '../../src/domain/fixPlans.js';
import { localizer } from '../../src/language/messages.js';
import { type TestBot, startTestBot } from '../support/botServer.js';
import { DEMO_CASES } from '../support/demoCodes.js';
import {
  allText,
  buttonTitles,
  cardOf,
  type ContractChat,
  choicesOf,
  factsOf,
  jobIn,
  lastEntity,
  planSteps,
  planReply,
  replyLines,
  slackPhotographer,
  teamsPhotographer,
} from '../support/photographerChat.js';

/**
 * Issue 11, item 5 over HTTP: a photographer is coached as a careful support agent would.
 * "Didn't work" on a step the platform can do is met with the offer to do it, in the same
 * case; reports and cancellations say exactly what this case changed; plans end with what
 * fits their scenario, in the words of the platform's settings page.
 */

const ARCHIVED = DEMO_CASES['job-archived'];
const ARCHIVED_NOT_ACTIVATED = DEMO_CASES['job-archived+code-not-activated'];
const PLANNING = DEMO_CASES['job-in-planning'];

let bot: TestBot;

beforeEach(async () => {
  bot = await startTestBot();
});

afterEach(async () => {
  await bot?.stop();
});

async function escalations(): Promise<number> {
  return (await bot.outbox.pending()).filter((record) => record.kind === 'escalation').length;
}

/** The question number a Teams card's buttons send back. */
function questionOf(reply: Partial<Activity> | undefined): number {
  const question = cardOf(reply)?.actions?.find((action) => action.data?.question !== undefined)?.data?.question;
  expect(question, 'the card carries its question number').toBeTypeOf('number');
  return question!;
}

/** Lena (Teams, de-DE) at step 1 of the reopen plan of MXR2 9PLT, walking it by hand. */
async function lenaAtReopenStep1(): Promise<{ lena: ContractChat; step1: Partial<Activity>[] }> {
  const lena = teamsPhotographer(bot.url, 'lena');
  const plan = await lena.say(`Verkauf verpasst, Code ${ARCHIVED.code}`);
  expect(lastEntity(plan)).toMatchObject({ scenario: 'job-archived', awaiting: 'step-result' });
  const step1 = await lena.choose('walk', lena.t('photographer.walk'));
  expect(lastEntity(step1)).toMatchObject({ step: 1, steps: 5, awaiting: 'step-result' });
  expect(replyLines(step1.at(-1)!)).toContain(lena.t('step.untick-archiving-set-date'));
  return { lena, step1 };
}

describe('"didn\'t work" on a step the platform can do', () => {
  it('offers to do it, and "do it for me" goes on in the same case: the date, the summary, the change, the next step', async () => {
    const { lena } = await lenaAtReopenStep1();
    const offer = await lena.choose('failed', lena.t('walk.failed'));
    expect(allText(offer)).toContain(lena.t('walk.offerAuto'));
    expect(allText(offer)).not.toContain(lena.t('walk.escalated'));
    expect(lastEntity(offer)).toMatchObject({ scenario: 'job-archived', step: 1, steps: 5, awaiting: 'step-result' });
    expect(buttonTitles(offer.at(-1))).toEqual([lena.t('walk.auto'), lena.t('walk.toSupport')]);
    expect(choicesOf(offer.at(-1))).toEqual(['auto', 'support']);
    expect(await escalations()).toBe(0);

    const date = await lena.choose('auto', lena.t('walk.auto'));
    expect(allText(date)).not.toContain(lena.t('input.staleButton'));
    expect(allText(date)).toContain(lena.t('reopen.question'));
    expect(lastEntity(date)).toMatchObject({ scenario: 'job-archived', step: 1, steps: 5, awaiting: 'archive-date' });
    const summary = await lena.say('in 3 Wochen');
    expect(lastEntity(summary)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
    const done = await lena.say('ja');
    expect(allText(done)).toContain(lena.t('change.doneTitle'));
    expect(lastEntity(done)).toMatchObject({ scenario: 'job-archived', step: 5, steps: 5, awaiting: 'step-result' });
    expect(await jobIn(bot.dataFile, ARCHIVED.jobId!)).toMatchObject({ status: 'selling', campaignActive: false });
    expect(await escalations()).toBe(0);
  });

  it('the step card\'s own "do it for me", pressed after "didn\'t work", is taken as the answer, not as an old button', async () => {
    const { lena, step1 } = await lenaAtReopenStep1();
    await lena.choose('failed', lena.t('walk.failed'));
    const date = await lena.submit({ choice: 'auto', question: questionOf(step1.at(-1)) });
    expect(allText(date)).not.toContain(lena.t('input.staleButton'));
    expect(lastEntity(date)).toMatchObject({ scenario: 'job-archived', step: 1, awaiting: 'archive-date' });
  });

  it('"no, pass it to support" hands the case on with the step that did not work', async () => {
    const { lena } = await lenaAtReopenStep1();
    await lena.choose('failed', lena.t('walk.failed'));
    const handedOn = await lena.choose('support', lena.t('walk.toSupport'));
    expect(allText(handedOn)).toContain(lena.t('walk.escalated'));
    expect(lastEntity(handedOn)).toMatchObject({ step: null, awaiting: null });
    const [record] = await bot.outbox.pending();
    expect(record).toMatchObject({ kind: 'escalation', scenario: 'job-archived', jobId: ARCHIVED.jobId });
    expect(record?.stepsTried).toContain('untick-archiving-set-date: did not work');
    expect(await jobIn(bot.dataFile, ARCHIVED.jobId!)).toMatchObject({ status: 'archived' });
  });

  it.each(['de-DE', 'en-US', 'fr-FR', 'nl-NL'])('%s: the button "no, pass it to support" typed as shown is that answer, not a question about what happens next', async (locale) => {
    const lena = teamsPhotographer(bot.url, 'lena', locale);
    await lena.say(`${lena.t('symptom.choice.missed-sale')} ${ARCHIVED.code}`);
    await lena.choose('walk', lena.t('photographer.walk'));
    await lena.say(lena.t('walk.failed'));
    const handedOn = await lena.say(lena.t('walk.toSupport'));
    expect(allText(handedOn)).toContain(lena.t('walk.escalated'));
    expect(allText(handedOn)).not.toContain(lena.t('walk.offerAuto'));
    expect(lastEntity(handedOn)).toMatchObject({ locale, awaiting: null });
    expect(await escalations()).toBe(1);
  });

  it('a step only a person can do (confirm the photos are linked) still goes to support, with nothing offered', async () => {
    const megan = slackPhotographer(bot.url, 'megan');
    await megan.say(`the customer sees "your photos are almost ready", code ${PLANNING.code}`);
    await megan.say('step by step');
    const handedOn = await megan.say("didn't work");
    expect(allText(handedOn)).not.toContain(megan.t('walk.offerAuto'));
    expect(allText(handedOn)).toContain(megan.t('walk.escalated'));
    expect(await escalations()).toBe(1);
  });
});

describe('what a case changed is said exactly', () => {
  it('cancelling the reopening after the code was activated says the activation stays, not "nothing was changed"', async () => {
    const lena = teamsPhotographer(bot.url, 'lena');
    const code = formatAccessCode(ARCHIVED_NOT_ACTIVATED.code);
    const plan = await lena.say(`Verkauf verpasst, Code ${ARCHIVED_NOT_ACTIVATED.code}`);
    expect(lastEntity(plan)).toMatchObject({ scenario: 'job-archived', secondary: ['code-not-activated'] });
    await lena.choose('auto', lena.t('photographer.auto'));
    const activated = await lena.say('ja');
    expect(allText(activated)).toContain(lena.t('change.done.activate-code', { code }));
    // check-code-gallery is done by hand; then the reopening is prepared and cancelled.
    const date = await lena.say('erledigt');
    expect(lastEntity(date).awaiting).toBe('archive-date');
    await lena.say('in 3 Wochen');
    const cancelled = await lena.choose('no', lena.t('change.no'));
    const text = allText(cancelled);
    expect(text).toContain(lena.t('change.cancelled', { earlier: 'yes' }));
    expect(text).toContain(lena.t('change.earlier', { changes: lena.t('change.made.activate-code', { code }) }));
    expect(text).not.toContain(lena.t('change.cancelled', { earlier: 'no' }));
    expect(text).toContain('Code HWT4 BN7C aktiviert');
    const job = await jobIn(bot.dataFile, ARCHIVED_NOT_ACTIVATED.jobId!);
    expect(job.status).toBe('archived');
    expect(job.galleries.find((gallery) => gallery.id === ARCHIVED_NOT_ACTIVATED.galleryId)?.activated).toBe(true);
  });

  it('a case handed to support after a change says what the bot changed in it', async () => {
    const lena = teamsPhotographer(bot.url, 'lena');
    const code = formatAccessCode(ARCHIVED_NOT_ACTIVATED.code);
    await lena.say(`Verkauf verpasst, Code ${ARCHIVED_NOT_ACTIVATED.code}`);
    await lena.choose('auto', lena.t('photographer.auto'));
    await lena.say('ja');
    // check-code-gallery "didn't work": the data changed (the code is active now), so one new plan.
    const replanned = await lena.choose('failed', lena.t('walk.failed'));
    expect(allText(replanned)).toContain(lena.t('walk.nextExplanation'));
    expect(lastEntity(replanned)).toMatchObject({ scenario: 'job-archived', secondary: [], step: 1, awaiting: 'step-result' });
    const offer = await lena.choose('failed', lena.t('walk.failed'));
    expect(allText(offer)).toContain(lena.t('walk.offerAuto'));
    const handedOn = await lena.choose('support', lena.t('walk.toSupport'));
    const text = allText(handedOn);
    expect(text).toContain(lena.t('walk.escalated'));
    expect(text).toContain(lena.t('change.earlier', { changes: lena.t('change.made.activate-code', { code }) }));
    const [record] = await bot.outbox.pending();
    expect(record?.stepsTried).toContain('applied activate-code');
  });

  it('cancelling a first change still says plainly that nothing was changed', async () => {
    const { lena } = await lenaAtReopenStep1();
    await lena.choose('auto', lena.t('walk.auto'));
    await lena.say('in 3 Wochen');
    const cancelled = await lena.choose('no', lena.t('change.no'));
    expect(allText(cancelled)).toContain(lena.t('change.cancelled', { earlier: 'no' }));
    expect(allText(cancelled)).not.toContain(lena.t('change.earlier', { changes: '' }).split(':')[0]!);
  });

  it('the summary and the report say what the platform will hold: Archiving on, with the new archiving date', async () => {
    const lena = teamsPhotographer(bot.url, 'lena', 'en-US');
    expect(lena.t('step.untick-archiving-set-date')).toBe(
      'On the Photo Job Main Settings page, remove the tick from Archiving and set a new future archiving date.',
    );
    await lena.say(`the customer sees missed the sale, code ${ARCHIVED.code}`);
    await lena.choose('auto', lena.t('photographer.auto'));
    const summary = await lena.say('in 3 weeks');
    const card = summary.find((reply) => replyLines(reply)[0] === lena.t('change.summaryTitle'));
    const facts = factsOf(card);
    expect(Object.keys(facts)).toEqual(['Archiving', 'Automated campaign', 'Status']);
    expect(facts.Archiving).toMatch(/^on, new archiving date \w+day, .+ \d{4}$/u);
    expect(facts['Automated campaign']).toBe('deactivated');
    expect(facts.Status).toBe('Archived → Selling');
    const done = await lena.say('yes');
    const report = done.find((reply) => replyLines(reply)[0] === lena.t('change.doneTitle'));
    expect(replyLines(report!)[1]).toMatch(/^“Grundschule Am Park – Herbst 2026” is Selling again until its new archiving date, \w+day, .+, and its automated campaign is deactivated\.$/u);
    expect(factsOf(report)).toEqual(facts);
  });
});

describe('plan endings fit the scenario', () => {
  it('a job in Planning and a code never activated end with the gallery open now, never "open again"', async () => {
    const en = localizer('en-US', 'photographer');
    for (const scenario of ['job-in-planning', 'code-not-activated', 'job-archived'] as const) {
      const steps = fixPlan({ scenario, secondary: [] });
      expect(steps.at(-1)?.id).toBe('tell-customer');
    }
    expect(en.t('step.tell-customer')).toBe('Tell the customer their gallery is open now: reloading the page and entering their code is all they need to do.');
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'nl-NL']) {
      const said = localizer(locale, 'photographer').t('step.tell-customer');
      expect(said, locale).not.toMatch(/\bagain\b|wieder|de nouveau|à nouveau|weer/iu);
    }
    const megan = slackPhotographer(bot.url, 'megan');
    const plan = await megan.say(`the customer sees "your photos are almost ready", code ${PLANNING.code}`);
    expect(planSteps(planReply(plan)).at(-1)).toBe(en.t('step.tell-customer'));
  });

  it('no warning claims what the help article does not say (a countdown in the shop)', () => {
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'nl-NL']) {
      const l = localizer(locale, 'photographer');
      expect(l.t('reopen.warn.soon'), locale).not.toMatch(/countdown|Countdown|compte à rebours|aftelklok/u);
    }
  });
});

describe('the summary shows what is already so as such', () => {
  it('a reopening of a job whose automated campaign is off says "already deactivated" and reports no campaign change', async () => {
    const sanne = teamsPhotographer(bot.url, 'sanne');
    const job = await jobIn(bot.dataFile, 'job-3540');
    expect(job).toMatchObject({ status: 'archived', campaignActive: false });
    await sanne.say(`Verkoop gemist, code ${DEMO_CASES['job-archived+photos-hidden'].code}`);
    // Unhide first (the plan repairs the gallery before the shop opens), then the reopening.
    await sanne.choose('auto', sanne.t('photographer.auto'));
    const unhidden = await sanne.say('ja');
    expect(allText(unhidden)).toContain(sanne.t('change.doneTitle'));
    let replies = unhidden;
    if (lastEntity(replies).awaiting !== 'archive-date') replies = await sanne.say('klaar');
    expect(lastEntity(replies).awaiting).toBe('archive-date');
    const summary = await sanne.say('over 3 weken');
    const card = summary.find((reply) => replyLines(reply)[0] === sanne.t('change.summaryTitle'));
    expect(factsOf(card)[sanne.t('fact.campaign')]).toBe(sanne.t('fact.campaign.alreadyOff'));
    const done = await sanne.say('ja');
    const report = done.find((reply) => replyLines(reply)[0] === sanne.t('change.doneTitle'));
    expect(replyLines(report!).join('\n')).toContain(sanne.t('fact.campaign.alreadyOff'));
    expect(replyLines(report!).join('\n')).not.toContain(`${sanne.t('fact.campaign')}: ${sanne.t('fact.campaign.off')}`);
  });
});

describe('another code at "did this help?"', () => {
  it('a photographer\'s correction to another code starts that code\'s diagnosis', async () => {
    const lena = teamsPhotographer(bot.url, 'lena');
    await lena.say(`Die Kundin sieht „Verkauf verpasst“, Code ${DEMO_CASES['no-known-cause'].code}`);
    const corrected = await lena.say(`Sorry, falscher Code, es ist ${ARCHIVED.code}`);
    expect(allText(corrected)).toContain(lena.t('code.corrected', { code: formatAccessCode(ARCHIVED.code) }));
    expect(lastEntity(corrected)).toMatchObject({ scenario: 'job-archived', awaiting: 'step-result' });
  });
});
